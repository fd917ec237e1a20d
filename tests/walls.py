#!/usr/bin/env python3
"""The wall scanner (issue 12; ../shared/TESTING.md, "The wall suite").

As every restricted role, call every RPC-exposed method of every model,
wizard and report of the pool with the records the role must not see, and
report what comes back:

  leak          a canary (a unique string or amount planted as root in the
                role's forbidden records) in an answer or a user error's text
  oracle        an answer that depends on forbidden data: a search through
                a relation for a canary pattern that answers otherwise than
                the same search for a pattern no record has; an order by a
                relation that follows the forbidden values
  change        a call that succeeded and changed the database
  server_error  an exception that is not a user error, warning, access or
                concurrency error (a bug: the client gets an internal error)
  escalation    set_preferences gave the user a group, position, company or
                employee he did not hold
  state_write   a Workflow state written directly

The calls are made in-process exactly as trytond's dispatcher makes them
(trytond/protocols/dispatcher.py _dispatch, trytond/rpc.py RPC.convert): the
user's preferences as context, private keys stripped, _check_access set,
instances built for `instantiate`, rpc.result applied.  Each call runs in its
own transaction; a trigger on every table logs the rows written, read back
before the transaction is rolled back.  Nothing is named per model: the pool
is enumerated at run time.

A role is given what it must not see wherever a method takes it (ids,
values, context defaults, relation paths that its visible records take to
forbidden ones); a method with nothing forbidden to take is not called for
that role (the JSON lists those never called).

Databases: <template>_start (the template, two test users, the triggers) and,
per role, <template>_role<n>: a fresh copy of it where that role's canaries
are planted.

  python tests/walls.py --uri postgresql://postgres@127.0.0.1:5432 \\
      --template dealer_walls_<hash> [--roles a,b] [--json out.json] [--jobs 2]
"""
import argparse
import copy
import inspect
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import warnings
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / 'config' / 'trytond.conf'

# Tables that calls write without changing business data: sessions, caches,
# queued tasks, login attempts, wizard sessions.
NOISE_TABLES = {'ir_session', 'ir_session_wizard', 'ir_cache', 'ir_queue',
    'res_user_login_attempt', 'res_user_device'}
# (model, method) -> tables where the call may INSERT the caller's own
# settings (column widths, favourites, saved searches and exports, ...).
OWN_SETTINGS = {
    ('ir.ui.view_tree_width', 'set_width'): 'ir_ui_view_tree_width',
    ('ir.ui.view_tree_optional', 'set_optional'): 'ir_ui_view_tree_optional',
    ('ir.ui.view_tree_state', 'set'): 'ir_ui_view_tree_state',
    ('ir.ui.menu.favorite', 'set'): 'ir_ui_menu_favorite',
    ('ir.ui.view_search', 'set'): 'ir_ui_view_search',
    ('ir.export', 'set'): 'ir_export',
    ('res.user.warning', 'skip'): 'res_user_warning',
    }
SKIPPED_LOGINS = {'boss', 'admin'}
# login, name, company index (scripts/demo/group.py COMPANIES), position
TEST_USERS = [
    ('walls_manager', '墙测经理', 1, 'sales_manager'),
    ('walls_nobody', '墙测无岗位', 0, None),
    ]
# ir.* holds the framework's own codes (model names, views, domains,
# translations): canaries there would break the server, not test it.
PLANTED_IR = {'ir.attachment', 'ir.note'}
NOT_PLANTED = {'res.group', 'res.user.application', 'res.user.warning'}
SAMPLE = 4                # forbidden / visible ids passed per call
CALL_TIMEOUT = 60         # seconds of SQL per call
AMOUNT_BASE = 7 * 10 ** 12
CANARY_RE = re.compile(r'CNRY(\d{3})(\d{4})X(\d+)Y')
AMOUNT_RE = re.compile(r'(?<![\d.])7(\d{3})(\d{4})(\d{5})(?!\d)')
RELATIONS = {'many2one', 'one2one', 'one2many', 'many2many'}
REQUEST = {'remote_addr': '127.0.0.1', 'http_host': 'localhost',
    'scheme': 'http', 'is_secure': False, 'root_path': ''}
GENERIC = {'on_change', 'on_change_with', 'on_change_notify', 'pre_validate',
    'on_scan_code'}
STANDARD = GENERIC | {'read', 'search', 'search_count', 'search_read',
    'export_data', 'export_data_domain', 'copy', 'write', 'delete', 'create',
    'resources', 'history_revisions', 'default_get', 'fields_get',
    'fields_view_get', 'view_toolbar_get', 'autocomplete', 'import_data'}
# Arguments whose shape a parameter's name does not tell (Tryton's own).
SHAPED_ARGS = {
    ('ir.ui.view_tree_width', 'set_width'): lambda r: [
        'party.party', {'name': [100]}, 1000],
    ('ir.ui.view_tree_optional', 'set_optional'): lambda r: [
        (r.visible.get('ir.ui.view') or [1])[0], {'name': True}],
    ('ir.action.keyword', 'get_keyword'): lambda r: [
        'form_print', list(r.resource())],
    ('ir.model.data', 'get_id'): lambda r: ['res', 'group_admin'],
    }


def conninfo(uri, dbname):
    "psycopg connection parameters of a postgresql:// URI and a database"
    parts = urllib.parse.urlsplit(uri)
    params = {'dbname': dbname}
    if parts.hostname:
        params['host'] = parts.hostname
    if parts.port:
        params['port'] = parts.port
    if parts.username:
        params['user'] = urllib.parse.unquote(parts.username)
    if parts.password:
        params['password'] = urllib.parse.unquote(parts.password)
    return params


def sql(uri, dbname, *statements):
    import psycopg
    with psycopg.connect(autocommit=True, **conninfo(uri, dbname)) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else None


def setup_trytond(uri):
    "Before any other trytond import: the backend is chosen at import time"
    os.environ['TRYTOND_DATABASE__URI'] = uri.rstrip('/') + '/'
    from trytond import config
    config.update_etc(str(CONFIG))
    from trytond.pool import Pool
    Pool.start()


def is_refusal(error):
    "What the dispatcher hands to the client as a user-facing error"
    from werkzeug.exceptions import HTTPException

    from trytond.exceptions import (
        ConcurrencyException, LoginException, RateLimitException, UserError,
        UserWarning)
    return isinstance(error, (UserError, UserWarning, ConcurrencyException,
            LoginException, RateLimitException, HTTPException))


