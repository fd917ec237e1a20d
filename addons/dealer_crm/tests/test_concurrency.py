# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Two salespeople claiming the same pool customer at the same moment, on
PostgreSQL through the real RPC dispatcher (R-CRM-05)."""
from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_group, create_staff, postgresql_only)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


@postgresql_only
class PoolConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent claims of a pool customer"
    module = 'dealer_crm'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Party = pool.get('party.party')

        company, = create_group('上海公司')
        staff = create_staff([
                ('zhang', company, '张伟', 'position_salesperson', None),
                ('liu', company, '刘洋', 'position_salesperson', None),
                ])
        cls.employees = {login: e.id for login, e in staff.items()}
        customer, = Party.create([{
                    'name': '嘉兴土方工程有限公司', 'is_customer': True,
                    'company': company.id, 'owner': None,
                    }])
        cls.customer_id = customer.id
        Transaction().commit()

    def test_claim_at_once(self):
        "Two salespeople claim one pool customer: exactly one gets it"
        results = self.at_once(
            ('zhang', 'model.party.party.claim', [self.customer_id]),
            ('liu', 'model.party.party.claim', [self.customer_id]))

        winners = [i for i, r in enumerate(results) if 'error' not in r]
        self.assertEqual(len(winners), 1, results)
        loser = results[1 - winners[0]]
        # The loser either no longer sees the customer (it is someone
        # else's now) or is told it left the pool.
        self.assertIn(loser['error'][0], {'UserError', 'AccessError'})

        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Party = pool.get('party.party')
            Ownership = pool.get('dealer.customer.ownership')
            winner = ['zhang', 'liu'][winners[0]]
            self.assertEqual(
                Party(self.customer_id).owner.id, self.employees[winner])
            claims = Ownership.search([
                    ('customer', '=', self.customer_id),
                    ('action', '=', 'claim'),
                    ])
            self.assertEqual(len(claims), 1)
            self.assertEqual(claims[0].owner.id, self.employees[winner])
