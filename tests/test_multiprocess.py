"""Several processes on one PostgreSQL database (issue 17 point 2).

Two gunicorn application servers on two ports, A and B (standing for two
hosts), two trytond-cron processes and one trytond-worker, all started as
production starts them (deploy/gunicorn.conf.py, config/production.conf
with only the server, the file store and the logging changed), on one fresh
database.  It proves:
  - a login made on A is a session B accepts;
  - an administrator removes a salesperson's position on A and the
    salesperson's very next call on B sees the narrower scope ([cache]
    clean_timeout = 0: the invalidation is NOTIFYed to every process);
  - the two cron processes running the nightly penalty accrual at the same
    moment book it once (the job's row is claimed with SKIP LOCKED);
  - the report that posting an invoice on A queues is made once, by the
    worker ([queue] worker = True), into the file store B reads it from;
  - A killed (SIGKILL) in the middle of a request loses nothing committed,
    leaves nothing half-written, and B keeps serving.

The database: the dealer modules up to dealer_finance (what these proofs
need; the full demo takes several minutes to load) with a small set-up
(setup_data below: the group of dealer_base's test tools, a salesperson
managing another, their two customers, an overdue payment plan and a
draft invoice), built once as a template named by a hash of what it is
made of (those modules' code, scripts/setup_database.py and setup_data:
dealer_multiproc_tmpl_<hash>), copied for each run
(dealer_multiproc_run_<pid>_<hex>) and dropped at the end.

Run:  .venv/bin/python -m pytest tests/test_multiprocess.py -q
      (./dealer test --only multiprocess: the stage of scripts/test.sh)
Environment:
  DEALER_TEST_PG_URI  the PostgreSQL server (default
                      postgresql://postgres@127.0.0.1:5432); the test skips
                      when it does not answer, fails with CI=true.
Logs of every process: tests/artifacts/multiprocess/.
"""
import base64
import datetime as dt
import hashlib
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from configparser import ConfigParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
VENV = Path(os.environ.get('DEALER_VENV') or ROOT / '.venv')
PYTHON = VENV / 'bin' / 'python'
BIN = VENV / 'bin'
URI = (os.environ.get('DEALER_TEST_PG_URI')
    or 'postgresql://postgres@127.0.0.1:5432').rstrip('/')
ARTIFACTS = TESTS / 'artifacts' / 'multiprocess'
WEB_ROOT = ROOT / 'var' / 'web'
LOGGING = ROOT / 'config' / 'logging.conf'
MODULES = 'dealer_finance'   # and what it depends on
ADMIN_PASSWORD = 'Dealer-Admin-2026'
BUILD_TIMEOUT = 1200
WAIT = 90                    # seconds any awaited outcome may take

# The set-up's names (setup_data).
MANAGER, COLLEAGUE = '张伟', '刘洋'
OWN_CUSTOMER = '上海宏达土石方工程有限公司'       # the manager's own
TEAM_CUSTOMER = '苏州建工机械租赁有限公司'        # his subordinate's
PLAN_INSTALMENTS = 4

pytestmark = pytest.mark.multiprocess


# --- the database -------------------------------------------------------------

