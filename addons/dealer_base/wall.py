# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The walls (R-ALL-05, R-ORG-01, R-ORG-03, R-CRM-05): a record the user may
not read can be neither used nor inferred, whatever RPC method is called.

Tryton applies the record rules of the model called, on read, write and
delete, and stops there: what is reached *through* a record (a relation in a
search domain, an export path, the records named by an on_change, the values
given to create or write, the record given to copy) is read with the rules
off.  Each of those paths is closed here once, for every model of the pool:
the mixins below are registered on Model, ModelStorage, ModelView and Wizard
in tryton.cfg, so a model added later gets them without naming them.

They act only on calls that came through RPC (the transaction checks access
and the user is not root): business code run by a button is Tryton's and
sees what it needs, with one exception: the name of a record the user may
not read is hidden from him everywhere (hide_names), since business code
puts names into what he reads (error messages, names built from others).
"""
import contextlib
import functools
import inspect
import logging
import types
import uuid

from sql import Query

from trytond import backend
from trytond.exceptions import (
    ConcurrencyException, LoginException, RateLimitException, TrytonException,
    UserError)
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelStorage, Workflow
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.tools.domain_inversion import is_leaf
from trytond.transaction import Transaction, check_access, inactive_records

logger = logging.getLogger(__name__)

RELATIONS = {'many2one', 'one2one', 'one2many', 'many2many', 'reference'}
# What a client reads of the records a list points at (party.rec_name).
_NAME_FIELDS = {'id', 'rec_name'}
# Leaves that compare ids only: they reveal no field of the target.
_ID_OPERATORS = {'=', '!=', 'in', 'not in'}
_TREE_OPERATORS = {'child_of', 'not child_of', 'parent_of', 'not parent_of'}


def walled():
    "Whether the current call came through RPC from a real user"
    transaction = Transaction()
    return bool(transaction.user and transaction.check_access)


def _model_name(Model):
    pool = Pool()
    IrModel = pool.get('ir.model')
    return IrModel.get_name(Model.__name__)


def unreadable_ids(Model, ids, raise_access=True):
    """Return those of ids the user may not read under Model's rules (all
    of them without read access to the model, unless raise_access)"""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    # Negative ids are records still being edited in the client.
    ids = {int(i) for i in ids if i is not None and int(i) >= 0}
    if not ids:
        return set()
    with check_access():
        if not ModelAccess.check(Model.__name__, 'read',
                raise_exception=raise_access):
            return ids
    if not _rules_apply(Model):
        return set()
    found = set()
    with check_access(), inactive_records():
        # Without a size, grouped_slice would search one id at a time.
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            found.update(r.id for r in Model.search(
                    [('id', 'in', list(sub_ids))], order=[]))
    return ids - found


def check_readable(Model, ids):
    "Refuse, without naming them, records the user may not read"
    if unreadable_ids(Model, ids):
        raise AccessError(gettext('dealer_base.msg_wall_unreadable',
                model=_model_name(Model)))


def _reference(value):
    "(model name, id) of a Reference value, or None"
    if isinstance(value, str):
        model, _, id_ = value.partition(',')
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        model, id_ = value
    else:
        return None
    try:
        return model, int(id_)
    except (TypeError, ValueError):
        return None


def _reference_target(value):
    "(Model, id) of a Reference value naming a model of the pool, or None"
    ref = _reference(value)
    if ref:
        try:
            return Pool().get(ref[0]), ref[1]
        except KeyError:
            return None


def check_reference(value):
    "Refuse a Reference value ('model,id') naming an unreadable record"
    target = _reference_target(value)
    if target:
        check_readable(target[0], [target[1]])


def under_rules(method, *args, empty):
    """Call a method Tryton runs with access checks off under the user's
    rules; without access to what it searches, it finds nothing"""
    try:
        with check_access():
            return method(*args)
    except AccessError:
        return empty


def check_values(Model, values):
    """Refuse values that name a record the user may not read: a relation
    set to it, an x2many command on it, or a nested creation doing so"""
    for name, value in values.items():
        field = Model._fields.get(name)
        if field is None or not value or field._type not in RELATIONS:
            continue
        if field._type == 'reference':
            check_reference(value)
            continue
        Target = field.get_target()
        if field._type in {'many2one', 'one2one'}:
            if isinstance(value, int):
                check_readable(Target, [value])
            continue
        if not isinstance(value, (list, tuple)):
            continue
        plain = [i for i in value if isinstance(i, int)]
        if plain:
            check_readable(Target, plain)
        for command in value:
            if not isinstance(command, (list, tuple)) or not command:
                continue
            action, *args = command
            if action == 'create':
                for vals in (args[0] if args else []):
                    if isinstance(vals, dict):
                        check_values(Target, vals)
            elif args:
                ids = args[0]
                if isinstance(ids, int):
                    ids = [ids]
                check_readable(Target, [i for i in ids if isinstance(i, int)])
                if action == 'write':
                    for vals in args[1::2]:
                        if isinstance(vals, dict):
                            check_values(Target, vals)


def check_state_values(Model, values, create=False):
    """A Workflow's state changes only by its buttons, where the checks of
    the transition run (approval, booking, release): never by a write"""
    if not issubclass(Model, Workflow):
        return
    state = Model._transition_state
    if state not in values:
        return
    if create:
        default = getattr(Model, 'default_%s' % state, None)
        if default and values[state] == default():
            return
    raise AccessError(gettext('dealer_base.msg_wall_state',
            model=_model_name(Model)))


def _rules_apply(Model):
    "Whether the user's read rules restrict Model's records"
    pool = Pool()
    Rule = pool.get('ir.rule')
    with check_access():
        return bool(issubclass(Model, ModelSQL)
            and Rule.domain_get(Model.__name__, mode='read'))


def _has_rules(Model):
    "Whether some records of Model may be hidden from the user"
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    with check_access():
        readable = ModelAccess.check(Model.__name__, 'read',
            raise_exception=False)
    return not readable or _rules_apply(Model)


def hidden_name():
    "What shows instead of the name of a record the user may not read"
    return gettext('dealer_base.msg_wall_hidden_name')


def wall_order(Model, order):
    """Order through a relation by the target's id where the target has
    records hidden from the user: sorting visible records by a hidden
    record's name would reveal it a comparison at a time"""
    walled_order = []
    for item in order:
        name = item[0] if isinstance(item, (list, tuple)) and item else None
        if not isinstance(name, str):
            walled_order.append(item)
            continue
        local, _, rest = name.partition('.')
        field = Model._fields.get(local)
        if (field is not None and field._type in {'many2one', 'one2one'}
                and rest != 'id' and _path_has_rules(field, rest)):
            item = (local + '.id', *item[1:])
        walled_order.append(item)
    return walled_order


