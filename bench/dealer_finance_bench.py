#!/usr/bin/env python3
"""dealer_finance benchmarks, dispatched to by bench/run.py.

finance_penalty_accrual  the nightly overdue penalty accrual
                  (dealer.penalty.accrual.accrue_all, addons/dealer_finance/
                  penalty.py) over the open instalments of --plans payment
                  plans of 10 instalments each (20,000 plans, 200,000
                  instalments at the issue's scale), half of them overdue,
                  inside trytond (Transaction().start with the Pool, as the
                  cron runs it, not over RPC): the first run for a date, the
                  re-run for the same date (idempotent: books nothing), and
                  a catch-up run after skipping 7 days; each with its floor,
                  the same booking as one set-based SQL statement through
                  psycopg (and the same totals as one SELECT), and the count
                  of instalments whose ORM total differs from the floor's.

The data is added to a generated database the first time (plans,
instalments, receipts and allocations by COPY, the companies' finance
settings by the ORM) and found again in a kept database, where the earlier
runs' accruals are cleared first. Figures are printed as JSON on the last
line:

    python bench/dealer_finance_bench.py penalty_accrual --database bench_x \
        --plans 20000 [--profile]
"""
import argparse
import calendar
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import sys
import time
from decimal import Decimal
from random import Random
from types import SimpleNamespace

import psycopg

import generate
from harness import (DEFAULT_URI, SQLMeter, add_count_argument, by_scale,
    log, met, print_json, run_json, trytond_pool)

BENCHMARKS = ['finance_penalty_accrual']
# Counted in a --database run's scale, beside the generator's tables
TABLES = ['dealer_payment_plan', 'dealer_payment_plan_line',
    'dealer_payment_allocation', 'dealer_penalty_accrual']
# Plans (of INSTALMENTS instalments each) per generator preset; --plans
# overrides. 20,000 x 10 = the 200,000 open instalments.
PLANS = {'small': 2000, 'medium': 10000, 'large': 20000, 'crm': 20000}
INSTALMENTS = 10
NUMBER = 'BENCH-{:06d}'  # the generated plans' numbers
# The companies' settings (dealer.finance.settings)
SETTINGS = {'penalty_rate': Decimal('0.0005'), 'grace_days': 3,
    'penalty_minimum': Decimal(0), 'penalty_cap': None,
    'penalty_compound': False}
# Contract overrides: plan j gets the terms of the first k with
# j % k == r (the others keep the company's, NULL)
OVERRIDES = [
    (20, 1, {'penalty_rate': Decimal('0.0008')}),
    (25, 2, {'penalty_cap': Decimal(10)}),
    (50, 3, {'penalty_compound': 'yes'}),
    (40, 4, {'penalty_minimum': Decimal(20000), 'grace_days': 0}),
    (100, 5, {'penalty_compound': 'no'}),
    ]
SKIPPED_DAYS = 7  # the catch-up run comes after this many days without run
GOAL_RATIO = 3  # the issue: the ORM run within 3x its floor
FLOOR_RUNS = 3  # each floor is timed this many times (median kept)
PROFILE_TOP = 25

