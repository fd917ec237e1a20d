# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Buyback (回购, R-LEA-04): when a financed customer defaults, the dealer
who guaranteed the loan buys the machine back by paying the institution
what the customer still owes.

Finance registers the buyback on the contract in default (the amount owed,
the date) and submits it for approval.  Once approved, the amount is
booked as a posted supplier invoice of the institution (the payable) and a
payment request for it goes to approval (dealer_finance).  When finance
pays that request, the machine comes back: an incoming stock move from the
customer to the warehouse, done; the machine is marked repossessed, its
booking released, the contract bought back and its plan ended.  Each step
goes on the customer's timeline."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.document import NumberedMixin
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import BuybackError


class Buyback(NumberedMixin, SubmittedFrozenMixin, ApprovalMixin, OwnedMixin,
        Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.buyback'
    __string__ = "Buyback"
    _number_sequence = ('dealer_leasing', 'sequence_buyback')
    _number_settings = ('dealer.leasing.settings', 'buyback_sequence')
    _states = {'readonly': Eval('state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    contract = fields.Many2One(
        'dealer.finance.contract', "Finance Contract", required=True,
        states=_states,
        domain=[('company', '=', Eval('company', -1))])
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_customer', searcher='search_contract_field')
    machine = fields.Function(fields.Many2One('stock.lot', "Machine"),
        'on_change_with_machine', searcher='search_contract_field')
    institution = fields.Function(fields.Many2One(
            'party.party', "Financing Institution",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_institution', searcher='search_contract_field')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary(
        "Amount Owed", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('amount', '>', 0)],
        help="What the customer still owes the institution: the dealer "
        "pays it.")
    date = fields.Date("Date", required=True, states=_states)
    warehouse = fields.Many2One(
        'stock.location', "Warehouse", required=True, states=_states,
        domain=[('type', '=', 'warehouse')],
        help="Where the machine comes back to.")
    reason = fields.Text("Reason", states=_states)
    invoice = fields.Many2One(
        'account.invoice', "Payable", readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    payment_request = fields.Many2One(
        'dealer.payment.request', "Payment Request", readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    move = fields.Many2One(
        'stock.move', "Return Move", readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting for Approval"),
            ('approved', "Approved"),
            ('done', "Done"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.owner.string = "Registered By"
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.contract, Index.Range())),
                Index(t, (t.payment_request, Index.Range())),
                })
        cls._transitions |= {
            ('approved', 'done'),
            }

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('contract', '_parent_contract.customer')
    def on_change_with_customer(self, name=None):
        return self.contract.customer if self.contract else None

    @fields.depends('contract', '_parent_contract.machine')
    def on_change_with_machine(self, name=None):
        return self.contract.machine if self.contract else None

    @fields.depends('contract', '_parent_contract.institution')
    def on_change_with_institution(self, name=None):
        return self.contract.institution if self.contract else None

    @fields.depends('contract', '_parent_contract.currency')
    def on_change_with_currency(self, name=None):
        return self.contract.currency if self.contract else None

    @classmethod
    def search_contract_field(cls, name, clause):
        return [('contract.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('contract', 'warehouse', 'amount')
    def on_change_contract(self):
        if not self.contract:
            return
        machine = self.contract.machine
        if not self.warehouse and machine.warehouse:
            self.warehouse = machine.warehouse
        plan = self.contract.plan
        if self.amount is None and plan:
            self.amount = plan.unpaid_amount

    def get_rec_name(self, name):
        return self.number or '(%s)' % self.id

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('contract.rec_name', operator, value),
            ]

    def get_approval_amount(self):
        return self.amount

    @classmethod
    def validate_fields(cls, buybacks, field_names):
        super().validate_fields(buybacks, field_names)
        if field_names and not (field_names & {'company', 'contract'}):
            return
        for buyback in buybacks:
            if buyback.state == 'draft':
                buyback.check_contract()

    def check_contract(self):
        "Only a contract in default of the company"
        contract = self.contract
        if contract.company != self.company:
            raise BuybackError(gettext(
                    'dealer_leasing.msg_buyback_company',
                    buyback=self.rec_name, contract=contract.rec_name,
                    company=self.company.rec_name))
        if contract.state != 'defaulted':
            raise BuybackError(gettext(
                    'dealer_leasing.msg_buyback_contract_state',
                    buyback=self.rec_name, contract=contract.rec_name,
                    state=contract.state_string))
        contract.machine.check_company(self.company, self)

    def check_unique(self):
        "One buyback of a contract at a time"
        others = self.search([
                ('contract', '=', self.contract.id),
                ('state', 'in', ['waiting', 'approved', 'done']),
                ('id', '!=', self.id),
                ], limit=1)
        if others:
            other, = others
            raise BuybackError(gettext(
                    'dealer_leasing.msg_buyback_duplicate',
                    buyback=self.rec_name, contract=self.contract.rec_name,
                    other=other.rec_name))

    @classmethod
    def check_modification(cls, mode, buybacks, values=None,
            external=False):
        super().check_modification(
            mode, buybacks, values=values, external=external)
        if mode == 'delete':
            for buyback in buybacks:
                if buyback.state != 'draft':
                    raise AccessError(gettext(
                            'dealer_leasing.msg_buyback_delete',
                            buyback=buyback.rec_name))

    @classmethod
    def copy(cls, buybacks, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'invoice', 'payment_request', 'move']:
            default.setdefault(name)
        default.setdefault('state', 'draft')
        return super().copy(buybacks, default=default)

    @classmethod
    def post_event(cls, buybacks, message):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        for buyback in buybacks:
            Event.post(buyback.customer, 'buyback', gettext(message,
                    buyback=buyback.rec_name,
                    contract=buyback.contract.rec_name,
                    machine=buyback.machine.rec_name,
                    institution=buyback.institution.rec_name,
                    amount=buyback.amount,
                    warehouse=buyback.warehouse.rec_name),
                origin=buyback, company=buyback.company)

    @classmethod
    def approval_submitted(cls, buybacks):
        pool = Pool()
        Contract = pool.get('dealer.finance.contract')
        super().approval_submitted(buybacks)
        # Two buybacks of one contract submitted at once: the second waits
        # and then sees the first.
        lock_rows(Contract.browse({b.contract.id for b in buybacks}),
            changed=True)
        for buyback in buybacks:
            buyback.check_contract()
            buyback.check_unique()
        cls.set_number(buybacks)
        cls.write(buybacks, {'state': 'waiting'})
        cls.post_event(buybacks, 'dealer_leasing.msg_buyback_registered_event')

    @classmethod
    def approval_decided(cls, buybacks, decision):
        super().approval_decided(buybacks, decision)
        if decision == 'approve':
            cls.book(buybacks)
            cls.post_event(buybacks,
                'dealer_leasing.msg_buyback_approved_event')
        else:
            cls.write(buybacks, {'state': 'draft'})
            cls.post_event(buybacks,
                'dealer_leasing.msg_buyback_rejected_event')

    @classmethod
    def book(cls, buybacks):
        """Book the payable to the institution and ask for its payment"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Request = pool.get('dealer.payment.request')
        RequestLine = pool.get('dealer.payment.request.line')
        for buyback in buybacks:
            # The contract may have changed while the buyback waited.
            buyback.check_contract()
        invoices = [b.get_invoice() for b in buybacks]
        Invoice.save(invoices)
        Invoice.post(invoices)
        requests = []
        for buyback, invoice in zip(buybacks, invoices):
            buyback.invoice = invoice
            requests.append(Request(company=buyback.company,
                    supplier=buyback.institution,
                    currency=buyback.currency,
                    owner=buyback.owner,
                    description=invoice.description,
                    lines=[RequestLine(invoice=invoice,
                            amount=buyback.amount)]))
        Request.save(requests)
        for buyback, request in zip(buybacks, requests):
            buyback.payment_request = request
            buyback.state = 'approved'
        cls.save(buybacks)
        # The payment is asked by whoever registered the buyback, not by
        # its approver (who may have to approve the payment too).
        by_requester = defaultdict(list)
        for buyback, request in zip(buybacks, requests):
            by_requester[buyback.approval_request.requester.id].append(
                request)
        for user_id, user_requests in by_requester.items():
            with Transaction().set_user(user_id):
                Request.approval_submit(user_requests)

    def get_invoice(self):
        "The unsaved supplier invoice of the amount owed to the institution"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        Settings = pool.get('dealer.leasing.settings')
        settings = Settings.for_company(self.company)
        machine = self.machine
        account = settings.buyback_account
        if not account:
            with Transaction().set_context(company=self.company.id):
                try:
                    account = machine.product.account_expense_used
                except Exception:
                    account = None
        if not account:
            raise BuybackError(gettext(
                    'dealer_leasing.msg_buyback_account',
                    buyback=self.rec_name,
                    company=self.company.rec_name))
        description = gettext('dealer_leasing.msg_buyback_description',
            buyback=self.rec_name, contract=self.contract.rec_name,
            machine=machine.rec_name)
        invoice = Invoice(company=self.company, type='in',
            party=self.institution, invoice_date=self.date,
            currency=self.currency, description=description,
            reference=self.rec_name)
        with Transaction().set_context(company=self.company.id):
            invoice.on_change_type()
        invoice.lines = [Line(type='line', company=self.company,
                currency=self.currency, account=account,
                description=description, quantity=1,
                unit_price=self.amount)]
        return invoice

    @classmethod
    @Workflow.transition('done')
    def complete(cls, buybacks):
        """The institution is paid: the machine comes back into stock,
        repossessed, and the contract is bought back"""
        pool = Pool()
        Contract = pool.get('dealer.finance.contract')
        Move = pool.get('stock.move')
        Lot = pool.get('stock.lot')
        Date = pool.get('ir.date')
        cls.post_event(buybacks, 'dealer_leasing.msg_buyback_paid_event')
        moves = []
        for buyback in buybacks:
            with Transaction().set_context(company=buyback.company.id):
                today = Date.today()
            buyback.move = buyback.get_move(today)
            moves.append(buyback.move)
        Move.save(moves)
        cls.save(buybacks)
        Contract.buy_back([b.contract for b in buybacks])
        Move.do(moves)
        lots = Lot.browse([b.machine.id for b in buybacks])
        for lot in lots:
            lot.repossessed = True
        Lot.save(lots)
        cls.post_event(buybacks, 'dealer_leasing.msg_buyback_returned_event')

    def get_move(self, date):
        "The unsaved move of the machine from the customer to the warehouse"
        pool = Pool()
        Move = pool.get('stock.move')
        ModelData = pool.get('ir.model.data')
        Location = pool.get('stock.location')
        machine = self.machine
        product = machine.product
        customer_location = self.customer.customer_location or Location(
            ModelData.get_id('stock', 'location_customer'))
        return Move(company=self.company, product=product,
            unit=product.default_uom, quantity=1, lot=machine,
            from_location=customer_location,
            to_location=self.warehouse.storage_location,
            planned_date=date, effective_date=date,
            unit_price=self.amount, currency=self.currency, origin=self)


class PaymentRequest(metaclass=PoolMeta):
    __name__ = 'dealer.payment.request'

    @classmethod
    @ModelView.button
    def pay(cls, requests):
        pool = Pool()
        Buyback = pool.get('dealer.buyback')
        super().pay(requests)
        buybacks = Buyback.search([
                ('payment_request', 'in', [r.id for r in requests]),
                ('state', '=', 'approved'),
                ])
        if buybacks:
            Buyback.complete(buybacks)


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.buyback']
