"""What every benchmark shares: paths and the database URI, the log line,
timing and percentiles, SQL statement counts (trytond's cursor, trytond's
SQL log, pg_stat_statements), EXPLAIN ANALYZE profiles, a trytond server
on a free port, trytond's Pool in process, subprocesses that answer JSON,
creating and dropping bench_* databases, and the results files.

bench/run.py imports the benchmark modules; they import this module, never
run.py (no import circle)."""
import base64
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import xmlrpc.client

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONFIG_FILE = os.path.join(ROOT, 'config', 'trytond.conf')
RESULTS = os.path.join(HERE, 'results')
BIN = os.path.dirname(sys.executable)
DEFAULT_URI = 'postgresql://postgres@127.0.0.1:5432/'


def log(msg):
    print(f'[bench] {msg}', file=sys.stderr, flush=True)


def met(ok):
    return 'met' if ok else 'not met'


def bench_uri():
    "The PostgreSQL server of the benchmarks (never a dealer database)"
    return os.environ.get('DEALER_BENCH_DATABASE_URI', DEFAULT_URI)


# ---------------------------------------------------------------- timing

def percentiles(samples, p99=True):
    "p50, p95, p99 (team_scope's runs are too few for it) and mean, in ms"
    q = statistics.quantiles(samples, n=100, method='inclusive')
    figures = {'p50_ms': round(q[49] * 1000, 3),
        'p95_ms': round(q[94] * 1000, 3)}
    if p99:
        figures['p99_ms'] = round(q[98] * 1000, 3)
    figures['mean_ms'] = round(statistics.fmean(samples) * 1000, 3)
    return figures


def timed(function, n):
    "Seconds of n runs of function"
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def interleaved(functions, n):
    "n runs of each function, in turns, so they share the machine's noise"
    samples = {k: [] for k in functions}
    for _ in range(n):
        for key, function in functions.items():
            start = time.perf_counter()
            function()
            samples[key].append(time.perf_counter() - start)
    return samples


def time_floor(figure, floor, sql, warmup, n):
    """The floor (the same work as one SQL statement) timed as figure was,
    and the ratio of their p50s"""
    timed(floor, warmup)
    figure['floor'] = percentiles(timed(floor, n))
    figure['floor']['sql'] = sql
    figure['ratio_p50_to_floor'] = round(
        figure['p50_ms'] / figure['floor']['p50_ms'], 1)


def ms_rows(row, bench, label, figure, keys=('p50', 'p95', 'p99', 'mean')):
    "The printed table's rows of figure's percentiles"
    for p in keys:
        row(bench, f'{label} {p}', figure[f'{p}_ms'], 'ms')


def add_count_argument(parser, flag, what, defaults):
    "A count flag of run.py whose default is the preset's (by_scale)"
    parser.add_argument(flag, type=int, metavar='N', help=f'{what} '
        '(default by scale: ' + ', '.join(
            f'{k} {v}' for k, v in defaults.items()) + ')')


def by_scale(value, scale, defaults):
    "An explicit count, else the preset's (a custom scale: the large one)"
    return value if value is not None else defaults.get(
        scale, defaults['large'])


def at(results, key):
    "The figure at results[key[0]][key[1]]...: probes are keyed by path"
    figure = results
    for k in key:
        figure = figure[k]
    return figure


# ---------------------------------------------------- SQL statements

class SQLMeter:
    """Statements trytond's cursor executes in this process, the seconds
    spent in its execute() (the database's work and the transfer of the
    rows) and, when capture is set, the statements with their parameters,
    by wrapping LoggingCursor.execute while active"""

    def __init__(self, capture=False):
        self.statements, self.seconds = 0, 0.0
        self.captured = [] if capture else None

    def __enter__(self):
        from trytond.backend.postgresql.database import LoggingCursor
        self.cls, self.original = LoggingCursor, LoggingCursor.execute
        original, meter = self.original, self

        def execute(cursor, query, params=None, *args, **kwargs):
            begin = time.perf_counter()
            try:
                return original(cursor, query, params, *args, **kwargs)
            finally:
                meter.statements += 1
                meter.seconds += time.perf_counter() - begin
                if meter.captured is not None:
                    meter.captured.append((query, params))
        LoggingCursor.execute = execute
        return self

    def __exit__(self, *exc):
        self.cls.execute = self.original


class StatementCounter:
    """Statements the database ran for our database, from pg_stat_statements
    when the server preloads it (we never change the server's
    configuration)."""

    def __init__(self, conn):
        self.conn = conn
        preload = conn.execute('SHOW shared_preload_libraries').fetchone()[0]
        self.available = 'pg_stat_statements' in preload
        if self.available:
            conn.execute('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')

    def total(self):
        return self.conn.execute(
            'SELECT coalesce(sum(calls), 0) FROM pg_stat_statements '
            'WHERE dbid = (SELECT oid FROM pg_database '
                'WHERE datname = current_database()) '
            "AND query NOT LIKE '%%pg_stat_statements%%'").fetchone()[0]

    def timed(self, function, n):
        """Seconds of n runs of function, and the statements per run (None
        without pg_stat_statements)"""
        before = self.total() if self.available else None
        samples = timed(function, n)
        if before is None:
            return samples, None
        return samples, round((self.total() - before) / n, 1)


