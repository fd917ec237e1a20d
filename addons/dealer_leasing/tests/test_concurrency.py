# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Two salespeople confirm, at the same moment, leases of one machine for
overlapping periods (R-LEA-02), on PostgreSQL through the real RPC
dispatcher: exactly one lease holds the machine, the other gets the
booking error and stays a quotation."""
import datetime as dt
from decimal import Decimal

from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_group, create_staff, postgresql_only)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


@postgresql_only
class LeaseConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent lease confirmations"
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
        ModelData = pool.get('ir.model.data')
        Date = pool.get('ir.date')

        company, = create_group('上海公司')
        staff = create_staff([
                ('zhang', company, '张伟', 'position_salesperson', None),
                ('li', company, '李娜', 'position_salesperson', None),
                ])
        with Transaction().set_context(company=company.id):
            unit = Uom(ModelData.get_id('product', 'uom_unit'))
            day = Uom(ModelData.get_id('product', 'uom_day'))
            # Products read the current user's company (rental prices).
            User = pool.get('res.user')
            admin = User(ModelData.get_id('res', 'user_admin'))
            User.write([admin], {
                    'companies': [('add', [company.id])],
                    'company': company.id})
            with Transaction().set_user(admin.id):
                template, = Template.create([{'name': 'SY215 挖掘机',
                            'type': 'goods', 'machine': True,
                            'default_uom': unit.id, 'rentable': True,
                            'rental_per_day': True, 'rental_unit': day.id,
                            'list_price': Decimal('880000'),
                            'products': [('create', [{}])]}])
            product, = template.products
            supplier, = Location.search([('code', '=', 'SUP')])
            warehouse, = Location.search([('type', '=', 'warehouse')])
            lot, = Lot.create([{'number': 'SY215-0001',
                        'product': product.id}])
            move, = Move.create([{'product': product.id, 'lot': lot.id,
                        'quantity': 1, 'unit': unit.id,
                        'from_location': supplier.id,
                        'to_location': warehouse.storage_location.id,
                        'unit_price': Decimal('700000'),
                        'currency': company.currency.id,
                        'company': company.id}])
            Move.do([move])
            customer, = Party.create([{'name': '上海宏达土石方工程有限公司',
                        'addresses': [('create', [{'city': '上海'}])]}])
            # From tomorrow, the company's.
            start = Date.today() + dt.timedelta(days=1)
            cls.rentals = []
            for login, offset in [('zhang', 0), ('li', 5)]:
                rental, = Rental.create([{'company': company.id,
                            'party': customer.id,
                            'owner': staff[login].id,
                            'currency': company.currency.id,
                            'warehouse': warehouse.id,
                            'invoice_address': customer.addresses[0].id,
                            'lines': [('create', [{
                                            'product': product.id,
                                            'machine': lot.id,
                                            'per_day': True,
                                            'quantity': 1,
                                            'unit': unit.id,
                                            'unit_price': Decimal('1500'),
                                            'unit_price_unit': day.id,
                                            'planned_start_day': (start
                                                + dt.timedelta(days=offset)),
                                            'planned_end_day': (start
                                                + dt.timedelta(
                                                    days=offset + 10)),
                                            }])],
                            }])
                Rental.quote([rental])
                cls.rentals.append(rental.id)
            cls.lot_id = lot.id

    def test_confirm_overlapping_leases_at_once(self):
        "Two leases of one machine confirmed at once: one holds it"
        results = self.at_once(
            ('zhang', 'model.sale.rental.confirm', [self.rentals[0]]),
            ('li', 'model.sale.rental.confirm', [self.rentals[1]]))

        errors = [r for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        self.assertEqual(errors[0]['error'][0], 'UserError', results)
        self.assertIn('SY215-0001', errors[0]['error'][1][0])
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Rental = pool.get('sale.rental')
            Booking = pool.get('dealer.machine.booking')
            states = sorted(r.state for r in Rental.browse(self.rentals))
            self.assertEqual(states, ['confirmed', 'quotation'])
            bookings = Booking.search([('machine', '=', self.lot_id)])
            self.assertEqual(len(bookings), 1)
            confirmed, = Rental.search([
                    ('id', 'in', self.rentals),
                    ('state', '=', 'confirmed')])
            self.assertEqual(
                bookings[0].origin.rental, confirmed)
