#!/usr/bin/env python3
"""dealer_leasing benchmarks (R-LEA-02), dispatched to by bench/run.py.

leasing_idle     "idle machines of company X between two dates": the first
                 page (80 rows) of the Idle Machines list, stock.lot
                 search_read([('machine', '=', True), ('idle', '=', True),
                 ('company', '=', X)], 0, 80, None, [number, product,
                 warehouse and their names]) with from_date / to_date in
                 the context, and its search_count, over XML-RPC with a
                 session as a Sales Manager of company X (dealer_base's
                 position), a different period at each call; the floors:
                 the same rows and the same count by one SQL statement
                 each through psycopg, on the same periods
leasing_overlap  the overlap check at confirmation: the search
                 dealer.machine.booking.check_free() makes, for random
                 (machine of company X, period) pairs, inside trytond
                 (Transaction().start with the Pool) as that user with the
                 record rules (as under a button call) and without them;
                 the floor: the same statement through psycopg

The data (5,000 machines over the companies and their warehouses, 50,000
lease bookings over three years, open-ended sale and finance bookings, a
few repairs) is added to a generated database the first time, by COPY, and
found again in a kept database. Goal (the issue): idle p95 < 100 ms.

    python bench/dealer_leasing_bench.py data --database bench_x
    python bench/dealer_leasing_bench.py inside --database bench_x --checks 1000
"""
import argparse
import datetime as dt
import os
import re
import tempfile
import time
from random import Random
from types import SimpleNamespace

import psycopg

import generate
from harness import (DEFAULT_URI, Server, explain as explain_plan, log, met,
    ms_rows, percentiles, print_json, run_json, time_floor, timed,
    trytond_pool)

BENCHMARKS = ['leasing_idle', 'leasing_overlap']
# Counted in a --database run's scale, beside the generator's tables
TABLES = ['stock_lot', 'dealer_machine_booking']

MACHINES = 5000
LEASES = 50_000
WAREHOUSES = 2  # per company, beside stock's default one
COMPANY_SHARES = [0.45, 0.35, 0.20]  # of the machines (more companies: even)
TURNAROUND = 2  # days, the settings' default buffer after a lease
PAST_DAYS, FUTURE_DAYS = 730, 365  # the bookings' window around today
SOLD = 0.03  # machines sold (or financed) at some date: open-ended booking
REPAIR = 0.005  # chance of a repair in a gap before a lease
REPOSSESSED = 0.01
NUMBER = 'LM-{:05d}'  # the generated machines' serial numbers
LOGIN = 'lease_manager'  # Sales Manager of company X (the first company)
PAGE = 80
DOMAIN = [('machine', '=', True), ('idle', '=', True)]  # + company = X
FIELDS = ['number', 'product', 'product.rec_name', 'warehouse',
    'warehouse.rec_name']
CHECKS = 1000  # overlap checks (random machine and period)
GOAL_P95_MS = 100
WHERE_IDLE = '''l.active AND t.machine AND l.company = %(company)s
    AND loc.type IN ('storage', 'rental')
    AND NOT EXISTS (SELECT 1 FROM dealer_machine_booking b
        WHERE b.machine = l.id AND b.start <= %(to_date)s
            AND (b.until IS NULL OR b.until >= %(from_date)s))'''
IDLE_FROM = '''stock_lot l
    JOIN stock_location loc ON loc.id = l.location
    JOIN product_product p ON p.id = l.product
    JOIN product_template t ON t.id = p.template'''
IDLE_FLOOR = ('SELECT l.id, l.number, l.product, t.name, l.warehouse, w.name '
    'FROM ' + IDLE_FROM + '''
    LEFT JOIN stock_location w ON w.id = l.warehouse
    WHERE ''' + WHERE_IDLE + '''
    ORDER BY l.id LIMIT 80''')
IDLE_COUNT_FLOOR = ('SELECT count(*) FROM ' + IDLE_FROM + '\nWHERE '
    + WHERE_IDLE)
