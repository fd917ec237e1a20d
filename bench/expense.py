#!/usr/bin/env python3
"""dealer_expense's benchmarks (issue 15): with 1,000,000 historical claim
lines, the budget and standard check at submission (goal p95 < 100 ms), an
employee's "my claims" list and a superior's "my team's claims" list.

expense_submission  a new draft claim of 4 lines (a hotel of 2 nights in a
                 first-tier city with its receipt and official invoice, two
                 days of travel allowance, a second-class train ticket, a
                 phone bill) by a salesperson with about 400 claims of
                 history, this month: Claim.check_submission (receipts,
                 dates, the invoice and file duplicates under the table
                 lock, the standards, the budgets with their row locks)
                 — `check`; the standard and budget part alone, as the
                 module's check_submission runs it — `budget_standard`
                 (goal p95 < 100 ms); the whole Submit button (the check,
                 the number, the approval request, its log and approvers)
                 — `submit`; and what the first attempt of the button costs
                 over RPC before it meets the table lock (Tryton raises,
                 the dispatcher rolls back and starts again with the table
                 locked) — `first_attempt`.  Each run a fresh transaction
                 (the claim created in it, untimed), rolled back; the table
                 lock taken when the transaction starts, as on the
                 dispatcher's second attempt.  Floor: the budgets the lines
                 spend with their consumed and committed sums by one SQL
                 statement (what Budget.spent sums, with the budgets' search).
expense_my_claims   act_claim_mine's list as the employee: search_read of
                 [('employee', 'in', <his employees>)], the first 80 by the
                 list's order (date DESC, id DESC), the list view's fields
                 (amount summed from the lines, approval step, names)
expense_team_claims act_claim_team's list as a sales manager with 25 direct
                 subordinates: [('employee.supervisor', 'in', <his
                 employees>)], the same
                 Each: `with_rules` (the user, rules applying), `root` (the
                 same search_read as root: no rules) and the floor (the
                 page by one SQL statement, its amounts summed), the same
                 ids in the same order (same_rows_as_floor); the rules' SQL
                 (the statement the ORM builds for the page) under EXPLAIN
                 ANALYZE; `xmlrpc`: the same call over XML-RPC with a
                 session (what the web client waits for)

Measured inside trytond (Transaction().start as the user with his
preferences and _check_access, as RPC sets it; rules applying): a check
must be rolled back after each run and timed apart from creating its
claim, which only a transaction of our own allows; the lists are timed the
same way so that their figures compare with the floors, and once more over
XML-RPC for what the user waits.

The database: a new bench_expense_<date>_<time> (scripts/setup_database.py,
every dealer module, then bench/generate.py for two companies and the group
leader boss_001), dropped at the end unless --keep; --database reuses a
kept one (its data found again).  The expense data, added the first time
(exp_emp_* logins found: nothing is added):

- by the ORM: an expense account per company; six categories per company
  (差旅费 per day, 住宿费 per night, 业务招待费 business, 交通费, 通讯费,
  办公用品); the 30 cities of generate.CITIES in three tiers (4 first, 12
  second); 20 sales managers (Sales Manager position, 10 per company, each
  supervised by boss_001's employee in his company), each over 25
  salespeople (Salesperson position): 500 employees, each with his login
  (exp_mgr_01…, exp_emp_001…, password generate.PASSWORD); one department
  per manager (his 25 and himself); a finance login per company (Finance
  position, the flow's last step); 11 standards per company (hotel per
  night by position and tier, travel allowance per day, phone per item,
  the transport class per position);
- by COPY, in date order (ids follow the dates) over the last two years:
  200,000 claims of the 520 claimants with 1,000,000 lines (1 to 9, five
  on average; categories 30 % transport, 20 % travel, 15 % hotel, 15 %
  office, 10 % reception with a customer of the company, 10 % phone),
  within their standards (the companies block lines over standard); 60 %
  of the lines with an official invoice (code and number, unique), every
  line above 200.00 with its receipt (ir_attachment, its digest, no
  content); states by age: older than 45 days 95 % paid, 4 % cancelled, 1 %
  draft; 15–45 days 70 % paid, 20 % approved, 5 % waiting, 2 % returned, 2 %
  cancelled, 1 % draft; the last 15 days 35 % waiting, 20 % approved, 15 %
  paid, 15 % draft, 10 % returned, 5 % cancelled; the approval requests as
  the engine writes them (the group's default flow: supervisor, the general
  manager for business expenses and above 5,000, finance; skip_repeated):
  approved ones with their submit and approve logs, waiting ones at their
  step with its approvers and the logs before it, returned ones rejected by
  the supervisor (the claim no longer points to them), and one claim in ten
  among those submitted returned once before (its rejected request and
  logs kept); numbers BX… on every claim ever submitted and the claim
  sequence moved past them; budgets per department, category and month for
  the 25 months (3,000 rows), each 1.3 times what its lines spend plus
  5,000.00, so that the measured claim is never blocked;
- not generated: the payables of approved claims (account.invoice: nothing
  measured reads them) and the customers' timeline events.

    .venv/bin/python -O bench/expense.py [--keep] [--database bench_expense_...]
        [--claims 200000] [--lines 1000000] [--runs 200] [--calls 200]

Figures are printed and written to bench/results/expense-<time>.json and
bench/results/latest.json (see bench/README.md).
"""
import argparse
import collections
import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

import psycopg

import generate
from harness import (ROOT, SQLMeter, Server, bench_uri,
    create_group_database, environment, explain, log, met, ms_rows,
    percentiles, print_json, release_database, run_json, sql_profile, timed,
    trytond_pool, write_results)

CLAIMS = 200_000
LINES = 1_000_000
MANAGERS = 20
PER_MANAGER = 25
COMPANIES = 2
DAYS = 730
RUNS = 200
CALLS = 200
WARMUP = 10
PAGE = 80
GOAL_P95_MS = 100
TIMEZONE = ZoneInfo('Asia/Shanghai')
EMPLOYEE_LOGIN = 'exp_emp_{:03d}'
MANAGER_LOGIN = 'exp_mgr_{:02d}'
FINANCE_LOGIN = 'exp_fin_{}'
# code, name, business, basis, share of the lines
CATEGORIES = [
    ('TRAVEL', '差旅费', False, 'day', 0.20),
    ('HOTEL', '住宿费', False, 'night', 0.15),
    ('RECEPTION', '业务招待费', True, 'item', 0.10),
    ('TRANSPORT', '交通费', False, 'item', 0.30),
    ('PHONE', '通讯费', False, 'item', 0.10),
    ('OFFICE', '办公用品', False, 'item', 0.15),
    ]
