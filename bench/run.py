#!/usr/bin/env python3
"""Benchmarks of the dealer management system on PostgreSQL.

    ./dealer bench [--only NAME[,NAME]] [--scale small|medium|large]
                   [--customers N ...] [--calls N] [--keep] [--database DB]

create_db    wall time of scripts/setup_database.py (every dealer module, no
             demo data)
generate     bench/generate.py: ORM seconds and rows per second per table
server_rss   resident memory of `trytond -d <db>` after one authenticated call
rpc_latency  party.party search_read of 80 rows over XML-RPC as a salesperson
             (HTTP basic auth, then a session), statements per call, and the
             floor: the same 80 rows by one SQL statement through psycopg
team_scope   res.user.get_team() for the root of a 2,000-employee supervisor
             tree, cold and warm, inside trytond (not over RPC); floor: one
             WITH RECURSIVE statement (bench/dealer_base_bench.py)
approval_waiting  "Waiting for My Approval" over 100,000 approval requests:
             first page (80 rows) and count over XML-RPC as two approvers;
             floor: the same page and count as one SQL statement each
crm_customer_list  first page (80 rows) of the customer list over XML-RPC as
             a salesperson (own scope) and as an unrestricted user, ratio;
             floors (bench/dealer_crm_bench.py, as the two below)
crm_timeline first page (80 rows) of a customer's timeline as its owner
crm_duplicate_check  check_duplicate by name, phone, tax id as a salesperson
finance_penalty_accrual  the nightly overdue penalty accrual over the open
             instalments of --plans payment plans (200,000 instalments at
             20,000 plans), first run, re-run for the same date, catch-up
             after 7 days; floor: the same booking as one SQL statement
             (bench/dealer_finance_bench.py)
finance_receivable_ageing  the receivable ageing report over --ageing-lines
             posted receivable move lines (500,000 at the issue's scale),
             a head office with 200 subsidiaries, as a finance user inside
             trytond: first page rolled up and per customer, the head
             office's row; floor: the report's grouped statement through
             psycopg (bench/dealer_finance_ageing_bench.py)
leasing_idle idle machines of company X between two dates (5,000 machines,
             50,000 lease bookings): first page (80 rows) and count over
             XML-RPC as a Sales Manager; floors: one SQL statement each
leasing_overlap  the overlap check at confirmation (check_free's search)
             inside trytond, with and without the record rules; floor: the
             same statement through psycopg (bench/dealer_leasing_bench.py)
load         a working day of nine companies against ./dealer serve with
             locust: 50, 100, 200 users on 2 and 4 gunicorn workers,
             req/s, p50/p95/p99 per action, errors, CPU per request, and
             what the load created counted in the database (bench/load.py;
             only with --only load, alone: 35 to 45 minutes, 17 to 25 of
             them making the database)

Databases are named bench_* and dropped at the end unless --keep. Figures
are printed and written to bench/results/<name>-<timestamp>.json and
bench/results/latest.json. See bench/README.md.
"""
import argparse
import datetime as dt
import os
import sys
import tempfile

import psycopg

import dealer_base_bench
import dealer_crm_bench
import dealer_finance_ageing_bench
import dealer_finance_bench
import dealer_leasing_bench
import generate
import load
from harness import (ROOT, Server, StatementCounter, admin_connection, at,
    bench_uri, create_database, log, machine, ms_rows, percentiles,
    release_database, run_json, timed, write_results)

BENCHMARKS = ['create_db', 'generate', 'server_rss', 'rpc_latency',
    'team_scope', 'approval_waiting'] + dealer_crm_bench.BENCHMARKS
BENCHMARKS += dealer_finance_bench.BENCHMARKS
BENCHMARKS += dealer_finance_ageing_bench.BENCHMARKS
BENCHMARKS += dealer_leasing_bench.BENCHMARKS
BENCHMARKS += load.BENCHMARKS
# Benchmarks measured over RPC against one trytond server
RPC_BENCHMARKS = {'rpc_latency', 'approval_waiting',
    *dealer_crm_bench.BENCHMARKS}