# The per-instalment totals the job books for a date, as one statement.
# terms: the candidates the job selects (its WHERE, line for line) with the
# plan's terms, else the company's settings, else the settings' defaults.
# days: the first day bearing penalty (due date + grace + 1) carrying what was
# paid up to it, and each later payment day up to the run date; each opens
# a stretch whose unpaid amount is the instalment less the running sum of the
# payments (a window), lasting to the next day (lead) or the run date. A
# stretch below the minimum (or paid off) bears nothing. Simple interest:
# unpaid x rate x days; compound (the penalty bears penalty): the closed
# form of the job's recurrence, unpaid x ((1+r)^(days+later) - (1+r)^later)
# where later = the days of the bearing stretches after it (a window).
# Capped as a percentage of the instalment (LEAST ignores a NULL cap),
# rounded half up to the currency once.
TOTALS = '''
terms AS (
    SELECT l.id, l.amount, COALESCE(l.penalty_accrued, 0) AS booked,
        l.due_date + (COALESCE(p.grace_days, s.grace_days, 0) + 1) AS start,
        COALESCE(p.penalty_rate, s.penalty_rate, 0.0005) AS rate,
        COALESCE(p.penalty_minimum, s.penalty_minimum, 0) AS minimum,
        COALESCE(p.penalty_cap, s.penalty_cap) AS cap,
        CASE p.penalty_compound WHEN 'yes' THEN true WHEN 'no' THEN false
            ELSE COALESCE(s.penalty_compound, false) END AS compound,
        c.rounding
    FROM dealer_payment_plan_line l
    JOIN dealer_payment_plan p ON p.id = l.plan
    JOIN currency_currency c ON c.id = p.currency
    LEFT JOIN dealer_finance_settings s ON s.company = p.company
    WHERE p.state IN ('running', 'closed')
        AND l.due_date < %(until)s
        AND (l.penalty_date IS NULL OR l.penalty_date < %(until)s)
        AND (l.unpaid_amount > 0
            OR l.paid_date > COALESCE(l.penalty_date, l.due_date))
    ),
days AS (
    SELECT id, day, sum(paid) AS paid FROM (
        SELECT t.id, t.start AS day, 0 AS paid FROM terms t
        WHERE t.start <= %(until)s AND t.rate <> 0
        UNION ALL
        SELECT t.id, GREATEST(a.date, t.start), a.amount
        FROM terms t
        JOIN dealer_payment_allocation a ON a.instalment = t.id
        WHERE t.start <= %(until)s AND t.rate <> 0 AND a.date <= %(until)s
        ) AS points
    GROUP BY id, day
    ),
stretches AS (
    SELECT d.id, d.day, t.rate, t.compound,
        t.amount - sum(d.paid) OVER w AS unpaid,
        COALESCE(lead(d.day) OVER w, %(until)s + 1) - d.day AS days,
        t.minimum
    FROM days d JOIN terms t ON t.id = d.id
    WINDOW w AS (PARTITION BY d.id ORDER BY d.day)
    ),
bearing AS (
    SELECT id, day, rate, compound, unpaid,
        CASE WHEN unpaid > 0 AND unpaid >= minimum THEN days ELSE 0 END
            AS days
    FROM stretches
    ),
penalties AS (
    SELECT id, sum(CASE WHEN NOT compound THEN unpaid * rate * days
            ELSE unpaid * (power(1 + rate, days + later)
                - power(1 + rate, later)) END) AS penalty
    FROM (SELECT *, COALESCE(sum(days) OVER (PARTITION BY id ORDER BY day
                    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0)
                AS later
            FROM bearing) AS b
    GROUP BY id
    ),
totals AS (
    SELECT t.id, t.booked, ROUND(LEAST(COALESCE(p.penalty, 0),
                    t.amount * t.cap / 100) / t.rounding) * t.rounding
            AS total
    FROM terms t LEFT JOIN penalties p ON p.id = t.id
    )'''
# The floor: the job's booking as one statement (an accrual row where the
# total changed, every candidate's total and date)
FLOOR_BOOK = 'WITH' + TOTALS + ''',
accruals AS (
    INSERT INTO dealer_penalty_accrual (instalment, date, amount, total,
        create_uid, create_date)
    SELECT id, %(until)s, total - booked, total, 0,
        now() AT TIME ZONE 'UTC'
    FROM totals WHERE total <> booked
    )
UPDATE dealer_payment_plan_line AS l
SET penalty_accrued = t.total, penalty_date = %(until)s, write_uid = 0,
    write_date = now() AT TIME ZONE 'UTC'
FROM totals t WHERE l.id = t.id'''
# The same totals, read (to compare with the ORM's, and as a second floor)
FLOOR_SELECT = 'WITH' + TOTALS + '\nSELECT id, total FROM totals'


def add_arguments(parser):
    "run.py's flags for these benchmarks"
    add_count_argument(parser, '--plans',
        'finance_penalty_accrual: payment plans of 10 instalments', PLANS)


def plans_from(args):
    return by_scale(args.plans, args.scale, PLANS)


def add_months(date, months, day):
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


# ------------------------------------------------------------------ data

