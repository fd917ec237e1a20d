# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Equipment finance contracts (按揭/融资, R-LEA-03): a customer buys a
machine with a loan from a financing institution (a bank, a leasing
company); the dealer records the contract, usually guarantees it, follows
the customer's instalments to the institution in a payment plan of
dealer_finance and records the overdue notices the institution sends.

Instalment schedule (equal instalments, the annuity formula)
------------------------------------------------------------

With P the financed amount (price − down payment), n the term in months
and r the monthly rate (annual rate in percent / 12 / 100), the monthly
payment is::

    A = P · r / (1 − (1 + r)^−n)        (r > 0)
    A = P / n                           (r = 0)

rounded to the currency.  The schedule is then amortised month by month:
the interest of a month is the balance still financed times r, rounded
to the currency; the principal repaid is A minus that interest.  The last
instalment is what is left of the balance plus its interest, so it absorbs
every rounding and the schedule repays exactly P (the instalments add up
to P plus the rounded interests).  Example: 300,000.00 at 6 % over 36
months gives A = 300,000 × 0.005 / (1 − 1.005^−36) = 9,126.58; the first
instalment is 1,500.00 interest and 7,626.58 principal, the 36th is
9,126.62 and the interest over the contract 28,556.92.

The instalments fall due monthly from the first due date, on its day of
the month (the month's last day when shorter).  The plan's penalty terms
are the company's when the dealer carries the overdue penalties, none
(a zero rate) otherwise."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.document import (
    NumberedMixin, company_currency)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.modules.dealer_finance.plan import add_months
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import FinanceContractError

GUARANTEES = [
    ('none', "None"),
    ('joint_liability', "Joint Liability"),
    ('buyback', "Buyback Commitment"),
    ]
# What a client may still change once the contract is confirmed
EDITABLE_AFTER_DRAFT = {'owner', 'guarantee_note', 'notices'}


def annuity_schedule(principal, annual_rate, months, round_):
    """Return the (amount, principal, interest) of each monthly instalment
    of `principal` at `annual_rate` percent over `months` (see the module's
    documentation); `round_` rounds to the currency"""
    rate = Decimal(annual_rate) / 1200
    if rate:
        payment = round_(principal * rate / (1 - (1 + rate) ** -months))
    else:
        payment = round_(principal / months)
    balance, schedule = principal, []
    for i in range(months):
        interest = round_(balance * rate)
        if i < months - 1:
            amount = payment
        else:
            amount = balance + interest
        repaid = amount - interest
        balance -= repaid
        schedule.append((amount, repaid, interest))
    return schedule


