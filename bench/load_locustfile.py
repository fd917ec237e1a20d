"""A working day of the dealer group for locust (bench/load.py runs it from
var/bench-venv: it never imports trytond, psycopg or bench/harness.py).

Every virtual user is a member of staff of one of the nine companies,
logged in with a login of the role (bench/load_data.py: demo logins where
the demo has them, several virtual users sharing a login and its
session), with the preferences as context, as the web client calls:
JSON-RPC with a session.
Integrators call XML-RPC with a session.  Each waits 1 to 3 s between
actions.

  salesperson  search customers by name, list my customers, log a visit
               (create, then done), claim a customer from the pool
  back office  create a sale contract and submit it for approval
  approver     the sales manager: the sale contracts "waiting for my
               approval", approve one
  finance      list running plans, enter a receipt and post it
  collection   list overdue instalments, log a collection action
  integrator   XML-RPC reads of customers, sales and posted receipts

What the load creates carries LOAD_MARKER-<n> (a visit's place, a sale's
description, a receipt's reference, a collection action's result); each
success is kept in the ledger with its id (and a receipt's amount), claims
and approvals by the record's id, so that bench/load.py can count them in
the database.  Two virtual users never take the same pool customer or
approval request: a user takes one no other user of this process took.

Environment: LOAD_GROUP (load_data.py's JSON), LOAD_DATABASE, LOAD_PASSWORD,
LOAD_MARKER, LOAD_OUT (where the figures go at the end), LOAD_SETTLE
(seconds after the last user logged in before the window opens),
LOAD_DURATION (the window's seconds; then locust stops).
"""
import base64
import datetime as dt
import itertools
import json
import os
import random
import time
import xmlrpc.client
from collections import Counter, defaultdict
from decimal import Decimal

import gevent
from gevent.event import AsyncResult
from locust import FastHttpUser, between, events, task

GROUP = json.load(open(os.environ['LOAD_GROUP']))
DATABASE = os.environ['LOAD_DATABASE']
PASSWORD = os.environ['LOAD_PASSWORD']
MARKER = os.environ['LOAD_MARKER']
SETTLE = float(os.environ.get('LOAD_SETTLE', '5'))
DURATION = float(os.environ['LOAD_DURATION'])
CUSTOMER_FIELDS = ['name', 'code', 'customer_type', 'owner', 'key_customer',
    'company']

_serial = itertools.count(1)
_taken = set()          # pool customers and approval requests taken
_seats = Counter()      # virtual users of each role so far
_sessions = {}          # login: its session, shared by its virtual users
_started = []           # virtual users logged in (or failed to)
ledger = []
samples = defaultdict(list)     # action: response times in the window (ms)
counts = defaultdict(Counter)   # action: {'ok': n, 'error': n}, whole run
errors = defaultdict(Counter)   # action: {message: n}
window = {}


# What rpc() returns for a call that failed (a button's success is None)
FAILED = object()


def marker():
    return f'{MARKER}-{next(_serial)}'


# ------------------------------------------------------------ the figures

@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    if exception:
        counts[name]['error'] += 1
        errors[name][str(exception)[:300]] += 1
    else:
        counts[name]['ok'] += 1
        if 'start' in window and 'end' not in window:
            samples[name].append(response_time)


@events.init.add_listener
def _init(environment, **kwargs):
    window['environment'] = environment


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    def measure():
        # A working day's users have logged in long before: the window
        # opens once every user has, and SETTLE seconds later.
        while len(_started) < user_count:
            gevent.sleep(0.5)
        gevent.sleep(SETTLE)
        window['start'] = time.time()
        gevent.sleep(DURATION)
        _stopped()
        window.pop('environment').runner.quit()
    gevent.spawn(measure)


# The run's time is up: what answers while the users finish is not timed.
@events.test_stopping.add_listener
def _stopped(**kwargs):
    if 'start' in window and 'end' not in window:
        window['end'] = time.time()


@events.quitting.add_listener
def _write(**kwargs):
    _stopped()
    with open(os.environ['LOAD_OUT'], 'w') as f:
        json.dump({'window': {k: v for k, v in window.items()
                    if k != 'environment'},
                'samples': samples, 'counts': counts,
                'errors': errors, 'ledger': ledger, 'users': _seats}, f)


# ------------------------------------------------------------- the wire

