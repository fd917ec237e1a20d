# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Claims at the same moment, on PostgreSQL through the real RPC
dispatcher: two claims submitted against a budget's last remainder — one
is submitted, the other blocked (R-EXP-02); two claims of the same
official invoice — it is claimed once (R-EXP-04); two claims approved
against one cash advance — it is never settled for more than was advanced,
and the payables are what the advance does not cover (R-EXP-06)."""
from contextlib import contextmanager
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.account.tests.test_module import (
    create_chart, get_fiscalyear)
from trytond.modules.account_invoice.tests.test_module import (
    set_invoice_sequences)
from trytond.modules.dealer_base.document import company_today
from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_group, create_staff, postgresql_only)
from trytond.modules.dealer_base.wall import hidden_name
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


@contextmanager
def as_user(login):
    "The transaction as the login, with his preferences (company, employee)"
    pool = Pool()
    User = pool.get('res.user')
    user, = User.search([('login', '=', login)])
    transaction = Transaction()
    with transaction.set_user(user.id):
        with transaction.set_context(
                User.get_preferences(context_only=True)):
            yield


def claim_of(login, department, category, date, amount, description,
        invoice=(None, None)):
    """A draft claim of the login's employee for the department, with one
    line, its official invoice (code, number) and its receipt; return it"""
    pool = Pool()
    Claim = pool.get('dealer.expense.claim')
    Attachment = pool.get('ir.attachment')
    with as_user(login):
        claim, = Claim.create([{'department': department.id,
                    'description': description,
                    'lines': [('create', [{'category': category.id,
                                    'date': date, 'amount': amount,
                                    'description': description,
                                    'invoice_code': invoice[0],
                                    'invoice_number': invoice[1]}])],
                    }])
        # A receipt of its own (needed above the company's threshold; the
        # same file twice would be one receipt claimed twice).
        Attachment(resource=claim.lines[0], name=description + '.jpg',
            data=description.encode()).save()
    return claim


def decide(Model, records, *logins):
    "The approvers approve the records' current step in turn"
    for login in logins:
        with as_user(login):
            Model.approval_approve(Model.browse(records))


@postgresql_only
class ExpenseConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent claims"
    module = 'dealer_expense'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        Method = pool.get('account.invoice.payment.method')
        MoveLine = pool.get('account.move.line')
        Invoice = pool.get('account.invoice')
        Department = pool.get('dealer.department')
        Category = pool.get('dealer.expense.category')
        Settings = pool.get('dealer.expense.settings')
        Budget = pool.get('dealer.expense.budget')
        Advance = pool.get('dealer.expense.advance')
        Claim = pool.get('dealer.expense.claim')

        company, = create_group('上海公司')
        # 李明 manages 张伟 and 王芳 in sales; 周静 and 吴敏 are finance,
        # the claims' last step.
        staff = create_staff([
                ('li', company, '李明', 'position_sales_manager', None),
                ('zhang', company, '张伟', 'position_salesperson', 'li'),
                ('wang', company, '王芳', 'position_salesperson', 'li'),
                ('zhou', company, '周静', 'position_finance', None),
                ('wu', company, '吴敏', 'position_finance', None),
                ])
        with Transaction().set_context(company=company.id):
            create_chart(company)
            today = company_today(company)
            fiscalyear = set_invoice_sequences(get_fiscalyear(company,
                    today=today))
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            expense, = Account.search([('type.expense', '=', True)], limit=1)
            advances, = Account.search([('code', '=', '1.2.3')])
            cash, = Account.search([('code', '=', '1.1.1')])
            department, = Department.create([{'name': '销售部',
                        'companies': [('add', [company.id])],
                        'members': [('add', [staff['li'].id,
                                    staff['zhang'].id, staff['wang'].id])],
                        }])
            transport, travel = Category.create([{'name': name,
                        'code': code, 'basis': 'item', 'company': company.id,
                        'account': expense.id}
                    for name, code in [('交通费', 'TRANSPORT'),
                        ('差旅费', 'TRAVEL')]])
            # A claim over budget is blocked (the default, said here: the
            # first case is about it).
            Settings.create([{'company': company.id,
                        'budget_policy': 'block',
                        'advance_account': advances.id}])

            # 1. The department's transport budget this month has 1,000.00
            # left; 张伟 and 王芳 each claim 800.00 of it.
            budget, = Budget.create([{'company': company.id,
                        'department': department.id,
                        'category': transport.id, 'period': 'month',
                        'start_date': today.replace(day=1),
                        'amount': Decimal('1000.00')}])
            cls.budget_id = budget.id
            cls.budget_claims = {login: claim_of(login, department,
                    transport, today, Decimal('800.00'), f'{login} 客户拜访打车'
                    ).id for login in ['zhang', 'wang']}

            # 2. 张伟 and 王芳 each claim the same dinner invoice.
            cls.invoice_claims = {login: claim_of(login, department, travel,
                    today, Decimal('150.00'), f'{login} 客户晚餐',
                    invoice=('3100231130', '00123456')).id
                for login in ['zhang', 'wang']}

            # 3. 张伟's cash advance of 3,000.00, approved and paid: open.
            with as_user('zhang'):
                advance, = Advance.create([{'description': '徐州出差借款',
                            'amount': Decimal('3000.00')}])
                Advance.approval_submit([advance])
            decide(Advance, [advance], 'li', 'zhou')
            advance = Advance(advance.id)
            journal, = Journal.search([('code', '=', 'CASH')])
            method, = Method.create([{'name': '现金', 'company': company.id,
                        'journal': journal.id, 'debit_account': cash.id,
                        'credit_account': cash.id}])
            invoice = advance.invoice
            lines = invoice.pay_invoice(
                invoice.total_amount, method, today)
            MoveLine.reconcile(list(invoice.lines_to_pay) + lines)
            Invoice.process([Invoice(invoice.id)])
            cls.advance_id = advance.id
            # His two travel claims (no budget), together over the advance,
            # approved by 李明: each waits for finance.
            claims = [claim_of('zhang', department, travel, today, amount,
                    description)
                for amount, description in [
                    (Decimal('2000.00'), '徐州住宿交通'),
                    (Decimal('1500.00'), '徐州客户招待外出')]]
            with as_user('zhang'):
                Claim.approval_submit(claims)
            decide(Claim, claims, 'li')
            cls.advance_claims = [c.id for c in claims]

    def submit_at_once(self, claims):
        """张伟 and 王芳 submit their claims at the same moment: one is
        refused; return the results, the errors and who was refused"""
        results = self.at_once(*[(login,
                    'model.dealer.expense.claim.approval_submit',
                    [claims[login]]) for login in ['zhang', 'wang']])
        errors = [r['error'] for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        refused_login = ['zhang', 'wang'][
            ['error' in r for r in results].index(True)]
        return results, errors, refused_login

    def test_last_budget_remainder_at_once(self):
        "Two claims for the budget's last 1,000.00: one submitted, one blocked"
        claims = self.budget_claims
        results, errors, refused_login = self.submit_at_once(claims)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Claim = pool.get('dealer.expense.claim')
            Budget = pool.get('dealer.expense.budget')
            Request = pool.get('dealer.approval.request')
            budget = Budget(self.budget_id)
            refused = Claim(claims[refused_login])
            # The second waited for the first and was told the budget is
            # spent (not that the server is busy), in the module's words:
            # the category, month and figures (an employee may not read
            # budgets, so not their name).
            self.assertEqual(errors[0][0], 'UserError', results)
            self.assertEqual(errors[0][1][0], gettext(
                    'dealer_expense.msg_budget_exceeded',
                    claim=refused.rec_name,
                    category=budget.category.rec_name,
                    period=budget.period_name,
                    remainder=Decimal('200.00'), claimed=Decimal('800.00'),
                    excess=Decimal('600.00')))
            submitted, = [Claim(i) for l, i in claims.items()
                if l != refused_login]
            self.assertEqual(submitted.state, 'waiting')
            self.assertEqual(submitted.approval_state, 'waiting')
            self.assertEqual(submitted.amount, Decimal('800.00'))
            # Nothing of the refused submission is kept: no number, no
            # request waiting for an approver.
            self.assertEqual((refused.state, refused.approval_state,
                    refused.number, refused.approval_request),
                ('draft', 'draft', None, None))
            self.assertEqual(Request.search([
                        ('document', '=', str(refused))]), [])
            self.assertEqual(len(Request.search([
                            ('document', '=', str(submitted))])), 1)
            self.assertEqual((budget.consumed, budget.committed,
                    budget.remaining),
                (Decimal('0.00'), Decimal('800.00'), Decimal('200.00')))

    def test_same_invoice_at_once(self):
        "Two claims of the same official invoice at once: claimed once"
        claims = self.invoice_claims
        results, errors, refused_login = self.submit_at_once(claims)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Claim = pool.get('dealer.expense.claim')
            refused = Claim(claims[refused_login])
            submitted, = [Claim(i) for l, i in claims.items()
                if l != refused_login]
            # The second waited for the first and was told the invoice is
            # claimed, not by whom (the other's claim is hidden by the
            # wall).
            self.assertEqual(errors[0][0], 'UserError', results)
            self.assertEqual(errors[0][1][0], gettext(
                    'dealer_expense.msg_line_invoice_claimed',
                    invoice='3100231130 00123456',
                    line=refused.lines[0].rec_name, claim=hidden_name()))
            self.assertEqual((submitted.state, refused.state, refused.number),
                ('waiting', 'draft', None))

    def test_two_claims_settle_one_advance_at_once(self):
        "Two claims of 3,500.00 approved against an advance of 3,000.00"
        results = self.at_once(*[(login,
                    'model.dealer.expense.claim.approval_approve', [claim])
                for login, claim in zip(['zhou', 'wu'], self.advance_claims)])

        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Claim = pool.get('dealer.expense.claim')
            Advance = pool.get('dealer.expense.advance')
            Settlement = pool.get('dealer.expense.advance.settlement')
            advance = Advance(self.advance_id)
            claims = Claim.browse(self.advance_claims)
            approved = [c for c, r in zip(claims, results)
                if 'error' not in r]
            self.assertTrue(approved, results)
            settlements = Settlement.search([('advance', '=', advance.id)])
            # Never more than advanced; each claim's settlements lower its
            # payable by as much.
            self.assertLessEqual(advance.settled_amount, advance.amount)
            self.assertEqual(advance.settled_amount,
                sum(s.amount for s in settlements))
            for claim in claims:
                self.assertEqual(claim.advance_amount, sum(
                        s.amount for s in settlements if s.claim == claim))
                self.assertEqual(
                    claim.advance_amount + claim.payable_amount,
                    claim.amount)
                if claim.invoice:
                    self.assertEqual(claim.invoice.total_amount,
                        claim.payable_amount)
            outcome = sorted((c.amount, c.state, c.advance_amount,
                    c.payable_amount) for c in claims)
            if len(approved) == 2:
                # The second waited for the first and settled what was
                # left: 3,000.00 settled in all, 500.00 to reimburse, by
                # whichever came second.
                self.assertIn(outcome, [
                        [(Decimal('1500.00'), 'approved', Decimal('1000.00'),
                                Decimal('500.00')),
                            (Decimal('2000.00'), 'paid', Decimal('2000.00'),
                                Decimal('0.00'))],
                        [(Decimal('1500.00'), 'paid', Decimal('1500.00'),
                                Decimal('0.00')),
                            (Decimal('2000.00'), 'approved',
                                Decimal('1500.00'), Decimal('500.00'))],
                        ], results)
                self.assertEqual((advance.state, advance.settled_amount,
                        advance.open_amount),
                    ('settled', Decimal('3000.00'), Decimal('0.00')))
            else:
                # The other was told the server is busy (both met at
                # Tryton's strict invoice sequence, locked without
                # waiting): nothing of it kept, it still waits for finance.
                error, = [r['error'] for r in results if 'error' in r]
                self.assertIn('could not obtain lock', str(error), results)
                claim, = approved
                waiting, = [c for c in claims if c != claim]
                self.assertEqual(
                    (claim.state, claim.advance_amount, claim.payable_amount),
                    ('paid', claim.amount, Decimal('0.00')))
                self.assertEqual((waiting.state, waiting.approval_state,
                        waiting.invoice, waiting.advance_settlements),
                    ('waiting', 'waiting', None, ()))
                self.assertEqual((advance.state, advance.settled_amount,
                        advance.open_amount),
                    ('paid', claim.amount, Decimal('3000.00') - claim.amount))