CHECK_FLOOR = '''SELECT id FROM dealer_machine_booking
    WHERE machine = %(machine)s
        AND (until IS NULL OR until >= %(start)s)
        AND origin != %(origin)s AND start <= %(until)s
    ORDER BY start LIMIT 1'''


# ------------------------------------------------------------------ data

def _orm(database):
    """Warehouses per company (copies of stock's), and the Sales Manager of
    the first company; return the ids the rows refer to"""
    trytond_pool(database)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        Company = pool.get('company.company')
        Location = pool.get('stock.location')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        companies = Company.search([], order=[('id', 'ASC')])
        default, = Location.search([('type', '=', 'warehouse')],
            order=[('id', 'ASC')], limit=1)
        warehouses = {}
        if User.search([('login', '=', LOGIN)]):  # machines deleted since
            for wh in Location.search([('code', 'like', 'W%'),
                        ('type', '=', 'warehouse')], order=[('id', 'ASC')]):
                if not re.fullmatch(r'W\d+', wh.code or ''):
                    continue
                company = int(wh.code[1:-1])
                warehouses.setdefault(company, []).append(
                    (wh.id, wh.storage_location.id))
            companies = []
        for c in companies:
            for k in range(WAREHOUSES):
                name = f'{c.party.name[7:9]}{k + 1}号库'
                wh, = Location.copy([default], default={'name': name,
                        'code': f'W{c.id}{k + 1}'})
                warehouses.setdefault(c.id, []).append(
                    (wh.id, wh.storage_location.id))
        if not companies:
            transaction.rollback()
            return {'companies': sorted(warehouses),
                'warehouses': warehouses,
                'rental': ModelData.get_id('sale_rental', 'location_rental'),
                'customer_location': ModelData.get_id(
                    'stock', 'location_customer')}
        party, = Party.create([{'name': '租赁经理'}])
        employee, = Employee.create([{'party': party.id,
                    'company': companies[0].id,
                    'start_date': dt.date(2020, 1, 1)}])
        User.create([{'login': LOGIN, 'name': '租赁经理',
                    'password': generate.PASSWORD,
                    'companies': [('add', [companies[0].id])],
                    'company': companies[0].id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'roles': [('create', [{'role': ModelData.get_id(
                                        'dealer_base',
                                        'position_sales_manager')}])],
                    }])
        transaction.commit()
        return {
            'companies': [c.id for c in companies],
            'warehouses': warehouses,
            'rental': ModelData.get_id('sale_rental', 'location_rental'),
            'customer_location': ModelData.get_id(
                'stock', 'location_customer'),
            }


def _shares(n):
    if n <= len(COMPANY_SHARES):
        shares = COMPANY_SHARES[:n]
    else:
        shares = [1] * n
    return [s / sum(shares) for s in shares]


def _lease_days(rng):
    "A lease's length: mostly weeks, some months"
    r = rng.random()
    if r < 0.5:
        return rng.randint(3, 21)
    if r < 0.85:
        return rng.randint(22, 62)
    return rng.randint(63, 150)