def _settings(database):
    "The companies' finance settings, by the ORM (SETTINGS)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        Company = pool.get('company.company')
        values = {k: v for k, v in SETTINGS.items()}
        existing = {s.company.id: s for s in Settings.search([])}
        to_write = [existing[c.id] for c in Company.search([])
            if c.id in existing]
        if to_write:
            Settings.write(to_write, values)
        Settings.create([dict(values, company=c.id)
                for c in Company.search([]) if c.id not in existing])
        transaction.commit()


def penalty_data(database, uri, plans, seed=17):
    """plans payment plans of INSTALMENTS instalments on the generated
    customers (COPY), all open, their due dates spread over the year before
    and the year after the first run's date so that half are overdue; one
    instalment in four has a partial payment, one in ten two; return what
    was added, or None if the data is there already"""
    with psycopg.connect(uri, dbname=database) as conn:
        found = conn.execute('SELECT count(*) FROM dealer_payment_plan '
            'WHERE number LIKE %s', ('BENCH-%',)).fetchone()[0]
    if found >= plans:
        if found > plans:
            log(f'finance_penalty_accrual: {found} plans found (more than '
                f'{plans}): measuring them all')
        return None
    start = time.perf_counter()
    log(f'finance_penalty_accrual: adding {plans - found} payment plans of '
        f'{INSTALMENTS} instalments' + (f' to the {found} there' if found
            else ''))
    if not found:
        _settings(database)
    rng = Random(seed + found)
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    # The first run's date: the catch-up run (SKIPPED_DAYS later) is for
    # yesterday, as the nightly job's.
    first_run = yesterday - dt.timedelta(days=SKIPPED_DAYS + 1)
    with psycopg.connect(uri, dbname=database) as conn:
        currencies = dict(conn.execute(
                'SELECT id, currency FROM company_company'))
        customers = conn.execute('SELECT id, company, owner FROM party_party '
            'WHERE is_customer AND company IS NOT NULL ORDER BY id'
            ).fetchall()
        if not customers:
            raise SystemExit('[bench] finance_penalty_accrual needs '
                'generated customers (--customers)')
        sellers = {}
        for employee, company in conn.execute(
                'SELECT e.id, e.company FROM company_employee e '
                'JOIN res_user u ON u.employee = e.id '
                "WHERE u.login LIKE 'sales\\_%%' ORDER BY e.id"):
            sellers.setdefault(company, employee)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        plan_rows, line_rows, payment_rows = [], [], []
        for j in range(found, plans):
            customer, company, owner = customers[j % len(customers)]
            terms = {}
            for k, r, override in OVERRIDES:
                if j % k == r:
                    terms = override
                    break
            total = Decimal(rng.randrange(20_000_000, 300_000_000)) / 100
            # first due date: 12 months before to 3 months after the first
            # run; 10 monthly instalments, so half are due before it
            first = first_run + dt.timedelta(days=rng.randint(-365, 91))
            day = first.day
            share = (total / INSTALMENTS).quantize(Decimal('0.01'))
            plan_rows.append((0, now, NUMBER.format(j + 1), company,
                    customer, owner or sellers[company], currencies[company],
                    total, 'running', terms.get('penalty_rate'),
                    terms.get('grace_days'), terms.get('penalty_minimum'),
                    terms.get('penalty_cap'), terms.get('penalty_compound')))
            for n in range(INSTALMENTS):
                amount = (share if n < INSTALMENTS - 1
                    else total - share * (INSTALMENTS - 1))
                due = add_months(first, n, day)
                payments = []
                draw = rng.random()
                for _ in range(1 if draw < 0.25 else 2 if draw < 0.35 else 0):
                    date = due + dt.timedelta(days=rng.randint(-15, 120))
                    if date <= yesterday:
                        payments.append((date, (amount * Decimal(
                                        rng.uniform(0.1, 0.45))).quantize(
                                    Decimal('0.01'))))
                paid = sum((a for _, a in payments), Decimal(0))
                line_rows.append((j - found, n + 1, due, amount, paid,
                        amount - paid))
                payment_rows.extend((j - found, len(line_rows) - 1, d, a,
                        company,
                        currencies[company]) for d, a in payments)
        ctx = SimpleNamespace(ids={})
        bulks = [
            generate.Bulk('plans', 'dealer_payment_plan', ('create_uid',
                    'create_date', 'number', 'company', 'customer', 'owner',
                    'currency', 'total_amount', 'state', 'penalty_rate',
                    'grace_days', 'penalty_minimum', 'penalty_cap',
                    'penalty_compound'), lambda ctx: iter(plan_rows)),
            generate.Bulk('instalments', 'dealer_payment_plan_line', (
                    'create_uid', 'create_date', 'plan', 'sequence',
                    'due_date', 'amount', 'paid_amount', 'unpaid_amount',
                    'penalty_accrued', 'penalty_waived', 'penalty_charged'),
                lambda ctx: ((0, now, ctx.ids['plans'][j], n, due, amount,
                        paid, unpaid, 0, 0, 0)
                    for j, n, due, amount, paid, unpaid in line_rows)),
            # one receipt per payment, posted
            generate.Bulk('receipts', 'dealer_payment_receipt', (
                    'create_uid', 'create_date', 'plan', 'company', 'date',
                    'amount', 'currency', 'plan_amount', 'state'),
                lambda ctx: ((0, now, ctx.ids['plans'][j], company, date,
                        amount, currency, amount, 'posted')
                    for j, _, date, amount, company, currency
                    in payment_rows)),
            generate.Bulk('allocations', 'dealer_payment_allocation', (
                    'create_uid', 'create_date', 'receipt', 'instalment',
                    'date', 'amount'),
                lambda ctx: ((0, now, receipt, ctx.ids['instalments'][k],
                        date, amount)
                    for receipt, (_, k, date, amount, _, _) in zip(
                        ctx.ids['receipts'], payment_rows))),
            ]
        tables = {}
        for bulk in bulks:
            begin = time.perf_counter()
            n = generate._load(conn, bulk, ctx)
            seconds = time.perf_counter() - begin
            tables[bulk.table] = {'rows': n, 'seconds': round(seconds, 1)}
            log(f'  {bulk.label:<26} {n:>9} rows  '
                f'{n / seconds:>9.0f} rows/s')
        conn.autocommit = True
        for bulk in bulks:
            conn.execute(f'VACUUM ANALYZE "{bulk.table}"')
    return {'seconds': round(time.perf_counter() - start, 1),
        'tables': tables}