class FinanceContract(
        NumberedMixin, OwnedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.finance.contract'
    __string__ = "Finance Contract"
    _number_sequence = ('dealer_leasing', 'sequence_finance_contract')
    _number_settings = ('dealer.leasing.settings', 'finance_contract_sequence')
    _states = {'readonly': Eval('state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    customer = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        domain=[('is_customer', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    contact_person = fields.Many2One(
        'party.party', "Contact Person", states=_states,
        domain=[('is_contact', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="Linked to the customer when the contract is confirmed.")
    machine = fields.Many2One(
        'stock.lot', "Machine", required=True, states=_states,
        domain=[('machine', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    sale = fields.Many2One(
        'sale.sale', "Sale", states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('customer'), ('party', '=', Eval('customer', -1)), ()),
            ],
        help="The sale the machine was sold on.")
    institution = fields.Many2One(
        'party.party', "Financing Institution", required=True,
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    price = Monetary(
        "Price", currency='currency', digits='currency', required=True,
        states=_states,
        domain=[('price', '>', 0)])
    down_payment = Monetary(
        "Down Payment", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[
            ('down_payment', '>=', 0),
            ('down_payment', '<=', Eval('price', 0)),
            ])
    financed_amount = fields.Function(Monetary(
            "Financed Amount", currency='currency', digits='currency'),
        'on_change_with_financed_amount')
    term_months = fields.Integer(
        "Term (Months)", required=True, states=_states,
        domain=[('term_months', '>', 0)])
    annual_rate = fields.Numeric(
        "Annual Rate (%)", digits=(16, 4), required=True, states=_states,
        domain=[('annual_rate', '>=', 0)])
    start_date = fields.Date("Contract Date", required=True, states=_states)
    first_due_date = fields.Date(
        "First Due Date", required=True, states=_states,
        domain=[If(Eval('start_date') & Eval('first_due_date'),
                ('first_due_date', '>=', Eval('start_date')),
                ())],
        help="The later instalments fall due on the same day of the "
        "following months.")
    instalment_amount = fields.Function(Monetary(
            "Monthly Instalment", currency='currency', digits='currency'),
        'on_change_with_instalment_amount')
    total_interest = fields.Function(Monetary(
            "Total Interest", currency='currency', digits='currency'),
        'on_change_with_total_interest')
    guarantee = fields.Selection(
        GUARANTEES, "Dealer's Guarantee", required=True, states=_states)
    guarantee_amount = Monetary(
        "Guaranteed Amount", currency='currency', digits='currency',
        domain=['OR',
            ('guarantee_amount', '=', None),
            ('guarantee_amount', '>=', 0),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('guarantee') == 'none',
            })
    guarantee_note = fields.Text("Guarantee Terms",
        states={
            'invisible': Eval('guarantee') == 'none',
            })
    dealer_carries_penalty = fields.Boolean(
        "Dealer Carries Penalties", states=_states,
        help="The overdue instalments bear the company's penalty terms "
        "(else no penalty accrues on the plan).")
    plan = fields.Many2One(
        'dealer.payment.plan', "Payment Plan", readonly=True)
    instalments = fields.Function(fields.Many2Many(
            'dealer.payment.plan.line', None, None, "Instalments"),
        'get_instalments')
    notices = fields.One2Many(
        'dealer.finance.overdue.notice', 'contract', "Overdue Notices",
        states={
            'readonly': ~Eval('state').in_(['active', 'defaulted']),
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('active', "Active"),
            ('defaulted', "In Default"),
            ('bought_back', "Bought Back"),
            ('paid_off', "Paid Off"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls.owner.string = "Salesperson"
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.machine, Index.Range())),
                Index(t, (t.customer, Index.Range())),
                })
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'defaulted'),
            ('defaulted', 'active'),
            ('defaulted', 'bought_back'),
            ('active', 'paid_off'),
            ('draft', 'cancelled'),
            ('active', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'declare_default': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-warning',
                    'depends': ['state'],
                    },
                'reinstate': {
                    'invisible': Eval('state') != 'defaulted',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'pay_off': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'active']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

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
    def default_down_payment(cls):
        return Decimal(0)

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_guarantee(cls):
        return 'buyback'

    @classmethod
    def default_dealer_carries_penalty(cls):
        return False

    @fields.depends('price', 'down_payment')
    def on_change_with_financed_amount(self, name=None):
        if self.price is not None:
            return self.price - (self.down_payment or 0)

    def schedule(self):
        "The (amount, principal, interest) of each instalment, or []"
        financed = self.on_change_with_financed_amount()
        if (not financed or financed <= 0 or not self.term_months
                or self.term_months <= 0 or self.annual_rate is None
                or self.annual_rate < 0 or not self.currency):
            return []
        return annuity_schedule(financed, self.annual_rate,
            self.term_months, self.currency.round)

    @fields.depends('price', 'down_payment', 'term_months', 'annual_rate',
        'currency')
    def on_change_with_instalment_amount(self, name=None):
        schedule = self.schedule()
        if schedule:
            return schedule[0][0]

    @fields.depends('price', 'down_payment', 'term_months', 'annual_rate',
        'currency')
    def on_change_with_total_interest(self, name=None):
        schedule = self.schedule()
        if schedule:
            return sum(i for _, _, i in schedule)

    @fields.depends('sale', 'customer', 'currency', 'company')
    def on_change_sale(self):
        if self.sale:
            self.customer = self.sale.party
            self.currency = self.sale.currency

    def get_instalments(self, name):
        return [l.id for l in self.plan.lines] if self.plan else []

    def get_rec_name(self, name):
        label = self.number or '(%s)' % self.id
        return '%s %s' % (label, self.customer.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('customer.name', operator, value),
            ('machine.number', operator, value),
            ]

    @classmethod
    def validate_fields(cls, contracts, field_names):
        super().validate_fields(contracts, field_names)
        if field_names and not (
                field_names & {'company', 'annual_rate', 'machine'}):
            return
        for contract in contracts:
            if contract.state == 'draft':
                contract.check_terms()

    def check_terms(self):
        """Refuse a rate above the company's bound and a machine of another
        company (the domains of the fields refuse the other bad terms)"""
        pool = Pool()
        Settings = pool.get('dealer.leasing.settings')
        bound = Settings.for_company(self.company).max_annual_rate
        if self.annual_rate > bound:
            raise FinanceContractError(gettext(
                    'dealer_leasing.msg_finance_rate_bound',
                    contract=self.rec_name, rate=self.annual_rate,
                    bound=bound, company=self.company.rec_name))
        self.machine.check_company(self.company, self)

    @classmethod
    def check_modification(cls, mode, contracts, values=None,
            external=False):
        super().check_modification(
            mode, contracts, values=values, external=external)
        if not external:
            return
        if mode == 'write' and set(values) - EDITABLE_AFTER_DRAFT:
            for contract in contracts:
                if contract.state != 'draft':
                    raise AccessError(gettext(
                            'dealer_leasing.msg_finance_modify',
                            contract=contract.rec_name))
        if mode == 'delete':
            for contract in contracts:
                if contract.state not in {'draft', 'cancelled'} or (
                        contract.plan):
                    raise AccessError(gettext(
                            'dealer_leasing.msg_finance_delete',
                            contract=contract.rec_name))

    @classmethod
    def copy(cls, contracts, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'plan', 'notices']:
            default.setdefault(name)
        return super().copy(contracts, default=default)

    def get_plan(self):
        "An unsaved running-to-be payment plan of the instalments"
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        Line = pool.get('dealer.payment.plan.line')
        schedule = self.schedule()
        lines = []
        for i, (amount, principal, interest) in enumerate(schedule):
            due_date = self.first_due_date if i == 0 else add_months(
                self.first_due_date, i, self.first_due_date.day)
            lines.append(Line(sequence=i + 1, due_date=due_date,
                    amount=amount,
                    description=gettext(
                        'dealer_leasing.msg_finance_instalment',
                        number=i + 1, count=len(schedule),
                        principal=principal, interest=interest)))
        return Plan(company=self.company, customer=self.customer,
            origin=self, currency=self.currency, owner=self.owner,
            total_amount=sum(l.amount for l in lines),
            penalty_rate=None if self.dealer_carries_penalty else Decimal(0),
            lines=lines)

    def _booking(self):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        return Booking(machine=self.machine, company=self.company,
            kind='finance', start=self.start_date, end=None, until=None,
            origin=self, customer=self.customer)

    def _origins(self):
        "The documents whose bookings hold the machine for the contract"
        return [self] + ([self.sale] if self.sale else [])

    @classmethod
    def post_event(cls, contracts, message, **values):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        for contract in contracts:
            Event.post(contract.customer, 'finance', gettext(
                    message, contract=contract.rec_name,
                    machine=contract.machine.rec_name,
                    institution=contract.institution.rec_name, **values),
                origin=contract, company=contract.company)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, contracts):
        cls.write(contracts, {'plan': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def confirm(cls, contracts):
        """Book the machine, create and run the plan of the instalments,
        link the contact person to the customer"""
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Plan = pool.get('dealer.payment.plan')
        Link = pool.get('dealer.contact.link')
        for contract in contracts:
            contract.check_terms()
            if contract.on_change_with_financed_amount() <= 0:
                raise FinanceContractError(gettext(
                        'dealer_leasing.msg_finance_nothing_financed',
                        contract=contract.rec_name))
        bookings = []
        for contract in contracts:
            # A machine sold on the contract's sale is already held by it.
            if not (contract.sale and Booking.search([
                            ('origin', '=', str(contract.sale)),
                            ('machine', '=', contract.machine.id),
                            ], limit=1)):
                bookings.append(contract._booking())
        Booking.book(bookings)
        cls.set_number(contracts)
        plans = [c.get_plan() for c in contracts]
        Plan.save(plans)
        Plan.run(plans)
        for contract, plan in zip(contracts, plans):
            contract.plan = plan
            if contract.contact_person:
                Link.link(contract.customer, contract.contact_person,
                    contract)
        cls.save(contracts)
        for contract in contracts:
            cls.post_event([contract],
                'dealer_leasing.msg_finance_confirmed_event',
                amount=contract.on_change_with_financed_amount(),
                months=contract.term_months, rate=contract.annual_rate,
                instalment=contract.on_change_with_instalment_amount())

    @classmethod
    @ModelView.button
    @Workflow.transition('defaulted')
    def declare_default(cls, contracts):
        cls.post_event(contracts, 'dealer_leasing.msg_finance_defaulted_event')

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def reinstate(cls, contracts):
        pool = Pool()
        Buyback = pool.get('dealer.buyback')
        pending = Buyback.search([
                ('contract', 'in', [c.id for c in contracts]),
                ('state', 'in', ['waiting', 'approved', 'done']),
                ], limit=1)
        if pending:
            buyback, = pending
            raise FinanceContractError(gettext(
                    'dealer_leasing.msg_finance_reinstate_buyback',
                    contract=buyback.contract.rec_name,
                    buyback=buyback.rec_name))
        cls.post_event(contracts,
            'dealer_leasing.msg_finance_reinstated_event')

    @classmethod
    @ModelView.button
    @Workflow.transition('paid_off')
    def pay_off(cls, contracts):
        "The customer paid the institution off: the plan is closed"
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        plans = [c.plan for c in contracts
            if c.plan and c.plan.state == 'running']
        if plans:
            Plan.close(plans)
        cls.post_event(contracts, 'dealer_leasing.msg_finance_paid_off_event')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, contracts):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Plan = pool.get('dealer.payment.plan')
        active = [c for c in contracts if c.state == 'active']
        plans = [c.plan for c in contracts
            if c.plan and c.plan.state in {'draft', 'running'}]
        if plans:
            Plan.cancel(plans)
        Booking.release(contracts)
        cls.post_event(active, 'dealer_leasing.msg_finance_cancelled_event')

    @classmethod
    @Workflow.transition('bought_back')
    def buy_back(cls, contracts):
        """The dealer paid the institution and took the machine back: the
        plan ends and the machine is free"""
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        Plan = pool.get('dealer.payment.plan')
        to_cancel, to_close = [], []
        for contract in contracts:
            plan = contract.plan
            if plan and plan.state in {'draft', 'running'}:
                # What the customer paid stays on record: that plan closes.
                if plan.receipts and plan.state == 'running':
                    to_close.append(plan)
                else:
                    to_cancel.append(plan)
        if to_cancel:
            Plan.cancel(to_cancel)
        if to_close:
            Plan.close(to_close)
        Booking.release([o for c in contracts for o in c._origins()])


class OverdueNotice(Workflow, ModelSQL, ModelView):
    "An overdue notice the financing institution sent on an instalment"
    __name__ = 'dealer.finance.overdue.notice'
    __string__ = "Overdue Notice"
    _states = {'readonly': Eval('state') != 'draft'}
    contract = fields.Many2One(
        'dealer.finance.contract', "Finance Contract", required=True,
        ondelete='CASCADE', states=_states,
        domain=[('state', 'in', ['active', 'defaulted'])])
    plan = fields.Function(fields.Many2One(
            'dealer.payment.plan', "Payment Plan"),
        'on_change_with_plan')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    instalment = fields.Many2One(
        'dealer.payment.plan.line', "Instalment", required=True,
        states=_states,
        domain=[('plan', '=', Eval('plan', -1))])
    date = fields.Date("Notice Date", required=True, states=_states)
    days_overdue = fields.Integer(
        "Days Overdue", required=True, states=_states,
        domain=[('days_overdue', '>=', 0)])
    amount_overdue = Monetary(
        "Amount Overdue", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('amount_overdue', '>', 0)])
    declares_default = fields.Boolean(
        "Declares Default", states=_states,
        help="The institution declares the contract in default: posting "
        "the notice puts the contract in default.")
    note = fields.Text("Note", states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('contract')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.contract, Index.Range()),
                (t.date, Index.Range())))
        cls._transitions |= {('draft', 'posted')}
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_days_overdue(cls):
        return 0

    @classmethod
    def default_declares_default(cls):
        return False

    @fields.depends('contract', '_parent_contract.plan')
    def on_change_with_plan(self, name=None):
        return self.contract.plan if self.contract else None

    @fields.depends('contract', '_parent_contract.company')
    def on_change_with_company(self, name=None):
        return self.contract.company if self.contract else None

    @fields.depends('contract', '_parent_contract.currency')
    def on_change_with_currency(self, name=None):
        return self.contract.currency if self.contract else None

    @fields.depends('instalment', 'date', 'amount_overdue', 'days_overdue')
    def on_change_instalment(self):
        if self.instalment:
            if not self.amount_overdue:
                self.amount_overdue = self.instalment.unpaid_amount
            if self.date and self.instalment.due_date < self.date:
                self.days_overdue = (
                    self.date - self.instalment.due_date).days

    def get_rec_name(self, name):
        return '%s %s' % (self.contract.rec_name, self.date)

    @classmethod
    def check_modification(cls, mode, notices, values=None, external=False):
        super().check_modification(
            mode, notices, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for notice in notices:
                if notice.state == 'posted':
                    raise AccessError(gettext(
                            'dealer_leasing.msg_finance_notice_modify',
                            notice=notice.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, notices):
        "The notice goes on the customer's timeline (and may default)"
        pool = Pool()
        Contract = pool.get('dealer.finance.contract')
        Event = pool.get('dealer.customer.event')
        for notice in notices:
            contract = notice.contract
            if contract.state not in {'active', 'defaulted'}:
                raise FinanceContractError(gettext(
                        'dealer_leasing.msg_finance_notice_state',
                        notice=notice.rec_name, contract=contract.rec_name))
            Event.post(contract.customer, 'finance', gettext(
                    'dealer_leasing.msg_finance_notice_event',
                    contract=contract.rec_name,
                    institution=contract.institution.rec_name,
                    instalment=notice.instalment.rec_name,
                    amount=notice.amount_overdue,
                    days=notice.days_overdue),
                origin=notice, company=contract.company)
        to_default = {n.contract for n in notices
            if n.declares_default and n.contract.state == 'active'}
        if to_default:
            Contract.declare_default(list(to_default))


class Plan(metaclass=PoolMeta):
    __name__ = 'dealer.payment.plan'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['dealer.finance.contract']

    @classmethod
    def origin_total(cls, origin):
        if origin.__name__ == 'dealer.finance.contract':
            schedule = origin.schedule()
            if schedule:
                return sum(a for a, _, _ in schedule)
            return None
        return super().origin_total(origin)


class Booking(metaclass=PoolMeta):
    __name__ = 'dealer.machine.booking'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['dealer.finance.contract']


class ContactLink(metaclass=PoolMeta):
    __name__ = 'dealer.contact.link'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['dealer.finance.contract']


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.extend([
                ('finance', "Equipment Finance"),
                ('buyback', "Buyback"),
                ])
