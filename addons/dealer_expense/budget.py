# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Expense budgets (费用预算, R-EXP-02).

Finance gives each department of a company an amount per category for a
month, a quarter or a year.  A budget's period is its kind and the first
day of a month: the simplest to enter (one date and a choice, no fiscal
periods needed, a quarter or a year may start in any month as the
company's fiscal year does) and the end follows.  Budgets of the same
department and category do not overlap, so a claim line spends at most
one budget: that of its claim's company and department, its category and
its date.

Consumed: what the lines of approved and paid claims reimburse; committed:
what the lines of submitted claims (waiting for approval) would; the
remainder is the amount less both.  They are summed in SQL, one query per
batch of budgets.

A claim over a budget's remainder is, per company (settings), blocked at
submission or reports the condition 'over_budget' to the approval flow,
whose company may add a step for it.  The claim shows the excess while it
is filled in; its employee may not read budgets, so the figure is computed
without access checks and only that number is told."""
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Cast, Literal
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_finance.report import (
    CompanyCurrencyMixin, RoundedAmountsMixin)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import ClaimError

PERIODS = [
    ('month', "Month"),
    ('quarter', "Quarter"),
    ('year', "Year"),
    ]
PERIOD_MONTHS = {'month': 1, 'quarter': 3, 'year': 12}
CONSUMED = ['approved', 'paid']
COMMITTED = ['waiting']
POLICIES = [
    ('block', "Block the Claim"),
    ('approve', "Extra Approval"),
    ]


def period_end(kind, start):
    if not kind or not start:
        return None
    return start + relativedelta(months=PERIOD_MONTHS[kind], days=-1)


def _amount(column):
    # SQLite stores Decimal as text: cast before summing.
    return Cast(column, 'NUMERIC')


class Settings(metaclass=PoolMeta):
    __name__ = 'dealer.expense.settings'
    budget_policy = fields.Selection(POLICIES, "Over Budget", required=True,
        help="Block: a claim over its budget's remainder cannot be "
        "submitted.\n"
        "Extra approval: it goes through the flow's steps for claims over "
        "budget.")

    @classmethod
    def default_budget_policy(cls):
        return 'block'


class Budget(ModelSQL, ModelView):
    __name__ = 'dealer.expense.budget'
    __string__ = "Expense Budget"
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    department = fields.Many2One('dealer.department', "Department",
        required=True, ondelete='CASCADE',
        domain=[
            ('companies', '=', Eval('company', -1)),
            ])
    category = fields.Many2One('dealer.expense.category', "Category",
        required=True, ondelete='CASCADE',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    period = fields.Selection(PERIODS, "Period", required=True, sort=False)
    start_date = fields.Date("Start Date", required=True,
        help="The first day of a month: the period runs from it.")
    end_date = fields.Date("End Date", readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary("Amount", currency='currency', digits='currency',
        required=True,
        domain=[('amount', '>=', 0)])
    consumed = fields.Function(Monetary("Consumed",
            currency='currency', digits='currency',
            help="Reimbursed by the approved and paid claims."),
        'get_figures')
    committed = fields.Function(Monetary("Committed",
            currency='currency', digits='currency',
            help="Asked by the claims waiting for approval."),
        'get_figures')
    remaining = fields.Function(Monetary("Remaining",
            currency='currency', digits='currency'),
        'get_figures')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('department', 'ASC'),
            ('category', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints.append(('period_unique',
                Unique(t, t.company, t.department, t.category, t.start_date),
                'dealer_expense.msg_budget_overlap_unique'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_period(cls):
        return 'month'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('period', 'start_date')
    def on_change_with_end_date(self):
        return period_end(self.period, self.start_date)

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or {'period', 'start_date'} & field_names:
            end_date = self.on_change_with_end_date()
            if getattr(self, 'end_date', None) != end_date:
                values['end_date'] = end_date
        return values

    @property
    def period_name(self):
        if self.period == 'month':
            return self.start_date.strftime('%Y-%m')
        return '%s～%s' % (self.start_date.strftime('%Y-%m'),
            period_end(self.period, self.start_date).strftime('%Y-%m'))

    def get_rec_name(self, name):
        return ' · '.join([self.department.rec_name,
                self.category.rec_name, self.period_name])

    @classmethod
    def validate_fields(cls, budgets, field_names):
        super().validate_fields(budgets, field_names)
        if field_names & {'start_date', 'period', 'company', 'department',
                'category'}:
            cls.check_period(budgets)

    @classmethod
    def check_period(cls, budgets):
        "Periods start on a month's first day and never overlap"
        for budget in budgets:
            if budget.start_date.day != 1:
                raise ValidationError(gettext(
                        'dealer_expense.msg_budget_start_date',
                        budget=budget.rec_name))
            end_date = period_end(budget.period, budget.start_date)
            others = cls.search([
                    ('company', '=', budget.company.id),
                    ('department', '=', budget.department.id),
                    ('category', '=', budget.category.id),
                    ('start_date', '<=', end_date),
                    ('end_date', '>=', budget.start_date),
                    ('id', '!=', budget.id),
                    ], limit=1)
            if others:
                raise ValidationError(gettext(
                        'dealer_expense.msg_budget_overlap',
                        budget=budget.rec_name, other=others[0].rec_name))

    @classmethod
    def spent(cls, budget_ids, exclude_claims=()):
        """{budget id: (consumed, committed)} of the budgets, summed in one
        query per batch; the lines of exclude_claims are left out (a claim
        being checked against what the others spent)"""
        pool = Pool()
        Claim = pool.get('dealer.expense.claim')
        Line = pool.get('dealer.expense.claim.line')
        budget = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {i: (Decimal(0), Decimal(0)) for i in budget_ids}

        def summed(states):
            # Each budget's own lines (a correlated subquery): walked by the
            # lines' category and date index whatever the planner guesses of
            # the budgets' dates; joined, it started from every claim of the
            # department (95 ms at 1,000,000 lines instead of 2 ms)
            line, claim = Line.__table__(), Claim.__table__()
            amount = _amount(line.reimbursed_amount)
            where = ((line.category == budget.category)
                & (line.date >= budget.start_date)
                & (line.date <= budget.end_date)
                & (claim.company == budget.company)
                & (claim.department == budget.department)
                & claim.state.in_(CONSUMED + COMMITTED))
            if exclude_claims:
                where &= ~claim.id.in_(list(exclude_claims))
            return line.join(claim, condition=claim.id == line.claim).select(
                Sum(Case((claim.state.in_(states), amount), else_=0)),
                where=where)
        size = backend.MAX_QUERY_PARAMS - 2 * len(exclude_claims) - 20
        for sub_ids in grouped_slice(list(budget_ids), size):
            cursor.execute(*budget.select(budget.id,
                    summed(CONSUMED), summed(COMMITTED),
                    where=budget.id.in_(list(sub_ids))))
            for id_, consumed, committed in cursor:
                result[id_] = (Decimal(str(consumed or 0)),
                    Decimal(str(committed or 0)))
        return result

    @classmethod
    def get_figures(cls, budgets, names):
        spent = cls.spent([b.id for b in budgets])
        result = {n: {} for n in names}
        for budget in budgets:
            round_ = budget.currency.round
            consumed, committed = spent[budget.id]
            values = {
                'consumed': round_(consumed),
                'committed': round_(committed),
                'remaining': round_(budget.amount - consumed - committed),
                }
            for name in names:
                result[name][budget.id] = values[name]
        return result

    @classmethod
    def usage(cls, claim, lines, lock=False):
        """[(budget, remainder, claimed)] of the budgets the claim's lines
        spend: the budget's remainder before this claim and what the lines
        ask of it.  lines: (category id, date, amount).  Read without
        access checks: the employee learns only these figures."""
        if not claim.company or not claim.department:
            return []
        lines = [l for l in lines
            if l[0] and l[1] and l[2] is not None]
        if not lines:
            return []
        with without_check_access():
            budgets = cls.search([
                    ('company', '=', claim.company.id),
                    ('department', '=', claim.department.id),
                    ('category', 'in', list({l[0] for l in lines})),
                    ('start_date', '<=', max(l[1] for l in lines)),
                    ('end_date', '>=', min(l[1] for l in lines)),
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')])
            if not budgets:
                return []
            if lock:
                # Two claims submitted at once: the second waits, then
                # restarts and sees the first one's lines committed.
                lock_rows(budgets, changed=True)
            exclude = [claim.id] if claim.id is not None and claim.id >= 0 \
                else []
            spent = cls.spent([b.id for b in budgets], exclude_claims=exclude)
        claimed = defaultdict(Decimal)
        for category, date, amount in lines:
            for budget in budgets:
                if (budget.category.id == category
                        and budget.start_date <= date <= budget.end_date):
                    claimed[budget] += amount
                    break
        result = []
        for budget in budgets:
            if budget in claimed:
                consumed, committed = spent[budget.id]
                remainder = budget.currency.round(
                    budget.amount - consumed - committed)
                result.append((budget, remainder, claimed[budget]))
        return result


def budget_policy(company):
    pool = Pool()
    Settings = pool.get('dealer.expense.settings')
    with without_check_access():
        return Settings.for_company(company).budget_policy


class Claim(metaclass=PoolMeta):
    __name__ = 'dealer.expense.claim'
    budget_excess = fields.Function(Monetary("Over Budget",
            currency='currency', digits='currency',
            help="How much the claim asks beyond the remainder of its "
            "department's budgets."),
        'on_change_with_budget_excess')

    @fields.depends('id', 'company', 'department', 'employee', 'currency',
        'lines')
    def on_change_with_budget_excess(self, name=None):
        pool = Pool()
        Budget = pool.get('dealer.expense.budget')
        lines = []
        for line in self.lines:
            # The lines' amounts (capped by their standards) need their
            # claim, which the client does not send with them.
            line.claim = self
            lines.append((line.category.id if line.category else None,
                    line.date, line.on_change_with_reimbursed_amount()))
        excess = sum((max(claimed - remainder, 0)
                for _, remainder, claimed in Budget.usage(self, lines)),
            Decimal(0))
        return excess or None

    def _budget_lines(self):
        return [(l.category.id, l.date, l.reimbursed_amount)
            for l in self.lines]

    @classmethod
    def check_submission(cls, claims):
        "Over budget: blocked, or on to the flow's extra step"
        pool = Pool()
        Budget = pool.get('dealer.expense.budget')
        super().check_submission(claims)
        for claim in claims:
            if budget_policy(claim.company) != 'block':
                continue
            for budget, remainder, claimed in Budget.usage(
                    claim, claim._budget_lines(), lock=True):
                if claimed > remainder:
                    # Named by what the employee knows (his lines'
                    # category and month), not by the budget he may not read.
                    raise ClaimError(gettext(
                            'dealer_expense.msg_budget_exceeded',
                            claim=claim.rec_name,
                            category=budget.category.rec_name,
                            period=budget.period_name,
                            remainder=remainder, claimed=claimed,
                            excess=claimed - remainder))

    def get_approval_conditions(self):
        pool = Pool()
        Budget = pool.get('dealer.expense.budget')
        conditions = super().get_approval_conditions()
        if budget_policy(self.company) == 'approve' and any(
                claimed > remainder for _, remainder, claimed in Budget.usage(
                    self, self._budget_lines(), lock=True)):
            conditions.add('over_budget')
        return conditions


class ClaimLine(metaclass=PoolMeta):
    __name__ = 'dealer.expense.claim.line'
    budget_remaining = fields.Function(Monetary("Budget Remaining",
            currency='claim_currency', digits='claim_currency',
            help="What the line's budget has left after the other claims "
            "and this line; below zero, the excess."),
        'on_change_with_budget_remaining')

    @fields.depends('claim', 'category', 'date', '_parent_claim.id',
        '_parent_claim.company', '_parent_claim.department',
        methods=['on_change_with_reimbursed_amount'])
    def on_change_with_budget_remaining(self, name=None):
        pool = Pool()
        Budget = pool.get('dealer.expense.budget')
        if not self.claim or not self.category or not self.date:
            return None
        amount = self.on_change_with_reimbursed_amount() or Decimal(0)
        usage = Budget.usage(
            self.claim, [(self.category.id, self.date, amount)])
        if not usage:
            return None
        _, remainder, _ = usage[0]
        return remainder - amount


class ApprovalStep(metaclass=PoolMeta):
    __name__ = 'dealer.approval.flow.step'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.condition.selection.append(('over_budget', "Over Budget"))


class BudgetReport(CompanyCurrencyMixin, RoundedAmountsMixin, ModelSQL,
        ModelView):
    "Budget against actual: one row per budget, summed in one statement"
    __name__ = 'dealer.expense.budget.report'
    __string__ = "Budget against Actual"
    _rounded_amounts = ['amount', 'consumed', 'committed', 'remaining']
    budget = fields.Many2One('dealer.expense.budget', "Budget", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    department = fields.Many2One(
        'dealer.department', "Department", readonly=True)
    category = fields.Many2One(
        'dealer.expense.category', "Category", readonly=True)
    period = fields.Selection(PERIODS, "Period", readonly=True, sort=False)
    start_date = fields.Date("Start Date", readonly=True)
    end_date = fields.Date("End Date", readonly=True)
    amount = Monetary("Budget", currency='currency', digits='currency',
        readonly=True)
    consumed = Monetary("Consumed", currency='currency', digits='currency',
        readonly=True)
    committed = Monetary("Committed", currency='currency',
        digits='currency', readonly=True)
    remaining = Monetary("Remaining", currency='currency',
        digits='currency', readonly=True)
    percentage = fields.Function(fields.Numeric("Consumed (%)",
            digits=(16, 1)), 'get_percentage')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('department', 'ASC'),
            ('category', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Budget = pool.get('dealer.expense.budget')
        Claim = pool.get('dealer.expense.claim')
        Line = pool.get('dealer.expense.claim.line')
        budget, line, claim = (
            Budget.__table__(), Line.__table__(), Claim.__table__())
        spent_budget = Budget.__table__()
        amount = _amount(line.reimbursed_amount)
        spent = spent_budget.join(line,
            condition=(line.category == spent_budget.category)
            & (line.date >= spent_budget.start_date)
            & (line.date <= spent_budget.end_date)
            ).join(claim,
            condition=(claim.id == line.claim)
            & (claim.company == spent_budget.company)
            & (claim.department == spent_budget.department)
            ).select(spent_budget.id.as_('budget'),
            Sum(Case((claim.state.in_(CONSUMED), amount), else_=0)
                ).as_('consumed'),
            Sum(Case((claim.state.in_(COMMITTED), amount), else_=0)
                ).as_('committed'),
            where=claim.state.in_(CONSUMED + COMMITTED),
            group_by=[spent_budget.id])
        consumed = Coalesce(spent.consumed, Literal(0))
        committed = Coalesce(spent.committed, Literal(0))
        budget_amount = _amount(budget.amount)
        return budget.join(spent, 'LEFT',
            condition=spent.budget == budget.id).select(
            budget.id.as_('id'),
            budget.create_uid.as_('create_uid'),
            budget.create_date.as_('create_date'),
            budget.write_uid.as_('write_uid'),
            budget.write_date.as_('write_date'),
            budget.id.as_('budget'),
            budget.company.as_('company'),
            budget.department.as_('department'),
            budget.category.as_('category'),
            budget.period.as_('period'),
            budget.start_date.as_('start_date'),
            budget.end_date.as_('end_date'),
            budget_amount.as_('amount'),
            consumed.as_('consumed'),
            committed.as_('committed'),
            (budget_amount - consumed - committed).as_('remaining'))

    def get_percentage(self, name):
        if not self.amount:
            return None
        return (self.consumed * 100 / self.amount).quantize(Decimal('0.1'))
