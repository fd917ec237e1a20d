# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Expense standards (报销标准, R-EXP-03).

Finance sets, per company, category and position, how much may be claimed
per item, day or night (the category's basis) in a tier of cities, and for
transport the highest travel class.  A claim line gets the standard of the
positions its employee holds in the claim's company — the most generous if
he holds several; for each position a standard of the line's city tier
comes before one of any city.  A line over its standard shows the excess
while being filled; the company's policy then blocks it, asks a reason and
an extra approval step ('over_standard'), or caps what is reimbursed to the
standard.  The line keeps the receipt's amount; `reimbursed_amount` is what
the claim totals, books on the payable and spends of the budgets.

Every employee sees his own standards and what was reimbursed to him this
month and this year (dealer.expense.standard.mine)."""
import datetime as dt
from decimal import Decimal

from sql import Cast, Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.document import company_today
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .category import CITY_TIERS
from .claim import EDITABLE
from .exceptions import ClaimError

POLICIES = [
    ('block', "Block the Claim"),
    ('approve', "Reason and Extra Approval"),
    ('cap', "Reimburse the Standard"),
    ]
# Travel classes by rank: a class of the same rank is as good as another
# (plane, high-speed train, sleeper), a higher rank is more expensive.
TRAVEL_CLASSES = [
    (None, ""),
    ('hard_seat', "Hard Seat"),
    ('hard_sleeper', "Hard Sleeper"),
    ('second_seat', "Second Class Seat"),
    ('economy', "Economy Class"),
    ('soft_sleeper', "Soft Sleeper"),
    ('first_seat', "First Class Seat"),
    ('business', "Business Class"),
    ('business_seat', "Business Class Seat"),
    ('first', "First Class"),
    ]
CLASS_RANKS = {
    'hard_seat': 1, 'hard_sleeper': 1, 'second_seat': 1, 'economy': 1,
    'soft_sleeper': 2, 'first_seat': 2, 'business': 2,
    'business_seat': 3, 'first': 3,
    }
REIMBURSED = ['approved', 'paid']


# Read for every standard field of every line shown: kept until a
# position, a user's employees or an employee changes (dealer_base's
# scope caches are cleared then, this one with them: User below).
_held_positions_cache = Cache('dealer.expense.held_positions', context=False)


def held_positions(employee, company):
    """The ids of the positions the employee's users hold now in the
    company (res.user.role valid now and granting the company)"""
    pool = Pool()
    Holding = pool.get('res.user.role')
    key = (employee.id, company.id)
    positions = _held_positions_cache.get(key)
    if positions is None:
        now = dt.datetime.now()
        with without_check_access():
            holdings = Holding.search([('user.employees', '=', employee.id)])
            positions = sorted(h.role.id for h in holdings
                if h.valid(now) and company.id in h.granted_companies())
        _held_positions_cache.set(key, positions)
    return set(positions)


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _clear_scope_caches(cls):
        super()._clear_scope_caches()
        _held_positions_cache.clear()


class Settings(metaclass=PoolMeta):
    __name__ = 'dealer.expense.settings'
    standard_policy = fields.Selection(POLICIES, "Over Standard",
        required=True,
        help="Block: a line over its standard cannot be submitted.\n"
        "Reason and extra approval: the line needs its reason and the claim "
        "goes through the flow's steps for claims over standard.\n"
        "Reimburse the standard: the receipt is kept, the standard is "
        "reimbursed (a travel class above the standard is blocked).")

    @classmethod
    def default_standard_policy(cls):
        return 'block'


class Standard(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.expense.standard'
    __string__ = "Expense Standard"
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    category = fields.Many2One('dealer.expense.category', "Category",
        required=True, ondelete='CASCADE',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    position = fields.Many2One('res.role', "Position", ondelete='CASCADE',
        help="Empty: every position.")
    city_tier = fields.Selection([(None, "Any City")] + CITY_TIERS,
        "City Tier", sort=False,
        help="A standard of the line's city tier comes before one of any "
        "city.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary("Amount", currency='currency', digits='currency',
        domain=['OR', ('amount', '=', None), ('amount', '>=', 0)],
        help="Per item, day or night as the category counts; empty: no "
        "limit on the amount.")
    basis = fields.Function(fields.Selection(
            'get_bases', "Per"), 'on_change_with_basis')
    travel_class = fields.Selection(TRAVEL_CLASSES, "Highest Travel Class",
        sort=False,
        help="Transport: a line in a higher class is over standard.")
    # A claim line's read and on_change ask for its standard from several
    # fields; the answer changes only when the standards do.
    _applying_cache = Cache('dealer.expense.standard.applying', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('category', 'ASC'), ('position', 'ASC NULLS FIRST'),
            ('city_tier', 'ASC NULLS FIRST'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_bases(cls):
        pool = Pool()
        Category = pool.get('dealer.expense.category')
        return Category.basis.selection

    @fields.depends('category')
    def on_change_with_basis(self, name=None):
        return self.category.basis if self.category else None

    def get_rec_name(self, name):
        parts = [self.category.rec_name]
        if self.position:
            parts.append(self.position.rec_name)
        if self.city_tier:
            parts.append(dict(CITY_TIERS)[self.city_tier])
        return ' · '.join(parts)

    @classmethod
    def validate(cls, standards):
        super().validate(standards)
        for standard in standards:
            if standard.amount is None and not standard.travel_class:
                raise ValidationError(gettext(
                        'dealer_expense.msg_standard_empty',
                        standard=standard.rec_name))
            others = cls.search([
                    ('company', '=', standard.company.id),
                    ('category', '=', standard.category.id),
                    ('position', '=',
                        standard.position.id if standard.position else None),
                    ('city_tier', '=', standard.city_tier),
                    ('id', '!=', standard.id),
                    ], limit=1)
            if others:
                raise ValidationError(gettext(
                        'dealer_expense.msg_standard_duplicate',
                        standard=standard.rec_name))

    @classmethod
    def applying(cls, company, category, positions, tier):
        """The standard a line gets: per position (and for every position)
        the one of the city tier, else the one of any city; of those the
        most generous amount and class, None where one has no limit.
        Return (amount, travel class) or None when none applies."""
        key = (company.id, category.id, tuple(sorted(positions)), tier)
        found = cls._applying_cache.get(key, -1)
        if found != -1:
            return found
        with without_check_access():
            standards = cls.search([
                    ('company', '=', company.id),
                    ('category', '=', category.id),
                    ('position', 'in', list(positions) + [None]),
                    ('city_tier', 'in', [tier, None] if tier else [None]),
                    ], order=[])  # chosen below whatever their order
        chosen = {}
        for standard in standards:
            position = standard.position.id if standard.position else None
            if position not in chosen or standard.city_tier:
                chosen[position] = standard
        found = None
        if chosen:
            amounts = [s.amount for s in chosen.values()]
            amount = None if None in amounts else max(amounts)
            classes = [s.travel_class for s in chosen.values()]
            travel_class = None if None in classes else max(
                classes, key=CLASS_RANKS.get)
            found = amount, travel_class
        cls._applying_cache.set(key, found)
        return found

    @classmethod
    def on_modification(cls, mode, standards, field_names=None):
        super().on_modification(mode, standards, field_names=field_names)
        cls._applying_cache.clear()


class ClaimLine(metaclass=PoolMeta):
    __name__ = 'dealer.expense.claim.line'
    _states = {
        'readonly': ~Eval('claim_state', 'draft').in_(EDITABLE),
        }
    quantity = fields.Integer("Days / Nights", required=True,
        states=_states,
        domain=[('quantity', '>', 0)],
        help="The days or nights the line pays for, where its category's "
        "standard is per day or per night.")
    travel_class = fields.Selection(TRAVEL_CLASSES, "Travel Class",
        states=_states, sort=False)
    travel_class_string = travel_class.translated('travel_class')
    over_standard_reason = fields.Char("Reason Over Standard",
        states=_states,
        help="Why the line is over its standard, where the company asks.")
    standard_amount = fields.Function(Monetary("Standard",
            currency='claim_currency', digits='claim_currency',
            help="What the line may claim by the standard of the "
            "employee's position: per item, or per day or night times "
            "the days or nights."),
        'on_change_with_standard_amount')
    standard_class = fields.Function(fields.Selection(
            TRAVEL_CLASSES, "Standard Travel Class"),
        'on_change_with_standard_class')
    standard_class_string = standard_class.translated('standard_class')
    standard_excess = fields.Function(Monetary("Over Standard",
            currency='claim_currency', digits='claim_currency'),
        'on_change_with_standard_excess')
    over_standard = fields.Function(fields.Boolean("Over Standard"),
        'on_change_with_over_standard')
    reimbursed_amount = Monetary("Amount Reimbursed",
        currency='claim_currency', digits='claim_currency', readonly=True,
        help="The amount in the claim's currency, capped to the standard "
        "where the company reimburses no more.")
    del _states

    @classmethod
    def default_quantity(cls):
        return 1

    @fields.depends('claim', 'category', 'city', '_parent_claim.employee',
        '_parent_claim.company')
    def _standard(self):
        "(amount per item/day/night, class) of the line, or None"
        if not (self.claim and self.claim.employee and self.claim.company
                and self.category):
            return None
        pool = Pool()
        Standard = pool.get('dealer.expense.standard')
        positions = held_positions(self.claim.employee, self.claim.company)
        return Standard.applying(self.claim.company, self.category,
            positions, self.city.tier if self.city else None)

    @fields.depends('category', 'quantity', 'claim', '_parent_claim.currency',
        methods=['_standard'])
    def on_change_with_standard_amount(self, name=None):
        standard = self._standard()
        if not standard or standard[0] is None:
            return None
        amount = standard[0]
        if self.category.basis in {'day', 'night'}:
            amount *= self.quantity or 0
        currency = self.claim.currency
        return currency.round(amount) if currency else amount

    @fields.depends(methods=['_standard'])
    def on_change_with_standard_class(self, name=None):
        standard = self._standard()
        return standard[1] if standard else None

    @fields.depends(methods=['on_change_with_standard_amount',
            'on_change_with_claim_amount'])
    def on_change_with_standard_excess(self, name=None):
        standard = self.on_change_with_standard_amount()
        amount = self.on_change_with_claim_amount()
        if standard is None or amount is None or amount <= standard:
            return None
        return amount - standard

    @fields.depends('travel_class', methods=['on_change_with_standard_excess',
            'on_change_with_standard_class'])
    def on_change_with_over_standard(self, name=None):
        return bool(self.on_change_with_standard_excess()
            or self._class_over(self.on_change_with_standard_class()))

    def _class_over(self, standard_class):
        return bool(self.travel_class and standard_class
            and CLASS_RANKS[self.travel_class] > CLASS_RANKS[standard_class])

    @fields.depends('claim', '_parent_claim.company',
        methods=['on_change_with_claim_amount',
            'on_change_with_standard_amount'])
    def on_change_with_reimbursed_amount(self):
        amount = self.on_change_with_claim_amount()
        if amount is None or not self.claim or not self.claim.company:
            return amount
        if standard_policy(self.claim.company) != 'cap':
            return amount
        standard = self.on_change_with_standard_amount()
        return amount if standard is None else min(amount, standard)

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        cls = self.__class__
        if field_names is None or (
                cls.reimbursed_amount.on_change_with & field_names):
            amount = self.on_change_with_reimbursed_amount()
            if getattr(self, 'reimbursed_amount', None) != amount:
                values['reimbursed_amount'] = amount
        return values

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reimbursed_amount')
        return super().copy(lines, default=default)

    def _get_invoice_line(self):
        line = super()._get_invoice_line()
        # The payable owes what is reimbursed, not the receipt's amount.
        line.unit_price = self.reimbursed_amount
        return line


def standard_policy(company):
    pool = Pool()
    Settings = pool.get('dealer.expense.settings')
    with without_check_access():
        return Settings.for_company(company).standard_policy


class Claim(metaclass=PoolMeta):
    __name__ = 'dealer.expense.claim'
    standard_excess = fields.Function(Monetary("Over Standard",
            currency='currency', digits='currency'),
        'get_standard_excess')

    def get_amount(self, name):
        return self.currency.round(sum(
                (l.reimbursed_amount if l.reimbursed_amount is not None
                    else l.claim_amount or 0 for l in self.lines),
                Decimal(0)))

    def get_standard_excess(self, name):
        return self.currency.round(sum(
                (l.standard_excess or 0 for l in self.lines), Decimal(0)))

    def customer_amounts(self):
        amounts = super().customer_amounts()
        for customer in amounts:
            amounts[customer] = sum((l.reimbursed_amount for l in self.lines
                    if l.customer == customer), Decimal(0))
        return amounts

    @classmethod
    def check_submission(cls, claims):
        """The lines' amounts reimbursed as the standards now stand, and
        the company's policy for the lines over their standard"""
        pool = Pool()
        Line = pool.get('dealer.expense.claim.line')
        super().check_submission(claims)
        to_save = []
        for claim in claims:
            policy = standard_policy(claim.company)
            for line in claim.lines:
                amount = line.on_change_with_reimbursed_amount()
                if line.reimbursed_amount != amount:
                    line.reimbursed_amount = amount
                    to_save.append(line)
                excess = line.on_change_with_standard_excess()
                standard_class = line.on_change_with_standard_class()
                if line._class_over(standard_class) and policy != 'approve':
                    raise ClaimError(gettext(
                            'dealer_expense.msg_standard_class',
                            line=line.rec_name, claim=claim.rec_name,
                            travel_class=line.travel_class_string,
                            standard_class=line.standard_class_string))
                if excess and policy == 'block':
                    raise ClaimError(gettext(
                            'dealer_expense.msg_standard_exceeded',
                            line=line.rec_name, claim=claim.rec_name,
                            standard=line.on_change_with_standard_amount(),
                            excess=excess))
                if (policy == 'approve' and line.on_change_with_over_standard()
                        and not (line.over_standard_reason or '').strip()):
                    raise ClaimError(gettext(
                            'dealer_expense.msg_standard_reason',
                            line=line.rec_name, claim=claim.rec_name))
        Line.save(to_save)

    def get_approval_conditions(self):
        conditions = super().get_approval_conditions()
        if (standard_policy(self.company) == 'approve'
                and any(l.on_change_with_over_standard()
                    for l in self.lines)):
            conditions.add('over_standard')
        return conditions


class ApprovalStep(metaclass=PoolMeta):
    __name__ = 'dealer.approval.flow.step'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.condition.selection.append(('over_standard', "Over Standard"))


class MyStandard(ModelSQL, ModelView):
    """The standards of the positions the user holds (and those of every
    position) in his companies, each with what was reimbursed to him in
    its category this month and this year (approved and paid claims, by
    the lines' dates)"""
    __name__ = 'dealer.expense.standard.mine'
    __string__ = "My Expense Standard"
    company = fields.Many2One('company.company', "Company", readonly=True)
    category = fields.Many2One(
        'dealer.expense.category', "Category", readonly=True)
    position = fields.Many2One('res.role', "Position", readonly=True)
    city_tier = fields.Selection([(None, "Any City")] + CITY_TIERS,
        "City Tier", readonly=True, sort=False)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    amount = Monetary("Amount", currency='currency', digits='currency',
        readonly=True)
    basis = fields.Function(fields.Selection(
            'get_bases', "Per"), 'get_basis')
    travel_class = fields.Selection(TRAVEL_CLASSES, "Highest Travel Class",
        readonly=True, sort=False)
    reimbursed_month = fields.Function(Monetary(
            "Reimbursed This Month", currency='currency',
            digits='currency'), 'get_reimbursed')
    reimbursed_year = fields.Function(Monetary(
            "Reimbursed This Year", currency='currency',
            digits='currency'), 'get_reimbursed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('category', 'ASC'), ('position', 'ASC NULLS FIRST'),
            ('city_tier', 'ASC NULLS FIRST'), ('id', 'ASC')]

    @classmethod
    def _positions(cls):
        "The ids of the positions the user holds now"
        pool = Pool()
        User = pool.get('res.user')
        now = dt.datetime.now()
        user = Transaction().user
        if not user:
            return set()
        with without_check_access():
            return {h.role.id for h in User(user).roles if h.valid(now)}

    @classmethod
    def table_query(cls):
        pool = Pool()
        Standard = pool.get('dealer.expense.standard')
        standard = Standard.__table__()
        positions = list(cls._positions())
        where = standard.position == Null
        if positions:
            where |= standard.position.in_(positions)
        where &= standard.active == Literal(True)
        if not Transaction().user:
            where &= Literal(False)
        return standard.select(
            standard.id.as_('id'),
            standard.create_uid.as_('create_uid'),
            standard.create_date.as_('create_date'),
            standard.write_uid.as_('write_uid'),
            standard.write_date.as_('write_date'),
            standard.company.as_('company'),
            standard.category.as_('category'),
            standard.position.as_('position'),
            standard.city_tier.as_('city_tier'),
            standard.amount.as_('amount'),
            standard.travel_class.as_('travel_class'),
            where=where)

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def get_bases(cls):
        pool = Pool()
        Category = pool.get('dealer.expense.category')
        return Category.basis.selection

    def get_basis(self, name):
        return self.category.basis

    @classmethod
    def get_reimbursed(cls, rows, names):
        """What the approved and paid claims of the user's employees
        reimbursed per category this month and this year: one query"""
        pool = Pool()
        Claim = pool.get('dealer.expense.claim')
        Line = pool.get('dealer.expense.claim.line')
        User = pool.get('res.user')
        result = {n: {r.id: Decimal(0) for r in rows} for n in names}
        user = Transaction().user
        if not rows or not user:
            return result
        with without_check_access():
            employees = [e.id for e in User(user).employees]
        categories = {r.category.id for r in rows}
        claim, line = Claim.__table__(), Line.__table__()
        cursor = Transaction().connection.cursor()
        amounts = {}
        for company in {r.company for r in rows}:
            today = company_today(company)
            year_start = today.replace(month=1, day=1)
            month_start = today.replace(day=1)
            amount = Cast(line.reimbursed_amount, 'NUMERIC')
            cursor.execute(*line.join(claim,
                    condition=claim.id == line.claim).select(
                    line.category,
                    Sum(Case((line.date >= month_start, amount), else_=0)),
                    Sum(amount),
                    where=claim.employee.in_(employees or [-1])
                    & (claim.company == company.id)
                    & claim.state.in_(REIMBURSED)
                    & line.category.in_(list(categories))
                    & (line.date >= year_start) & (line.date <= today),
                    group_by=[line.category]))
            for category, month, year in cursor:
                amounts[category] = (
                    company.currency.round(Decimal(str(month or 0))),
                    company.currency.round(Decimal(str(year or 0))))
        for row in rows:
            month, year = amounts.get(row.category.id, (None, None))
            zero = row.company.currency.round(Decimal(0))
            if 'reimbursed_month' in names:
                result['reimbursed_month'][row.id] = (
                    month if month is not None else zero)
            if 'reimbursed_year' in names:
                result['reimbursed_year'][row.id] = (
                    year if year is not None else zero)
        return result
