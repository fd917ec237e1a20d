# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Two sessions deciding the same approval at the same moment, through the
real RPC dispatcher (its locking and retries), on PostgreSQL."""
import json
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from .rpc import RPCMixin, create_group, create_staff, postgresql_only


@postgresql_only
class ApprovalConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent approval decisions"
    module = 'dealer_base'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        User = pool.get('res.user')
        Flow = pool.get('dealer.approval.flow')
        Document = pool.get('dealer.test.document')

        company, = create_group('上海公司')
        clerk = create_staff([
                ('manager', company, '李经理', 'position_salesperson', None),
                ('clerk', company, '赵敏', 'position_salesperson', 'manager'),
                ])['clerk']
        clerk_user, = User.search([('login', '=', 'clerk')])
        Flow.create([{
                    'name': '主管审核',
                    'document_model': 'dealer.test.document',
                    'steps': [('create', [{
                                    'name': '主管', 'sequence': 10,
                                    'approver_type': 'supervisor'}])],
                    }])
        with Transaction().set_user(clerk_user.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True)):
            document, = Document.create([{
                        'name': '挖掘机合同', 'company': company.id,
                        'owner': clerk.id, 'amount': Decimal('8000'),
                        }])
            Document.approval_submit([document])
        cls.request_id = Document(document.id).approval_request.id
        Transaction().commit()

    def test_approve_twice_at_once(self):
        "Two sessions approve the same step: one wins, one is told"
        results = self.at_once(*[('manager',
                    'model.dealer.approval.request.decide',
                    [self.request_id], 'approve', None)] * 2)

        errors = [r['error'] for r in results if r.get('error')]
        self.assertEqual(len(errors), 1, results)
        self.assertEqual(errors[0][0], 'UserError')
        self.assertIn('already decided', errors[0][1][0])

        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Log = pool.get('dealer.approval.log')
            Request = pool.get('dealer.approval.request')
            logs = Log.search([('request', '=', self.request_id)])
            self.assertEqual(
                sorted(l.action for l in logs), ['approve', 'submit'])
            self.assertEqual(Request(self.request_id).state, 'approved')

    def test_decide_unknown_request(self):
        "Deciding a request that does not exist is a clean error"
        result = self.call('manager',
            'model.dealer.approval.request.decide', [987654321], 'approve',
            None)
        self.assertIn('error', result)
        self.assertNotIn('Traceback', json.dumps(result))
