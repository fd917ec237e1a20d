# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Machines (R-LEA-02): serialised products (stock lots) with the company
that owns them, where they are, their hour meter and their bookings.

A booking is the period a document holds a machine: a lease (its period
plus the turnaround buffer), a sale or a finance contract (from the
contract on, without end), a repair (until it is done).  The status of a
machine is derived from its location and its bookings, and "idle between
two dates" is a machine in stock with no booking over those dates."""
import datetime as dt

from sql import Literal, Null
from sql.operators import Exists

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import BookingError, LeasingError

STATUSES = [
    (None, ""),
    ('idle', "Idle in Stock"),
    ('reserved', "Reserved"),
    ('leased', "Leased"),
    ('sold', "Sold"),
    ('repair', "In Repair"),
    ('repossessed', "Repossessed"),
    ]
BOOKING_KINDS = [
    ('lease', "Lease"),
    ('sale', "Sale"),
    ('finance', "Finance Contract"),
    ('repair', "Repair"),
    ]


class Lot(metaclass=PoolMeta):
    __name__ = 'stock.lot'
    company = fields.Many2One('company.company', "Company",
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The company that owns the machine.")
    machine = fields.Function(fields.Boolean("Machine"),
        'on_change_with_machine', searcher='search_machine')
    location = fields.Many2One('stock.location', "Location", readonly=True,
        help="Where the machine is now (its last done move).")
    warehouse = fields.Many2One('stock.location', "Warehouse", readonly=True,
        domain=[('type', '=', 'warehouse')],
        help="The warehouse the machine is kept at.")
    repossessed = fields.Boolean("Repossessed", readonly=True,
        help="Taken back from a customer and not leased or sold since.")
    status = fields.Function(fields.Selection(STATUSES, "Status"),
        'get_status')
    idle = fields.Function(fields.Boolean("Idle"),
        'get_idle', searcher='search_idle')
    hour_meter = fields.Function(fields.Numeric("Hour Meter",
            digits=(16, 1)), 'get_hour_meter')
    readings = fields.One2Many(
        'dealer.machine.reading', 'machine', "Hour Meter Readings")
    bookings = fields.One2Many(
        'dealer.machine.booking', 'machine', "Bookings", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.product.context = dict(cls.product.context or {},
            company=Eval('company', -1))
        cls.product.depends = cls.product.depends | {'company'}
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Equality()),
                    (t.warehouse, Index.Equality())),
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_repossessed(cls):
        return False

    @fields.depends('product')
    def on_change_with_machine(self, name=None):
        return bool(self.product and self.product.template.machine)

    @classmethod
    def search_machine(cls, name, clause):
        _, operator, value = clause
        return [('product.template.machine', operator, value)]

    @classmethod
    def get_status(cls, lots, name):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Date = pool.get('ir.date')
        today = Date.today()
        current = {}
        # A machine's status counts every booking, the ones of customers
        # the user may not see included (only the status is shown).
        with without_check_access():
            bookings = Booking.search([
                    ('machine', 'in', [l.id for l in lots]),
                    ['OR', ('until', '=', None), ('until', '>=', today)],
                    ], order=[('start', 'ASC')])
        for booking in bookings:
            current.setdefault(booking.machine.id, []).append(booking)
        result = {}
        for lot in lots:
            bookings = current.get(lot.id, [])
            location = lot.location.type if lot.location else None
            if location == 'customer':
                status = 'sold'
            elif any(b.kind == 'repair' and b.start <= today
                    for b in bookings):
                status = 'repair'
            elif location == 'rental':
                status = 'leased'
            elif location == 'storage':
                if bookings and any(b.kind != 'repair' for b in bookings):
                    status = 'reserved'
                elif lot.repossessed:
                    status = 'repossessed'
                else:
                    status = 'idle'
            else:
                status = None
            result[lot.id] = status
        return result

    @classmethod
    def idle_period(cls):
        "The period of the idle view: from_date and to_date of the context"
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        start = context.get('from_date') or Date.today()
        end = context.get('to_date') or start
        if isinstance(start, str):
            start = dt.date.fromisoformat(start)
        if isinstance(end, str):
            end = dt.date.fromisoformat(end)
        return start, max(start, end)

    @classmethod
    def get_idle(cls, lots, name):
        ids = {l.id for l in cls.search([
                    ('id', 'in', [l.id for l in lots]),
                    ('idle', '=', True),
                    ])}
        return {l.id: l.id in ids for l in lots}

    @classmethod
    def search_idle(cls, name, clause):
        "Machines in stock or out on lease with no booking over the period"
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Location = pool.get('stock.location')
        _, operator, value = clause
        start, end = cls.idle_period()
        lot = cls.__table__()
        location = Location.__table__()
        booking = Booking.__table__()
        busy = Exists(booking.select(Literal(1),
                where=(booking.machine == lot.id)
                & (booking.start <= end)
                & ((booking.until == Null) | (booking.until >= start))))
        query = lot.join(location,
            condition=lot.location == location.id).select(lot.id,
            where=location.type.in_(['storage', 'rental']) & ~busy)
        if (operator == '=') == bool(value):
            return [('id', 'in', query)]
        return [('id', 'not in', query)]

    @classmethod
    def get_hour_meter(cls, lots, name):
        pool = Pool()
        Reading = pool.get('dealer.machine.reading')
        result = dict.fromkeys([l.id for l in lots])
        for reading in Reading.search([
                    ('machine', 'in', list(result)),
                    ], order=[('date', 'ASC'), ('hours', 'ASC')]):
            result[reading.machine.id] = reading.hours
        return result

    @classmethod
    def copy(cls, lots, default=None):
        default = default.copy() if default is not None else {}
        for name in ['location', 'warehouse', 'readings', 'bookings']:
            default.setdefault(name)
        default.setdefault('repossessed', False)
        return super().copy(lots, default=default)

    def check_company(self, company, document):
        if self.company and self.company != company:
            raise BookingError(gettext(
                    'dealer_leasing.msg_machine_company',
                    machine=self.rec_name,
                    machine_company=self.company.rec_name,
                    document=document.rec_name, company=company.rec_name))


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, moves):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        Release.check_moves(moves)
        super().do(moves)
        cls.locate_machines(moves)

    @classmethod
    def locate_machines(cls, moves):
        "Record where the machines of the done moves are now"
        pool = Pool()
        Lot = pool.get('stock.lot')
        moves = sorted((m for m in moves
                if m.state == 'done' and m.lot and m.product.machine),
            key=lambda m: (m.effective_date, m.id))
        lots = {}
        for move in moves:
            lot = lots.setdefault(move.lot.id, Lot(move.lot.id))
            lot.location = move.to_location
            if move.to_location.type == 'storage':
                lot.warehouse = move.to_location.warehouse
            if not lot.company:
                lot.company = move.company
            if move.to_location.type in {'rental', 'customer'}:
                lot.repossessed = False
        Lot.save(list(lots.values()))


