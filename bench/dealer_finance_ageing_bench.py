#!/usr/bin/env python3
"""dealer_finance's receivable ageing benchmark, dispatched to by
bench/run.py.

finance_receivable_ageing  the receivable ageing report
                  (dealer.receivable.ageing, addons/dealer_finance/
                  report.py: a table_query grouping the open receivable
                  move lines per customer, or rolled up to the top head
                  office) over --ageing-lines posted receivable move lines
                  (500,000 at the issue's scale) of 5,000 customers, one of
                  them a head office with 200 subsidiaries, as a finance
                  user (dealer_base's FINANCE position, the record rules
                  applying), inside trytond (Transaction().start with the
                  Pool, not over RPC): search_read of the first page (80
                  rows, the report's order: balance descending) rolled up
                  and per customer, and the head office's row rolled up and
                  per customer; each with its floor, the same grouped
                  statement (the report's table_query compiled for the same
                  context) run through psycopg without trytond and without
                  the rules, the ratio, and the EXPLAIN ANALYZE of the
                  statements one call issues.

The data is added to a generated database the first time (by COPY: the
customers, the moves, their lines and the reconciliations; by the ORM: the
chart of accounts and the fiscal years of the first company, and the
finance user) and found again in a kept database. Figures are printed as
JSON on the last line:

    python bench/dealer_finance_ageing_bench.py ageing --database bench_x \
        --lines 500000 --runs 50
"""
import argparse
import datetime as dt
import os
import statistics
import time
from decimal import Decimal
from random import Random
from types import SimpleNamespace

import psycopg

import generate
from harness import (CONFIG_FILE, DEFAULT_URI, SQLMeter, add_count_argument,
    by_scale, explain, log, ms_rows, percentiles, print_json, run_json,
    sql_profile, trytond_pool)

BENCHMARKS = ['finance_receivable_ageing']
# Counted in a --database run's scale, beside the generator's tables
TABLES = ['account_move', 'account_move_line', 'account_move_reconciliation']
# Receivable move lines per generator preset; --ageing-lines overrides.
# 500,000 is the issue's.
LINES = {'small': 50_000, 'medium': 200_000, 'large': 500_000,
    'crm': 500_000}
LINES_PER_CUSTOMER = 100  # 5,000 customers at 500,000 lines
MIN_CUSTOMERS = 500
SUBSIDIARIES = 200  # under the one head office
SITES = 40  # of them under another subsidiary (a branch's project sites)
RUNS = 50  # at most, of each figure (run.py's --calls caps it)
WARMUP = 3
PAGE = 80
CODE = 'AGEING-{:06d}'  # the generated customers' codes (the head office 1)
MOVE_NUMBER = 'AGE-{:08d}'
LOGIN = 'finance_ageing'
# Invoices are dated over the last INVOICE_DAYS days, their instalments
# fall due 30, 60, 90 days later: the due dates spread over the last 200
# days, and some are not yet due.
INVOICE_DAYS = 230
PAID = 0.55  # share of the instalments due 10 days ago or more that are paid
ON_ACCOUNT = 0.05  # share of the invoices with an unreconciled part payment
# The report's list (report_ageing_list.xml), with the names the client
# shows for the relations
FIELDS = ['party', 'party.rec_name', 'owner', 'owner.rec_name', 'not_due',
    'days_0_30', 'days_31_60', 'days_61_90', 'days_over_90', 'balance',
    'company', 'currency']
AMOUNTS = ['not_due', 'days_0_30', 'days_31_60', 'days_61_90',
    'days_over_90', 'balance']
# (key, label, rolled up to the head office, one row: the head office's)
FIGURES = [
    ('rolled_up_page', 'first page, rolled up', True, False),
    ('per_customer_page', 'first page, per customer', False, False),
    ('head_office_row', 'head office row, rolled up', True, True),
    ('customer_row', 'head office row, per customer', False, True),
    ]
EXPLAIN_TOP = 3


def add_arguments(parser):
    "run.py's flags for this benchmark"
    add_count_argument(parser, '--ageing-lines',
        'finance_receivable_ageing: posted receivable move lines', LINES)


def lines_from(args):
    return by_scale(args.ageing_lines, args.scale, LINES)


# ------------------------------------------------------------------ data