def _path_has_rules(field, rest):
    Target = field.get_target()
    if _has_rules(Target):
        return True
    local, _, rest = rest.partition('.')
    field = Target._fields.get(local)
    if field is not None and field._type in {'many2one', 'one2one'} and rest:
        return _path_has_rules(field, rest)
    return False


def hide_names(Model, rows):
    """The name of a record the user may not read is never shown, whatever
    shows it: a name of his own record built from it, a related read, an
    error message.  Applied to every non-root user, also inside business
    code run without access checks, where Tryton computes such names."""
    transaction = Transaction()
    if (not transaction.user or not rows
            or transaction.context.get('_wall_names_checking')
            or not issubclass(Model, ModelSQL)):
        return
    with transaction.set_context(_wall_names_checking=True):
        hidden = unreadable_ids(
            Model, [r['id'] for r in rows], raise_access=False)
    if hidden:
        name = hidden_name()
        for row in rows:
            if row['id'] in hidden:
                row['rec_name'] = name


def drop_unreadable_defaults(Model, values):
    "Remove from default values the records the user may not read"
    for name, value in list(values.items()):
        field = Model._fields.get(name)
        if field is None or not value or field._type not in RELATIONS:
            continue
        if field._type == 'reference':
            target = _reference_target(value)
            if not target:
                continue
            Target, ids = target[0], [target[1]]
        else:
            Target = field.get_target()
            ids = value if isinstance(value, (list, tuple)) else [value]
            ids = [i for i in ids if isinstance(i, int)]
        hidden = unreadable_ids(Target, ids, raise_access=False)
        if not hidden:
            continue
        if isinstance(value, (list, tuple)):
            values[name] = [i for i in value if i not in hidden]
        else:
            del values[name]
            values.pop(name + '.', None)


