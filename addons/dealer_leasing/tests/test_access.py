# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Who sees and changes machines and leases, through the RPC dispatcher as
the restricted users (TESTING.md's access checklist): another salesperson,
another company's salesperson, a user without position, and the warehouse
keeper who records hour meters and repairs."""
import datetime as dt
from decimal import Decimal

from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, checklist_staff, create_group, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

LEASE_MODELS = ['sale.rental', 'sale.rental.line']


class LeasingAccessTestCase(RPCMixin, RouteTestCase):
    "Access to machines and leases"
    module = 'dealer_leasing'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Lot = pool.get('stock.lot')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Rental = pool.get('sale.rental')
        Reading = pool.get('dealer.machine.reading')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Date = pool.get('ir.date')

        shanghai, guangzhou = create_group('上海公司', '广州公司')
        staff = create_staff([*checklist_staff(shanghai, guangzhou),
                ('ma', shanghai, '马超', 'position_warehouse', None),
                ])
        cls.employees = {login: e.id for login, e in staff.items()}

        unit = Uom(ModelData.get_id('product', 'uom_unit'))
        day = Uom(ModelData.get_id('product', 'uom_day'))
        # Products read the current user's company (rental prices).
        admin = User(ModelData.get_id('res', 'user_admin'))
        User.write([admin], {
                'companies': [('add', [shanghai.id])],
                'company': shanghai.id})
        with Transaction().set_user(admin.id), \
                Transaction().set_context(company=shanghai.id):
            template, = Template.create([{'name': 'SY215 挖掘机',
                        'type': 'goods', 'machine': True,
                        'default_uom': unit.id, 'rentable': True,
                        'rental_per_day': True, 'rental_unit': day.id,
                        'products': [('create', [{}])]}])
            product, = template.products
        supplier, = Location.search([('code', '=', 'SUP')])
        warehouse, = Location.search([('type', '=', 'warehouse')])
        cls.machines = {}
        for company, number in [(shanghai, 'SY215-SH-01'),
                (guangzhou, 'SY215-GZ-01')]:
            with Transaction().set_context(company=company.id):
                lot, = Lot.create([{'number': number,
                            'product': product.id}])
                move, = Move.create([{'product': product.id, 'lot': lot.id,
                            'quantity': 1, 'unit': unit.id,
                            'from_location': supplier.id,
                            'to_location': warehouse.storage_location.id,
                            'unit_price': Decimal('700000'),
                            'currency': company.currency.id,
                            'company': company.id}])
                Move.do([move])
                cls.machines[number] = lot.id

        with Transaction().set_context(company=shanghai.id):
            # The company's today, not the machine's date; the tests
            # count from the same day as the lease.
            cls.today = today = Date.today()
            customer, = Party.create([{'name': '上海宏达土石方工程有限公司',
                        'addresses': [('create', [{'city': '上海'}])]}])
            start = today + dt.timedelta(days=1)
            rental, = Rental.create([{'company': shanghai.id,
                        'party': customer.id,
                        'owner': cls.employees['zhang'],
                        'currency': shanghai.currency.id,
                        'warehouse': warehouse.id,
                        'invoice_address': customer.addresses[0].id,
                        'deposit': Decimal('20000'),
                        'lines': [('create', [{
                                        'product': product.id,
                                        'machine': cls.machines['SY215-SH-01'],
                                        'per_day': True, 'quantity': 1,
                                        'unit': unit.id,
                                        'unit_price': Decimal('1500'),
                                        'unit_price_unit': day.id,
                                        'planned_start_day': start,
                                        'planned_end_day': (
                                            start + dt.timedelta(days=10)),
                                        }])],
                        }])
            Rental.quote([rental])
            Rental.confirm([rental])
            reading, = Reading.create([{
                        'machine': cls.machines['SY215-SH-01'],
                        'date': today, 'hours': Decimal('1200')}])
        cls.ids = {
            'sale.rental': rental.id,
            'sale.rental.line': rental.lines[0].id,
            'dealer.machine.booking': Pool().get(
                'dealer.machine.booking').search([])[0].id,
            'dealer.machine.reading': reading.id,
            }
        cls.shanghai, cls.guangzhou = shanghai.id, guangzhou.id

    def test_others_do_not_see_the_lease(self):
        "Another salesperson, another company, a user without position"
        for login in ['liu', 'huang', 'nobody']:
            for model in LEASE_MODELS:
                self.assertSeesNothing(login, model, self.ids[model])
        # Through a relation or a widened context: still nothing.
        answer = self.call('liu', 'model.sale.rental.search',
            [('lines.machine.number', '=', 'SY215-SH-01')], 0, None, None,
            context={'data_scope': 'company',
                'employees': [self.employees['zhang']]})
        self.assertDenied(answer)

    def test_owner_sees_his_lease(self):
        answer = self.call('zhang', 'model.sale.rental.read',
            [self.ids['sale.rental']], ['state', 'deposit', 'turnaround_days'])
        values, = answer['result']
        self.assertEqual(values['state'], 'confirmed')
        self.assertEqual(Decimal(values['deposit']['decimal']),
            Decimal('20000.00'))

    def test_machines_stay_in_their_company(self):
        "Each company's users see its machines and their bookings only"
        for login, number in [('zhang', 'SY215-SH-01'),
                ('huang', 'SY215-GZ-01')]:
            answer = self.call(login, 'model.stock.lot.search_read',
                [('machine', '=', True)], 0, None, None, ['number', 'status'])
            self.assertEqual(
                [r['number'] for r in answer['result']], [number], answer)
        answer = self.call('huang', 'model.stock.lot.read',
            [self.machines['SY215-SH-01']], ['number'])
        self.assertIn('error', answer, answer)
        for model in ['dealer.machine.booking', 'dealer.machine.reading']:
            with self.subTest(model=model):
                self.assertDenied(self.call('huang',
                        f'model.{model}.search', [], 0, None, None))
                answer = self.call('huang', f'model.{model}.read',
                    [self.ids[model]], ['id'])
                self.assertIn('error', answer, answer)
        self.assertDenied(self.call('nobody',
                'model.stock.lot.search', [], 0, None, None))

    def test_idle_machines_of_the_company(self):
        "The idle view: the Shanghai machine is booked from tomorrow"
        today = self.today
        for start, expected in [
                (today, ['SY215-SH-01']),
                (today + dt.timedelta(days=5), []),
                (today + dt.timedelta(days=20), ['SY215-SH-01'])]:
            answer = self.call('zhang', 'model.stock.lot.search_read',
                [('idle', '=', True)], 0, None, None, ['number'],
                context={'from_date': start.isoformat(),
                    'to_date': start.isoformat()})
            self.assertEqual(
                [r['number'] for r in answer['result']], expected, answer)

    def test_bookings_are_written_by_documents_only(self):
        booking = self.ids['dealer.machine.booking']
        for login in ['zhang', 'ma']:
            with self.subTest(login=login):
                answer = self.call(login,
                    'model.dealer.machine.booking.write', [booking],
                    {'end': None})
                self.assertIn('error', answer, answer)
                answer = self.call(login,
                    'model.dealer.machine.booking.delete', [booking])
                self.assertIn('error', answer, answer)
        with Transaction().start(DB_NAME, 0):
            Booking = Pool().get('dealer.machine.booking')
            self.assertIsNotNone(Booking(booking).end)

    def test_hour_meter_by_warehouse_only(self):
        values = {'machine': self.machines['SY215-SH-01'],
            'date': self.today.isoformat(), 'hours': '1250'}
        answer = self.call('zhang', 'model.dealer.machine.reading.create',
            [values])
        self.assertDenied(answer)
        answer = self.call('ma', 'model.dealer.machine.reading.create',
            [values])
        self.assertNotIn('error', answer, answer)
        # Backwards: a clear error, not a traceback.
        values['hours'] = '100'
        answer = self.call('ma', 'model.dealer.machine.reading.create',
            [values])
        self.assertEqual(answer['error'][0], 'UserError', answer)
        self.assertIn('SY215-SH-01', answer['error'][1][0])

    def test_repairs_by_warehouse_only(self):
        values = {'company': self.shanghai,
            'machine': self.machines['SY215-SH-01'],
            'start': (self.today + dt.timedelta(days=30)).isoformat(),
            'reason': '液压泵漏油'}
        answer = self.call('zhang', 'model.dealer.machine.repair.create',
            [values])
        self.assertDenied(answer)
        answer = self.call('ma', 'model.dealer.machine.repair.create',
            [values])
        repair, = answer['result']
        answer = self.call('zhang',
            'model.dealer.machine.repair.start_repair', [repair])
        self.assertIn('error', answer, answer)
        answer = self.call('ma',
            'model.dealer.machine.repair.start_repair', [repair])
        self.assertNotIn('error', answer, answer)