def _plan(orm, products, customers, admin, today, seed=23):
    """The machines and their bookings, in memory: each machine's bookings
    follow each other with the turnaround between them and never overlap"""
    rng = Random(seed)
    companies = orm['companies']
    shares = _shares(len(companies))
    first = today - dt.timedelta(days=PAST_DAYS)
    last = today + dt.timedelta(days=FUTURE_DAYS)
    # Leases per machine: 10 on average (4 to 16), pairwise so that the
    # total is exactly LEASES
    base = LEASES // MACHINES
    counts = [base] * MACHINES
    for i in range(0, MACHINES - 1, 2):
        d = rng.randint(-min(6, base - 1), 6)
        counts[i] += d
        counts[i + 1] -= d
    counts[-1] += LEASES - sum(counts)
    machines, bookings = [], []
    n_origin = {'lease': 0, 'repair': 0, 'sale': 0, 'finance': 0}

    def origin(kind):
        n_origin[kind] += 1
        model = {'lease': 'sale.rental.line', 'repair': 'dealer.machine.repair',
            'sale': 'sale.sale', 'finance': 'dealer.finance.contract'}[kind]
        return f'{model},{n_origin[kind]}'

    bounds = [sum(shares[:k + 1]) for k in range(len(shares))]
    for i in range(MACHINES):
        company = companies[next(k for k, b in enumerate(bounds)
                if (i + 0.5) / MACHINES <= b + 1e-9)]
        warehouse, storage = rng.choice(orm['warehouses'][company])
        product = products[i % len(products)]
        own = customers.get(company) or [None]
        sold = rng.random() < SOLD
        end = last
        if sold:
            end = first + dt.timedelta(days=rng.randint(400, PAST_DAYS
                    + FUTURE_DAYS - 30))
        n = counts[i]
        lengths = [_lease_days(rng) for _ in range(n)]
        span = (end - first).days
        need = sum(l + TURNAROUND + 1 for l in lengths)
        if need > span * 0.9:
            scale = span * 0.9 / need
            lengths = [max(1, int(l * scale)) for l in lengths]
            need = sum(l + TURNAROUND + 1 for l in lengths)
        slack = span - need
        cuts = sorted(rng.uniform(0, slack) for _ in range(n))
        gaps = [int(b - a) for a, b in zip([0] + cuts, cuts)]
        cursor = first  # the first free day
        current = None  # what holds the machine today
        for gap, length in zip(gaps, lengths):
            if gap >= 6 and rng.random() < REPAIR:
                r = rng.randint(2, min(14, gap - 2))
                s = cursor + dt.timedelta(days=1)
                e = s + dt.timedelta(days=r - 1)
                bookings.append((admin, s, i, company, 'repair', s, e, e,
                        origin('repair'), None))
            start = cursor + dt.timedelta(days=gap)
            stop = start + dt.timedelta(days=length)
            until = stop + dt.timedelta(days=TURNAROUND)
            bookings.append((admin, start - dt.timedelta(days=7), i, company,
                    'lease', start, stop, until, origin('lease'),
                    rng.choice(own)))
            if start <= today <= stop:
                current = 'rental'
            cursor = until + dt.timedelta(days=1)
        if sold:
            kind = 'sale' if rng.random() < 0.5 else 'finance'
            s = max(cursor, end)
            bookings.append((admin, s - dt.timedelta(days=7), i, company,
                    kind, s, None, None, origin(kind), rng.choice(own)))
            if s <= today:
                current = 'customer'
        location = {'rental': orm['rental'],
            'customer': orm['customer_location']}.get(current, storage)
        created = first - dt.timedelta(days=rng.randint(30, 700))
        machines.append((admin, created, True, NUMBER.format(i + 1),
                product, company, warehouse, location,
                current is None and rng.random() < REPOSSESSED))
    return machines, bookings


def leasing_data(database, uri):
    """The machines and their bookings by COPY (warehouses and the user by
    the ORM) the first time; None when found"""
    with psycopg.connect(uri, dbname=database) as conn:
        found = conn.execute('SELECT count(*) FROM stock_lot '
            'WHERE number LIKE %s', ('LM-%',)).fetchone()[0]
        if found:
            return None
        products = [p for p, in conn.execute('SELECT p.id FROM '
                'product_product p JOIN product_template t '
                'ON t.id = p.template WHERE t.machine ORDER BY p.id')]
        if not products:
            raise SystemExit('[bench] no machine product: generate the '
                'database with bench/generate.py first')
        customers = {}
        for party, company in conn.execute('SELECT id, company '
                'FROM party_party WHERE is_customer ORDER BY id'):
            customers.setdefault(company, []).append(party)
        admin = conn.execute("SELECT id FROM res_user WHERE login = 'admin'"
            ).fetchone()[0]
    log(f'leasing: adding {MACHINES} machines and their bookings')
    begin = time.perf_counter()
    orm = _orm(database)
    orm_seconds = time.perf_counter() - begin
    today = dt.date.today()
    machines, bookings = _plan(orm, products, customers, admin, today)
    tables = []
    with psycopg.connect(uri, dbname=database) as conn:
        ctx = SimpleNamespace(ids={})
        for bulk in [
                generate.Bulk('machines', 'stock_lot', ('create_uid',
                        'create_date', 'active', 'number', 'product',
                        'company', 'warehouse', 'location', 'repossessed'),
                    lambda ctx: iter(machines)),
                generate.Bulk('bookings', 'dealer_machine_booking', (
                        'create_uid', 'create_date', 'machine', 'company',
                        'kind', 'start', 'end', 'until', 'origin',
                        'customer'),
                    lambda ctx: ((u, c, ctx.ids['machines'][i], *rest)
                        for u, c, i, *rest in bookings)),
                ]:
            start = time.perf_counter()
            n = generate._load(conn, bulk, ctx)
            seconds = time.perf_counter() - start
            tables.append({'table': bulk.table, 'rows': n,
                    'seconds': round(seconds, 3),
                    'rows_per_s': round(n / seconds)})
            log(f'  {bulk.label:<10} {n:>7} rows {n / seconds:>9.0f} rows/s')
        conn.autocommit = True
        for table in ('stock_lot', 'dealer_machine_booking', 'stock_location',
                'res_user'):
            conn.execute(f'VACUUM ANALYZE "{table}"')
    kinds = {}
    for b in bookings:
        kinds[b[4]] = kinds.get(b[4], 0) + 1
    return {'orm_seconds': round(orm_seconds, 1), 'tables': tables,
        'bookings_by_kind': kinds, 'generated_on': today.isoformat()}


