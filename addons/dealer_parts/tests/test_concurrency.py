# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""One receipt settled twice at the same moment, on PostgreSQL through the
real RPC dispatcher: two purchasers confirm two settlements of the same
received parts; the receipt is settled once, one payable is booked
(R-PRT-03)."""
from decimal import Decimal

from trytond.modules.account.tests.test_module import (
    create_chart, get_fiscalyear)
from trytond.modules.account_invoice.tests.test_module import (
    set_invoice_sequences)
from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_group, create_staff, postgresql_only)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


@postgresql_only
class PartsConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent settlements"
    module = 'dealer_parts'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Account = pool.get('account.account')
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Location = pool.get('stock.location')
        Party = pool.get('party.party')
        Purchase = pool.get('purchase.purchase')
        Move = pool.get('stock.move')
        Settlement = pool.get('dealer.parts.settlement')
        Date = pool.get('ir.date')

        company, = create_group('上海公司')
        staff = create_staff([
                ('sun', company, '孙强', 'position_purchaser', None),
                ('qian', company, '钱明', 'position_purchaser', None),
                ])
        with Transaction().set_context(company=company.id):
            create_chart(company)
            today = Date.today()
            fiscalyear = set_invoice_sequences(get_fiscalyear(company,
                    today=today))
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            expense, = Account.search([('type.expense', '=', True)], limit=1)
            category, = Category.create([{'name': '配件', 'accounting': True,
                        'account_expense': expense.id}])
            unit, = Uom.search([('name', '=', 'Unit')])
            template, = Template.create([{'name': '液压油滤芯',
                        'type': 'goods', 'default_uom': unit.id,
                        'purchase_uom': unit.id,
                        'purchasable': True, 'account_category': category.id,
                        'products': [('create', [{}])]}])
            product, = template.products
            warehouse, = Location.search([('type', '=', 'warehouse')])
            supplier, = Party.create([{'name': '三一配件供应有限公司',
                        'addresses': [('create', [{'city': '长沙'}])]}])
            purchase, = Purchase.create([{'company': company.id,
                        'party': supplier.id,
                        'invoice_address': supplier.addresses[0].id,
                        'warehouse': warehouse.id,
                        'currency': company.currency.id,
                        'purchase_date': today,
                        'lines': [('create', [{'product': product.id,
                                        'quantity': 10, 'unit': unit.id,
                                        'unit_price': Decimal('118.00'),
                                        'description': '液压油滤芯'}])],
                        }])
            Purchase.quote([purchase])
            Purchase.confirm([purchase])
            Purchase.process([purchase])
            move, = purchase.moves
            Move.write([move], {'effective_date': today})
            Move.do([move])
            cls.settlements = {}
            for login in ['sun', 'qian']:
                settlement, = Settlement.create([{'company': company.id,
                            'supplier': supplier.id,
                            'supplier_invoice': f'INV-{login}',
                            'owner': staff[login].id,
                            'currency': company.currency.id,
                            'invoice_date': today,
                            'lines': [('create', [{'move': move.id,
                                            'quantity': 10,
                                            'unit_price': Decimal('118.00'),
                                            }])],
                            }])
                cls.settlements[login] = settlement.id
            cls.move_id = move.id

    def test_settle_same_receipt_at_once(self):
        "Two purchasers settle the same 10 filters: settled once"
        results = self.at_once(
            ('sun', 'model.dealer.parts.settlement.confirm',
                [self.settlements['sun']]),
            ('qian', 'model.dealer.parts.settlement.confirm',
                [self.settlements['qian']]))

        errors = [r for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        # The second waits for the first and is told what is left, or is
        # told the server is busy when both met at Tryton's strict invoice
        # sequence.
        error = str(errors[0]['error'])
        self.assertTrue('cannot be settled' in error
            or 'could not obtain lock' in error, results)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Settlement = pool.get('dealer.parts.settlement')
            Invoice = pool.get('account.invoice')
            settlements = Settlement.browse(self.settlements.values())
            self.assertEqual(sorted(s.state for s in settlements),
                ['done', 'draft'])
            invoices = Invoice.search([('type', '=', 'in')])
            self.assertEqual(len(invoices), 1)
            invoice, = invoices
            self.assertEqual(invoice.total_amount, Decimal('1180.00'))
            self.assertEqual(invoice.state, 'posted')
            self.assertEqual([m.id for l in invoice.lines
                    for m in l.stock_moves], [self.move_id])
