#!/usr/bin/env python3
"""dealer_parts' stock per company and warehouse (R-PRT-05, issue 14 point
5) at scale, on PostgreSQL: 5,000 parts, 20 warehouses, 200,000 stock moves.

parts_ageing_warehouse  the stock ageing (dealer.parts.stock.ageing, a
                 table_query computing FIFO by one WITH RECURSIVE statement)
                 of one warehouse, as a purchaser of its company
parts_ageing_group      the same for the whole group (every warehouse of
                 every company), as the group leader of all the companies
                 Each inside trytond (Transaction().start with the Pool and
                 the user's preferences, the record rules applying), every
                 run a fresh read-only transaction timed from start to end:
                 the first page (search_read of 80 rows, what the list
                 shows) and the whole report (search_read of every row, what
                 an export reads); the floor: the report's table_query
                 compiled for the same context and run as one statement
                 through psycopg (no trytond, no rules), timed interleaved
                 with the ORM's runs, and the ratio; the figures of the
                 whole report must equal the floor's and a FIFO simulated in
                 Python move by move from the same moves
                 (same_as_floor, same_as_reference)
parts_available  the on-hand, available and forecast quantities of one part
                 in every warehouse (dealer.parts.stock search_read of the
                 part's rows) over XML-RPC with a session, as the group
                 leader, a busy part at each call: p50, p95, p99 (goal p95 <
                 50 ms); the floor: the three quantities per warehouse of
                 the part by one SQL statement; the same figures
                 (same_as_floor), statements per call inside trytond

The database: a new bench_parts_<date>_<time> (scripts/setup_database.py,
every dealer module, then bench/generate.py for two companies, their
salespeople and the group leader boss_001), dropped at the end unless
--keep; --database reuses a kept one (its data is found again).  The stock
data, added the first time: 20 warehouses (copies of stock's, half per
company) and the purchaser parts_purchaser by the ORM; by COPY 5,000 parts
(PS-00001…, a cost price per company) and 200,000 stock moves over the last
two years: receipts from suppliers (into the input zone, then storage),
customer shipments (storage to output, then to the customer), transfers
between a company's warehouses through transit (arriving the next day),
inventory gains and losses, never below zero; the parts' popularity follows
a Zipf-Mandelbrot law (the busiest fifth of the parts make three quarters
of the moves, the busiest part about 1.5 %); 1 % of the moves are still
planned (draft receipts, assigned shipments).

    .venv/bin/python bench/parts_stock.py [--keep] [--database bench_...]
        [--parts 5000] [--warehouses 20] [--moves 200000] [--runs 20]
        [--calls 200]

Figures are printed and written to bench/results/parts_stock-<time>.json
and bench/results/latest.json (see bench/README.md).
"""
import argparse
import collections
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import ROUND_HALF_EVEN, Decimal
from random import Random
from zoneinfo import ZoneInfo

import psycopg

import generate
from harness import (ROOT, SQLMeter, Server, bench_uri,
    create_group_database, environment, explain, log, met, ms_rows,
    percentiles, print_json, release_database, run_json, sql_profile, timed,
    trytond_pool, write_results)

PARTS = 5000
WAREHOUSES = 20
MOVES = 200_000
COMPANIES = 2
DAYS = 730  # the moves' window, up to today
PLANNED = 0.01  # share of the moves still planned
POPULARITY_OFFSET = 10  # of the parts' Zipf-Mandelbrot law (exponent 1)
RUNS = 20  # of each ageing figure
CALLS = 200  # of the available quantity
WARMUP = 3
PAGE = 80
GOAL_P95_MS = 50
CODE = 'PS-{:05d}'
PURCHASER = 'parts_purchaser'
TIMEZONE = ZoneInfo('Asia/Shanghai')
# Events and their shares: a receipt, a customer shipment, a transfer, an
# inventory gain or loss
EVENTS = [('receipt', 0.40), ('sale', 0.45), ('transfer', 0.10),
    ('inventory', 0.05)]
BUCKETS = [('0_90', 0, 90), ('91_180', 91, 180), ('181_365', 181, 365),
    ('over_365', 366, None)]
AGEING_FIELDS = ['warehouse', 'product', 'company', 'quantity', 'value',
    'oldest_date'] + [f'{k}_{b}' for b, _, _ in BUCKETS
    for k in ('quantity', 'value')]
QUANTITY_FIELDS = ['quantity', 'available_quantity', 'forecast_quantity']
STOCK_FIELDS = ['warehouse', 'warehouse.rec_name'] + QUANTITY_FIELDS
CENT = Decimal('0.01')


def today():
    "The companies' today (Asia/Shanghai), as the reports' default"
    return dt.datetime.now(TIMEZONE).date()


# ------------------------------------------------------------------ data

