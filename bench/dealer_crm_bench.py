#!/usr/bin/env python3
"""dealer_crm benchmarks, dispatched to by bench/run.py (XML-RPC with a
session, as the web client calls; the user's preferences as context).

crm_customer_list    first page (80 rows) of the customer list,
                     party.party search_read([('is_customer', '=', True)],
                     0, 80, None, <the list's fields>), as a salesperson (own
                     data scope: the party rule's OR applies) and as the
                     unrestricted user (Group Leader, every company), calls
                     interleaved; the ratio of the two; the floors (the same
                     80 rows as one SQL statement each)
crm_timeline         first page (80) of a key customer's timeline
                     (dealer.customer.event, date descending) as its owner;
                     the floor
crm_duplicate_check  party.party.check_duplicate with the name, the phone or
                     the tax id of an existing customer (in turn), as a
                     salesperson; the floors (one statement per kind)

The goals come from the issue: customer list p50 ratio salesperson /
unrestricted <= 1.5 and p95 < 150 ms, timeline p95 < 50 ms, duplicate check
p95 < 50 ms. They are reported as met or not met, never asserted.

After the timed calls, a second server with trytond's SQL debug log runs each
call once more and every SELECT it issued is run again under EXPLAIN
(ANALYZE, BUFFERS): the slowest statements and their plans are kept in the
JSON (`slowest_statements`), to say where the time goes.
"""
import re
import statistics

import psycopg

import generate
from harness import (Server, at, interleaved, log, met, ms_rows,
    percentiles, sql_profile, time_floor, timed)

BENCHMARKS = ['crm_customer_list', 'crm_timeline', 'crm_duplicate_check']
# Counted in a --database run's scale, beside the generator's tables
TABLES = []

PAGE = 80
LIST_DOMAIN = [('is_customer', '=', True)]
# The customer list's columns (party's tree view with dealer_crm's fields);
# no order: party's _order (distance, which is NULL without a related party
# in the context, then name, then id).
LIST_FIELDS = ['name', 'code', 'customer_type', 'owner', 'key_customer',
    'company']
LIST_FLOOR = ('SELECT id, name, code, customer_type, owner, key_customer, '
        'company FROM party_party '
    'WHERE active AND is_customer AND company = ANY(%(companies)s) '
    '{scope}ORDER BY name, id LIMIT 80')
OWN_SCOPE = 'AND (owner IS NULL OR owner = ANY(%(employees)s)) '
# The timeline list's columns (dealer_base's customer_event_list); the
# "Timeline" relate action's domain on one customer; order: date DESC, id DESC
TIMELINE_FIELDS = ['date', 'customer', 'kind', 'summary', 'origin', 'user',
    'company']
TIMELINE_FLOOR = ('SELECT id, date, customer, kind, summary, origin, "user", '
        'company FROM dealer_customer_event WHERE customer = %(customer)s '
        'AND company = ANY(%(companies)s) '
    'ORDER BY date DESC, id DESC LIMIT 80')
# The duplicate check's searches without rules, one statement each, as
# check_duplicate runs them (limit 20, by id; the name and the phone's
# reversed digits written as check_duplicate and trytond write them, so
# that the same indexes serve them)
DUPLICATE_FLOORS = {
    'name': ('SELECT id, company, owner FROM party_party '
        'WHERE (is_customer OR is_contact) AND id IN ('
            'SELECT id FROM party_party '
            "WHERE LOWER(COALESCE(name, '')) = LOWER(%(value)s)) "
        'ORDER BY id LIMIT 20'),
    'phone': ('SELECT p.id, p.company, p.owner FROM party_party p '
        'WHERE (p.is_customer OR p.is_contact) AND p.id IN ('
            'SELECT m.party FROM party_contact_mechanism m '
            "WHERE m.type IN ('phone', 'mobile') "
            "AND COALESCE(m.value_digits_reversed, '') LIKE %(value)s) "
        'ORDER BY p.id LIMIT 20'),
    'tax_identifier': ('SELECT p.id, p.company, p.owner FROM party_party p '
        'WHERE (p.is_customer OR p.is_contact) AND p.id IN ('
            'SELECT i.party FROM party_identifier i '
            'WHERE i.code = %(value)s) '
        'ORDER BY p.id LIMIT 20'),
    }
