# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Who sees and changes the receivables, through the RPC dispatcher as the
restricted users (TESTING.md's access checklist): another salesperson,
another company's salesperson, a user without position, and the holders
of the finance positions trying what only the system may write."""
import datetime as dt
from decimal import Decimal

from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, checklist_staff, create_group, create_staff)
from trytond.modules.dealer_base.tests.tools import story_year
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

FINANCE_MODELS = ['dealer.payment.plan', 'dealer.payment.plan.line',
    'dealer.payment.receipt', 'dealer.payment.allocation',
    'dealer.penalty.accrual', 'dealer.penalty.waiver',
    'dealer.collection.action', 'dealer.payment.reminder']


class FinanceAccessTestCase(RPCMixin, RouteTestCase):
    "Access to the receivables"
    module = 'dealer_finance'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Plan = pool.get('dealer.payment.plan')
        Receipt = pool.get('dealer.payment.receipt')
        Accrual = pool.get('dealer.penalty.accrual')
        Waiver = pool.get('dealer.penalty.waiver')
        Action = pool.get('dealer.collection.action')
        Request = pool.get('dealer.payment.request')
        Settings = pool.get('dealer.finance.settings')
        Date = pool.get('ir.date')

        shanghai, guangzhou = create_group('上海公司', '广州公司')
        staff = create_staff([*checklist_staff(shanghai, guangzhou),
                ('zhou', shanghai, '周静', 'position_finance', None),
                ('wang', shanghai, '王芳', 'position_collector', None),
                ('sun', shanghai, '孙强', 'position_purchaser', None),
                ])
        cls.employees = {login: e.id for login, e in staff.items()}
        with Transaction().set_context(company=shanghai.id):
            # The instalment's story is told in a past year: the
            # instalment is overdue on any day the test runs.
            year = story_year(Date.today())
            Settings.create([{'company': shanghai.id,
                        'penalty_rate': Decimal('0.0005'), 'grace_days': 0}])
            customer, = Party.create([{'name': '上海宏达土石方工程有限公司',
                        'is_customer': True, 'company': shanghai.id,
                        'owner': cls.employees['zhang']}])
            plan, = Plan.create([{'company': shanghai.id,
                        'customer': customer.id,
                        'owner': cls.employees['zhang'],
                        'currency': shanghai.currency.id,
                        'total_amount': Decimal('10000'),
                        'lines': [('create', [{
                                        'due_date': dt.date(year, 3, 1),
                                        'amount': Decimal('10000')}])],
                        }])
            Plan.run([plan])
            receipt, = Receipt.create([{'plan': plan.id,
                        'company': shanghai.id,
                        'currency': shanghai.currency.id,
                        'date': dt.date(year, 3, 5),
                        'amount': Decimal('4000')}])
            Receipt.post([receipt])
            Accrual.accrue(shanghai, dt.date(year, 3, 31))
            line, = plan.lines
            waiver, = Waiver.create([{'company': shanghai.id,
                        'instalment': line.id, 'amount': Decimal('10'),
                        'reason': '客户困难', 'owner': cls.employees['wang']}])
            Waiver.write([waiver], {'approval_state': 'waiting'})
            Action.create([{'company': shanghai.id, 'customer': customer.id,
                        'plan': plan.id, 'date': dt.date(year, 3, 10),
                        'method': 'call', 'owner': cls.employees['wang']}])
            supplier, = Party.create([{'name': '徐工配件供应有限公司'}])
            request, = Request.create([{'company': shanghai.id,
                        'supplier': supplier.id,
                        'owner': cls.employees['sun'],
                        'currency': shanghai.currency.id}])
        cls.ids = {
            'dealer.payment.plan': plan.id,
            'dealer.payment.plan.line': line.id,
            'dealer.payment.receipt': receipt.id,
            'dealer.payment.allocation': receipt.allocations[0].id,
            'dealer.penalty.accrual': line.accruals[0].id,
            'dealer.penalty.waiver': waiver.id,
            'dealer.payment.request': request.id,
            }
        cls.shanghai, cls.guangzhou = shanghai.id, guangzhou.id
        cls.customer = customer.id

    def test_others_see_nothing(self):
        "Another salesperson, another company, a user without position"
        for login in ['liu', 'huang', 'nobody']:
            for model in FINANCE_MODELS:
                self.assertSeesNothing(login, model, self.ids.get(model))

    def test_domain_and_context_do_not_widen(self):
        "Domains through relations and client context keys change nothing"
        answer = self.call('liu', 'model.dealer.payment.plan.line.search',
            [('plan.owner', '=', self.employees['zhang'])], 0, None,
            [('plan.total_amount', 'DESC')])
        self.assertDenied(answer)
        answer = self.call('liu', 'model.dealer.payment.plan.search', [],
            0, None, None, context={
                'companies': [self.shanghai, self.guangzhou],
                'employee': self.employees['zhang'],
                'employees': [self.employees['zhang']],
                'data_scope': 'company',
                '_check_access': False,
                })
        self.assertDenied(answer)
        answer = self.call('huang', 'model.dealer.payment.plan.search', [],
            0, None, None, context={'company': self.shanghai})
        self.assertDenied(answer)

    def test_owner_reads_but_cannot_change(self):
        "The salesperson sees his customer's plan, changes nothing of it"
        plan = self.ids['dealer.payment.plan']
        line = self.ids['dealer.payment.plan.line']
        answer = self.call('zhang', 'model.dealer.payment.plan.read',
            [plan], ['total_amount', 'unpaid_amount', 'penalty_amount'])
        plan_values, = answer['result']
        self.assertEqual(Decimal(plan_values['total_amount']['decimal']),
            Decimal('10000.00'))
        self.assertEqual(Decimal(plan_values['unpaid_amount']['decimal']),
            Decimal('6000.00'))
        for method, params in [
                ('model.dealer.payment.plan.write',
                    ([plan], {'total_amount': '1'})),
                ('model.dealer.payment.plan.delete', ([plan],)),
                ('model.dealer.payment.plan.charge_penalties', ([plan],)),
                ('model.dealer.payment.receipt.create',
                    ([{'plan': plan, 'amount': '1'}],)),
                ('model.dealer.payment.plan.line.write',
                    ([line], {'penalty_accrued': '0'})),
                ]:
            with self.subTest(method=method):
                answer = self.call('zhang', method, *params)
                self.assertIn('error', answer, answer)
        self.assertDenied(self.call('zhang',
                'model.dealer.payment.request.search', [], 0, None, None))

    def test_system_fields_are_not_written_by_clients(self):
        "Finance cannot write received amounts, penalties or states"
        plan = self.ids['dealer.payment.plan']
        line = self.ids['dealer.payment.plan.line']
        for model, record, values in [
                ('dealer.payment.plan.line', line,
                    {'penalty_accrued': '0.00'}),
                ('dealer.payment.plan.line', line,
                    {'paid_amount': '10000.00', 'unpaid_amount': '0'}),
                ('dealer.payment.plan.line', line,
                    {'penalty_waived': '999.00'}),
                ('dealer.payment.plan', plan, {'state': 'closed'}),
                ('dealer.payment.receipt',
                    self.ids['dealer.payment.receipt'], {'amount': '1'}),
                ('dealer.payment.allocation',
                    self.ids['dealer.payment.allocation'], {'amount': '1'}),
                ]:
            with self.subTest(model=model, values=values):
                answer = self.call('zhou', f'model.{model}.write',
                    [record], values)
                self.assertIn('error', answer, answer)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Line = pool.get('dealer.payment.plan.line')
            line = Line(line)
            self.assertEqual(line.paid_amount, Decimal('4000'))
            self.assertEqual(line.penalty_waived, Decimal(0))
            # 10,000 × 0.0005 × 3 (2–4 March) + 6,000 × 0.0005 × 27 (5–31)
            self.assertEqual(line.penalty_accrued, Decimal('96.00'))

    def test_submitted_waiver_is_frozen(self):
        "The collector cannot change a waiver waiting for approval"
        waiver = self.ids['dealer.penalty.waiver']
        answer = self.call('wang', 'model.dealer.penalty.waiver.write',
            [waiver], {'amount': '98.00'})
        self.assertIn('error', answer)
        self.assertIn('submitted for approval', str(answer['error']))
        answer = self.call('wang', 'model.dealer.penalty.waiver.write',
            [waiver], {'approval_state': 'approved'})
        self.assertIn('error', answer)
        # Nobody designated approves it through the button either.
        answer = self.call('zhou',
            'model.dealer.penalty.waiver.approval_approve', [waiver])
        self.assertIn('error', answer)

    def test_purchaser_sees_requests_not_receivables(self):
        "The purchaser reads payment requests, not the customers' plans"
        answer = self.call('sun', 'model.dealer.payment.request.search',
            [], 0, None, None)
        self.assertEqual(answer['result'],
            [self.ids['dealer.payment.request']])
        self.assertDenied(self.call('sun',
                'model.dealer.payment.plan.search', [], 0, None, None))
        # Printing someone else's request is refused to a salesperson.
        answer = self.call('liu', 'report.dealer.payment.request.execute',
            [self.ids['dealer.payment.request']], {})
        self.assertIn('error', answer, answer)

    def test_collector_sees_company(self):
        "The collector (company scope) sees the plan and its overdue line"
        answer = self.call('wang', 'model.dealer.payment.plan.line.search',
            [('state', '=', 'overdue')], 0, None, None)
        self.assertEqual(answer['result'],
            [self.ids['dealer.payment.plan.line']])