def _orm(database, n_warehouses):
    """The warehouses (copies of stock's, alternately of each company) and
    the purchaser of the first company, in a root transaction; return the
    ids the rows need"""
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
        Uom = pool.get('product.uom')
        companies = Company.search([], order=[('id', 'ASC')])
        default, = Location.search([('code', '=', 'WH')], limit=1)
        warehouses = []
        for k in range(n_warehouses):
            company = companies[k % len(companies)]
            wh, = Location.copy([default], default={
                    'name': f'配件{k + 1:02d}号库', 'code': f'PW{k + 1:02d}',
                    'company': company.id})
            warehouses.append({'id': wh.id, 'company': company.id,
                    'input': wh.input_location.id,
                    'output': wh.output_location.id,
                    'storage': wh.storage_location.id})
        party, = Party.create([{'name': '配件采购员'}])
        employee, = Employee.create([{'party': party.id,
                    'company': companies[0].id,
                    'start_date': dt.date(2020, 1, 1)}])
        User.create([{'login': PURCHASER, 'name': '配件采购员',
                    'password': generate.PASSWORD,
                    'companies': [('add', [companies[0].id])],
                    'company': companies[0].id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'roles': [('create', [{'role': ModelData.get_id(
                                        'dealer_base', 'position_purchaser')
                                    }])],
                    }])
        unit, = Uom.search([('name', '=', 'Unit')])
        result = {
            'companies': [c.id for c in companies],
            'currencies': {c.id: c.currency.id for c in companies},
            'warehouses': warehouses,
            'unit': unit.id,
            'supplier': ModelData.get_id('stock', 'location_supplier'),
            'customer': ModelData.get_id('stock', 'location_customer'),
            'lost_found': ModelData.get_id('stock', 'location_lost_found'),
            'transit': ModelData.get_id('stock', 'location_transit'),
            }
        transaction.commit()
    return result