DUPLICATE_KINDS = list(DUPLICATE_FLOORS)
SAMPLES = 50  # existing customers whose name, phone and tax id are checked
GOALS = {
    'crm_customer_list': {'ratio_p50_max': 1.5, 'p95_ms_max': 150},
    'crm_timeline': {'p95_ms_max': 50},
    'crm_duplicate_check': {'p95_ms_max': 50},
    }
EXPLAIN_TOP = 3


# ----------------------------------------------------------------- users

def _user(conn, login):
    row = conn.execute('SELECT u.id, u.company_filter, u.company, u.employee '
        'FROM res_user u WHERE u.login = %s', (login,)).fetchone()
    if not row:
        raise SystemExit(f'[bench] no user {login}: this database was '
            'generated before the CRM benchmarks; generate a new one')
    user_id, company_filter, company, employee = row
    employees = [e for e, in conn.execute(
            'SELECT employee FROM "res_user-company_employee" '
            'WHERE "user" = %s ORDER BY employee', (user_id,))]
    companies = [c for c, in conn.execute(
            'SELECT company FROM "res_user-company_company" '
            'WHERE "user" = %s ORDER BY company', (user_id,))]
    if company_filter != 'all':  # 'one': the current company's only
        companies, employees = [company], [employee]
    return {'login': login, 'id': user_id, 'companies': companies,
        'employees': employees}


def _session(server, login):
    "A session proxy and the user's preferences, the context sao sends"
    proxy = server.session_proxy(login, generate.PASSWORD)
    context = proxy.model.res.user.get_preferences(True, {})
    return proxy, context


def _statements(counter, function, n):
    "Statements per call from pg_stat_statements (None without it)"
    return counter.timed(function, n)[1] if counter.available else None


# ------------------------------------------------------ crm_customer_list

def customer_list(server, conn, counter, calls, warmup):
    sales = _user(conn, generate.LOGIN.format(1))
    boss = _user(conn, generate.BOSS_LOGIN)
    users = {'salesperson': sales, 'unrestricted': boss}
    result = {'calls': calls, 'warmup_calls': warmup, 'auth': 'session',
        'domain': str(LIST_DOMAIN), 'fields': LIST_FIELDS, 'limit': PAGE,
        'order': "None (party's _order: distance, name, id)",
        'interleaved': True,
        'customers': conn.execute('SELECT count(*) FROM party_party '
            'WHERE is_customer').fetchone()[0]}
    probes = {}
    functions, floors, floor_sql = {}, {}, {}
    for role, user in users.items():
        def probe(server, login=user['login']):
            proxy, context = _session(server, login)
            return lambda: proxy.model.party.party.search_read(
                LIST_DOMAIN, 0, PAGE, None, LIST_FIELDS, context)
        functions[role] = probe(server)
        sql = floor_sql[role] = LIST_FLOOR.format(
            scope=OWN_SCOPE if role == 'salesperson' else '')
        floors[role] = (lambda sql=sql, user=user: conn.execute(
                sql, user).fetchall())
        visible = conn.execute(
            'SELECT count(*) FROM (' + sql.replace('LIMIT 80', '') + ') s',
            user).fetchone()[0]
        answer = functions[role]()
        result[role] = {'login': user['login'],
            'data_scope': 'own' if role == 'salesperson' else 'company',
            'companies': len(user['companies']),
            'customers_visible': visible,
            'rows_returned': len(answer),
            'same_rows_as_floor': [r['id'] for r in answer]
            == [r[0] for r in floors[role]()]}
        probes[('crm_customer_list', role)] = probe
    interleaved(functions, warmup)
    log(f'crm_customer_list: {calls} calls as each of '
        f"{sales['login']} and {boss['login']}, interleaved")
    samples = interleaved(functions, calls)
    for role in users:
        result[role].update(percentiles(samples[role]))
        n = _statements(counter, functions[role], min(calls, 50))
        if n is not None:
            result[role]['statements_per_call'] = n
    interleaved(floors, warmup)
    samples = interleaved(floors, calls)
    for role in users:
        floor = result[role]['floor'] = percentiles(samples[role])
        floor['sql'] = floor_sql[role]
        result[role]['ratio_p50_to_floor'] = round(
            result[role]['p50_ms'] / floor['p50_ms'], 1)
    s, u = result['salesperson'], result['unrestricted']
    goals = dict(GOALS['crm_customer_list'])
    result['ratio_p50'] = round(s['p50_ms'] / u['p50_ms'], 2)
    result['ratio_p95'] = round(s['p95_ms'] / u['p95_ms'], 2)
    goals['ratio'] = met(result['ratio_p50'] <= goals['ratio_p50_max'])
    goals['p95'] = met(s['p95_ms'] < goals['p95_ms_max']
        and u['p95_ms'] < goals['p95_ms_max'])
    result['goals'] = goals
    return result, probes