class Reading(ModelSQL, ModelView):
    __name__ = 'dealer.machine.reading'
    __string__ = "Hour Meter Reading"
    machine = fields.Many2One('stock.lot', "Machine", required=True,
        ondelete='CASCADE', domain=[('machine', '=', True)])
    date = fields.Date("Date", required=True)
    hours = fields.Numeric("Hours", digits=(16, 1), required=True,
        domain=[('hours', '>=', 0)])
    source = fields.Selection([
            ('manual', "By Hand"),
            ('pickup', "At Pickup"),
            ('return', "At Return"),
            ('service', "At Service"),
            ], "Source", required=True)
    origin = fields.Reference("Origin", selection='get_origins',
        readonly=True)
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('machine')
        cls._order = [('date', 'DESC'), ('hours', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.machine, Index.Equality()),
                (t.date, Index.Range())))

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_source(cls):
        return 'manual'

    @classmethod
    def _get_origins(cls):
        return ['sale.rental']

    @classmethod
    def get_origins(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m))
            for m in cls._get_origins()]

    @classmethod
    def validate_fields(cls, readings, field_names):
        super().validate_fields(readings, field_names)
        if field_names and not (field_names & {'machine', 'date', 'hours'}):
            return
        for reading in readings:
            reading.check_sequence()

    def check_sequence(self):
        "An hour meter never goes back"
        earlier = self.search([
                ('machine', '=', self.machine.id),
                ('date', '<=', self.date),
                ('hours', '>', self.hours),
                ('id', '!=', self.id),
                ], limit=1)
        later = self.search([
                ('machine', '=', self.machine.id),
                ('date', '>', self.date),
                ('hours', '<', self.hours),
                ('id', '!=', self.id),
                ], limit=1)
        other = (earlier or later)
        if other:
            other, = other
            raise LeasingError(gettext(
                    'dealer_leasing.msg_reading_backwards',
                    machine=self.machine.rec_name, hours=self.hours,
                    date=self.date, other_hours=other.hours,
                    other_date=other.date))