def describe(conn):
    "What the database holds (the figures' scale)"
    companies = [c for c, in conn.execute(
            'SELECT id FROM company_company ORDER BY id')]
    x = companies[0]
    row = conn.execute('''SELECT count(*),
            count(*) FILTER (WHERE l.company = %(x)s),
            count(DISTINCT l.warehouse),
            count(*) FILTER (WHERE loc.type = 'rental'),
            count(*) FILTER (WHERE loc.type = 'customer')
        FROM stock_lot l JOIN stock_location loc ON loc.id = l.location
        WHERE l.number LIKE 'LM-%%' ''', {'x': x}).fetchone()
    kinds = dict(conn.execute('SELECT kind, count(*) FROM '
            'dealer_machine_booking GROUP BY kind ORDER BY kind').fetchall())
    first, last = conn.execute('SELECT min(start), max(until) '
        'FROM dealer_machine_booking').fetchone()
    return {'companies': len(companies), 'company_x': x,
        'machines': row[0], 'machines_of_x': row[1], 'warehouses': row[2],
        'machines_out_on_lease': row[3], 'machines_sold': row[4],
        'bookings': sum(kinds.values()), 'bookings_by_kind': kinds,
        'bookings_from': str(first), 'bookings_until': str(last),
        'turnaround_days': TURNAROUND}


def periods(n, seed, today=None):
    "n (from_date, to_date): from a month ago to six months on, 0-45 days"
    rng = Random(seed)
    today = today or dt.date.today()
    result = []
    for _ in range(n):
        start = today + dt.timedelta(days=rng.randint(-30, 180))
        result.append((start, start + dt.timedelta(days=rng.randint(0, 45))))
    return result


# ------------------------------------------------------- EXPLAIN, plans

def explain(conn, sql, params=None):
    "Execution time, buffers and the indexes of a statement's plan"
    lines, ms = explain_plan(conn, sql, params)
    plan = '\n'.join(lines)
    return {'execution_ms': ms,
        'indexes': sorted(set(re.findall(
                    r'(?:Index Only Scan|Index Scan|Bitmap Index Scan)'
                    r'(?: Backward)? (?:using|on) (\S+)', plan))),
        'seq_scans': sorted(set(re.findall(r'Seq Scan on (\S+)', plan))),
        'plan': plan}


# ----------------------------------------------------- leasing_idle (RPC)

def _rpc_date(date):
    "A date as the Tryton clients send it over XML-RPC"
    return {'__class__': 'date', 'year': date.year, 'month': date.month,
        'day': date.day}


