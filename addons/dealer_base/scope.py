# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Data scope (R-ORG-03): which owned records a user sees.

A document becomes *owned* by inheriting OwnedMixin (it needs a `company`
field) and declaring, in its XML, a global record rule with the scope domain:

    <record model="ir.rule.group" id="rule_group_<model>_scope">
        <field name="name">Data scope</field>
        <field name="model">dealer.xxx</field>
        <field name="global_p" eval="True"/>
    </record>
    <record model="ir.rule" id="rule_<model>_scope">
        <field name="domain" eval="If(Eval('data_scope') == 'company', [],
            [('owner', 'in', If(Eval('data_scope') == 'team',
                Eval('team', []), Eval('employees', [])))])" pyson="1"/>
        <field name="rule_group" ref="rule_group_<model>_scope"/>
    </record>

beside the usual company rule (`('company', 'in', Eval('companies', []))`).
The rule context gives: `employees` (the user's employees), `team` (those
and every employee below them in the supervisor tree), `data_scope` (the
widest scope of the user's valid positions) and `user_id`.
"""
from trytond import backend
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


# The rules that ask which kinds of approvable documents the user may read.
_NEED_READABLE_MODELS = {'dealer.approval.request', 'dealer.approval.log'}


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context['user_id'] = Transaction().user
        context['employees'] = list(User.get_employees())
        context['team'] = list(User.get_team())
        context['data_scope'] = User.get_data_scope()
        # All the user's companies, whatever the company filter: who may be
        # seen (employees, users, locations) does not change with it.
        context['user_companies'] = list(User.get_user_companies())
        if model_name in _NEED_READABLE_MODELS:
            context['readable_models'] = list(User.get_readable_models())
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, Transaction().user, User.get_employees(),
            User.get_team(), User.get_data_scope(),
            User.get_user_companies(),
            User.get_readable_models()
            if _NEED_READABLE_MODELS & set(model_names) else None)


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def get_team(cls, employee_ids):
        "Return the ids of the employees and of all their subordinates"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        team = set(employee_ids)
        level = set(employee_ids)
        # One query per level of the tree: a supervisor chain is short.
        while level:
            below = set()
            for sub_ids in grouped_slice(
                    list(level), backend.MAX_QUERY_PARAMS):
                cursor.execute(*table.select(table.id,
                        where=table.supervisor.in_(list(sub_ids))))
                below.update(i for i, in cursor)
            level = below - team
            team |= level
        return team

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, employees, field_names=field_names)
        User._clear_scope_caches()


class UserEmployee(metaclass=PoolMeta):
    __name__ = 'res.user-company.employee'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._clear_scope_caches()


class OwnedMixin:
    "A document owned by an employee of its company"
    __slots__ = ()
    owner = fields.Many2One(
        'company.employee', "Owner", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The employee responsible for the document.")

    @classmethod
    def default_owner(cls):
        return Transaction().context.get('employee')