def setup_data(database):
    """Fill a database made by setup_database.py with MODULES (run in its
    own process by the template build): the group of dealer_base's test
    tools (上海公司 with its accounts and fiscal years), 张伟 holding the
    Salesperson and Sales Manager positions and 刘洋 under him, a customer of
    each, a payment plan of 张伟's customer whose four instalments are all
    overdue and not yet accrued, finance's penalty terms and a draft
    customer invoice"""
    from dateutil.relativedelta import relativedelta
    from proteus import Model, Wizard
    from proteus import config as pconfig
    from trytond import config as tconfig
    from trytond.tests.tools import set_user

    config_file = str(ROOT / 'config' / 'trytond.conf')
    tconfig.update_etc(config_file)
    base = tconfig.get('database', 'uri').rstrip('/')
    config = pconfig.set_trytond(f'{base}/{database}',
        config_file=config_file)
    from trytond.modules.account.tests.tools import get_accounts
    from trytond.modules.dealer_base.tests.tools import (
        company_today, create_employee, create_user, get_companies,
        get_position, setup_accounting, setup_group)
    from decimal import Decimal

    setup_group(config=config)
    setup_accounting(config=config)
    shanghai, _ = get_companies(config=config)
    accounts = get_accounts(shanghai, config=config)
    manager = create_employee(shanghai, MANAGER, config=config)
    colleague = create_employee(shanghai, COLLEAGUE, supervisor=manager,
        config=config)
    finance = create_employee(shanghai, '孙丽', config=config)
    create_user('zhang', [manager], [get_position('SALES', config=config),
            get_position('SALES-MGR', config=config)], config=config)
    create_user('liu', [colleague], [get_position('SALES', config=config)],
        config=config)
    finance_user = create_user('finance', [finance],
        [get_position('FINANCE', config=config)], config=config)

    Party = Model.get('party.party', config=config)
    customers = {}
    for name, owner in [(OWN_CUSTOMER, manager), (TEAM_CUSTOMER, colleague)]:
        party = Party(name=name, is_customer=True, owner=owner,
            company=shanghai)
        address = (party.addresses[0] if party.addresses
            else party.addresses.new())
        address.city = '上海'
        party.save()
        customers[name] = party

    Journal = Model.get('account.journal', config=config)
    misc, = Journal.find([('code', '=', 'MISC')])
    Settings = Model.get('dealer.finance.settings', config=config)
    settings = Settings(company=shanghai, penalty_rate=Decimal('0.0005'),
        grace_days=3, reminder_days=3, penalty_account=accounts['revenue'],
        penalty_journal=misc)
    settings.save()

    today = company_today(config=config)
    first_due = (today - relativedelta(months=4)).replace(day=10)
    Sale = Model.get('sale.sale', config=config)
    sale = Sale(party=customers[OWN_CUSTOMER], owner=manager)
    sale.lines.new(type='comment', description='SY215C')
    sale.save()
    set_user(finance_user, config=config)
    Plan = Model.get('dealer.payment.plan', config=config)
    plan = Plan(customer=Party(customers[OWN_CUSTOMER].id), owner=manager)
    plan.origin = Sale(sale.id)
    plan.total_amount = Decimal('100000.00')
    plan.save()
    generate = Wizard('dealer.payment.plan.generate', [plan], config=config)
    generate.form.down_payment = Decimal('30')
    generate.form.down_payment_date = first_due - dt.timedelta(days=30)
    generate.form.months = PLAN_INSTALMENTS - 1
    generate.form.first_due_date = first_due
    generate.form.day_of_month = 10
    generate.execute('generate')
    plan.reload()
    assert len(plan.lines) == PLAN_INSTALMENTS
    plan.click('run')
    assert plan.state == 'running'

    set_user(1, config=config)
    Invoice = Model.get('account.invoice', config=config)
    invoice = Invoice(type='out', party=Party(customers[OWN_CUSTOMER].id),
        invoice_date=today)
    line = invoice.lines.new()
    line.account = accounts['revenue']
    line.description = '液压泵维修'
    line.quantity = 1
    line.unit_price = Decimal('1200.00')
    invoice.save()


def _connect(dbname, **kwargs):
    import psycopg
    sys.path.insert(0, str(TESTS))
    import walls
    return psycopg.connect(**walls.conninfo(URI, dbname), **kwargs)


def _databases(conn):
    return {r[0] for r in conn.execute('SELECT datname FROM pg_database')}


def _modules_of(module):
    "The dealer module and the dealer modules it depends on, at any depth"
    found, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            cfg = ConfigParser(interpolation=None)
            cfg.read(ROOT / 'addons' / name / 'tryton.cfg', encoding='utf-8')
            todo.extend(d for d in cfg.get('tryton', 'depends',
                    fallback='').split() if d.startswith('dealer_'))
    return sorted(found)