# ----------------------------------------------------------- crm_timeline

def timeline(server, conn, counter, calls, warmup):
    sales = _user(conn, generate.LOGIN.format(1))
    # The owner's customer with the longest timeline (a key customer)
    row = conn.execute('SELECT e.customer, count(*) '
        'FROM dealer_customer_event e '
        'JOIN party_party p ON p.id = e.customer '
        'WHERE p.owner = ANY(%s) GROUP BY e.customer '
        'ORDER BY count(*) DESC, e.customer LIMIT 1',
        (sales['employees'],)).fetchone()
    if not row:
        raise SystemExit('[bench] crm_timeline: no timeline events for '
            f"{sales['login']}'s customers")
    customer, events = row
    domain = [('customer', 'in', [customer])]
    result = {'calls': calls, 'warmup_calls': warmup, 'auth': 'session',
        'login': sales['login'], 'customer': customer,
        'customer_events': events, 'domain': str(domain),
        'fields': TIMELINE_FIELDS, 'limit': PAGE,
        'order': "None (the event's _order: date DESC, id DESC)",
        'events': conn.execute('SELECT count(*) FROM dealer_customer_event'
            ).fetchone()[0]}

    def probe(server, login=sales['login']):
        proxy, context = _session(server, login)
        return lambda: getattr(proxy.model.dealer.customer,
            'event').search_read(domain, 0, PAGE, None, TIMELINE_FIELDS,
            context)
    function = probe(server)
    params = {'customer': customer, 'companies': sales['companies']}

    def floor():
        return conn.execute(TIMELINE_FLOOR, params).fetchall()
    answer = function()
    result['rows_returned'] = len(answer)
    result['same_rows_as_floor'] = ([r['id'] for r in answer]
        == [r[0] for r in floor()])
    timed(function, warmup)
    log(f"crm_timeline: {calls} calls as {sales['login']} (customer "
        f'{customer}, {events} events)')
    result.update(percentiles(timed(function, calls)))
    n = _statements(counter, function, min(calls, 50))
    if n is not None:
        result['statements_per_call'] = n
    time_floor(result, floor, TIMELINE_FLOOR, warmup, calls)
    goals = dict(GOALS['crm_timeline'])
    goals['p95'] = met(result['p95_ms'] < goals['p95_ms_max'])
    result['goals'] = goals
    return result, {('crm_timeline',): probe}


# ---------------------------------------------------- crm_duplicate_check

def duplicate_samples(conn):
    """(kind, argument, floor value) for SAMPLES existing customers of any
    company and owner, in a stable pseudo-random order: a name as typed, a
    phone written another way ("021 1234 5678" for "021-12345678"), a tax
    id"""
    rows = conn.execute('SELECT p.id, p.name, '
            '(SELECT m.value FROM party_contact_mechanism m '
                "WHERE m.party = p.id AND m.type = 'phone' "
                'ORDER BY m.id LIMIT 1), '
            '(SELECT i.code FROM party_identifier i '
                'WHERE i.party = p.id ORDER BY i.id LIMIT 1) '
        'FROM party_party p WHERE p.is_customer '
        'ORDER BY md5(p.id::text) LIMIT %s', (SAMPLES * 3,)).fetchall()
    samples = []
    names = [r[1] for r in rows]
    phones = [r[2] for r in rows if r[2]]
    taxes = [r[3] for r in rows if r[3]]
    for k in range(SAMPLES * 3):
        kind = DUPLICATE_KINDS[k % 3]
        if kind == 'name':
            value = names[k % len(names)]
            samples.append((kind, [value, None, None], value))
        elif kind == 'phone' and phones:
            value = phones[k % len(phones)]
            digits = re.sub(r'\D', '', value)
            local = digits[-8:]
            typed = f'{digits[:-8]} {local[:4]} {local[4:]}'
            samples.append((kind, [None, typed, None], local[::-1] + '%'))
        elif kind == 'tax_identifier' and taxes:
            value = taxes[k % len(taxes)]
            samples.append((kind, [None, None, value], value))
    return samples