def explain(conn, sql, params=None):
    """The plan's lines of sql under EXPLAIN (ANALYZE, BUFFERS) and its
    execution time in ms (None if missing); rolled back, it changes
    nothing"""
    try:
        plan = [line for line, in conn.execute(
                'EXPLAIN (ANALYZE, BUFFERS) ' + sql, params)]
    finally:
        conn.rollback()
    ms = next((float(m.group(1)) for line in plan for m in [
                re.match(r'\s*Execution Time: ([\d.]+) ms', line)] if m),
        None)
    return plan, ms


def sql_profile(conn, statements, top=3, with_params=False):
    """Each SELECT of statements [(sql, params)] (what one call issued)
    again under EXPLAIN ANALYZE: their count, total and the slowest with
    their plans"""
    plans = []
    for query, params in statements:
        if isinstance(query, bytes):
            query = query.decode()
        query = str(query).strip()
        if not query.upper().startswith(('SELECT', 'WITH')):
            continue
        try:
            plan, ms = explain(conn, query, params)
        except psycopg.Error as e:
            plan, ms = [f'not explained: {e}'], None
        entry = {'execution_ms': ms or 0.0, 'sql': query}
        if with_params:
            entry['params'] = [str(p) for p in (params or ())][:20]
        entry['plan'] = plan
        plans.append(entry)
    plans.sort(key=lambda p: -p['execution_ms'])
    return {'statements': len(statements), 'selects_explained': len(plans),
        'selects_total_ms': round(sum(p['execution_ms'] for p in plans), 3),
        'slowest': plans[:top]}


# --------------------------------------------------------------- server