def texts(value):
    "Every string a client could see of a result (report files unzipped)"
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        try:
            with zipfile.ZipFile(io.BytesIO(value)) as archive:
                for name in archive.namelist():
                    yield archive.read(name).decode('utf-8', 'replace')
        except zipfile.BadZipFile:
            yield value.decode('utf-8', 'replace')
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from texts(item)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from texts(item)
    else:
        yield str(value)


def locate(value, prefix=''):
    "The keys of a result (dotted) under which a canary shows"
    found = set()
    items = value.items() if isinstance(value, dict) else (
        [(None, v) for v in value] if isinstance(value, (list, tuple))
        else [])
    for key, item in items:
        if any(r.search(t) for t in texts(item)
                for r in (CANARY_RE, AMOUNT_RE)):
            name = prefix if key is None else f'{prefix}{key}'.rstrip('.')
            found |= locate(item, f'{name}.' if key is not None
                else prefix) or {name.rstrip('.')}
    return found - {''}


def short(value, limit=300):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + '…'


def where_raised(error):
    """Where an error comes from: the deepest frame of a module (ours or
    Tryton's), else of trytond"""
    frames = traceback.extract_tb(error.__traceback__)
    for marks in (('addons/', 'trytond/modules/'), ('trytond/',)):
        for frame in reversed(frames):
            if any(m in frame.filename for m in marks):
                path = frame.filename.split('site-packages/')[-1]
                path = path.replace(f'{ROOT}/', '')
                return f'{path}:{frame.lineno} {frame.name}'
    return ''


class Outcome:
    __slots__ = ('result', 'error', 'text', 'changes', 'after')

    def __init__(self, error=None):
        self.result = self.after = None
        self.error, self.text, self.changes = error, str(error or ''), []


def prepare_start(uri, template):
    """<template>_start: the demo template with two test users (a sales
    manager outside the demo teams, a user without position) and a trigger
    logging every row written to every table; return the logins to scan"""
    from trytond import backend
    from trytond.cache import Cache
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    # Imported after setup_trytond: the demo imports trytond's modules.
    sys.path.insert(0, str(ROOT / 'scripts'))
    from demo.group import COMPANIES
    from demo.staff import USERS
    work = f'{template}_start_build'
    sql(uri, 'postgres', f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)',
        f'CREATE DATABASE "{work}" TEMPLATE "{template}"')
    pool = Pool(work)
    pool.init()
    with Transaction().start(work, 0) as transaction:
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        zh, = pool.get('ir.lang').search([('code', '=', 'zh_CN')])
        for login, name, ci, position in TEST_USERS:
            company, = Company.search(
                [('party.name', '=', COMPANIES[ci].name)])
            party, = Party.create([{'name': name}])
            employee, = Employee.create([{'party': party.id,
                        'company': company.id}])
            roles = [('create', [{'role': ModelData.get_id(
                                'dealer_base', f'position_{position}')}])
                ] if position else []
            User.create([{'login': login, 'name': name, 'language': zh.id,
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'employees': [('add', [employee.id])],
                        'employee': employee.id, 'roles': roles}])
        transaction.commit()
    backend.Database(work).close()
    Cache.drop(work)
    Pool.stop(work)
    tables = [r[0] for r in sql(uri, work, "SELECT tablename FROM pg_tables "
            "WHERE schemaname = 'public'") if r[0] not in NOISE_TABLES]
    sql(uri, work,
        'CREATE TABLE walls_log (id serial PRIMARY KEY, tbl text, op text, '
        'row_id text)',
        """CREATE FUNCTION walls_log_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE r record;
        BEGIN
            IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
            INSERT INTO walls_log (tbl, op, row_id)
                VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(r) ->> 'id');
            RETURN NULL;
        END $$""",
        *[f'CREATE TRIGGER walls_log AFTER INSERT OR UPDATE OR DELETE ON '
            f'"{t}" FOR EACH ROW EXECUTE FUNCTION walls_log_change()'
            for t in tables])
    start = f'{template}_start'
    sql(uri, 'postgres', f'DROP DATABASE IF EXISTS "{start}" WITH (FORCE)',
        f'ALTER DATABASE "{work}" RENAME TO "{start}"')
    return [u.login for u in USERS if u.login not in SKIPPED_LOGINS] + [
        u[0] for u in TEST_USERS]


class Scan:
    """One process: the pool's metadata, the work database (a copy of the
    start database per role) and the findings"""

    def __init__(self, uri, template, work):
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        self.uri, self.db = uri, work
        self.start = f'{template}_start'
        self.findings, self.seen, self.leaked = [], set(), set()
        self.figures, self.called = Counter(), set()
        self.log = None
        self.copy_start()
        self.pool = Pool(self.db)
        self.pool.init()
        with Transaction().start(self.db, 0, readonly=True):
            self.metadata()

    def copy_start(self):
        "A fresh work database: trytond's connections and caches released"
        import psycopg

        from trytond import backend
        from trytond.cache import Cache
        if self.log:
            self.log.close()
        if self.db in backend.Database._databases.get(os.getpid(), {}):
            backend.Database(self.db).close()
        Cache.drop(self.db)
        sql(self.uri, 'postgres',
            f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)',
            f'CREATE DATABASE "{self.db}" TEMPLATE "{self.start}"')
        self.log = psycopg.connect(autocommit=True,
            **conninfo(self.uri, self.db))

    def metadata(self):
        "What the probes need of every model, computed once"
        from trytond.model import ModelSQL, fields
        self.models = sorted(self.pool.iterobject('model'))
        self.index = {name: i for i, (name, _) in enumerate(self.models)}
        self.columns, self.relations, self.depends = {}, {}, {}
        View = self.pool.get('ir.ui.view')
        self.with_views = {v.model for v in View.search([])}
        for name, Model in self.models:
            fields_ = sorted(Model._fields.items())
            self.relations[name] = [(f, field._type,
                    field.get_target().__name__,
                    not isinstance(field, fields.Function)
                    or bool(field.searcher))
                for f, field in fields_ if field._type in RELATIONS
                and f not in getattr(Model, '_inherits', {}).values()]
            # what a client sends with an on_change: the fields it depends on
            self.depends[name] = {d.split('.')[0] for _, field in fields_
                for d in (field.on_change | field.on_change_with)
                if not d.startswith('_parent_')} & set(Model._fields)
            if (not issubclass(Model, ModelSQL) or Model._is_table_query()
                    or name in NOT_PLANTED or (name.startswith('ir.')
                        and name not in PLANTED_IR)):
                continue
            self.columns[name] = [(f, field._type, ci)
                for ci, (f, field) in enumerate(fields_)
                if field._type in {'char', 'text', 'numeric'}
                and not isinstance(field, fields.Function)]

    def finding(self, kind, role, model, method, args, detail):
        key = (kind, role, model, method, detail)
        if key not in self.seen:
            self.seen.add(key)
            self.findings.append({'kind': kind, 'role': role, 'model': model,
                    'method': method, 'args': short(args), 'detail': detail})

    def committed_changes(self):
        "Rows written by transactions that committed (new_transaction)"
        rows = self.log.execute(
            'SELECT tbl, op, row_id FROM walls_log ORDER BY id LIMIT 20'
            ).fetchall()
        if rows:
            self.log.execute('DELETE FROM walls_log')
        return rows