def source_hash():
    """12 hex digits of what the template is made of: the dealer modules it
    activates, scripts/setup_database.py and setup_data with its names"""
    digest = hashlib.sha256()
    paths = [ROOT / 'scripts' / 'setup_database.py']
    for module in _modules_of(MODULES):
        paths += sorted(p for p in (ROOT / 'addons' / module).rglob('*')
            if p.is_file() and '__pycache__' not in p.parts
            and p.suffix != '.pyc'
            and not any(part.endswith('.egg-info') for part in p.parts))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b'\0')
        digest.update(path.read_bytes() + b'\0')
    digest.update(inspect.getsource(setup_data).encode())
    digest.update(repr((MODULES, ADMIN_PASSWORD, MANAGER, COLLEAGUE,
                OWN_CUSTOMER, TEAM_CUSTOMER, PLAN_INSTALMENTS)).encode())
    return digest.hexdigest()[:12]


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def ensure_template():
    """Return the template database's name, building it when missing
    (dropping the templates of older sources and the copies of runs that
    are gone)"""
    name = f'dealer_multiproc_tmpl_{source_hash()}'
    building = name + '_build'
    with _connect('postgres', autocommit=True) as conn:
        for other in sorted(_databases(conn)):
            run = re.fullmatch(r'dealer_multiproc_run_(\d+)_[0-9a-f]+', other)
            if ((other.startswith('dealer_multiproc_tmpl_')
                        and not other.startswith(name))
                    or (run and not _pid_alive(int(run.group(1))))):
                conn.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
        if name in _databases(conn):
            return name
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    env = _base_env()
    env['TRYTOND_DATABASE__URI'] = URI + '/'
    env['DEALER_MODULES'] = MODULES
    env['DEALER_ADMIN_PASSWORD'] = ADMIN_PASSWORD
    log_path = ARTIFACTS / 'setup_database.log'
    started = time.monotonic()
    with open(log_path, 'w') as log:
        for command in [
                [str(PYTHON), str(ROOT / 'scripts' / 'setup_database.py'),
                    '--database', building],
                [str(PYTHON), __file__, 'setup', building]]:
            result = subprocess.run(command, cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT)
            if result.returncode:
                pytest.fail(f'{command[1]} failed ({result.returncode}); '
                    f'last lines of {log_path}:\n{_tail(log_path)}',
                    pytrace=False)
    # Built under another name and renamed at the end: an interrupted build
    # is never taken for a template.
    with _connect('postgres', autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    print(f'\n[multiprocess] template {name} built in '
        f'{time.monotonic() - started:.0f}s', file=sys.stderr)
    return name


# --- the processes ------------------------------------------------------------

def _tail(path, lines=40):
    from conftest import tail
    return tail(path, lines)


def _base_env():
    env = os.environ.copy()
    for key in list(env):
        if key.startswith(('TRYTOND_', 'DEALER_')) or key == 'PGDATABASE':
            del env[key]
    env['PYTHONUNBUFFERED'] = '1'
    return env


class Process:
    "One process started in its own session, its output in a log file"

    def __init__(self, name, command, env):
        self.name = name
        self.log_path = ARTIFACTS / f'{name}.log'
        with open(self.log_path, 'w') as log:
            self.popen = subprocess.Popen(command, cwd=ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)

    def log(self):
        return self.log_path.read_text(encoding='utf-8', errors='replace')

    def kill(self):
        "SIGKILL the process and every process it started (its session)"
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=30)

    def signal(self, sig):
        "Stop as its service manager does: sig to the main process"
        if self.popen.poll() is None:
            self.popen.send_signal(sig)

    def finish(self, deadline):
        """Wait for the signalled process until the deadline, then SIGKILL
        whatever of its session is left"""
        try:
            self.popen.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