def _reset(conn):
    """Clear what earlier runs booked on the generated plans (a kept
    database); return the accrual rows deleted"""
    deleted = conn.execute('DELETE FROM dealer_penalty_accrual a '
        'USING dealer_payment_plan_line l, dealer_payment_plan p '
        'WHERE a.instalment = l.id AND l.plan = p.id '
        'AND p.number LIKE %s', ('BENCH-%',)).rowcount
    conn.execute('UPDATE dealer_payment_plan_line l SET penalty_accrued = 0, '
        'penalty_date = NULL FROM dealer_payment_plan p '
        'WHERE l.plan = p.id AND p.number LIKE %s '
        'AND (l.penalty_date IS NOT NULL OR l.penalty_accrued <> 0)',
        ('BENCH-%',))
    conn.commit()
    return deleted


def _vacuum(conn):
    autocommit, conn.autocommit = conn.autocommit, True
    for table in ('dealer_payment_plan_line', 'dealer_penalty_accrual'):
        conn.execute(f'VACUUM ANALYZE "{table}"')
    conn.autocommit = autocommit


# ------------------------------------------------------------ measuring

def _memory():
    "VmRSS and VmHWM (peak) of this process, MiB"
    values = {}
    with open('/proc/self/status') as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'VmHWM'):
                values[key] = round(int(value.split()[0]) / 1024, 1)
    return values