# category, position ('sales', 'manager' or None), tier, amount, class
STANDARDS = [
    ('HOTEL', 'sales', '1', 500, None),
    ('HOTEL', 'sales', '2', 400, None),
    ('HOTEL', 'sales', None, 350, None),
    ('HOTEL', 'manager', '1', 800, None),
    ('HOTEL', 'manager', None, 600, None),
    ('TRAVEL', None, None, 100, None),
    ('PHONE', 'sales', None, 300, None),
    ('PHONE', 'manager', None, 500, None),
    ('TRANSPORT', 'sales', None, None, 'second_seat'),
    ('TRANSPORT', 'manager', None, None, 'first_seat'),
    ('OFFICE', None, None, 1000, None),
    ]
RECEIPT_THRESHOLD = Decimal('200.00')
BUSINESS_STEP_ABOVE = Decimal('5000')
# (age in days from, states and their weights) — the claim's age at today
STATES_BY_AGE = [
    (45, [('paid', 95), ('cancelled', 4), ('draft', 1)]),
    (15, [('paid', 70), ('approved', 20), ('waiting', 5), ('returned', 2),
            ('cancelled', 2), ('draft', 1)]),
    (0, [('waiting', 35), ('approved', 20), ('paid', 15), ('draft', 15),
            ('returned', 10), ('cancelled', 5)]),
    ]
RETURNED_BEFORE = 0.1  # of the claims submitted: returned once before
LIST_FIELDS = ['number', 'date', 'employee', 'employee.rec_name',
    'description', 'amount', 'department', 'department.rec_name', 'company',
    'company.rec_name', 'approval_step', 'approval_step.rec_name', 'state']
TABLE = 'dealer_expense_claim_line'
PURPOSES = ('拜访{c}客户', '{c}工地技术支持', '{c}展会', '{c}项目投标',
    '{c}设备交付', '{c}售后回访', '月度市内交通', '办公用品采购', '话费报销')


def today():
    "The companies' today (Asia/Shanghai), as ir.date gives it"
    return dt.datetime.now(TIMEZONE).date()