# trytond's cursor logs every statement at DEBUG; this keeps only those
# lines, marked so that they can be told from the rest of the log.
LOGCONF = '''[formatters]
keys=sql
[handlers]
keys=console
[loggers]
keys=root,sql
[formatter_sql]
format=@@SQL@@%(funcName)s@@%(message)s
[handler_console]
class=StreamHandler
formatter=sql
args=(sys.stderr,)
[logger_root]
level=WARNING
handlers=console
[logger_sql]
level=DEBUG
handlers=console
qualname=trytond.backend.postgresql.database
propagate=0
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    """trytond -d <db> on a free loopback port; with sql_log, logging every
    statement (which slows them: never the timed server).

    config/trytond.conf sets [web] listen and trytond lets a configuration
    file override the environment, so the port goes in a second -c file as
    well as in TRYTOND_WEB__LISTEN."""

    def __init__(self, database, env, workdir, sql_log=False):
        self.database = database
        self.port = free_port()
        listen = f'127.0.0.1:{self.port}'
        conf = os.path.join(workdir, f'listen-{self.port}.conf')
        with open(conf, 'w') as f:
            f.write(f'[web]\nlisten = {listen}\n')
        self.log_path = os.path.join(workdir, f'trytond-{self.port}.log')
        args = [os.path.join(BIN, 'trytond'), '-c', CONFIG_FILE, conf,
            '-d', database]
        if sql_log:
            logconf = os.path.join(workdir, f'sql-logging-{self.port}.conf')
            with open(logconf, 'w') as f:
                f.write(LOGCONF)
            args += ['--logconf', logconf]
        self.log_file = open(self.log_path, 'w')
        self.process = subprocess.Popen(args, stdout=self.log_file,
            stderr=subprocess.STDOUT,
            env=dict(env, TRYTOND_WEB__LISTEN=listen))
        self.url = f'http://{listen}'

    def wait(self, timeout=120):
        proxy = xmlrpc.client.ServerProxy(f'{self.url}/rpc/')
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                proxy.common.server.version()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        with open(self.log_path) as f:
            sys.stderr.write(f.read()[-3000:])
        raise SystemExit('[bench] trytond did not answer (its log is above)')

    def proxy(self, login, password):
        "A proxy authenticated by HTTP basic auth on every call"
        return xmlrpc.client.ServerProxy(
            f'http://{login}:{password}@127.0.0.1:{self.port}/'
            f'{self.database}/rpc/', allow_none=True)

    def session_proxy(self, login, password):
        "A proxy authenticated by a session (one login, then a token)"
        anonymous = xmlrpc.client.ServerProxy(
            f'{self.url}/{self.database}/rpc/', allow_none=True)
        user_id, token, _ = anonymous.common.db.login(
            login, {'password': password}, 'en')
        auth = base64.b64encode(f'{login}:{user_id}:{token}'.encode())
        return xmlrpc.client.ServerProxy(f'{self.url}/{self.database}/rpc/',
            allow_none=True,
            headers=[('Authorization', f'Session {auth.decode()}')])

    def sql_statements(self):
        """The statements logged so far (sql_log), less psycopg_pool's empty
        liveness checks (pg_stat_statements does not count those either)"""
        with open(self.log_path, errors='replace') as f:
            text = f.read()
        return [r.split('@@', 1)[1] for r in text.split('@@SQL@@')[1:]
            if r.startswith('execute@@') and r[len('execute@@'):].strip()]

    def rss_mib(self):
        "VmRSS of the server and its children, if any"
        pids, total = [self.process.pid], 0
        while pids:
            pid = pids.pop()
            try:
                with open(f'/proc/{pid}/status') as f:
                    total += int(re.search(
                            r'VmRSS:\s+(\d+)', f.read()).group(1))
                with open(f'/proc/{pid}/task/{pid}/children') as f:
                    pids += [int(p) for p in f.read().split()]
            except (FileNotFoundError, AttributeError):
                pass
        return round(total / 1024, 1)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


# ----------------------------------------------------- trytond in process

def trytond_pool(database):
    "trytond's Pool for database (config/trytond.conf, URI from the env)"
    os.environ.setdefault('TRYTOND_DATABASE__URI', DEFAULT_URI)
    from trytond.config import update_etc
    from trytond.pool import Pool
    if database in Pool.database_list():  # proteus initialised it
        return Pool(database)
    update_etc(CONFIG_FILE)
    Pool.start()
    pool = Pool(database)
    pool.init()
    return pool


def run_json(script, args, env):
    """Run bench/<script> with args in a subprocess (trytond's Pool and
    configuration are per process) and return the JSON of its last line"""
    out = subprocess.run([sys.executable, os.path.join(HERE, script),
            *args], env=env, check=True, stdout=subprocess.PIPE,
        text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_json(result):
    "A subprocess's answer to run_json"
    print(json.dumps(result, ensure_ascii=False, default=str))


# ------------------------------------------------------------ databases

def admin_connection(uri):
    # The maintenance database, never a dealer one: only to create, list
    # and drop bench_* databases.
    return psycopg.connect(uri, dbname='postgres', autocommit=True)


def create_database(name, env):
    "scripts/setup_database.py with every dealer module; its wall time"
    start = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(ROOT, 'scripts',
                'setup_database.py'), '--config', CONFIG_FILE,
            '--database', name], env=env, check=True)
    return round(time.perf_counter() - start, 1)


def create_group_database(database, env, results, companies):
    """Create the database with every dealer module and, by generate.py,
    the companies with two salespeople each, 200 customers and boss_001
    (the seconds of both steps in results)"""
    log(f'creating "{database}" (every dealer module)')
    results['create_db'] = {'seconds': create_database(database, env)}
    log('generating the companies, salespeople and boss_001')
    begin = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(HERE, 'generate.py'),
            '--database', database, '--companies', str(companies),
            '--salespeople', '2', '--customers', '200', '--contacts', '0',
            '--documents', '0', '--events', '0'], env=env, check=True)
    results['generate'] = {'seconds': round(time.perf_counter() - begin, 1)}


def release_database(uri, database, created, keep, report):
    """Drop the database if the run created it and keeps nothing; say which
    in the report, with the machine's load at the end"""
    if created and not keep:
        log(f'dropping "{database}"')
        drop_database(uri, database)
    elif database:
        log(f'kept "{database}"')
    report['database'] = {'name': database, 'kept': bool(keep or not created)}
    report['machine']['loadavg_end'] = os.getloadavg()


def drop_database(uri, name):
    if not name.startswith('bench_'):  # not an assert: python -O drops them
        raise ValueError(f'refusing to drop {name}')
    with admin_connection(uri) as conn:
        # FORCE ends what still holds the database (a killed server's pool).
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -------------------------------------------------------------- results

def machine():
    with open('/proc/meminfo') as f:
        ram_kib = int(re.search(r'MemTotal:\s+(\d+)', f.read()).group(1))
    with open('/proc/cpuinfo') as f:
        cpu = re.search(r'model name\s*:\s*(.*)', f.read())
    return {'nproc': len(os.sched_getaffinity(0)),
        'ram_mib': ram_kib // 1024,
        'cpu': cpu.group(1) if cpu else platform.machine(),
        'python': platform.python_version(),
        # Other work on the machine makes latencies noisy: say how busy it was.
        'loadavg_start': os.getloadavg()}


def environment(uri):
    """What a run's figures depend on besides the code: python -O, trytond,
    psycopg and its libpq wrapper ('python' (ctypes) or 'binary'/'c': it
    weighs on every row trytond reads), PostgreSQL, the machine"""
    import trytond
    with admin_connection(uri) as conn:
        pg_version = conn.execute('SHOW server_version').fetchone()[0]
    return {'python_optimize': sys.flags.optimize,
        'trytond': trytond.__version__,
        'psycopg': f'{psycopg.__version__} ({psycopg.pq.__impl__})',
        'postgresql': pg_version, 'machine': machine()}


def write_results(report):
    """bench/results/<name>-<timestamp>.json and latest.json; return the
    first one's path"""
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS,
        f"{report['name']}-{report['timestamp']}.json")
    for p in (path, os.path.join(RESULTS, 'latest.json')):
        with open(p, 'w') as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
    return path
