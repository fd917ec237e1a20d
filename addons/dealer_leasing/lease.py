# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Lease contracts (R-LEA-01, R-LEA-02) on Tryton's sale rentals: each
machine line names the serial leased; confirming books the machines for the
lease period plus the turnaround buffer, and refuses a machine that another
contract, a sale or a repair holds over those days.  Pickup and return move
the booking to the actual dates and record the hour meter.

The pickup wizard (sale.rental.pickup) is extended in three files of this
module; tryton.cfg registers them in the order lease, billing, delivery, so
the last one's transition_pickup runs first and calls the others through
super():
1. delivery.py: a machine leaves only on an approved delivery release;
2. lease.py: Tryton's pickup, then the bookings move to the pickup date,
   the hour meters are read and the deposit is received;
3. billing.py: a lease invoiced in advance is invoiced (after the pickup,
   on the lines it marked picked up).
Changing the order of those lines in tryton.cfg changes this chain."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.modules.sale_rental.sale import to_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import LeasingError
from .machine import BookingReleaseMixin


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A dealer leases the machines it also sells: goods, not assets.
        cls.rentable.states = {
            'invisible': (~Eval('type').in_(['assets', 'service'])
                & ~Eval('machine', False)),
            }
        cls.rentable.depends = cls.rentable.depends | {'machine'}


