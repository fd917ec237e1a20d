# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Positions (岗位): a position is Tryton's user role (groups) extended with
the companies it grants and the data scope of its holders."""
import datetime as dt

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .wall import check_readable

DATA_SCOPES = [
    ('own', "Own Records"),
    ('team', "Own and Subordinates' Records"),
    ('company', "Whole Company"),
    ]
_SCOPE_ORDER = [s for s, _ in DATA_SCOPES]


class Position(metaclass=PoolMeta):
    __name__ = 'res.role'
    code = fields.Char("Code")
    companies = fields.Many2Many(
        'res.role-company.company', 'role', 'company', "Companies",
        help="The companies this position grants.\n"
        "Empty: the companies where the holder is employed.")
    data_scope = fields.Selection(DATA_SCOPES, "Data Scope", required=True,
        help="Which owned records the holders see.")

    @classmethod
    def default_data_scope(cls):
        return 'own'

    @classmethod
    def on_modification(cls, mode, positions, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, positions, field_names=field_names)
        User._clear_scope_caches()


class PositionCompany(ModelSQL):
    "Position - Company"
    __name__ = 'res.role-company.company'
    __string__ = "Position - Company"
    role = fields.Many2One(
        'res.role', "Position", ondelete='CASCADE', required=True)
    company = fields.Many2One(
        'company.company', "Company", ondelete='CASCADE', required=True)


class UserPosition(metaclass=PoolMeta):
    __name__ = 'res.user.role'

    def granted_companies(self):
        "Return the ids of the companies this holding grants its user"
        if self.role.companies:
            return {c.id for c in self.role.companies}
        return {e.company.id for e in self.user.employees}

    @classmethod
    def on_modification(cls, mode, holdings, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, holdings, field_names=field_names)
        User._clear_scope_caches()
        if mode in {'create', 'write'}:
            User.sync_roles(list({h.user for h in holdings}))

    @classmethod
    def on_delete(cls, holdings):
        pool = Pool()
        User = pool.get('res.user')
        callback = super().on_delete(holdings)
        users = list({h.user.id for h in holdings})
        callback.append(
            lambda: User.sync_roles(User.browse(users), clear=True))
        callback.append(User._clear_scope_caches)
        return callback


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    _get_team_cache = Cache('res.user.get_team', context=False)
    _get_data_scope_cache = Cache('res.user.get_data_scope', context=False)
    _get_user_companies_cache = Cache(
        'res.user.get_user_companies', context=False)

    @classmethod
    def _clear_scope_caches(cls):
        pool = Pool()
        Rule = pool.get('ir.rule')
        cls._get_team_cache.clear()
        cls._get_data_scope_cache.clear()
        cls._get_user_companies_cache.clear()
        cls._get_companies_cache.clear()
        cls._get_employees_cache.clear()
        Rule._domain_get_cache.clear()

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        cls._clear_scope_caches()

    @classmethod
    def default_language(cls):
        # The staff read Simplified Chinese: a new login starts in it where
        # it is loaded, in the web client and on the phone.  The database's
        # own language stays English, the language of Tryton's source texts.
        Lang = Pool().get('ir.lang')
        langs = Lang.search([
                ('code', '=', 'zh_CN'),
                ('translatable', '=', True),
                ], limit=1)
        return langs[0].id if langs else None

    @classmethod
    def set_preferences(cls, values):
        # Tryton writes the preferences with access checks off and filters
        # only `groups`; user_role adds `roles` and company adds `companies`
        # and `employees` to the fields it accepts, so any user could give
        # himself any position (the Administrator's included).  What a user
        # holds is given by an administrator; the preferences only switch
        # between what he holds.
        pool = Pool()
        user = cls(Transaction().user)
        values = dict(values)
        for name in ['roles', 'groups', 'companies', 'employees']:
            if name not in values:
                continue
            value = values.pop(name)
            current = {r.id for r in getattr(user, name, [])}
            if value and not (isinstance(value, (list, tuple))
                    and all(isinstance(v, int) for v in value)
                    and set(value) == current):
                raise AccessError(
                    gettext('dealer_base.msg_preferences_refused'))
        # The user's read override lets any company pass the field's domain.
        for name, allowed in [
                ('company', user.companies), ('employee', user.employees)]:
            if values.get(name) and values[name] not in {
                    r.id for r in allowed}:
                raise AccessError(
                    gettext('dealer_base.msg_preferences_not_yours'))
        if values.get('warehouse'):
            check_readable(pool.get('stock.location'), [values['warehouse']])
        super().set_preferences(values)

    @classmethod
    def sync_roles(cls, users=None, date=None, clear=False):
        "Give users the groups and the companies of their valid positions"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        super().sync_roles(users=users, date=date, clear=clear)
        admin_id = ModelData.get_id('res', 'user_admin')
        if date is None:
            date = dt.datetime.now()
        if users is None:
            users = cls.search([])
        to_write = []
        for user in users:
            if user.id == admin_id or (not user.roles and not clear):
                continue
            # A user always keeps the companies that employ them (Tryton
            # requires it of a user's employees).
            new = {e.company.id for e in user.employees}
            for holding in user.roles:
                if holding.valid(date):
                    new |= holding.granted_companies()
            old = {c.id for c in user.companies}
            if new == old:
                continue
            values = {'companies': [('add', new - old), ('remove', old - new)]}
            if not user.company or user.company.id not in new:
                company = min(new) if new else None
                values['company'] = company
                values['employee'] = next((e.id for e in user.employees
                        if e.company.id == company), None)
            to_write.extend(([user], values))
        if to_write:
            cls.write(*to_write)

    @classmethod
    def get_data_scope(cls):
        "Return the widest data scope of the user's valid positions"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        user_id = Transaction().user
        scope = cls._get_data_scope_cache.get(user_id)
        if scope is not None:
            return scope
        if user_id in {0, ModelData.get_id('res', 'user_admin')}:
            scope = 'company'
        else:
            now = dt.datetime.now()
            scopes = {h.role.data_scope for h in cls(user_id).roles
                if h.valid(now)}
            scope = max(scopes, key=_SCOPE_ORDER.index, default='own')
        return cls._get_data_scope_cache.set(user_id, scope)

    @classmethod
    def get_user_companies(cls):
        "Return the ids of all the companies of the user"
        user_id = Transaction().user
        if not user_id:
            return ()
        companies = cls._get_user_companies_cache.get(user_id)
        if companies is not None:
            return companies
        companies = tuple(sorted(c.id for c in cls(user_id).companies))
        return cls._get_user_companies_cache.set(user_id, companies)

    @classmethod
    def get_readable_models(cls):
        "Return the approvable models whose records the user may read"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        from .approval import ApprovalMixin
        names = [name for name, Model in pool.iterobject()
            if issubclass(Model, ApprovalMixin)
            and issubclass(Model, ModelSQL)]
        access = ModelAccess.get_access(names)
        return tuple(sorted(
                name for name in names if access[name]['read'] is not False))

    @classmethod
    def get_team(cls):
        """Return the user's employees and every employee whose supervisor
        chain reaches one of them, at any depth"""
        pool = Pool()
        Employee = pool.get('company.employee')
        user_id = Transaction().user
        team = cls._get_team_cache.get(user_id)
        if team is not None:
            return team
        team = tuple(sorted(Employee.get_team(cls.get_employees())))
        return cls._get_team_cache.set(user_id, team)
