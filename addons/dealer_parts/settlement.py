# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Purchase settlement (采购结算, R-PRT-03): the purchaser matches the
supplier's invoice (发票) to what was received — received parts not yet
settled, with the quantities and prices the invoice bills.  A price further
from the order price than the company's tolerance needs a reason and
approval.  Settling creates and posts the supplier invoice: the payable
(应付单) that a payment request then pays (R-PRT-04).

A receipt line (a done incoming stock move of a purchase) is never settled
for more than was received: waiting and settled settlements hold their
quantities, two purchasers settling at the same moment included."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.exceptions import RateError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import ApprovalMixin
from trytond.modules.dealer_base.document import (
    DraftLinesMixin, NumberedMixin, company_currency)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import SettlementError

# Settlements that hold the quantities of their receipt lines.
HOLDING = ['waiting', 'done']


class Settlement(NumberedMixin, ApprovalMixin, OwnedMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'dealer.parts.settlement'
    __string__ = "Purchase Settlement"
    _number_sequence = ('dealer_parts', 'sequence_settlement')
    _number_settings = ('dealer.parts.settings', 'settlement_sequence')
    _states = {'readonly': Eval('state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    supplier = fields.Many2One(
        'party.party', "Supplier", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    supplier_invoice = fields.Char(
        "Supplier Invoice Number", required=True, strip=True,
        states=_states,
        help="The number printed on the supplier's invoice.")
    invoice_date = fields.Date(
        "Invoice Date", required=True, states=_states)
    lines = fields.One2Many(
        'dealer.parts.settlement.line', 'settlement', "Lines",
        states=_states,
        depends={'company', 'supplier', 'currency', 'invoice_date'})
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'), 'get_amount')
    description = fields.Text("Description", states=_states)
    invoice = fields.Many2One(
        'account.invoice', "Payable", readonly=True,
        states={
            'invisible': ~Eval('invoice'),
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting for Approval"),
            ('done', "Settled"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls.owner.string = "Settled By"
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t,
                    (t.supplier, Index.Range()),
                    (t.supplier_invoice, Index.Equality())),
                })
        cls._transitions |= {
            ('draft', 'waiting'),
            ('waiting', 'draft'),
            ('draft', 'done'),
            ('waiting', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'gather': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-add',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })
        # A settlement is submitted by confirming it, and only when a
        # price needs approval; a rejected one goes back to draft itself.
        cls._buttons['approval_submit']['invisible'] = True
        cls._buttons['approval_reset']['invisible'] = True

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        return company_currency()

    @classmethod
    def default_invoice_date(cls):
        return Pool().get('ir.date').today()

    def get_amount(self, name):
        return sum((l.amount or 0 for l in self.lines), Decimal(0))

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_approval_amount(self):
        return self.amount

    @classmethod
    def check_modification(cls, mode, settlements, values=None,
            external=False):
        super().check_modification(
            mode, settlements, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for settlement in settlements:
                if settlement.state != 'draft' or (
                        mode == 'delete' and settlement.number):
                    raise AccessError(gettext(
                            'dealer_parts.msg_settlement_modify',
                            settlement=settlement.rec_name))

    @classmethod
    def copy(cls, settlements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('invoice')
        default.setdefault('supplier_invoice', '')
        default.setdefault('lines')
        return super().copy(settlements, default=default)

    @classmethod
    @ModelView.button
    def gather(cls, settlements):
        "Add the supplier's received lines that are not settled yet"
        pool = Pool()
        Line = pool.get('dealer.parts.settlement.line')
        lines = []
        for settlement in settlements:
            if settlement.state != 'draft':
                continue
            present = {l.move for l in settlement.lines}
            for move, left in Line.unsettled_moves(
                    settlement.company, settlement.supplier):
                if move in present:
                    continue
                line = Line(settlement=settlement, move=move, quantity=left)
                line.unit_price = line.on_change_with_order_price()
                if line.unit_price is None:
                    line.check_price()  # tells the rate is missing
                lines.append(line)
        Line.save(lines)

    @classmethod
    def check_lines(cls, settlements):
        """Each line a receipt of the supplier in the company, within what
        was received less what other settlements hold, its price within the
        tolerance or explained"""
        pool = Pool()
        Move = pool.get('stock.move')
        Line = pool.get('dealer.parts.settlement.line')
        moves = Move.browse({l.move.id for s in settlements for l in s.lines})
        # Two settlements of one receipt at the same moment: the second
        # waits for the first and then counts it.
        lock_rows(moves, changed=True)
        settling = defaultdict(float)
        for settlement in settlements:
            cls.check_supplier_invoice(settlement)
            if not settlement.lines:
                raise SettlementError(gettext(
                        'dealer_parts.msg_settlement_empty',
                        settlement=settlement.rec_name))
            seen = set()
            for line in settlement.lines:
                if line.move in seen:
                    raise SettlementError(gettext(
                            'dealer_parts.msg_settlement_move_twice',
                            settlement=settlement.rec_name,
                            move=line.move.rec_name))
                seen.add(line.move)
                line.check_receipt()
                line.check_price()
                settling[line.move] += line.quantity
        others = [s.id for s in settlements]
        for move, quantity in settling.items():
            held = Line.held_quantity(move, others)
            left = move.unit.round(move.quantity - held)
            if move.unit.round(quantity - left) > 0:
                raise SettlementError(gettext(
                        'dealer_parts.msg_settlement_exceeds',
                        move=move.rec_name,
                        quantity=move.unit.round(quantity),
                        received=move.unit.round(move.quantity),
                        left=max(left, 0)))

    @classmethod
    def check_supplier_invoice(cls, settlement):
        "One supplier invoice is settled once"
        duplicates = cls.search([
                ('company', '=', settlement.company.id),
                ('supplier', '=', settlement.supplier.id),
                ('supplier_invoice', '=', settlement.supplier_invoice),
                ('state', 'in', HOLDING),
                ('id', '!=', settlement.id),
                ], limit=1)
        if duplicates:
            with without_check_access():
                other = cls(duplicates[0].id).rec_name
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_invoice_twice',
                    invoice=settlement.supplier_invoice,
                    supplier=settlement.supplier.rec_name,
                    settlement=other))

    @property
    def needs_approval(self):
        return any(l.beyond_tolerance for l in self.lines)

    @classmethod
    @ModelView.button
    def confirm(cls, settlements):
        """Settle: at once when every price is within the tolerance, else
        through approval first"""
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        lock_rows(settlements)
        settlements = cls.browse(settlements)
        for settlement in settlements:
            if settlement.state != 'draft':
                raise SettlementError(gettext(
                        'dealer_parts.msg_settlement_not_draft',
                        settlement=settlement.rec_name))
        cls.check_lines(settlements)
        to_approve = [s for s in settlements if s.needs_approval]
        if to_approve:
            Request.submit(to_approve)
        settled = [s for s in settlements if not s.needs_approval]
        cls.approval_not_required(settled)
        cls.settle(settled)

    @classmethod
    def approval_submitted(cls, settlements):
        super().approval_submitted(settlements)
        cls.set_number(settlements)
        cls.write(settlements, {'state': 'waiting'})

    @classmethod
    def approval_decided(cls, settlements, decision):
        super().approval_decided(settlements, decision)
        if decision == 'approve':
            cls.settle(settlements)
        else:
            # Back to draft with the approval cleared: corrected, it is
            # confirmed again.
            cls.write(settlements, {
                    'state': 'draft',
                    'approval_state': 'draft',
                    'approval_request': None,
                    })

    @classmethod
    @Workflow.transition('done')
    def settle(cls, settlements):
        "Create and post the supplier invoices: the payables"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        if not settlements:
            return
        # Checked again: other settlements may have been made while these
        # waited for approval.
        cls.check_lines(settlements)
        cls.set_number(settlements)
        # The purchaser books the payable on finance's behalf: the invoice
        # is made only from the lines checked above.
        with without_check_access():
            invoices = []
            for settlement in settlements:
                # Accounts and journals are the settlement's company's,
                # whichever company the user has at hand.
                with Transaction().set_context(
                        company=settlement.company.id):
                    invoices.append(cls(settlement.id)._get_invoice())
            Invoice.save(invoices)
            Invoice.update_taxes(invoices)
            Invoice.post(invoices)
        for settlement, invoice in zip(settlements, invoices):
            settlement.invoice = invoice
            settlement.state = 'done'
        cls.save(settlements)

    def _get_invoice(self):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoice = Invoice(
            type='in',
            company=self.company,
            party=self.supplier,
            invoice_address=self.supplier.address_get(type='invoice'),
            currency=self.currency,
            reference=self.supplier_invoice,
            invoice_date=self.invoice_date,
            description=self.number,
            account=self.supplier.account_payable_used,
            payment_term=self.supplier.supplier_payment_term,
            )
        invoice.set_journal()
        invoice.lines = [l._get_invoice_line() for l in self.lines]
        return invoice

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, settlements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, settlements):
        pass


class SettlementLine(DraftLinesMixin, ModelSQL, ModelView):
    __name__ = 'dealer.parts.settlement.line'
    __string__ = "Purchase Settlement Line"
    _document_field = 'settlement'
    _frozen_message = ('dealer_parts.msg_settlement_modify', 'settlement')
    _states = {
        'readonly': Eval('settlement_state', 'draft') != 'draft',
        }
    settlement = fields.Many2One(
        'dealer.parts.settlement', "Settlement", required=True,
        ondelete='CASCADE')
    move = fields.Many2One(
        'stock.move', "Receipt Line", required=True, ondelete='RESTRICT',
        domain=[
            ('state', '=', 'done'),
            ('from_location.type', '=', 'supplier'),
            ('company', '=',
                Eval('_parent_settlement', {}).get('company', -1)),
            ('supplier', '=',
                Eval('_parent_settlement', {}).get('supplier', -1)),
            ],
        states=_states)
    purchase = fields.Function(fields.Many2One(
            'purchase.purchase', "Purchase Order"), 'on_change_with_purchase')
    product = fields.Function(fields.Many2One(
            'product.product', "Part"), 'on_change_with_product')
    received_quantity = fields.Function(fields.Float(
            "Received", digits='unit'), 'on_change_with_received_quantity')
    quantity = fields.Float(
        "Settled Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)], states=_states)
    unit = fields.Function(fields.Many2One(
            'product.uom', "Unit"), 'on_change_with_unit')
    order_price = fields.Function(fields.Numeric(
            "Order Price", digits=price_digits),
        'on_change_with_order_price')
    unit_price = fields.Numeric(
        "Invoiced Price", digits=price_digits, required=True,
        domain=[('unit_price', '>=', 0)], states=_states)
    price_difference = fields.Function(fields.Numeric(
            "Price Difference (%)", digits=(16, 2)),
        'on_change_with_price_difference')
    reason = fields.Char("Reason for the Difference", states=_states)
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'on_change_with_amount')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    settlement_state = fields.Function(fields.Selection(
            'get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('settlement')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.move, Index.Range())))

    @classmethod
    def get_settlement_states(cls):
        return Pool().get('dealer.parts.settlement').state.selection

    @fields.depends('settlement', '_parent_settlement.state')
    def on_change_with_settlement_state(self, name=None):
        return self.settlement.state if self.settlement else None

    @fields.depends('settlement', '_parent_settlement.currency')
    def on_change_with_currency(self, name=None):
        return self.settlement.currency if self.settlement else None

    @property
    def purchase_line(self):
        PurchaseLine = Pool().get('purchase.line')
        if self.move and isinstance(self.move.origin, PurchaseLine):
            return self.move.origin

    @fields.depends('move')
    def on_change_with_purchase(self, name=None):
        return self.purchase_line.purchase if self.purchase_line else None

    @fields.depends('move')
    def on_change_with_product(self, name=None):
        return self.move.product if self.move else None

    @fields.depends('move')
    def on_change_with_received_quantity(self, name=None):
        return self.move.quantity if self.move else None

    @fields.depends('move')
    def on_change_with_unit(self, name=None):
        return self.move.unit if self.move else None

    @fields.depends('move', 'settlement', '_parent_settlement.currency',
        '_parent_settlement.invoice_date', '_parent_settlement.company')
    def on_change_with_order_price(self, name=None):
        "The order's price per receipt unit, in the settlement's currency"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Uom = pool.get('product.uom')
        line = self.purchase_line
        if not line or not self.settlement or not self.settlement.currency:
            return None
        price = Uom.compute_price(line.unit, line.unit_price, self.move.unit)
        if line.purchase.currency != self.settlement.currency:
            try:
                with Transaction().set_context(
                        date=self.settlement.invoice_date):
                    price = Currency.compute(line.purchase.currency, price,
                        self.settlement.currency, round=False)
            except RateError:
                # No rate at the invoice's date: no order price while the
                # line is filled in; confirming tells what to do
                # (check_price).
                return None
        return round_price(price)

    @fields.depends('move', 'settlement', 'quantity', 'unit_price',
        methods=['on_change_with_order_price'])
    def on_change_move(self):
        # Proposed: what is left of the receipt, at the order's price.
        if self.move:
            self.quantity = self.unsettled_quantity(
                self.move, [self.settlement.id] if (
                    self.settlement and (self.settlement.id or -1) >= 0)
                else [])
            self.unit_price = self.on_change_with_order_price()

    @fields.depends('unit_price', methods=['on_change_with_order_price'])
    def on_change_with_price_difference(self, name=None):
        order_price = self.on_change_with_order_price()
        if order_price and self.unit_price is not None:
            return ((self.unit_price - order_price) / order_price
                * 100).quantize(Decimal('0.01'))

    @fields.depends('quantity', 'unit_price', 'settlement',
        '_parent_settlement.currency')
    def on_change_with_amount(self, name=None):
        if (self.quantity is None or self.unit_price is None
                or not self.settlement or not self.settlement.currency):
            return None
        return self.settlement.currency.round(
            Decimal(str(self.quantity)) * self.unit_price)

    @property
    def beyond_tolerance(self):
        "The invoiced price differs from the order's by more than allowed"
        pool = Pool()
        Settings = pool.get('dealer.parts.settings')
        difference = self.on_change_with_price_difference()
        if difference is None:
            return False
        with without_check_access():
            tolerance = Settings.for_company(
                self.settlement.company).price_tolerance
        return abs(difference) > tolerance

    def check_receipt(self):
        "A done receipt of a purchase of the supplier in the company"
        move, settlement = self.move, self.settlement
        line = self.purchase_line
        if (move.state != 'done' or move.from_location.type != 'supplier'
                or not line):
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_not_received',
                    settlement=settlement.rec_name, move=move.rec_name))
        if (line.purchase.party != settlement.supplier
                or line.purchase.company != settlement.company):
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_other_supplier',
                    settlement=settlement.rec_name, move=move.rec_name,
                    supplier=settlement.supplier.rec_name))
        if line.purchase.invoice_method != 'manual':
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_invoiced_by_order',
                    move=move.rec_name,
                    purchase=line.purchase.rec_name))

    def check_price(self):
        settlement = self.settlement
        if self.on_change_with_order_price() is None:
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_no_rate',
                    settlement=settlement.rec_name,
                    currency=settlement.currency.rec_name,
                    purchase_currency=self.purchase_line.purchase.currency
                    .rec_name,
                    date=settlement.invoice_date))
        if self.beyond_tolerance and not (self.reason or '').strip():
            raise SettlementError(gettext(
                    'dealer_parts.msg_settlement_reason',
                    settlement=settlement.rec_name,
                    move=self.move.rec_name,
                    difference=self.on_change_with_price_difference()))

    @classmethod
    def held_quantity(cls, move, exclude_settlements=()):
        "What the settlements, but these, hold of the receipt line"
        with without_check_access():
            lines = cls.search([
                    ('move', '=', move.id),
                    ('settlement.state', 'in', HOLDING),
                    ('settlement', 'not in', list(exclude_settlements)),
                    ])
            return sum(l.quantity for l in lines)

    @classmethod
    def unsettled_quantity(cls, move, exclude_settlements=()):
        return max(move.unit.round(
                move.quantity - cls.held_quantity(move, exclude_settlements)),
            0)

    @classmethod
    def unsettled_moves(cls, company, supplier):
        "The receipt lines of the supplier with what is left to settle"
        pool = Pool()
        Move = pool.get('stock.move')
        moves = Move.search([
                ('state', '=', 'done'),
                ('from_location.type', '=', 'supplier'),
                ('company', '=', company.id),
                ('supplier', '=', supplier.id),
                ('purchase.invoice_method', '=', 'manual'),
                ], order=[('effective_date', 'ASC'), ('id', 'ASC')])
        held = defaultdict(float)
        with without_check_access():
            for line in cls.search([
                        ('move', 'in', [m.id for m in moves]),
                        ('settlement.state', 'in', HOLDING),
                        ]):
                held[line.move] += line.quantity
        for move in moves:
            left = move.unit.round(move.quantity - held[move])
            if left > 0:
                yield move, left

    def _get_invoice_line(self):
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        purchase_line = self.purchase_line
        line = InvoiceLine(
            invoice_type='in',
            type='line',
            company=self.settlement.company,
            currency=self.settlement.currency,
            product=self.product,
            description=purchase_line.description,
            quantity=self.quantity,
            unit=self.unit,
            unit_price=self.unit_price,
            taxes=purchase_line.taxes,
            origin=purchase_line,
            stock_moves=[self.move],
            )
        line.account = self.product.account_expense_used
        return line