class Cluster:
    "The database, its configuration and the processes on it"

    def __init__(self, database, tmp):
        self.database = database
        self.tmp = tmp
        self.filestore = tmp / 'filestore'
        self.filestore.mkdir()
        # config/production.conf as it is, but for the server, the file
        # store and [web] listen (each web process is given its port).
        parser = ConfigParser(interpolation=None)
        parser.read(ROOT / 'config' / 'production.conf', encoding='utf-8')
        parser.set('database', 'uri', URI + '/')
        parser.set('database', 'path', str(self.filestore))
        parser.remove_option('web', 'listen')
        self.config = tmp / 'trytond.conf'
        with open(self.config, 'w') as f:
            parser.write(f)
        self.processes = {}
        self.ports = {}

    def env(self, name):
        env = _base_env()
        env['TRYTOND_CONFIG'] = str(self.config)
        env['TRYTOND_LOGGING_CONFIG'] = str(LOGGING)
        env['TRYTOND_WEB__ROOT'] = str(WEB_ROOT)
        # PostgreSQL names each process's connections after it.
        env['TRYTOND_APPNAME'] = f'mp-{name}'
        return env

    def start_web(self, name, workers=2):
        from conftest import free_port
        port = free_port()
        env = self.env(name)
        env['TRYTOND_DATABASE_NAMES'] = self.database
        env['DEALER_LISTEN'] = f'127.0.0.1:{port}'
        env['DEALER_WORKERS'] = str(workers)
        self.ports[name] = port
        self.processes[name] = Process(name, [str(BIN / 'gunicorn'),
                '-c', str(ROOT / 'deploy' / 'gunicorn.conf.py')], env)
        return port

    def start_daemon(self, name, program, *options):
        self.processes[name] = Process(name, [str(BIN / program),
                '-c', str(self.config), '-d', self.database,
                '--logconf', str(LOGGING), *options], self.env(name))

    def wait_served(self, name):
        from conftest import _wait_until_served
        process = self.processes[name]
        _wait_until_served(process.popen, f'{self.url(name)}index.html',
            process.log_path, WAIT)

    def url(self, name):
        return f'http://127.0.0.1:{self.ports[name]}/'

    def client(self, name):
        return Client(self.url(name), self.database)

    def stop(self):
        # All at once, each given its 30 s: one after the other, the
        # gunicorn masters' graceful shutdowns added up to a minute.
        for name, process in reversed(list(self.processes.items())):
            process.signal(signal.SIGTERM if name.startswith('web')
                else signal.SIGINT)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            process.finish(deadline)

    def sql(self, query, params=None):
        with _connect(self.database, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def backends(self, name):
        "The database's backends of a process, with their wait event"
        return self.sql("SELECT pid, state, wait_event_type, query "
            "FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = %s", (self.database, f'mp-{name}'))


class RPCError(Exception):
    pass


class Client:
    "JSON-RPC of one server, with a session once logged in"

    def __init__(self, url, database):
        self.url = f'{url}{database}/rpc/'
        self.session = None
        self.context = {}

    def login(self, login, password):
        user_id, token, _ = self.call('common.db.login',
            login, {'password': password}, 'en')
        self.session = (login, user_id, token)
        self.context = self.call('model.res.user.get_preferences', True, {})
        return self.session

    def use(self, session):
        "Call with a session made elsewhere"
        other = Client.__new__(Client)
        other.url, other.session, other.context = self.url, session, {}
        return other

    def call(self, method, *params, timeout=60):
        headers = {'Content-Type': 'application/json'}
        if self.session:
            token = base64.b64encode(
                ':'.join(map(str, self.session)).encode()).decode()
            headers['Authorization'] = f'Session {token}'
        request = urllib.request.Request(self.url, method='POST',
            headers=headers, data=json.dumps({
                    'id': 1, 'method': method, 'params': list(params),
                    }).encode())
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read())
        if payload.get('error'):
            raise RPCError(payload['error'])
        return payload['result']

    def model(self, model, method, *args):
        return self.call(f'model.{model}.{method}', *args, self.context)


def wait_for(what, predicate, timeout=WAIT, interval=0.1):
    "Poll predicate until it returns a true value; return that value"
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f'{what}: not within {timeout} s', pytrace=False)
        time.sleep(interval)


def _postgresql_up():
    try:
        _connect('postgres', connect_timeout=5).close()
        return True
    except Exception as e:
        return str(e)