def idle(database, uri, env, calls, warmup):
    "The idle list's first page and count over XML-RPC, and their floors"
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        scale = describe(conn)
        x = scale['company_x']
        domain = DOMAIN + [('company', '=', x)]
        samples = periods(warmup + calls, seed=5)
        result = {'calls': calls, 'warmup_calls': warmup, 'auth': 'session',
            'login': LOGIN, 'position': 'Sales Manager (dealer_base)',
            'domain': str(domain), 'fields': FIELDS, 'limit': PAGE,
            'order': "None (stock.lot's _order: id)",
            'periods': 'from_date today -30..+180 days, 0-45 days long, '
            'one per call', 'data': scale}
        with tempfile.TemporaryDirectory(prefix='dealer-bench-') as tmp:
            server = Server(database, env, tmp)
            log(f'leasing_idle: starting trytond on {server.url}')
            try:
                server.wait()
                proxy = server.session_proxy(LOGIN, generate.PASSWORD)
                prefs = proxy.model.res.user.get_preferences(True, {})
                lot = proxy.model.stock.lot

                def context(period):
                    "the preferences and the context model's values"
                    return dict(prefs, company=x, warehouse=None,
                        from_date=_rpc_date(period[0]),
                        to_date=_rpc_date(period[1]))

                def params(period):
                    return {'company': x, 'from_date': period[0],
                        'to_date': period[1]}
                # the same rows and count as the floors, on 20 periods
                same, same_count, sizes = True, True, []
                for period in samples[:20]:
                    rows = lot.search_read(domain, 0, PAGE, None, FIELDS,
                        context(period))
                    floor = conn.execute(IDLE_FLOOR, params(period)
                        ).fetchall()
                    same &= [r['id'] for r in rows] == [r[0] for r in floor]
                    count = lot.search_count(domain, 0, None,
                        context(period))
                    sizes.append(count)
                    same_count &= count == conn.execute(IDLE_COUNT_FLOOR,
                        params(period)).fetchone()[0]
                result['same_rows_as_floor'] = same
                result['same_count_as_floor'] = same_count
                result['idle_machines'] = {'min': min(sizes),
                    'max': max(sizes), 'of': scale['machines_of_x']}
                for what, call, sql, fetch in [
                        ('first_page', lambda c: lot.search_read(domain, 0,
                                PAGE, None, FIELDS, c), IDLE_FLOOR, 'all'),
                        ('count', lambda c: lot.search_count(domain, 0,
                                None, c), IDLE_COUNT_FLOOR, 'one')]:
                    it = iter(samples)
                    timed(lambda: call(context(next(it))), warmup)
                    log(f'leasing_idle: {what}, {calls} calls as {LOGIN}')
                    figure = result[what] = percentiles(
                        timed(lambda: call(context(next(it))), calls))
                    it = iter(samples)

                    def floor(sql=sql, fetch=fetch):
                        cursor = conn.execute(sql, params(next(it)))
                        return (cursor.fetchall() if fetch == 'all'
                            else cursor.fetchone())
                    time_floor(figure, floor, sql, warmup, calls)
            finally:
                server.stop()
        period = samples[0]
        result['floor_plans'] = {
            'first_page': explain(conn, IDLE_FLOOR, params(period)),
            'count': explain(conn, IDLE_COUNT_FLOOR, params(period))}
    result['goals'] = {'p95_ms_max': GOAL_P95_MS,
        'first_page': met(result['first_page']['p95_ms'] < GOAL_P95_MS),
        'count': met(result['count']['p95_ms'] < GOAL_P95_MS)}
    return result


# ------------------------------------------- inside trytond: the ORM's SQL

