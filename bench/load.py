#!/usr/bin/env python3
"""The load test (issue 17 point 3): a working day of a group of nine
companies against `./dealer serve` (gunicorn, trytond-cron, trytond-worker)
on PostgreSQL, for each number of web workers and of concurrent users.

    ./dealer bench --only load                       # 50,100,200 x 2,4 workers
    ./dealer bench --only load --users 10 --workers 2 --duration 30 --keep
    ./dealer bench --only load --database bench_load_... --users 100 --workers 4
    .venv/bin/python bench/load.py ...               # the same options

The database: bench_load_<date>_<time>, made by scripts/setup_database.py
--demo and bench/load_data.py (six more companies, staff, customers, pool,
payment plans), dropped at the end unless --keep.  --database reuses a
kept one (never dropped; load_data.py adds what it lacks).

Locust (pinned in bench/requirements-load.txt) runs from its own
virtualenv, var/bench-venv, made here on first use: its gevent, flask and
werkzeug never meet trytond in .venv.  The users of the mix are in
bench/load_locustfile.py.

For each workers x users: locust starts the users over SPAWN_SECONDS and,
SETTLE seconds after the last one logged in, measures for --duration: the
requests per second, p50/p95/p99 per action, the errors of the whole run;
meanwhile, every second, the CPU time of the gunicorn processes, of the
PostgreSQL backends of the database, of locust and of the whole machine
(/proc), and the backends active, idle in a transaction (a web worker
computing) or waiting on a lock (pg_stat_activity).  Then what the run created is counted in the database
against locust's successes and the balances are compared to the cent
(verify).  Figures printed and written to bench/results/load-<stamp>.json.
"""
import argparse
import configparser
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections import defaultdict
from decimal import Decimal

import psycopg

from harness import (HERE, ROOT, admin_connection, bench_uri, environment,
    free_port, log, percentiles, release_database, write_results)

sys.path.insert(0, os.path.join(ROOT, 'scripts'))
from demo.staff import DEMO_PASSWORD  # noqa: E402 (no trytond import)

BENCHMARKS = ['load']
VENV = os.path.join(ROOT, 'var', 'bench-venv')
REQUIREMENTS = os.path.join(HERE, 'requirements-load.txt')
LOCUSTFILE = os.path.join(HERE, 'load_locustfile.py')
PRODUCTION_CONF = os.path.join(ROOT, 'config', 'production.conf')
SPAWN_SECONDS = 20
SETTLE = 5
# locust's own limit, should the users never all log in
MAX_LOGIN_SECONDS = 600
CLK_TCK = os.sysconf('SC_CLK_TCK')
# What the load creates, found by its marker: (kind, table, marker column,
# the state it must be in, locust's action whose success adds it)
MARKED = [
    ('visit', 'dealer_visit', 'place', "state = 'done'", 'visit: done'),
    ('sale', 'sale_sale', 'description', "approval_state != 'draft'",
        'sale: submit'),
    ('receipt', 'dealer_payment_receipt', 'reference', "state = 'posted'",
        'receipt: post'),
    ('collection', 'dealer_collection_action', 'result', 'true',
        'collection: log action'),
    ]


def add_arguments(parser):
    parser.add_argument('--users', default='50,100,200',
        help='load: concurrent users, comma-separated (default 50,100,200)')
    parser.add_argument('--workers', default='2,4',
        help='load: gunicorn workers, comma-separated (default 2,4)')
    parser.add_argument('--duration', type=int, default=60,
        help='load: seconds measured per run, after the users started '
        '(default 60)')


# ------------------------------------------------------------------ locust