def _reset_peak():
    "Start the peak RSS (VmHWM) again from the current RSS, if allowed"
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def _orm_run(database, until, profile=False):
    """accrue_all(until) in its own transaction, committed, as the cron
    runs it (user root): seconds (commit included), instalments changed,
    statements, seconds inside the cursor's execute, memory"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Accrual = Pool(database).get('dealer.penalty.accrual')
    before = _memory()
    peak = _reset_peak()
    profiler = cProfile.Profile() if profile else None
    with SQLMeter() as meter:
        begin = time.perf_counter()
        with Transaction().start(database, 0) as transaction:
            if profiler:
                profiler.enable()
            changed = Accrual.accrue_all(until)
            transaction.commit()
            if profiler:
                profiler.disable()
        seconds = time.perf_counter() - begin
    after = _memory()
    result = {'until': until.isoformat(), 'seconds': round(seconds, 3),
        'instalments_changed': changed, 'statements': meter.statements,
        'sql_seconds': round(meter.seconds, 3),
        'python_seconds': round(seconds - meter.seconds, 3),
        'rss_before_mib': before['VmRSS'], 'rss_after_mib': after['VmRSS']}
    if peak:
        result['peak_rss_mib'] = after['VmHWM']
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats('cumulative').print_stats(PROFILE_TOP)
        stats.sort_stats('tottime').print_stats(PROFILE_TOP)
        result['profile'] = out.getvalue()
    return result


def _floor(conn, until):
    """The floors for a date, on the current state: the booking statement
    FLOOR_RUNS times, each rolled back (and the table vacuumed after), and
    the SELECT of the totals FLOOR_RUNS times; return the figures and the
    totals {instalment: total}"""
    params = {'until': until}
    totals = dict(conn.execute(FLOOR_SELECT, params).fetchall())  # warm
    conn.rollback()
    select = []
    for _ in range(FLOOR_RUNS):
        begin = time.perf_counter()
        rows = conn.execute(FLOOR_SELECT, params).fetchall()
        select.append(time.perf_counter() - begin)
        conn.rollback()
    book, booked = [], None
    for _ in range(FLOOR_RUNS):
        begin = time.perf_counter()
        booked = conn.execute(FLOOR_BOOK, params).rowcount
        book.append(time.perf_counter() - begin)
        conn.rollback()
        _vacuum(conn)
    return {
        'book': {'seconds': round(statistics.median(book), 3),
            'runs': [round(s, 3) for s in book],
            'instalments_updated': booked},
        'select': {'seconds': round(statistics.median(select), 3),
            'runs': [round(s, 3) for s in select], 'rows': len(rows)},
        }, totals


def _booked(conn):
    "penalty_accrued of the generated instalments"
    return dict(conn.execute('SELECT l.id, l.penalty_accrued '
            'FROM dealer_payment_plan_line l '
            'JOIN dealer_payment_plan p ON p.id = l.plan '
            'WHERE p.number LIKE %s', ('BENCH-%',)).fetchall())


def _compare(conn, floor_totals, before):
    """Instalments whose booked total differs from the floor's: those the
    floor computed, and the others must be unchanged"""
    after = _booked(conn)
    mismatches = [i for i, total in floor_totals.items()
        if after.get(i) != total]
    unchanged = [i for i, total in after.items()
        if i not in floor_totals and total != before.get(i)]
    return {'compared': len(floor_totals),
        'mismatches': len(mismatches) + len(unchanged),
        'mismatch_sample': [{'instalment': i, 'orm': str(after.get(i)),
                'floor': str(floor_totals.get(i, before.get(i)))}
            for i in (mismatches + unchanged)[:5]]}


def _ledger(conn):
    """Instalments whose accrual rows do not add up to their total, or whose
    last row's total is not it"""
    return conn.execute('''
        SELECT count(*) FROM dealer_payment_plan_line l
        JOIN dealer_payment_plan p ON p.id = l.plan
        LEFT JOIN (SELECT instalment, sum(amount) AS amount,
                (array_agg(total ORDER BY date DESC, id DESC))[1] AS last
            FROM dealer_penalty_accrual GROUP BY instalment) a
            ON a.instalment = l.id
        WHERE p.number LIKE %s
            AND (COALESCE(a.amount, 0) <> l.penalty_accrued
                OR COALESCE(a.last, 0) <> l.penalty_accrued)''',
        ('BENCH-%',)).fetchone()[0]


def _accrual_rows(conn):
    return conn.execute('SELECT count(*) FROM dealer_penalty_accrual'
        ).fetchone()[0]


