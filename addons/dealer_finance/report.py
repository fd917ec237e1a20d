# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Finance reports (R-FIN-06, R-FIN-07).

- Customer and supplier ledgers are Tryton's general ledger per party
  (account.general_ledger.account.party) opened on receivable or payable
  accounts: report.xml only adds the menu entries.
- Receivable ageing: one grouped SQL statement over the open receivable
  lines, per customer or rolled up to the top head office.
- Profit per deal: revenue, cost of goods, expenses, profit and margin of
  each confirmed sale.
"""
import datetime as dt
from decimal import Decimal

from sql import Literal, Null, Union, With
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

# (field, lowest days overdue, highest days overdue); None: unbounded
AGEING_BUCKETS = [
    ('not_due', None, -1),
    ('days_0_30', 0, 30),
    ('days_31_60', 31, 60),
    ('days_61_90', 61, 90),
    ('days_over_90', 91, None),
    ]
AGEING_AMOUNTS = [b[0] for b in AGEING_BUCKETS] + ['balance']


class CompanyCurrencyMixin:
    "A report row's amounts are in the currency of its company"
    __slots__ = ()
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'get_currency', searcher='search_currency')

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def search_currency(cls, name, clause):
        return [('company.' + clause[0], *clause[1:])]


class RoundedAmountsMixin:
    """SQLite sums Decimals as floats: round the summed amounts to the
    company currency when read (PostgreSQL's sums are exact already)"""
    __slots__ = ()
    _rounded_amounts = []

    @classmethod
    def read(cls, ids, fields_names):
        pool = Pool()
        Company = pool.get('company.company')
        rows = super().read(ids, fields_names)
        names = set(cls._rounded_amounts) & set(fields_names)
        if not names:
            return rows
        currencies = {}
        context_company = Transaction().context.get('company')
        for row in rows:
            # Every row is of the context's company unless told otherwise
            company_id = row.get('company', context_company)
            if company_id is None:
                continue
            if company_id not in currencies:
                currencies[company_id] = Company(company_id).currency
            currency = currencies[company_id]
            for name in names:
                if row.get(name) is not None:
                    row[name] = currency.round(Decimal(str(row[name])))
        return rows


class ReceivableAgeingContext(ModelView):
    __name__ = 'dealer.receivable.ageing.context'
    __string__ = "Receivable Ageing Context"
    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date("Date", required=True,
        help="The receivables as they stood at the end of this day: "
        "lines booked later are left out, lines reconciled later count "
        "as still open.")
    head_office = fields.Boolean("Roll Up to Head Offices",
        help="Count the receivables of subsidiaries and end customers for "
        "their head office, up to the top of the tree.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        # ir.date gives today in the context company's timezone.
        return Date.today()

    @classmethod
    def default_head_office(cls):
        return Transaction().context.get('head_office', False)


class ReceivableAgeing(
        CompanyCurrencyMixin, RoundedAmountsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.receivable.ageing'
    __string__ = "Receivable Ageing"
    _rounded_amounts = AGEING_AMOUNTS
    party = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="With the roll-up, the top head office.")
    company = fields.Many2One('company.company', "Company")
    owner = fields.Many2One('company.employee', "Salesperson",
        help="The salesperson the customer belongs to.")
    not_due = Monetary("Not Due", currency='currency', digits='currency',
        help="Falls due after the date.")
    days_0_30 = Monetary("0-30 Days", currency='currency',
        digits='currency', help="Overdue by 0 to 30 days.")
    days_31_60 = Monetary("31-60 Days", currency='currency',
        digits='currency', help="Overdue by 31 to 60 days.")
    days_61_90 = Monetary("61-90 Days", currency='currency',
        digits='currency', help="Overdue by 61 to 90 days.")
    days_over_90 = Monetary("Over 90 Days", currency='currency',
        digits='currency', help="Overdue by more than 90 days.")
    balance = Monetary("Balance", currency='currency', digits='currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('balance', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _open_lines(cls, company_id, date, tops=None):
        """The party, due date and amount of the receivable lines of the
        company still open at the end of the date, the invoices of the
        contracts on a payment plan by the plan's instalments.

        Two branches: the unreconciled lines (served by the account's
        partial index on open lines) and the lines reconciled after the
        date (served by the reconciliation date index).
        With tops, a function returning a (member, top) query, the lines
        are those of the members, each under its top party."""
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        Reconciliation = pool.get('account.move.reconciliation')

        # The receivable accounts as constants: joined through their type,
        # PostgreSQL cannot estimate how many lines match and reads each
        # line's move one at a time (bench: the page 990 -> 510 ms).
        with without_check_access():
            accounts = [a.id for a in Account.search([
                        ('company', '=', company_id),
                        ('type.receivable', '=', True),
                        ])]

        def select(reconciled):
            line, move = Line.__table__(), Move.__table__()
            # Joined here, on the line itself, so that one top's members
            # reach the (account, party) index.
            query, party = cls._under_tops(
                line.join(move, condition=line.move == move.id),
                line.party, tops)
            where = ((line.account.in_(accounts) if accounts
                    else Literal(False))
                & (line.party != Null)
                & (move.date <= date))
            if covered:
                # their instalments count instead (_open_instalments)
                where &= ~move.origin.in_(
                    [f'account.invoice,{i}' for i in covered])
            if reconciled:
                reconciliation = Reconciliation.__table__()
                query = query.join(reconciliation,
                    condition=line.reconciliation == reconciliation.id)
                where &= reconciliation.date > date
            else:
                where &= line.reconciliation == Null
            return query.select(
                party.as_('party'),
                Literal(company_id).as_('company'),
                Coalesce(line.maturity_date, move.date).as_('due'),
                (line.debit - line.credit).as_('amount'),
                where=where)
        covered = cls._invoices_under_plans(company_id)
        return Union(
            select(False), select(True), cls._open_instalments(
                company_id, date, tops=tops), all_=True)

    @staticmethod
    def _under_tops(query, party, tops):
        """The query joined to the (member, top) query of tops, and the
        party column to report: the top, or the party itself"""
        if not tops:
            return query, party
        members = tops()
        return (query.join(members, condition=party == members.member),
            members.top)

    @classmethod
    def _invoices_under_plans(cls, company_id):
        """The customer invoices of the contracts on a payment plan: the
        plan's instalments, not the invoice's maturity, say when the
        customer owes what"""
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        with without_check_access():
            plans = Plan.search([
                    ('company', '=', company_id),
                    ('state', 'in', ['running', 'closed']),
                    ('origin', 'like', 'sale.sale,%'),
                    ])
            return [i.id for p in plans for i in p.origin.invoices]

    @classmethod
    def _open_instalments(cls, company_id, date, tops=None):
        """The party, due date and amount still unpaid at the end of the
        date of the instalments of the company's payment plans"""
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        Instalment = pool.get('dealer.payment.plan.line')
        Allocation = pool.get('dealer.payment.allocation')
        plan, line = Plan.__table__(), Instalment.__table__()
        allocation = Allocation.__table__()
        received = allocation.select(
            allocation.instalment.as_('instalment'),
            Sum(allocation.amount).as_('amount'),
            where=allocation.date <= date,
            group_by=[allocation.instalment])
        query, party = cls._under_tops(
            line.join(plan, condition=line.plan == plan.id).join(
                received, 'LEFT', condition=received.instalment == line.id),
            plan.customer, tops)
        return query.select(
            party.as_('party'),
            Literal(company_id).as_('company'),
            line.due_date.as_('due'),
            (line.amount - Coalesce(received.amount, 0)).as_('amount'),
            where=(plan.company == company_id)
            & plan.state.in_(['running', 'closed'])
            & (line.amount > Coalesce(received.amount, 0)))

    @classmethod
    def _rolled_up_lines(cls, company_id, date):
        """The open lines with each party replaced by its top head office,
        and the recursive query of the head office tree they need.

        A customer is its own top when it has no head office; the tree
        query walks up from the subsidiaries only (few, by the index on
        head_office).  A filter on the party (reading a page of rows, one
        head office) thus reaches the lines' (account, party) index
        through the grouping instead of aggregating every line."""
        pool = Pool()
        Party = pool.get('party.party')
        # (subsidiary, ancestor) up to the top; UNION stops on a cycle
        # (which dealer_crm refuses anyway).
        up = With('member', 'ancestor', recursive=True)
        sub, parent = Party.__table__(), Party.__table__()
        up.query = sub.select(sub.id, sub.head_office,
            where=sub.head_office != Null)
        up.query |= up.join(parent,
            condition=parent.id == up.ancestor).select(
                up.member, parent.head_office,
                where=parent.head_office != Null)

        def subsidiaries():
            top = Party.__table__()
            return up.join(top, condition=(top.id == up.ancestor)
                & (top.head_office == Null)).select(
                    up.member.as_('member'), up.ancestor.as_('top'))

        def independents():
            party = Party.__table__()
            return party.select(party.id.as_('member'), party.id.as_('top'),
                where=party.head_office == Null)
        lines = Union(
            cls._open_lines(company_id, date, tops=independents),
            cls._open_lines(company_id, date, tops=subsidiaries),
            all_=True)
        return lines, up

    @classmethod
    def table_query(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Date = pool.get('ir.date')
        context = Transaction().context
        company_id = context.get('company')
        date = context.get('date') or Date.today()
        if isinstance(date, dt.datetime):
            date = date.date()

        with_ = None
        if context.get('head_office'):
            lines, tree = cls._rolled_up_lines(company_id, date)
            with_ = [tree]
        else:
            lines = cls._open_lines(company_id, date)
        # Days overdue = date - due: compare the due date with the bounds.
        amounts = []
        for name, low, high in AGEING_BUCKETS:
            condition = Literal(True)
            if low is not None:
                condition &= lines.due <= date - dt.timedelta(days=low)
            if high is not None:
                condition &= lines.due >= date - dt.timedelta(days=high)
            amounts.append(
                Sum(Case((condition, lines.amount), else_=0)).as_(name))
        amounts.append(Sum(lines.amount).as_('balance'))
        per_party = lines.select(
            lines.party.as_('party'), lines.company.as_('company'), *amounts,
            group_by=[lines.party, lines.company])

        party = Party.__table__()
        return per_party.join(party,
            condition=per_party.party == party.id).select(
                per_party.party.as_('id'),
                per_party.party.as_('party'),
                per_party.company.as_('company'),
                party.owner.as_('owner'),
                *[getattr(per_party, n).as_(n) for n in AGEING_AMOUNTS],
                with_=with_)


class SaleProfitContext(ModelView):
    __name__ = 'dealer.sale.profit.context'
    __string__ = "Profit per Deal Context"
    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date",
        domain=[
            If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')),
                ()),
            ])
    to_date = fields.Date("To Date",
        domain=[
            If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')),
                ()),
            ])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class SaleProfit(CompanyCurrencyMixin, ModelSQL, ModelView):
    """One row per confirmed sale with what it earned.

    dealer_expense adds the expenses claimed for a deal by extending
    get_expenses."""
    __name__ = 'dealer.sale.profit'
    __string__ = "Profit per Deal"
    sale = fields.Many2One('sale.sale', "Sale",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    owner = fields.Many2One('company.employee', "Salesperson")
    sale_date = fields.Date("Sale Date")
    revenue = fields.Function(Monetary(
            "Revenue", currency='currency', digits='currency',
            help="The untaxed amount of the sale's lines on posted "
            "invoices (credit notes deducted); while nothing is invoiced, "
            "the untaxed amount of the sale. In the company currency."),
        'get_amounts')
    cost = fields.Function(Monetary(
            "Cost of Goods", currency='currency', digits='currency',
            help="The cost price of the goods delivered by the sale's done "
            "moves, less the goods returned."),
        'get_amounts')
    expense = fields.Function(Monetary(
            "Expenses", currency='currency', digits='currency',
            help="The expenses linked to the deal."),
        'get_amounts')
    profit = fields.Function(Monetary(
            "Profit", currency='currency', digits='currency',
            help="Revenue less cost of goods and expenses."),
        'get_amounts')
    margin = fields.Function(fields.Numeric(
            "Margin (%)", digits=(16, 2),
            help="The profit as a percentage of the revenue."),
        'get_amounts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sale_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        sale = Sale.__table__()
        context = Transaction().context
        where = sale.state.in_(['confirmed', 'processing', 'done'])
        if context.get('company'):
            where &= sale.company == context['company']
        if context.get('from_date'):
            where &= sale.sale_date >= context['from_date']
        if context.get('to_date'):
            where &= sale.sale_date <= context['to_date']
        return sale.select(
            sale.id.as_('id'),
            sale.id.as_('sale'),
            sale.company.as_('company'),
            sale.party.as_('party'),
            sale.owner.as_('owner'),
            sale.sale_date.as_('sale_date'),
            where=where)

    @classmethod
    def get_amounts(cls, records, names):
        result = {n: {} for n in names}
        # The rows are already limited by the report's rules; the sales'
        # invoices and moves are read whatever the user may open.
        with without_check_access():
            records = cls.browse([r.id for r in records])
            revenues = cls.get_revenues(records)
            costs = cls.get_costs(records)
            expenses = cls.get_expenses(records)
            for record in records:
                currency = record.company.currency
                revenue = currency.round(revenues[record.id])
                cost = currency.round(costs[record.id])
                expense = currency.round(expenses.get(record.id, 0))
                profit = revenue - cost - expense
                values = {
                    'revenue': revenue,
                    'cost': cost,
                    'expense': expense,
                    'profit': profit,
                    'margin': (profit * 100 / revenue).quantize(
                        Decimal('0.01')) if revenue else None,
                    }
                for name in names:
                    result[name][record.id] = values[name]
        return result

    @classmethod
    def get_revenues(cls, records):
        "Return the revenue of each deal in the company currency"
        pool = Pool()
        Currency = pool.get('currency.currency')
        revenues = {}
        for record in records:
            sale = record.sale
            company_currency = record.company.currency
            revenue, invoiced = Decimal(0), False
            for line in sale.lines:
                for invoice_line in getattr(line, 'invoice_lines', []):
                    invoice = invoice_line.invoice
                    if not invoice or invoice.state not in {'posted', 'paid'}:
                        continue
                    invoiced = True
                    with Transaction().set_context(
                            date=invoice.currency_date):
                        revenue += Currency.compute(
                            invoice.currency, invoice_line.amount,
                            company_currency, round=False)
            if not invoiced:
                with Transaction().set_context(date=sale.sale_date):
                    revenue = Currency.compute(
                        sale.currency, sale.untaxed_amount or 0,
                        company_currency, round=False)
            revenues[record.id] = revenue
        return revenues

    @classmethod
    def get_costs(cls, records):
        """Return the cost of the goods of each deal: cost price (in the
        company currency, per unit of the product's default unit) times the
        quantity in that unit of its done moves to customers, less returns"""
        costs = {}
        for record in records:
            cost = Decimal(0)
            for line in record.sale.lines:
                for move in getattr(line, 'moves', []):
                    if move.state != 'done' or move.cost_price is None:
                        continue
                    if move.to_location.type == 'customer':
                        sign = 1
                    elif move.from_location.type == 'customer':
                        sign = -1
                    else:
                        continue
                    cost += sign * move.cost_price * Decimal(
                        str(move.internal_quantity))
            costs[record.id] = cost
        return costs

    @classmethod
    def get_expenses(cls, records):
        "Return the expenses linked to each deal (none before dealer_expense)"
        return {r.id: Decimal(0) for r in records}