def wall_domain(Model, domain):
    """Rewrite every clause that goes through a relation so that the target
    is searched with its own rules: Tryton converts them with access checks
    off (ModelSQL.search_domain), which lets a readable record reveal an
    unreadable one a character at a time"""
    if is_leaf(domain):
        return _wall_leaf(Model, domain)
    if not domain:
        return domain
    if isinstance(domain[0], str) and domain[0] in {'AND', 'OR'}:
        return [domain[0]] + [wall_domain(Model, d) for d in domain[1:]]
    return [wall_domain(Model, d) for d in domain]


def _wall_leaf(Model, leaf):
    pool = Pool()
    name, operator, value = leaf[:3]
    if not isinstance(name, str):
        return leaf
    local, _, rest = name.partition('.')
    field = Model._fields.get(local)
    if field is None or field._type not in RELATIONS:
        return leaf
    if isinstance(value, Query) or rest == 'id':
        return leaf
    if field._type == 'reference':
        if not rest or len(leaf) < 4:
            return leaf
        Target = pool.get(leaf[3])
        target_domain = [(rest, operator, value)]
        extra = (leaf[3],)
    else:
        Target = field.get_target()
        extra = ()
        if rest:
            target_domain = [(rest, operator, value, *leaf[3:])]
        elif operator in {'where', 'not where'}:
            target_domain = value
        elif operator in _TREE_OPERATORS:
            return leaf
        elif (operator in _ID_OPERATORS
                and all(v is None or isinstance(v, (int, ModelStorage))
                    for v in (value if isinstance(value, (list, tuple))
                        else [value]))):
            return leaf
        else:
            target_domain = [('rec_name', operator, value)]
    with check_access():
        query = Target.search(target_domain, order=[], query=True)
    new_operator = 'not in' if operator == 'not where' else 'in'
    return (local + '.id', new_operator, query, *extra)


def _named_records(record, seen, named):
    "Collect, by model, the ids of record and of the records its values name"
    key = (record.__name__, record.id)
    if key in seen:
        return
    seen.add(key)
    if record.id is not None and record.id >= 0:
        named.setdefault(record.__class__, set()).add(record.id)
    values = record._values._items() if record._values else []
    for name, value in values:
        field = record._fields.get(name)
        if field is None or field._type not in RELATIONS:
            continue
        for target in (value if isinstance(value, (list, tuple))
                else [value]):
            if isinstance(target, ModelStorage):
                _named_records(target, seen, named)


def check_instance(record):
    """Refuse an on_change on a record the user may not read, or naming
    one in its values (a relation or a line): one search per model"""
    if not walled():
        return
    named = {}
    _named_records(record, set(), named)
    for Model, ids in named.items():
        check_readable(Model, ids)


def check_export(Model, ids, paths):
    "Refuse an export reaching a record the user may not read"
    pool = Pool()
    ModelFieldAccess = pool.get('ir.model.field.access')
    check_readable(Model, ids)
    ids = [i for i in ids if i >= 0]
    by_field = {}
    for path in paths:
        if not path:
            continue
        name = path[0].split('.')[0].split(':lang=')[0]
        by_field.setdefault(name, []).append(path[1:])
    ModelFieldAccess.check(Model.__name__, list(by_field), 'read')
    for name, subpaths in by_field.items():
        field = Model._fields.get(name)
        subpaths = [p for p in subpaths if p]
        if field is None or field._type not in RELATIONS or not ids:
            continue
        # rec_name and the like: the target's own fields are read.
        if not subpaths:
            subpaths = [['rec_name']]
        targets = {}
        for record in Model.browse(ids):
            value = getattr(record, name)
            for target in (value if isinstance(value, (list, tuple))
                    else [value]):
                if isinstance(target, ModelStorage) and target.id is not None:
                    targets.setdefault(target.__class__, set()).add(
                        target.id)
        for Target, target_ids in targets.items():
            check_export(Target, list(target_ids), subpaths)