def _json_default(value):
    if isinstance(value, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(value)}
    if isinstance(value, dt.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    raise TypeError(repr(value))


def _json_object(value):
    kind = value.get('__class__')
    if kind == 'Decimal':
        return Decimal(value['decimal'])
    if kind == 'date':
        return dt.date(value['year'], value['month'], value['day'])
    if kind == 'datetime':
        return dt.datetime(value['year'], value['month'], value['day'],
            value['hour'], value['minute'], value['second'],
            value['microsecond'])
    return value


def _end_bigdecimal(unmarshaller, data):
    unmarshaller.append(Decimal(data))
    unmarshaller._value = 0


# trytond sends Decimal as <bigdecimal> (proteus reads it the same way)
xmlrpc.client.Unmarshaller.dispatch['bigdecimal'] = _end_bigdecimal


class CallFailed(Exception):
    "The server answered a call with an error (its text, shortened)"


class Staff(FastHttpUser):
    abstract = True
    role = None         # the company's logins of this role
    wait_time = between(1, 3)
    # A request waits in gunicorn's queue when every worker is busy.
    network_timeout = connection_timeout = 120.0

    def on_start(self):
        seat = _seats[self.role]
        _seats[self.role] += 1
        self.company = GROUP['companies'][seat % len(GROUP['companies'])]
        logins = self.company['logins'][self.role]
        self.login = logins[seat // len(GROUP['companies']) % len(logins)]
        self.rng = random.Random(f'{self.login}-{seat}')
        self.headers = {'Content-Type': self.content_type}
        try:
            token = self.session()
            if token is FAILED:
                return self.stop()
            self.headers['Authorization'] = f'Session {token}'
            self.preferences = self.call('preferences',
                'model.res.user.get_preferences', True, {})
            if self.preferences is FAILED:
                self.stop()
        finally:
            _started.append(self)

    def session(self):
        """The login's session: its first virtual user logs in, the others
        wait and share it, as tabs of one browser (each login costs an
        argon2 hash, 0.14 s of CPU, and every request of a user reads all
        his sessions)"""
        if self.login not in _sessions:
            _sessions[self.login] = AsyncResult()
            result = self.call('login', 'common.db.login', self.login,
                {'password': PASSWORD}, 'en')
            _sessions[self.login].set(result if result is FAILED
                else base64.b64encode(f'{self.login}:{result[0]}:'
                    f'{result[1]}'.encode()).decode())
        return _sessions[self.login].get()

    def call(self, name, method, *params):
        """method(*params) on /<database>/rpc/ in the user's protocol
        (encode, decode); FAILED when it failed"""
        with self.client.post(f'/{DATABASE}/rpc/',
                data=self.encode(method, params), headers=self.headers,
                name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f'HTTP {response.status_code}: '
                    f'{(response.text or "")[:200]}')
                return FAILED
            try:
                result = self.decode(response)
            except CallFailed as failed:
                response.failure(str(failed))
                return FAILED
            response.success()
            return result

    def rpc(self, name, method, *params):
        "method(*params, context) as the user; FAILED when it failed"
        return self.call(name, method, *params, self.preferences)

    def ledger(self, kind, record_id, **values):
        ledger.append({'kind': kind, 'id': record_id, **values})

    def take(self, ids):
        "The first of ids no other user took, now taken; None if none"
        for record_id in ids:
            if record_id not in _taken:
                _taken.add(record_id)
                return record_id


class WebUser(Staff):
    "JSON-RPC on /<database>/rpc/, as the web client"
    abstract = True
    content_type = 'application/json'

    def encode(self, method, params):
        return json.dumps({'id': 1, 'method': method, 'params': params},
            default=_json_default)

    def decode(self, response):
        answer = json.loads(response.text, object_hook=_json_object)
        if answer.get('error'):
            raise CallFailed(json.dumps(answer['error'],
                    ensure_ascii=False, default=str)[:300])
        return answer['result']


class Salesperson(WebUser):
    role = 'salesperson'
    weight = 10

    @task(3)
    def search_customers(self):
        self.rpc('customers: search by name', 'model.party.party.search_read',
            [('is_customer', '=', True),
                ('rec_name', 'ilike', f"%{self.rng.choice(GROUP['brands'])}%")],
            0, 80, None, CUSTOMER_FIELDS)

    @task(3)
    def my_customers(self):
        mine = self.rpc('customers: my list',
            'model.party.party.search_read',
            [('is_customer', '=', True),
                ('owner', '=', self.preferences['employee'])],
            0, 80, None, CUSTOMER_FIELDS)
        if mine is not FAILED:
            self.mine = mine

    @task(2)
    def log_visit(self):
        if not getattr(self, 'mine', None):
            return self.my_customers()
        customer = self.rng.choice(self.mine)['id']
        place = marker()
        created = self.rpc('visit: create', 'model.dealer.visit.create', [{
                    'customer': customer, 'channel': 'visit', 'place': place,
                    'summary': '介绍SY215C挖掘机，客户关注油耗和按揭方案',
                    'next_action': '发送报价单'}])
        if created is not FAILED and self.rpc('visit: done',
                'model.dealer.visit.done', created) is not FAILED:
            self.ledger('visit', created[0], marker=place)

    @task(1)
    def claim(self):
        pooled = self.rpc('pool: list', 'model.party.party.search_read',
            [('is_customer', '=', True), ('pooled', '=', True)],
            self.rng.randrange(0, 100), 20, None, ['name'])
        if pooled is FAILED:
            return
        customer = self.take([p['id'] for p in pooled])
        if customer and self.rpc('pool: claim', 'model.party.party.claim',
                [customer]) is not FAILED:
            self.ledger('claim', customer, login=self.login)


class BackOffice(WebUser):
    role = 'back_office'
    weight = 2

    @task
    def contract(self):
        machine = self.rng.choice(GROUP['machines'])
        description = marker()
        created = self.rpc('sale: create', 'model.sale.sale.create', [{
                    'party': self.rng.choice(self.company['customers']),
                    'warehouse': self.company['warehouse'],
                    'description': description,
                    'lines': [['create', [{
                                    'type': 'line',
                                    'product': machine['id'],
                                    'quantity': 1.0,
                                    'unit': machine['unit'],
                                    'unit_price': Decimal(machine['price']),
                                    }]]],
                    }])
        if created is not FAILED and self.rpc('sale: submit',
                'model.sale.sale.approval_submit', created) is not FAILED:
            self.ledger('sale', created[0], marker=description)


class Approver(WebUser):
    role = 'manager'
    weight = 1

    @task
    def approve(self):
        waiting = self.rpc('approvals: waiting for me',
            'model.dealer.approval.request.search_read',
            # the contracts; other documents may wait for a second step
            [('waiting_for_me', '=', True),
                ('document_model', '=', 'sale.sale')], 0, 80, None,
            ['document', 'summary', 'amount', 'submitted'])
        if waiting is FAILED:
            return
        request = self.take([r['id'] for r in waiting])
        # decide(): what the list's Approve button's dialog calls
        if request and self.rpc('approvals: approve',
                'model.dealer.approval.request.decide',
                [request], 'approve') is not FAILED:
            self.ledger('approval', request)


class Finance(WebUser):
    role = 'finance'
    weight = 2

    @task(1)
    def plans(self):
        self.rpc('plans: list', 'model.dealer.payment.plan.search_read',
            [('state', '=', 'running')], 0, 80, None,
            ['number', 'customer', 'total_amount', 'paid_amount',
                'unpaid_amount', 'overdue_amount'])

    @task(2)
    def receipt(self):
        plan = self.rng.choice(self.company['plans'])
        amount = Decimal(self.rng.randrange(10000, 100000)) / 100
        reference = marker()
        created = self.rpc('receipt: create',
            'model.dealer.payment.receipt.create', [{
                    'plan': plan['id'], 'amount': amount,
                    'currency': GROUP['currency'], 'reference': reference}])
        if created is not FAILED and self.rpc('receipt: post',
                'model.dealer.payment.receipt.post', created) is not FAILED:
            self.ledger('receipt', created[0], marker=reference,
                amount=str(amount), plan=plan['id'])


class Collector(WebUser):
    role = 'collector'
    weight = 2

    @task
    def chase(self):
        self.rpc('overdue: list', 'model.dealer.payment.plan.line.search_read',
            [('state', '=', 'overdue')], 0, 80, None,
            ['plan', 'due_date', 'amount', 'unpaid_amount', 'days_overdue'])
        plan = self.rng.choice(self.company['plans'])
        result = marker()
        created = self.rpc('collection: log action',
            'model.dealer.collection.action.create', [{
                    'customer': plan['customer'], 'plan': plan['id'],
                    'method': self.rng.choice(['call', 'sms', 'visit']),
                    'result': result}])
        if created is not FAILED:
            self.ledger('collection', created[0], marker=result)


class Integrator(Staff):
    "XML-RPC on /<database>/rpc/, as a script of an integrator"
    role = 'integrator'
    weight = 3
    content_type = 'text/xml'

    def encode(self, method, params):
        return xmlrpc.client.dumps(params, method, allow_none=True)

    def decode(self, response):
        try:
            (result,), _ = xmlrpc.client.loads(response.content)
        except xmlrpc.client.Fault as fault:
            raise CallFailed(f'Fault: {fault.faultString[:300]}')
        return result

    @task
    def customers(self):
        self.rpc('xmlrpc: customers', 'model.party.party.search_read',
            [('is_customer', '=', True)], self.rng.randrange(0, 600), 100,
            [('id', 'ASC')], ['name', 'code', 'owner', 'customer_type'])

    @task
    def sales(self):
        self.rpc('xmlrpc: sales', 'model.sale.sale.search_read', [], 0, 100,
            [('id', 'DESC')], ['number', 'party', 'description', 'state',
                'approval_state', 'total_amount'])

    @task
    def receipts(self):
        self.rpc('xmlrpc: receipts', 'model.dealer.payment.receipt.search_read',
            [('state', '=', 'posted')], 0, 100, [('id', 'DESC')],
            ['plan', 'date', 'amount', 'reference'])