def _plan(orm, n_parts, n_moves, day, seed=17):
    """The parts (code, name, cost) and the moves, in the order of their
    dates (the ids follow it)"""
    rng = Random(seed)
    parts = []
    for i in range(n_parts):
        cost = Decimal(rng.randint(500, 200_000)) / 100
        name = f'{rng.choice(PART_NAMES)}-{rng.choice(MODELS)}'
        parts.append((CODE.format(i + 1), name, cost))
    order = list(range(n_parts))
    rng.shuffle(order)
    weights = [0.0] * n_parts
    for rank, i in enumerate(order):
        # Zipf-Mandelbrot: the fifth of the parts that move most make
        # about three quarters of the moves, the busiest about 1.5 %
        weights[i] = 1 / (rank + 1 + POPULARITY_OFFSET)
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    by_company = collections.defaultdict(list)
    for wh in orm['warehouses']:
        by_company[wh['company']].append(wh)
    warehouses = orm['warehouses']
    kinds = [k for k, _ in EVENTS]
    shares = [s for _, s in EVENTS]
    on_hand = collections.Counter()  # (warehouse index, part) -> quantity
    moves = []

    def move(company, part, quantity, from_, to, date, state='done',
            unit_price=None, cost_price=None):
        moves.append((company, part, quantity, from_, to, date,
                date if state == 'done' else None, state,
                orm['currencies'][company] if unit_price is not None
                else None, unit_price, cost_price))

    done_moves = int(n_moves * (1 - PLANNED))
    per_day = done_moves / 1.95 / DAYS
    arrivals = collections.defaultdict(list)
    first = day - dt.timedelta(days=DAYS - 1)
    windex = {wh['id']: k for k, wh in enumerate(warehouses)}
    for d in range(DAYS):
        date = first + dt.timedelta(days=d)
        for company, part, quantity, dest in arrivals.pop(date, []):
            move(company, part, quantity, orm['transit'], dest['storage'],
                date)
            on_hand[windex[dest['id']], part] += quantity
        n = int(per_day * (d + 1)) - int(per_day * d)
        for _ in range(n):
            if len(moves) >= done_moves:
                break
            k = rng.randrange(len(warehouses))
            wh = warehouses[k]
            company = wh['company']
            part = rng.choices(range(n_parts), cum_weights=cumulative)[0]
            cost = parts[part][2]
            stock = on_hand[k, part]
            kind = rng.choices(kinds, shares)[0]
            if kind in ('sale', 'transfer') and not stock:
                kind = 'receipt'
            if kind == 'transfer' and len(by_company[company]) < 2:
                kind = 'sale'
            if kind == 'receipt':
                quantity = rng.randint(2, 20)
                price = (cost * Decimal(rng.uniform(0.9, 1.1))).quantize(
                    CENT)
                move(company, part, quantity, orm['supplier'], wh['input'],
                    date, unit_price=price, cost_price=price)
                move(company, part, quantity, wh['input'], wh['storage'],
                    date)
                on_hand[k, part] += quantity
            elif kind == 'sale':
                quantity = rng.randint(1, min(stock, 12))
                move(company, part, quantity, wh['storage'], wh['output'],
                    date)
                move(company, part, quantity, wh['output'], orm['customer'],
                    date, unit_price=(cost * 2).quantize(CENT),
                    cost_price=cost)
                on_hand[k, part] -= quantity
            elif kind == 'transfer':
                dest = rng.choice([w for w in by_company[company]
                        if w is not wh])
                quantity = rng.randint(1, max(1, stock // 2))
                move(company, part, quantity, wh['storage'], orm['transit'],
                    date)
                on_hand[k, part] -= quantity
                arrival = min(date + dt.timedelta(days=1), day)
                if arrival == date:
                    move(company, part, quantity, orm['transit'],
                        dest['storage'], date)
                    on_hand[windex[dest['id']], part] += quantity
                else:
                    arrivals[arrival].append((company, part, quantity, dest))
            elif stock and rng.random() < 0.6:
                quantity = rng.randint(1, min(stock, 3))
                move(company, part, quantity, wh['storage'],
                    orm['lost_found'], date, cost_price=cost)
                on_hand[k, part] -= quantity
            else:
                quantity = rng.randint(1, 3)
                move(company, part, quantity, orm['lost_found'],
                    wh['storage'], date, cost_price=cost)
                on_hand[k, part] += quantity
    for date in sorted(arrivals):
        for company, part, quantity, dest in arrivals[date]:
            move(company, part, quantity, orm['transit'], dest['storage'],
                date)
    # Still planned: receipts to come, shipments assigned from storage
    held = sorted((k, p) for (k, p), q in on_hand.items() if q > 1)
    while len(moves) < n_moves:
        if rng.random() < 0.5 and held:
            k, part = held[rng.randrange(len(held))]
            wh = warehouses[k]
            quantity = rng.randint(1, on_hand[k, part] // 2)
            move(wh['company'], part, quantity, wh['storage'], wh['output'],
                day, state='assigned')
        else:
            wh = warehouses[rng.randrange(len(warehouses))]
            part = rng.choices(range(n_parts), cum_weights=cumulative)[0]
            move(wh['company'], part, rng.randint(2, 20), orm['supplier'],
                wh['input'], day + dt.timedelta(days=rng.randint(1, 14)),
                state='draft', unit_price=parts[part][2],
                cost_price=None)
    return parts, moves


PART_NAMES = ('液压油滤芯 柴油滤芯 空气滤芯 机油滤芯 斗齿 齿座 侧刃 履带板 '
    '支重轮 托链轮 引导轮 驱动齿 回转支承 液压泵 主阀 先导阀 油缸密封件 '
    '销轴 衬套 发动机皮带 水箱 散热器 启动马达 发电机 传感器 控制器').split()
MODELS = ('SY75 SY135 SY215 SY365 XE60 XE215 XE370 ZX200 PC200 PC360 '
    'CAT320 LG936 ZL50').split()


def stock_data(database, uri, n_parts, n_warehouses, n_moves):
    """The warehouses, the purchaser, the parts and the moves the first
    time; None when the parts are there already"""
    with psycopg.connect(uri, dbname=database) as conn:
        found = conn.execute('SELECT count(*) FROM product_template '
            'WHERE code LIKE %s', ('PS-%',)).fetchone()[0]
        if found:
            return None
    day = today()
    log(f'parts_stock: adding {n_warehouses} warehouses, {n_parts} parts '
        f'and {n_moves} stock moves')
    start = time.perf_counter()
    orm = _orm(database, n_warehouses)
    orm_seconds = time.perf_counter() - start
    begin = time.perf_counter()
    parts, moves = _plan(orm, n_parts, n_moves, day)
    plan_seconds = time.perf_counter() - begin
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    unit = orm['unit']
    tables = {}
    with psycopg.connect(uri, dbname=database) as conn:
        def copy(table, columns, rows):
            begin = time.perf_counter()
            seq = conn.execute('SELECT pg_get_serial_sequence(%s, %s)',
                (table, 'id')).fetchone()[0]
            first = conn.execute('SELECT nextval(%s)', (seq,)).fetchone()[0]
            names = ', '.join(f'"{c}"' for c in ('id',) + columns)
            n = 0
            with conn.cursor() as cursor:
                with cursor.copy(
                        f'COPY "{table}" ({names}) FROM STDIN') as c:
                    for n, row in enumerate(rows, 1):
                        c.write_row((first + n - 1, *row))
            conn.execute('SELECT setval(%s, %s)', (seq, first + n - 1))
            seconds = time.perf_counter() - begin
            tables[table] = {'rows': n, 'seconds': round(seconds, 1),
                'rows_per_s': round(n / seconds) if seconds else None}
            log(f'  {table:<28} {n:>9} rows  {n / seconds:>9.0f} rows/s')
            return range(first, first + n)
        templates = copy('product_template', ('create_uid', 'create_date',
                'active', 'code', 'name', 'type', 'default_uom',
                'consumable', 'purchasable', 'salable', 'machine'),
            ((0, now, True, code, name, 'goods', unit, False, True, True,
                    False) for code, name, _ in parts))
        products = copy('product_product', ('create_uid', 'create_date',
                'active', 'template', 'code'),
            ((0, now, True, t, code) for t, (code, _, _) in zip(
                    templates, parts)))
        copy('product_cost_price', ('create_uid', 'create_date', 'company',
                'product', 'cost_price'),
            ((0, now, c, p, cost) for p, (_, _, cost) in zip(
                    products, parts) for c in orm['companies']))
        copy('stock_move', ('create_uid', 'create_date', 'company',
                'product', 'unit', 'quantity', 'internal_quantity',
                'from_location', 'to_location', 'planned_date',
                'effective_date', 'state', 'currency', 'unit_price',
                'cost_price', 'unit_price_updated'),
            ((0, now, company, products[part], unit, quantity, quantity,
                    from_, to, planned, effective, state, currency,
                    unit_price, cost_price, False)
                for company, part, quantity, from_, to, planned, effective,
                state, currency, unit_price, cost_price in moves))
        conn.commit()
        conn.autocommit = True
        for table in ('product_template', 'product_product',
                'product_cost_price', 'stock_move', 'stock_location',
                'res_user', 'company_employee'):
            conn.execute(f'VACUUM ANALYZE "{table}"')
    states = collections.Counter(m[7] for m in moves)
    return {'seconds': round(time.perf_counter() - start, 1),
        'orm_seconds': round(orm_seconds, 1),
        'plan_seconds': round(plan_seconds, 1), 'tables': tables,
        'moves_by_state': dict(states), 'generated_on': day.isoformat()}


def describe(conn):
    "What the database holds"
    parts = conn.execute('SELECT count(*) FROM product_template '
        "WHERE code LIKE 'PS-%%'").fetchone()[0]
    warehouses = conn.execute('SELECT company, count(*) FROM stock_location '
        "WHERE type = 'warehouse' AND code LIKE 'PW%%' GROUP BY company "
        'ORDER BY company').fetchall()
    moves = dict(conn.execute('SELECT state, count(*) FROM stock_move m '
            'JOIN product_product p ON p.id = m.product '
            "WHERE p.code LIKE 'PS-%%' GROUP BY state").fetchall())
    return {'parts': parts, 'warehouses': sum(n for _, n in warehouses),
        'warehouses_per_company': {str(c): n for c, n in warehouses},
        'moves': sum(moves.values()), 'moves_by_state': moves}


# -------------------------------------------------------- the reference

def reference(conn, companies, date, warehouse=None):
    """FIFO simulated in Python move by move (the report's definition,
    written independently of its SQL): {(warehouse, product): (quantity,
    value, {bucket: (quantity, value)})}"""
    parent, kind, company_of = {}, {}, {}
    for id_, parent_, type_, company in conn.execute(
            'SELECT id, parent, type, company FROM stock_location'):
        parent[id_], kind[id_], company_of[id_] = parent_, type_, company
    node = {}
    for id_ in parent:
        up = id_
        while up is not None and kind[up] != 'warehouse':
            up = parent[up]
        if up is not None and company_of[up] in companies:
            node[id_] = (up, True)
        elif up is None and kind[id_] in ('storage', 'rental'):
            node[id_] = (id_, False)
    currency = dict(conn.execute('SELECT id, currency FROM company_company'))
    layers = collections.defaultdict(collections.deque)
    for (id_, company, product, date_, quantity, internal, from_, to,
            unit_price, cost_price, move_currency) in conn.execute('''
            SELECT id, company, product, effective_date, quantity,
                internal_quantity, from_location, to_location, unit_price,
                cost_price, currency
            FROM stock_move
            WHERE state = 'done' AND effective_date <= %s
                AND company = ANY(%s)
            ORDER BY effective_date, id''', (date, list(companies))):
        source, target = node.get(from_), node.get(to)
        if (source and source[0]) == (target and target[0]):
            continue
        quantity = Decimal(str(internal))
        if source:
            queue, pieces, left = layers[company, source[0], product], [], \
                quantity
            while left > 0 and queue:
                q, d, c = queue[0]
                taken = min(q, left)
                pieces.append([taken, d, c])
                left -= taken
                if taken == q:
                    queue.popleft()
                else:
                    queue[0][0] = q - taken
        if target:
            queue = layers[company, target[0], product]
            if source:
                queue.extend(pieces)
            else:
                if kind[from_] == 'supplier' and unit_price is not None and (
                        move_currency == currency[company]):
                    cost = (Decimal(unit_price) * Decimal(str(quantity))
                        / Decimal(str(internal)))
                else:
                    cost = Decimal(cost_price or 0)
                queue.append([quantity, date_, cost])
    result = {}
    for (company, node_, product), queue in layers.items():
        if not node_ or (warehouse and node_ != warehouse):
            continue
        if kind[node_] != 'warehouse':
            continue
        total = sum(q for q, _, _ in queue)
        if total <= 0:
            continue
        buckets = {}
        for name, youngest, oldest in BUCKETS:
            q = v = Decimal(0)
            for qty, d, c in queue:
                age = (date - d).days
                if age >= youngest and (oldest is None or age <= oldest):
                    q += qty
                    v += qty * c
            buckets[name] = (float(q), v.quantize(CENT, ROUND_HALF_EVEN))
        value = sum(q * c for q, _, c in queue)
        result[node_, product] = (float(total),
            value.quantize(CENT, ROUND_HALF_EVEN), buckets)
    return result


def _figures(rows):
    "{(warehouse, product): (quantity, value, buckets)} of report rows"
    figures = {}
    for r in rows:
        buckets = {name: (float(r[f'quantity_{name}'] or 0),
                Decimal(str(r[f'value_{name}'] or 0)).quantize(
                    CENT, ROUND_HALF_EVEN))
            for name, _, _ in BUCKETS}
        figures[r['warehouse'], r['product']] = (float(r['quantity']),
            Decimal(str(r['value'] or 0)).quantize(CENT, ROUND_HALF_EVEN),
            buckets)
    return figures


def _compare(a, b):
    "How many keys differ between two figure dicts (0: the same)"
    return len(set(a) ^ set(b)) + sum(1 for k in set(a) & set(b)
        if a[k] != b[k])


# ------------------------------------------------- inside trytond: ageing

def ageing(database, uri, runs):
    """The ageing of one warehouse as the purchaser and of the group as the
    group leader, with their floors and the reference"""
    os.environ['TRYTOND_DATABASE__URI'] = uri
    from trytond.transaction import Transaction
    pool = trytond_pool(database)
    User = pool.get('res.user')
    Ageing = pool.get('dealer.parts.stock.ageing')
    day = today()
    result = {'inside_trytond': True, 'model': 'dealer.parts.stock.ageing',
        'date': day.isoformat(), 'runs': runs, 'warmup_runs': WARMUP,
        'call': f'search_read([], 0, {PAGE} or None, None, <the list\'s '
        'fields>) in a fresh read-only transaction (timed from its start '
        'to its end)', 'fields': AGEING_FIELDS}
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        result['data'] = describe(conn)
        result['jit'] = conn.execute('SHOW jit').fetchone()[0]
        users = dict(conn.execute('SELECT login, id FROM res_user '
                'WHERE login = ANY(%s)', ([PURCHASER, generate.BOSS_LOGIN],)))
        # The purchaser's company's warehouse with the most moves
        warehouse, company = conn.execute('''
            SELECT w.id, w.company FROM stock_location w
            JOIN stock_location l ON l.left >= w.left AND l.right <= w.right
            JOIN stock_move m ON m.to_location = l.id
            WHERE w.type = 'warehouse' AND w.code LIKE 'PW%%'
                AND w.company = (SELECT min(id) FROM company_company)
            GROUP BY w.id, w.company ORDER BY count(*) DESC, w.id
            LIMIT 1''').fetchone()
        companies = [c for c, in conn.execute(
                'SELECT id FROM company_company ORDER BY id')]
        figures = [
            ('parts_ageing_warehouse', PURCHASER, dict(company=company,
                    warehouse=warehouse, group=False, date=day),
                [company], warehouse),
            ('parts_ageing_group', generate.BOSS_LOGIN, dict(
                    company=company, warehouse=None, group=True, date=day),
                companies, None),
            ]
        for key, login, report_context, scope, wh in figures:
            user_id = users[login]
            with Transaction().start(database, user_id, readonly=True):
                preferences = User.get_preferences(context_only=True)
            context = dict(preferences, _check_access=True, **report_context)

            def orm(limit):
                begin = time.perf_counter()
                with Transaction().start(database, user_id, readonly=True,
                        context=context):
                    rows = Ageing.search_read([], 0, limit, None,
                        list(AGEING_FIELDS))
                return time.perf_counter() - begin, rows

            with Transaction().start(database, user_id, readonly=True,
                    context=context):
                query = Ageing.table_query()
                sql, params = tuple(query.select(*[
                            getattr(query, f) for f in ['id']
                            + AGEING_FIELDS if f != 'company'
                            ] + [query.company]))
                sql = str(sql)
            columns = ['id'] + [f for f in AGEING_FIELDS
                if f != 'company'] + ['company']

            def floor(jit=True):
                begin = time.perf_counter()
                if not jit:
                    conn.execute('SET jit = off')
                try:
                    rows = conn.execute(sql, params).fetchall()
                finally:
                    if not jit:
                        conn.execute('RESET jit')
                return time.perf_counter() - begin, rows
            all_runs = max(2, runs // 4)
            log(f'{key}: as {login}, {runs} runs of the first page, '
                f'{all_runs} of every row, as many floors, interleaved')
            entry = result[key] = {'login': login,
                'context': {k: str(v) for k, v in report_context.items()}}
            for _ in range(WARMUP):
                orm(PAGE), floor(), floor(jit=False)
            orm(None)
            pages, alls, floors, floors_no_jit = [], [], [], []
            for k in range(runs):
                with SQLMeter() as page_meter:
                    seconds, page = orm(PAGE)
                pages.append(seconds)
                if k < all_runs:
                    with SQLMeter() as all_meter:
                        seconds, rows = orm(None)
                    alls.append(seconds)
                seconds, floor_rows = floor()
                floors.append(seconds)
                floors_no_jit.append(floor(jit=False)[0])
            entry['first_page'] = percentiles(pages)
            entry['first_page']['statements_per_call'] = page_meter.statements
            entry['all_rows'] = percentiles(alls, p99=False)
            entry['all_rows']['runs'] = all_runs
            entry['all_rows']['statements_per_call'] = all_meter.statements
            entry['floor'] = percentiles(floors)
            entry['floor']['sql'] = sql
            entry['floor_jit_off'] = percentiles(floors_no_jit)
            for what in ('first_page', 'all_rows'):
                entry[what]['ratio_p50_to_floor'] = round(
                    entry[what]['p50_ms'] / entry['floor']['p50_ms'], 2)
            entry['rows'] = len(rows)
            entry['page_rows'] = len(page)
            floor_dicts = [dict(zip(columns, r)) for r in floor_rows]
            orm_figures = _figures(rows)
            entry['same_as_floor'] = _compare(orm_figures,
                _figures(floor_dicts)) == 0
            ref = reference(conn, scope, day, wh)
            entry['differences_from_reference'] = _compare(orm_figures, ref)
            entry['same_as_reference'] = (
                entry['differences_from_reference'] == 0)
            entry['totals'] = {
                'quantity': sum(f[0] for f in orm_figures.values()),
                'value': str(sum(f[1] for f in orm_figures.values())),
                **{name: {'quantity': sum(f[2][name][0]
                                for f in orm_figures.values()),
                        'value': str(sum(f[2][name][1]
                                for f in orm_figures.values()))}
                    for name, _, _ in BUCKETS}}
            with SQLMeter(capture=True) as meter:
                orm(PAGE)
            with psycopg.connect(uri, dbname=database) as explain_conn:
                explain_conn.read_only = True
                entry['sql_profile'] = sql_profile(explain_conn,
                    meter.captured, 3, with_params=True)
                plan, ms = explain(explain_conn, sql, params)
                entry['floor']['explain_ms'] = ms
                entry['floor']['plan'] = plan
    return result


# ------------------------------------------ available quantity of a part

AVAILABLE_FLOOR = '''
WITH wh AS (
    SELECT id, company, "left", "right" FROM stock_location
    WHERE type = 'warehouse' AND company = ANY(%(companies)s)),
flow AS (
    SELECT wh.id AS warehouse, m.state, m.effective_date,
        (CASE WHEN t."left" BETWEEN wh."left" AND wh."right"
            THEN m.internal_quantity ELSE 0 END) AS in_,
        (CASE WHEN f."left" BETWEEN wh."left" AND wh."right"
            THEN m.internal_quantity ELSE 0 END) AS out
    FROM stock_move m
    JOIN stock_location f ON f.id = m.from_location
    JOIN stock_location t ON t.id = m.to_location
    JOIN wh ON wh.company = m.company
        AND (t."left" BETWEEN wh."left" AND wh."right"
            OR f."left" BETWEEN wh."left" AND wh."right")
    WHERE m.product = %(product)s
        AND m.state IN ('done', 'assigned', 'draft'))
SELECT warehouse,
    SUM(CASE WHEN state = 'done' AND effective_date <= %(today)s
        THEN in_ - out ELSE 0 END) AS on_hand,
    SUM(CASE WHEN state = 'done' AND effective_date <= %(today)s
        THEN in_ - out WHEN state = 'assigned' THEN -out ELSE 0 END)
        AS available,
    SUM(in_ - out) AS forecast
FROM flow GROUP BY warehouse ORDER BY warehouse'''


def available(database, uri, env, calls):
    """dealer.parts.stock's rows of one part over XML-RPC as the group
    leader, its floor, and the statements of one call inside trytond"""
    day = today()
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        companies = [c for c, in conn.execute(
                'SELECT id FROM company_company ORDER BY id')]
        # The busiest parts: in every warehouse or nearly
        parts = [p for p, in conn.execute('''
            SELECT m.product FROM stock_move m
            JOIN product_product p ON p.id = m.product
            WHERE p.code LIKE 'PS-%%'
            GROUP BY m.product ORDER BY count(*) DESC, m.product
            LIMIT 200''')]
        rng = Random(3)
        samples = [rng.choice(parts) for _ in range(calls + 20)]
        result = {'calls': calls, 'warmup_calls': 20, 'auth': 'session',
            'login': generate.BOSS_LOGIN,
            'position': 'Group Leader (all the companies shown)',
            'call': "dealer.parts.stock search_read([('product', '=', "
            "<part>)], 0, None, None, " + str(STOCK_FIELDS) + ', '
            '<preferences>)', 'parts': 'one of the 200 busiest at each call',
            'goal_p95_ms': GOAL_P95_MS}
        with tempfile.TemporaryDirectory(prefix='dealer-bench-') as tmp:
            server = Server(database, env, tmp)
            log(f'parts_available: starting trytond on {server.url}')
            try:
                server.wait()
                proxy = server.session_proxy(generate.BOSS_LOGIN,
                    generate.PASSWORD)
                prefs = proxy.model.res.user.get_preferences(True, {})
                stock = proxy.model.dealer.parts.stock
                it = iter(samples)

                def call(part=None):
                    return stock.search_read(
                        [('product', '=', part or next(it))], 0, None, None,
                        STOCK_FIELDS, prefs)
                timed(call, 20)
                log(f'parts_available: {calls} calls as '
                    f'{generate.BOSS_LOGIN}')
                result.update(percentiles(timed(call, calls)))

                def floor(part):
                    return conn.execute(AVAILABLE_FLOOR, {
                            'companies': companies, 'today': day,
                            'product': part}).fetchall()
                it = iter(samples)
                timed(lambda: floor(next(it)), 20)
                result['floor'] = percentiles(
                    timed(lambda: floor(next(it)), calls))
                result['floor']['sql'] = AVAILABLE_FLOOR
                result['ratio_p50_to_floor'] = round(
                    result['p50_ms'] / result['floor']['p50_ms'], 2)
                same, warehouses = True, []
                for part in parts[:20]:
                    rows = call(part)
                    orm = sorted((r['warehouse'], r['quantity'],
                            r['available_quantity'], r['forecast_quantity'])
                        for r in rows)
                    sql = [(w, float(q), float(a), float(f))
                        for w, q, a, f in floor(part)]
                    same &= orm == sql
                    warehouses.append(len(rows))
                result['same_as_floor'] = same
                result['warehouses_per_part'] = {'min': min(warehouses),
                    'max': max(warehouses)}
                result['example'] = call(parts[0])
            finally:
                server.stop()
    result['statements'] = run_json('parts_stock.py', ['statements',
            '--database', database, '--part', str(parts[0]), '--parts',
            ','.join(map(str, parts[:10] + parts[-10:]))], env)
    result['goal'] = met(result['p95_ms'] < GOAL_P95_MS)
    return result


def statements(database, uri, part, parts):
    """The statements one call issues inside trytond, their profile, and
    the rows' quantities against Tryton's own Product.products_by_location
    (per company, the warehouse with its locations) for the parts"""
    os.environ['TRYTOND_DATABASE__URI'] = uri
    from trytond.transaction import Transaction
    pool = trytond_pool(database)
    User = pool.get('res.user')
    Stock = pool.get('dealer.parts.stock')
    with psycopg.connect(uri, dbname=database) as conn:
        user_id, = conn.execute('SELECT id FROM res_user WHERE login = %s',
            (generate.BOSS_LOGIN,)).fetchone()
    with Transaction().start(database, user_id, readonly=True):
        preferences = User.get_preferences(context_only=True)

    def call():
        with Transaction().start(database, user_id, readonly=True,
                context=dict(preferences, _check_access=True)):
            return Stock.search_read([('product', '=', part)], 0, None,
                None, list(STOCK_FIELDS))
    for _ in range(3):
        call()
    samples = []
    for _ in range(20):
        with SQLMeter() as meter:
            begin = time.perf_counter()
            call()
            samples.append(time.perf_counter() - begin)
    result = percentiles(samples, p99=False)
    result['statements_per_call'] = meter.statements
    result['sql_ms_per_call'] = round(meter.seconds * 1000, 3)
    with SQLMeter(capture=True) as meter:
        call()
    with psycopg.connect(uri, dbname=database) as conn:
        conn.read_only = True
        result['sql_profile'] = sql_profile(conn, meter.captured, 3,
            with_params=True)
    # Tryton's quantities, as root in each warehouse's company
    Product = pool.get('product.product')
    same, compared = True, 0
    with Transaction().start(database, 0, readonly=True):
        for part in parts:
            rows = Stock.search_read([('product', '=', part)], 0, None, None,
                ['warehouse', 'company'] + QUANTITY_FIELDS)
            for row in rows:
                tryton = []
                for name in QUANTITY_FIELDS:
                    field = ('quantity' if name == 'available_quantity'
                        else name)
                    with Transaction().set_context(company=row['company']):
                        context = Product._quantity_context(field)
                    context.update(company=row['company'],
                        stock_assign=name == 'available_quantity',
                        stock_skip_warehouse=False)
                    with Transaction().set_context(context):
                        tryton.append(Product.products_by_location(
                                [row['warehouse']], with_childs=True,
                                grouping_filter=([part],)).get(
                                (row['warehouse'], part), 0))
                same &= [row[n] for n in QUANTITY_FIELDS] == tryton
                compared += 1
    result['same_as_tryton'] = same
    result['rows_compared_with_tryton'] = compared
    return result


# ---------------------------------------------------------------- output

def table(report):
    lines = []

    def row(bench, figure, value, unit=''):
        lines.append(f'{bench:<23} {figure:<46} {value:>10} {unit}')
    r = report['results']
    for result, key in [(result, key)
            for result in ('ageing', 'ageing_server_jit')
            for key in ('parts_ageing_warehouse', 'parts_ageing_group')]:
        if key not in r.get(result, {}):
            continue
        e = r[result][key]
        lines.append(f"{key}: jit {r[result]['jit']}")
        for what, label in [('first_page', f'first page ({PAGE} rows)'),
                ('all_rows', f"every row ({e['rows']})")]:
            ms_rows(row, key, label, e[what], ('p50', 'p95'))
            row(key, f'{label} p50 / floor p50',
                e[what]['ratio_p50_to_floor'],
                f"x ({e[what]['statements_per_call']} statements)")
        ms_rows(row, key, 'floor (one statement, every row)', e['floor'],
            ('p50', 'p95'))
        ms_rows(row, key, 'floor with jit = off', e['floor_jit_off'],
            ('p50', 'p95'))
        row(key, 'same as floor / as FIFO in Python',
            f"{e['same_as_floor']}/{e['same_as_reference']}")
    if 'available' in r:
        a = r['available']
        ms_rows(row, 'parts_available', 'one part, every warehouse', a,
            ('p50', 'p95', 'p99'))
        ms_rows(row, 'parts_available', 'floor (one statement)', a['floor'],
            ('p50', 'p95'))
        row('parts_available', 'p50 / floor p50', a['ratio_p50_to_floor'],
            f"x (goal p95 < {GOAL_P95_MS} ms: {a['goal']})")
        s = a['statements']
        row('parts_available', 'inside trytond p50 / statements',
            s['p50_ms'], f"ms / {s['statements_per_call']}")
        row('parts_available', 'same as Tryton (products_by_location)',
            s['same_as_tryton'], f"({s['rows_compared_with_tryton']} rows)")
        row('parts_available', 'same as floor', a['same_as_floor'],
            f"({a['warehouses_per_part']['min']}-"
            f"{a['warehouses_per_part']['max']} warehouses per part)")
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', nargs='?', default='run',
        choices=['run', 'data', 'ageing', 'statements'])
    parser.add_argument('--database', help='a bench_* database to reuse '
        '(never dropped); by default a new one')
    parser.add_argument('--keep', action='store_true')
    parser.add_argument('--parts', default=str(PARTS),
        help='the parts to generate; for statements: the parts to compare')
    parser.add_argument('--warehouses', type=int, default=WAREHOUSES)
    parser.add_argument('--moves', type=int, default=MOVES)
    parser.add_argument('--runs', type=int, default=RUNS)
    parser.add_argument('--calls', type=int, default=CALLS)
    parser.add_argument('--part', type=int)
    parser.add_argument('--name', default='parts_stock')
    args = parser.parse_args()
    if args.database and not args.database.startswith('bench_'):
        parser.error('--database must name a bench_* database')
    uri = os.environ.get('TRYTOND_DATABASE__URI') or bench_uri()
    if args.what == 'data':
        print_json(stock_data(args.database, uri, int(args.parts),
                args.warehouses, args.moves))
        return
    if args.what == 'ageing':
        print_json(ageing(args.database, uri, args.runs))
        return
    if args.what == 'statements':
        print_json(statements(args.database, uri, args.part,
                [int(p) for p in args.parts.split(',')]))
        return

    env = dict(os.environ, TRYTOND_DATABASE__URI=uri)
    if sys.flags.optimize:
        env['PYTHONOPTIMIZE'] = str(sys.flags.optimize)
    stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
    report = {'name': args.name, 'timestamp': stamp,
        'scale': {'parts': int(args.parts), 'warehouses': args.warehouses,
            'moves': args.moves, 'companies': COMPANIES},
        **environment(uri), 'results': {}}
    database, created = args.database, False
    try:
        if not database:
            database = f"bench_parts_{stamp.replace('-', '_')}"
            created = True
            create_group_database(database, env, report['results'],
                COMPANIES)
        data = run_json('parts_stock.py', ['data', '--database', database,
                '--parts', str(args.parts), '--warehouses',
                str(args.warehouses), '--moves', str(args.moves)], env)
        if data:
            report['results']['data'] = data
        # As README.md asks of production (jit = off: the recursive
        # statement's estimates make PostgreSQL compile it for seconds),
        # then with the server's own setting, fewer runs
        report['results']['ageing'] = run_json('parts_stock.py', ['ageing',
                '--database', database, '--runs', str(max(2, args.runs))],
            dict(env, PGOPTIONS=(env.get('PGOPTIONS', '') + ' -c jit=off'
                    ).strip()))
        report['results']['ageing_server_jit'] = run_json('parts_stock.py',
            ['ageing', '--database', database, '--runs',
                str(max(2, args.runs // 4))], env)
        report['results']['available'] = available(database, uri, env,
            max(2, args.calls))
    finally:
        release_database(uri, database, created, args.keep, report)
    print(f"\nscale: {args.parts} parts, {args.warehouses} warehouses, "
        f"{args.moves} moves | python -O: "
        f"{'yes' if sys.flags.optimize else 'no'} | trytond "
        f"{report['trytond']} | PostgreSQL {report['postgresql']} | "
        f"{report['machine']['nproc']} CPUs")
    print(table(report))
    path = write_results(report)
    print(f'\nwritten: {os.path.relpath(path, ROOT)} and '
        'bench/results/latest.json')


if __name__ == '__main__':
    main()