class WallMixin:
    "Every stored model: the walls on what goes in and what comes out"
    __slots__ = ()

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            **kwargs):
        if walled():
            domain = wall_domain(cls, domain)
            if order:
                order = wall_order(cls, order)
        return super().search(domain, offset=offset, limit=limit,
            order=order, count=count, **kwargs)

    @classmethod
    def read(cls, ids, fields_names):
        transaction = Transaction()
        if (walled() and transaction.context.get('_wall_related')
                and set(fields_names) <= _NAME_FIELDS
                and issubclass(cls, ModelSQL)):
            return cls._wall_read_names(ids, fields_names)
        if walled() and any('.' in f for f in fields_names):
            # A list of readable records shows the names of those they
            # point at: one hidden among them reads as hidden, instead of
            # an access error that empties the whole list.
            with transaction.set_context(_wall_related=True):
                rows = super().read(ids, fields_names)
        else:
            rows = super().read(ids, fields_names)
        if 'rec_name' in fields_names:
            hide_names(cls, rows)
        return rows

    @classmethod
    def _wall_read_names(cls, ids, fields_names):
        hidden = unreadable_ids(cls, ids, raise_access=False)
        with Transaction().set_context(_wall_related=False):
            rows = super().read(
                [i for i in ids if i not in hidden], fields_names)
        if hidden:
            name = hidden_name()
            by_id = {r['id']: r for r in rows}
            rows = [by_id.get(i) or {'id': i, 'rec_name': name}
                for i in ids if i in by_id or i in hidden]
        return rows

    @classmethod
    def history_revisions(cls, ids):
        if walled():
            check_readable(cls, ids)
        return super().history_revisions(ids)

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        if walled():
            check_export(cls, [r.id for r in records],
                [f.split('/') for f in fields_names])
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def create(cls, vlist):
        if walled():
            for values in vlist:
                check_state_values(cls, values, create=True)
                check_values(cls, values)
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if walled():
            actions = iter(args)
            for records, values in zip(actions, actions):
                cls._wall_check_rule(records, 'write')
                check_state_values(cls, values)
                check_values(cls, values)
        super().write(*args)

    @classmethod
    def delete(cls, records):
        if walled():
            cls._wall_check_rule(records, 'delete')
        super().delete(records)

    @classmethod
    def _wall_check_rule(cls, records, mode):
        # Rules before anything else: Tryton's check_modification would
        # otherwise name a forbidden record in its error.
        if issubclass(cls, ModelSQL) and not cls._is_table_query():
            ids = [r.id for r in records if r.id >= 0]
            if issubclass(cls, ModelSingleton):
                # Any id names the singleton, which its first write creates
                singleton = cls.get_singleton()
                ids = [singleton.id] if singleton and ids else []
            if ids:
                cls._ModelSQL__check_domain_rule(ids, mode)

    @classmethod
    def copy(cls, records, default=None):
        if walled():
            check_readable(cls, [r.id for r in records])
            if isinstance(default, dict):
                check_values(cls, {k: v for k, v in default.items()
                        if not callable(v)})
        return super().copy(records, default=default)

    def pre_validate(self):
        check_instance(self)
        return super().pre_validate()