def duplicate_check(server, conn, counter, calls, warmup):
    sales = _user(conn, generate.LOGIN.format(1))
    samples = duplicate_samples(conn)
    kinds = sorted({k for k, _, _ in samples}, key=DUPLICATE_KINDS.index)
    result = {'calls': calls, 'warmup_calls': warmup, 'auth': 'session',
        'login': sales['login'], 'method': 'check_duplicate(name, phone, '
        'tax_identifier, context)', 'kinds': kinds,
        'distinct_values': len(samples)}

    def probe(server, login=sales['login'], kind=None):
        proxy, context = _session(server, login)
        chosen = [s for s in samples if kind is None or s[0] == kind]
        state = {'k': 0}

        def function():
            _, args, _ = chosen[state['k'] % len(chosen)]
            state['k'] += 1
            return proxy.model.party.party.check_duplicate(*args, context)
        return function
    # Every value is found (the customers exist), owned or in the pool
    proxy, context = _session(server, sales['login'])
    found = [bool(proxy.model.party.party.check_duplicate(*args, context))
        for _, args, _ in samples]
    result['all_found'] = all(found)
    functions = {kind: probe(server, kind=kind) for kind in kinds}
    interleaved(functions, max(1, warmup // len(kinds)))
    log(f"crm_duplicate_check: {calls} calls as {sales['login']} "
        f"({', '.join(kinds)} in turn)")
    per_kind = interleaved(functions, max(1, calls // len(kinds)))
    result.update(percentiles([s for v in per_kind.values() for s in v]))
    result['calls'] = sum(len(v) for v in per_kind.values())
    probes = {('crm_duplicate_check',): probe}
    for kind in kinds:
        entry = result[kind] = percentiles(per_kind[kind])
        values = [v for k, _, v in samples if k == kind]
        state = {'k': 0}

        def floor(values=values, state=state, sql=DUPLICATE_FLOORS[kind]):
            state['k'] += 1
            return conn.execute(sql, {'value': values[
                        state['k'] % len(values)]}).fetchall()
        timed(floor, min(warmup, 10))
        entry['floor'] = percentiles(timed(floor, max(2, calls // 3)))
        entry['floor']['sql'] = DUPLICATE_FLOORS[kind]
        entry['ratio_p50_to_floor'] = round(
            entry['p50_ms'] / entry['floor']['p50_ms'], 1)
        n = _statements(counter, functions[kind], 30)
        if n is not None:
            entry['statements_per_call'] = n
        else:
            probes[('crm_duplicate_check', kind)] = (
                lambda s, kind=kind: probe(s, kind=kind))
    if counter.available:
        result['statements_per_call'] = round(statistics.fmean(
                result[k]['statements_per_call'] for k in kinds), 1)
    goals = dict(GOALS['crm_duplicate_check'])
    goals['p95'] = met(result['p95_ms'] < goals['p95_ms_max'])
    result['goals'] = goals
    return result, probes


# --------------------------------------------------------------- EXPLAIN

def slowest_statements(database, uri, env, workdir, probes, top=EXPLAIN_TOP):
    """Run each probe's call once on a server that logs its SQL; run every
    SELECT it issued again under EXPLAIN (ANALYZE, BUFFERS) in a read-only
    transaction; return, per probe, the statements' count and the slowest
    ones with their plans"""
    server = Server(database, env, workdir, sql_log=True)
    captured = {}
    try:
        server.wait()
        for key, probe in probes.items():
            function = probe(server)
            timed(function, 3)
            before = len(server.sql_statements())
            function()
            captured[key] = server.sql_statements()[before:]
    finally:
        server.stop()
    result = {}
    with psycopg.connect(uri, dbname=database) as conn:
        conn.read_only = True
        for key, statements in captured.items():
            # the log's statements are complete, their parameters in them
            result[key] = sql_profile(conn,
                [(sql, None) for sql in statements], top)
    return result


# ------------------------------------------------------- run.py dispatch

def run(server, conn, counter, calls, warmup, selected):
    "The selected CRM benchmarks; return their results and the probes"
    results, probes = {}, {}
    for name, function in [('crm_customer_list', customer_list),
            ('crm_timeline', timeline),
            ('crm_duplicate_check', duplicate_check)]:
        if name in selected:
            results[name], more = function(server, conn, counter, calls,
                warmup)
            probes.update(more)
    return results, probes


def explain(database, uri, env, workdir, results, probes):
    """Attach the slowest statements of one call of each figure to the
    results (probes as run() returned them)"""
    wanted = {key: probe for key, probe in probes.items()
        if key[0] in results and not (key[0] == 'crm_duplicate_check'
            and len(key) == 1)}
    # One call per duplicate kind, not the rotating mix
    if 'crm_duplicate_check' in results:
        first = probes[('crm_duplicate_check',)]
        for kind in results['crm_duplicate_check']['kinds']:
            wanted[('crm_duplicate_check', kind)] = (
                lambda s, kind=kind: first(s, kind=kind))
    log('crm: EXPLAIN ANALYZE of the SELECTs of one call of each figure '
        '(a server with the SQL log)')
    for key, figures in slowest_statements(
            database, uri, env, workdir, wanted).items():
        at(results, key)['sql_profile'] = figures


def table(r, row, lines):
    "Rows of the printed table for the CRM benchmarks in r"
    if 'crm_customer_list' in r:
        c = r['crm_customer_list']
        for role in ('salesperson', 'unrestricted'):
            e = c[role]
            name = (f"first page, {role} {e['login']} "
                f"({e['customers_visible']} visible)")
            ms_rows(row, 'crm_customer_list', name, e)
            row('crm_customer_list', f'{role} SQL statements/call',
                e.get('statements_per_call', 'n/a'))
            ms_rows(row, 'crm_customer_list', f'{role} floor', e['floor'],
                ('p50', 'p95'))
            row('crm_customer_list', f'{role} p50 / floor p50',
                e['ratio_p50_to_floor'], 'x')
        g = c['goals']
        row('crm_customer_list', 'salesperson / unrestricted p50',
            c['ratio_p50'], f"x  goal <= {g['ratio_p50_max']}: {g['ratio']}")
        row('crm_customer_list', 'salesperson / unrestricted p95',
            c['ratio_p95'], 'x')
        row('crm_customer_list', f"p95 < {g['p95_ms_max']} ms (both users)",
            g['p95'])
    if 'crm_timeline' in r:
        t = r['crm_timeline']
        name = f"first page ({t['customer_events']} events)"
        ms_rows(row, 'crm_timeline', name, t)
        row('crm_timeline', 'SQL statements/call',
            t.get('statements_per_call', 'n/a'))
        ms_rows(row, 'crm_timeline', 'floor', t['floor'], ('p50', 'p95'))
        row('crm_timeline', 'p50 / floor p50', t['ratio_p50_to_floor'], 'x')
        g = t['goals']
        row('crm_timeline', f"p95 < {g['p95_ms_max']} ms", g['p95'])
    if 'crm_duplicate_check' in r:
        d = r['crm_duplicate_check']
        ms_rows(row, 'crm_duplicate_check', 'all kinds', d)
        for kind in d['kinds']:
            e = d[kind]
            ms_rows(row, 'crm_duplicate_check', kind, e, ('p50', 'p95'))
            row('crm_duplicate_check', f'{kind} SQL statements/call',
                e.get('statements_per_call', 'n/a'))
            ms_rows(row, 'crm_duplicate_check', f'{kind} floor', e['floor'],
                ('p50', 'p95'))
        g = d['goals']
        row('crm_duplicate_check', f"p95 < {g['p95_ms_max']} ms", g['p95'])
    slow = []
    for bench in BENCHMARKS:
        for path, entry in _profiles(r.get(bench)):
            top = entry['slowest'][0] if entry['slowest'] else None
            if top:
                sql = top['sql']
                if ' FROM "' in sql:  # the columns say little
                    sql = sql[sql.find(' FROM "') + 1:]
                slow.append(f"{'':<19} {bench} {path}: {entry['statements']}"
                    f" statements, slowest SELECT {top['execution_ms']} ms"
                    f" (EXPLAIN ANALYZE): SELECT ... {sql[:200]}...")
    lines.extend(slow)


def _profiles(entry, path=''):
    if not isinstance(entry, dict):
        return
    if 'sql_profile' in entry:
        yield path or '-', entry['sql_profile']
    for key, value in entry.items():
        if isinstance(value, dict) and key != 'sql_profile':
            yield from _profiles(value, f'{path}.{key}' if path else key)