def penalty_accrual(database, uri, plans, profile=False):
    os.environ['TRYTOND_DATABASE__URI'] = uri
    trytond_pool(database)
    result = {'inside_trytond': True, 'method':
        'dealer.penalty.accrual.accrue_all(date)', 'user': 'root (0), as '
        'the cron', 'settings': {k: str(v) if v is not None else None
            for k, v in SETTINGS.items()},
        'overrides': [{'plans': f'j % {k} == {r}', **{
                    n: str(v) for n, v in o.items()}}
            for k, r, o in OVERRIDES]}
    data = penalty_data(database, uri, plans)
    if data:
        result['data'] = data
    with psycopg.connect(uri, dbname=database) as conn:
        cleared = _reset(conn)
        if cleared:
            log(f'finance_penalty_accrual: cleared {cleared} accrual rows of '
                'earlier runs')
            result['cleared_accrual_rows'] = cleared
        _vacuum(conn)
        # The first run's date: the generator's (the catch-up run's date,
        # yesterday when generated, less SKIPPED_DAYS + 1), found again from
        # the data in a kept database: the median due date, so that half
        # the open instalments are overdue.
        until = conn.execute('SELECT percentile_disc(0.5) WITHIN GROUP '
            '(ORDER BY l.due_date) FROM dealer_payment_plan_line l '
            'JOIN dealer_payment_plan p ON p.id = l.plan '
            'WHERE p.number LIKE %s', ('BENCH-%',)).fetchone()[0]
        counts = conn.execute('''
            SELECT count(DISTINCT p.id), count(*),
                count(*) FILTER (WHERE l.unpaid_amount > 0),
                count(*) FILTER (WHERE l.unpaid_amount > 0
                    AND l.due_date < %(until)s),
                count(*) FILTER (WHERE l.unpaid_amount > 0
                    AND l.due_date + COALESCE(p.grace_days, s.grace_days, 0)
                        < %(until)s),
                count(DISTINCT p.company)
            FROM dealer_payment_plan_line l
            JOIN dealer_payment_plan p ON p.id = l.plan
            LEFT JOIN dealer_finance_settings s ON s.company = p.company
            WHERE p.number LIKE %(number)s''',
            {'until': until, 'number': 'BENCH-%'}).fetchone()
        (result['plans'], result['instalments'], result['open_instalments'],
            result['overdue_instalments'], result['bearing_penalty'],
            result['companies']) = counts
        result['allocations'], result['allocations_until'] = conn.execute(
            'SELECT count(*), count(*) FILTER (WHERE a.date <= %s) '
            'FROM dealer_payment_allocation a', (until,)).fetchone()
        result['until'] = until.isoformat()
        conn.commit()

        def measured(label, until):
            "floors, then the ORM run, then its checks"
            log(f'finance_penalty_accrual: {label} for {until}: the floors '
                f'({FLOOR_RUNS} runs each)')
            floor, totals = _floor(conn, until)
            before = _booked(conn)
            rows = _accrual_rows(conn)
            conn.commit()
            log(f'finance_penalty_accrual: {label} for {until}: accrue_all')
            run = _orm_run(database, until, profile and label == 'first_run')
            run['accrual_rows_added'] = _accrual_rows(conn) - rows
            run.update(_compare(conn, totals, before))
            conn.commit()
            run['floor'] = floor
            floor['book']['accrual_rows'] = sum(
                1 for i, t in totals.items() if t != before.get(i))
            run['ratio_to_floor'] = round(
                run['seconds'] / floor['book']['seconds'], 2)
            run['ratio_to_select_floor'] = round(
                run['seconds'] / floor['select']['seconds'], 2)
            return run

        first = result['first_run'] = measured('first_run', until)
        for key, n in [('open_per_s', result['open_instalments']),
                ('overdue_per_s', result['overdue_instalments'])]:
            first[key] = round(n / first['seconds'])
        first['ledger_mismatches'] = _ledger(conn)
        log(f'finance_penalty_accrual: re-run for {until} (the same date)')
        rows = _accrual_rows(conn)
        before = _booked(conn)
        conn.commit()
        again = result['rerun_same_date'] = _orm_run(database, until)
        again['accrual_rows_added'] = _accrual_rows(conn) - rows
        again.update(_compare(conn, {}, before))
        again['idempotent'] = (again['accrual_rows_added'] == 0
            and again['mismatches'] == 0)
        conn.commit()
        catch_up = dt.date.fromordinal(until.toordinal() + SKIPPED_DAYS + 1)
        last = result['catch_up'] = measured('catch_up', catch_up)
        last['skipped_days'] = SKIPPED_DAYS
        last['overdue_instalments'] = conn.execute(
            'SELECT count(*) FROM dealer_payment_plan_line l '
            'JOIN dealer_payment_plan p ON p.id = l.plan '
            'WHERE p.number LIKE %s AND l.unpaid_amount > 0 '
            'AND l.due_date < %s', ('BENCH-%', catch_up)).fetchone()[0]
        last['overdue_per_s'] = round(
            last['overdue_instalments'] / last['seconds'])
        last['ledger_mismatches'] = _ledger(conn)
        conn.commit()
    result['goal'] = {'ratio_to_floor_max': GOAL_RATIO,
        'first_run': met(first['ratio_to_floor'] <= GOAL_RATIO),
        'catch_up': met(last['ratio_to_floor'] <= GOAL_RATIO)}
    result['floor_sql'] = FLOOR_BOOK
    return result


