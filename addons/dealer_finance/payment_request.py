# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Payment requests (付款申请, R-PRT-04): a request to pay one or more open
supplier invoices (the payables), approved through the approval flow,
printed and handed to finance, who confirm it: the invoices are then paid
and reconciled by Tryton's invoice payment.  A request never asks for more
than is open, and all requests of a payable together never pay more than
it — two finance clerks confirming at the same moment included."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.document import (
    DraftLinesMixin, NumberedMixin, company_currency)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.printing import (
    ApprovalLogReportMixin, PDFWhenAvailableMixin)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction

from .exceptions import PaymentRequestError

# Submitted requests hold part of a payable until they are paid (then the
# payable's open amount is lower) or cancelled; drafts hold nothing.
HOLDING = ['waiting', 'approved']


class PaymentRequest(NumberedMixin, SubmittedFrozenMixin, ApprovalMixin,
        OwnedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.payment.request'
    __string__ = "Payment Request"
    _number_sequence = ('dealer_finance', 'sequence_payment_request')
    _number_settings = ('dealer.finance.settings', 'payment_request_sequence')
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
    lines = fields.One2Many(
        'dealer.payment.request.line', 'request', "Payables",
        states=_states)
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'), 'get_amount')
    description = fields.Text("Purpose", states=_states)
    payment_method = fields.Many2One(
        'account.invoice.payment.method', "Payment Method",
        states={
            'readonly': Eval('state') != 'approved',
            },
        domain=[('company', '=', Eval('company', -1))])
    payment_date = fields.Date("Payment Date",
        states={
            'readonly': Eval('state') != 'approved',
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting for Approval"),
            ('approved', "Approved"),
            ('paid', "Paid"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states
    # Finance chooses how and when to pay an approved request.
    _editable_after_submit = {'payment_method', 'payment_date'}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls.owner.string = "Requested By"
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low'))))
        cls._transitions |= {
            ('draft', 'waiting'),
            ('waiting', 'approved'),
            ('waiting', 'draft'),
            ('approved', 'paid'),
            ('draft', 'cancelled'),
            ('approved', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'pay': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'approved']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })
        # The approval buttons follow the request's own state.
        cls._buttons['approval_reset']['invisible'] = (
            Eval('approval_state') != 'rejected')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        return company_currency()

    def get_amount(self, name):
        return sum((l.amount or 0 for l in self.lines), Decimal(0))

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_approval_amount(self):
        return self.amount

    @classmethod
    def check_modification(cls, mode, requests, values=None,
            external=False):
        super().check_modification(
            mode, requests, values=values, external=external)
        if mode == 'delete':
            for request in requests:
                if request.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'dealer_finance.msg_payment_request_delete',
                            request=request.rec_name))

    @classmethod
    def copy(cls, requests, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('payment_date')
        return super().copy(requests, default=default)

    @classmethod
    def check_open(cls, requests):
        """Each line within what its payable still has to pay, counting
        the other requests that hold part of it"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('dealer.payment.request.line')
        invoices = Invoice.browse(
            {l.invoice.id for r in requests for l in r.lines})
        # Two requests for one payable at the same moment: the second
        # waits for the first and then counts it.
        lock_rows(invoices, changed=True)
        requested = defaultdict(Decimal)
        for request in requests:
            if not request.lines:
                raise PaymentRequestError(gettext(
                        'dealer_finance.msg_payment_request_empty',
                        request=request.rec_name))
            for line in request.lines:
                invoice = Invoice(line.invoice.id)
                if invoice.state != 'posted' or invoice.type != 'in':
                    raise PaymentRequestError(gettext(
                            'dealer_finance.msg_payment_request_not_open',
                            request=request.rec_name,
                            invoice=invoice.rec_name))
                if invoice.party != request.supplier:
                    raise PaymentRequestError(gettext(
                            'dealer_finance.msg_payment_request_supplier',
                            request=request.rec_name,
                            invoice=invoice.rec_name,
                            supplier=request.supplier.rec_name))
                if invoice.currency != request.currency:
                    raise PaymentRequestError(gettext(
                            'dealer_finance.msg_payment_request_currency',
                            request=request.rec_name,
                            invoice=invoice.rec_name))
                requested[invoice] += line.amount
        for invoice, amount in requested.items():
            held = Line.held_amount(invoice, [r.id for r in requests])
            available = invoice.amount_to_pay - held
            if amount > available:
                raise PaymentRequestError(gettext(
                        'dealer_finance.msg_payment_request_exceeds',
                        invoice=invoice.rec_name,
                        amount=invoice.currency.round(amount),
                        available=invoice.currency.round(
                            max(available, Decimal(0))),
                        held=invoice.currency.round(held)))

    @classmethod
    def approval_submitted(cls, requests):
        super().approval_submitted(requests)
        cls.check_open(requests)
        cls.set_number(requests)
        cls.write(requests, {'state': 'waiting'})

    @classmethod
    def approval_decided(cls, requests, decision):
        super().approval_decided(requests, decision)
        cls.write(requests, {
                'state': 'approved' if decision == 'approve' else 'draft',
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, requests):
        cls.write(requests, {'approval_state': 'draft',
                'approval_request': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requests):
        pass

    @classmethod
    @ModelView.button
    def pay(cls, requests):
        "Finance pays the approved requests: the invoices are paid"
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        Invoice = pool.get('account.invoice')
        MoveLine = pool.get('account.move.line')
        RequestLine = pool.get('dealer.payment.request.line')
        Date = pool.get('ir.date')
        lock_rows(requests)
        requests = cls.browse(requests)
        for request in requests:
            # Pressed twice, or by two clerks at once: the second finds it
            # paid.
            if request.state != 'approved':
                raise PaymentRequestError(gettext(
                        'dealer_finance.msg_payment_request_not_approved',
                        request=request.rec_name))
        cls.check_open(requests)
        methods = {}
        for request in requests:
            method = request.payment_method or Settings.for_company(
                request.company).payment_method
            if not method:
                raise PaymentRequestError(gettext(
                        'dealer_finance.msg_payment_request_method',
                        request=request.rec_name))
            methods[request] = method
        for request in requests:
            method = methods[request]
            with Transaction().set_context(company=request.company.id):
                date = request.payment_date or Date.today()
            for line in request.lines:
                invoice = Invoice(line.invoice.id)
                # As Tryton's pay wizard: reconcile when this pays it off.
                to_reconcile, remainder = (
                    invoice.get_reconcile_lines_for_amount(
                        -line.amount, invoice.currency))
                payment_lines = invoice.pay_invoice(
                    line.amount, method, date, description=request.rec_name)
                if not remainder:
                    MoveLine.reconcile(to_reconcile + payment_lines)
                line.payment_lines = payment_lines
            request.payment_method = method
            request.payment_date = date
            request.state = 'paid'
        RequestLine.save([l for r in requests for l in r.lines])
        cls.save(requests)


class PaymentRequestLine(DraftLinesMixin, ModelSQL, ModelView):
    __name__ = 'dealer.payment.request.line'
    __string__ = "Payment Request Line"
    _document_field = 'request'
    _frozen_message = ('dealer_finance.msg_payment_request_modify', 'request')
    _frozen_fields = {'invoice', 'amount', 'request'}
    request = fields.Many2One(
        'dealer.payment.request', "Request", required=True,
        ondelete='CASCADE')
    invoice = fields.Many2One(
        'account.invoice', "Payable", required=True,
        domain=[
            ('type', '=', 'in'),
            ('state', '=', 'posted'),
            ('company', '=', Eval('_parent_request', {}).get('company', -1)),
            ('party', '=', Eval('_parent_request', {}).get('supplier', -1)),
            ],
        states={
            'readonly': Eval('request_state', 'draft') != 'draft',
            })
    amount_to_pay = fields.Function(Monetary(
            "Open Amount", currency='currency', digits='currency'),
        'on_change_with_amount_to_pay')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)],
        states={
            'readonly': Eval('request_state', 'draft') != 'draft',
            })
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    request_state = fields.Function(fields.Selection(
            'get_request_states', "Request State"),
        'on_change_with_request_state')
    payment_lines = fields.Many2Many(
        'dealer.payment.request.line-account.move.line', 'request_line',
        'move_line', "Payment Lines", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.invoice, Index.Range())))

    @classmethod
    def get_request_states(cls):
        pool = Pool()
        Request = pool.get('dealer.payment.request')
        return Request.state.selection

    @fields.depends('request', '_parent_request.state')
    def on_change_with_request_state(self, name=None):
        return self.request.state if self.request else None

    @fields.depends('request', '_parent_request.currency')
    def on_change_with_currency(self, name=None):
        return self.request.currency if self.request else None

    @fields.depends('invoice')
    def on_change_with_amount_to_pay(self, name=None):
        return self.invoice.amount_to_pay if self.invoice else None

    @classmethod
    def held_amount(cls, invoice, exclude_requests=()):
        "What the submitted requests, but these, hold of the payable"
        lines = cls.search([
                ('invoice', '=', invoice.id),
                ('request.state', 'in', HOLDING),
                ('request', 'not in', list(exclude_requests)),
                ])
        return sum((l.amount for l in lines), Decimal(0))

    @fields.depends('invoice', 'amount', 'request', '_parent_request.id')
    def on_change_invoice(self):
        # What is left to request: the open amount less what submitted
        # requests already hold.
        if self.invoice and not self.amount:
            exclude = [self.request.id] if (
                self.request and (self.request.id or -1) >= 0) else []
            left = self.invoice.amount_to_pay - self.held_amount(
                self.invoice, exclude)
            self.amount = self.invoice.currency.round(max(left, Decimal(0)))


class PaymentRequestLineMoveLine(ModelSQL):
    __name__ = 'dealer.payment.request.line-account.move.line'
    request_line = fields.Many2One(
        'dealer.payment.request.line', "Request Line", required=True,
        ondelete='CASCADE')
    move_line = fields.Many2One(
        'account.move.line', "Move Line", required=True, ondelete='CASCADE')


class PaymentRequestReport(
        ApprovalLogReportMixin, PDFWhenAvailableMixin, Report):
    __name__ = 'dealer.payment.request'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        return context