class WallModelMixin:
    "Every model, wizard forms included: defaults name no hidden record"
    __slots__ = ()

    @classmethod
    def default_get(cls, *args, **kwargs):
        if not walled():
            return super().default_get(*args, **kwargs)
        # The client's context may name defaults (default_party=<id>): the
        # answer would carry their names.
        check_values(cls, {k[len('default_'):]: v
                for k, v in Transaction().context.items()
                if k.startswith('default_') and v})
        values = super().default_get(*args, **kwargs)
        # A default computed from data (the company's fiscal year, the
        # active record of a wizard) the user may not read is left out.
        drop_unreadable_defaults(cls, values)
        return values


class WallViewMixin:
    "Every model with views: on_change answers only about readable records"
    __slots__ = ()

    @classmethod
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The pool adds this mixin after __setup__ and __post_setup__, by
        # subclassing: here __rpc__ is complete.  The per-field
        # on_change_<field> and on_change_with_<field> are RPC methods of
        # their own: each gets the same check.
        rpc = getattr(cls, '__rpc__', {})
        for name, method in list(rpc.items()):
            if method.instantiate is not None and type(method) is RPC:
                rpc[name] = _ValuesRPC.of(method)
        for name in list(rpc):
            if not name.startswith('on_change_') or name in {
                    'on_change_with', 'on_change_notify'}:
                continue
            method = inspect.getattr_static(cls, name, None)
            if (isinstance(method, types.FunctionType)
                    and not getattr(method, '_walled', False)):
                setattr(cls, name, _walled_method(method))

    def on_change(self, fieldnames):
        check_instance(self)
        with _computable():
            return super().on_change(fieldnames)

    def on_change_with(self, fieldnames):
        check_instance(self)
        with _computable():
            return super().on_change_with(fieldnames)

    def on_change_notify(self):
        check_instance(self)
        with _computable():
            return super().on_change_notify()


# What Python raises when an on_change meets values a form never sends
# (a line without amount, a record of another model): a user error, not an
# internal one.
_COMPUTE_ERRORS = (TypeError, AttributeError, KeyError, ValueError,
    IndexError, AssertionError, ArithmeticError)


@contextlib.contextmanager
def _computable(wizard=False):
    try:
        yield
    except TrytonException:
        raise
    except _COMPUTE_ERRORS as error:
        # A wizard runs without access checks and does its own.
        if not (Transaction().user if wizard else walled()):
            raise
        logger.warning("on_change refused", exc_info=error)
        raise UserError(gettext('dealer_base.msg_wall_on_change')) from error


class _ValuesRPC(RPC):
    """Records built from a client's values: values no form sends (text for
    a relation, a line of another model) fail in Tryton's setters with a
    Python error; the user gets a translated user error instead"""
    __slots__ = ()

    @classmethod
    def of(cls, rpc):
        new = cls()
        for name in RPC.__slots__:
            setattr(new, name, getattr(rpc, name))
        return new

    def convert(self, obj, *args, **kwargs):
        try:
            return super().convert(obj, *args, **kwargs)
        except _COMPUTE_ERRORS as error:
            if not Transaction().user:
                raise
            logger.warning("values refused", exc_info=error)
            context = kwargs.get('context', args[-1] if args else None)
            language = (context.get('language')
                if isinstance(context, dict) else None)
            with Transaction().set_context(
                    language=language if isinstance(language, str) else None):
                message = gettext('dealer_base.msg_wall_on_change')
            raise UserError(message) from error