# ---------------------------------------------------------------- output

def table(r, row, lines):
    "Rows of run.py's table"
    if 'finance_penalty_accrual' not in r:
        return
    f = r['finance_penalty_accrual']
    name = 'penalty_accrual'
    for key, label in [('first_run', 'first run'),
            ('rerun_same_date', 're-run'), ('catch_up', 'catch-up')]:
        e = f[key]
        row(name, f"{label} to {e['until']}: wall", e['seconds'], 's')
        row(name, f'{label}: instalments changed',
            e['instalments_changed'])
        row(name, f'{label}: SQL statements', e['statements'],
            f"({e['sql_seconds']} s in execute)")
        if 'floor' in e:
            row(name, f'{label}: floor, one booking statement',
                e['floor']['book']['seconds'], 's')
            row(name, f'{label}: floor, one SELECT of the totals',
                e['floor']['select']['seconds'], 's')
            row(name, f'{label}: wall / booking floor', e['ratio_to_floor'],
                f"x (goal <= {GOAL_RATIO}: {f['goal'][key]})")
            row(name, f'{label}: totals differing from the floor',
                e['mismatches'], f"of {e['compared']}")
    first = f['first_run']
    row(name, 'first run: open instalments per second', first['open_per_s'],
        f"/s ({f['open_instalments']} open)")
    row(name, 'first run: overdue instalments per second',
        first['overdue_per_s'], f"/s ({f['overdue_instalments']} overdue)")
    if 'peak_rss_mib' in first:
        row(name, 'first run: peak RSS', first['peak_rss_mib'],
            f"MiB ({first['rss_before_mib']} MiB before)")
    row(name, 're-run: accrual rows added',
        f['rerun_same_date']['accrual_rows_added'])
    lines.append(f"{'':<16} {f['plans']} plans, {f['instalments']} "
        f"instalments, {f['companies']} companies, {f['allocations']} "
        f"payments; catch-up after {SKIPPED_DAYS} days without a run; "
        'inside trytond (Transaction().start, the Pool) as the cron runs '
        'it, commit included')


# ---------------------------------------------------- run.py dispatches

def run_penalty_accrual(database, env, plans):
    return run_json('dealer_finance_bench.py', ['penalty_accrual',
            '--database', database, '--plans', str(plans)], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', choices=['penalty_accrual'])
    parser.add_argument('--database', required=True)
    parser.add_argument('--plans', type=int, default=PLANS['large'])
    parser.add_argument('--profile', action='store_true',
        help='profile the first run (cProfile; slows it) and print the '
        'profile to stderr')
    args = parser.parse_args()
    uri = os.environ.get('TRYTOND_DATABASE__URI', DEFAULT_URI)
    result = penalty_accrual(args.database, uri, args.plans, args.profile)
    profile = result['first_run'].pop('profile', None)
    if profile:
        print(profile, file=sys.stderr)
    print_json(result)


if __name__ == '__main__':
    main()