class Role:
    "The scan of one role on a fresh copy of the start database"

    def __init__(self, scan, login, turn=(0, 1)):
        from trytond.transaction import Transaction
        self.scan, self.login, self.pool = scan, login, scan.pool
        self.turn = turn      # (this role's index, roles in this process)
        self.db = scan.db
        User = self.pool.get('res.user')
        with Transaction().start(self.db, 0, readonly=True):
            self.uid, = [u.id for u in User.search([('login', '=', login)])]
        with Transaction().start(self.db, self.uid, readonly=True):
            self.context = User.get_preferences(context_only=True)
        self.visible, self.forbidden, self.planted = {}, {}, {}
        self.readable, self.reach, self.fsets = set(), {}, {}
        self.names = {}

    # --- the calls ----------------------------------------------------
    def chain(self, steps, context=None, after=None):
        """Make RPC calls as the role in one transaction (a wizard's create
        and execute; usually one call) and roll it back; a step's arguments
        may be a function of the previous results"""
        from trytond.protocols.jsonrpc import JSONEncoder
        from trytond.tools import is_instance_method
        from trytond.transaction import Transaction, TransactionError
        context = self.context if context is None else context
        readonly = all(o.__rpc__[m].readonly for o, m, _ in steps)
        extras, out = {}, Outcome()
        for attempt in range(3):
            transaction = Transaction().start(self.db, self.uid,
                readonly=readonly, timeout=CALL_TIMEOUT, **extras)
            try:
                results = []
                for obj, method, args in steps:
                    self.scan.figures['calls'] += 1
                    self.scan.called.add((obj.__name__, method))
                    if callable(args):
                        args = args(results)
                    rpc = obj.__rpc__[method]
                    c_args, c_kwargs, transaction.context, \
                        transaction.timestamp = rpc.convert(
                            obj, *copy.deepcopy(args), context)
                    transaction.context['_request'] = REQUEST
                    meth = rpc.decorate(getattr(obj, method))
                    if (rpc.instantiate is None
                            or not is_instance_method(obj, method)):
                        result = rpc.result(meth(*c_args, **c_kwargs))
                    else:
                        inst = c_args.pop(0)
                        if hasattr(inst, method):
                            result = rpc.result(meth(inst, *c_args))
                        else:
                            result = [rpc.result(meth(i, *c_args))
                                for i in inst]
                    results.append(result)
                out.result = result
                out.text = '\n'.join(texts(result))
                # the client gets JSON: what cannot be encoded is an error
                json.dumps(result, cls=JSONEncoder)
                cursor = transaction.connection.cursor()
                cursor.execute('SELECT tbl, op, row_id FROM walls_log '
                    'ORDER BY id LIMIT 50')
                out.changes = list(cursor)
                if transaction.log_records:
                    out.changes.append(('ir_model_log', 'at commit', ''))
                if after:
                    out.after = after(cursor)
            except TransactionError as e:
                transaction.rollback()
                e.fix(extras)
                transaction.stop(False)
                continue
            except Exception as e:
                out.error = e
                out.text = ' '.join(str(a) for a in e.args) or str(e)
            transaction.stop(False)   # rolled back: nothing is kept
            break
        return out

    def call(self, Model, method, args, context=None, empty_expected=False,
            label=None):
        "One RPC call and its findings"
        if method not in Model.__rpc__:
            return Outcome(KeyError(method))
        return self.judge(self.chain([(Model, method, args)], context),
            Model.__name__, method, label or args, empty_expected, args)

    def judge(self, out, model, method, label, empty_expected=False,
            args=None):
        find = self.scan.finding
        refused = out.error is not None and is_refusal(out.error)
        # the canaries the caller gave are no news to him
        canaries = self.canaries(out.text) - self.canaries(repr(args))
        if out.error is not None and not refused:
            detail = f'{type(out.error).__name__}: {str(out.error)[:200]}'
            if where_raised(out.error):
                detail += f' [{where_raised(out.error)}]'
            if canaries:
                detail += ' (with canaries of %s, hidden from the client)' % (
                    ', '.join(sorted(canaries)[:6]))
            find('server_error', self.login, model, method, label, detail)
        elif canaries:
            self.scan.leaked.update(canaries)
            # the fields, not the ids: one finding for the roles sharing it
            shown = ', '.join(sorted({c.split('#')[0] for c in canaries})[:8])
            where = sorted(locate(out.result))[:8] if not refused else []
            find('leak', self.login, model, method, label,
                ('refusal' if refused else 'answer') + ' shows ' + shown
                + (f" in {', '.join(where)}" if where else ''))
        if out.error is None:
            own = OWN_SETTINGS.get((model, method))
            changed = [c for c in out.changes
                if not (c[0] == own and c[1] == 'INSERT')
                and (model, method, c[0], c[2]) != (
                    'res.user', 'set_preferences', 'res_user', str(self.uid))]
            if changed:
                find('change', self.login, model, method, label,
                    'wrote ' + ', '.join(f'{t} {op} {i}'
                        for t, op, i in changed[:8]))
            if empty_expected and out.result not in (0, [], ()):
                find('oracle', self.login, model, method, label,
                    f'answered {short(out.result, 120)} where nothing '
                    'may be found')
        return out

    def canaries(self, text):
        "The planted canaries in a text, as model.field#id"
        found = set()
        if not text or ('CNRY' not in text and '7' not in text):
            return found
        for kind, regex in (('char', CANARY_RE), ('numeric', AMOUNT_RE)):
            for m in regex.finditer(text):
                ti, ci, rid = (int(g) for g in m.groups())
                if ti >= len(self.scan.models):
                    continue
                model = self.scan.models[ti][0]
                field = next((f for f, _, c in self.scan.columns.get(
                                model, []) if c == ci), None)
                if field in self.planted.get(model, {}) and (
                        rid in self.forbidden_set(model)):
                    found.add(f'{model}.{field}#{rid}')
        return found

    # --- what the role may see, and the canaries -----------------------
    def visibility(self):
        """Every record of every model as root and as the role under its
        rules (active_test off, as a client may ask): the difference is
        what the role must never get"""
        from trytond.model import ModelSQL
        from trytond.transaction import Transaction
        ModelAccess = self.pool.get('ir.model.access')
        stored = [(n, M) for n, M in self.scan.models
            if issubclass(M, ModelSQL)]
        everything = {}
        with Transaction().start(self.db, 0, readonly=True,
                context={'active_test': False}) as transaction:
            cursor = transaction.connection.cursor()
            for name, Model in stored:
                ids = self.ids(cursor, Model, [])
                if not isinstance(ids, Exception):
                    everything[name] = ids
        context = dict(self.context, _check_access=True, active_test=False)
        FieldAccess = self.pool.get('ir.model.field.access')
        with Transaction().start(self.db, self.uid, readonly=True,
                context=context) as transaction:
            cursor = transaction.connection.cursor()
            # the fields the role may read: a read of all the others is
            # refused whole, which would hide what the readable ones show
            for name, Model in self.scan.models:
                access = FieldAccess.get_access([name])[name]
                self.names[name] = sorted(f for f in Model._fields
                    if access.get(f, {}).get('read', True))
            for name, Model in stored:
                if name not in everything:
                    continue
                visible = set()
                if ModelAccess.check(name, 'read', raise_exception=False):
                    visible = self.ids(cursor, Model, [])
                    if isinstance(visible, Exception):
                        if not is_refusal(visible):
                            self.judge(Outcome(visible), name, 'search',
                                '[] (all records, active_test off)')
                        continue
                    self.readable.add(name)
                self.visible[name] = sorted(visible)
                self.forbidden[name] = sorted(
                    i for i in everything[name] - visible if i > 0)

    def ids(self, cursor, Model, domain, limit=None):
        "The ids a search finds, or the exception it raised"
        cursor.execute('SAVEPOINT walls')
        try:
            cursor.execute(*Model.search(domain, order=[], limit=limit,
                    query=True))
            ids = {r[0] for r in cursor}
            cursor.execute('RELEASE SAVEPOINT walls')
            return ids
        except Exception as e:
            cursor.execute('ROLLBACK TO SAVEPOINT walls')
            return e

    def forbidden_set(self, name):
        if name not in self.fsets:
            self.fsets[name] = set(self.forbidden.get(name, ()))
        return self.fsets[name]

    def sample(self, ids):
        return list(ids[::max(1, len(ids) // SAMPLE)][:SAMPLE])

    def plant(self):
        """As root, in SQL with triggers off: every text column of every
        forbidden record gets CNRY<table><column>X<id>Y, every numeric
        column 7<table><column><id>.37"""
        from trytond.transaction import Transaction
        with Transaction().start(self.db, 0) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, columns in self.scan.columns.items():
                ids = self.forbidden.get(name)
                if not ids:
                    continue
                table = self.pool.get(name)._table
                ti = self.scan.index[name]
                for field, kind, ci in columns:
                    if kind == 'numeric':
                        query = (f'UPDATE "{table}" SET "{field}" = %s + id '
                            'WHERE id = ANY(%s) AND id < 100000')
                        value = Decimal(AMOUNT_BASE + ti * 10 ** 9
                            + ci * 10 ** 5) + Decimal('0.37')
                    else:
                        query = (f'UPDATE "{table}" SET "{field}" = '
                            "%s || id::text || 'Y' WHERE id = ANY(%s)")
                        value = f'CNRY{ti:03d}{ci:04d}X'
                    cursor.execute('SAVEPOINT plant')
                    try:
                        cursor.execute(query, (value, ids))
                    except Exception:
                        # too long for the column, or a CHECK constraint
                        cursor.execute('ROLLBACK TO SAVEPOINT plant')
                        continue
                    self.scan.figures['canaries_planted'] += cursor.rowcount
                    self.planted.setdefault(name, {})[field] = (kind, ti, ci)
            transaction.commit()

    def paths_reached(self):
        """As root: the relation paths (depth <= 2) from each model the role
        reads to a canaried model, with the visible records they lead to a
        forbidden one by.  A path no visible record takes cannot reveal
        anything: it is not probed."""
        from trytond.transaction import Transaction
        rels = self.scan.relations
        with Transaction().start(self.db, 0, readonly=True,
                context={'active_test': False}) as transaction:
            cursor = transaction.connection.cursor()
            for name, Model in self.scan.models:
                if name not in self.readable or not self.visible.get(name):
                    continue
                paths = []
                for f, kind, target, searchable in rels[name]:
                    if not searchable:
                        continue
                    paths.append(([f], [kind], target))
                    paths.extend(([f, f2], [kind, kind2], target2)
                        for f2, kind2, target2, searchable2 in rels[target]
                        if searchable2)
                for path, kinds, target in paths:
                    if target not in self.planted:
                        continue
                    ids = self.ids(cursor, Model, [
                            ('id', 'in', self.visible[name]),
                            ('.'.join(path) + '.id', 'in',
                                self.forbidden[target])], limit=SAMPLE)
                    if ids and not isinstance(ids, Exception):
                        self.reach.setdefault(name, []).append(
                            (path, kinds, target, sorted(ids)))

    def perturb(self, high):
        """Rewrite the planted text canaries so that they sort first (by id)
        or last (by id reversed): an order that changes reveals them"""
        from trytond.transaction import Transaction
        value = ("'\ufffd' || lpad((999999 - id)::text, 6, '0')" if high
            else "'!' || lpad(id::text, 6, '0')")
        with Transaction().start(self.db, 0) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, columns in self.planted.items():
                table = self.pool.get(name)._table
                for field, (kind, _, _) in columns.items():
                    if kind != 'numeric':
                        cursor.execute('SAVEPOINT perturb')
                        try:
                            cursor.execute(f'UPDATE "{table}" SET "{field}" '
                                f'= {value} WHERE id = ANY(%s)',
                                (self.forbidden[name],))
                        except Exception:
                            cursor.execute('ROLLBACK TO SAVEPOINT perturb')
            transaction.commit()

    # --- what the probes pass ------------------------------------------
    def forbidden_values(self, name):
        """A value naming a forbidden record for every relation field of
        the model: {field: id} for many2one, {field: [id]} for x2many"""
        values = {}
        for field, kind, target, _ in self.scan.relations[name]:
            if self.forbidden.get(target):
                # as sao sends them: one2many lines as dicts, many2many ids
                tid = self.sample(self.forbidden[target])[0]
                values[field] = {'many2one': tid, 'one2one': tid,
                    'one2many': [{'id': tid}], 'many2many': [tid]}[kind]
        return values

    def canary_columns(self, target, kind='char', limit=1):
        return [(f, ti, ci) for f, (k, ti, ci)
            in self.planted.get(target, {}).items()
            if (k == 'numeric') == (kind == 'numeric')][:limit]

    def resource(self, prefer='party.party'):
        "A forbidden, canaried record as (model, id)"
        for name in [prefer] + sorted(self.planted):
            if self.forbidden.get(name) and name in self.planted:
                return name, self.forbidden[name][0]
        return prefer, 1

    def canary_of(self, model, field):
        planted = self.planted.get(model, {}).get(field)
        if planted and planted[0] != 'numeric':
            _, ti, ci = planted
            return f'CNRY{ti:03d}{ci:04d}X{self.forbidden[model][0]}Y'
        return 'CNRY'

    def other(self, name):
        "A record of the model the role may not see, else None"
        return (self.forbidden.get(name) or [None])[0]

    def custom_args(self, name, Model, method):
        """Arguments of a method that is not one of Tryton's standard ones,
        from its signature: ids where the RPC instantiates, forbidden
        records and canaries by parameter name, defaults otherwise"""
        from trytond.tools import is_instance_method
        if (name, method) in SHAPED_ARGS:
            return SHAPED_ARGS[name, method](self)
        rpc = Model.__rpc__[method]
        try:
            params = list(inspect.signature(getattr(Model, method))
                .parameters.values())
        except (TypeError, ValueError):
            return None
        ids = self.sample(self.forbidden.get(name) or self.visible.get(
                name) or [])
        args = []
        if is_instance_method(Model, method):
            params = params[1:]
            args.append(ids)
        rmodel, rid = self.resource()
        probe = {
            'text': 'CNRY', 'code': 'CNRY', 'limit': 10, 'count': 10,
            'name': self.canary_of('party.party', 'name'),
            'phone': self.canary_of('party.contact_mechanism', 'value'),
            'tax_identifier': self.canary_of('party.identifier', 'code'),
            'resource': f'{rmodel},{rid}', 'model': rmodel,
            'models': [rmodel], 'record_id': rid,
            'record': [rmodel, rid] if name == 'ir.email' else rid,
            'id': self.other(name), 'employee_id': self.other(
                'company.employee'), 'menu_id': self.other('ir.ui.menu'),
            'values': {}, 'fields': ['rec_name'], 'width': 1000,
            'nodes': '[]', 'selected_nodes': '[]', 'domain': '[]',
            'xml_id': 'party.act_party_form', 'decision': 'approve',
            'content': 'walls', 'email': 'walls@example.com',
            'current_cookie': 'walls', 'sign': 1, 'amount': Decimal(1),
            }
        wanted = [i for i, p in enumerate(params)
            if p.default is p.empty or p.name in probe]
        for p in params[:max(wanted, default=-1) + 1]:
            if p.kind in {p.VAR_POSITIONAL, p.VAR_KEYWORD}:
                break
            position = len(args)
            if rpc.instantiate == position:
                args.append(ids)
            elif isinstance(rpc.instantiate, slice) and position in range(
                    *rpc.instantiate.indices(len(params))):
                args.append((ids or [1])[0])
            elif p.name in probe:
                args.append(probe[p.name])
            else:
                args.append(None if p.default is p.empty else p.default)
        return args

    # --- the probes ----------------------------------------------------
    def run(self):
        started = time.monotonic()
        for label, step in [('visibility', self.visibility),
                ('plant', self.plant), ('paths', self.paths_reached),
                ('models', self.probe_models), ('wizards', self.probe_wizards),
                ('reports', self.probe_reports),
                ('escalation', self.probe_escalation),
                ('states', self.probe_states), ('orders', self.probe_orders)]:
            step()
            self.check_committed(label)
        print(f'[walls] {self.login}: {time.monotonic() - started:.0f}s, '
            f'{sum(map(len, self.forbidden.values()))} forbidden records '
            f'in {sum(1 for v in self.forbidden.values() if v)} models, '
            f'{sum(map(len, self.planted.values()))} columns planted, '
            f'{sum(map(len, self.reach.values()))} relation paths reach '
            'them', file=sys.stderr, flush=True)

    def check_committed(self, where):
        rows = self.scan.committed_changes()
        if rows:
            self.scan.finding('change', self.login, where, None, None,
                'committed by a call (new transaction): ' + ', '.join(
                    f'{t} {op} {i}' for t, op, i in rows[:8]))

    def probe_models(self):
        self.wide = dict(self.context, company=self.other('company.company'),
            companies=self.visible.get('company.company', [])
            + self.forbidden.get('company.company', []),
            employee=self.other('company.employee'), active_test=False,
            company_filter='all', _check_access=False)
        for name, Model in self.scan.models:
            self.probe_model(name, Model)
            self.check_committed(name)

    def probe_model(self, name, Model):
        from trytond.model import ModelSingleton, ModelSQL
        call, rpc = self.call, Model.__rpc__
        F = self.forbidden.get(name, [])
        Fs = self.sample(F)
        V = self.sample(self.visible.get(name, []))
        names = self.names[name]
        # Tryton refuses these on a table query or a model without history
        # with an internal error: no client offers them there.
        stored = issubclass(Model, ModelSQL) and not Model._is_table_query()
        if F:
            # the forbidden records named by id
            domain = [('id', 'in', F)]
            call(Model, 'read', [Fs, names])
            call(Model, 'read', [Fs, ['rec_name']])
            call(Model, 'read', [Fs, ['rec_name']], context=self.wide,
                label=f'{Fs} with company, companies, employee and '
                'active_test in the context')
            call(Model, 'search', [domain, 0, None, None],
                empty_expected=True)
            call(Model, 'search_count', [domain], empty_expected=True)
            call(Model, 'search_count', [domain], context=self.wide,
                empty_expected=True, label='id in forbidden ids, with '
                'company, companies, employee and active_test in the context')
            call(Model, 'search_read', [domain, 0, None, None, ['rec_name']],
                empty_expected=True)
            call(Model, 'export_data', [Fs, names])
            call(Model, 'export_data_domain', [domain, names],
                empty_expected=True)
            call(Model, 'resources', [Fs])
            if stored:
                call(Model, 'copy', [Fs[:1]])
                call(Model, 'write', [Fs[:1], {}])
                if V:
                    call(Model, 'write', [V[:1], {}, Fs[:1], {}])
                call(Model, 'delete', [Fs[:1]])
            if getattr(Model, '_history', False):
                call(Model, 'history_revisions', [Fs])
            for button in getattr(Model, '_buttons', {}):
                call(Model, button, [Fs[:1]])
        # the definitions carry no record but a selection computed from
        # data may: each model's, by the roles in turn
        if F or self.scan.index[name] % self.turn[1] == self.turn[0]:
            call(Model, 'fields_get', [])
            call(Model, 'view_toolbar_get', [])
            if name in self.scan.with_views:
                call(Model, 'fields_view_get', [None, 'form'])
        if V:
            # what the role sees of its own records: their function fields
            # must not carry forbidden data either
            call(Model, 'read', [V, names])
            call(Model, 'read', [V, ['rec_name']])
        defaults = call(Model, 'default_get', [names]).result or {}
        values = self.forbidden_values(name)
        many2one = {f: v for f, v in values.items() if isinstance(v, int)}
        if many2one:
            call(Model, 'default_get', [names], context=dict(self.context,
                    **{f'default_{f}': v for f, v in many2one.items()}),
                label=f'context default_<field> = {short(many2one, 120)}')
        # on_change and the like, as a client sends them: the record's own
        # (forbidden) id, or relations set to forbidden records
        variants = [{'id': Fs[0]}] if F else []
        if values:
            variant = {f: ([] if Model._fields[f]._type in {
                            'one2many', 'many2many'} else defaults.get(f))
                for f in self.scan.depends[name]}
            variant.update(values, id=-1)
            variants.append(variant)
        for variant in variants:
            self.probe_on_change(Model, variant)
        if values and stored:
            commands = {f: v if isinstance(v, int) else [('add', [
                            i['id'] if isinstance(i, dict) else i for i in v])]
                for f, v in values.items()}
            call(Model, 'create', [[commands]])
            if V:
                call(Model, 'write', [V[:1], commands])
                call(Model, 'copy', [V[:1], {f: v for f, v in many2one.items()
                            if not hasattr(Model._fields[f], 'getter')}])
            self.probe_import(name, Model)
        for path, kinds, target, ids in self.reach.get(name, []):
            self.probe_path(Model, path, target, ids)
        if not issubclass(Model, ModelSingleton):
            call(Model, 'autocomplete', ['CNRY', [], None, None])
        for method in rpc:
            if (method in STANDARD or method in getattr(Model, '_buttons', {})
                    or method.startswith('on_change_')):
                continue
            args = self.custom_args(name, Model, method)
            if args is not None:
                call(Model, method, args)

    def probe_on_change(self, Model, values):
        "Every on_change, on_change_with, notify, pre_validate, scan"
        methods = [m for m in Model.__rpc__
            if m.startswith('on_change_') and m not in GENERIC]
        on_change = sorted(m[len('on_change_'):] for m in methods
            if not m.startswith('on_change_with_'))
        with_ = sorted(m[len('on_change_with_'):] for m in methods
            if m.startswith('on_change_with_'))
        self.call(Model, 'on_change', [values, on_change])
        self.call(Model, 'on_change_with', [values, with_])
        self.call(Model, 'on_change_notify', [values])
        self.call(Model, 'pre_validate', [values])
        self.call(Model, 'on_scan_code', [values, 'CNRY'])
        for method in sorted(methods):
            self.call(Model, method, [values])

    def probe_path(self, Model, path, target, ids):
        """Through a relation the visible records ids take to a forbidden
        target: domains only a canary matches, reads and exports"""
        p = '.'.join(path)
        leaves = [(f'{p}.rec_name', 'like', 'CNRY%')]
        leaves += [(f'{p}.{f}', 'like', f'CNRY{ti:03d}{ci:04d}%')
            for f, ti, ci in self.canary_columns(target)]
        leaves += [(f'{p}.{f}', '>=', Decimal(AMOUNT_BASE))
            for f, ti, ci in self.canary_columns(target, 'numeric')]
        for leaf in leaves:
            self.probe_search(Model, 'search_count', [[leaf]])
        self.probe_search(Model, 'search', [['OR', *leaves], 0, None, None])
        self.probe_search(Model, 'search_read', [['OR', *leaves], 0, None,
                None, ['rec_name']])
        columns = ['rec_name'] + [f for f, _, _ in (
                self.canary_columns(target, limit=3)
                + self.canary_columns(target, 'numeric'))]
        self.call(Model, 'read', [ids, [f'{p}.{c}' for c in columns]])
        self.call(Model, 'export_data', [ids,
                ['/'.join(path + [c]) for c in columns]])
        self.call(Model, 'export_data_domain', [[('id', 'in', ids)],
                ['/'.join(path + [c]) for c in columns]])

    def probe_search(self, Model, method, args):
        """A domain that only a canary can match must answer as the same
        domain with a pattern no record has: a rec_name that searches
        nothing answers both alike, a wall that leaks does not"""
        out = self.call(Model, method, args)
        if out.error is None and out.result not in (0, [], ()):
            # CNRY% -> QZXW%, amounts >= 7e12 -> >= 9e12: nothing matches
            swap = json.loads(json.dumps(args[0], default=lambda d: 9e12)
                .replace('CNRY', 'QZXW'))
            control = self.call(Model, method, [swap, *args[1:]])
            if control.error is not None or control.result != out.result:
                self.scan.finding('oracle', self.login, Model.__name__,
                    method, args, f'answered {short(out.result, 120)}, and '
                    f'{short(control.result, 60)} where the pattern is '
                    'no canary')

    def probe_import(self, name, Model):
        """import_data finds a relation by its name: a forbidden record's
        name must not be found"""
        fields_, row = [], []
        for field, kind, target, _ in self.scan.relations[name]:
            rec_name = self.pool.get(target)._rec_name
            if (kind == 'many2one' and self.forbidden.get(target)
                    and rec_name in self.planted.get(target, {})):
                fields_.append(field)
                row.append(self.canary_of(target, rec_name))
        if fields_:
            self.call(Model, 'import_data', [fields_, [row]])

    def probe_wizards(self):
        """Every wizard started on forbidden records (active_id) of the
        models its actions are bound to; unbound ones without"""
        from trytond.transaction import Transaction
        ActionWizard = self.pool.get('ir.action.wizard')
        for name, Wizard in sorted(self.pool.iterobject('wizard')):
            models = set()
            with Transaction().start(self.db, 0, readonly=True):
                for action in ActionWizard.search([('wiz_name', '=', name)]):
                    models.add(action.model)
                    models.update(str(k.model).split(',')[0]
                        for k in action.action.keywords if k.model)
            models -= {None, 'ir.ui.menu'}
            targets = [m for m in sorted(models) if self.forbidden.get(m)]
            for model in (targets[:3] if models else [None]):
                context = dict(self.context)
                if model:
                    ids = self.sample(self.forbidden[model])
                    context.update(active_model=model, active_id=ids[0],
                        active_ids=ids)
                out = self.chain([(Wizard, 'create', []),
                        (Wizard, 'execute', lambda r: [r[0][0], {}, r[0][1]])],
                    context)
                self.judge(out, name, 'create+execute',
                    f'active_model={model} active_ids='
                    f'{context.get("active_ids")}')

    def probe_reports(self):
        "Every report printed with forbidden ids"
        from trytond.transaction import Transaction
        ActionReport = self.pool.get('ir.action.report')
        for name, Report in sorted(self.pool.iterobject('report')):
            with Transaction().start(self.db, 0, readonly=True):
                actions = [(a.id, a.model) for a in ActionReport.search(
                        [('report_name', '=', name)])]
            for action_id, model in actions[:2]:
                if self.forbidden.get(model):
                    ids = self.sample(self.forbidden[model])[:2]
                    self.call(Report, 'execute', [ids, {'model': model,
                                'id': ids[0], 'ids': ids,
                                'action_id': action_id}])

    def user_state(self, cursor):
        "What the user holds, read in SQL"
        state = {}
        for key, query in [
                ('roles', 'SELECT id, role FROM res_user_role '
                    'WHERE "user" = %s'),
                ('groups', 'SELECT "group" FROM "res_user-res_group" '
                    'WHERE "user" = %s'),
                ('companies', 'SELECT company FROM '
                    '"res_user-company_company" WHERE "user" = %s'),
                ('employees', 'SELECT employee FROM '
                    '"res_user-company_employee" WHERE "user" = %s'),
                ('company', 'SELECT company FROM res_user WHERE id = %s'),
                ('employee', 'SELECT employee FROM res_user WHERE id = %s')]:
            cursor.execute(query, (self.uid,))
            state[key] = {tuple(r) if len(r) > 1 else r[0] for r in cursor}
        return state

    def probe_escalation(self):
        """set_preferences must not give the user a position, a holding, a
        group, a company or an employee he does not hold"""
        from trytond.transaction import Transaction
        pool = self.pool
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        with Transaction().start(self.db, 0, readonly=True) as transaction:
            before = self.user_state(transaction.connection.cursor())
            admin_position = ModelData.get_id(
                'dealer_base', 'position_administrator')
            admin_group = ModelData.get_id('res', 'group_admin')
            holding = next((h.id for h in pool.get('res.user.role').search(
                        []) if h.user.id != self.uid), None)
            companies = [c.id for c in
                pool.get('company.company').search([])]
            employee = next((e.id for e in pool.get('company.employee')
                    .search([]) if e.id not in before['employees']), None)
        attempts = [
            {'roles': [('create', [{'role': admin_position}])]},
            {'roles': [('add', [holding])]},
            {'groups': [('add', [admin_group])]},
            {'companies': [('add', companies)]},
            {'company': next((c for c in companies
                        if c not in before['companies']), None)},
            {'employee': employee},
            {'employees': [('add', [employee])]},
            ]
        for values in attempts:
            out = self.chain([(User, 'set_preferences', [values])],
                after=self.user_state)
            self.judge(out, 'res.user', 'set_preferences', [values])
            if out.error is None:
                gained = {k: v - before[k] for k, v in out.after.items()
                    if v - before[k]}
                # switching to a company or an employee he holds is allowed
                for key, held in [('company', 'companies'),
                        ('employee', 'employees')]:
                    if out.after[key] <= before[held] | {None}:
                        gained.pop(key, None)
                if gained:
                    self.scan.finding('escalation', self.login, 'res.user',
                        'set_preferences', [values], f'gained {gained}')

    def probe_states(self):
        "A Workflow's state is set by its buttons, never by write"
        from trytond.model import Workflow
        from trytond.transaction import Transaction
        for name, Model in self.scan.models:
            V = self.visible.get(name)
            if not (issubclass(Model, Workflow) and V
                    and 'write' in Model.__rpc__):
                continue
            state = Model._transition_state
            selection = Model._fields[state].selection
            if isinstance(selection, str):
                with Transaction().start(self.db, 0, readonly=True):
                    selection = getattr(Model, selection)()
            for value, _ in selection:
                out = self.call(Model, 'write', [V[:1], {state: value}])
                if out.error is None:
                    self.scan.finding('state_write', self.login, name,
                        'write', [V[:1], {state: value}],
                        f'{state} written to {value!r}')

    def probe_orders(self):
        """Search ordered through a many2one path by a canary, with the
        canaries sorting first then last: a different answer is an oracle"""
        probes = []
        for name, Model in self.scan.models:
            if 'search' not in Model.__rpc__:
                continue
            for path, kinds, target, _ in self.reach.get(name, []):
                if set(kinds) != {'many2one'}:
                    continue
                M, sortable = Model, True
                for f in path + [None]:
                    columns = self.canary_columns(target) if f is None \
                        else [(f, None, None)]
                    for column, _, _ in columns:
                        sortable &= M._fields[column].sortable(M)
                    if f is not None:
                        M = self.pool.get(M._fields[f].model_name)
                if sortable and columns:
                    probes.append((Model, '.'.join(path + [columns[0][0]])))
        answers = []
        for high in (False, True):
            self.perturb(high)
            answers.append([self.call(Model, 'search', [[], 0, None,
                            [(order, 'ASC'), ('id', 'ASC')]]).result
                    for Model, order in probes])
        for (Model, order), low, high in zip(probes, *answers):
            if low is not None and high is not None and low != high:
                self.scan.finding('oracle', self.login, Model.__name__,
                    'search', f'[[], 0, None, [({order!r}, "ASC")]]',
                    'the order of visible records follows forbidden values')


def run_roles(uri, template, work, logins):
    "A worker: scan the roles one after the other, each on a fresh copy"
    scan = Scan(uri, template, work)
    for i, login in enumerate(logins):
        if i:
            scan.copy_start()
        try:
            Role(scan, login, (i, len(logins))).run()
        except Exception as e:   # the other roles are still scanned
            scan.finding('scanner_error', login, None, None, None,
                ''.join(traceback.format_exception(e))[-2000:])
    methods = {(name, m) for kind in ('model', 'wizard', 'report')
        for name, obj in scan.pool.iterobject(kind) for m in obj.__rpc__}
    result = {
        'findings': scan.findings, 'figures': dict(scan.figures),
        'not_called': sorted(methods - scan.called),
        'models_in_pool': len(list(scan.pool.iterobject('model'))),
        'models_enumerated': len(scan.models),
        'wizards': len(list(scan.pool.iterobject('wizard'))),
        'reports': len(list(scan.pool.iterobject('report'))),
        'rpc_methods_enumerated': len(methods),
        'leaked': sorted(scan.leaked),
        }
    from trytond import backend
    backend.Database(work).close()
    scan.log.close()
    sql(uri, 'postgres', f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--uri', required=True)
    parser.add_argument('--template', required=True)
    parser.add_argument('--roles', help='comma-separated logins')
    parser.add_argument('--json', help='write figures and findings here')
    parser.add_argument('--jobs', type=int, default=2,
        help='worker processes (default 2)')
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    parser.add_argument('-v', '--verbose', action='store_true')
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.verbose else logging.CRITICAL)
    if not args.verbose:
        warnings.simplefilter('ignore')   # trytond's warnings on domains
    uri = args.uri.rstrip('/')
    setup_trytond(uri)
    if args.worker:
        result = run_roles(uri, args.template, args.worker,
            args.roles.split(','))
        Path(args.json).write_text(json.dumps(result))
        return 0
    started = time.monotonic()
    logins = prepare_start(uri, args.template)
    if args.roles:
        unknown = set(args.roles.split(',')) - set(logins)
        if unknown:
            parser.error(f'unknown roles: {", ".join(sorted(unknown))}')
        logins = args.roles.split(',')
    jobs = max(1, min(args.jobs, len(logins)))
    with tempfile.TemporaryDirectory() as tmp:
        workers = []
        for k in range(jobs):
            out = Path(tmp) / f'{k}.json'
            cmd = [sys.executable, __file__, '--uri', uri,
                '--template', args.template,
                '--worker', f'{args.template}_role{k}',
                '--roles', ','.join(logins[k::jobs]), '--json', str(out)]
            workers.append((subprocess.Popen(
                        cmd + ['--verbose'] * args.verbose), out))
        results = []
        for proc, out in workers:
            if proc.wait() or not out.exists():
                raise SystemExit(f'[walls] a worker failed ({proc.returncode})')
            results.append(json.loads(out.read_text()))
    sql(uri, 'postgres', f'DROP DATABASE IF EXISTS "{args.template}_start" '
        'WITH (FORCE)')
    report = merge(results, logins, time.monotonic() - started)
    print_report(report)
    if args.json:
        Path(args.json).write_text(
            json.dumps(report, indent=1, ensure_ascii=False))
    return 1 if report['findings'] else 0


def merge(results, logins, seconds):
    findings = [f for r in results for f in r['findings']]
    figures = Counter()
    for r in results:
        figures.update(r['figures'])
    first = results[0]
    # a method is called when the role has something forbidden to give it
    not_called = set.intersection(*({tuple(m) for m in r['not_called']}
            for r in results))
    return {
        'figures': {
            'models_in_pool': first['models_in_pool'],
            'models_enumerated': first['models_enumerated'],
            'wizards': first['wizards'], 'reports': first['reports'],
            'rpc_methods_enumerated': first['rpc_methods_enumerated'],
            'rpc_methods_called': first['rpc_methods_enumerated'] - len(
                not_called),
            'roles': len(logins),
            'calls': figures['calls'],
            'canaries_planted': figures['canaries_planted'],
            'canaries_leaked': len({c for r in results for c in r['leaked']}),
            'findings': len(findings),
            'findings_by_kind': dict(Counter(f['kind'] for f in findings)),
            'seconds': round(seconds),
            },
        'roles': logins,
        'findings': findings,
        'not_called': sorted(not_called),
        }


def print_report(report):
    "The figures, then the findings grouped over the roles"
    figures = report['figures']
    print('[walls] ' + ', '.join(f'{k}: {v}' for k, v in figures.items()
            if k != 'findings_by_kind'))
    print('[walls] findings by kind: %s' % (
            figures['findings_by_kind'] or 'none'))
    grouped = defaultdict(list)
    for f in report['findings']:
        grouped[f['kind'], f['model'], f['method'], f['detail']].append(f)
    for (kind, model, method, detail), items in sorted(grouped.items(),
            key=str):
        roles = sorted({f['role'] for f in items})
        print(f'  {kind}: {model}.{method} {items[0]["args"]} -> {detail} '
            f'[{", ".join(roles)}]')


if __name__ == '__main__':
    sys.exit(main())
