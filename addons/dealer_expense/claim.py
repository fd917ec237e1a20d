# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Expense claims (报销单, R-EXP-01, R-EXP-04 … R-EXP-06).

An employee claims what he spent, line by line with its receipts, and
submits; the approval engine routes the claim (direct supervisor, further
steps by amount, the general manager for business expenses, finance) and
a returned claim comes back to him to correct and submit again.  Once
approved, the claim books its expenses on each category's account
against the employee's payable — a supplier invoice of the employee that
finance pays by a payment request; paying it marks the claim paid.

Privacy (R-EXP-05) is in the record rules: an employee sees his own
claims, a superior those of his direct subordinates, an approver those he
decides on, finance the approved claims of its companies; lines and
attachments follow their claim."""
import hashlib
from collections import defaultdict
from decimal import Decimal

from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.document import (
    DraftLinesMixin, company_currency, company_today)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .employee import EmployeeDocumentMixin
from .exceptions import ClaimError

# Claims whose lines count: submitted ones commit their amounts, approved
# and paid ones consumed them.
SUBMITTED = ['waiting', 'approved', 'paid']
EDITABLE = ['draft', 'returned']


class Claim(EmployeeDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.expense.claim'
    __string__ = "Expense Claim"
    _editable_states = EDITABLE
    _rejected_state = 'returned'
    _submitted_message = ('dealer_expense.msg_claim_submitted', 'claim')
    _delete_message = ('dealer_expense.msg_claim_delete', 'claim')
    _number_sequence = ('dealer_expense', 'sequence_claim')
    _number_settings = ('dealer.expense.settings', 'claim_sequence')
    _states = {'readonly': ~Eval('state').in_(EDITABLE)}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _states['readonly'] | Eval('lines', [0]),
            })
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
        help="Who spent and is reimbursed: the claims are his own.")
    department = fields.Many2One(
        'dealer.department', "Department", states=_states,
        domain=[
            ('members', '=', Eval('employee', -1)),
            ],
        help="Whose budget the claim spends.")
    date = fields.Date("Date", required=True, states=_states)
    description = fields.Text("Purpose", states=_states)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, readonly=True)
    lines = fields.One2Many('dealer.expense.claim.line', 'claim', "Lines",
        states=_states)
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_amount')
    invoice = fields.Many2One('account.invoice', "Payable", readonly=True,
        states={
            'invisible': ~Eval('invoice'),
            },
        help="The employee's payable the approved claim booked.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting for Approval"),
            ('returned', "Returned"),
            ('approved', "Approved"),
            ('paid', "Paid"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.employee, Index.Range()),
                    (t.date, Index.Range(order='DESC'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._transitions |= {
            ('draft', 'waiting'),
            ('returned', 'waiting'),
            ('waiting', 'returned'),
            ('waiting', 'approved'),
            ('approved', 'paid'),
            ('draft', 'cancelled'),
            ('returned', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': ~Eval('state').in_(EDITABLE),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })
        # Submitting follows the claim's state; a returned claim goes back
        # to its employee at once, never through a reset.
        cls._buttons['approval_submit']['invisible'] = (
            ~Eval('state').in_(EDITABLE))
        cls._buttons['approval_submit']['depends'] = ['state']
        cls._buttons['approval_reset']['invisible'] = True

    @fields.depends('employee', 'department')
    def on_change_employee(self):
        pool = Pool()
        Department = pool.get('dealer.department')
        if self.employee and not self.department:
            departments = Department.search([
                    ('members', '=', self.employee.id),
                    ], limit=2)
            if len(departments) == 1:
                self.department, = departments

    def get_amount(self, name):
        return self.currency.round(
            sum((l.claim_amount or 0 for l in self.lines), Decimal(0)))

    def get_approval_amount(self):
        return self.amount

    def get_approval_summary(self):
        parts = [self.employee.rec_name]
        customers = sorted({l.customer.rec_name for l in self.lines
                if l.customer})
        if customers:
            parts.append(', '.join(customers))
        if self.description and self.description.strip():
            parts.append(self.description.strip().splitlines()[0][:80])
        return ' · '.join(parts)

    def get_approval_conditions(self):
        conditions = super().get_approval_conditions()
        if any(l.category.business for l in self.lines):
            conditions.add('business')
        return conditions

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('invoice')
        default.setdefault('state', 'draft')
        return super().copy(claims, default=default)

    @classmethod
    def check_submission(cls, claims):
        """What a claim must be to be submitted (each module checking more
        extends it): lines, dates, receipts, no invoice or file claimed
        twice"""
        pool = Pool()
        Line = pool.get('dealer.expense.claim.line')
        Settings = pool.get('dealer.expense.settings')
        super().check_submission(claims)
        for claim in claims:
            if not claim.lines:
                raise ClaimError(gettext(
                        'dealer_expense.msg_claim_empty',
                        claim=claim.rec_name))
            today = company_today(claim.company)
            with without_check_access():
                threshold = Settings.for_company(
                    claim.company).receipt_threshold
            for line in claim.lines:
                line.check_date(today)
                if line.claim_amount > threshold and not line.receipts:
                    raise ClaimError(gettext(
                            'dealer_expense.msg_claim_receipt_missing',
                            line=line.rec_name, claim=claim.rec_name,
                            threshold=threshold))
        Line.check_duplicates([l for c in claims for l in c.lines])

    @classmethod
    @Workflow.transition('approved')
    def approve(cls, claims):
        "Book the approved claims: the employee's payables"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Event = pool.get('dealer.customer.event')
        with without_check_access():
            invoices = []
            for claim in claims:
                with Transaction().set_context(company=claim.company.id):
                    invoices.append(cls(claim.id)._get_invoice())
            Invoice.save(invoices)
            Invoice.update_taxes(invoices)
            Invoice.post(invoices)
            for claim, invoice in zip(claims, invoices):
                claim.invoice = invoice
                claim.state = 'approved'
            cls.save(claims)
            # Business expenses show on their customers' timelines.
            for claim in claims:
                for customer, amount in claim.customer_amounts().items():
                    Event.post(customer, 'expense', gettext(
                            'dealer_expense.msg_timeline_expense',
                            claim=claim.rec_name,
                            employee=claim.employee.rec_name,
                            amount=amount, currency=claim.currency.code),
                        origin=claim, company=claim.company)

    def customer_amounts(self):
        amounts = defaultdict(Decimal)
        for line in self.lines:
            if line.customer:
                amounts[line.customer] += line.claim_amount
        return amounts

    def _get_invoice_lines(self):
        "The payable's lines: each expense on its category's account"
        return [l._get_invoice_line() for l in self.lines]

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, claims):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, claims):
        pass

class ClaimLine(DraftLinesMixin, ModelSQL, ModelView):
    __name__ = 'dealer.expense.claim.line'
    __string__ = "Expense Claim Line"
    _document_field = 'claim'
    _frozen_message = ('dealer_expense.msg_claim_modify', 'claim')
    _states = {
        'readonly': ~Eval('claim_state', 'draft').in_(EDITABLE),
        }
    claim = fields.Many2One('dealer.expense.claim', "Claim", required=True,
        ondelete='CASCADE', states=_states)
    claim_state = fields.Function(fields.Selection(
            'get_claim_states', "Claim State"), 'on_change_with_claim_state',
        searcher='search_claim_field')
    employee = fields.Function(fields.Many2One(
            'company.employee', "Employee"), 'on_change_with_employee',
        searcher='search_claim_field')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    date = fields.Date("Date", required=True, states=_states)
    category = fields.Many2One('dealer.expense.category', "Category",
        required=True, ondelete='RESTRICT', states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    description = fields.Char("Description", states=_states)
    city = fields.Many2One('dealer.expense.city', "City", states=_states)
    currency = fields.Many2One('currency.currency', "Currency",
        required=True, states=_states)
    amount = Monetary("Amount", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('amount', '>', 0)])
    claim_currency = fields.Function(fields.Many2One(
            'currency.currency', "Claim Currency"),
        'on_change_with_claim_currency')
    claim_amount = fields.Function(Monetary("Amount in Claim Currency",
            currency='claim_currency', digits='claim_currency'),
        'on_change_with_claim_amount')
    customer = fields.Many2One('party.party', "Customer", states={
            'readonly': _states['readonly'],
            'required': Eval('business', False),
            },
        domain=[
            ('is_customer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    project = fields.Many2One('dealer.customer.project', "Customer Project",
        states=_states,
        domain=[
            ('customer', '=', Eval('customer', -1)),
            ])
    business = fields.Function(fields.Boolean("Business Expense"),
        'on_change_with_business')
    invoice_code = fields.Char("Invoice Code", states=_states,
        help="The code (发票代码) of the receipt's official invoice.")
    invoice_number = fields.Char("Invoice Number", states=_states,
        help="The number (发票号码) of the receipt's official invoice: "
        "an invoice is claimed once across the group.")
    receipts = fields.Function(fields.Integer("Receipts",
            help="The images or PDFs attached to the line."),
        'get_receipts')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.claim, Index.Range())),
                # Tryton searches a Char that is not required as
                # COALESCE(column, ''): the index is on that, or the
                # duplicate check reads every line (86 ms at 1,000,000)
                Index(t, (Coalesce(t.invoice_number, ''), Index.Equality())),
                Index(t, (t.category, Index.Range()),
                    (t.date, Index.Range())),
                Index(t, (t.customer, Index.Range())),
                })

    @classmethod
    def get_claim_states(cls):
        pool = Pool()
        Claim = pool.get('dealer.expense.claim')
        return Claim.state.selection

    @fields.depends('claim', '_parent_claim.state')
    def on_change_with_claim_state(self, name=None):
        return self.claim.state if self.claim else None

    @fields.depends('claim', '_parent_claim.employee')
    def on_change_with_employee(self, name=None):
        return self.claim.employee if self.claim else None

    @classmethod
    def search_claim_field(cls, name, clause):
        # A dotted clause (employee.name) goes on through the claim's field.
        nested = clause[0][len(name):]
        name = {'claim_state': 'state'}.get(name, name)
        return [('claim.' + name + nested,) + tuple(clause[1:])]

    @fields.depends('claim', '_parent_claim.company')
    def on_change_with_company(self, name=None):
        return self.claim.company if self.claim else None

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_claim_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @fields.depends('category')
    def on_change_with_business(self, name=None):
        return bool(self.category and self.category.business)

    @fields.depends('claim', 'date', 'currency', '_parent_claim.date',
        '_parent_claim.currency')
    def on_change_claim(self):
        if self.claim:
            self.date = self.date or self.claim.date
            self.currency = self.currency or self.claim.currency

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @classmethod
    def default_currency(cls):
        return company_currency()

    @fields.depends('amount', 'currency', 'date', 'claim',
        '_parent_claim.currency')
    def on_change_with_claim_amount(self, name=None):
        "The amount in the claim's currency at the rate of the line's date"
        pool = Pool()
        Currency = pool.get('currency.currency')
        if (self.amount is None or not self.currency or not self.claim
                or not self.claim.currency):
            return None
        if self.currency == self.claim.currency:
            return self.amount
        with Transaction().set_context(date=self.date):
            return Currency.compute(
                self.currency, self.amount, self.claim.currency,
                round=True)

    @classmethod
    def get_receipts(cls, lines, name):
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        counts = dict.fromkeys((l.id for l in lines), 0)
        # Counted whatever the reader may open: the number of receipts of
        # a line he reads is no secret.
        with without_check_access():
            for attachment in Attachment.search([
                        ('resource', 'in', [str(l) for l in lines]),
                        ]):
                counts[attachment.resource.id] += 1
        return counts

    def get_rec_name(self, name):
        parts = [self.category.rec_name]
        if self.description:
            parts.append(self.description)
        return ' '.join(parts)

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'amount', 'currency', 'date', 'claim'}:
            for line in lines:
                line.check_rate()

    def check_rate(self):
        "A foreign amount needs its rate on the line's date"
        pool = Pool()
        Rate = pool.get('currency.currency.rate')
        if self.currency == self.claim.currency:
            return
        for currency in [self.currency, self.claim.currency]:
            if not Rate.search([
                        ('currency', '=', currency.id),
                        ('date', '<=', self.date),
                        ], limit=1):
                raise ClaimError(gettext(
                        'dealer_expense.msg_line_no_rate',
                        currency=currency.code, date=self.date,
                        line=self.rec_name))

    def check_date(self, today):
        "Spent neither in the future nor in a period already closed"
        pool = Pool()
        Period = pool.get('account.period')
        if self.date > today:
            raise ClaimError(gettext(
                    'dealer_expense.msg_line_future',
                    line=self.rec_name, date=self.date))
        with without_check_access():
            closed = Period.search([
                    ('company', '=', self.claim.company.id),
                    ('start_date', '<=', self.date),
                    ('end_date', '>=', self.date),
                    ('type', '=', 'standard'),
                    ('state', '!=', 'open'),
                    ], limit=1)
        if closed:
            raise ClaimError(gettext(
                    'dealer_expense.msg_line_closed_period',
                    line=self.rec_name, date=self.date,
                    period=closed[0].rec_name))

    @classmethod
    def check_duplicates(cls, lines):
        """The same official invoice or the same file is claimed once across
        the group: by these lines or by the lines of any other submitted
        claim"""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        seen = {}
        for line in lines:
            if not line.invoice_number:
                continue
            key = ((line.invoice_code or '').strip(),
                line.invoice_number.strip())
            if key in seen:
                raise ClaimError(gettext(
                        'dealer_expense.msg_line_invoice_twice',
                        invoice=' '.join(filter(None, key)),
                        line=line.rec_name, other=seen[key].rec_name,
                        claim=seen[key].claim.rec_name))
            seen[key] = line
        ids = [l.id for l in lines]
        with without_check_access():
            files = {}
            for attachment in Attachment.search([
                        ('resource', 'in', [str(l) for l in lines]),
                        ('digest', '!=', None),
                        ]):
                other = files.get(attachment.digest)
                if other and other.resource != attachment.resource:
                    raise ClaimError(gettext(
                            'dealer_expense.msg_line_file_twice',
                            file=attachment.name,
                            line=attachment.resource.rec_name,
                            other=other.resource.rec_name))
                files[attachment.digest] = attachment
            others = []
            if files:
                others = Attachment.search([
                        ('digest', 'in', list(files)),
                        ('resource', 'like', cls.__name__ + ',%'),
                        ('resource', 'not in', [str(l) for l in lines]),
                        ])
            cls._lock_sharing(lines, [n for _, n in seen],
                [o.resource for o in others])
            for (code, number), line in seen.items():
                claimed = cls.search([
                        ('invoice_number', '=', number),
                        ('invoice_code', 'in', [code, None] if not code
                            else [code]),
                        ('claim.state', 'in', SUBMITTED),
                        ('id', 'not in', ids),
                        ], limit=1)
                if claimed:
                    # The other claim may be anyone's: only its number is
                    # told, not whose it is or what it holds.
                    raise ClaimError(gettext(
                            'dealer_expense.msg_line_invoice_claimed',
                            invoice=' '.join(filter(None, (code, number))),
                            line=line.rec_name,
                            claim=claimed[0].claim.rec_name))
            for other in others:
                if other.resource.claim.state in SUBMITTED:
                    attachment = files[other.digest]
                    raise ClaimError(gettext(
                            'dealer_expense.msg_line_file_claimed',
                            file=attachment.name,
                            line=attachment.resource.rec_name,
                            claim=other.resource.claim.rec_name))

    @classmethod
    def _lock_sharing(cls, lines, numbers, file_lines):
        """Lock and mark changed the lines and every line, of any claim and
        state, sharing an invoice number or a receipt file with them.

        Two claims submitted at the same moment with the same invoice or
        file lock some of the same lines (each its own, the other's found
        as a draft): the second waits, restarts and finds the first one
        submitted.  Claims with nothing in common do not wait for each
        other: a lock of the whole table, taken without waiting, made the
        second of any two submissions in the group at once fail as the
        server busy."""
        if not numbers and not file_lines:
            return
        sharing = list(lines) + list(file_lines)
        if numbers:
            sharing += cls.search([
                    ('invoice_number', 'in', sorted(set(numbers))),
                    ])
        lock_rows(sharing, changed=True)

    def _get_invoice_line(self):
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        line = InvoiceLine(
            invoice_type='in',
            type='line',
            company=self.claim.company,
            currency=self.claim.currency,
            account=self.category.account,
            description=self.rec_name,
            quantity=1,
            unit_price=self.claim_amount,
            origin=self,
            )
        return line

    @classmethod
    def _document_editable(cls, claim):
        return claim.state in EDITABLE


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'
    # The content's fingerprint: the same receipt file is claimed once,
    # whatever its name (the file store may be off: its id is no help).
    digest = fields.Char("Digest", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # On COALESCE(digest, ''), what Tryton searches (see the claim
        # lines' invoice number)
        cls._sql_indexes.add(Index(t,
                (Coalesce(t.digest, ''), Index.Equality())))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'data' in values:
            data = values['data']
            values['digest'] = (hashlib.sha256(bytes(data)).hexdigest()
                if data is not None else None)
        return values

    @classmethod
    def check_modification(cls, mode, attachments, values=None,
            external=False):
        super().check_modification(
            mode, attachments, values=values, external=external)
        # A receipt stays what was approved: none is added, replaced or
        # removed once its claim is submitted.
        pool = Pool()
        resources = {a.resource for a in attachments}
        if mode == 'write' and values.get('resource'):
            value = values['resource']
            model, id_ = (value.split(',', 1) if isinstance(value, str)
                else value)
            resources.add(pool.get(model)(int(id_)))
        for resource in resources:
            claim = None
            if getattr(resource, '__name__', None) == 'dealer.expense.claim':
                claim = resource
            elif getattr(resource, '__name__', None) == (
                    'dealer.expense.claim.line'):
                claim = resource.claim
            if claim and claim.state not in EDITABLE:
                raise AccessError(gettext(
                        'dealer_expense.msg_claim_attachment',
                        claim=claim.rec_name))


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.expense.claim.line']


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('expense', "Business Expense"))


class ApprovalStep(metaclass=PoolMeta):
    __name__ = 'dealer.approval.flow.step'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.condition.selection.append(('business', "Business Expense"))
