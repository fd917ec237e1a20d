# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Return inspection of a lease (R-LEA-01): once the machines are back,
the inspector records the hour meter, the damage and the missing parts; the
late days are counted from the planned end to the actual return.  Posting
keeps the deposit against the charges (refunding the rest), writes both
amounts on the lease and invoices the charges beyond the deposit on the
rental account of the machine product."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.modules.sale_rental.sale import to_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import InspectionError


class Rental(metaclass=PoolMeta):
    __name__ = 'sale.rental'
    deposit_kept = Monetary("Deposit Kept", currency='currency',
        digits='currency', readonly=True,
        help="The part of the deposit kept against the return charges.")
    deposit_refunded = Monetary("Deposit Refunded", currency='currency',
        digits='currency', readonly=True,
        help="The part of the deposit to give back to the customer.")
    inspections = fields.One2Many(
        'dealer.lease.inspection', 'rental', "Return Inspections",
        readonly=True)

    @classmethod
    def copy(cls, rentals, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('deposit_kept')
        default.setdefault('deposit_refunded')
        default.setdefault('inspections')
        return super().copy(rentals, default=default)


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.lease.inspection']


class Inspection(Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.lease.inspection'
    __string__ = "Lease Return Inspection"
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One('company.company', "Company", required=True,
        states={
            'readonly': True,
            })
    rental = fields.Many2One('sale.rental', "Lease", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', 'in', ['picked up', 'done']),
            ],
        states=_states)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    date = fields.Date("Date", required=True, states=_states)
    machine = fields.Function(fields.Many2One('stock.lot', "Machine"),
        'on_change_with_machine')
    hour_meter = fields.Function(fields.Numeric("Hour Meter at Return",
            digits=(16, 1)), 'on_change_with_hour_meter')
    damage_notes = fields.Text("Damage", states=_states)
    damage_charge = Monetary("Damage Charge", currency='currency',
        digits='currency', required=True, states=_states,
        domain=[('damage_charge', '>=', 0)])
    missing_notes = fields.Text("Missing Parts", states=_states)
    missing_charge = Monetary("Missing Parts Charge", currency='currency',
        digits='currency', required=True, states=_states,
        domain=[('missing_charge', '>=', 0)])
    late_days = fields.Function(fields.Integer("Late Days",
            help="Days between the planned end and the actual return, "
            "when the machine came back late."), 'on_change_with_late_days')
    late_charge = fields.Function(Monetary("Late Charge",
            currency='currency', digits='currency'),
        'on_change_with_late_charge')
    total_charges = fields.Function(Monetary("Total Charges",
            currency='currency', digits='currency'),
        'on_change_with_total_charges')
    deposit_received = fields.Function(Monetary("Deposit Received",
            currency='currency', digits='currency'),
        'on_change_with_deposit_received')
    deposit_kept = fields.Function(Monetary("Deposit Kept",
            currency='currency', digits='currency'),
        'on_change_with_deposit_kept')
    deposit_refunded = fields.Function(Monetary("Deposit Refunded",
            currency='currency', digits='currency'),
        'on_change_with_deposit_refunded')
    amount_to_invoice = fields.Function(Monetary("Amount to Invoice",
            currency='currency', digits='currency'),
        'on_change_with_amount_to_invoice')
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # A lease is inspected once
        cls._sql_constraints += [
            ('rental_unique', Unique(t, t.rental),
                'dealer_leasing.msg_inspection_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality()),
                where=t.state == 'draft'))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'posted')}
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_damage_charge(cls):
        return Decimal(0)

    @classmethod
    def default_missing_charge(cls):
        return Decimal(0)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('rental', '_parent_rental.company')
    def on_change_rental(self):
        if self.rental and self.rental.company:
            self.company = self.rental.company

    @fields.depends('rental', '_parent_rental.currency')
    def on_change_with_currency(self, name=None):
        if self.rental and self.rental.currency:
            return self.rental.currency.id

    @fields.depends('rental', '_parent_rental.lines')
    def on_change_with_machine(self, name=None):
        if self.rental:
            for line in self.rental.lines:
                if getattr(line, 'machine', None):
                    return line.machine.id

    @fields.depends(methods=['on_change_with_machine'])
    def on_change_with_hour_meter(self, name=None):
        "The machine's last reading (recorded by the return)"
        Lot = Pool().get('stock.lot')
        machine = self.on_change_with_machine()
        if machine is not None:
            return Lot(machine).hour_meter

    def _returned_lines(self):
        return [l for l in (self.rental.lines if self.rental else [])
            if getattr(l, 'actual_end', None)]

    @staticmethod
    def _line_late_days(line):
        company = line.rental.company
        planned = (line.planned_end_day if line.per_day
            else to_date(line.planned_end, company))
        actual = to_date(line.actual_end, company)
        if planned and actual and actual > planned:
            return (actual - planned).days
        return 0

    @staticmethod
    def _line_daily_rent(line):
        "The rent of one day of the line"
        pool = Pool()
        UoM = pool.get('product.uom')
        Data = pool.get('ir.model.data')
        day = UoM(Data.get_id('product', 'uom_day'))
        price = line.unit_price or Decimal(0)
        if line.unit_price_unit and line.unit_price_unit != day:
            price = UoM.compute_price(line.unit_price_unit, price, day)
        return price * Decimal(str(line.quantity or 0))

    @fields.depends('rental', '_parent_rental.lines', '_parent_rental.company')
    def on_change_with_late_days(self, name=None):
        return max((self._line_late_days(l) for l in self._returned_lines()),
            default=0)

    @fields.depends('rental', '_parent_rental.lines', '_parent_rental.company',
        '_parent_rental.late_fee_per_day', '_parent_rental.currency')
    def on_change_with_late_charge(self, name=None):
        pool = Pool()
        Settings = pool.get('dealer.leasing.settings')
        if not self.rental:
            return Decimal(0)
        rental = self.rental
        rate = None
        charge = Decimal(0)
        for line in self._returned_lines():
            days = self._line_late_days(line)
            if not days:
                continue
            if rental.late_fee_per_day:
                charge += rental.late_fee_per_day * days
            else:
                if rate is None:
                    rate = Settings.for_company(rental.company).late_fee_rate
                charge += (self._line_daily_rent(line) * rate / 100 * days)
        if rental.currency:
            charge = rental.currency.round(charge)
        return charge

    @fields.depends('damage_charge', 'missing_charge', 'rental',
        '_parent_rental.currency',
        methods=['on_change_with_late_charge'])
    def on_change_with_total_charges(self, name=None):
        return self._round((self.damage_charge or Decimal(0))
            + (self.missing_charge or Decimal(0))
            + self.on_change_with_late_charge())

    @fields.depends('rental', '_parent_rental.deposit_received',
        '_parent_rental.currency')
    def on_change_with_deposit_received(self, name=None):
        if self.rental:
            return self._round(self.rental.deposit_received or Decimal(0))
        return Decimal(0)

    def _round(self, amount):
        if self.rental and self.rental.currency:
            return self.rental.currency.round(amount)
        return amount

    @fields.depends(methods=['on_change_with_total_charges',
            'on_change_with_deposit_received'])
    def on_change_with_deposit_kept(self, name=None):
        return min(self.on_change_with_deposit_received(),
            self.on_change_with_total_charges())

    @fields.depends(methods=['on_change_with_deposit_received',
            'on_change_with_deposit_kept'])
    def on_change_with_deposit_refunded(self, name=None):
        return (self.on_change_with_deposit_received()
            - self.on_change_with_deposit_kept())

    @fields.depends(methods=['on_change_with_total_charges',
            'on_change_with_deposit_kept'])
    def on_change_with_amount_to_invoice(self, name=None):
        return (self.on_change_with_total_charges()
            - self.on_change_with_deposit_kept())

    def get_rec_name(self, name):
        return self.rental.rec_name if self.rental else str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('rental.rec_name', *clause[1:])]

    @classmethod
    def validate_fields(cls, inspections, field_names):
        super().validate_fields(inspections, field_names)
        cls.check_returned(inspections, field_names)

    @classmethod
    def check_returned(cls, inspections, field_names=None):
        "Only a lease whose machines came back is inspected"
        if field_names and 'rental' not in field_names:
            return
        for inspection in inspections:
            if not inspection._returned_lines():
                raise InspectionError(gettext(
                        'dealer_leasing.msg_inspection_not_returned',
                        rental=inspection.rental.rec_name))

    @classmethod
    def check_modification(cls, mode, inspections, values=None,
            external=False):
        super().check_modification(
            mode, inspections, values=values, external=external)
        if mode == 'delete':
            for inspection in inspections:
                if inspection.state != 'draft':
                    raise InspectionError(gettext(
                            'dealer_leasing.msg_inspection_delete',
                            inspection=inspection.rec_name))

    @classmethod
    def copy(cls, inspections, default=None):
        """A copy is a new draft, of another lease given in `default`: the
        unique constraint refuses a second inspection of the same lease"""
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('invoice')
        return super().copy(inspections, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, inspections):
        pool = Pool()
        Rental = pool.get('sale.rental')
        Invoice = pool.get('account.invoice')
        Event = pool.get('dealer.customer.event')
        rentals, invoices = [], []
        for inspection in inspections:
            rental = inspection.rental
            rental.deposit_kept = inspection.deposit_kept
            rental.deposit_refunded = inspection.deposit_refunded
            rentals.append(rental)
            if inspection.amount_to_invoice > 0:
                invoice = inspection.get_invoice()
                invoices.append(invoice)
                inspection.invoice = invoice
        Rental.save(rentals)
        Invoice.save(invoices)
        Invoice.update_taxes(invoices)
        cls.save(inspections)
        for inspection in inspections:
            rental = inspection.rental
            lang = pool.get('ir.lang').get()
            Event.post(rental.party, 'lease', gettext(
                    'dealer_leasing.msg_inspection_posted_event',
                    rental=rental.rec_name,
                    charges=lang.currency(
                        inspection.total_charges, rental.currency),
                    kept=lang.currency(
                        inspection.deposit_kept, rental.currency),
                    refunded=lang.currency(
                        inspection.deposit_refunded, rental.currency),
                    invoiced=lang.currency(
                        inspection.amount_to_invoice, rental.currency)),
                origin=inspection, company=inspection.company)

    def get_invoice(self):
        "The draft customer invoice of the charges beyond the deposit"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        rental = self.rental
        invoice = rental._get_invoice()
        product = None
        for line in rental.lines:
            if getattr(line, 'machine', None):
                product = line.product
                break
        else:
            product = rental.lines[0].product
        account = product.account_rental_used
        if not account:
            raise InspectionError(gettext(
                    'dealer_leasing.msg_inspection_account',
                    inspection=self.rec_name, product=product.rec_name))
        line = InvoiceLine(invoice_type='out', type='line')
        line.company = rental.company
        line.currency = rental.currency
        line.account = account
        line.quantity = 1
        line.unit_price = self.amount_to_invoice
        line.description = gettext(
            'dealer_leasing.msg_inspection_invoice_description',
            rental=rental.rec_name)
        line.origin = self
        line.taxes = []
        invoice.lines = [line]
        return invoice