# The call under test, and the same rows as one SQL statement: party's
# default order is (distance, name, id) and distance is NULL without a
# related party in the context.
CALL = ('model.party.party.search_read', [], 0, 80, None, ['name', 'code'], {})
FLOOR = ('SELECT id, name, code FROM party_party WHERE active '
    'ORDER BY name, id LIMIT 80')
WARMUP = 20
COUNT_CALLS = 20  # calls whose statements are counted from trytond's log


def table_rows(uri, name):
    "Rows of the generator's tables in an existing database"
    with psycopg.connect(uri, dbname=name) as conn:
        return {f'{t} rows': conn.execute(
                f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in sorted({b.table for b in generate.BULK}
                | set(dealer_base_bench.TABLES)
                | set(dealer_crm_bench.TABLES)
                | set(dealer_finance_bench.TABLES)
                | set(dealer_finance_ageing_bench.TABLES)
                | set(dealer_leasing_bench.TABLES))}


def create_db(uri, name, env):
    log(f'create_db: creating "{name}" with every dealer module '
        '(scripts/setup_database.py, a few minutes)')
    return {'seconds': create_database(name, env)}


def run_generate(name, counts, env):
    log('generate: filling the database')
    args = ['--database', name, '--json']
    for key, value in counts.items():
        args += [f'--{key}', str(value)]
    return run_json('generate.py', args, env)


def call(proxy):
    method, *args = CALL
    return getattr(proxy, method)(*args)


def count_from_trytond_log(database, env, workdir, probes):
    """Statements per call from trytond's own SQL debug log, on a second,
    short-lived server: logging slows every statement, so the timed server
    never logs them.

    probes: {key: function(server) -> the call to count}"""
    server = Server(database, env, workdir, sql_log=True)
    try:
        server.wait()
        counts = {}
        for key, probe in probes.items():
            function = probe(server)
            timed(function, 5)
            before = len(server.sql_statements())
            timed(function, COUNT_CALLS)
            counts[key] = round((len(server.sql_statements()) - before)
                / COUNT_CALLS, 1)
        return counts
    finally:
        server.stop()


# ----------------------------------------------------------- benchmarks

def server_benchmarks(database, uri, env, selected, calls, login, password,
        workdir):
    results = {}
    probes = {}  # (benchmark, figure...) -> probe, when counting from logs
    crm, crm_probes = {}, {}
    server = Server(database, env, workdir)
    log(f'starting trytond on {server.url}')
    try:
        server.wait()
        basic = server.proxy(login, password)
        rows = len(call(basic))  # loads the pool's caches
        if 'server_rss' in selected:
            results['server_rss'] = {'rss_mib': server.rss_mib()}
        if not RPC_BENCHMARKS & set(selected):
            return results
        with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
            counter = StatementCounter(conn)
            if 'rpc_latency' in selected:
                results['rpc_latency'] = rpc_latency(server, basic, conn,
                    counter, calls, login, password, rows)
                if not counter.available:
                    probes[('rpc_latency', 'basic')] = (
                        lambda s: lambda p=s.proxy(login, password): call(p))
                    probes[('rpc_latency', 'session')] = (
                        lambda s: lambda p=s.session_proxy(
                            login, password): call(p))
            if 'approval_waiting' in selected:
                results['approval_waiting'], more = (
                    dealer_base_bench.approval_waiting(
                        server, conn, counter, calls, WARMUP))
                probes.update(more)
            crm, crm_probes = dealer_crm_bench.run(server, conn, counter,
                calls, WARMUP, selected)
            results.update(crm)
            if not counter.available:
                probes.update(crm_probes)
            if 'server_rss' in selected:
                results['server_rss']['rss_after_calls_mib'] = (
                    server.rss_mib())
    finally:
        server.stop()
    for bench in RPC_BENCHMARKS & set(results):
        if counter.available:
            results[bench]['statements_source'] = 'pg_stat_statements'
        else:
            results[bench]['pg_stat_statements'] = (
                'not available (not in shared_preload_libraries)')
            results[bench]['statements_source'] = (
                f"trytond's SQL debug log, {COUNT_CALLS} calls on a second "
                'server')
    if probes:
        log('counting statements from trytond\'s SQL log (a second server)')
        for key, n in count_from_trytond_log(
                database, env, workdir, probes).items():
            at(results, key)['statements_per_call'] = n
    if crm:
        dealer_crm_bench.explain(database, uri, env, workdir, results,
            crm_probes)
    return results


def rpc_latency(server, basic, conn, counter, calls, login, password, rows):
    latency = {'calls': calls, 'rows_returned': rows,
        'login': login, 'warmup_calls': WARMUP}
    for kind in ('basic', 'session'):
        proxy = (basic if kind == 'basic'
            else server.session_proxy(login, password))
        timed(lambda: call(proxy), WARMUP)
        log(f'rpc_latency: {calls} calls ({kind} auth)')
        samples, n = counter.timed(lambda: call(proxy), calls)
        latency[kind] = percentiles(samples)
        if n is not None:
            latency[kind]['statements_per_call'] = n
    log(f'rpc_latency: floor, {calls} x one SQL statement')

    def floor():
        return conn.execute(FLOOR).fetchall()
    timed(floor, WARMUP)
    latency['floor'] = percentiles(timed(floor, calls))
    latency['floor']['sql'] = FLOOR
    for kind in ('basic', 'session'):
        latency[kind]['ratio_p50_to_floor'] = round(
            latency[kind]['p50_ms'] / latency['floor']['p50_ms'], 1)
    return latency


# ----------------------------------------------------------------- output

def table(report):
    lines = []

    def row(bench, figure, value, unit=''):
        lines.append(f'{bench:<19} {figure:<52} {value:>10} {unit}')
    r = report['results']
    if 'create_db' in r:
        row('create_db', 'wall time', r['create_db']['seconds'], 's')
    if 'generate' in r:
        g = r['generate']
        row('generate', 'ORM (companies, salespeople, products)',
            g['orm_seconds'], 's')
        for t in g['tables']:
            row('generate', f"{t['label']} ({t['table']})",
                t['rows_per_s'], f"rows/s ({t['rows']} rows)")
    if 'server_rss' in r:
        for key, label in [('rss_mib', 'VmRSS after one call'),
                ('rss_after_calls_mib', 'VmRSS after the latency calls')]:
            if key in r['server_rss']:
                row('server_rss', label, r['server_rss'][key], 'MiB')
    if 'rpc_latency' in r:
        lat = r['rpc_latency']
        for kind in ('basic', 'session'):
            k = lat[kind]
            name = f'search_read 80 rows, {kind} auth'
            ms_rows(row, 'rpc_latency', name, k)
            row('rpc_latency', f'{name} p50 / floor p50',
                k['ratio_p50_to_floor'], 'x')
            row('rpc_latency', f'{name} SQL statements/call',
                k.get('statements_per_call', 'n/a'))
        ms_rows(row, 'rpc_latency', 'floor (one SQL statement)', lat['floor'],
            ('p50', 'p95'))
        if 'pg_stat_statements' in lat:
            lines.append(f"{'':<16} pg_stat_statements: "
                f"{lat['pg_stat_statements']}")
        lines.append(f"{'':<16} statements counted from: "
            f"{lat['statements_source']}")
    if 'team_scope' in r:
        t = r['team_scope']
        name = f"get_team, team of {t['team_size']}"
        for what, label in [('get_team', name),
                ('domain_get', f"domain_get({t['domain_get']['model']})"),
                ('search_count', 'search_count([]) of requests '
                    f"({t.get('approval_requests_visible')} of "
                    f"{t.get('approval_requests')})")]:
            for kind in ('cold', 'warm') if what in t else ():
                ms_rows(row, 'team_scope', f'{label} {kind}', t[what][kind],
                    ('p50', 'p95'))
            if what in t:
                row('team_scope', f'{label} cold SQL statements',
                    t[what]['cold']['statements'])
        ms_rows(row, 'team_scope', 'floor (one WITH RECURSIVE)', t['floor'],
            ('p50', 'p95'))
        for kind in ('cold', 'warm'):
            row('team_scope', f'get_team {kind} p50 / floor p50',
                t['get_team'][kind]['ratio_p50_to_floor'], 'x')
        lines.append(f"{'':<16} measured inside trytond (Transaction().start "
            f"with the Pool), not over RPC; {t['runs']} runs each, every run "
            'a fresh transaction')
    if 'approval_waiting' in r:
        a = r['approval_waiting']
        for scope, _, _ in dealer_base_bench.APPROVERS:
            e = a[f'{scope}_scope']
            for what, label in [('first_page', 'first page 80 rows'),
                    ('count', f"search_count ({e['waiting_for_me']})")]:
                k = e[what]
                name = f'{label}, {scope} scope'
                ms_rows(row, 'approval_waiting', name, k)
                row('approval_waiting', f'{name} SQL statements/call',
                    k.get('statements_per_call', 'n/a'))
                ms_rows(row, 'approval_waiting', f'{name} floor', k['floor'],
                    ('p50', 'p95'))
                row('approval_waiting', f'{name} p50 / floor p50',
                    k['ratio_p50_to_floor'], 'x')
        lines.append(f"{'':<16} {a['requests']} requests, {a['waiting']} "
            'waiting; XML-RPC, session auth; statements counted from: '
            f"{a['statements_source']}")
    dealer_crm_bench.table(r, row, lines)
    dealer_finance_bench.table(r, row, lines)
    dealer_finance_ageing_bench.table(r, row, lines)
    dealer_leasing_bench.table(r, row, lines)
    crm = [b for b in dealer_crm_bench.BENCHMARKS if b in r]
    if crm:
        lines.append(f"{'':<16} {', '.join(crm)}: XML-RPC, session auth, "
            "the user's preferences as context; statements counted from: "
            f"{r[crm[0]]['statements_source']}")
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', help='comma-separated: '
        + ', '.join(BENCHMARKS))
    generate.add_count_arguments(parser)
    dealer_finance_bench.add_arguments(parser)
    dealer_finance_ageing_bench.add_arguments(parser)
    load.add_arguments(parser)
    parser.add_argument('--calls', type=int, default=1000,
        help='timed RPC calls per authentication kind or approver, and '
        'team_scope runs (default 1000)')
    parser.add_argument('--keep', action='store_true',
        help='keep the bench database')
    parser.add_argument('--database', help='use this existing, already '
        'generated bench_* database instead of creating one (never dropped)')
    parser.add_argument('--name', help='results file name (default: the '
        'scale)')
    args = parser.parse_args()
    # The load test is long and runs its own servers: asked for, alone.
    selected = args.only.split(',') if args.only else [
        b for b in BENCHMARKS if b not in load.BENCHMARKS]
    unknown = set(selected) - set(BENCHMARKS)
    if unknown:
        parser.error(f'unknown benchmark(s): {", ".join(sorted(unknown))}')
    if args.database and not args.database.startswith('bench_'):
        parser.error('--database must name a bench_* database')
    if args.calls < 2:
        parser.error('--calls must be at least 2')
    if set(selected) & set(load.BENCHMARKS):
        if len(selected) > 1:
            parser.error('load runs alone: --only load')
        load.run(args)
        return

    uri = bench_uri()
    env = dict(os.environ, TRYTOND_DATABASE__URI=uri)
    if sys.flags.optimize:
        # The servers and the generator run as we do.
        env['PYTHONOPTIMIZE'] = str(sys.flags.optimize)
    counts = generate.counts_from(args)
    explicit = any(getattr(args, k) is not None for k in counts)
    scale = 'custom' if explicit else args.scale
    stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
    import trytond
    with admin_connection(uri) as conn:
        pg_version = conn.execute('SHOW server_version').fetchone()[0]
    report = {
        'name': args.name or scale,
        'timestamp': stamp,
        'benchmarks': selected,
        'scale': {'preset': scale, **counts},
        'python_optimize': sys.flags.optimize,
        'trytond': trytond.__version__,
        # libpq wrapper of the run and its servers: 'python' (ctypes) or
        # 'binary'/'c'; it weighs on every row trytond reads
        'psycopg': f'{psycopg.__version__} ({psycopg.pq.__impl__})',
        'postgresql': pg_version,
        'machine': machine(),
        'calls': args.calls,
        'results': {},
        }
    what = (f'database {args.database}' if args.database
        and 'generate' not in selected else f"scale {scale} ("
        + ', '.join(f'{v} {k}' for k, v in counts.items()) + ')')
    log(f"{what}, python -O: {'yes' if sys.flags.optimize else 'no'}, trytond "
        f"{trytond.__version__}, {report['machine']['nproc']} CPUs, "
        f"{report['machine']['ram_mib']} MiB RAM")

    results = report['results']
    need_server = ({'server_rss'} | RPC_BENCHMARKS) & set(selected)
    finance = set(dealer_finance_bench.BENCHMARKS) & set(selected)
    finance |= set(dealer_finance_ageing_bench.BENCHMARKS) & set(selected)
    leasing = set(dealer_leasing_bench.BENCHMARKS) & set(selected)
    database = args.database
    created = False
    try:
        if not database:
            database = f"bench_{stamp.replace('-', '_')}"
            created = True
            figures = create_db(uri, database, env)
            if 'create_db' in selected:
                results['create_db'] = figures
        if 'generate' in selected or ((need_server or 'team_scope' in selected
                    or finance or leasing) and not args.database):
            results['generate'] = run_generate(database, counts, env)
        elif args.database:
            report['scale'] = {'preset': 'existing database',
                **table_rows(uri, database)}
        if 'approval_waiting' in selected:
            approval_data = dealer_base_bench.run_approval_data(
                database, env)
        if 'team_scope' in selected:
            log('team_scope: inside trytond (Transaction().start, the Pool), '
                'not over RPC')
            results['team_scope'] = dealer_base_bench.run_team_scope(
                database, env, min(args.calls, dealer_base_bench.TEAM_RUNS))
        if 'finance_penalty_accrual' in selected:
            log('finance_penalty_accrual: inside trytond (Transaction().start, '
                'the Pool), not over RPC')
            results['finance_penalty_accrual'] = (
                dealer_finance_bench.run_penalty_accrual(database, env,
                    dealer_finance_bench.plans_from(args)))
        if 'finance_receivable_ageing' in selected:
            log('finance_receivable_ageing: inside trytond '
                '(Transaction().start, the Pool), not over RPC')
            results['finance_receivable_ageing'] = (
                dealer_finance_ageing_bench.run_ageing(database, env,
                    dealer_finance_ageing_bench.lines_from(args),
                    min(args.calls, dealer_finance_ageing_bench.RUNS)))
        if leasing:
            results.update(dealer_leasing_bench.run(database, uri, env,
                    leasing, args.calls, WARMUP))
        if need_server:
            with tempfile.TemporaryDirectory(prefix='dealer-bench-') as tmp:
                results.update(server_benchmarks(database, uri, env,
                        selected, args.calls, generate.LOGIN.format(1),
                        generate.PASSWORD, tmp))
        if 'approval_waiting' in selected:
            results['approval_waiting']['data'] = approval_data
    finally:
        release_database(uri, database, created, args.keep, report)
    scale = report['scale']['preset']
    counts = {k: v for k, v in report['scale'].items() if k != 'preset'}

    print(f"\nscale: {scale} ({', '.join(f'{v} {k}' for k, v in counts.items())})"
        f" | python -O: {'yes' if sys.flags.optimize else 'no'}"
        f" | trytond {trytond.__version__} | PostgreSQL {pg_version}"
        f" | psycopg {report['psycopg']}"
        f" | {report['machine']['nproc']} CPUs, "
        f"{report['machine']['ram_mib']} MiB RAM")
    print(table(report))
    path = write_results(report)
    print(f'\nwritten: {os.path.relpath(path, ROOT)} and '
        'bench/results/latest.json')


if __name__ == '__main__':
    main()