def inside(database, uri, checks, seed=31):
    """The overlap check for `checks` random (machine of company X,
    period) pairs as the Sales Manager, with and without the record rules,
    and its floor; the statements trytond builds for the idle list and the
    check, under EXPLAIN ANALYZE"""
    os.environ['TRYTOND_DATABASE__URI'] = uri
    trytond_pool(database)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with psycopg.connect(uri, dbname=database) as conn:
        scale = describe(conn)
        x = scale['company_x']
        user = conn.execute('SELECT id FROM res_user WHERE login = %s',
            (LOGIN,)).fetchone()[0]
        machines = [m for m, in conn.execute("SELECT id FROM stock_lot "
                "WHERE company = %s AND number LIKE 'LM-%%' ORDER BY id",
                (x,))]
    rng = Random(seed)
    today = dt.date.today()
    pairs = []
    for _ in range(checks):
        start = today + dt.timedelta(days=rng.randint(-PAST_DAYS + 30,
                FUTURE_DAYS - 30))
        end = start + dt.timedelta(days=_lease_days(rng))
        pairs.append((rng.choice(machines), start, end,
                end + dt.timedelta(days=TURNAROUND)))
    origin = 'sale.rental.line,0'  # a new document: none of the bookings'
    with Transaction().start(database, user, readonly=True):
        context = Pool().get('res.user').get_preferences(context_only=True)

    class Found(Exception):
        pass

    def check(pair, rules, found):
        "check_free's search, stopped right after it returns"
        machine, start, end, until = pair
        ctx = dict(context, _check_access=rules)
        with Transaction().start(database, user, readonly=True,
                context=ctx):
            pool = Pool()
            Booking = pool.get('dealer.machine.booking')
            booking = Booking(machine=machine, company=x, kind='lease',
                start=start, end=end, until=until, origin=origin)
            search = Booking.search.__func__
            saved = Booking.__dict__.get('search')

            def stop(cls, *args, **kwargs):
                raise Found(search(cls, *args, **kwargs))
            Booking.search = classmethod(stop)
            try:
                begin = time.perf_counter()
                try:
                    booking.check_free()
                    busy = None
                except Found as e:
                    busy = bool(e.args[0])
                seconds = time.perf_counter() - begin
            finally:
                if saved is None:
                    del Booking.search
                else:
                    Booking.search = saved
            found.append(busy)
            return seconds
    result = {'checks': checks, 'login': LOGIN, 'company_x': x,
        'machines_of_x': len(machines),
        'pairs': 'a machine of company X, a start from today -700 to '
        f'+335 days, a lease length, until = end + {TURNAROUND} days',
        'measured': "Booking(...).check_free()'s search (stopped after "
        'it returns), each in a fresh read-only transaction (not timed)',
        'data': scale}
    for label, rules in [('with_rules', True), ('without_rules', False)]:
        found = []
        for pair in pairs[:20]:  # warm-up
            check(pair, rules, [])
        log(f'leasing_overlap: {checks} checks inside trytond, {label}')
        it = iter(pairs)
        samples = timed(lambda: check(next(it), rules, found), checks)
        # time.perf_counter around check_free only, not the transaction
        result[label] = percentiles(samples)
        result[label]['busy'] = sum(1 for f in found if f)
    with psycopg.connect(uri, dbname=database) as conn:
        floor_found = []

        def floor(pair):
            machine, start, end, until = pair
            floor_found.append(conn.execute(CHECK_FLOOR, {'machine': machine,
                        'start': start, 'until': until, 'origin': origin}
                    ).fetchone() is not None)
        for pair in pairs[:20]:
            floor(pair)
        floor_found.clear()
        it = iter(pairs)
        result['floor'] = percentiles(timed(lambda: floor(next(it)),
                checks))
        result['floor']['sql'] = CHECK_FLOOR
        result['floor']['busy'] = sum(floor_found)
        conn.rollback()
        result['same_answers_as_floor'] = (
            result['with_rules']['busy'] == result['floor']['busy']
            == result['without_rules']['busy'])
        for label in ('with_rules', 'without_rules'):
            result[label]['ratio_p50_to_floor'] = round(
                result[label]['p50_ms'] / result['floor']['p50_ms'], 1)
        # The statements trytond builds, under EXPLAIN ANALYZE
        machine, start, end, until = pairs[0]
        period = periods(1, seed=5)[0]
        with Transaction().start(database, user, readonly=True,
                context=dict(context, _check_access=True,
                    from_date=period[0], to_date=period[1])):
            pool = Pool()
            Lot = pool.get('stock.lot')
            Booking = pool.get('dealer.machine.booking')
            statements = {
                'idle_first_page': Lot.search(
                    DOMAIN + [('company', '=', x)], limit=PAGE, query=True),
                'check_free': Booking.search([
                        ('machine', '=', machine),
                        ['OR', ('until', '=', None),
                            ('until', '>=', start)],
                        ('origin', '!=', origin),
                        ('start', '<=', until),
                        ], order=[('start', 'ASC')], limit=1, query=True),
                }
            statements = {k: tuple(q) for k, q in statements.items()}
        result['orm_plans'] = {}
        for key, (sql, params) in statements.items():
            plan = explain(conn, sql.replace('%', '%%').replace('%%s', '%s'),
                params)
            plan['sql'] = sql
            result['orm_plans'][key] = plan
        result['orm_plans']['idle_period'] = [str(d) for d in period]
        result['floor_plan'] = explain(conn, CHECK_FLOOR, {
                'machine': machine, 'start': start, 'until': until,
                'origin': origin})
    return result


