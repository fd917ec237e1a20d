# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Who sees and changes the parts purchasing documents, through the RPC
dispatcher as the restricted users (TESTING.md's access checklist): the
salespeople, a user without position, the other company's purchaser, the
warehouse keeper, and the purchaser trying what only the system or the
administrator may write."""
from decimal import Decimal

from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, checklist_staff, create_group, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

PARTS_MODELS = ['dealer.parts.settlement', 'dealer.parts.settlement.line']


class PartsAccessTestCase(RPCMixin, RouteTestCase):
    "Access to the parts purchasing documents"
    module = 'dealer_parts'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Settlement = pool.get('dealer.parts.settlement')
        Settings = pool.get('dealer.parts.settings')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')

        shanghai, guangzhou = create_group('上海公司', '广州公司')
        staff = create_staff([*checklist_staff(shanghai, guangzhou),
                ('chen', shanghai, '陈总', 'position_boss', None),
                ('sun', shanghai, '孙强', 'position_purchaser', 'chen'),
                ('zhao', shanghai, '赵仓', 'position_warehouse', 'chen'),
                ('gao', guangzhou, '高峰', 'position_purchaser', None),
                ])
        cls.employees = {login: e.id for login, e in staff.items()}
        with Transaction().set_context(company=shanghai.id):
            settings, = Settings.create([{'company': shanghai.id}])
            supplier, = Party.create([{'name': '三一配件供应有限公司'}])
            settlement, = Settlement.create([{'company': shanghai.id,
                        'supplier': supplier.id,
                        'supplier_invoice': '04419321',
                        'owner': cls.employees['sun'],
                        'currency': shanghai.currency.id}])
            unit, = Uom.search([('name', '=', 'Unit')])
            template, = Template.create([{'name': '液压油滤芯',
                        'type': 'goods', 'default_uom': unit.id,
                        'products': [('create', [{}])]}])
        cls.ids = {
            'product.product': template.products[0].id,
            'dealer.parts.settlement': settlement.id,
            'dealer.parts.settings': settings.id,
            }
        cls.shanghai, cls.guangzhou = shanghai.id, guangzhou.id

    def test_others_see_nothing(self):
        "Salespeople, a user without position, the other company"
        for login in ['zhang', 'huang', 'nobody', 'gao']:
            for model in PARTS_MODELS:
                self.assertSeesNothing(login, model, self.ids.get(model))

    def test_other_company_cannot_act(self):
        "广州公司's purchaser neither changes nor confirms 上海公司's"
        settlement = self.ids['dealer.parts.settlement']
        for method, params in [
                ('write', ([settlement], {'supplier_invoice': 'X'})),
                ('delete', ([settlement],)),
                ('gather', ([settlement],)),
                ('confirm', ([settlement],)),
                ('cancel', ([settlement],)),
                ]:
            with self.subTest(method=method):
                answer = self.call('gao',
                    f'model.dealer.parts.settlement.{method}', *params)
                self.assertIn('error', answer, answer)
        self.assertDenied(self.call('gao',
                'model.dealer.parts.settings.search', [], 0, None, None))
        # The context names the other company: nothing widens.
        answer = self.call('gao', 'model.dealer.parts.settlement.search',
            [], 0, None, None, context={
                'company': self.shanghai,
                'companies': [self.shanghai, self.guangzhou],
                'data_scope': 'company',
                })
        self.assertDenied(answer)

    def test_warehouse_keeper_does_not_settle(self):
        "The warehouse keeper receives parts, he settles no invoice"
        settlement = self.ids['dealer.parts.settlement']
        self.assertDenied(self.call('zhao',
                'model.dealer.parts.settlement.search', [], 0, None, None))
        answer = self.call('zhao', 'model.dealer.parts.settlement.create',
            [{'company': self.shanghai, 'supplier_invoice': 'Y'}])
        self.assertIn('error', answer, answer)
        answer = self.call('zhao', 'model.dealer.parts.settlement.confirm',
            [settlement])
        self.assertIn('error', answer, answer)

    def test_purchaser_is_checked_not_the_checker(self):
        """The purchaser reads his company's settings but sets neither the
        price tolerance nor the receipt rule, nor a settlement's state,
        number or payable"""
        settings = self.ids['dealer.parts.settings']
        settlement = self.ids['dealer.parts.settlement']
        answer = self.call('sun', 'model.dealer.parts.settings.read',
            [settings], ['price_tolerance', 'over_receipt'])
        values, = answer['result']
        self.assertEqual(Decimal(values['price_tolerance']['decimal']),
            Decimal('1.00'))
        self.assertEqual(values['over_receipt'], 'refuse')
        for values in [{'price_tolerance': '100'},
                {'over_receipt': 'confirm'}]:
            with self.subTest(values=values):
                answer = self.call('sun', 'model.dealer.parts.settings.write',
                    [settings], values)
                self.assertIn('error', answer, answer)
        for values in [{'state': 'done'}, {'number': 'PS999999'},
                {'approval_state': 'approved'}]:
            with self.subTest(values=values):
                answer = self.call('sun',
                    'model.dealer.parts.settlement.write',
                    [settlement], values)
                self.assertIn('error', answer, answer)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Settlement = pool.get('dealer.parts.settlement')
            Settings = pool.get('dealer.parts.settings')
            settlement = Settlement(settlement)
            self.assertEqual(
                (settlement.state, settlement.number,
                    settlement.approval_state),
                ('draft', None, 'draft'))
            self.assertEqual(Settings(settings).price_tolerance,
                Decimal('1.00'))

    def test_purchaser_confirms_nothing_empty(self):
        "An empty settlement is refused with its reason, nothing changes"
        settlement = self.ids['dealer.parts.settlement']
        answer = self.call('sun', 'model.dealer.parts.settlement.confirm',
            [settlement])
        self.assertIn('has no lines', str(answer.get('error')), answer)

    def test_salesperson_sees_no_purchase_costs(self):
        "Salespeople do not read purchase orders, their lines or prices"
        for model in ['purchase.purchase', 'purchase.line',
                'purchase.requisition', 'purchase.request.quotation']:
            with self.subTest(model=model):
                self.assertDenied(self.call('zhang',
                        f'model.{model}.search', [], 0, None, None))
        # Nor the prices computed from the purchase lines, which the
        # purchaser reads.
        product = self.ids['product.product']
        for field in ['purchase_price_uom', 'last_purchase_price_uom']:
            with self.subTest(field=field):
                answer = self.call('zhang', 'model.product.product.read',
                    [product], [field])
                self.assertIn('error', answer, answer)
                answer = self.call('sun', 'model.product.product.read',
                    [product], [field])
                self.assertIn('result', answer, answer)
