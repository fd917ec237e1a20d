# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Calls through the real RPC dispatcher (its access checks, locking and
retries) for the dealer modules' access and concurrency tests, and the
group and staff they start from."""
import base64
import json
import threading
import unittest

from trytond import backend
from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.currency.tests import add_currency_rate, create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError

PASSWORD = 'dealer-test-2026'

postgresql_only = unittest.skipUnless(backend.name == 'postgresql',
    "SQLite has one writer at a time: concurrency runs on PostgreSQL")


def create_group(*names):
    "Create the group's companies, in one currency; return them in order"
    pool = Pool()
    Company = pool.get('company.company')
    currency = create_currency('CNY')
    add_currency_rate(currency, 1)
    companies = [create_company(name=name, currency=currency)
        for name in names]
    # As the dealers' companies, in Shanghai: from 16:00 UTC their today
    # is the machine's tomorrow.
    Company.write(companies, {'timezone': 'Asia/Shanghai'})
    return companies


def create_staff(rows):
    """Create, for each row (login, company, name, position, supervisor's
    login), an employee and his user holding the standard position (None:
    no position); a supervisor comes in an earlier row.  Return the
    employees by login"""
    employees = {}
    for login, company, name, position, supervisor in rows:
        employee = create_employee(company, name)
        if supervisor:
            employee.supervisor = employees[supervisor]
            employee.save()
        create_user(login, employee, position)
        employees[login] = employee
    return employees


def checklist_staff(home, other):
    """The rows for create_staff of TESTING.md's access checklist: zhang, a
    salesperson of home who owns the records, and the users who must not
    see them: liu, another salesperson; huang, a salesperson of the other
    company; nobody, a user holding no position"""
    return [
        ('zhang', home, '张伟', 'position_salesperson', None),
        ('liu', home, '刘洋', 'position_salesperson', None),
        ('huang', other, '黄磊', 'position_salesperson', None),
        ('nobody', home, '吴用', None, None),
        ]


def create_user(login, employee, position):
    """Create a user for the employee holding the standard position (None:
    no position), with the employee's company current; return the user"""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    roles = [{'role': ModelData.get_id('dealer_base', position)}
        ] if position else []
    user, = User.create([{
                'login': login,
                'name': employee.party.name,
                'password': PASSWORD,
                # Tryton requires the employee's company of the user, with
                # or without a position (which adds those it grants).
                'companies': [('add', [employee.company.id])],
                'employees': [('add', [employee.id])],
                'roles': [('create', roles)],
                }])
    User.write([user], {
            'company': employee.company.id, 'employee': employee.id})
    return user


def create_committed(function):
    """Run function() in its own committed transaction, restarting it with
    the table locks it asks for (creating a chart of accounts locks the
    accounting configuration) as the RPC dispatcher does"""
    extras = {}
    while True:
        try:
            with Transaction().new_transaction(**extras) as transaction:
                function()
                transaction.commit()
            return
        except TransactionError as exception:
            exception.fix(extras)


class RPCMixin:
    "For a RouteTestCase: JSON-RPC calls as a user, and simultaneous ones"

    @classmethod
    def setUpDatabase(cls):
        create_committed(cls.create_data)

    @classmethod
    def create_data(cls):
        "Create the test's records (committed once for the class)"

    def call(self, login, method, *params, context=None):
        "One JSON-RPC call as the user; return the decoded answer"
        auth = base64.b64encode(f'{login}:{PASSWORD}'.encode()).decode()
        response = self.client().post(f'/{DB_NAME}/rpc/',
            headers={'Authorization': f'Basic {auth}',
                'Content-Type': 'application/json'},
            data=json.dumps({'id': 1, 'method': method,
                    'params': [*params, context or {}]}))
        text = response.get_data(as_text=True)
        try:
            return json.loads(text)
        except ValueError:
            # Not an RPC answer: the server failed (HTTP 5xx) or refused.
            return {'error': ['HTTP', [response.status, text[:500]]]}

    def assertDenied(self, answer):
        "An access error, or an empty answer"
        if 'error' in answer:
            # Access errors reach the client as user errors.
            self.assertIn('not allowed', str(answer['error']), answer)
        else:
            self.assertFalse(answer['result'], answer)

    def assertSeesNothing(self, login, model, record_id=None):
        """The user finds, counts and exports nothing of the model and
        cannot read its record (TESTING.md's access checklist, 1)"""
        with self.subTest(login=login, model=model):
            self.assertDenied(self.call(login,
                    f'model.{model}.search', [], 0, None, None))
            self.assertDenied(self.call(login,
                    f'model.{model}.search_count', []))
            self.assertDenied(self.call(login,
                    f'model.{model}.export_data_domain', [],
                    ['id'], 0, None, None))
            if record_id:
                answer = self.call(login, f'model.{model}.read',
                    [record_id], ['id'])
                self.assertIn('error', answer, answer)

    def at_once(self, *calls):
        """Start the calls (login, method, *params) at the same moment in
        threads; return their answers in order"""
        barrier = threading.Barrier(len(calls))
        results = [None] * len(calls)

        def run(index, call):
            barrier.wait()
            results[index] = self.call(*call)

        threads = [threading.Thread(target=run, args=(i, c))
            for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return results