# ---------------------------------------------------------------- output

def table(r, row, lines):
    "Rows of run.py's table"
    if 'leasing_idle' in r:
        f = r['leasing_idle']
        d = f['data']
        for what, label in [('first_page', 'idle, first page 80 rows'),
                ('count', 'idle, search_count')]:
            e = f[what]
            ms_rows(row, 'leasing_idle', label, e, ('p50', 'p95', 'p99'))
            ms_rows(row, 'leasing_idle', f'{label} floor', e['floor'],
                ('p50', 'p95'))
            row('leasing_idle', f'{label} p50 / floor p50',
                e['ratio_p50_to_floor'], f"x (p95 goal < {GOAL_P95_MS} ms: "
                f"{f['goals'][what]})")
        row('leasing_idle', 'same rows / count as the floors',
            f"{f['same_rows_as_floor']}/{f['same_count_as_floor']}")
        lines.append(f"{'':<16} {d['machines']} machines ({d['machines_of_x']}"
            f" of company X, idle {f['idle_machines']['min']}-"
            f"{f['idle_machines']['max']}), {d['bookings']} bookings; "
            f"XML-RPC, session auth, as {f['login']} (Sales Manager)")
    if 'leasing_overlap' in r:
        f = r['leasing_overlap']
        for label in ('with_rules', 'without_rules'):
            e = f[label]
            ms_rows(row, 'leasing_overlap', f'check_free search, {label}', e,
                ('p50', 'p95', 'p99'))
            row('leasing_overlap', f'{label} p50 / floor p50',
                e['ratio_p50_to_floor'], 'x')
        ms_rows(row, 'leasing_overlap', 'floor (one SQL statement)',
            f['floor'], ('p50', 'p95'))
        row('leasing_overlap', 'busy (of the checks)', f['floor']['busy'],
            f"of {f['checks']}, same as the ORM: {f['same_answers_as_floor']}")
        lines.append(f"{'':<16} inside trytond (Transaction().start, the "
            f"Pool) as {f['login']}")


# ---------------------------------------------------- run.py dispatches

def run(database, uri, env, selected, calls, warmup):
    "run.py's entry: the data once, then the selected benchmarks"
    results = {}
    data = run_json('dealer_leasing_bench.py', ['data', '--database',
            database], env)
    if 'leasing_overlap' in selected:
        log('leasing_overlap: inside trytond (Transaction().start, the Pool)')
        results['leasing_overlap'] = run_json('dealer_leasing_bench.py', [
                'inside', '--database', database, '--checks',
                str(min(calls, CHECKS))], env)
    if 'leasing_idle' in selected:
        results['leasing_idle'] = idle(database, uri, env, min(calls, 200),
            warmup)
    for result in results.values():
        if data:
            result['data_added'] = data
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', choices=['data', 'inside'])
    parser.add_argument('--database', required=True)
    parser.add_argument('--checks', type=int, default=CHECKS)
    args = parser.parse_args()
    uri = os.environ.get('TRYTOND_DATABASE__URI', DEFAULT_URI)
    if args.what == 'data':
        result = leasing_data(args.database, uri)
    else:
        result = inside(args.database, uri, args.checks)
    print_json(result)


if __name__ == '__main__':
    main()