@pytest.fixture(scope='module')
def cluster():
    """A copy of the template served by web A and web B, with the task
    queue worker; the cron processes are started by their test"""
    up = _postgresql_up()
    if up is not True:
        message = f'no PostgreSQL at {URI} ({up})'
        if os.environ.get('CI') == 'true':
            pytest.fail(message + ', and CI requires it', pytrace=False)
        pytest.skip(message + ' (set DEALER_TEST_PG_URI); CI runs it')
    if not (BIN / 'gunicorn').exists() or not (
            WEB_ROOT / 'index.html').exists():
        pytest.fail('gunicorn or the web client is missing: run ./dealer '
            'install first', pytrace=False)
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    template = ensure_template()
    database = f'dealer_multiproc_run_{os.getpid()}_{uuid.uuid4().hex[:8]}'
    with _connect('postgres', autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    tmp = Path(tempfile.mkdtemp(prefix='dealer-multiproc-'))
    cluster = Cluster(database, tmp)
    try:
        # Every job but the nightly accrual waits for tomorrow: the cron
        # processes of test_cron_runs_the_accrual_once run that one alone.
        # (ir_cron's times are the processes' local time, as here.)
        cluster.sql('UPDATE ir_cron SET next_call = %s',
            (dt.datetime.now() + dt.timedelta(days=1),))
        cluster.start_web('web-a')
        cluster.start_web('web-b')
        cluster.start_daemon('worker', 'trytond-worker', '-n', '1')
        cluster.wait_served('web-a')
        cluster.wait_served('web-b')
        yield cluster
    finally:
        cluster.stop()
        try:
            with _connect('postgres', autocommit=True) as conn:
                conn.execute(
                    f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope='module')
def admin_on_a(cluster):
    client = cluster.client('web-a')
    client.login('admin', ADMIN_PASSWORD)
    return client


# --- the proofs ---------------------------------------------------------------

def test_web_client_and_session_across_servers(cluster):
    "Both servers serve the web client; a session made on A is valid on B"
    for name in ['web-a', 'web-b']:
        with urllib.request.urlopen(cluster.url(name), timeout=30) as r:
            assert b'tryton' in r.read().lower()
    a, b = cluster.client('web-a'), cluster.client('web-b')
    session = a.login('zhang', 'dealer-test-2026')
    on_b = b.use(session)
    preferences = on_b.call('model.res.user.get_preferences', True, {})
    assert preferences['company'] == a.context['company']
    user, = on_b.call('model.res.user.read', [session[1]], ['login'], {})
    assert user['login'] == 'zhang'
    forged = b.use((session[0], session[1], uuid.uuid4().hex))
    with pytest.raises(urllib.error.HTTPError) as refused:
        forged.call('model.res.user.get_preferences', True, {})
    assert refused.value.code == 401


def test_position_removed_on_a_narrows_the_scope_on_b(cluster, admin_on_a):
    """张伟 holds Salesperson and Sales Manager: on B he sees his customer
    and his subordinate's; the administrator removes his Sales Manager
    position on A; his very next call on B sees his own customer alone"""
    zhang_session = cluster.client('web-a').login('zhang', 'dealer-test-2026')
    zhang_on_b = cluster.client('web-b').use(zhang_session)
    zhang_on_b.context = zhang_on_b.call(
        'model.res.user.get_preferences', True, {})

    def customers():
        return {p['name'] for p in zhang_on_b.model('party.party',
                'search_read', [['name', 'in', [OWN_CUSTOMER, TEAM_CUSTOMER]]],
                0, None, None, ['name'])}

    # Several calls, so that B's workers have the scope in their caches.
    for _ in range(4):
        assert customers() == {OWN_CUSTOMER, TEAM_CUSTOMER}

    user_id = zhang_session[1]
    holdings = admin_on_a.model('res.user.role', 'search_read',
        [['user', '=', user_id]], 0, None, None, ['role.code'])
    manager_holding, = [h['id'] for h in holdings
        if h['role.']['code'] == 'SALES-MGR']
    admin_on_a.model('res.user', 'write', [user_id],
        {'roles': [['delete', [manager_holding]]]})

    assert customers() == {OWN_CUSTOMER}
    for _ in range(4):
        assert customers() == {OWN_CUSTOMER}


def _shanghai_yesterday():
    return dt.datetime.now(ZoneInfo('Asia/Shanghai')).date() - dt.timedelta(
        days=1)


def test_cron_runs_the_accrual_once(cluster):
    """Two trytond-cron processes start with the nightly accrual due: while
    the one that claimed it is held inside the job (a lock the test takes on
    the accrual table), the other runs its round and leaves it; released,
    the job books each overdue instalment once, logged once"""
    accrual_cron, = cluster.sql("SELECT id FROM ir_cron "
        "WHERE method = 'dealer.penalty.accrual|accrue_all'")
    assert cluster.sql('SELECT count(*) FROM dealer_penalty_accrual') == [(0,)]
    cluster.sql('UPDATE ir_cron SET next_call = %s WHERE id = %s',
        (dt.datetime.now() - dt.timedelta(hours=1), *accrual_cron))
    before = _shanghai_yesterday()
    barrier = _connect(cluster.database)
    try:
        barrier.execute(
            'LOCK TABLE dealer_penalty_accrual IN SHARE MODE')
        cluster.start_daemon('cron-1', 'trytond-cron', '-n', '1')
        cluster.start_daemon('cron-2', 'trytond-cron', '-n', '1')
        finished = f'cron finished for "{cluster.database}"'

        def held_and_passed():
            waiting = [n for n in ['cron-1', 'cron-2']
                if any(b[2] == 'Lock' for b in cluster.backends(n))]
            if len(waiting) != 1:
                return None
            other, = {'cron-1', 'cron-2'} - set(waiting)
            if finished in cluster.processes[other].log():
                return waiting[0], other
        holder, other = wait_for(
            'one cron process held in the accrual, the other one done',
            held_and_passed)
        assert finished not in cluster.processes[holder].log()
    finally:
        barrier.rollback()
        barrier.close()

    wait_for('the accrual logged', lambda: cluster.sql(
            'SELECT id FROM ir_cron_log WHERE cron = %s', accrual_cron))
    after = _shanghai_yesterday()
    rows = cluster.sql('SELECT instalment, date, amount, total '
        'FROM dealer_penalty_accrual ORDER BY instalment')
    assert len(rows) == PLAN_INSTALMENTS
    assert len({r[0] for r in rows}) == PLAN_INSTALMENTS
    assert {r[1] for r in rows} <= {before, after}
    assert all(r[2] > 0 and r[2] == r[3] for r in rows)
    lines = dict(cluster.sql('SELECT id, penalty_accrued '
            'FROM dealer_payment_plan_line WHERE penalty_accrued > 0'))
    assert lines == {r[0]: r[3] for r in rows}
    assert len(cluster.sql('SELECT id FROM ir_cron_log WHERE cron = %s',
            accrual_cron)) == 1
    job = re.compile(r'<Cron %d@%s dealer\.penalty\.accrual\|accrue_all> in'
        % (accrual_cron[0], re.escape(cluster.database)))
    assert len(job.findall(cluster.processes[holder].log())) == 1
    assert not job.findall(cluster.processes[other].log())
    (next_call,), = cluster.sql('SELECT next_call FROM ir_cron WHERE id = %s',
        accrual_cron)
    assert next_call > dt.datetime.now()


def test_report_queued_on_a_is_made_once_by_the_worker(cluster, admin_on_a):
    """Posting an invoice on A queues its report (account_invoice's
    print_invoice); the worker makes it, once, into the shared file store,
    and B serves it"""
    invoice_id, = [i['id'] for i in admin_on_a.model('account.invoice',
            'search_read', [['type', '=', 'out'], ['state', '=', 'draft']],
            0, None, None, ['id'])]
    admin_on_a.model('account.invoice', 'post', [invoice_id])

    def tasks():
        found = []
        for id_, data, dequeued, finished in cluster.sql('SELECT id, data, '
                'dequeued_at, finished_at FROM ir_queue'):
            data = json.loads(data) if isinstance(data, str) else data
            if (data['model'] == 'account.invoice'
                    and data['method'] == 'print_invoice'
                    and invoice_id in data['instances']):
                found.append((id_, dequeued, finished))
        return found
    task, = wait_for('the report queued', tasks)
    task_id = task[0]
    wait_for('the report made', lambda: tasks()[0][2])
    assert len(tasks()) == 1
    done = re.compile(r'<Task %d@%s> in' % (
            task_id, re.escape(cluster.database)))
    assert len(done.findall(cluster.processes['worker'].log())) == 1
    assert not done.findall(cluster.processes['web-a'].log())
    (file_id, format_), = cluster.sql('SELECT invoice_report_cache_id, '
        'invoice_report_format FROM account_invoice WHERE id = %s',
        (invoice_id,))
    assert file_id and format_ == 'odt'
    assert any(cluster.filestore.rglob(file_id))
    admin_on_b = cluster.client('web-b').use(admin_on_a.session)
    admin_on_b.context = admin_on_a.context
    invoice, = admin_on_b.model('account.invoice', 'read', [invoice_id],
        ['invoice_report_cache', 'state'])
    assert invoice['state'] == 'posted'
    report = invoice['invoice_report_cache']
    assert base64.b64decode(report['base64'])[:2] == b'PK'   # an ODF zip


def _new_customer(name, phone):
    return [{'name': name, 'is_customer': True,
            'contact_mechanisms': [['create', [
                        {'type': 'phone', 'value': phone}]]]}]


def test_killing_a_mid_request_loses_nothing(cluster, admin_on_a):
    """A customer created on A is committed; A is then killed (SIGKILL, the
    master and its workers) while a second creation is inside its
    transaction — held by a lock the test takes on the contact mechanisms,
    after the customer's row was written: nothing of the second is left,
    the first is whole, and B serves on, reads and writes"""
    committed, = admin_on_a.model('party.party', 'create',
        _new_customer('提交后宕机前的客户', '021-55550001'))
    admin_on_b = cluster.client('web-b').use(admin_on_a.session)
    admin_on_b.context = admin_on_a.context

    barrier = _connect(cluster.database)
    outcome = {}
    try:
        barrier.execute('LOCK TABLE party_contact_mechanism IN SHARE MODE')

        def create_on_a():
            try:
                outcome['result'] = admin_on_a.model('party.party', 'create',
                    _new_customer('宕机时创建中的客户', '021-55550002'))
            except Exception as e:
                outcome['error'] = e
        thread = threading.Thread(target=create_on_a, daemon=True)
        thread.start()
        wait_for('the creation on A held after writing its customer',
            lambda: any(b[2] == 'Lock' and 'party_contact_mechanism' in b[3]
                for b in cluster.backends('web-a')))
        cluster.processes['web-a'].kill()
        thread.join(timeout=30)
        assert 'result' not in outcome and 'error' in outcome, outcome
    finally:
        barrier.rollback()
        barrier.close()

    # PostgreSQL rolls back the transactions of the dead process's
    # connections as it finds them closed.
    wait_for("A's connections gone", lambda: not cluster.backends('web-a'))
    assert cluster.sql("SELECT count(*) FROM party_party "
        "WHERE name = '宕机时创建中的客户'") == [(0,)]
    assert cluster.sql("SELECT count(*) FROM party_contact_mechanism "
        "WHERE value = '021-55550002'") == [(0,)]

    party, = admin_on_b.model('party.party', 'read', [committed],
        ['name', 'contact_mechanisms'])
    assert party['name'] == '提交后宕机前的客户'
    mechanism, = admin_on_b.model('party.contact_mechanism', 'read',
        party['contact_mechanisms'], ['value'])
    assert mechanism['value'] == '021-55550001'
    assert not admin_on_b.model('party.party', 'search',
        [['name', '=', '宕机时创建中的客户']], 0, None, None)
    created, = admin_on_b.model('party.party', 'create',
        _new_customer('宕机后在B创建的客户', '021-55550003'))
    assert admin_on_b.model('party.party', 'search_count',
        [['id', 'in', [committed, created]]], 0, None) == 2


if __name__ == '__main__':
    # python tests/test_multiprocess.py setup <database>: the template's data
    if sys.argv[1:2] == ['setup'] and len(sys.argv) == 3:
        setup_data(sys.argv[2])
    else:
        sys.exit(__doc__)