def _orm_setup(database, uri, company_id, years):
    """The chart of accounts and the fiscal years (with their periods) of
    the company, and the finance user, by the ORM (proteus and the test
    tools the scenarios use); return the accounts' ids"""
    from proteus import Model
    from proteus import config as pconfig
    from trytond.modules.account.tests.tools import (
        create_chart, create_fiscalyear, get_accounts)
    from trytond.modules.account_invoice.tests.tools import (
        set_fiscalyear_invoice_sequences)
    from trytond.modules.dealer_base.tests.tools import (
        create_employee, create_user, get_position, switch_company)
    config = pconfig.set_trytond(f'{uri.rstrip("/")}/{database}',
        config_file=CONFIG_FILE)
    config.skip_warning = True
    Company = Model.get('company.company', config=config)
    company = Company(company_id)
    switch_company(company, config=config)
    accounts = get_accounts(company, config=config)
    if 'receivable' not in accounts:
        log('finance_receivable_ageing: the chart of accounts '
            f'(company {company_id})')
        create_chart(company, config=config)
        accounts = get_accounts(company, config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    for year in years:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if FiscalYear.find([('company', '=', company_id),
                    ('start_date', '<=', end), ('end_date', '>=', start)]):
            continue
        log(f'finance_receivable_ageing: the fiscal year {year}')
        fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(
                company, today=(start, end), config=config), config=config)
        fiscalyear.save()
        fiscalyear.click('create_period')
    User = Model.get('res.user', config=config)
    if not User.find([('login', '=', LOGIN)]):
        employee = create_employee(company, '孙丽（财务）', config=config)
        create_user(LOGIN, [employee], [get_position('FINANCE', config)],
            config=config)
    return {k: accounts[k].id for k in ('receivable', 'revenue', 'cash')}


def _plan(rng, customers, n_lines, today):
    """The moves, receivable lines and reconciliations: invoices of one to
    three instalments (a receivable debit line each, falling due 30, 60, 90
    days after the invoice) and a revenue line; PAID of the instalments due
    for 10 days or more paid by a payment (a receivable credit line and a
    cash line) on or after the due date and reconciled with it; ON_ACCOUNT
    of the invoices with a part payment left unreconciled.

    Return moves [(date, journal)], lines [(move, kind, party, debit,
    credit, maturity, reconciliation)] (kind: 'receivable', 'revenue' or
    'cash'; move and reconciliation as indexes) and reconciliations
    [date]."""
    moves, lines, reconciliations = [], [], []
    receivable = 0
    cent = Decimal('0.01')
    while receivable < n_lines:
        party = rng.choice(customers)
        date = today - dt.timedelta(days=rng.randint(1, INVOICE_DAYS))
        k = rng.choice((1, 1, 2, 3))
        amounts = [(Decimal(rng.randint(500_000, 50_000_000)) / 100)
            for _ in range(k)]
        invoice = len(moves)
        moves.append((date, 'REV'))
        due_lines = []
        for j, amount in enumerate(amounts):
            maturity = date + dt.timedelta(days=30 * (j + 1))
            due_lines.append(len(lines))
            lines.append([invoice, 'receivable', party, amount, Decimal(0),
                    maturity, None])
        lines.append([invoice, 'revenue', None, Decimal(0), sum(amounts),
                None, None])
        receivable += k
        for index in due_lines:
            maturity, amount = lines[index][5], lines[index][3]
            if (maturity <= today - dt.timedelta(days=10)
                    and rng.random() < PAID):
                paid = min(maturity + dt.timedelta(
                        days=rng.randint(-10, 45)), today)
                paid = max(paid, date)
                payment = len(moves)
                moves.append((paid, 'CASH'))
                reconciliation = len(reconciliations)
                reconciliations.append(paid)
                lines[index][6] = reconciliation
                lines.append([payment, 'receivable', party, Decimal(0),
                        amount, None, reconciliation])
                lines.append([payment, 'cash', None, amount, Decimal(0),
                        None, None])
                receivable += 1
        if rng.random() < ON_ACCOUNT:
            amount = (amounts[0] * Decimal(rng.uniform(0.1, 0.5))).quantize(
                cent)
            payment = len(moves)
            moves.append((min(date + dt.timedelta(days=rng.randint(0, 60)),
                        today), 'CASH'))
            lines.append([payment, 'receivable', party, Decimal(0), amount,
                    None, None])
            lines.append([payment, 'cash', None, amount, Decimal(0), None,
                    None])
            receivable += 1
    return moves, lines, reconciliations


