# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Payment plans (回款计划, R-FIN-01): the instalments a customer owes on a
contract, the money received against them (oldest first) and the
reminders before and after each due date."""
import calendar
import datetime as dt
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.currency.exceptions import RateError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.document import (
    NumberedMixin, company_currency, company_today)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import PlanError
from .settings import PENALTY_TERMS, PenaltyTermsMixin

INSTALMENT_STATES = [
    ('open', "Open"),
    ('partial', "Partially Paid"),
    ('paid', "Paid"),
    ('overdue', "Overdue"),
    ('cancelled', "Cancelled"),
    ]


def add_months(date, months, day):
    "The date `months` after `date`'s month, on `day` (or the month's end)"
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class Plan(NumberedMixin, PenaltyTermsMixin, OwnedMixin, Workflow, ModelSQL,
        ModelView):
    __name__ = 'dealer.payment.plan'
    __string__ = "Payment Plan"
    _number_sequence = ('dealer_finance', 'sequence_payment_plan')
    _number_settings = ('dealer.finance.settings', 'payment_plan_sequence')
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
    origin = fields.Reference(
        "Contract", selection='get_origins', states=_states,
        domain={
            'sale.sale': [
                ('company', '=', Eval('company', -1)),
                ('party', '=', Eval('customer', -1)),
                ],
            })
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    total_amount = Monetary(
        "Contract Total", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('total_amount', '>', 0)])
    lines = fields.One2Many(
        'dealer.payment.plan.line', 'plan', "Instalments", states=_states,
        order=[('sequence', 'ASC NULLS LAST'), ('due_date', 'ASC'),
            ('id', 'ASC')])
    paid_amount = fields.Function(Monetary(
            "Received", currency='currency', digits='currency'),
        'get_amounts')
    unpaid_amount = fields.Function(Monetary(
            "Still Due", currency='currency', digits='currency'),
        'get_amounts')
    overdue_amount = fields.Function(Monetary(
            "Overdue", currency='currency', digits='currency'),
        'get_amounts')
    penalty_amount = fields.Function(Monetary(
            "Penalty Due", currency='currency', digits='currency'),
        'get_amounts')
    receipts = fields.One2Many(
        'dealer.payment.receipt', 'plan', "Receipts", readonly=True)
    penalty_compound = fields.Selection([
            (None, "Company's Setting"),
            ('yes', "Yes"),
            ('no', "No"),
            ], "Penalty on Penalty", sort=False)
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('closed', "Closed"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low'))))
        for name in ['penalty_rate', 'grace_days', 'penalty_minimum',
                'penalty_cap', 'penalty_compound', 'owner']:
            field = getattr(cls, name)
            field.states = {'readonly': Eval('state').in_(
                    ['closed', 'cancelled'])}
            if name.startswith('penalty') or name == 'grace_days':
                field.help = (field.help or '') + (
                    "\nEmpty: the company's setting.")
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'draft'),
            ('running', 'closed'),
            ('closed', 'running'),
            ('draft', 'cancelled'),
            ('running', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(['running', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'run': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'running']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'generate': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'charge_penalties': {
                    'invisible': Eval('state') != 'running',
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
    def default_penalty_compound(cls):
        return None

    @classmethod
    def _get_origins(cls):
        "Models whose documents carry a payment plan"
        return ['sale.sale']

    @classmethod
    def get_origins(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m))
            for m in cls._get_origins()]

    @fields.depends('origin', 'customer', 'company', 'currency', 'owner',
        'total_amount')
    def on_change_origin(self):
        origin = self.origin
        if not origin or origin.id is None or origin.id < 0:
            return
        self.company = origin.company
        self.customer = getattr(origin, 'invoice_party', None) or getattr(
            origin, 'party', None) or getattr(origin, 'customer', None)
        self.currency = origin.currency
        owner = getattr(origin, 'owner', None)
        if owner:
            self.owner = owner
        total = self.origin_total(origin)
        if total is not None:
            self.total_amount = total

    @classmethod
    def origin_total(cls, origin):
        "The amount the customer owes on the contract"
        if origin.__name__ == 'sale.sale':
            return origin.total_amount

    def get_rec_name(self, name):
        label = self.number or str(self.id)
        if self.origin:
            return '%s (%s)' % (label, self.origin.rec_name)
        return label

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('customer.name', operator, value),
            ]

    @classmethod
    def get_amounts(cls, plans, names):
        pool = Pool()
        Date = pool.get('ir.date')
        result = {n: {p.id: Decimal(0) for p in plans} for n in names}
        for plan in plans:
            with Transaction().set_context(company=plan.company.id):
                today = Date.today()
            for line in plan.lines:
                values = {
                    'paid_amount': line.paid_amount,
                    'unpaid_amount': line.unpaid_amount,
                    'overdue_amount': (line.unpaid_amount
                        if line.due_date < today else 0),
                    'penalty_amount': line.penalty_due,
                    }
                for name in names:
                    result[name][plan.id] += values[name]
        return result

    @classmethod
    def validate_fields(cls, plans, field_names):
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        super().validate_fields(plans, field_names)
        if field_names and not (field_names & {'penalty_rate', 'company'}):
            return
        for plan in plans:
            Settings.for_company(plan.company).check_rate(
                plan.penalty_rate, plan)

    def check_lines(self):
        """The instalments must be in date order and add up (each is
        positive: the domain of their amount)"""
        if not self.lines:
            raise PlanError(gettext(
                    'dealer_finance.msg_plan_empty', plan=self.rec_name))
        previous = None
        for line in self.lines:
            if previous and line.due_date < previous.due_date:
                raise PlanError(gettext(
                        'dealer_finance.msg_plan_line_order',
                        plan=self.rec_name, date=line.due_date))
            previous = line
        total = sum(l.amount for l in self.lines)
        if total != self.total_amount:
            raise PlanError(gettext(
                    'dealer_finance.msg_plan_total',
                    plan=self.rec_name,
                    lines=self.currency.round(total),
                    total=self.total_amount,
                    difference=self.total_amount - total))

    def terms(self):
        "The penalty terms of the plan: its own, else the company's"
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        return Settings.for_company(self.company).terms(
            **{n: getattr(self, n) for n in PENALTY_TERMS})

    @classmethod
    def check_modification(cls, mode, plans, values=None, external=False):
        super().check_modification(
            mode, plans, values=values, external=external)
        if mode == 'delete':
            for plan in plans:
                if plan.state not in {'draft', 'cancelled'} or plan.receipts:
                    raise AccessError(gettext(
                            'dealer_finance.msg_plan_delete',
                            plan=plan.rec_name))

    @classmethod
    def copy(cls, plans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('receipts')
        return super().copy(plans, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, plans):
        for plan in plans:
            if plan.receipts and plan.state == 'running':
                raise PlanError(gettext(
                        'dealer_finance.msg_plan_draft_received',
                        plan=plan.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def run(cls, plans):
        for plan in plans:
            plan.check_lines()
        cls.set_number(plans)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, plans):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, plans):
        for plan in plans:
            if plan.receipts:
                raise PlanError(gettext(
                        'dealer_finance.msg_plan_cancel_received',
                        plan=plan.rec_name))

    @classmethod
    @ModelView.button_action('dealer_finance.wizard_plan_generate')
    def generate(cls, plans):
        pass

    @classmethod
    @ModelView.button
    def charge_penalties(cls, plans):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        Line.charge_penalty([l for p in plans for l in p.lines])

    @classmethod
    def update_state(cls, plans):
        "Close the running plans that are fully paid, reopen the others"
        to_close, to_reopen = [], []
        for plan in plans:
            paid = all(l.unpaid_amount == 0 for l in plan.lines)
            if plan.state == 'running' and paid:
                to_close.append(plan)
            elif plan.state == 'closed' and not paid:
                to_reopen.append(plan)
        if to_close:
            cls.close(to_close)
        if to_reopen:
            cls.run(to_reopen)

    @classmethod
    def send_reminders(cls, date=None):
        "Create the to-dos of instalments due soon or overdue since yesterday"
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        Reminder = pool.get('dealer.payment.reminder')
        Event = pool.get('dealer.customer.event')
        Settings = pool.get('dealer.finance.settings')
        Date = pool.get('ir.date')
        Company = pool.get('company.company')
        reminders = []
        for company in Company.search([]):
            settings = Settings.for_company(company)
            with Transaction().set_context(company=company.id):
                today = date or Date.today()
            soon = today + dt.timedelta(days=settings.reminder_days)
            yesterday = today - dt.timedelta(days=1)
            lines = Line.search([
                    ('plan.company', '=', company.id),
                    ('plan.state', '=', 'running'),
                    ('unpaid_amount', '>', 0),
                    ('due_date', 'in', [soon, yesterday]),
                    ])
            collectors = Reminder.collectors(company)
            for line in lines:
                kind = 'due' if line.due_date == soon else 'overdue'
                for employee in {line.plan.owner, *collectors} - {None}:
                    reminders.append(Reminder(
                            instalment=line, owner=employee, kind=kind,
                            company=company, date=today))
        new = Reminder.create_new(reminders)
        # The customer's timeline tells when an instalment fell overdue.
        for line in {r.instalment for r in new if r.kind == 'overdue'}:
            Event.post(line.plan.customer, 'penalty', gettext(
                    'dealer_finance.msg_instalment_overdue_event',
                    instalment=line.rec_name, amount=line.unpaid_amount),
                origin=line.plan, company=line.plan.company)


class PlanLine(ModelSQL, ModelView):
    __name__ = 'dealer.payment.plan.line'
    __string__ = "Instalment"
    plan = fields.Many2One(
        'dealer.payment.plan', "Plan", required=True, ondelete='CASCADE')
    plan_state = fields.Function(fields.Selection(
            'get_plan_states', "Plan State"), 'get_plan_field')
    sequence = fields.Integer("Number")
    description = fields.Char("Description")
    due_date = fields.Date("Due Date", required=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)])
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'get_plan_field',
        searcher='search_plan_field')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'get_plan_field',
        searcher='search_plan_field')
    paid_amount = Monetary(
        "Received", currency='currency', digits='currency', readonly=True)
    unpaid_amount = Monetary(
        "Still Due", currency='currency', digits='currency', readonly=True)
    paid_date = fields.Date("Paid On", readonly=True)
    state = fields.Function(fields.Selection(
            INSTALMENT_STATES, "State"), 'get_state', searcher='search_state')
    days_overdue = fields.Function(fields.Integer("Days Overdue"),
        'get_days_overdue')
    allocations = fields.One2Many(
        'dealer.payment.allocation', 'instalment', "Received",
        readonly=True)
    penalty_accrued = Monetary(
        "Penalty Accrued", currency='currency', digits='currency',
        readonly=True)
    penalty_date = fields.Date("Penalty Accrued To", readonly=True)
    penalty_waived = Monetary(
        "Penalty Waived", currency='currency', digits='currency',
        readonly=True)
    penalty_charged = Monetary(
        "Penalty Charged", currency='currency', digits='currency',
        readonly=True,
        help="The part of the penalty booked as a receivable.")
    penalty_due = fields.Function(Monetary(
            "Penalty Due", currency='currency', digits='currency'),
        'get_penalty_due')
    accruals = fields.One2Many(
        'dealer.penalty.accrual', 'instalment', "Penalty Accruals",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.plan, Index.Range())),
                # The overdue lists and the nightly jobs read only what is
                # still due.
                Index(t, (t.due_date, Index.Range()),
                    where=t.unpaid_amount > 0),
                })
        cls.__access__.add('plan')
        readonly = {'readonly': Eval('plan_state', 'draft') != 'draft'}
        for name in ['sequence', 'description', 'due_date', 'amount']:
            getattr(cls, name).states = readonly

    @classmethod
    def get_plan_states(cls):
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        return Plan.state.selection

    @classmethod
    def default_paid_amount(cls):
        return Decimal(0)

    @classmethod
    def default_penalty_accrued(cls):
        return Decimal(0)

    @classmethod
    def default_penalty_waived(cls):
        return Decimal(0)

    @classmethod
    def default_penalty_charged(cls):
        return Decimal(0)

    @fields.depends('plan', '_parent_plan.currency')
    def on_change_with_currency(self, name=None):
        return self.plan.currency if self.plan else None

    def get_plan_field(self, name):
        value = getattr(self.plan, {'plan_state': 'state'}.get(name, name))
        return value.id if hasattr(value, 'id') else value

    @classmethod
    def search_plan_field(cls, name, clause):
        return [('plan.' + clause[0],) + tuple(clause[1:])]

    def get_rec_name(self, name):
        return '%s #%s %s' % (
            self.plan.rec_name, self.sequence or '', self.due_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('plan.rec_name',) + tuple(clause[1:])]

    def get_state(self, name):
        # A cancelled plan (a contract bought back …) is owed no more.
        if self.plan.state == 'cancelled':
            return 'cancelled'
        if self.unpaid_amount == 0 and self.paid_amount:
            return 'paid'
        if self.due_date < company_today(self.plan.company):
            return 'overdue'
        return 'partial' if self.paid_amount else 'open'

    @classmethod
    def search_state(cls, name, clause):
        pool = Pool()
        Company = pool.get('company.company')
        _, operator, value = clause
        # Each company's today, in its timezone, as get_state uses it.
        companies = {}
        for company in Company.search([]):
            companies.setdefault(company_today(company), []).append(company.id)

        def due(operator):
            if not companies:
                return ('id', '=', -1)
            return ['OR'] + [[('plan.company', 'in', ids),
                    ('due_date', operator, today)]
                for today, ids in companies.items()]
        owed = ('plan.state', '!=', 'cancelled')
        domains = {
            'paid': [owed, ('unpaid_amount', '=', 0)],
            'overdue': [owed, ('unpaid_amount', '>', 0), due('<')],
            'partial': [owed, ('unpaid_amount', '>', 0),
                ('paid_amount', '>', 0), due('>=')],
            'open': [owed, ('unpaid_amount', '>', 0), ('paid_amount', '=', 0),
                due('>=')],
            'cancelled': [('plan.state', '=', 'cancelled')],
            }
        values = value if operator.endswith('in') else [value]
        domain = ['OR'] + [domains[v] for v in values if v in domains]
        if operator.startswith('!') or operator == 'not in':
            return ['NOT', domain]
        return domain

    def get_days_overdue(self, name):
        today = company_today(self.plan.company)
        if (self.plan.state != 'cancelled'
                and self.unpaid_amount and self.due_date < today):
            return (today - self.due_date).days

    def get_penalty_due(self, name):
        return self.penalty_accrued - self.penalty_waived

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['paid_amount'] = Decimal(0)
            values['unpaid_amount'] = values.get('amount')
        elif 'amount' in values:
            # Only draft plans without receipts change their amounts.
            values['unpaid_amount'] = values['amount']
        return values

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if mode in {'create', 'delete'} or (values and (
                    {'amount', 'due_date', 'plan'} & set(values))):
            for line in lines:
                if line.plan.state != 'draft':
                    raise AccessError(gettext(
                            'dealer_finance.msg_plan_line_modify',
                            plan=line.plan.rec_name))

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        for name in ['allocations', 'accruals', 'paid_date', 'penalty_date']:
            default.setdefault(name)
        for name in ['paid_amount', 'penalty_accrued', 'penalty_waived',
                'penalty_charged']:
            default.setdefault(name, Decimal(0))
        return super().copy(lines, default=default)

    @classmethod
    def charge_penalty(cls, lines, date=None):
        "Book the penalties due and not yet charged as customer receivables"
        pool = Pool()
        Penalty = pool.get('dealer.penalty.accrual')
        return Penalty.charge(lines, date=date)


class Receipt(Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.payment.receipt'
    __string__ = "Payment Receipt"
    _states = {'readonly': Eval('state') != 'draft'}
    plan = fields.Many2One(
        'dealer.payment.plan', "Plan", required=True, states=_states,
        domain=[
            ('state', '=', 'running'),
            ('company', '=', Eval('company', -1)),
            ])
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_customer')
    date = fields.Date("Date", required=True, states=_states)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_states, domain=[('amount', '>', 0)])
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    plan_amount = Monetary(
        "Amount in Plan Currency", currency='plan_currency',
        digits='plan_currency', readonly=True)
    plan_currency = fields.Function(fields.Many2One(
            'currency.currency', "Plan Currency"),
        'on_change_with_plan_currency')
    reference = fields.Char("Reference", states=_states,
        help="The bank transfer or cash slip number.")
    allocations = fields.One2Many(
        'dealer.payment.allocation', 'receipt', "Allocations", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
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
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @fields.depends('plan', '_parent_plan.customer')
    def on_change_with_customer(self, name=None):
        return self.plan.customer if self.plan else None

    @fields.depends('plan', '_parent_plan.currency')
    def on_change_with_plan_currency(self, name=None):
        return self.plan.currency if self.plan else None

    @fields.depends('plan', 'currency', '_parent_plan.currency')
    def on_change_plan(self):
        if self.plan and not self.currency:
            self.currency = self.plan.currency

    def get_rec_name(self, name):
        return '%s %s' % (self.plan.rec_name, self.date)

    @classmethod
    def check_modification(cls, mode, receipts, values=None, external=False):
        super().check_modification(
            mode, receipts, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and values):
            for receipt in receipts:
                if receipt.state == 'posted':
                    raise AccessError(gettext(
                            'dealer_finance.msg_receipt_posted',
                            receipt=receipt.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, receipts):
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        Line = pool.get('dealer.payment.plan.line')
        Allocation = pool.get('dealer.payment.allocation')
        plans = list({r.plan for r in receipts})
        # Two cashiers posting against one plan: the second waits and then
        # sees what the first allocated.
        lock_rows(plans, changed=True)
        allocations, lines = [], {}
        for receipt in sorted(receipts, key=lambda r: (r.date, r.id)):
            receipt.plan_amount = receipt.convert()
            remaining = receipt.plan_amount
            plan = Plan(receipt.plan.id)
            for line in sorted(plan.lines,
                    key=lambda l: (l.due_date, l.sequence or 0, l.id)):
                line = lines.setdefault(line.id, line)
                if not remaining:
                    break
                if not line.unpaid_amount:
                    continue
                amount = min(remaining, line.unpaid_amount)
                allocations.append(Allocation(receipt=receipt,
                        instalment=line, amount=amount, date=receipt.date))
                line.paid_amount += amount
                line.unpaid_amount -= amount
                if not line.unpaid_amount:
                    line.paid_date = receipt.date
                if line.penalty_date and receipt.date <= line.penalty_date:
                    # Entered late: the next accrual run recomputes the
                    # penalty from the payment's day on.
                    line.penalty_date = receipt.date - dt.timedelta(days=1)
                remaining -= amount
            if remaining:
                raise PlanError(gettext(
                        'dealer_finance.msg_receipt_exceeds',
                        receipt=receipt.rec_name,
                        amount=receipt.plan_amount,
                        excess=remaining))
        cls.save(receipts)
        Line.save(list(lines.values()))
        Allocation.save(allocations)
        Plan.update_state(Plan.browse(plans))

    def convert(self):
        "The amount in the plan's currency at the receipt's date"
        pool = Pool()
        Currency = pool.get('currency.currency')
        plan_currency = self.plan.currency
        if self.currency == plan_currency:
            return self.amount
        try:
            with Transaction().set_context(date=self.date):
                return Currency.compute(
                    self.currency, self.amount, plan_currency)
        except RateError:
            raise PlanError(gettext(
                    'dealer_finance.msg_receipt_no_rate',
                    receipt=self.rec_name,
                    currency=self.currency.rec_name,
                    plan_currency=plan_currency.rec_name,
                    date=self.date))


class InstalmentEntryMixin:
    """What the system books on an instalment (money received, penalty
    accrued): dated amounts clients read and never write"""
    __slots__ = ()
    _modify_message = None
    instalment = fields.Many2One(
        'dealer.payment.plan.line', "Instalment", required=True,
        readonly=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True, readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('instalment')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.instalment, Index.Range()),
                (t.date, Index.Range())))

    def get_currency(self, name):
        return self.instalment.plan.currency.id

    @classmethod
    def check_modification(cls, mode, entries, values=None,
            external=False):
        super().check_modification(
            mode, entries, values=values, external=external)
        if external:
            raise AccessError(gettext(cls._modify_message))


class Allocation(InstalmentEntryMixin, ModelSQL, ModelView):
    __name__ = 'dealer.payment.allocation'
    __string__ = "Payment Allocation"
    _modify_message = 'dealer_finance.msg_allocation_modify'
    receipt = fields.Many2One(
        'dealer.payment.receipt', "Receipt", required=True, readonly=True,
        ondelete='CASCADE')


class Reminder(OwnedMixin, ModelSQL, ModelView):
    "A to-do: an instalment falls due soon, or fell overdue yesterday"
    __name__ = 'dealer.payment.reminder'
    __string__ = "Payment Reminder"
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    instalment = fields.Many2One(
        'dealer.payment.plan.line', "Instalment", required=True,
        readonly=True, ondelete='CASCADE')
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'get_instalment_field')
    due_date = fields.Function(fields.Date("Due Date"),
        'get_instalment_field')
    unpaid_amount = fields.Function(Monetary(
            "Still Due", currency='currency', digits='currency'),
        'get_instalment_field')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_instalment_field')
    kind = fields.Selection([
            ('due', "Falls Due Soon"),
            ('overdue', "Overdue"),
            ], "Kind", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    done = fields.Boolean("Done")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('done', 'ASC'), ('date', 'DESC'), ('id', 'DESC')]
        cls.owner.string = "Assigned To"
        cls.owner.readonly = True
        t = cls.__table__()
        cls._sql_constraints += [
            ('instalment_kind_owner_unique',
                Unique(t, t.instalment, t.kind, t.owner),
                'dealer_finance.msg_reminder_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.owner, Index.Range()),
                (t.done, Index.Equality(cardinality='low'))))

    @classmethod
    def default_done(cls):
        return False

    def get_instalment_field(self, name):
        if name == 'currency':
            return self.instalment.plan.currency.id
        value = getattr(self.instalment, name)
        return value.id if hasattr(value, 'id') else value

    @classmethod
    def collectors(cls, company):
        "The employees of the company holding the collection position"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Position = pool.get('res.role')
        position = Position(ModelData.get_id(
                'dealer_base', 'position_collector'))
        now = dt.datetime.now()
        employees = set()
        for holding in position.users:
            if (holding.valid(now) and holding.user.active
                    and company.id in holding.granted_companies()):
                employees.update(e for e in holding.user.employees
                    if e.company == company)
        return employees

    @classmethod
    def create_new(cls, reminders):
        "Save the reminders not already there (the job may run twice)"
        if not reminders:
            return []
        existing = set()
        for sub in grouped_slice(
                reminders, backend.MAX_QUERY_PARAMS):
            sub = list(sub)
            for r in cls.search([
                        ('instalment', 'in', [r.instalment.id for r in sub]),
                        ]):
                existing.add((r.instalment.id, r.kind, r.owner.id))
        new, seen = [], set(existing)
        for reminder in reminders:
            key = (reminder.instalment.id, reminder.kind, reminder.owner.id)
            if key not in seen:
                seen.add(key)
                new.append(reminder)
        cls.save(new)
        return new

    @classmethod
    def check_modification(cls, mode, reminders, values=None,
            external=False):
        super().check_modification(
            mode, reminders, values=values, external=external)
        if external and (mode != 'write' or set(values) - {'done'}):
            raise AccessError(gettext('dealer_finance.msg_reminder_modify'))


class GenerateStart(ModelView):
    __name__ = 'dealer.payment.plan.generate.start'
    __string__ = "Generate Instalments"
    total_amount = Monetary(
        "Contract Total", currency='currency', digits='currency',
        readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    down_payment = fields.Numeric("Down Payment (%)", digits=(16, 2),
        required=True,
        domain=[('down_payment', '>=', 0), ('down_payment', '<', 100)])
    down_payment_date = fields.Date("Down Payment Date",
        states={
            'required': Eval('down_payment', 0) > 0,
            'invisible': ~Eval('down_payment'),
            })
    months = fields.Integer("Monthly Instalments", required=True,
        domain=[('months', '>', 0), ('months', '<=', 600)])
    first_due_date = fields.Date("First Due Date", required=True,
        domain=[If(Bool(Eval('down_payment_date')),
                ('first_due_date', '>=', Eval('down_payment_date')),
                ())])
    day_of_month = fields.Integer("Day of Month", required=True,
        domain=[('day_of_month', '>=', 1), ('day_of_month', '<=', 31)],
        help="Later months fall due on this day (the month's last day "
        "when shorter).")

    @classmethod
    def default_down_payment(cls):
        return Decimal(0)

    @fields.depends('first_due_date', 'day_of_month')
    def on_change_first_due_date(self):
        if self.first_due_date and not self.day_of_month:
            self.day_of_month = self.first_due_date.day


class Generate(Wizard):
    "Generate the instalments of a plan from a template"
    __name__ = 'dealer.payment.plan.generate'
    start = StateView('dealer.payment.plan.generate.start',
        'dealer_finance.plan_generate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Generate", 'generate', 'tryton-ok', default=True),
            ])
    generate = StateTransition()

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        return {
            'total_amount': self.record.total_amount,
            'currency': self.record.currency.id,
            'down_payment_date': Date.today(),
            }

    def transition_generate(self):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        plan = self.record
        if plan.state != 'draft':
            raise PlanError(gettext(
                    'dealer_finance.msg_plan_line_modify',
                    plan=plan.rec_name))
        Line.delete(plan.lines)
        Line.save(self.instalments(plan, self.start))
        return 'end'

    @staticmethod
    def instalments(plan, template):
        """Down payment then equal monthly instalments; the last one
        absorbs the rounding so that they add up to the total exactly"""
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        currency, total = plan.currency, plan.total_amount
        lines = []
        down = currency.round(total * template.down_payment / 100)
        if down:
            lines.append(Line(plan=plan, sequence=0,
                    description=gettext('dealer_finance.msg_down_payment'),
                    due_date=template.down_payment_date, amount=down))
        rest = total - down
        each = currency.round(rest / template.months)
        if each <= 0:
            raise PlanError(gettext(
                    'dealer_finance.msg_plan_line_amount',
                    plan=plan.rec_name, date=template.first_due_date))
        for i in range(template.months):
            amount = each if i < template.months - 1 else (
                rest - each * (template.months - 1))
            due_date = template.first_due_date if i == 0 else add_months(
                template.first_due_date, i, template.day_of_month)
            lines.append(Line(plan=plan, sequence=i + 1,
                    due_date=due_date, amount=amount))
        if lines[-1].amount <= 0:
            raise PlanError(gettext(
                    'dealer_finance.msg_plan_line_amount',
                    plan=plan.rec_name, date=lines[-1].due_date))
        return lines
