#!/usr/bin/env python3
"""dealer_base benchmarks, dispatched to by bench/run.py.

team_scope        res.user.get_team() for the root of a supervisor tree
                  (2,000 employees, depth 6), cold and warm, inside trytond
                  (Transaction().start with the Pool, not over RPC); its SQL
                  statements; Rule.domain_get of the approval requests; the
                  floor: one WITH RECURSIVE statement through psycopg
approval_waiting  the "Waiting for My Approval" list over 100,000 approval
                  requests: its first page (80 rows) and its count over
                  XML-RPC (session auth) as two approvers; the floor: the
                  same page and count as one SQL statement each

Each adds its data to a generated database the first time (it is found
again in a kept database) and prints its figures as JSON on the last line:

    python bench/dealer_base_bench.py team_scope --database bench_x --runs 50
    python bench/dealer_base_bench.py approval_data --database bench_x
"""
import argparse
import datetime as dt
import os
import time
from decimal import Decimal
from random import Random
from types import SimpleNamespace

import psycopg

import generate
from harness import (DEFAULT_URI, SQLMeter, log, percentiles, print_json,
    run_json, time_floor, timed, trytond_pool)

# team_scope: employees in one tree per company (at most TEAM_TREES trees).
TEAM_EMPLOYEES = 2000
TEAM_DEPTH = 6
TEAM_TREES = 4
TEAM_LOGIN = 'team_root'  # the first tree's root; a Sales Manager (team)
TEAM_RUNS = 100  # at most, of each figure: a cold search_count takes ~0.4 s
TEAM_FLOOR = ('WITH RECURSIVE team(id) AS ('
        'SELECT id FROM company_employee WHERE id = ANY(%s) '
        'UNION SELECT e.id FROM company_employee e '
        'JOIN team t ON e.supervisor = t.id) '
    'SELECT id FROM team ORDER BY id')

# approval_waiting: one request in ten waits; three waiting requests in ten
# wait for both approvers below (a step whose position has two holders).
REQUESTS = 100_000
APPROVERS = [  # (data scope, login, position)
    ('company', 'approver_001', 'position_boss'),
    ('team', 'approver_002', 'position_sales_manager'),
    ]
PAGE = 80
DOMAIN = [('waiting_for_me', '=', True)]
# The list view's fields, and the names the client shows for the relations.
FIELDS = ['submitted', 'document', 'document.rec_name', 'company',
    'company.rec_name', 'requester', 'requester.rec_name', 'amount', 'step',
    'step.rec_name', 'state']
PAGE_FLOOR = ('SELECT r.id, r.submitted, r.document, r.company, r.requester, '
        'r.amount, r.step, r.state '
    'FROM dealer_approval_request r '
    'JOIN "dealer_approval_request-res_user" a ON a.request = r.id '
    "WHERE a.\"user\" = %s AND r.state = 'waiting' "
    'ORDER BY r.submitted DESC, r.id DESC LIMIT 80')
COUNT_FLOOR = ('SELECT count(*) FROM dealer_approval_request r '
    'JOIN "dealer_approval_request-res_user" a ON a.request = r.id '
    "WHERE a.\"user\" = %s AND r.state = 'waiting'")
# Counted in a --database run's scale, beside the generator's tables
TABLES = ['company_employee', 'dealer_approval_request', 'dealer_approval_log']


def _user_id(database, login):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0, readonly=True):
        users = Pool().get('res.user').search([('login', '=', login)])
        return users[0].id if users else None


