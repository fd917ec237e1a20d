# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Delivery risk control (R-LEA-05, R-ORG-02) through the RPC dispatcher:
the leader holding the Delivery Risk Control position over 7 of the
group's 9 companies finds, reads and approves exactly those companies'
pending delivery releases; the users of another company, a salesperson
and a user without position neither read nor approve them."""
from decimal import Decimal

from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_group, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


class DeliveryAccessTestCase(RPCMixin, RouteTestCase):
    "Who sees and decides the delivery releases"
    module = 'dealer_leasing'

    @classmethod
    def create_data(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Position = pool.get('res.role')
        Flow = pool.get('dealer.approval.flow')
        Party = pool.get('party.party')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Location = pool.get('stock.location')
        Shipment = pool.get('stock.shipment.out')
        Move = pool.get('stock.move')
        Release = pool.get('dealer.delivery.release')
        User = pool.get('res.user')

        companies = create_group(*(f'公司{i}' for i in range(1, 10)))
        currency = companies[0].currency
        cls.companies = [c.id for c in companies]

        # The standard risk control position spans companies 1 to 7; a
        # second one the last two, with their own flows.
        risk = Position(ModelData.get_id(
                'dealer_leasing', 'position_delivery_risk'))
        Position.write([risk], {
                'companies': [('add', cls.companies[:7])]})
        south, = Position.create([{
                    'name': '发车风控（华南）', 'code': 'RISK-SOUTH',
                    'data_scope': 'company',
                    'companies': [('add', cls.companies[7:])],
                    'groups': [('add', [g.id for g in risk.groups])],
                    }])
        Flow.create([{
                    'name': '发车风控（华南）',
                    'document_model': 'dealer.delivery.release',
                    'company': company.id,
                    'steps': [('create', [{
                                    'name': '风控', 'approver_type': 'position',
                                    'position': south.id}])],
                    } for company in companies[7:]])

        staff = create_staff([
                ('leader', companies[0], '风控负责人', None, None),
                ('south', companies[7], '华南风控', None, None),
                *((f'clerk{i}', company, f'内勤{i}', 'position_back_office',
                        None) for i, company in enumerate(companies, 1)),
                ('sales1', companies[0], '张伟', 'position_salesperson', None),
                ('nobody', companies[0], '吴用', None, None),
                ])
        clerks = [staff[f'clerk{i}'] for i in range(1, 10)]
        # The risk controllers hold positions of their own, over several
        # companies that they list all at once.
        for login, position in [('leader', risk), ('south', south)]:
            user, = User.search([('login', '=', login)])
            User.write([user], {
                    'roles': [('create', [{'role': position.id}])],
                    'company_filter': 'all'})

        unit, = Uom.search([('name', '=', 'Unit')])
        # Products read the current user's company (rental prices).
        admin = User(ModelData.get_id('res', 'user_admin'))
        User.write([admin], {
                'companies': [('add', cls.companies)],
                'company': cls.companies[0]})
        with Transaction().set_user(admin.id), \
                Transaction().set_context(company=companies[0].id):
            template, = Template.create([{'name': '挖掘机 SY215C',
                        'type': 'goods', 'default_uom': unit.id,
                        'list_price': Decimal('880000'), 'machine': True,
                        'products': [('create', [{}])]}])
        machine, = template.products
        customer, = Party.create([{'name': '上海宏达土石方工程有限公司',
                    'addresses': [('create', [{}])]}])
        warehouse, = Location.search([('type', '=', 'warehouse')])

        cls.shipments, cls.releases = [], []
        for company, clerk in zip(companies, clerks):
            with Transaction().set_context(company=company.id):
                customer_loc = Party(customer.id).customer_location
                shipment, = Shipment.create([{
                            'company': company.id,
                            'customer': customer.id,
                            'delivery_address': customer.addresses[0].id,
                            'warehouse': warehouse.id,
                            'warehouse_storage': (
                                warehouse.storage_location.id),
                            'warehouse_output': warehouse.output_location.id,
                            }])
                Move.create([{
                            'shipment': str(shipment),
                            'product': machine.id,
                            'quantity': 1,
                            'unit': unit.id,
                            'from_location': warehouse.output_location.id,
                            'to_location': customer_loc.id,
                            'unit_price': Decimal('880000'),
                            'currency': currency.id,
                            'company': company.id,
                            }])
                release, = Release.create([{
                            'company': company.id,
                            'origin': str(shipment),
                            'owner': clerk.id,
                            }])
                Release.approval_submit([release])
            cls.shipments.append(shipment.id)
            cls.releases.append(release.id)

    def test_leader_sees_and_approves_his_seven(self):
        "The leader finds, reads and approves exactly his 7 companies'"
        mine = self.releases[:7]
        answer = self.call('leader',
            'model.dealer.delivery.release.search',
            [('approval_state', '=', 'waiting')], 0, None, None)
        self.assertEqual(sorted(answer['result']), sorted(mine), answer)
        answer = self.call('leader',
            'model.dealer.delivery.release.search_count', [])
        self.assertEqual(answer['result'], 7, answer)
        answer = self.call('leader', 'model.dealer.delivery.release.read',
            mine, ['company.rec_name', 'origin.rec_name', 'machine_names',
                'customer.rec_name', 'approval_state'])
        rows = answer['result']
        self.assertEqual(sorted(r['company.']['rec_name'] for r in rows),
            [f'公司{i}' for i in range(1, 8)])
        self.assertEqual({r['approval_state'] for r in rows}, {'waiting'})
        # Sending all the companies in the context widens nothing.
        answer = self.call('leader',
            'model.dealer.delivery.release.search_count', [], context={
                'company': self.companies[8],
                'companies': self.companies,
                '_check_access': False,
                })
        self.assertEqual(answer['result'], 7, answer)

        # His tasks are one menu away.
        answer = self.call('leader', 'model.dealer.approval.request.search',
            [('waiting_for_me', '=', True)], 0, None, None)
        self.assertEqual(len(answer['result']), 7, answer)

        # Nothing of companies 8 and 9, by id or by approval.
        for release in self.releases[7:]:
            answer = self.call('leader',
                'model.dealer.delivery.release.read', [release], ['id'])
            self.assertIn('error', answer, answer)
            answer = self.call('leader',
                'model.dealer.delivery.release.approval_approve', [release])
            self.assertIn('error', answer, answer)

        # He decides without write access to the releases.
        answer = self.call('leader',
            'model.dealer.delivery.release.write', mine[:1],
            {'notes': '已审'})
        self.assertIn('error', answer, answer)
        answer = self.call('leader',
            'model.dealer.delivery.release.approval_approve', mine)
        self.assertNotIn('error', answer, answer)
        answer = self.call('leader', 'model.dealer.delivery.release.read',
            mine, ['approval_state'])
        self.assertEqual({r['approval_state'] for r in answer['result']},
            {'approved'})
        answer = self.call('leader', 'model.dealer.approval.request.search',
            [('waiting_for_me', '=', True)], 0, None, None)
        self.assertEqual(answer['result'], [], answer)

        # The other two companies still wait for their own risk control.
        with Transaction().start(DB_NAME, 0):
            Release = Pool().get('dealer.delivery.release')
            self.assertEqual(
                [r.approval_state for r in Release.browse(
                        self.releases[7:])],
                ['waiting', 'waiting'])

    def test_south_sees_his_two(self):
        "The other risk controller sees the last two companies only"
        answer = self.call('south',
            'model.dealer.delivery.release.search', [], 0, None, None)
        self.assertEqual(sorted(answer['result']),
            sorted(self.releases[7:]), answer)
        answer = self.call('south', 'model.dealer.approval.request.search',
            [('waiting_for_me', '=', True)], 0, None, None)
        self.assertEqual(len(answer['result']), 2, answer)

    def test_another_company_neither_reads_nor_approves(self):
        "The back office of company 8 sees its own release, not company 1's"
        answer = self.call('clerk8',
            'model.dealer.delivery.release.search', [], 0, None, None)
        self.assertEqual(answer['result'], [self.releases[7]], answer)
        answer = self.call('clerk8',
            'model.dealer.delivery.release.search',
            [('company', '=', self.companies[0])], 0, None, None,
            context={'companies': self.companies,
                'company': self.companies[0]})
        self.assertDenied(answer)
        for method, params in [
                ('read', ([self.releases[0]], ['id'])),
                ('approval_approve', ([self.releases[0]],)),
                ('write', ([self.releases[0]], {'notes': 'x'})),
                ('delete', ([self.releases[0]],)),
                ]:
            with self.subTest(method=method):
                answer = self.call('clerk8',
                    f'model.dealer.delivery.release.{method}', *params)
                self.assertIn('error', answer, answer)
        answer = self.call('clerk8',
            'model.stock.shipment.out.request_delivery_release',
            [self.shipments[0]])
        self.assertIn('error', answer, answer)
        answer = self.call('clerk8',
            'report.dealer.leasing.delivery_note.execute',
            [self.releases[0]], {})
        self.assertIn('error', answer, answer)
        # Not the approver of its own company's release either.
        answer = self.call('clerk8',
            'model.dealer.delivery.release.approval_approve',
            [self.releases[7]])
        self.assertIn('error', answer, answer)

    def test_without_position_or_scope_nothing(self):
        "A user without position and a salesperson see no release"
        for login in ['nobody', 'sales1']:
            with self.subTest(login=login):
                self.assertDenied(self.call(login,
                        'model.dealer.delivery.release.search', [],
                        0, None, None))
                self.assertDenied(self.call(login,
                        'model.dealer.delivery.release.search_count', []))
                answer = self.call(login,
                    'model.dealer.delivery.release.read',
                    [self.releases[0]], ['id'])
                self.assertIn('error', answer, answer)
                answer = self.call(login,
                    'model.dealer.delivery.release.approval_approve',
                    [self.releases[0]])
                self.assertIn('error', answer, answer)
                answer = self.call(login,
                    'model.dealer.delivery.release.create',
                    [{'company': self.companies[0],
                            'origin': f'stock.shipment.out,'
                            f'{self.shipments[0]}'}])
                self.assertIn('error', answer, answer)

    def test_requester_cannot_decide_or_forge(self):
        "The clerk neither approves nor writes the approval state"
        release = self.releases[1]
        answer = self.call('clerk2',
            'model.dealer.delivery.release.read', [release],
            ['approval_state', 'number'])
        self.assertEqual(len(answer['result']), 1, answer)
        for method, params in [
                ('approval_approve', ([release],)),
                ('write', ([release], {'approval_state': 'approved'})),
                ('write', ([release], {'notes': '改'})),
                ('write', ([release], {'number': 'FC999'})),
                ('delete', ([release],)),
                ]:
            with self.subTest(method=method, params=params):
                answer = self.call('clerk2',
                    f'model.dealer.delivery.release.{method}', *params)
                self.assertIn('error', answer, answer)
        # The shipment cannot leave before approval, even for the clerk.
        answer = self.call('clerk2', 'model.stock.shipment.out.do',
            [self.shipments[1]])
        self.assertIn('error', answer, answer)

    def test_leader_prints_delivery_note(self):
        "Whoever reads a release prints its delivery note"
        answer = self.call('leader',
            'report.dealer.leasing.delivery_note.execute',
            [self.releases[0]], {})
        self.assertNotIn('error', answer, answer)
        extension, content, _, name = answer['result']
        self.assertIn(extension, {'odt', 'pdf'})
        self.assertTrue(content)
        self.assertTrue(name.startswith('Delivery Note'), name)