class BookingReleaseMixin:
    """For a document whose lines book machines (sales, leases): going back
    to draft or being cancelled deletes the lines' bookings"""
    __slots__ = ()

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, documents):
        cls.release_machines(documents)
        super().draft(documents)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, documents):
        cls.release_machines(documents)
        super().cancel(documents)

    @classmethod
    def release_machines(cls, documents):
        Booking = Pool().get('dealer.machine.booking')
        Booking.release([l for d in documents for l in d.lines])


class Booking(ModelSQL, ModelView):
    __name__ = 'dealer.machine.booking'
    __string__ = "Machine Booking"
    machine = fields.Many2One('stock.lot', "Machine", required=True,
        readonly=True, ondelete='CASCADE')
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    kind = fields.Selection(BOOKING_KINDS, "Kind", required=True,
        readonly=True)
    start = fields.Date("Start", required=True, readonly=True)
    end = fields.Date("End", readonly=True,
        help="Empty: the machine does not come back (sold).")
    until = fields.Date("Blocked Until", readonly=True,
        help="The end plus the turnaround buffer.")
    origin = fields.Reference("Document", selection='get_origins',
        required=True, readonly=True)
    customer = fields.Many2One('party.party', "Customer", readonly=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('machine')
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.machine, Index.Equality()),
                    (t.start, Index.Range())),
                Index(t, (t.origin, Index.Equality())),
                })

    @classmethod
    def _get_origins(cls):
        return ['sale.rental.line', 'dealer.machine.repair']

    @classmethod
    def get_origins(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m))
            for m in cls._get_origins()]

    def get_rec_name(self, name):
        return '%s: %s – %s' % (
            self.machine.rec_name, self.start, self.end or '…')

    @classmethod
    def check_modification(cls, mode, bookings, values=None, external=False):
        super().check_modification(
            mode, bookings, values=values, external=external)
        # Documents book and release their machines; nobody else.
        if external:
            raise LeasingError(gettext('dealer_leasing.msg_booking_edit'))

    @classmethod
    def book(cls, bookings):
        """Save the (unsaved) bookings if their machines are free.

        The machines' rows are locked and marked changed first, so that of
        two documents booking one machine at the same moment the second
        waits, restarts and sees the first one's booking."""
        machines = [b.machine for b in bookings]
        lock_rows(machines, changed=True)
        for booking in bookings:
            booking.machine.check_company(booking.company, booking.origin)
            location = booking.machine.location
            if (booking.kind in {'lease', 'sale'}
                    and location and location.type == 'customer'):
                raise BookingError(gettext(
                        'dealer_leasing.msg_machine_delivered',
                        machine=booking.machine.rec_name,
                        document=booking.origin.rec_name))
            booking.check_free()
            if booking.kind != 'repair':
                booking.machine.repossessed = False
        cls.save(bookings)
        Pool().get('stock.lot').save(machines)
        return bookings

    def check_free(self):
        domain = [
            ('machine', '=', self.machine.id),
            ['OR', ('until', '=', None), ('until', '>=', self.start)],
            ('origin', '!=', str(self.origin)),
            ]
        if self.until:
            domain.append(('start', '<=', self.until))
        others = self.search(domain, order=[('start', 'ASC')], limit=1)
        if others:
            other, = others
            raise BookingError(gettext(
                    'dealer_leasing.msg_machine_booked_%s' % other.kind,
                    machine=self.machine.rec_name,
                    document=self.origin.rec_name,
                    other=other.origin.rec_name,
                    start=other.start, end=other.end or '',
                    until=other.until or ''))

    @classmethod
    def release(cls, origins):
        "Delete the bookings of the documents"
        bookings = cls.search([
                ('origin', 'in', [str(o) for o in origins]),
                ])
        cls.delete(bookings)

    @classmethod
    def move(cls, origin, start=None, end=None, until=None):
        """Change the period of a document's booking (actual pickup or
        return dates); other bookings are not checked again: the machine
        is already out or back."""
        bookings = cls.search([('origin', '=', str(origin))])
        for booking in bookings:
            if start is not None:
                booking.start = start
            if end is not None:
                booking.end = end
                booking.until = until if until is not None else end
        cls.save(bookings)


