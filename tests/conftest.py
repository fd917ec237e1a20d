"""End-to-end suite of the dealer management system.

One session fixture, ``server``, builds a FRESH database with every dealer
module and the demo data (scripts/setup_database.py --demo) in a temporary
folder and serves it with a real ``trytond`` on a free loopback port.  The
tests talk to it as outsiders do: XML-RPC and JSON-RPC (test_rpc.py) and the
sao web client in headless Chromium (test_browser.py).

Run from the repository root:  .venv/bin/python -m pytest tests/ -v

Environment:
  DEALER_E2E_DATABASE_URI  a postgresql:// URI: the suite creates a database
                           with a unique name there (dropped at the end)
                           instead of a SQLite file.
  DEALER_VENV              the virtualenv (default: <repo>/.venv).
  CI=true                  the browser test fails instead of skipping when
                           Chromium or chromedriver is missing.

Server log, setup log, screenshots and page sources go to tests/artifacts/.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
ARTIFACTS = TESTS / 'artifacts'
VENV = Path(os.environ.get('DEALER_VENV') or ROOT / '.venv')
PYTHON = VENV / 'bin' / 'python'
TRYTOND = VENV / 'bin' / 'trytond'
CONFIG = ROOT / 'config' / 'trytond.conf'
SETUP_DATABASE = ROOT / 'scripts' / 'setup_database.py'
WEB_ROOT = ROOT / 'var' / 'web'

SETUP_TIMEOUT = 900       # creating the database and loading the demo
START_TIMEOUT = 60        # the server answering on its port

sys.path.insert(0, str(ROOT / 'scripts'))
from demo.staff import DEMO_PASSWORD, USERS  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'browser: drives the sao web client in headless Chromium')
    config.addinivalue_line(
        'markers', 'walls: the generic wall suite on PostgreSQL')
    config.addinivalue_line('markers', 'multiprocess: several processes '
        'on one PostgreSQL database (tests/test_multiprocess.py)')


@dataclass
class Server:
    host: str
    port: int
    database: str
    password: str             # every demo login's password
    admin_password: str
    log_path: Path
    process: subprocess.Popen = None
    users: list = field(default_factory=lambda: list(USERS))

    @property
    def base_url(self):
        return f'http://{self.host}:{self.port}/'

    def rpc_url(self, login=None, password=None):
        """The database's RPC endpoint, with credentials in the URL when
        login is given (what xmlrpc.client turns into HTTP basic auth)."""
        netloc = f'{self.host}:{self.port}'
        if login is not None:
            if password is None:
                password = self.password
            netloc = '%s:%s@%s' % (
                urllib.parse.quote(login, safe=''),
                urllib.parse.quote(password, safe=''), netloc)
        return f'http://{netloc}/{self.database}/rpc/'

    def log_tail(self, lines=60):
        return tail(self.log_path, lines)

    def assert_alive(self):
        assert self.process.poll() is None, (
            f'trytond exited with code {self.process.returncode}; last lines '
            f'of {self.log_path}:\n{self.log_tail()}')


def tail(path, lines=60):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError as e:
        return f'(no log: {e})'


def free_port(host='127.0.0.1'):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _postgresql_admin(uri, statement):
    """Run one statement on the maintenance database of a PostgreSQL URI
    (trytond's own URI form: postgresql://user:password@host:port/)."""
    import psycopg
    from walls import conninfo
    params = conninfo(uri, 'postgres')
    with psycopg.connect(autocommit=True, **params) as conn:
        conn.execute(statement)


def _wait_until_served(proc, url, log_path, timeout):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f'trytond exited with code {proc.returncode} before serving '
                f'{url}; last lines of {log_path}:\n{tail(log_path)}',
                pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f'HTTP {response.status}'
        except urllib.error.HTTPError as e:
            last_error = f'HTTP {e.code}'
        except OSError as e:
            last_error = repr(e)
        time.sleep(0.2)
    pytest.fail(
        f'trytond did not answer {url} within {timeout}s (last error: '
        f'{last_error}); last lines of {log_path}:\n{tail(log_path)}',
        pytrace=False)


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope='session')
def server():
    """A trytond serving a fresh demo database: yields a Server."""
    for path in (PYTHON, TRYTOND):
        if not path.exists():
            pytest.fail(f'{path} is missing: run ./dealer install first',
                pytrace=False)
    if not (WEB_ROOT / 'index.html').exists():
        pytest.fail(f'the web client is not installed in {WEB_ROOT}: run '
            './dealer install first', pytrace=False)
    ARTIFACTS.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix='dealer-e2e-'))
    host, port = '127.0.0.1', free_port()

    env = os.environ.copy()
    for key in ('TRYTOND_DATABASE_URI', 'TRYTOND_DATABASE__URI',
            'TRYTOND_CONFIG'):
        env.pop(key, None)
    env['TRYTOND_DATABASE__PATH'] = str(tmp / 'db')
    env['TRYTOND_WEB__ROOT'] = str(WEB_ROOT)
    env['TRYTOND_WEB__LISTEN'] = f'{host}:{port}'
    env['PYTHONUNBUFFERED'] = '1'
    admin_password = env.setdefault(
        'DEALER_ADMIN_PASSWORD', 'Dealer-Admin-2026')

    pg_uri = os.environ.get('DEALER_E2E_DATABASE_URI')
    if pg_uri:
        if not pg_uri.startswith('postgresql://'):
            pytest.fail('DEALER_E2E_DATABASE_URI must be a postgresql:// URI',
                pytrace=False)
        database = f'dealer_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}'
        env['TRYTOND_DATABASE__URI'] = pg_uri
    else:
        database = 'e2e'
        env['TRYTOND_DATABASE__URI'] = 'sqlite://'
        (tmp / 'db').mkdir()

    # config/trytond.conf sets [web] listen, and trytond reads its
    # configuration files after the environment, so TRYTOND_WEB__LISTEN alone
    # does not choose the port: a second file, read last, does.
    listen_conf = tmp / 'listen.conf'
    listen_conf.write_text(f'[web]\nlisten = {host}:{port}\n')

    setup_log = ARTIFACTS / 'setup_database.log'
    server_log = ARTIFACTS / 'trytond.log'
    proc = None
    created = False
    try:
        started = time.monotonic()
        with open(setup_log, 'w') as log:
            created = True
            try:
                result = subprocess.run([
                        str(PYTHON), str(SETUP_DATABASE),
                        '--config', str(CONFIG), '--database', database,
                        '--demo'],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    timeout=SETUP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pytest.fail(f'setup_database.py took more than '
                    f'{SETUP_TIMEOUT}s; see {setup_log}:\n{tail(setup_log)}',
                    pytrace=False)
        if result.returncode:
            pytest.fail(f'setup_database.py failed ({result.returncode}); '
                f'last lines of {setup_log}:\n{tail(setup_log)}',
                pytrace=False)
        print(f'\n[e2e] database "{database}" created with the demo data in '
            f'{time.monotonic() - started:.0f}s', file=sys.stderr)

        log = open(server_log, 'w')
        try:
            proc = subprocess.Popen([
                    str(TRYTOND), '-c', str(CONFIG), str(listen_conf),
                    '-d', database],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        finally:
            log.close()
        server = Server(host=host, port=port, database=database,
            password=DEMO_PASSWORD, admin_password=admin_password,
            log_path=server_log, process=proc)
        _wait_until_served(proc, server.base_url, server_log, START_TIMEOUT)
        yield server
    finally:
        if proc is not None:
            _stop(proc)
        if pg_uri and created:
            try:
                # The server is stopped, so nothing is connected any more.
                _postgresql_admin(
                    pg_uri, f'DROP DATABASE IF EXISTS "{database}"')
            except Exception as e:  # report, but do not hide test results
                warnings.warn(f'could not drop the e2e database {database} '
                    f'at {pg_uri}: {e}')
        shutil.rmtree(tmp, ignore_errors=True)