def _create_user(database, login, name, position, employees=None,
        **values):
    """A user employed as employees (ids; by default a new party employed
    in every company), holding a dealer_base position"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        ModelData = pool.get('ir.model.data')
        if employees is None:
            Party = pool.get('party.party')
            Company = pool.get('company.company')
            party, = Party.create([{'name': name}])
            employees = [e.id for e in Employee.create([{'party': party.id,
                            'company': c.id,
                            'start_date': dt.date(2020, 1, 1)}
                        for c in Company.search([], order=[('id', 'ASC')])])]
        first = Employee(employees[0])
        user, = User.create([{'login': login, 'name': name,
                    'companies': [('add', list({Employee(e).company.id
                                    for e in employees}))],
                    'company': first.company.id,
                    'employees': [('add', employees)], 'employee': first.id,
                    'roles': [('create', [{'role': ModelData.get_id(
                                        'dealer_base', position)}])],
                    **values}])
        transaction.commit()
        return user.id


def tree_levels(n, depth):
    "Sizes of the levels of a tree of n employees: a fan-out f, 1, f, f²…"
    f = 1.0
    while sum(f ** k for k in range(depth)) < n:
        f += 0.01
    sizes = [max(1, round(f ** k)) for k in range(depth - 1)]
    return sizes + [n - sum(sizes)]


# ------------------------------------------------------------ team_scope

def team_data(database, uri):
    """Supervisor trees (parties by COPY, employees by COPY, supervisors by
    one UPDATE) and the first root's user; return the trees' level sizes"""
    rng = Random(11)
    with psycopg.connect(uri, dbname=database) as conn:
        companies = [c for c, in conn.execute(
                'SELECT id FROM company_company ORDER BY id')][:TEAM_TREES]
        trees = []  # (company, [level sizes])
        for i, company in enumerate(companies):
            n = (TEAM_EMPLOYEES // len(companies)
                + (i < TEAM_EMPLOYEES % len(companies)))
            trees.append((company, tree_levels(n, TEAM_DEPTH)))
        # (company, index of the supervisor or None), in tree order
        plan = []
        for company, sizes in trees:
            previous = [None]
            for size in sizes:
                start = len(plan)
                plan += [(company, previous[j % len(previous)])
                    for j in range(size)]
                previous = list(range(start, len(plan)))
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        ctx = SimpleNamespace(ids={})
        generate._load(conn, generate.Bulk('team parties', 'party_party',
                generate.PARTY, lambda ctx: (
                    (0, now, True, *generate.code_columns(f'EMP{j + 1:06d}'),
                        generate.person_name(rng))
                    for j in range(len(plan)))), ctx)
        generate._load(conn, generate.Bulk('team employees',
                'company_employee', ('create_uid', 'create_date', 'party',
                    'company', 'start_date'), lambda ctx: (
                    (0, now, party, company, dt.date(2020, 1, 1))
                    for party, (company, _) in zip(
                        ctx.ids['team parties'], plan))), ctx)
        ids = ctx.ids['team employees']
        sub = [(ids[j], ids[s]) for j, (_, s) in enumerate(plan)
            if s is not None]
        conn.execute('UPDATE company_employee e SET supervisor = s.supervisor '
            'FROM unnest(%s::int[], %s::int[]) AS s(id, supervisor) '
            'WHERE e.id = s.id', ([i for i, _ in sub], [s for _, s in sub]))
        conn.commit()
        conn.autocommit = True
        for table in ('party_party', 'company_employee'):
            conn.execute(f'ANALYZE "{table}"')
    _create_user(database, TEAM_LOGIN, '团队负责人', 'position_sales_manager',
        [ids[0]])
    return [sizes for _, sizes in trees]


def team_scope(database, uri, runs, warmup=5):
    """get_team() and Rule.domain_get() cold and warm, each run in a fresh
    transaction as a request would be; cold clears the scope caches
    (User._clear_scope_caches: team, data scope, companies, employees, rule
    domains) inside that transaction, so nothing is shared between runs."""
    start = time.perf_counter()
    pool = trytond_pool(database)
    from trytond.transaction import Transaction
    result = {'inside_trytond': True, 'runs': runs,
        'employees': TEAM_EMPLOYEES, 'depth': TEAM_DEPTH}
    user_id = _user_id(database, TEAM_LOGIN)
    if user_id is None:
        log(f'team_scope: adding {TEAM_EMPLOYEES} employees in supervisor '
            f'trees of depth {TEAM_DEPTH}')
        result['tree_levels'] = team_data(database, uri)
        result['data_seconds'] = round(time.perf_counter() - start, 1)
        user_id = _user_id(database, TEAM_LOGIN)
    User = pool.get('res.user')
    Rule = pool.get('ir.rule')
    Request = pool.get('dealer.approval.request')
    with Transaction().start(database, user_id, readonly=True):
        context = User.get_preferences(context_only=True)
        context['_check_access'] = True  # as RPC sets it: rules apply
        root = User(user_id).employee.id

    def measure(function, cold, n):
        samples = []
        for _ in range(n):
            with Transaction().start(database, user_id, readonly=True,
                    context=context):
                if cold:
                    User._clear_scope_caches()
                begin = time.perf_counter()
                function()
                samples.append(time.perf_counter() - begin)
        return samples

    def count(function):
        with Transaction().start(database, user_id, readonly=True,
                context=context):
            User._clear_scope_caches()
            with SQLMeter() as meter:
                function()
            return meter.statements

    def domain_get():
        return Rule.domain_get(Request.__name__, mode='read')

    def search_count():
        return Request.search_count([])

    figures = [('get_team', User.get_team), ('domain_get', domain_get)]
    with Transaction().start(database, user_id, readonly=True,
            context=context):
        team = list(User.get_team())
        result['team_size'] = len(team)
        result['data_scope'] = User.get_data_scope()
        cursor = Transaction().connection.cursor()
        cursor.execute('SELECT count(*) FROM dealer_approval_request')
        requests, = cursor.fetchone()
        if requests:
            # A real query: the approval requests' scope rule carries the
            # team's ids (approval_waiting's requests, when present).
            result['approval_requests'] = requests
            result['approval_requests_visible'] = search_count()
            figures.append(('search_count', search_count))
    for name, function in figures:
        log(f'team_scope: {name}, {runs} cold and {runs} warm runs')
        entry = result[name] = {}
        measure(function, True, warmup)
        entry['cold'] = percentiles(measure(function, True, runs), p99=False)
        entry['cold']['statements'] = count(function)
        measure(function, False, warmup)
        entry['warm'] = percentiles(measure(function, False, runs),
            p99=False)
    result['domain_get']['model'] = Request.__name__
    if 'search_count' in result:
        result['search_count']['model'] = Request.__name__

    log(f'team_scope: floor, {runs} x one WITH RECURSIVE statement')
    with psycopg.connect(uri, dbname=database, autocommit=True) as conn:
        def floor():
            return conn.execute(TEAM_FLOOR, ([root],)).fetchall()
        if [i for i, in floor()] != team:
            raise SystemExit('[bench] team_scope: the floor finds another '
                'team')
        timed(floor, warmup)
        result['floor'] = percentiles(timed(floor, runs), p99=False)
        result['floor']['sql'] = TEAM_FLOOR
    for kind in ('cold', 'warm'):
        result['get_team'][kind]['ratio_p50_to_floor'] = float('%.2g' % (
                result['get_team'][kind]['p50_ms']
                / result['floor']['p50_ms']))
    return result


# ------------------------------------------------------ approval_waiting

def approval_data(database, uri):
    """The approvers (ORM), a flow and its step (SQL: party.party is not an
    approvable model, the Reference's selection is not checked on read), and
    REQUESTS requests with their approvers and logs (COPY)"""
    trytond_pool(database)
    if _user_id(database, APPROVERS[0][1]) is not None:
        with psycopg.connect(uri, dbname=database) as conn:
            return {'existing': True, 'requests': conn.execute(
                    'SELECT count(*) FROM dealer_approval_request'
                    ).fetchone()[0]}
    start = time.perf_counter()
    log(f'approval_waiting: adding {REQUESTS} approval requests')
    # An employee in every company, all companies shown (company_filter).
    approvers = [_create_user(database, login, f'审批人 {login[-1]}',
            position, company_filter='all', password=generate.PASSWORD)
        for _, login, position in APPROVERS]
    with psycopg.connect(uri, dbname=database) as conn:
        boss = conn.execute("SELECT db_id FROM ir_model_data "
            "WHERE module = 'dealer_base' AND fs_id = 'position_boss'"
            ).fetchone()[0]
        flow = conn.execute('INSERT INTO dealer_approval_flow (create_uid, '
                'create_date, name, document_model, active) '
            "VALUES (0, now() at time zone 'UTC', '客户审批', "
                "'party.party', true) RETURNING id").fetchone()[0]
        step = conn.execute('INSERT INTO dealer_approval_flow_step ('
                'create_uid, create_date, flow, name, sequence, '
                'approver_type, position) '
            "VALUES (0, now() at time zone 'UTC', %s, '经理审批', 10, "
                "'position', %s) RETURNING id", (flow, boss)).fetchone()[0]
        sales = conn.execute('SELECT u.id, u.employee, e.company '
            'FROM res_user u JOIN company_employee e ON e.id = u.employee '
            "WHERE u.login LIKE 'sales\\_%%' ORDER BY u.id").fetchall()
        # The list reads document.rec_name as the approver: the documents
        # must be parties both approvers may read. With dealer_crm's columns
        # filled, customers are private to their owner's scope except the
        # pool's, which every user of the company sees (and the approvers
        # are employed in every company).
        documents = [p for p, in conn.execute('SELECT id FROM party_party p '
                'WHERE NOT EXISTS (SELECT 1 FROM company_employee e '
                    'WHERE e.party = p.id) '
                'AND p.is_customer AND p.owner IS NULL ORDER BY id')]
        if not documents:  # generated without dealer_crm's columns
            documents = [p for p, in conn.execute(
                    'SELECT id FROM party_party p '
                    'WHERE NOT EXISTS (SELECT 1 FROM company_employee e '
                        'WHERE e.party = p.id) ORDER BY id')]
        rng = Random(13)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        # (requester (user, employee, company), state, waits for the
        # approvers, submitted, another salesperson, decided by, document)
        plan = []
        for k in range(REQUESTS):
            requester = sales[k % len(sales)]
            other = sales[(k + 1) % len(sales)][0]
            if k % 10 == 0:
                state, days = 'waiting', 60
            else:
                state, days = ('approved' if k % 10 <= 5 else 'rejected',
                    3 * 365)
            submitted = now - dt.timedelta(seconds=rng.uniform(
                    0, days * 86400))
            mine = state == 'waiting' and (k // 10) % 10 < 3
            by = (approvers[k % 3] if k % 3 < len(approvers) else other)
            document = f'party.party,{documents[k % len(documents)]}'
            plan.append((requester, state, mine, submitted, other, by,
                    document))
        ctx = SimpleNamespace(ids={})

        def requests(ctx):
            for requester, state, _, submitted, _, _, document in plan:
                yield (requester[0], submitted, document, requester[2],
                    requester[0], requester[1],
                    Decimal(rng.randrange(10_000, 5_000_000)), flow,
                    step if state == 'waiting' else None, state, submitted)

        def request_approvers(ctx):
            for request, (_, state, mine, submitted, other, *_) in zip(
                    ctx.ids['requests'], plan):
                if state == 'waiting':
                    for user in (approvers if mine else [other]):
                        yield 0, submitted, request, user

        def logs(ctx):
            for request, (requester, state, _, submitted, _, by,
                    document) in zip(ctx.ids['requests'], plan):
                yield (requester[0], submitted, request, document, 'submit',
                    requester[0], submitted, None, None, None)
                if state != 'waiting':
                    date = submitted + dt.timedelta(hours=4)
                    yield (by, date, request, document, 'reject'
                        if state == 'rejected' else 'approve', by, date,
                        step, '经理审批',
                        '资料不全' if state == 'rejected' else None)
        bulks = [
            generate.Bulk('requests', 'dealer_approval_request', (
                    'create_uid', 'create_date', 'document', 'company',
                    'requester', 'requester_employee', 'amount', 'flow',
                    'step', 'state', 'submitted'), requests),
            generate.Bulk('request approvers',
                'dealer_approval_request-res_user', ('create_uid',
                    'create_date', 'request', 'user'), request_approvers),
            generate.Bulk('logs', 'dealer_approval_log', ('create_uid',
                    'create_date', 'request', 'document', 'action', 'user',
                    'date', 'step', 'step_name', 'comment'), logs),
            ]
        tables = {}
        for bulk in bulks:
            tables[bulk.table] = generate._load(conn, bulk, ctx)
        conn.autocommit = True
        for bulk in bulks:
            conn.execute(f'VACUUM ANALYZE "{bulk.table}"')
    return {'seconds': round(time.perf_counter() - start, 1),
        'rows': tables, 'flow': flow, 'step': step}


def approval_waiting(server, conn, counter, calls, warmup):
    """The first page and the count of [('waiting_for_me', '=', True)] as
    each approver; return the figures and the probes whose statements
    run.py counts from trytond's log when pg_stat_statements is missing"""
    requests, waiting = conn.execute("SELECT count(*), count(*) FILTER ("
            "WHERE state = 'waiting') FROM dealer_approval_request"
        ).fetchone()
    result = {'calls': calls, 'warmup_calls': warmup, 'domain': str(DOMAIN),
        'fields': FIELDS, 'limit': PAGE, 'auth': 'session',
        'requests': requests, 'waiting': waiting}
    probes = {}
    Request = 'model.dealer.approval.request.'
    for scope, login, _ in APPROVERS:
        user_id = conn.execute('SELECT id FROM res_user WHERE login = %s',
            (login,)).fetchone()[0]
        entry = result[f'{scope}_scope'] = {'login': login,
            'data_scope': scope}

        def functions(server, login=login):
            proxy = server.session_proxy(login, generate.PASSWORD)
            return {
                'first_page': lambda: getattr(proxy, Request + 'search_read')(
                    DOMAIN, 0, PAGE, None, FIELDS, {}),
                'count': lambda: getattr(proxy, Request + 'search_count')(
                    DOMAIN, 0, None, {}),
                }
        floors = {
            'first_page': lambda u=user_id: conn.execute(
                PAGE_FLOOR, (u,)).fetchall(),
            'count': lambda u=user_id: conn.execute(
                COUNT_FLOOR, (u,)).fetchone()[0],
            }
        for what, function in functions(server).items():
            answer = function()
            floor = floors[what]
            if what == 'first_page':
                entry['rows_returned'] = len(answer)
                entry['same_rows_as_floor'] = (
                    [r['id'] for r in answer] == [r[0] for r in floor()])
            else:
                entry['waiting_for_me'] = answer
                entry['same_count_as_floor'] = answer == floor()
            timed(function, warmup)
            log(f'approval_waiting: {calls} calls of {what} as {login}')
            samples, n = counter.timed(function, calls)
            figure = entry[what] = percentiles(samples)
            if n is not None:
                figure['statements_per_call'] = n
            else:
                probes[('approval_waiting', f'{scope}_scope', what)] = (
                    lambda s, w=what, f=functions: f(s)[w])
            time_floor(figure, floor, PAGE_FLOOR if what == 'first_page'
                else COUNT_FLOOR, warmup, calls)
    return result, probes


# ---------------------------------------------------- run.py dispatches

def run_team_scope(database, env, runs):
    return run_json('dealer_base_bench.py', ['team_scope', '--database',
            database, '--runs', str(runs)], env)


def run_approval_data(database, env):
    return run_json('dealer_base_bench.py', ['approval_data', '--database',
            database], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('what', choices=['team_scope', 'approval_data'])
    parser.add_argument('--database', required=True)
    parser.add_argument('--runs', type=int, default=50)
    args = parser.parse_args()
    uri = os.environ.get('TRYTOND_DATABASE__URI', DEFAULT_URI)
    os.environ['TRYTOND_DATABASE__URI'] = uri
    if args.what == 'team_scope':
        result = team_scope(args.database, uri, args.runs)
    else:
        result = approval_data(args.database, uri)
    print_json(result)


if __name__ == '__main__':
    main()
