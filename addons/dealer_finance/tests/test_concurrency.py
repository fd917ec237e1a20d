# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Money paid twice at the same moment, on PostgreSQL through the real RPC
dispatcher: two clerks paying one payment request, two requests paying
one payable, two cashiers posting receipts for one instalment (R-PRT-04,
R-FIN-01)."""
import datetime as dt
from decimal import Decimal

from trytond.modules.account.tests.test_module import (
    create_chart, get_fiscalyear)
from trytond.modules.account_invoice.tests.test_module import (
    set_invoice_sequences)
from trytond.modules.company.tests import create_employee
from trytond.modules.dealer_base.tests.rpc import (
    RPCMixin, create_committed, create_group, create_staff, postgresql_only)
from trytond.modules.dealer_base.tests.tools import story_year
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


@postgresql_only
class FinanceConcurrencyTestCase(RPCMixin, RouteTestCase):
    "Concurrent payments"
    module = 'dealer_finance'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        Method = pool.get('account.invoice.payment.method')
        Invoice = pool.get('account.invoice')
        Settings = pool.get('dealer.finance.settings')
        Plan = pool.get('dealer.payment.plan')
        JournalPeriod = pool.get('account.journal.period')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')

        company, = create_group('上海公司')
        create_staff([
                ('zhou', company, '周静', 'position_finance', None),
                ('wu', company, '吴敏', 'position_finance', None),
                ])
        with Transaction().set_context(company=company.id):
            create_chart(company)
            # The instalment's story is told in a past year; the payables
            # and their payments are of the company's today: calendar
            # fiscal years from the one to the year after the other.
            today = Date.today()
            cls.year = year = story_year(today)
            for fiscal_year in range(year, today.year + 2):
                fiscalyear = set_invoice_sequences(get_fiscalyear(company,
                        today=dt.date(fiscal_year, 1, 1)))
                fiscalyear.save()
                fiscalyear.create_period([fiscalyear])
            cash, = Account.search([('code', '=', '1.1.1')], limit=1)
            expense, = Account.search([('type.expense', '=', True)], limit=1)
            journal, = Journal.search([('code', '=', 'CASH')])
            expense_journal, = Journal.search([('code', '=', 'EXP')])
            method = Method(name='现金', company=company, journal=journal,
                debit_account=cash, credit_account=cash)
            method.save()
            # The month's cash journal period exists (its creation, once a
            # month, locks the table).
            JournalPeriod.create([{'journal': journal.id,
                        'period': Period.find(company).id}])
            Settings.create([{'company': company.id,
                        'payment_method': method.id}])
            purchaser = create_employee(company, '孙强')
            cls.purchaser_id = purchaser.id
            supplier, = Party.create([{'name': '徐工配件供应有限公司',
                        'addresses': [('create', [{'city': '徐州'}])]}])

            def posted_invoice(amount):
                invoice = Invoice(type='in', company=company, party=supplier,
                    invoice_address=supplier.addresses[0],
                    journal=expense_journal,
                    invoice_date=today, currency=company.currency,
                    account=supplier.account_payable_used,
                    lines=[{'account': expense, 'quantity': 1,
                            'unit_price': amount, 'description': '配件'}])
                invoice.save()
                Invoice.post([invoice])
                return invoice

            cls.invoices = {}
            cls.requests = {}
            # One approved request of 50,000 paid by two clerks at once;
            # two approved requests of 25,000 for one 50,000 payable.
            cls.invoices['one'] = posted_invoice(Decimal('50000')).id
            cls.requests['one'] = cls.approved_request(
                company, supplier, cls.invoices['one'], Decimal('50000'))
            cls.invoices['two'] = posted_invoice(Decimal('50000')).id
            cls.requests['two_a'] = cls.approved_request(
                company, supplier, cls.invoices['two'], Decimal('25000'))
            cls.requests['two_b'] = cls.approved_request(
                company, supplier, cls.invoices['two'], Decimal('25000'))

            customer, = Party.create([{'name': '上海宏达土石方工程有限公司',
                        'is_customer': True, 'company': company.id}])
            owner = create_employee(company, '张伟')
            plan, = Plan.create([{'company': company.id,
                        'customer': customer.id, 'owner': owner.id,
                        'currency': company.currency.id,
                        'total_amount': Decimal('10000'),
                        'lines': [('create', [{'due_date': dt.date(year, 3, 1),
                                        'amount': Decimal('10000')}])],
                        }])
            Plan.run([plan])
            cls.plan_id = plan.id
            cls.company_id = company.id

    @classmethod
    def approved_request(cls, company, supplier, invoice_id, amount):
        "A request as the approval flow leaves it"
        pool = Pool()
        Request = pool.get('dealer.payment.request')
        request, = Request.create([{'company': company.id,
                    'supplier': supplier.id, 'owner': cls.purchaser_id,
                    'currency': company.currency.id,
                    'lines': [('create', [{'invoice': invoice_id,
                                    'amount': amount}])],
                    }])
        Request.write([request], {
                'state': 'approved', 'approval_state': 'approved'})
        return request.id

    def test_pay_same_request_at_once(self):
        "Two clerks pay one request: it is paid once"
        request = self.requests['one']
        results = self.at_once(
            ('zhou', 'model.dealer.payment.request.pay', [request]),
            ('wu', 'model.dealer.payment.request.pay', [request]))

        errors = [r for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        # The second finds it paid (the request's own error, or the button
        # no longer offered) or is told the server is busy when both met at
        # Tryton's strict move sequence (see below).
        error = errors[0]['error']
        self.assertTrue(error[0] in {'UserError', 'AccessError'}
            or 'could not obtain lock' in str(error), results)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Invoice = pool.get('account.invoice')
            invoice = Invoice(self.invoices['one'])
            self.assertEqual(invoice.state, 'paid')
            self.assertEqual(len(invoice.payment_lines), 1)
            self.assertEqual(invoice.amount_to_pay, Decimal(0))

    def test_pay_two_requests_of_one_payable_at_once(self):
        "Two requests paying one payable together pay it exactly"
        results = self.at_once(
            ('zhou', 'model.dealer.payment.request.pay',
                [self.requests['two_a']]),
            ('wu', 'model.dealer.payment.request.pay',
                [self.requests['two_b']]))

        # Both are paid, or one is told the server is busy (two moves
        # posted at the same moment in one journal fight for Tryton's strict
        # move sequence, locked without waiting) and nothing of it is kept.
        # Never more than the payable.
        paid = [r for r in results if 'error' not in r]
        self.assertGreaterEqual(len(paid), 1, results)
        for result in results:
            if 'error' in result:
                self.assertIn('could not obtain lock', str(result['error']))
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Invoice = pool.get('account.invoice')
            Request = pool.get('dealer.payment.request')
            invoice = Invoice(self.invoices['two'])
            requests = Request.browse(
                [self.requests['two_a'], self.requests['two_b']])
            self.assertEqual(
                sum(l.debit - l.credit for l in invoice.payment_lines),
                Decimal('25000') * len(paid))
            self.assertEqual(
                sorted(r.state for r in requests),
                sorted(['paid'] * len(paid) + ['approved'] * (2 - len(paid))))
            self.assertEqual(invoice.state,
                'paid' if len(paid) == 2 else 'posted')

    def test_submit_two_requests_beyond_payable_at_once(self):
        "Two requests asking together more than a payable: one is refused"
        requests = []

        def create():
            pool = Pool()
            Request = pool.get('dealer.payment.request')
            Invoice = pool.get('account.invoice')
            Flow = pool.get('dealer.approval.flow')
            ModelData = pool.get('ir.model.data')
            Date = pool.get('ir.date')
            with Transaction().set_context(company=self.company_id):
                invoice, = Invoice.copy([Invoice(self.invoices['one'])],
                    default={'invoice_date': Date.today()})
                Invoice.post([invoice])
                Flow.create([{'name': '付款申请',
                            'document_model': 'dealer.payment.request',
                            'steps': [('create', [{'name': '财务',
                                            'approver_type': 'position',
                                            'position': ModelData.get_id(
                                                'dealer_base',
                                                'position_finance')}])],
                            }])
                requests[:] = [r.id for r in Request.create([{
                                'company': self.company_id,
                                'supplier': invoice.party.id,
                                'owner': self.purchaser_id,
                                'currency': invoice.currency.id,
                                'lines': [('create', [{
                                                'invoice': invoice.id,
                                                'amount': Decimal('30000'),
                                                }])],
                                } for _ in range(2)])]
        with Transaction().start(DB_NAME, 0):
            create_committed(create)
        results = self.at_once(
            ('zhou', 'model.dealer.payment.request.approval_submit',
                [requests[0]]),
            ('wu', 'model.dealer.payment.request.approval_submit',
                [requests[1]]))

        errors = [r for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        self.assertEqual(errors[0]['error'][0], 'UserError')
        self.assertIn('30000.00 cannot be requested', errors[0]['error'][1][0])
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Request = pool.get('dealer.payment.request')
            self.assertEqual(sorted(r.state
                    for r in Request.browse(requests)),
                ['draft', 'waiting'])

    def test_receipts_for_one_instalment_at_once(self):
        "Two cashiers post 6,000 each against 10,000 due: one is refused"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Receipt = pool.get('dealer.payment.receipt')
            Plan = pool.get('dealer.payment.plan')
            plan = Plan(self.plan_id)
            receipts = Receipt.create([{'plan': plan.id,
                        'company': self.company_id,
                        'currency': plan.currency.id,
                        'date': dt.date(self.year, 3, 5),
                        'amount': Decimal('6000')} for _ in range(2)])
            transaction.commit()
        results = self.at_once(
            ('zhou', 'model.dealer.payment.receipt.post', [receipts[0].id]),
            ('wu', 'model.dealer.payment.receipt.post', [receipts[1].id]))

        errors = [r for r in results if 'error' in r]
        self.assertEqual(len(errors), 1, results)
        self.assertIn('more than what is still due', errors[0]['error'][1][0])
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Plan = pool.get('dealer.payment.plan')
            line, = Plan(self.plan_id).lines
            self.assertEqual(line.paid_amount, Decimal('6000'))
            self.assertEqual(line.unpaid_amount, Decimal('4000'))