class Repair(Workflow, ModelSQL, ModelView):
    "A machine out of service: it cannot be leased or sold meanwhile"
    __name__ = 'dealer.machine.repair'
    __string__ = "Machine Repair"
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One('company.company', "Company", required=True,
        states=_states)
    machine = fields.Many2One('stock.lot', "Machine", required=True,
        domain=[
            ('machine', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    start = fields.Date("Start", required=True, states=_states)
    end = fields.Date("End",
        domain=['OR', ('end', '=', None), ('end', '>=', Eval('start'))],
        states={'readonly': Eval('state') == 'done'},
        help="Empty while the machine is in the workshop.")
    reason = fields.Text("Reason", required=True, states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('in_repair', "In Repair"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'in_repair'),
            ('in_repair', 'done'),
            ('draft', 'cancelled'),
            ('in_repair', 'cancelled'),
            }
        cls._buttons.update({
                'start_repair': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'finish': {
                    'invisible': Eval('state') != 'in_repair',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'in_repair']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_start(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.machine.rec_name, self.start)

    @classmethod
    @ModelView.button
    @Workflow.transition('in_repair')
    def start_repair(cls, repairs):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Booking.book([Booking(machine=r.machine, company=r.company,
                    kind='repair', start=r.start, end=r.end, until=r.end,
                    origin=r) for r in repairs])

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def finish(cls, repairs):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Date = pool.get('ir.date')
        for repair in repairs:
            if not repair.end:
                with Transaction().set_context(
                        company=repair.company.id):
                    repair.end = max(Date.today(), repair.start)
            Booking.move(repair, end=repair.end)
        cls.save(repairs)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, repairs):
        Pool().get('dealer.machine.booking').release(repairs)


class IdleContext(ModelView):
    "The company, warehouse and period of the idle machines view"
    __name__ = 'dealer.machine.idle.context'
    __string__ = "Idle Machines"
    company = fields.Many2One('company.company', "Company", required=True)
    warehouse = fields.Many2One('stock.location', "Warehouse",
        domain=[('type', '=', 'warehouse')],
        help="Empty: every warehouse of the company.")
    from_date = fields.Date("From", required=True)
    to_date = fields.Date("To", required=True,
        domain=[('to_date', '>=', Eval('from_date'))])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today() + dt.timedelta(days=30)
