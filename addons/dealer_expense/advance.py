# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Cash advances (借款单, R-EXP-06) and their settlement (冲销).

An employee asks for an advance; once approved (his direct supervisor,
then finance) it books what he is advanced: a supplier invoice of the
employee whose line is on the company's employee advances account
(其他应收款), which finance pays by a payment request like a claim's
payable.  Paid, the advance is open: each claim of the same employee and
company approved later settles the open advances oldest first, up to the
claim's amount — negative lines on the advances account lower the claim's
payable, to nothing when the advances cover it.  Finance takes back the
unused part in cash or by bank (归还借款).  A settlement row records each
claim's and each return's part; an advance is never settled for more than
was advanced, and once nothing is open it is settled.

Privacy is the claims': an employee sees his own advances, a superior
those of his direct subordinates, an approver those he decides on,
finance the approved ones of its companies."""
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import (
    Check, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.document import (
    company_today, sequence_field)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .employee import EmployeeDocumentMixin
from .exceptions import ExpenseError


class AdvanceError(ExpenseError):
    pass


class Settings(metaclass=PoolMeta):
    __name__ = 'dealer.expense.settings'
    advance_account = fields.Many2One('account.account',
        "Employee Advances Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ['OR',
                ('type.receivable', '=', True),
                ('type.assets', '=', True),
                ],
            ],
        help="Where what employees are advanced is booked (其他应收款): "
        "a receivable or other asset account, best requiring the party.")
    advance_sequence = sequence_field(
        'dealer_expense', 'sequence_type_advance', "Advance Sequence")


class Advance(EmployeeDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.expense.advance'
    __string__ = "Cash Advance"
    _submitted_message = ('dealer_expense.msg_advance_submitted', 'advance')
    _delete_message = ('dealer_expense.msg_advance_delete', 'advance')
    _number_sequence = ('dealer_expense', 'sequence_advance')
    _number_settings = ('dealer.expense.settings', 'advance_sequence')
    _states = {'readonly': Eval('state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('id', -1) < 0,
                ('id', '=', Eval('context', {}).get('employee', -1)),
                ()),
            ],
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="Who is advanced the money: the advances are his own.")
    date = fields.Date("Date", required=True, states=_states)
    description = fields.Text("Purpose", required=True, states=_states)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, readonly=True)
    amount = Monetary("Amount", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('amount', '>', 0)])
    expected_date = fields.Date("Expected Settlement Date", states=_states,
        domain=[
            If(Eval('expected_date') & Eval('date'),
                ('expected_date', '>=', Eval('date')),
                ()),
            ],
        help="When the employee expects to claim or return what he is "
        "advanced.")
    account = fields.Many2One('account.account', "Advances Account",
        readonly=True,
        states={
            'invisible': ~Eval('account'),
            },
        help="The account the approved advance was booked on: its claims "
        "and return settle it there.")
    invoice = fields.Many2One('account.invoice', "Payable", readonly=True,
        states={
            'invisible': ~Eval('invoice'),
            },
        help="What the employee is paid: the payable the approved advance "
        "booked.")
    settlements = fields.One2Many('dealer.expense.advance.settlement',
        'advance', "Settlements", readonly=True)
    settled_amount = fields.Function(Monetary(
            "Settled by Claims", currency='currency', digits='currency'),
        'get_amounts')
    returned_amount = fields.Function(Monetary(
            "Returned", currency='currency', digits='currency'),
        'get_amounts')
    open_amount = fields.Function(Monetary(
            "Open", currency='currency', digits='currency',
            help="What is advanced and neither settled by a claim nor "
            "returned."),
        'get_amounts')
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting for Approval"),
            ('approved', "Approved"),
            ('paid', "Paid"),
            ('settled', "Settled"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.employee, Index.Range()),
                    (t.date, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._transitions |= {
            ('draft', 'waiting'),
            ('waiting', 'draft'),
            ('waiting', 'approved'),
            ('approved', 'paid'),
            ('paid', 'settled'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
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
                'return_': {
                    'invisible': Eval('state') != 'paid',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })
        # Submitting follows the advance's state; a rejected advance comes
        # back to its employee at once, never through a reset.
        cls._buttons['approval_submit']['invisible'] = (
            Eval('state') != 'draft')
        cls._buttons['approval_submit']['depends'] = ['state']
        cls._buttons['approval_reset']['invisible'] = True

    @classmethod
    def _amounts(cls, advances):
        """What is settled by claims and returned of each advance:
        {id: (settled, returned)}, read from the table (not a cache) for
        the checks"""
        pool = Pool()
        Settlement = pool.get('dealer.expense.advance.settlement')
        table = Settlement.__table__()
        cursor = Transaction().connection.cursor()
        result = {a.id: [Decimal(0), Decimal(0)] for a in advances}
        if not result:
            return result
        cursor.execute(*table.select(
                table.advance, table.kind, Sum(table.amount),
                where=table.advance.in_(list(result)),
                group_by=[table.advance, table.kind]))
        for advance, kind, amount in cursor:
            # SQLite sums as a float or an integer.
            amount = Decimal(str(amount or 0))
            result[advance][0 if kind == 'claim' else 1] += amount
        return result

    @classmethod
    def get_amounts(cls, advances, names):
        amounts = cls._amounts(advances)
        result = {n: {} for n in names}
        for advance in advances:
            settled, returned = amounts[advance.id]
            round_ = advance.currency.round
            values = {
                'settled_amount': round_(settled),
                'returned_amount': round_(returned),
                'open_amount': round_(advance.amount - settled - returned),
                }
            for name in names:
                result[name][advance.id] = values[name]
        return result

    def get_approval_amount(self):
        return self.amount

    def get_approval_summary(self):
        parts = [self.employee.rec_name]
        if self.description and self.description.strip():
            parts.append(self.description.strip().splitlines()[0][:80])
        return ' · '.join(parts)

    @classmethod
    def copy(cls, advances, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('account')
        default.setdefault('invoice')
        default.setdefault('settlements')
        default.setdefault('state', 'draft')
        return super().copy(advances, default=default)

    @classmethod
    @Workflow.transition('approved')
    def approve(cls, advances):
        "Book the approved advances: what each employee is to be paid"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Settings = pool.get('dealer.expense.settings')
        with without_check_access():
            invoices = []
            for advance in advances:
                account = Settings.for_company(advance.company).advance_account
                if not account:
                    raise AdvanceError(gettext(
                            'dealer_expense.msg_advance_no_account',
                            company=advance.company.rec_name,
                            advance=advance.rec_name))
                with Transaction().set_context(company=advance.company.id):
                    # Read in the company: the employee's payable account
                    # is the company's.
                    record = cls(advance.id)
                    record.account = account
                    invoices.append(record._get_invoice())
            Invoice.save(invoices)
            Invoice.update_taxes(invoices)
            Invoice.post(invoices)
            for advance, invoice in zip(advances, invoices):
                advance.account = invoice.lines[0].account
                advance.invoice = invoice
                advance.state = 'approved'
            cls.save(advances)

    def _get_invoice_lines(self):
        "What the employee is advanced, on the advances account"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        return [InvoiceLine(
                invoice_type='in',
                type='line',
                company=self.company,
                currency=self.currency,
                account=self.account,
                description=(self.description.strip().splitlines()
                    or [self.number])[0][:80],
                quantity=1,
                unit_price=self.amount,
                origin=self,
                )]

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, advances):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, advances):
        pass

    @classmethod
    @ModelView.button_action('dealer_expense.wizard_advance_return')
    def return_(cls, advances):
        pass

    @classmethod
    def _lock_open(cls, company, employee, currency):
        """The employee's open advances in the company, oldest first, locked
        and marked changed: a second claim approved at the same moment
        waits, restarts and sees what this one settled"""
        advances = cls.search([
                ('company', '=', company.id),
                ('employee', '=', employee.id),
                ('currency', '=', currency.id),
                ('state', '=', 'paid'),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        lock_rows(advances, changed=True)
        return cls.browse(advances)

    @classmethod
    def settle_claims(cls, claims):
        """Settle the open advances of each claim's employee against it,
        oldest first, up to the claim's amount; return the advances
        settled"""
        pool = Pool()
        Settlement = pool.get('dealer.expense.advance.settlement')
        groups = defaultdict(list)
        for claim in claims:
            groups[(claim.company, claim.employee, claim.currency)].append(
                claim)
        settlements, touched = [], set()
        for (company, employee, currency), group in groups.items():
            advances = cls._lock_open(company, employee, currency)
            if not advances:
                continue
            amounts = cls._amounts(advances)
            left = {a: a.amount - sum(amounts[a.id]) for a in advances}
            today = company_today(company)
            for claim in sorted(group, key=lambda c: c.id):
                if claim.advance_settlements:
                    continue
                to_settle = claim.amount
                for advance in advances:
                    if to_settle <= 0:
                        break
                    amount = currency.round(min(left[advance], to_settle))
                    if amount <= 0:
                        continue
                    settlements.append(Settlement(advance=advance,
                            kind='claim', claim=claim, amount=amount,
                            date=today))
                    left[advance] -= amount
                    to_settle -= amount
                    touched.add(advance)
        Settlement.save(settlements)
        return list(touched)

    @classmethod
    def check_amounts(cls, advances):
        "Never settled nor returned for more than was advanced"
        amounts = cls._amounts(advances)
        for advance in advances:
            settled, returned = amounts[advance.id]
            if settled + returned > advance.amount:
                raise AdvanceError(gettext(
                        'dealer_expense.msg_advance_overdrawn',
                        advance=advance.rec_name,
                        amount=advance.amount,
                        settled=advance.currency.round(settled + returned),
                        currency=advance.currency.code))

    @classmethod
    def close(cls, advances):
        """The advances with nothing open are settled; their lines on the
        advances account are reconciled"""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        advances = cls.browse([a for a in advances if a.state == 'paid'])
        amounts = cls._amounts(advances)
        settled = [a for a in advances
            if a.amount - sum(amounts[a.id]) <= 0]
        if not settled:
            return
        cls.write(settled, {'state': 'settled'})
        to_reconcile = []
        for advance in settled:
            lines = advance._account_lines()
            if (advance.account.reconcile and lines
                    and not any(l.reconciliation for l in lines)
                    and sum(l.debit - l.credit for l in lines) == 0):
                to_reconcile.append(lines)
        if to_reconcile:
            MoveLine.reconcile(*to_reconcile)

    def _account_lines(self):
        """The lines of the advances account that book the advance, its
        settlements by claims and its return"""
        lines = [l for l in self.invoice.move.lines
            if l.account == self.account]
        for settlement in self.settlements:
            if settlement.move:
                lines.extend(l for l in settlement.move.lines
                    if l.account == self.account)
            elif settlement.claim and settlement.claim.invoice:
                invoice = settlement.claim.invoice
                origins = {l for l in invoice.lines
                    if l.origin == settlement}
                if invoice.move:
                    lines.extend(l for l in invoice.move.lines
                        if l.origin in origins)
        return lines

    @classmethod
    def return_unused(cls, advance, amount, payment_method, date):
        """Finance takes back the unused part of the advance in cash or by
        bank: the payment method's account is debited, the advances
        account credited"""
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        Settlement = pool.get('dealer.expense.advance.settlement')
        # Two clerks returning at once, or a claim approved meanwhile: the
        # second waits, restarts and counts what the first settled.
        lock_rows([advance], changed=True)
        advance = cls(advance.id)
        if advance.state != 'paid':
            raise AdvanceError(gettext(
                    'dealer_expense.msg_advance_return_state',
                    advance=advance.rec_name,
                    state=advance.state_string))
        currency = advance.currency
        if amount is None or amount <= 0:
            raise AdvanceError(gettext(
                    'dealer_expense.msg_advance_return_positive',
                    advance=advance.rec_name))
        amount = currency.round(amount)
        open_amount = currency.round(
            advance.amount - sum(cls._amounts([advance])[advance.id]))
        if amount > open_amount:
            raise AdvanceError(gettext(
                    'dealer_expense.msg_advance_return_exceeds',
                    advance=advance.rec_name, amount=amount,
                    open=open_amount, currency=currency.code))
        if payment_method.company != advance.company:
            raise AdvanceError(gettext(
                    'dealer_expense.msg_advance_return_method',
                    method=payment_method.rec_name,
                    company=advance.company.rec_name))
        employee = advance.employee.party
        company = advance.company
        description = gettext('dealer_expense.msg_advance_return_move',
            advance=advance.rec_name, employee=advance.employee.rec_name)
        debit_account = payment_method.debit_account
        move = Move(
            company=company,
            journal=payment_method.journal,
            period=Period.find(company, date=date),
            date=date,
            origin=advance,
            description=description,
            lines=[
                MoveLine(account=debit_account, debit=amount,
                    credit=Decimal(0),
                    party=employee if debit_account.party_required else None,
                    description=description),
                MoveLine(account=advance.account, debit=Decimal(0),
                    credit=amount,
                    party=employee if advance.account.party_required
                    else None,
                    description=description),
                ])
        move.save()
        Move.post([move])
        Settlement(advance=advance, kind='return', amount=amount, date=date,
            payment_method=payment_method, move=move).save()
        cls.close([advance])


class Settlement(ModelSQL, ModelView):
    __name__ = 'dealer.expense.advance.settlement'
    __string__ = "Advance Settlement"
    advance = fields.Many2One('dealer.expense.advance', "Cash Advance",
        required=True, readonly=True, ondelete='RESTRICT')
    kind = fields.Selection([
            ('claim', "Expense Claim"),
            ('return', "Returned"),
            ], "Settled By", required=True, readonly=True)
    claim = fields.Many2One('dealer.expense.claim', "Expense Claim",
        readonly=True, ondelete='RESTRICT',
        states={
            'required': Eval('kind') == 'claim',
            'invisible': Eval('kind') != 'claim',
            })
    date = fields.Date("Date", required=True, readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary("Amount", currency='currency', digits='currency',
        required=True, readonly=True)
    payment_method = fields.Many2One('account.invoice.payment.method',
        "Payment Method", readonly=True, ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'return',
            })
    move = fields.Many2One('account.move', "Move", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'return',
            })
    employee = fields.Function(fields.Many2One(
            'company.employee', "Employee"), 'on_change_with_employee')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount > 0),
                'dealer_expense.msg_advance_settlement_positive'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.advance, Index.Range())),
                Index(t, (t.claim, Index.Range()), where=t.claim != Null),
                })

    @fields.depends('advance', '_parent_advance.currency')
    def on_change_with_currency(self, name=None):
        return self.advance.currency if self.advance else None

    @fields.depends('advance', '_parent_advance.employee')
    def on_change_with_employee(self, name=None):
        return self.advance.employee if self.advance else None

    def get_rec_name(self, name):
        return '%s %s' % (self.advance.rec_name, self.date)

    @classmethod
    def validate(cls, settlements):
        pool = Pool()
        Advance = pool.get('dealer.expense.advance')
        super().validate(settlements)
        Advance.check_amounts(Advance.browse(
                {s.advance.id for s in settlements}))

    def _get_invoice_line(self):
        "The claim's line settling the advance: it lowers the payable"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        return InvoiceLine(
            invoice_type='in',
            type='line',
            company=self.advance.company,
            currency=self.advance.currency,
            account=self.advance.account,
            description=gettext(
                'dealer_expense.msg_advance_settlement_line',
                advance=self.advance.rec_name),
            quantity=1,
            unit_price=-self.amount,
            origin=self,
            )


class Claim(metaclass=PoolMeta):
    __name__ = 'dealer.expense.claim'
    advance_settlements = fields.One2Many(
        'dealer.expense.advance.settlement', 'claim', "Advances Settled",
        readonly=True)
    advance_amount = fields.Function(Monetary(
            "Settled Against Advances", currency='currency',
            digits='currency'),
        'get_advance_amount')
    payable_amount = fields.Function(Monetary(
            "To Reimburse", currency='currency', digits='currency',
            help="The claim's amount less what it settled of the "
            "employee's advances."),
        'get_advance_amount')

    def get_advance_amount(self, name):
        settled = sum(
            (s.amount for s in self.advance_settlements), Decimal(0))
        if name == 'advance_amount':
            return self.currency.round(settled)
        return self.currency.round((self.amount or 0) - settled)

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('advance_settlements')
        return super().copy(claims, default=default)

    @classmethod
    def approve(cls, claims):
        """Approved claims settle their employee's open advances first:
        the payable is what is left, nothing when the advances cover it"""
        pool = Pool()
        Advance = pool.get('dealer.expense.advance')
        Invoice = pool.get('account.invoice')
        with without_check_access():
            advances = Advance.settle_claims(
                [c for c in claims if c.state == 'waiting'])
        super().approve(claims)
        with without_check_access():
            Advance.close(advances)
            cls._pay_nothing_owed(Invoice.browse(
                    [c.invoice.id for c in cls.browse(claims) if c.invoice]))

    @classmethod
    def _pay_nothing_owed(cls, invoices):
        """A payable of nothing is paid at once, and its claim with it.
        Tryton reconciles a move's zero lines when posting it, but on SQLite
        its query misses those written 0.00, and the invoice would wait for
        the queue to find it reconciled: both are done here."""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        MoveLine = pool.get('account.move.line')
        invoices = [i for i in invoices if i.state == 'posted'
            and i.currency.is_zero(i.total_amount)]
        to_reconcile = []
        for invoice in invoices:
            lines = [l for l in invoice.lines_to_pay if not l.reconciliation]
            if lines and not any(l.debit or l.credit for l in lines):
                to_reconcile.append(lines)
        if to_reconcile:
            MoveLine.reconcile(*to_reconcile)
        invoices = Invoice.browse(invoices)
        Invoice.process([i for i in invoices if i.reconciled])

    def _get_invoice_lines(self):
        lines = super()._get_invoice_lines()
        lines.extend(s._get_invoice_line() for s in self.advance_settlements)
        return lines


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'dealer.expense.advance', 'dealer.expense.advance.settlement']

    @classmethod
    def _account_domain(cls, type_):
        domain = super()._account_domain(type_)
        if type_ == 'in':
            # The advances account is an asset: a payable books what an
            # employee is advanced and a claim's payable settles it.
            domain = domain + [('expense_advance', '=', True)]
        return domain


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.expense.advance']


class Account(metaclass=PoolMeta):
    __name__ = 'account.account'
    expense_advance = fields.Function(fields.Boolean(
            "Employee Advances",
            help="A company's employee advances account (其他应收款)."),
        'get_expense_advance', searcher='search_expense_advance')

    @classmethod
    def _expense_advance_queries(cls):
        pool = Pool()
        Settings = pool.get('dealer.expense.settings')
        Advance = pool.get('dealer.expense.advance')
        settings = Settings.__table__()
        advance = Advance.__table__()
        # Also the accounts advances were booked on, should the company
        # choose another since: their claims still settle them there.
        return [
            settings.select(settings.advance_account,
                where=settings.advance_account != Null),
            advance.select(advance.account,
                where=advance.account != Null),
            ]

    @classmethod
    def get_expense_advance(cls, accounts, name):
        cursor = Transaction().connection.cursor()
        ids = set()
        for query in cls._expense_advance_queries():
            cursor.execute(*query)
            ids.update(i for i, in cursor)
        return {a.id: a.id in ids for a in accounts}

    @classmethod
    def search_expense_advance(cls, name, clause):
        _, operator, value = clause
        queries = cls._expense_advance_queries()
        if (operator == '=') == bool(value):
            return ['OR'] + [('id', 'in', q) for q in queries]
        return [('id', 'not in', q) for q in queries]


class ReturnStart(ModelView):
    __name__ = 'dealer.expense.advance.return.start'
    __string__ = "Return Unused Advance"
    advance = fields.Many2One('dealer.expense.advance', "Cash Advance",
        readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    open_amount = Monetary("Open", currency='currency', digits='currency',
        readonly=True)
    amount = Monetary("Amount Returned", currency='currency',
        digits='currency', required=True,
        domain=[
            ('amount', '>', 0),
            ('amount', '<=', Eval('open_amount', 0)),
            ])
    payment_method = fields.Many2One('account.invoice.payment.method',
        "Payment Method", required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="How the employee gave the money back: its journal and "
        "account receive it.")
    date = fields.Date("Date", required=True)


class Return(Wizard):
    __name__ = 'dealer.expense.advance.return'
    start = StateView('dealer.expense.advance.return.start',
        'dealer_expense.advance_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Return", 'return_', 'tryton-ok', default=True),
            ])
    return_ = StateTransition()

    def default_start(self, fields):
        pool = Pool()
        FinanceSettings = pool.get('dealer.finance.settings')
        advance = self.record
        if advance.state != 'paid':
            raise AdvanceError(gettext(
                    'dealer_expense.msg_advance_return_state',
                    advance=advance.rec_name,
                    state=advance.state_string))
        with without_check_access():
            method = FinanceSettings.for_company(
                advance.company).payment_method
        return {
            'advance': advance.id,
            'company': advance.company.id,
            'currency': advance.currency.id,
            'open_amount': advance.open_amount,
            'amount': advance.open_amount,
            'payment_method': method.id if method else None,
            'date': company_today(advance.company),
            }

    def transition_return_(self):
        pool = Pool()
        Advance = pool.get('dealer.expense.advance')
        # Only the advance the wizard was started on, whatever the form
        # says.
        advance = self.record
        with without_check_access():
            Advance.return_unused(advance, self.start.amount,
                self.start.payment_method, self.start.date)
        return 'end'