class Rental(BookingReleaseMixin, OwnedMixin, metaclass=PoolMeta):
    __name__ = 'sale.rental'
    contact_person = fields.Many2One(
        'party.party', "Contact Person",
        domain=[
            ('is_contact', '=', True),
            ('id', '!=', Eval('party', -1)),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The person who negotiated the lease for the customer.")
    deposit = Monetary("Deposit", currency='currency', digits='currency',
        required=True,
        domain=[('deposit', '>=', 0)],
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="Received at pickup; refunded or kept at return.")
    deposit_received = Monetary("Deposit Received", currency='currency',
        digits='currency', readonly=True)
    turnaround_days = fields.Integer("Turnaround Days", required=True,
        domain=[('turnaround_days', '>=', 0)],
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="Days the machines need after their return (cleaning, "
        "checks) before another lease may start.")
    late_fee_per_day = Monetary("Late Return Charge per Day",
        currency='currency', digits='currency', required=True,
        domain=[('late_fee_per_day', '>=', 0)],
        states={
            'readonly': Eval('state') != 'draft',
            })
    machines = fields.Function(fields.Many2Many(
            'stock.lot', None, None, "Machines"), 'get_machines',
        searcher='search_machines')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.owner.states = {'readonly': Eval('state') != 'draft'}

    @classmethod
    def default_deposit(cls):
        return 0

    @classmethod
    def default_late_fee_per_day(cls):
        return 0

    @classmethod
    def default_turnaround_days(cls):
        pool = Pool()
        Company = pool.get('company.company')
        Settings = pool.get('dealer.leasing.settings')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Settings.for_company(Company(company)).turnaround_days
        return Settings.default_turnaround_days()

    @fields.depends('company')
    def on_change_company(self):
        pool = Pool()
        Settings = pool.get('dealer.leasing.settings')
        try:
            super_change = super().on_change_company
        except AttributeError:
            pass
        else:
            super_change()
        if self.company:
            self.turnaround_days = Settings.for_company(
                self.company).turnaround_days

    def get_machines(self, name):
        return [l.machine.id for l in self.lines if l.machine]

    @classmethod
    def search_machines(cls, name, clause):
        return [('lines.machine' + clause[0][len(name):], *clause[1:])]

    @classmethod
    def copy(cls, rentals, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('deposit_received')
        return super().copy(rentals, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('quotation')
    def quote(cls, rentals):
        for rental in rentals:
            rental.check_lease_lines()
        super().quote(rentals)

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, rentals):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Event = pool.get('dealer.customer.event')
        Link = pool.get('dealer.contact.link')
        bookings = []
        for rental in rentals:
            rental.check_lease_lines()
            bookings.extend(rental.get_bookings())
        Booking.book(bookings)
        super().confirm(rentals)
        for rental in rentals:
            Link.link(rental.party, rental.contact_person, rental)
            if rental.machines:
                Event.post(rental.party, 'lease', gettext(
                        'dealer_leasing.msg_event_lease_confirmed',
                        rental=rental.rec_name,
                        machines=', '.join(
                            m.rec_name for m in rental.machines)),
                    origin=rental, company=rental.company)

    def check_lease_lines(self):
        "Machine lines: one serial each, of the company, a real period"
        seen = set()
        for line in self.lines:
            if not line.product.machine:
                continue
            if not line.machine:
                raise LeasingError(gettext(
                        'dealer_leasing.msg_lease_machine_required',
                        line=line.rec_name, rental=self.rec_name))
            if line.quantity != 1:
                raise LeasingError(gettext(
                        'dealer_leasing.msg_lease_machine_quantity',
                        machine=line.machine.rec_name,
                        rental=self.rec_name))
            if line.machine in seen:
                raise LeasingError(gettext(
                        'dealer_leasing.msg_lease_machine_twice',
                        machine=line.machine.rec_name,
                        rental=self.rec_name))
            seen.add(line.machine)
            line.machine.check_company(self.company, self)
            start, end = line.period
            if not start or not end or end <= start:
                raise LeasingError(gettext(
                        'dealer_leasing.msg_lease_period',
                        machine=line.machine.rec_name,
                        rental=self.rec_name,
                        start=start or '', end=end or ''))

    def get_bookings(self):
        "The unsaved bookings of the lease's machines"
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        bookings = []
        for line in self.lines:
            if not line.machine:
                continue
            start, end = line.period_days
            bookings.append(Booking(machine=line.machine,
                    company=self.company, kind='lease', start=start, end=end,
                    until=end + dt.timedelta(days=self.turnaround_days),
                    origin=line, customer=self.party))
        return bookings


class RentalLine(metaclass=PoolMeta):
    __name__ = 'sale.rental.line'
    machine = fields.Many2One('stock.lot', "Machine", ondelete='RESTRICT',
        domain=[
            ('product', '=', Eval('product', -1)),
            ('machine', '=', True),
            If(Eval('company'), ('company', 'in', [Eval('company', -1), None]),
                ()),
            ],
        states={
            'readonly': Eval('rental_state') != 'draft',
            'required': (Eval('product_machine', False)
                & ~Eval('rental_state').in_(['draft', 'cancelled'])),
            'invisible': ~Eval('product_machine', False),
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The serial number of the machine leased.")
    product_machine = fields.Function(fields.Boolean("Machine Product"),
        'on_change_with_product_machine')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.product.domain = [
            ['OR',
                ('type', 'in', ['assets', 'service']),
                ('template.machine', '=', True),
                ]
            if d == ('type', 'in', ['assets', 'service']) else d
            for d in cls.product.domain]

    @fields.depends('product')
    def on_change_with_product_machine(self, name=None):
        return bool(self.product and self.product.template.machine)

    @fields.depends('product', 'machine')
    def on_change_product(self):
        super().on_change_product()
        if self.machine and self.machine.product != self.product:
            self.machine = None
        if self.product and self.product.template.machine:
            self.quantity = 1

    @property
    def period(self):
        "The start and end of the line (dates or times)"
        return self.start, self.end

    @property
    def period_days(self):
        "The first and last day of the line in the company's time zone"
        company = self.rental.company
        start, end = self.period
        return to_date(start, company), to_date(end, company)

    def get_move(self, type):
        move = super().get_move(type)
        if self.machine:
            move.lot = self.machine
        return move

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        if not Transaction().context.get('_sale_rental_line_split'):
            default.setdefault('machine')
        return super().copy(lines, default=default)


class _HourMeterShowLine:
    "The machine of a pickup or return line and its hour meter"
    __slots__ = ()
    machine = fields.Function(fields.Many2One('stock.lot', "Machine"),
        'on_change_with_machine')
    hour_meter = fields.Numeric("Hour Meter", digits=(16, 1),
        domain=['OR', ('hour_meter', '=', None), ('hour_meter', '>=', 0)],
        states={
            'invisible': ~Bool(Eval('machine')),
            })

    @fields.depends('rental_line')
    def on_change_with_machine(self, name=None):
        if self.rental_line and self.rental_line.machine:
            return self.rental_line.machine.id

    @classmethod
    def get(cls, rental_line):
        line = super().get(rental_line)
        line.machine = line.on_change_with_machine()
        line.hour_meter = (rental_line.machine.hour_meter
            if rental_line.machine else None)
        return line


class PickupShowLine(_HourMeterShowLine, metaclass=PoolMeta):
    __name__ = 'sale.rental.pickup.show.line'


class ReturnShowLine(_HourMeterShowLine, metaclass=PoolMeta):
    __name__ = 'sale.rental.return.show.line'


class RentalPickup(metaclass=PoolMeta):
    __name__ = 'sale.rental.pickup'

    # Step 2 of the pickup chain (see the module docstring): runs after
    # delivery.py's release check and before billing.py's invoicing.
    def transition_pickup(self):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Rental = pool.get('sale.rental')
        lines = [l for l in self.show.lines
            if l.quantity_picked and l.rental_line.machine]
        state = super().transition_pickup()
        rental = Rental(self.record.id)
        start = to_date(self.show.start, rental.company)
        for line in lines:
            Booking.move(line.rental_line, start=start)
        record_readings(lines, 'pickup', start, rental)
        rental.deposit_received = rental.currency.round(rental.deposit)
        rental.save()
        return state


class RentalReturn(metaclass=PoolMeta):
    __name__ = 'sale.rental.return'

    def transition_return_(self):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Rental = pool.get('sale.rental')
        lines = [l for l in self.show.lines
            if l.quantity_returned and l.rental_line.machine]
        state = super().transition_return_()
        rental = Rental(self.record.id)
        end = to_date(self.show.end, rental.company)
        for line in lines:
            Booking.move(line.rental_line, end=end,
                until=end + dt.timedelta(days=rental.turnaround_days))
        record_readings(lines, 'return', end, rental)
        return state


def record_readings(show_lines, source, date, rental):
    "The hour meter readings entered in the pickup or return wizard"
    Reading = Pool().get('dealer.machine.reading')
    Reading.save([Reading(machine=l.rental_line.machine, date=date,
                hours=l.hour_meter, source=source, origin=rental)
            for l in show_lines if l.hour_meter is not None])


class Plan(metaclass=PoolMeta):
    __name__ = 'dealer.payment.plan'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['sale.rental']

    @classmethod
    def origin_total(cls, origin):
        if origin.__name__ == 'sale.rental':
            return origin.total_amount
        return super().origin_total(origin)


class ContactLink(metaclass=PoolMeta):
    __name__ = 'dealer.contact.link'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['sale.rental']


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('lease', "Lease"))