def ageing_data(database, uri, n_lines, seed=23):
    """The customers (one head office with SUBSIDIARIES subsidiaries, SITES
    of them under another subsidiary), the chart, fiscal years and the
    finance user, and about n_lines posted receivable lines of the first
    company; return what was added, or None if the data is there"""
    today = dt.date.today()
    with psycopg.connect(uri, dbname=database) as conn:
        found = conn.execute('SELECT count(*) FROM account_move_line l '
            'JOIN account_move m ON m.id = l.move '
            'WHERE m.number LIKE %s', ('AGE-%',)).fetchone()[0]
        if found:
            return None
        company = conn.execute('SELECT min(id) FROM company_company'
            ).fetchone()[0]
        if company is None:
            raise SystemExit('[bench] finance_receivable_ageing needs a '
                'generated database (a company)')
    start = time.perf_counter()
    first_day = today - dt.timedelta(days=INVOICE_DAYS + 1)
    years = range(first_day.year, today.year + 1)
    accounts = _orm_setup(database, uri, company, years)
    orm_seconds = time.perf_counter() - start
    n_customers = max(MIN_CUSTOMERS, n_lines // LINES_PER_CUSTOMER)
    log(f'finance_receivable_ageing: adding {n_customers} customers and '
        f'about {n_lines} receivable move lines (company {company})')
    rng = Random(seed)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    tables = {}
    with psycopg.connect(uri, dbname=database) as conn:
        owners = [e for e, in conn.execute(
                'SELECT e.id FROM company_employee e '
                'JOIN res_user u ON u.employee = e.id '
                "WHERE u.login LIKE 'sales\\_%%' AND e.company = %s "
                'ORDER BY e.id', (company,))] or [None]
        customer_type = conn.execute("SELECT db_id FROM ir_model_data "
            "WHERE module = 'dealer_crm' "
            "AND fs_id = 'customer_type_formal'").fetchone()
        customer_type = customer_type[0] if customer_type else None
        periods = conn.execute('SELECT p.id, p.start_date, p.end_date '
            'FROM account_period p '
            'JOIN account_fiscalyear f ON f.id = p.fiscalyear '
            "WHERE f.company = %s AND p.type = 'standard' "
            'ORDER BY p.start_date', (company,)).fetchall()
        journals = dict(conn.execute('SELECT code, id FROM account_journal '
                "WHERE code IN ('REV', 'CASH')"))

        def period(date):
            for id_, start_date, end_date in periods:
                if start_date <= date <= end_date:
                    return id_
            raise SystemExit(f'[bench] no period for {date}')
        periods_of = {}

        # The customers: the head office first, then its subsidiaries
        def customers():
            for i in range(n_customers):
                if i == 0:
                    name = f'{rng.choice(generate.BRANDS)}建设集团有限公司'
                elif i <= SUBSIDIARIES:
                    name = (generate.city(i)[0]
                        + rng.choice(generate.BRANDS)
                        + ('项目部' if i > SUBSIDIARIES - SITES
                            else '分公司'))
                else:
                    name = generate.customer_name(rng, i)
                owner = owners[i % len(owners)] if rng.random() > 0.1 else None
                code = generate.code_columns(CODE.format(i + 1))
                yield (0, now, True, *code, name, True, False, company,
                    owner, customer_type, i == 0)
        ctx = SimpleNamespace(ids={})
        begin = time.perf_counter()
        n = generate._load(conn, generate.Bulk('customers', 'party_party',
                generate.CRM_PARTY, lambda ctx: customers()), ctx)
        ids = list(ctx.ids['customers'])
        # The tree: the branches under the head office, the sites under
        # the branches
        head = ids[0]
        branches = ids[1:SUBSIDIARIES - SITES + 1]
        sites = ids[SUBSIDIARIES - SITES + 1:SUBSIDIARIES + 1]
        tree = [(b, head) for b in branches] + [
            (s, branches[k % len(branches)]) for k, s in enumerate(sites)]
        conn.execute('UPDATE party_party p SET head_office = t.head '
            'FROM unnest(%s::int[], %s::int[]) AS t(id, head) '
            'WHERE p.id = t.id', ([i for i, _ in tree], [h for _, h in tree]))
        conn.commit()
        tables['party_party'] = {'rows': n,
            'seconds': round(time.perf_counter() - begin, 1)}

        begin = time.perf_counter()
        moves, lines, reconciliations = _plan(rng, ids, n_lines, today)
        plan_seconds = time.perf_counter() - begin
        account = {'receivable': accounts['receivable'],
            'revenue': accounts['revenue'], 'cash': accounts['cash']}
        bulks = [
            generate.Bulk('reconciliations', 'account_move_reconciliation',
                ('create_uid', 'create_date', 'company', 'date', 'number'),
                lambda ctx: ((0, now, company, date, f'AGE-R{r + 1:07d}')
                    for r, date in enumerate(reconciliations))),
            generate.Bulk('moves', 'account_move', ('create_uid',
                    'create_date', 'company', 'journal', 'period', 'date',
                    'post_date', 'number', 'state'),
                lambda ctx: ((0, now, company, journals[journal],
                        periods_of.get(date) or periods_of.setdefault(
                            date, period(date)),
                        date, date, MOVE_NUMBER.format(k + 1), 'posted')
                    for k, (date, journal) in enumerate(moves))),
            generate.Bulk('lines', 'account_move_line', ('create_uid',
                    'create_date', 'move', 'account', 'party', 'debit',
                    'credit', 'maturity_date', 'reconciliation', 'state'),
                lambda ctx: ((0, now, ctx.ids['moves'][move], account[kind],
                        party, debit, credit, maturity,
                        None if rec is None
                        else ctx.ids['reconciliations'][rec], 'valid')
                    for move, kind, party, debit, credit, maturity, rec
                    in lines)),
            ]
        for bulk in bulks:
            begin = time.perf_counter()
            n = generate._load(conn, bulk, ctx)
            seconds = time.perf_counter() - begin
            tables[bulk.table] = {'rows': n, 'seconds': round(seconds, 1),
                'rows_per_s': round(n / seconds) if seconds else None}
            log(f'  {bulk.table:<28} {n:>9} rows  {n / seconds:>9.0f} rows/s')
        conn.autocommit = True
        # The chart and fiscal years too: just created by the ORM, they
        # have no statistics yet (a real chart has had them for long)
        for table in ('party_party', 'account_move_reconciliation',
                'account_move', 'account_move_line', 'account_account',
                'account_account_type', 'account_fiscalyear',
                'account_period', 'account_journal'):
            conn.execute(f'VACUUM ANALYZE "{table}"')
    return {'seconds': round(time.perf_counter() - start, 1),
        'orm_seconds': round(orm_seconds, 1),
        'plan_seconds': round(plan_seconds, 1), 'company': company,
        'customers': n_customers, 'tables': tables}


# ------------------------------------------------------------ measuring

def ageing(database, uri, n_lines, runs):
    os.environ['TRYTOND_DATABASE__URI'] = uri
    result = {'inside_trytond': True, 'model': 'dealer.receivable.ageing',
        'call': f'search_read(<domain>, 0, {PAGE}, None, <the list\'s '
        'fields>) in a fresh read-only transaction (timed from its start '
        'to its end)', 'fields': FIELDS, 'runs': runs,
        'warmup_runs': WARMUP, 'position': 'FINANCE (data scope company)'}
    data = ageing_data(database, uri, n_lines)
    if data:
        result['data'] = data
    from trytond.transaction import Transaction
    pool = trytond_pool(database)
    User = pool.get('res.user')
    Ageing = pool.get('dealer.receivable.ageing')
    Date = pool.get('ir.date')
    with psycopg.connect(uri, dbname=database) as conn:
        user_id, = conn.execute('SELECT id FROM res_user WHERE login = %s',
            (LOGIN,)).fetchone()
        head = conn.execute('SELECT id, company FROM party_party '
            'WHERE code = %s', (CODE.format(1),)).fetchone()
        if head is None:
            raise SystemExit('[bench] finance_receivable_ageing: no '
                'generated head office')
        head, company = head
    result['login'] = LOGIN
    with Transaction().start(database, user_id, readonly=True):
        preferences = User.get_preferences(context_only=True)
        with Transaction().set_context(company=company):
            today = Date.today()  # the context form's default
    result['date'] = today.isoformat()
    result['company'] = company
    result.update(_counts(uri, database, company, head, today))

    def context(rolled_up, rules=True):
        return dict(preferences, company=company, date=today,
            head_office=rolled_up, _check_access=rules)

    def orm(rolled_up, one, rules=True):
        domain = [('party', '=', head)] if one else []
        begin = time.perf_counter()
        with Transaction().start(database, user_id, readonly=True,
                context=context(rolled_up, rules)):
            rows = Ageing.search_read(domain, 0, PAGE, None, list(FIELDS))
        return time.perf_counter() - begin, rows

    def floor_statement(rolled_up, one):
        "The report's grouped statement for the context, compiled"
        with Transaction().start(database, user_id, readonly=True,
                context=context(rolled_up)):
            query = Ageing.table_query()
            columns = [query.id, query.party, query.company, query.owner,
                *[getattr(query, n) for n in AMOUNTS]]
            if one:
                sql = query.select(*columns, where=query.id == head)
            else:
                sql = query.select(*columns,
                    order_by=[query.balance.desc, query.id.asc], limit=PAGE)
            text, params = tuple(sql)
            return str(text), tuple(params)

    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        for key, label, rolled_up, one in FIGURES:
            log(f'finance_receivable_ageing: {label}: {runs} runs and as '
                'many floors, interleaved')
            entry = result[key] = {'rolled_up': rolled_up,
                'domain': f"[('party', '=', {head})]" if one else '[]'}
            sql, params = floor_statement(rolled_up, one)

            def floor():
                begin = time.perf_counter()
                rows = conn.execute(sql, params).fetchall()
                return time.perf_counter() - begin, rows
            for _ in range(WARMUP):
                orm(rolled_up, one)
                floor()
            samples, floors, meters = [], [], []
            for _ in range(runs):
                with SQLMeter() as meter:
                    seconds, rows = orm(rolled_up, one)
                samples.append(seconds)
                meters.append(meter)
                seconds, floor_rows = floor()
                floors.append(seconds)
            entry.update(percentiles(samples))
            entry['rows'] = len(rows)
            entry['statements_per_call'] = round(statistics.fmean(
                    m.statements for m in meters), 1)
            entry['sql_ms_per_call'] = round(statistics.fmean(
                    m.seconds for m in meters) * 1000, 3)
            entry['floor'] = percentiles(floors)
            entry['floor']['sql'] = sql
            entry['floor']['params'] = [str(p) for p in params]
            entry['ratio_p50_to_floor'] = round(
                entry['p50_ms'] / entry['floor']['p50_ms'], 2)
            entry['ratio_p95_to_floor'] = round(
                entry['p95_ms'] / entry['floor']['p95_ms'], 2)
            orm_rows = [(r['id'], r['balance']) for r in rows]
            entry['same_rows_as_floor'] = orm_rows == [
                (r[0], r[-1]) for r in floor_rows]
            if one and rows:
                entry['row'] = {k: str(rows[0][k]) for k in AMOUNTS}
            # The same call without the record rules (as root would)
            n = max(10, runs // 5)
            entry['without_rules'] = percentiles(
                [orm(rolled_up, one, rules=False)[0] for _ in range(n)])
            entry['without_rules']['runs'] = n
            # What one call issues, explained
            with SQLMeter(capture=True) as meter:
                orm(rolled_up, one)
            with psycopg.connect(uri, dbname=database) as explain_conn:
                explain_conn.read_only = True
                entry['sql_profile'] = sql_profile(explain_conn,
                    meter.captured, EXPLAIN_TOP, with_params=True)
                plan, ms = explain(explain_conn, sql, params)
                entry['floor']['explain_ms'] = ms
                entry['floor']['plan'] = plan
    return result


def _counts(uri, database, company, head, today):
    "What the report reads"
    with psycopg.connect(uri, dbname=database) as conn:
        lines, open_lines, customers = conn.execute('''
            SELECT count(*), count(*) FILTER (WHERE l.reconciliation IS NULL),
                count(DISTINCT l.party)
            FROM account_move_line l
            JOIN account_account a ON a.id = l.account
            JOIN account_account_type t ON t.id = a.type
            WHERE a.company = %s AND t.receivable AND l.party IS NOT NULL''',
            (company,)).fetchone()
        members = conn.execute('''
            WITH RECURSIVE tree(id, depth) AS (
                SELECT %s::int, 0
                UNION SELECT p.id, t.depth + 1 FROM party_party p
                JOIN tree t ON p.head_office = t.id)
            SELECT count(*) - 1, max(depth) FROM tree''', (head,)).fetchone()
        group_lines, group_open = conn.execute('''
            WITH RECURSIVE tree(id) AS (
                SELECT %s::int
                UNION SELECT p.id FROM party_party p
                JOIN tree t ON p.head_office = t.id)
            SELECT count(*), count(*) FILTER (
                WHERE l.reconciliation IS NULL)
            FROM account_move_line l JOIN tree t ON t.id = l.party''',
            (head,)).fetchone()
        return {
            'receivable_lines': lines, 'open_receivable_lines': open_lines,
            'customers_with_lines': customers,
            'move_lines': conn.execute('SELECT count(*) FROM '
                'account_move_line').fetchone()[0],
            'moves': conn.execute('SELECT count(*) FROM account_move'
                ).fetchone()[0],
            'reconciliations': conn.execute('SELECT count(*) FROM '
                'account_move_reconciliation').fetchone()[0],
            'parties': conn.execute('SELECT count(*) FROM party_party'
                ).fetchone()[0],
            'head_office': {'id': head, 'subsidiaries': members[0],
                'depth': members[1], 'receivable_lines': group_lines,
                'open_receivable_lines': group_open},
            }


# ---------------------------------------------------------------- output

def table(r, row, lines):
    "Rows of run.py's table"
    if 'finance_receivable_ageing' not in r:
        return
    f = r['finance_receivable_ageing']
    name = 'receivable_ageing'
    for key, label, _, _ in FIGURES:
        e = f[key]
        ms_rows(row, name, label, e, ('p50', 'p95'))
        ms_rows(row, name, f'{label} floor', e['floor'], ('p50', 'p95'))
        row(name, f'{label} p50 / floor p50', e['ratio_p50_to_floor'], 'x')
        row(name, f'{label} without rules p50', e['without_rules']['p50_ms'],
            'ms')
        row(name, f'{label} SQL statements/call', e['statements_per_call'],
            f"({e['sql_ms_per_call']} ms in execute)")
        top = e['sql_profile']['slowest']
        if top:
            row(name, f'{label} slowest SELECT (EXPLAIN)',
                top[0]['execution_ms'], 'ms')
        row(name, f'{label} same rows as floor',
            'yes' if e['same_rows_as_floor'] else 'NO', f"({e['rows']} rows)")
    h = f['head_office']
    lines.append(f"{'':<16} {f['receivable_lines']} receivable lines "
        f"({f['open_receivable_lines']} unreconciled) of "
        f"{f['customers_with_lines']} customers, {f['moves']} moves; the "
        f"head office: {h['subsidiaries']} subsidiaries (depth "
        f"{h['depth']}), {h['receivable_lines']} lines; as {f['login']} "
        f"(FINANCE), date {f['date']}; inside trytond (Transaction().start, "
        'the Pool), not over RPC; floor: the report\'s grouped statement '
        'through psycopg, no rules')


# ---------------------------------------------------- run.py dispatches

def run_ageing(database, env, n_lines, runs):
    return run_json('dealer_finance_ageing_bench.py', ['ageing',
            '--database', database, '--lines', str(n_lines), '--runs',
            str(runs)], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', choices=['ageing'])
    parser.add_argument('--database', required=True)
    parser.add_argument('--lines', type=int, default=LINES['large'])
    parser.add_argument('--runs', type=int, default=RUNS)
    args = parser.parse_args()
    if not args.database.startswith('bench_'):
        parser.error('--database must name a bench_* database')
    uri = os.environ.get('TRYTOND_DATABASE__URI', DEFAULT_URI)
    result = ageing(args.database, uri, args.lines, max(2, args.runs))
    print_json(result)


if __name__ == '__main__':
    main()