def _walled_method(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        check_instance(self)
        with _computable():
            return method(self, *args, **kwargs)
    wrapper._walled = True
    return wrapper


class WallWizardMixin:
    "Every wizard: runs only on records the user may read"
    __slots__ = ()

    @classmethod
    def check_access(cls):
        pool = Pool()
        super().check_access()
        context = Transaction().context
        model = context.get('active_model')
        # Tryton checks the model's access, not its rules: a wizard started
        # on forbidden ids would show and change them.
        if not Transaction().user or not model or model == 'ir.ui.menu':
            return
        ids = list(context.get('active_ids') or [])
        ids.append(context.get('active_id'))
        try:
            Model = pool.get(model)
        except KeyError:
            return
        check_readable(Model, [i for i in ids if isinstance(i, int)])

    @classmethod
    def execute(cls, session_id, data, state_name):
        # Started without the records or values it expects, a wizard fails
        # in Python: the user gets a user error, not an internal one.
        with _computable(wizard=True):
            return super().execute(session_id, data, state_name)


class ChatChannel(metaclass=PoolMeta):
    __name__ = 'ir.chat.channel'

    @classmethod
    def check_access(cls, resource):
        # Tryton checks the model only ("TODO check record rule"): the
        # messages, followers and errors name the record.
        super().check_access(resource)
        if Transaction().user:
            check_reference(str(resource))

    @classmethod
    def _search_followers(cls, resource, text):
        # Called with access checks off: users and e-mail addresses of
        # every company would be offered.
        return under_rules(super()._search_followers, resource, text,
            empty={})


class Email(metaclass=PoolMeta):
    __name__ = 'ir.email'

    @classmethod
    def send(cls, to='', cc='', bcc='', subject='', body='', files=None,
            record=None, reports=None, attachments=None):
        pool = Pool()
        if walled():
            check_reference(record)
            if attachments:
                check_readable(pool.get('ir.attachment'), attachments)
        return super().send(to=to, cc=cc, bcc=bcc, subject=subject,
            body=body, files=files, record=record, reports=reports,
            attachments=attachments)

    @classmethod
    def complete(cls, text, limit):
        # An RPC without access checks: the addresses offered are those of
        # the users and parties the user may read.
        return under_rules(super().complete, text, limit, empty=[])


class EmailTemplate(metaclass=PoolMeta):
    __name__ = 'ir.email.template'

    @classmethod
    def get_default(cls, model, record):
        if Transaction().user:
            check_reference((model, record))
        return super().get_default(model, record)


def hide_internal_errors(app, request, error):
    """An error that is not a user error is a bug: the user gets a
    translated message with a reference to the server log, never Python's
    text (it can carry field names, values and other records' data)"""
    from werkzeug.exceptions import HTTPException

    if isinstance(error, (TrytonException, HTTPException, UserError,
                ConcurrencyException, LoginException, RateLimitException)):
        return
    if _unknown_object(request):
        # As trytond does for a method outside __rpc__: nothing tells a
        # client what exists behind the RPC surface.
        from werkzeug.exceptions import Forbidden
        return Forbidden().get_response(request.environ)
    reference = uuid.uuid4().hex[:12]
    logger.error("internal error %s", reference, exc_info=error)
    message = _internal_error_message(request, reference)
    return app.make_response(request, UserError(message))


def _unknown_object(request):
    "Whether the RPC call names a model, wizard or report that is not"
    database = (request.view_args or {}).get('database_name')
    try:
        method = request.rpc_method
    except Exception:
        return False
    if not database or not method or method.count('.') < 2:
        return False
    type_, _, rest = method.partition('.')
    if type_ not in {'model', 'wizard', 'report'}:
        return False
    try:
        Pool(database).get(rest.rpartition('.')[0], type=type_)
    except KeyError:
        return True
    return False


def _internal_error_message(request, reference):
    database = (request.view_args or {}).get('database_name')
    user = getattr(request, 'user_id', None)
    if database and user:
        try:
            with Transaction().start(database, 0, readonly=True):
                pool = Pool()
                User = pool.get('res.user')
                language = User(user).language
                with Transaction().set_context(
                        language=language.code if language else None):
                    return gettext('dealer_base.msg_internal_error',
                        reference=reference)
        except Exception:
            logger.debug("no translation for the internal error",
                exc_info=True)
    return ("系统内部错误，请把参考号 %(reference)s 告诉管理员。"
        " Internal error: give the reference %(reference)s to the"
        " administrator." % {'reference': reference})


def _register_error_handler():
    from trytond.wsgi import app
    if hide_internal_errors not in app.error_handlers:
        app.error_handler(hide_internal_errors)


_register_error_handler()