def locust_venv():
    """var/bench-venv with bench/requirements-load.txt, made or updated
    when the file changed; return its locust"""
    stamp = os.path.join(VENV, '.requirements')
    with open(REQUIREMENTS, 'rb') as f:
        want = hashlib.sha256(f.read()).hexdigest()[:16]
    try:
        with open(stamp) as f:
            if f.read() == want:
                return os.path.join(VENV, 'bin', 'locust')
    except FileNotFoundError:
        pass
    log(f'installing locust into {os.path.relpath(VENV, ROOT)} '
        '(bench/requirements-load.txt)')
    subprocess.run([sys.executable, '-m', 'venv', '--clear', VENV],
        check=True)
    pip = subprocess.run([os.path.join(VENV, 'bin', 'python'), '-m', 'pip',
            'install', '--disable-pip-version-check', '-r', REQUIREMENTS],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if pip.returncode:
        sys.stderr.write(pip.stdout[-3000:])
        raise SystemExit('[bench] pip could not install '
            'bench/requirements-load.txt (its output is above)')
    with open(stamp, 'w') as f:
        f.write(want)
    return os.path.join(VENV, 'bin', 'locust')


def run_locust(locust, url, database, group_file, users, duration, workdir,
        env):
    """locust headless with users, started over SPAWN_SECONDS; it measures
    for duration seconds from SETTLE seconds after the last one logged in,
    then stops; return its process, its output's path and the marker"""
    out = os.path.join(workdir, f'locust-{users}.json')
    run_time = SPAWN_SECONDS + MAX_LOGIN_SECONDS + SETTLE + duration
    args = [locust, '-f', LOCUSTFILE, '--headless', '--host', url,
        '--users', str(users),
        '--spawn-rate', str(max(users / SPAWN_SECONDS, 1)),
        '--run-time', f'{run_time}s',
        # a user finishes the action it started: what it created is in the
        # ledger, not half-done when the run stops
        '--stop-timeout', '120', '--only-summary', '--loglevel', 'WARNING']
    marker = f"L{dt.datetime.now():%m%d%H%M%S}u{users}"
    process = subprocess.Popen(args, env=dict(env, LOAD_GROUP=group_file,
            LOAD_DATABASE=database, LOAD_PASSWORD=DEMO_PASSWORD,
            LOAD_MARKER=marker, LOAD_OUT=out, LOAD_SETTLE=str(SETTLE),
            LOAD_DURATION=str(duration)),
        stdout=open(os.path.join(workdir, f'locust-{users}.log'), 'w'),
        stderr=subprocess.STDOUT)
    return process, out, marker


# -------------------------------------------------------------- the server

class Serve:
    """`./dealer serve` with n gunicorn workers on a free port, on
    config/production.conf with the benchmarks' PostgreSQL"""

    def __init__(self, database, workers, uri, env, workdir):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(PRODUCTION_CONF)
        conf['database']['uri'] = uri
        path = os.path.join(workdir, 'production.conf')
        with open(path, 'w') as f:
            conf.write(f)
        self.url = f'http://127.0.0.1:{free_port()}'
        self.log_path = os.path.join(workdir, f'serve-{workers}.log')
        self.process = subprocess.Popen([os.path.join(ROOT, 'dealer'),
                'serve'], env=dict(env, DEALER_CONFIG=path,
                DEALER_DB=database, DEALER_WORKERS=str(workers),
                DEALER_LISTEN=self.url[len('http://'):]),
            stdout=open(self.log_path, 'w'), stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait(self, timeout=180):
        proxy = xmlrpc.client.ServerProxy(f'{self.url}/rpc/')
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                proxy.common.server.version()
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        with open(self.log_path) as f:
            sys.stderr.write(f.read()[-3000:])
        raise SystemExit('[bench] ./dealer serve did not answer (its log is '
            'above)')

    def processes(self):
        """{'gunicorn': master pid, 'cron': [...], 'worker': [...]}: the
        processes ./dealer serve started"""
        found = {'cron': [], 'worker': []}
        for pid in children(self.process.pid):
            cmdline = _read(f'/proc/{pid}/cmdline').replace('\0', ' ')
            if 'gunicorn' in cmdline:
                found['gunicorn'] = pid
            elif 'trytond-cron' in cmdline:
                found['cron'].append(pid)
            elif 'trytond-worker' in cmdline:
                found['worker'].append(pid)
        return found

    def stop(self):
        "SIGTERM: ./dealer serve stops the three and waits for them"
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# ------------------------------------------------------------------- /proc

def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ''


def children(pid):
    "The direct children of pid"
    return [int(p) for p in _read(
            f'/proc/{pid}/task/{pid}/children').split()]


def cpu_seconds(pid, reaped=False):
    """User + system CPU seconds of pid (with reaped: and of its children
    it waited for, as a gunicorn master for the workers it replaced)"""
    stat = _read(f'/proc/{pid}/stat')
    if not stat:
        return None
    fields = stat.rsplit(')', 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])       # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLK_TCK


def machine_cpu():
    "(busy, total) seconds of every CPU since boot"
    values = [int(v) for v in _read('/proc/stat').split('\n')[0].split()[1:]]
    idle = values[3] + values[4]                    # idle, iowait
    return (sum(values[:8]) - idle) / CLK_TCK, sum(values[:8]) / CLK_TCK


class Sampler(threading.Thread):
    """Every second: CPU seconds of gunicorn (master, its live and reaped
    workers), of trytond-cron and trytond-worker, of each PostgreSQL
    backend of the database, of locust and of the machine; the database's
    backends active and waiting on a lock"""

    def __init__(self, uri, database, serve, locust_pid):
        super().__init__(daemon=True)
        self.uri, self.database = uri, database
        self.serve, self.locust_pid = serve, locust_pid
        self.samples, self.done = [], threading.Event()

    def run(self):
        procs = self.serve.processes()
        with admin_connection(self.uri) as conn:
            while not self.done.wait(1.0):
                rows = conn.execute('SELECT pid, state, wait_event_type '
                    'FROM pg_stat_activity WHERE datname = %s '
                    'AND pid != pg_backend_pid()',
                    (self.database,)).fetchall()
                gunicorn = procs.get('gunicorn')
                self.samples.append({
                    'time': time.time(),
                    'gunicorn': (cpu_seconds(gunicorn, reaped=True) or 0)
                    + sum(cpu_seconds(p) or 0 for p in children(gunicorn)),
                    'cron_worker': sum(cpu_seconds(p, reaped=True) or 0
                        for p in procs['cron'] + procs['worker']),
                    'backends': {pid: cpu_seconds(pid) for pid, _, _ in rows},
                    'locust': cpu_seconds(self.locust_pid) or 0,
                    'machine': machine_cpu(),
                    'active': sum(1 for _, s, _ in rows if s == 'active'),
                    # a web worker between its statements: trytond's work
                    'in_transaction': sum(1 for _, s, _ in rows
                        if s == 'idle in transaction'),
                    'lock_waits': sum(1 for _, _, w in rows if w == 'Lock'),
                    })

    def window(self, start, end):
        """CPU seconds of each kind between the samples nearest start and
        end, the machine's busy share, the mean backends active and
        waiting on a lock"""
        inside = [s for s in self.samples if start <= s['time'] <= end]
        first, last = inside[0], inside[-1]
        backends = {}
        for sample in inside:   # a backend's last value; 0 if it is new
            for pid, seconds in sample['backends'].items():
                if seconds is not None:
                    backends.setdefault(pid, [
                            first['backends'].get(pid) or 0, seconds])
                    backends[pid][1] = seconds
        busy = last['machine'][0] - first['machine'][0]
        total = last['machine'][1] - first['machine'][1]
        ours = {'gunicorn_cpu_s': last['gunicorn'] - first['gunicorn'],
            'postgres_cpu_s': sum(b - a for a, b in backends.values()),
            'cron_worker_cpu_s': last['cron_worker'] - first['cron_worker'],
            'locust_cpu_s': last['locust'] - first['locust']}
        return {'seconds': round(last['time'] - first['time'], 1),
            **{k: round(v, 2) for k, v in ours.items()},
            'machine_busy_cpu_s': round(busy, 2),
            'machine_busy_pct': round(100 * busy / total, 1) if total else None,
            # other work on the machine (others' tests, PostgreSQL's own
            # processes and the other databases' backends)
            'other_cpu_s': round(busy - sum(ours.values()), 2),
            'backends_active_mean': round(sum(s['active'] for s in inside)
                / len(inside), 2),
            'backends_in_transaction_mean': round(sum(
                    s['in_transaction'] for s in inside) / len(inside), 2),
            'lock_waits_mean': round(sum(s['lock_waits'] for s in inside)
                / len(inside), 2),
            'lock_waits_max': max(s['lock_waits'] for s in inside),
            }


# ------------------------------------------------------------ the database

def prepare(uri, database, env):
    "The demo and the load data (made where missing); the group's JSON"
    with admin_connection(uri) as conn:
        exists = conn.execute('SELECT 1 FROM pg_database WHERE datname = %s',
            (database,)).fetchone()
    if not exists:
        log(f'creating "{database}" with the demo (scripts/setup_database.py '
            '--demo: several minutes)')
        subprocess.run([sys.executable, os.path.join(ROOT, 'scripts',
                    'setup_database.py'), '--config',
                os.path.join(ROOT, 'config', 'trytond.conf'), '--database',
                database, '--demo'], env=env, check=True)
    log('the load data (bench/load_data.py; added once)')
    out = subprocess.run([sys.executable, os.path.join(HERE, 'load_data.py'),
            '--database', database], env=env, check=True,
        stdout=subprocess.PIPE, text=True).stdout
    return out.strip().splitlines()[-1]


def watermarks(conn):
    "The last ids of the tables where claims and approvals are logged"
    return {t: conn.execute(f'SELECT coalesce(max(id), 0) FROM "{t}"'
            ).fetchone()[0] for t in ['dealer_customer_ownership',
            'dealer_approval_log']}


def verify(conn, marker, ledger, ok, since, group):
    """What the run created, counted in the database: each ledger entry's
    record there once, in its state, nothing else marked; claims and
    approvals logged once each; receipts' amounts, their allocations and
    the plans' paid amounts equal to the cent.  ok: locust's successes by
    action; since: watermarks() before the run"""
    by_kind = defaultdict(list)
    for entry in ledger:
        by_kind[entry['kind']].append(entry)
    checks, problems = {}, 0
    for kind, table, column, state, action in MARKED:
        rows = conn.execute(f'SELECT id, "{column}", ({state}) FROM "{table}" '
            f'WHERE "{column}" LIKE %s', (marker + '-%',)).fetchall()
        found = [(r[0], r[1]) for r in rows]
        wanted = {(e['id'], e['marker']) for e in by_kind[kind]}
        check = {'locust_ok': ok.get(action, 0), 'ledger': len(wanted),
            'database': len(found),
            'duplicates': len(found) - len(set(found))
            + len(rows) - len({r[1] for r in rows}),
            'missing': len(wanted - set(found)),
            'unexpected': len(set(found) - wanted),
            'wrong_state': sum(1 for r in rows if not r[2])}
        checks[kind] = check
        problems += _problems(check)
    # claims: one ownership row per claimed customer, the claimer's
    # employee now its owner
    claimed = {e['id']: e['login'] for e in by_kind['claim']}
    rows = conn.execute('SELECT o.customer, u.login, p.owner = o.owner '
        'FROM dealer_customer_ownership o '
        'JOIN party_party p ON p.id = o.customer '
        'LEFT JOIN res_user u ON u.id = o."user" '
        "WHERE o.id > %s AND o.action = 'claim'",
        (since['dealer_customer_ownership'],)).fetchall()
    check = {'locust_ok': ok.get('pool: claim', 0), 'ledger': len(claimed),
        'database': len(rows),
        'duplicates': len(rows) - len({r[0] for r in rows}),
        'missing': len(set(claimed) - {r[0] for r in rows}),
        'unexpected': len({r[0] for r in rows} - set(claimed)),
        'wrong_state': sum(1 for c, login, owner in rows
            if not owner or claimed.get(c) != login)}
    checks['claim'] = check
    problems += _problems(check)
    # approvals: one 'approve' log per approved request, now approved
    approved = {e['id'] for e in by_kind['approval']}
    rows = conn.execute('SELECT l.request, r.state '
        'FROM dealer_approval_log l '
        'JOIN dealer_approval_request r ON r.id = l.request '
        "WHERE l.id > %s AND l.action = 'approve'",
        (since['dealer_approval_log'],)).fetchall()
    check = {'locust_ok': ok.get('approvals: approve', 0),
        'ledger': len(approved), 'database': len(rows),
        'duplicates': len(rows) - len({r[0] for r in rows}),
        'missing': len(approved - {r[0] for r in rows}),
        'unexpected': len({r[0] for r in rows} - approved),
        'wrong_state': sum(1 for _, s in rows if s != 'approved')}
    checks['approval'] = check
    problems += _problems(check)
    checks['balances'] = balances = _balances(conn, marker, by_kind['receipt'],
        [p['id'] for c in group['companies'] for p in c['plans']])
    problems += balances['mismatches']
    return {'checks': checks, 'problems': problems,
        'nothing_lost': problems == 0}


def _problems(check):
    return (abs(check['locust_ok'] - check['ledger'])
        + abs(check['ledger'] - check['database']) + check['duplicates']
        + check['missing'] + check['unexpected'] + check['wrong_state'])


def _balances(conn, marker, receipts, plans):
    """The run's posted receipts against locust's amounts; every receipt's
    allocations against its amount; every load plan's paid amount against
    its posted receipts, and its instalments against its total"""
    sent = sum(Decimal(r['amount']) for r in receipts)
    stored = conn.execute('SELECT coalesce(sum(amount), 0) '
        "FROM dealer_payment_receipt WHERE reference LIKE %s "
        "AND state = 'posted'", (marker + '-%',)).fetchone()[0]
    allocations = conn.execute(
        'SELECT count(*) FROM dealer_payment_receipt r '
        'LEFT JOIN (SELECT receipt, sum(amount) AS amount '
            'FROM dealer_payment_allocation GROUP BY receipt) a '
            'ON a.receipt = r.id '
        "WHERE r.state = 'posted' AND r.plan = ANY(%s) "
        'AND coalesce(a.amount, 0) != r.plan_amount', (plans,)).fetchone()[0]
    rows = conn.execute(
        'SELECT p.id, p.total_amount, l.amount, l.paid, l.unpaid, '
            'coalesce(r.received, 0) '
        'FROM dealer_payment_plan p '
        'JOIN (SELECT plan, sum(amount) AS amount, sum(paid_amount) AS paid, '
            'sum(unpaid_amount) AS unpaid FROM dealer_payment_plan_line '
            'GROUP BY plan) l ON l.plan = p.id '
        'LEFT JOIN (SELECT plan, sum(plan_amount) AS received '
            "FROM dealer_payment_receipt WHERE state = 'posted' "
            'GROUP BY plan) r ON r.plan = p.id '
        'WHERE p.id = ANY(%s)', (plans,)).fetchall()
    plans_wrong = sum(1 for _, total, amount, paid, unpaid, received in rows
        if paid != received or amount != total or paid + unpaid != total)
    return {'receipts_sent': str(sent), 'receipts_stored': str(stored),
        'receipts_allocated_wrong': allocations,
        'plans': len(rows), 'plans_paid_not_received': plans_wrong,
        'plans_paid': str(sum(r[3] for r in rows)),
        'plans_received': str(sum(r[5] for r in rows)),
        'mismatches': int(sent != stored) + allocations + plans_wrong
        + len(plans) - len(rows)}


# ---------------------------------------------------------------- the run

def one_run(locust, serve, uri, database, group, group_file, users,
        duration, workdir, env):
    "users against serve: the figures, the CPU, the check"
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        since = watermarks(conn)
        log(f'{users} users: {SPAWN_SECONDS} s to start them, then '
            f'{duration} s measured once they are logged in')
        process, out, marker = run_locust(locust, serve.url, database,
            group_file, users, duration, workdir, env)
        sampler = Sampler(uri, database, serve, process.pid)
        sampler.start()
        process.wait()
        sampler.done.set()
        sampler.join()
        with open(out) as f:
            figures = json.load(f)
        start, end = figures['window']['start'], figures['window']['end']
        seconds = end - start
        # the users' work, not their morning login (before the window)
        work = {name: times for name, times in figures['samples'].items()
            if name not in ('login', 'preferences')}
        actions = {}
        for name in sorted(set(figures['counts']) | set(figures['samples'])):
            times = figures['samples'].get(name, [])
            counts = figures['counts'].get(name, {})
            entry = {'requests': len(times),
                'rps': round(len(times) / seconds, 2),
                'ok': counts.get('ok', 0), 'errors': counts.get('error', 0)}
            entry.update(timing(times))
            actions[name] = entry
        requests = sum(len(times) for times in work.values())
        all_times = [t for times in work.values() for t in times]
        result = {'users': users, 'marker': marker,
            'window_s': round(seconds, 1), 'requests': requests,
            'rps': round(requests / seconds, 2),
            'errors': sum(c.get('error', 0)
                for c in figures['counts'].values()),
            'error_messages': figures['errors'],
            'virtual_users': figures['users'],
            **timing(all_times), 'actions': actions}
        cpu = sampler.window(start, end)
        for kind in ('gunicorn', 'postgres'):
            cpu[f'{kind}_cpu_ms_per_request'] = round(
                1000 * cpu[f'{kind}_cpu_s'] / requests, 2) if requests else None
        result['cpu'] = cpu
        ok = {name: c.get('ok', 0) for name, c in figures['counts'].items()}
        log(f'{users} users: checking what the run created')
        result['verify'] = verify(conn, marker, figures['ledger'], ok, since,
            group)
    return result


def timing(times_ms):
    "p50, p95, p99, mean in ms of response times in ms (none of one)"
    return percentiles([t / 1000 for t in times_ms]) if len(
        times_ms) > 1 else {}


def capacity(result, cores):
    """The requests per second one host's cores could serve at the
    measured CPU per request: the web workers' and PostgreSQL's"""
    cpu = result['cpu']
    return {kind: round(cores * 1000 / cpu[f'{kind}_cpu_ms_per_request'], 1)
        for kind in ('gunicorn', 'postgres')
        if cpu.get(f'{kind}_cpu_ms_per_request')}


def run(args):
    "The load test with run.py's or our own arguments; the report"
    users = [int(u) for u in args.users.split(',')]
    workers = [int(w) for w in args.workers.split(',')]
    uri = bench_uri()
    env = dict(os.environ, TRYTOND_DATABASE__URI=uri)
    if sys.flags.optimize:
        env['PYTHONOPTIMIZE'] = str(sys.flags.optimize)
    locust = locust_venv()
    stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
    report = {'name': args.name or 'load', 'timestamp': stamp,
        'benchmarks': ['load'], **environment(uri),
        'settings': {'users': users, 'workers': workers,
            'duration_s': args.duration, 'spawn_s': SPAWN_SECONDS,
            'settle_s': SETTLE, 'think_time_s': [1, 3]},
        'results': {'load': []}}
    database = args.database or f"bench_load_{stamp.replace('-', '_')}"
    workdir = None
    created = not args.database
    try:
        group_json = prepare(uri, database, env)
        group = json.loads(group_json)
        # The servers' and locust's logs: kept with --keep or on a failure.
        workdir = tempfile.mkdtemp(prefix='dealer-load-')
        group_file = os.path.join(workdir, 'group.json')
        with open(group_file, 'w') as f:
            f.write(group_json)
        for n in workers:
            log(f'./dealer serve with {n} workers')
            serve = Serve(database, n, uri, env, workdir)
            try:
                serve.wait()
                for u in users:
                    result = one_run(locust, serve, uri, database, group,
                        group_file, u, args.duration, workdir, env)
                    result['workers'] = n
                    result['capacity_rps_per_host'] = capacity(
                        result, report['machine']['nproc'])
                    report['results']['load'].append(result)
                    print(summary(result), flush=True)
            finally:
                serve.stop()
        if not args.keep:
            shutil.rmtree(workdir)
    except BaseException:
        log(f'logs of the servers and locust: {workdir}')
        raise
    finally:
        release_database(uri, database, created, args.keep, report)
    if args.keep:
        log(f'logs of the servers and locust: {workdir}')
    print(table(report))
    path = write_results(report)
    print(f'\nwritten: {os.path.relpath(path, ROOT)} and '
        'bench/results/latest.json')
    return report


# ----------------------------------------------------------------- output

def summary(r):
    cpu, v = r['cpu'], r['verify']
    return (f"{r['users']} users x {r['workers']} workers: {r['rps']} req/s, "
        f"p50/p95/p99 {r.get('p50_ms', 0):.0f}/{r.get('p95_ms', 0):.0f}/"
        f"{r.get('p99_ms', 0):.0f} ms, {r['errors']} errors, nothing lost: "
        f"{'yes' if v['nothing_lost'] else 'NO'} | machine "
        f"{cpu['machine_busy_pct']} % busy, CPU/request gunicorn "
        f"{cpu['gunicorn_cpu_ms_per_request']} ms, postgres "
        f"{cpu['postgres_cpu_ms_per_request']} ms, lock waits "
        f"{cpu['lock_waits_mean']}")


def table(report):
    lines = []
    for r in report['results']['load']:
        lines += ['', summary(r), f"{'action':<28} {'req/s':>7} {'p50':>8} "
            f"{'p95':>8} {'p99':>8} {'ok':>6} {'errors':>6}"]
        for name, a in r['actions'].items():
            lines.append(f"{name:<28} {a['rps']:>7} "
                + ' '.join(f"{a.get(f'{p}_ms', float('nan')):>8.0f}"
                    for p in ('p50', 'p95', 'p99'))
                + f" {a['ok']:>6} {a['errors']:>6}")
        for kind, c in r['verify']['checks'].items():
            lines.append(f'  check {kind:<11} ' + ', '.join(
                    f'{k} {v}' for k, v in c.items()))
        for message, n in ((m, n) for a in r['error_messages'].values()
                for m, n in a.items()):
            lines.append(f'  error x{n}: {message}')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument('--keep', action='store_true',
        help='keep the bench_load_* database')
    parser.add_argument('--database', help='an existing bench_* database '
        '(never dropped)')
    parser.add_argument('--name', help='results file name (default: load)')
    args = parser.parse_args()
    if args.database and not args.database.startswith('bench_'):
        parser.error('--database must name a bench_* database')
    run(args)


if __name__ == '__main__':
    main()