def month_start(date, months=0):
    m = date.year * 12 + date.month - 1 + months
    return dt.date(m // 12, m % 12 + 1, 1)


# ------------------------------------------------------------------ data

def _orm(database, managers, per_manager):
    """Accounts, categories, cities, staff with their logins, departments,
    finance, standards — in a root transaction; return the ids the rows
    need"""
    trytond_pool(database)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    rng = Random(11)
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        AccountType = pool.get('account.account.type')
        Account = pool.get('account.account')
        Category = pool.get('dealer.expense.category')
        City = pool.get('dealer.expense.city')
        Department = pool.get('dealer.department')
        Standard = pool.get('dealer.expense.standard')
        Lang = pool.get('ir.lang')
        Flow = pool.get('dealer.approval.flow')
        zh, = Lang.search([('code', '=', 'zh_CN')])
        companies = Company.search([], order=[('id', 'ASC')])
        boss, = User.search([('login', '=', generate.BOSS_LOGIN)])
        boss_employees = {e.company.id: e.id for e in boss.employees}
        positions = {k: ModelData.get_id('dealer_base', f'position_{k}')
            for k in ('salesperson', 'sales_manager', 'finance', 'boss')}
        categories = {}
        for company in companies:
            with Transaction().set_context(company=company.id):
                type_, = AccountType.create([{'name': '费用',
                            'company': company.id, 'statement': 'income',
                            'expense': True}])
                account, = Account.create([{'name': '管理费用',
                            'code': '6602', 'company': company.id,
                            'type': type_.id}])
                created = Category.create([{'company': company.id,
                            'name': name, 'code': code, 'business': business,
                            'basis': basis, 'account': account.id}
                        for code, name, business, basis, _ in CATEGORIES])
            categories[company.id] = {c.code: c.id for c in created}
        cities = City.create([{'name': name,
                    'tier': '1' if k < 4 else '2' if k < 16 else '3'}
                for k, (name, _) in enumerate(generate.CITIES)])
        # Staff: managers, then their salespeople, then finance
        n_staff = managers * per_manager
        parties = Party.create([{'name': generate.person_name(rng)}
                for _ in range(managers + n_staff + len(companies))])
        start = dt.date(2020, 1, 1)
        mgr_company = [companies[m % len(companies)].id
            for m in range(managers)]
        manager_employees = Employee.create([{'party': parties[m].id,
                    'company': mgr_company[m], 'start_date': start,
                    'supervisor': boss_employees[mgr_company[m]]}
                for m in range(managers)])
        staff_manager = [k // per_manager for k in range(n_staff)]
        staff_employees = Employee.create([{
                    'party': parties[managers + k].id,
                    'company': mgr_company[staff_manager[k]],
                    'start_date': start,
                    'supervisor': manager_employees[staff_manager[k]].id}
                for k in range(n_staff)])
        finance_employees = Employee.create([{
                    'party': parties[managers + n_staff + k].id,
                    'company': c.id, 'start_date': start,
                    'supervisor': boss_employees[c.id]}
                for k, c in enumerate(companies)])

        def user(login, employee, position):
            return {'login': login, 'name': employee.party.name,
                'language': zh.id,
                'companies': [('add', [employee.company.id])],
                'company': employee.company.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                'roles': [('create', [{'role': positions[position]}])]}
        users = User.create(
            [user(MANAGER_LOGIN.format(m + 1), e, 'sales_manager')
                for m, e in enumerate(manager_employees)]
            + [user(EMPLOYEE_LOGIN.format(k + 1), e, 'salesperson')
                for k, e in enumerate(staff_employees)]
            + [user(FINANCE_LOGIN.format(k + 1), e, 'finance')
                for k, e in enumerate(finance_employees)])
        manager_users = [u.id for u in users[:managers]]
        staff_users = [u.id for u in users[managers:managers + n_staff]]
        finance_users = {c.id: u.id for c, u in zip(companies,
                users[managers + n_staff:])}
        departments = Department.create([{
                    'name': f'销售{m + 1:02d}部', 'code': f'S{m + 1:02d}',
                    'companies': [('add', [mgr_company[m]])],
                    'manager': manager_employees[m].id,
                    'members': [('add', [manager_employees[m].id] + [
                                staff_employees[k].id for k in range(
                                    m * per_manager, (m + 1) * per_manager)])],
                    } for m in range(managers)])
        standards = []
        for company in companies:
            for code, position, tier, amount, travel_class in STANDARDS:
                standards.append({'company': company.id,
                        'category': categories[company.id][code],
                        'position': {'sales': positions['salesperson'],
                            'manager': positions['sales_manager'],
                            None: None}[position],
                        'city_tier': tier,
                        'amount': Decimal(amount) if amount else None,
                        'travel_class': travel_class})
        with Transaction().set_context(company=companies[0].id):
            Standard.create(standards)
        flow, = Flow.search([('document_model', '=', 'dealer.expense.claim'),
                ('company', '=', None)])
        steps = {}
        for step in flow.steps:
            key = ('supervisor' if step.approver_type == 'supervisor'
                else 'business' if step.condition == 'business'
                else 'amount' if step.min_amount else 'finance')
            steps[key] = (step.id, step.name)
        customers = {c.id: [p.id for p in Party.search([
                        ('is_customer', '=', True),
                        ('company', '=', c.id)], limit=200)]
            for c in companies}
        result = {
            'companies': [c.id for c in companies],
            'currencies': {c.id: c.currency.id for c in companies},
            'categories': categories,
            'cities': [(c.id, c.tier) for c in cities],
            'boss_user': boss.id,
            'boss_employees': boss_employees,
            'managers': [{'employee': e.id, 'user': u, 'company': c,
                    'department': d.id} for e, u, c, d in zip(
                    manager_employees, manager_users, mgr_company,
                    departments)],
            'staff': [{'employee': e.id, 'user': u,
                    'company': mgr_company[staff_manager[k]],
                    'manager': staff_manager[k],
                    'department': departments[staff_manager[k]].id}
                for k, (e, u) in enumerate(zip(staff_employees,
                        staff_users))],
            'finance_users': finance_users,
            'flow': flow.id,
            'steps': steps,
            'customers': customers,
            }
        transaction.commit()
    return result


def _standard_of(code, position, tier):
    "(amount, class) of STANDARDS for a position ('sales'/'manager')"
    chosen = {}
    for c, p, t, amount, travel_class in STANDARDS:
        if c != code or p not in (position, None) or t not in (tier, None):
            continue
        if p not in chosen or t:
            chosen[p] = (amount, travel_class)
    if not chosen:
        return None, None
    amounts = [a for a, _ in chosen.values()]
    return (None if None in amounts else max(amounts)), next(
        (k for _, k in chosen.values() if k), None)


def _state(rng, age):
    for threshold, states in STATES_BY_AGE:
        if age >= threshold:
            names, weights = zip(*states)
            return rng.choices(names, weights)[0]


def _plan(orm, n_claims, n_lines, day, seed=23):
    """Claims (in date order) with their lines, requests, approvers, logs
    and receipts, as lists of plain tuples (indexes, not ids)"""
    rng = Random(seed)
    claimants = [dict(m, position='manager', supervisor_user=orm['boss_user'])
        for m in orm['managers']]
    for s in orm['staff']:
        claimants.append(dict(s, position='sales',
                supervisor_user=orm['managers'][s['manager']]['user']))
    cats = [c for c in CATEGORIES]
    shares = [c[4] for c in CATEGORIES]
    first = day - dt.timedelta(days=DAYS - 1)
    dates = sorted(first + dt.timedelta(days=rng.randrange(DAYS))
        for _ in range(n_claims))
    mean = n_lines / n_claims
    counts = [max(1, min(9, int(round(rng.gauss(mean, 2)))))
        for _ in range(n_claims)]
    # Bring the total to n_lines exactly
    diff = n_lines - sum(counts)
    while diff:
        k = rng.randrange(n_claims)
        if diff > 0 and counts[k] < 9:
            counts[k] += 1
            diff -= 1
        elif diff < 0 and counts[k] > 1:
            counts[k] -= 1
            diff += 1
    city_ids = orm['cities']
    claims = []
    invoice_no = 0
    number = 0
    for k, date in enumerate(dates):
        who = claimants[rng.randrange(len(claimants))]
        company = who['company']
        age = (day - date).days
        state = _state(rng, age)
        claim_lines = []
        total = Decimal(0)
        business = False
        city_name = generate.CITIES[rng.randrange(len(generate.CITIES))][0]
        for _ in range(counts[k]):
            code = rng.choices(cats, shares)[0][0]
            line_date = max(first, date - dt.timedelta(
                    days=rng.randint(0, 20)))
            city, quantity, customer, travel_class = None, 1, None, None
            if code == 'TRAVEL':
                quantity = rng.randint(1, 5)
                amount = Decimal(100 * quantity)
                city = city_ids[rng.randrange(len(city_ids))]
            elif code == 'HOTEL':
                quantity = rng.randint(1, 4)
                city = city_ids[rng.randrange(len(city_ids))]
                per_night, _ = _standard_of(code, who['position'], city[1])
                amount = Decimal(rng.randint(per_night * 60, per_night * 100)
                    * quantity) / 100
            elif code == 'RECEPTION':
                amount = Decimal(rng.randint(15_000, 300_000)) / 100
                customer = rng.choice(orm['customers'][company])
                business = True
            elif code == 'TRANSPORT':
                amount = Decimal(rng.randint(1_500, 80_000)) / 100
                if amount > 300:
                    travel_class = rng.choice(['second_seat', 'economy'])
            elif code == 'PHONE':
                cap, _ = _standard_of(code, who['position'], None)
                amount = Decimal(rng.randint(5_000, cap * 100)) / 100
            else:
                amount = Decimal(rng.randint(1_000, 50_000)) / 100
            invoice = None
            if rng.random() < 0.6:
                invoice_no += 1
                invoice = (f'0{31 + company % 60:02d}00190{invoice_no % 1000:03d}'
                    f'{invoice_no // 1000 % 100:02d}', f'{invoice_no:08d}')
            total += amount
            claim_lines.append((line_date, code, city and city[0], quantity,
                    amount, customer, travel_class, invoice))
        claim_lines.sort(key=lambda l: l[0])
        submitted = state not in ('draft',) and not (
            state == 'cancelled' and rng.random() < 0.5)
        returned_before = submitted and state in (
            'waiting', 'approved', 'paid') and rng.random() < RETURNED_BEFORE
        if submitted:
            number += 1
        claims.append({'date': date, 'age': age, 'who': who, 'state': state,
                'number': f'BX{number:06d}' if submitted else None,
                'total': total, 'business': business,
                'returned_before': returned_before,
                'description': rng.choice(PURPOSES).format(c=city_name),
                'lines': claim_lines,
                'submitted_at': dt.datetime.combine(date, dt.time(1))
                + dt.timedelta(minutes=rng.randrange(600))})
    return claims, number


def _requests(orm, claims, rng):
    """The approval requests, their approvers and logs of the claims, as
    the engine writes them: [(claim index, request fields, approvers,
    logs)] in order; claim['request'] the index of its current one"""
    steps = orm['steps']
    requests = []

    def chain(claim):
        "The steps that apply, with their approver, in order"
        who = claim['who']
        out = [('supervisor', who['supervisor_user'])]
        if claim['business']:
            out.append(('business', orm['boss_user']))
        if claim['total'] > BUSINESS_STEP_ABOVE:
            out.append(('amount', orm['boss_user']))
        out.append(('finance', orm['finance_users'][who['company']]))
        # skip_repeated: a step whose approver approved already is passed
        seen, result = set(), []
        for step, user in out:
            if user in seen:
                continue
            seen.add(user)
            result.append((step, user))
        return result

    for k, claim in enumerate(claims):
        state = claim['state']
        claim['request'] = None
        if not claim['number']:
            continue
        who = claim['who']
        at = claim['submitted_at']
        conditions = 'business' if claim['business'] else None

        def request(state_, step, approvers, logs):
            requests.append((k, {'state': state_, 'step': step,
                        'submitted': logs[0][3], 'conditions': conditions},
                    approvers, logs))
            return len(requests) - 1
        if claim['returned_before'] or state in ('returned', 'cancelled'):
            logs = [(None, 'submit', who['user'], at, None),
                (steps['supervisor'], 'reject', who['supervisor_user'],
                    at + dt.timedelta(hours=5), '请补充说明')]
            index = request('rejected', None, [], logs)
            if state in ('returned', 'cancelled'):
                continue
            at = at + dt.timedelta(days=1)
        path = chain(claim)
        logs = [(None, 'submit', who['user'], at, None)]
        if state == 'waiting':
            reached = rng.randrange(len(path)) if (
                claim['age'] > 2) else 0
        else:
            reached = len(path)
        for n, (step, user) in enumerate(path[:reached], 1):
            logs.append((steps[step], 'approve', user,
                    at + dt.timedelta(hours=8 * n), None))
        if state == 'waiting':
            step, user = path[reached]
            index = request('waiting', steps[step][0], [user], logs)
        else:
            index = request('approved', None, [], logs)
        claim['request'] = index
    return requests


def expense_data(database, uri, n_claims, n_lines, managers, per_manager):
    """The staff, the categories, standards and budgets, the claims with
    their lines, receipts and approval the first time; None when found"""
    with psycopg.connect(uri, dbname=database) as conn:
        found = conn.execute('SELECT count(*) FROM res_user '
            'WHERE login = %s', (EMPLOYEE_LOGIN.format(1),)).fetchone()[0]
        if found:
            return None
    day = today()
    log(f'expense: adding {managers} managers over {managers * per_manager} '
        f'salespeople, {n_claims} claims and {n_lines} lines')
    start = time.perf_counter()
    orm = _orm(database, managers, per_manager)
    orm_seconds = time.perf_counter() - start
    begin = time.perf_counter()
    claims, numbers = _plan(orm, n_claims, n_lines, day)
    requests = _requests(orm, claims, Random(29))
    plan_seconds = time.perf_counter() - begin
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    tables = {}
    spent = collections.Counter()  # (department, category, month) -> amount
    with psycopg.connect(uri, dbname=database) as conn:
        def reserve(table, n):
            seq = conn.execute('SELECT pg_get_serial_sequence(%s, %s)',
                (table, 'id')).fetchone()[0]
            first = conn.execute('SELECT nextval(%s)', (seq,)).fetchone()[0]
            conn.execute('SELECT setval(%s, %s)', (seq, first + max(n, 1)))
            return first

        def copy(table, columns, rows, first):
            begin = time.perf_counter()
            names = ', '.join(f'"{c}"' for c in ('id',) + columns)
            n = 0
            with conn.cursor() as cursor:
                with cursor.copy(
                        f'COPY "{table}" ({names}) FROM STDIN') as c:
                    for n, row in enumerate(rows, 1):
                        c.write_row((first + n - 1, *row))
            seconds = time.perf_counter() - begin
            tables[table] = {'rows': n, 'seconds': round(seconds, 1),
                'rows_per_s': round(n / seconds) if seconds else None}
            log(f'  {table:<36} {n:>9} rows  {n / seconds:>9.0f} rows/s')

        n_lines_total = sum(len(c['lines']) for c in claims)
        first_claim = reserve('dealer_expense_claim', len(claims))
        first_line = reserve(TABLE, n_lines_total)
        first_request = reserve('dealer_approval_request', len(requests))
        n_logs = sum(len(r[3]) for r in requests)
        first_log = reserve('dealer_approval_log', n_logs)
        n_approvers = sum(len(r[2]) for r in requests)
        first_approver = reserve('dealer_approval_request-res_user',
            n_approvers)
        doc = 'dealer.expense.claim,{}'.format
        copy('dealer_approval_request', ('create_uid', 'create_date',
                'document', 'company', 'requester', 'requester_employee',
                'amount', 'conditions', 'flow', 'step', 'state',
                'submitted'),
            ((claims[k]['who']['user'], r['submitted'],
                    doc(first_claim + k), claims[k]['who']['company'],
                    claims[k]['who']['user'], claims[k]['who']['employee'],
                    claims[k]['total'], r['conditions'], orm['flow'],
                    r['step'], r['state'], r['submitted'])
                for k, r, _, _ in requests), first_request)
        copy('dealer_approval_request-res_user', ('create_uid',
                'create_date', 'request', 'user'),
            ((0, r['submitted'], first_request + i, u)
                for i, (_, r, approvers, _) in enumerate(requests)
                for u in approvers), first_approver)
        copy('dealer_approval_log', ('create_uid', 'create_date', 'request',
                'document', 'step', 'step_name', 'action', 'user',
                'comment', 'date'),
            ((user, date, first_request + i, doc(first_claim + k),
                    step and step[0], step and step[1], action, user,
                    comment, date)
                for i, (k, _, _, logs) in enumerate(requests)
                for step, action, user, date, comment in logs), first_log)
        approval_state = {'waiting': 'waiting', 'approved': 'approved',
            'paid': 'approved'}
        copy('dealer_expense_claim', ('create_uid', 'create_date',
                'write_uid', 'write_date', 'number', 'company', 'employee',
                'department', 'date', 'description', 'currency', 'state',
                'approval_state', 'approval_request'),
            ((c['who']['user'], dt.datetime.combine(c['date'], dt.time(0)),
                    c['who']['user'], c['submitted_at'], c['number'],
                    c['who']['company'], c['who']['employee'],
                    c['who']['department'], c['date'], c['description'],
                    orm['currencies'][c['who']['company']], c['state'],
                    approval_state.get(c['state'], 'draft'),
                    first_request + c['request']
                    if c['request'] is not None else None)
                for c in claims), first_claim)
        receipts = []
        consumed = {'waiting', 'approved', 'paid'}

        def line_rows():
            line_id = first_line
            for k, c in enumerate(claims):
                who = c['who']
                cats = orm['categories'][who['company']]
                currency = orm['currencies'][who['company']]
                for (date, code, city, quantity, amount, customer,
                        travel_class, invoice) in c['lines']:
                    if amount > RECEIPT_THRESHOLD:
                        receipts.append((line_id, who['user'], c['date']))
                    if c['state'] in consumed:
                        spent[who['department'], cats[code],
                            month_start(date)] += amount
                    yield (who['user'], dt.datetime.combine(c['date'],
                            dt.time(0)), first_claim + k, date, cats[code],
                        None, city, currency, amount, customer,
                        invoice and invoice[0], invoice and invoice[1],
                        quantity, travel_class, amount)
                    line_id += 1
        copy(TABLE, ('create_uid', 'create_date', 'claim', 'date',
                'category', 'description', 'city', 'currency', 'amount',
                'customer', 'invoice_code', 'invoice_number', 'quantity',
                'travel_class', 'reimbursed_amount'), line_rows(),
            first_line)
        first_attachment = reserve('ir_attachment', len(receipts))
        copy('ir_attachment', ('create_uid', 'create_date', 'resource',
                'name', 'type', 'digest'),
            ((user, dt.datetime.combine(date, dt.time(0)),
                    f'dealer.expense.claim.line,{line}',
                    f'发票{line}.jpg', 'data',
                    hashlib.sha256(f'receipt {line}'.encode()).hexdigest())
                for line, user, date in receipts), first_attachment)
        # Budgets: every department, category and month of the window
        months = [month_start(day, -m) for m in range(DAYS // 30, -1, -1)]
        budgets = []
        for m in orm['managers']:
            for code, cat in orm['categories'][m['company']].items():
                for first in months:
                    used = spent[m['department'], cat, first]
                    amount = (used * Decimal('1.3') + 5000).quantize(
                        Decimal('1'))
                    budgets.append((0, now, m['company'], m['department'],
                            cat, 'month', first, month_start(first, 1)
                            - dt.timedelta(days=1), amount))
        copy('dealer_expense_budget', ('create_uid', 'create_date',
                'company', 'department', 'category', 'period', 'start_date',
                'end_date', 'amount'), budgets,
            reserve('dealer_expense_budget', len(budgets)))
        conn.commit()
        conn.autocommit = True
        for table in ('dealer_expense_claim', TABLE, 'ir_attachment',
                'dealer_approval_request', 'dealer_approval_log',
                'dealer_approval_request-res_user', 'dealer_expense_budget',
                'company_employee', 'res_user', 'res_user_role'):
            conn.execute(f'VACUUM ANALYZE "{table}"')
    # The claims' numbering goes on after the generated numbers
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        sequence = Sequence(ModelData.get_id('dealer_expense',
                'sequence_claim'))
        Sequence.write([sequence], {'number_next': numbers + 1})
        transaction.commit()
    # The logins' password: generate's, copied from its first salesperson
    _set_passwords(database, uri)
    states = collections.Counter(c['state'] for c in claims)
    return {'seconds': round(time.perf_counter() - start, 1),
        'orm_seconds': round(orm_seconds, 1),
        'plan_seconds': round(plan_seconds, 1), 'tables': tables,
        'claims_by_state': dict(states), 'generated_on': day.isoformat()}


def _set_passwords(database, uri):
    with psycopg.connect(uri, dbname=database) as conn:
        conn.execute('UPDATE res_user SET password_hash = ('
                'SELECT password_hash FROM res_user WHERE login = %s) '
            "WHERE login LIKE 'exp\\_%%'", (generate.LOGIN.format(1),))


def describe(conn):
    "What the database holds"
    claims = dict(conn.execute('SELECT state, count(*) '
            'FROM dealer_expense_claim GROUP BY state').fetchall())
    count = lambda t: conn.execute(  # noqa: E731
        f'SELECT count(*) FROM "{t}"').fetchone()[0]
    return {'claims': sum(claims.values()), 'claims_by_state': claims,
        'lines': count(TABLE),
        'receipts': conn.execute('SELECT count(*) FROM ir_attachment '
            "WHERE resource LIKE 'dealer.expense.claim.line,%%'"
            ).fetchone()[0],
        'approval_requests': count('dealer_approval_request'),
        'approval_logs': count('dealer_approval_log'),
        'approvers': count('dealer_approval_request-res_user'),
        'budgets': count('dealer_expense_budget'),
        'standards': count('dealer_expense_standard'),
        'employees': count('company_employee'),
        'users': count('res_user')}


def _people(conn):
    """The measured employee (the first manager's first salesperson) and
    manager (the first), with what the runs need"""
    rows = dict(conn.execute('SELECT u.login, u.id FROM res_user u '
            'WHERE u.login = ANY(%s)', ([EMPLOYEE_LOGIN.format(1),
                    MANAGER_LOGIN.format(1)],)).fetchall())
    employee, company, department = conn.execute('''
        SELECT e.id, e.company, m.department
        FROM res_user u JOIN company_employee e ON e.id = u.employee
        JOIN "dealer_department-company_employee" m ON m.employee = e.id
        WHERE u.login = %s''', (EMPLOYEE_LOGIN.format(1),)).fetchone()
    return {'employee_user': rows[EMPLOYEE_LOGIN.format(1)],
        'manager_user': rows[MANAGER_LOGIN.format(1)],
        'employee': employee, 'company': company, 'department': department}


# ------------------------------------------ inside trytond: submission

class Rollback(Exception):
    "Ends a run's transaction without committing"


BUDGET_FLOOR = '''
SELECT b.id, b.amount, s.consumed, s.committed
FROM dealer_expense_budget b
CROSS JOIN LATERAL (
    SELECT COALESCE(SUM(l.reimbursed_amount) FILTER (
            WHERE c.state IN ('approved', 'paid')), 0) AS consumed,
        COALESCE(SUM(l.reimbursed_amount) FILTER (
            WHERE c.state = 'waiting'), 0) AS committed
    FROM dealer_expense_claim_line l
    JOIN dealer_expense_claim c ON c.id = l.claim
    WHERE l.category = b.category
        AND l.date >= b.start_date AND l.date <= b.end_date
        AND c.company = b.company AND c.department = b.department
        AND c.state IN ('waiting', 'approved', 'paid')
        AND c.id <> %(claim)s) s
WHERE b.company = %(company)s AND b.department = %(department)s
    AND b.category = ANY(%(categories)s)
    AND b.start_date <= %(last)s AND b.end_date >= %(first)s
ORDER BY b.id'''


def submission(database, uri, runs, filestore):
    """The submission check of a new claim of 4 lines, its budget and
    standard part alone, the whole button and the first attempt; the
    floor; the statements and their profile"""
    os.environ['TRYTOND_DATABASE__URI'] = uri
    os.environ['TRYTOND_DATABASE__PATH'] = filestore
    from trytond.transaction import (
        Transaction, _TransactionLockError, without_check_access)
    pool = trytond_pool(database)
    User = pool.get('res.user')
    Claim = pool.get('dealer.expense.claim')
    Line = pool.get('dealer.expense.claim.line')
    Attachment = pool.get('ir.attachment')
    Budget = pool.get('dealer.expense.budget')
    from trytond.modules.dealer_expense.budget import budget_policy
    from trytond.modules.dealer_expense.standard import standard_policy
    day = today()
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        people = _people(conn)
        cats = dict(conn.execute('SELECT code, id FROM '
                'dealer_expense_category WHERE company = %s',
                (people['company'],)).fetchall())
        city, = conn.execute('SELECT id FROM dealer_expense_city '
            'WHERE name = %s', ('上海',)).fetchone()
        currency, = conn.execute('SELECT currency FROM company_company '
            'WHERE id = %s', (people['company'],)).fetchone()
        history = conn.execute('SELECT count(*) FROM dealer_expense_claim '
            'WHERE employee = %s', (people['employee'],)).fetchone()[0]
    user_id = people['employee_user']
    with Transaction().start(database, user_id, readonly=True):
        preferences = User.get_preferences(context_only=True)
    context = dict(preferences, _check_access=True)
    line_date = max(day - dt.timedelta(days=2), day.replace(day=1))
    counter = iter(range(10**6))

    def create():
        "A new draft claim of 4 lines with the hotel's receipt (untimed)"
        n = next(counter)
        claim, = Claim.create([{'company': people['company'],
                    'employee': people['employee'],
                    'department': people['department'], 'date': day,
                    'description': '上海展会',
                    'lines': [('create', [
                                {'date': line_date, 'category': cats['HOTEL'],
                                    'city': city, 'quantity': 2,
                                    'amount': Decimal('880.00'),
                                    'currency': currency,
                                    'description': '展会酒店两晚',
                                    'invoice_code': '031001900999',
                                    'invoice_number': f'9{n:07d}'},
                                {'date': line_date,
                                    'category': cats['TRAVEL'], 'city': city,
                                    'quantity': 2, 'amount': Decimal('200'),
                                    'currency': currency},
                                {'date': line_date,
                                    'category': cats['TRANSPORT'],
                                    'amount': Decimal('153.50'),
                                    'travel_class': 'second_seat',
                                    'currency': currency,
                                    'description': '高铁 上海虹桥'},
                                {'date': line_date, 'category': cats['PHONE'],
                                    'amount': Decimal('128.00'),
                                    'currency': currency}])]}])
        hotel = [l for l in claim.lines if l.category.id == cats['HOTEL']][0]
        Attachment.create([{'resource': str(hotel), 'name': '酒店发票.jpg',
                    'data': f'hotel receipt {n} {time.time()}'.encode()}])
        return claim.id

    checked = {}

    def budget_standard(claims):
        "The standard and budget part of check_submission, as it runs"
        over = False
        for claim in claims:
            policy = standard_policy(claim.company)
            to_save = []
            for line in claim.lines:
                amount = line.on_change_with_reimbursed_amount()
                if line.reimbursed_amount != amount:
                    line.reimbursed_amount = amount
                    to_save.append(line)
                excess = line.on_change_with_standard_excess()
                standard_class = line.on_change_with_standard_class()
                over |= bool(line._class_over(standard_class) or (
                        excess and policy == 'block'))
            Line.save(to_save)
            if budget_policy(claim.company) == 'block':
                usage = Budget.usage(claim, claim._budget_lines(), lock=True)
                over |= any(c > r for _, r, c in usage)
                checked['usage'] = [(b.id, str(r), str(c))
                    for b, r, c in usage]
                checked['reimbursed'] = [str(l.reimbursed_amount)
                    for l in claim.lines]
        checked['over'] = over

    def run(what, meter=None):
        lock = [] if what == 'first_attempt' else [Line._table]
        seconds = None
        try:
            with Transaction().start(database, user_id, context=context,
                    _lock_tables=lock):
                claims = Claim.browse([create()])
                with meter or SQLMeter():
                    begin = time.perf_counter()
                    # As the Submit button runs them: its body runs with
                    # the access checks off (ModelView.button)
                    if what == 'check':
                        with without_check_access():
                            Claim.check_submission(claims)
                    elif what == 'budget_standard':
                        with without_check_access():
                            budget_standard(claims)
                    elif what == 'submit':
                        Claim.approval_submit(claims)
                        checked['state'] = Claim(claims[0].id).state
                    else:
                        try:
                            Claim.approval_submit(claims)
                        except _TransactionLockError:
                            pass
                        else:
                            raise RuntimeError('no table lock asked')
                    seconds = time.perf_counter() - begin
                raise Rollback
        except Rollback:
            pass
        return seconds

    figures = ['budget_standard', 'check', 'submit', 'first_attempt']
    result = {'inside_trytond': True, 'runs': runs, 'warmup_runs': WARMUP,
        'login': EMPLOYEE_LOGIN.format(1), 'history_claims': history,
        'claim': '4 lines of ' + line_date.isoformat() + ': hotel 2 nights '
        'in 上海 880.00 (receipt, official invoice), travel allowance 2 days '
        '200.00, train second class 153.50, phone 128.00',
        'goal_p95_ms': GOAL_P95_MS,
        'lock': f'{Line._table} locked at the start of each run (the '
        "dispatcher's second attempt); first_attempt: without it, up to "
        'the lock error'}
    log(f'expense_submission: as {EMPLOYEE_LOGIN.format(1)} '
        f'({history} claims), {runs} runs of each figure, interleaved')
    for _ in range(WARMUP):
        for what in figures:
            run(what)
    samples = {k: [] for k in figures}
    floors, captured = [], {}
    # The claim's 4 lines fall in 4 budgets (one per category)
    categories = [cats[c] for c in ('HOTEL', 'TRAVEL', 'TRANSPORT', 'PHONE')]
    params = {'claim': -1, 'company': people['company'],
        'department': people['department'], 'categories': categories,
        'first': line_date, 'last': line_date}
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        def floor():
            begin = time.perf_counter()
            # Not prepared: psycopg prepares a statement from its fifth
            # run, and PostgreSQL's generic plan of this one takes 80 ms
            rows = conn.execute(BUDGET_FLOOR, params,
                prepare=False).fetchall()
            return time.perf_counter() - begin, rows
        for _ in range(WARMUP):
            floor()
        for _ in range(runs):
            for what in figures:
                samples[what].append(run(what))
            seconds, floor_rows = floor()
            floors.append(seconds)
        for what in figures:
            result[what] = percentiles(samples[what])
            meter = SQLMeter(capture=True)
            run(what, meter)
            result[what]['statements_per_call'] = meter.statements
            result[what]['sql_ms_per_call'] = round(meter.seconds * 1000, 3)
            captured[what] = meter.captured
        result['floor'] = percentiles(floors)
        result['floor']['sql'] = BUDGET_FLOOR
        result['floor']['params'] = {k: str(v) for k, v in params.items()}
        for what in figures:
            result[what]['ratio_p50_to_floor'] = round(
                result[what]['p50_ms'] / result['floor']['p50_ms'], 1)
        floor_rows = conn.execute(BUDGET_FLOOR, params,
            prepare=False).fetchall()
        remainders = sorted((b, str((a - x - y).quantize(Decimal('0.01'))))
            for b, a, x, y in floor_rows)
        result['floor']['budgets'] = len(floor_rows)
        result['same_as_floor'] = remainders == sorted(
            (b, r) for b, r, _ in checked['usage'])
        result['usage'] = checked['usage']
        result['reimbursed'] = checked['reimbursed']
        result['blocked'] = checked['over']
        result['submitted_state'] = checked.get('state')
        plan, ms = explain(conn, BUDGET_FLOOR, params)
        result['floor']['explain_ms'] = ms
        result['floor']['plan'] = plan
        conn.read_only = True
        for what in ('budget_standard', 'check'):
            result[what]['sql_profile'] = sql_profile(conn, captured[what],
                3, with_params=True)
    result['goal'] = met(result['budget_standard']['p95_ms'] < GOAL_P95_MS)
    return result


# ------------------------------------------------ inside trytond: lists

LIST_FLOOR = '''
SELECT c.id, c.number, c.date, c.employee, ep.name, c.description,
    (SELECT SUM(COALESCE(l.reimbursed_amount, l.amount))
        FROM dealer_expense_claim_line l WHERE l.claim = c.id) AS amount,
    c.department, d.name, c.company, cp.name, r.step, s.name, c.state
FROM dealer_expense_claim c
JOIN company_employee e ON e.id = c.employee
JOIN party_party ep ON ep.id = e.party
LEFT JOIN dealer_department d ON d.id = c.department
JOIN company_company co ON co.id = c.company
JOIN party_party cp ON cp.id = co.party
LEFT JOIN dealer_approval_request r ON r.id = c.approval_request
    AND r.state = 'waiting'
LEFT JOIN dealer_approval_flow_step s ON s.id = r.step
WHERE {where}
ORDER BY c.date DESC, c.id DESC LIMIT 80'''
LISTS = [
    ('expense_my_claims', 'employee_user', EMPLOYEE_LOGIN.format(1),
        "[('employee', 'in', <context employees>)] (act_claim_mine)",
        'employee', 'c.employee = ANY(%(employees)s)'),
    ('expense_team_claims', 'manager_user', MANAGER_LOGIN.format(1),
        "[('employee.supervisor', 'in', <context employees>)] "
        '(act_claim_team)',
        'employee.supervisor', 'e.supervisor = ANY(%(employees)s)'),
    ]


def lists(database, uri, runs):
    """The two lists' first pages as their users, as root, and their
    floors; the statements and the page's SQL explained"""
    os.environ['TRYTOND_DATABASE__URI'] = uri
    from trytond.transaction import Transaction
    pool = trytond_pool(database)
    User = pool.get('res.user')
    Claim = pool.get('dealer.expense.claim')
    result = {}
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        people = _people(conn)
        for key, who, login, action, field, where in LISTS:
            user_id = people[who]
            with Transaction().start(database, user_id, readonly=True):
                preferences = User.get_preferences(context_only=True)
                # The actions' domains read `employees` from the client's
                # context, which get_preferences(True) does not give (see
                # bench/README.md): the user's employees, as the rules have
                # them
                employees = list(User.get_employees())
            domain = [(field, 'in', employees)]
            context = dict(preferences, _check_access=True)
            sql = LIST_FLOOR.format(where=where)
            params = {'employees': employees}

            def orm(user=user_id, context=context, domain=domain):
                with Transaction().start(database, user, readonly=True,
                        context=context):
                    return Claim.search_read(domain, 0, PAGE, None,
                        list(LIST_FIELDS))

            def root(domain=domain, preferences=preferences):
                with Transaction().start(database, 0, readonly=True,
                        context=preferences):
                    return Claim.search_read(domain, 0, PAGE, None,
                        list(LIST_FIELDS))

            def floor(sql=sql, params=params):
                return conn.execute(sql, params).fetchall()
            entry = result[key] = {'login': login, 'action': action,
                'call': f'search_read(<domain>, 0, {PAGE}, None, '
                '<the list\'s fields>) in a fresh read-only transaction',
                'fields': LIST_FIELDS, 'runs': runs}
            entry['matching'] = conn.execute(
                'SELECT count(*) FROM dealer_expense_claim c '
                'JOIN company_employee e ON e.id = c.employee WHERE '
                + where, params).fetchone()[0]
            if field == 'employee.supervisor':
                entry['direct_subordinates'] = conn.execute(
                    'SELECT count(*) FROM company_employee '
                    'WHERE supervisor = ANY(%s)', (employees,)).fetchone()[0]
            log(f'{key}: as {login} ({entry["matching"]} claims), {runs} '
                'runs, as root and the floor interleaved')
            for _ in range(WARMUP):
                orm(), root(), floor()
            samples = {'with_rules': [], 'root': [], 'floor': []}
            for _ in range(runs):
                for name, function in [('with_rules', orm), ('root', root),
                        ('floor', floor)]:
                    begin = time.perf_counter()
                    function()
                    samples[name].append(time.perf_counter() - begin)
            for name in samples:
                entry[name] = percentiles(samples[name])
            for name in ('with_rules', 'root'):
                entry[name]['ratio_p50_to_floor'] = round(
                    entry[name]['p50_ms'] / entry['floor']['p50_ms'], 1)
            entry['floor']['sql'] = sql
            with SQLMeter(capture=True) as meter:
                rows = orm()
            entry['with_rules']['statements_per_call'] = meter.statements
            entry['with_rules']['sql_ms_per_call'] = round(
                meter.seconds * 1000, 3)
            with SQLMeter() as root_meter:
                root_rows = root()
            entry['root']['statements_per_call'] = root_meter.statements
            floor_rows = floor()
            entry['rows'] = len(rows)
            entry['same_rows_as_floor'] = (
                [r['id'] for r in rows] == [r[0] for r in floor_rows])
            entry['same_rows_as_root'] = (
                [r['id'] for r in rows] == [r['id'] for r in root_rows])
            entry['same_amounts_as_floor'] = (
                [Decimal(str(r['amount'])) for r in rows]
                == [Decimal(str(r[6])) for r in floor_rows])
            with psycopg.connect(uri, dbname=database) as explain_conn:
                explain_conn.read_only = True
                entry['sql_profile'] = sql_profile(explain_conn,
                    meter.captured, 3, with_params=True)
                plan, ms = explain(explain_conn, sql, params)
                entry['floor']['explain_ms'] = ms
                entry['floor']['plan'] = plan
    return result


def lists_xmlrpc(database, uri, env, calls):
    "The same two pages over XML-RPC with a session"
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        people = _people(conn)
    del people
    result = {}
    with tempfile.TemporaryDirectory(prefix='dealer-bench-') as tmp:
        server = Server(database, env, tmp)
        log(f'expense lists over XML-RPC: starting trytond on {server.url}')
        try:
            server.wait()
            for key, _, login, _, field, _ in LISTS:
                proxy = server.session_proxy(login, generate.PASSWORD)
                prefs = proxy.model.res.user.get_preferences(True, {})
                result.setdefault('context_has_employees', {})[key] = (
                    'employees' in prefs)
                employees = proxy.model.res.user.get_preferences(
                    False, {})['employees']
                domain = [(field, 'in', employees)]
                claims = proxy.model.dealer.expense.claim

                def call(claims=claims, domain=domain, prefs=prefs):
                    return claims.search_read(domain, 0, PAGE, None,
                        LIST_FIELDS, prefs)
                timed(call, 20)
                log(f'{key}: {calls} calls over XML-RPC as {login}')
                result[key] = percentiles(timed(call, calls))
                result[key].update({'calls': calls, 'warmup_calls': 20,
                        'auth': 'session', 'rows': len(call())})
        finally:
            server.stop()
    return result


# ---------------------------------------------------------------- output

def table(report):
    lines = []

    def row(bench, figure, value, unit=''):
        lines.append(f'{bench:<20} {figure:<48} {value:>10} {unit}')
    r = report['results']
    if 'submission' in r:
        s = r['submission']
        key = 'expense_submission'
        for what, label in [
                ('budget_standard', 'budgets and standards alone'),
                ('check', 'check_submission'),
                ('submit', 'Submit button (check, number, request)'),
                ('first_attempt', 'first attempt, up to the table lock')]:
            ms_rows(row, key, label, s[what], ('p50', 'p95', 'p99'))
            row(key, f'{label}: p50 / floor, statements',
                s[what]['ratio_p50_to_floor'],
                f"x ({s[what]['statements_per_call']} statements)")
        ms_rows(row, key, 'floor (budgets summed by one statement)',
            s['floor'], ('p50', 'p95', 'p99'))
        row(key, 'same remainders as the floor', s['same_as_floor'],
            f"(goal p95 < {GOAL_P95_MS} ms: {s['goal']})")
    for key in ('expense_my_claims', 'expense_team_claims'):
        if key not in r.get('lists', {}):
            continue
        e = r['lists'][key]
        ms_rows(row, key, f'first page ({PAGE}) with the rules',
            e['with_rules'], ('p50', 'p95', 'p99'))
        ms_rows(row, key, 'the same as root (no rules)', e['root'],
            ('p50', 'p95'))
        ms_rows(row, key, 'floor (one statement)', e['floor'],
            ('p50', 'p95'))
        row(key, 'p50 with rules / floor, statements',
            e['with_rules']['ratio_p50_to_floor'],
            f"x ({e['with_rules']['statements_per_call']} statements)")
        row(key, 'same rows as floor / as root',
            f"{e['same_rows_as_floor']}/{e['same_rows_as_root']}",
            f"({e['matching']} claims match)")
        x = r.get('lists_xmlrpc', {}).get(key)
        if x:
            ms_rows(row, key, 'over XML-RPC', x, ('p50', 'p95', 'p99'))
    return '\n'.join(lines)


def source():
    "The commit and whether dealer_expense had uncommitted changes"
    def git(*args):
        return subprocess.run(['git', *args], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
    return {'commit': git('rev-parse', 'HEAD'),
        'dealer_expense_uncommitted': git('status', '--short',
            'addons/dealer_expense').splitlines()}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', nargs='?', default='run',
        choices=['run', 'data', 'submission', 'lists'])
    parser.add_argument('--database', help='a bench_expense* database to '
        'reuse (never dropped); by default a new one')
    parser.add_argument('--keep', action='store_true')
    parser.add_argument('--claims', type=int, default=CLAIMS)
    parser.add_argument('--lines', type=int, default=LINES)
    parser.add_argument('--managers', type=int, default=MANAGERS)
    parser.add_argument('--per-manager', type=int, default=PER_MANAGER)
    parser.add_argument('--runs', type=int, default=RUNS)
    parser.add_argument('--calls', type=int, default=CALLS)
    parser.add_argument('--filestore')
    parser.add_argument('--skip', default='',
        help='comma-separated: submission, lists, xmlrpc')
    parser.add_argument('--name', default='expense')
    args = parser.parse_args()
    if args.database and not args.database.startswith('bench_expense'):
        parser.error('--database must name a bench_expense* database')
    uri = os.environ.get('TRYTOND_DATABASE__URI') or bench_uri()
    if args.what == 'data':
        print_json(expense_data(args.database, uri, args.claims, args.lines,
                args.managers, args.per_manager))
        return
    if args.what == 'submission':
        print_json(submission(args.database, uri, args.runs,
                args.filestore))
        return
    if args.what == 'lists':
        print_json(lists(args.database, uri, args.runs))
        return

    env = dict(os.environ, TRYTOND_DATABASE__URI=uri)
    if sys.flags.optimize:
        env['PYTHONOPTIMIZE'] = str(sys.flags.optimize)
    skip = set(filter(None, args.skip.split(',')))
    stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
    report = {'name': args.name, 'timestamp': stamp,
        'scale': {'claims': args.claims, 'lines': args.lines,
            'managers': args.managers,
            'employees': args.managers * args.per_manager,
            'companies': COMPANIES},
        **environment(uri), 'source': source(), 'results': {}}
    database, created = args.database, False
    try:
        if not database:
            database = f"bench_expense_{stamp.replace('-', '_')}"
            created = True
            create_group_database(database, env, report['results'],
                COMPANIES)
        data = run_json('expense.py', ['data', '--database', database,
                '--claims', str(args.claims), '--lines', str(args.lines),
                '--managers', str(args.managers), '--per-manager',
                str(args.per_manager)], env)
        if data:
            report['results']['data'] = data
        with psycopg.connect(uri, dbname=database) as conn:
            report['data'] = describe(conn)
        with tempfile.TemporaryDirectory(prefix='dealer-bench-') as tmp:
            if 'submission' not in skip:
                report['results']['submission'] = run_json('expense.py', [
                        'submission', '--database', database, '--runs',
                        str(args.runs), '--filestore', tmp], env)
            if 'lists' not in skip:
                report['results']['lists'] = run_json('expense.py', [
                        'lists', '--database', database, '--runs',
                        str(args.runs)], env)
            if 'xmlrpc' not in skip:
                report['results']['lists_xmlrpc'] = lists_xmlrpc(
                    database, uri, dict(env, TRYTOND_DATABASE__PATH=tmp),
                    args.calls)
    finally:
        release_database(uri, database, created, args.keep, report)
    d = report['data']
    print(f"\nscale: {d['claims']} claims, {d['lines']} lines, "
        f"{d['approval_requests']} approval requests | python -O: "
        f"{'yes' if sys.flags.optimize else 'no'} | trytond "
        f"{report['trytond']} | PostgreSQL {report['postgresql']} | "
        f"{report['machine']['nproc']} CPUs, load "
        f"{report['machine']['loadavg_start'][0]:.1f}–"
        f"{report['machine']['loadavg_end'][0]:.1f}")
    print(table(report))
    path = write_results(report)
    print(f'\nwritten: {os.path.relpath(path, ROOT)} and '
        'bench/results/latest.json')


if __name__ == '__main__':
    main()
