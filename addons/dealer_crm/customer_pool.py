# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Ownership of customers and the shared pool (公海, R-CRM-05).

Salespeople claim customers from their company's pool within its limits and
release them; managers transfer customers between salespeople and assign
from the pool; a scheduled job returns customers without follow-up to the
pool.  Every change of owner is kept in the ownership history."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.settings import CompanySettingsMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.tools import timezone as tz
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import PoolError


def _day_start(company):
    "Midnight of today in the company's timezone, as a naive UTC datetime"
    zone = tz.ZoneInfo(company.timezone) if company.timezone else tz.UTC
    midnight = dt.datetime.now(zone).replace(
        hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(tz.UTC).replace(tzinfo=None)


OWNERSHIP_ACTIONS = [
    ('create', "Created"),
    ('claim', "Claimed from the Pool"),
    ('release', "Released to the Pool"),
    ('transfer', "Transferred"),
    ('assign', "Assigned from the Pool"),
    ('return', "Returned to the Pool (no follow-up)"),
    ]


class PoolSettings(CompanySettingsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.customer.pool.settings'
    __string__ = "Customer Pool Settings"
    max_customers = fields.Integer("Maximum Customers per Salesperson",
        domain=['OR', ('max_customers', '=', None),
            ('max_customers', '>', 0)],
        help="Empty: no limit.")
    max_claims_per_day = fields.Integer("Claims per Day",
        domain=['OR', ('max_claims_per_day', '=', None),
            ('max_claims_per_day', '>', 0)],
        help="Empty: no limit.")
    reclaim_days = fields.Integer("Days Before Reclaiming",
        required=True, domain=[('reclaim_days', '>=', 0)],
        help="A salesperson who released a customer cannot claim it back "
        "before this many days.")
    return_days = fields.Integer("Return to Pool After (days)",
        domain=['OR', ('return_days', '=', None), ('return_days', '>', 0)],
        help="Customers without follow-up for this many days return to the "
        "pool.\nEmpty: never.")

    @classmethod
    def default_reclaim_days(cls):
        return 30


class Ownership(ModelSQL, ModelView):
    __name__ = 'dealer.customer.ownership'
    __string__ = "Customer Ownership"
    customer = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    owner = fields.Many2One(
        'company.employee', "Owner", readonly=True,
        help="Empty: the pool.")
    previous_owner = fields.Many2One(
        'company.employee', "Previous Owner", readonly=True)
    action = fields.Selection(
        OWNERSHIP_ACTIONS, "Action", required=True, readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "By", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('customer')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.customer, Index.Range())),
                Index(t, (t.previous_owner, Index.Range()),
                    (t.action, Index.Equality(cardinality='low'))),
                Index(t, (t.owner, Index.Range()),
                    (t.action, Index.Equality(cardinality='low')),
                    (t.date, Index.Range())),
                })

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        # The history is written by the pool operations only.
        if external or mode == 'write':
            raise AccessError(gettext('dealer_crm.msg_ownership_write'))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'claim': {
                    'invisible': ~Eval('pooled', False),
                    'depends': ['pooled'],
                    },
                'release': {
                    'invisible': ~Eval('is_customer') | ~Eval('owner'),
                    'depends': ['is_customer', 'owner'],
                    },
                })
        cls.__rpc__.update({
                'transfer': RPC(readonly=False, instantiate=0),
                })

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        super().on_modification(mode, parties, field_names=field_names)
        if mode == 'create':
            cls._log_ownership(
                [p for p in parties if p.is_customer], 'create', None)

    @classmethod
    def _log_ownership(cls, parties, action, previous):
        pool = Pool()
        Ownership = pool.get('dealer.customer.ownership')
        now = dt.datetime.now()
        user = Transaction().user or None
        with without_check_access():
            Ownership.save([Ownership(customer=p, company=p.company,
                        owner=p.owner, previous_owner=previous.get(p.id)
                        if previous else None, action=action, date=now,
                        user=user) for p in parties if p.company])

    @classmethod
    def _set_owner(cls, parties, owner, action):
        previous = {p.id: p.owner for p in parties}
        with without_check_access():
            cls.write(list(parties), {'owner': owner.id if owner else None})
        cls._log_ownership(cls.browse(parties), action, previous)

    @classmethod
    @ModelView.button
    def claim(cls, parties):
        "The current user's employee takes customers from the pool"
        pool = Pool()
        User = pool.get('res.user')
        Ownership = pool.get('dealer.customer.ownership')
        Settings = pool.get('dealer.customer.pool.settings')
        user = User(Transaction().user)
        # Two salespeople claiming one customer: the second waits here and
        # then finds it owned.
        lock_rows(parties)
        for company, customers in cls._by_company(parties).items():
            employee = next((e for e in user.employees
                    if e.company == company), None)
            if not employee:
                raise PoolError(gettext('dealer_crm.msg_claim_no_employee',
                        company=company.rec_name))
            settings = Settings.for_company(company)
            for customer in customers:
                if not customer.pooled:
                    raise PoolError(gettext('dealer_crm.msg_claim_owned',
                            customer=customer.rec_name))
            if settings.max_customers:
                held = cls.search([
                        ('owner', '=', employee.id),
                        ('is_customer', '=', True),
                        ], count=True)
                if held + len(customers) > settings.max_customers:
                    raise PoolError(gettext('dealer_crm.msg_claim_max',
                            limit=settings.max_customers, held=held))
            if settings.max_claims_per_day:
                claimed = Ownership.search([
                        ('owner', '=', employee.id),
                        ('action', '=', 'claim'),
                        ('date', '>=', _day_start(company)),
                        ], count=True)
                if claimed + len(customers) > settings.max_claims_per_day:
                    raise PoolError(gettext(
                            'dealer_crm.msg_claim_per_day',
                            limit=settings.max_claims_per_day,
                            claimed=claimed))
            if settings.reclaim_days:
                since = dt.datetime.now() - dt.timedelta(
                    days=settings.reclaim_days)
                released = Ownership.search([
                        ('customer', 'in', [c.id for c in customers]),
                        ('previous_owner', '=', employee.id),
                        ('action', 'in', ['release', 'return']),
                        ('date', '>=', since),
                        ], limit=1)
                if released:
                    raise PoolError(gettext(
                            'dealer_crm.msg_claim_cooldown',
                            customer=released[0].customer.rec_name,
                            days=settings.reclaim_days))
            cls._set_owner(customers, employee, 'claim')

    @classmethod
    @ModelView.button
    def release(cls, parties):
        "The owner gives customers back to the pool"
        pool = Pool()
        User = pool.get('res.user')
        employees = set(User.get_employees())
        lock_rows(parties)
        for customer in parties:
            if not customer.owner or customer.owner.id not in employees:
                raise PoolError(gettext('dealer_crm.msg_release_not_owner',
                        customer=customer.rec_name))
        cls._set_owner(parties, None, 'release')

    @classmethod
    def transfer(cls, parties, employee_id):
        """A manager gives customers to a salesperson of their company
        (from another salesperson, or from the pool)"""
        pool = Pool()
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        parties = cls.browse(parties)
        if Transaction().check_access:
            # Only what the manager may read and edit is transferred.
            cls.read([p.id for p in parties], ['id'])
            if not set(User.get_groups()) & {
                    ModelData.get_id('dealer_base', 'group_sales_manager'),
                    ModelData.get_id('dealer_base', 'group_boss'),
                    ModelData.get_id('dealer_base', 'group_dealer_admin')}:
                raise PoolError(gettext('dealer_crm.msg_transfer_manager'))
        if not isinstance(employee_id, int) or employee_id < 0:
            raise PoolError(gettext('dealer_crm.msg_transfer_employee'))
        with without_check_access():
            employees = Employee.search([('id', '=', employee_id)])
            if not employees:
                raise PoolError(gettext('dealer_crm.msg_transfer_employee'))
            employee, = employees
            lock_rows(parties)
            for customer in parties:
                if not customer.is_customer:
                    raise PoolError(gettext('dealer_crm.msg_not_customer',
                            party=customer.rec_name))
                if not cls._is_salesperson(employee, customer.company):
                    raise PoolError(gettext(
                            'dealer_crm.msg_transfer_not_salesperson',
                            employee=employee.rec_name,
                            company=customer.company.rec_name))
            for action in ['assign', 'transfer']:
                group = [c for c in parties
                    if bool(c.owner) == (action == 'transfer')
                    and c.owner != employee]
                if group:
                    cls._set_owner(group, employee, action)

    @classmethod
    def _is_salesperson(cls, employee, company):
        "Whether the employee sells for the company"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        if employee.company != company:
            return False
        sales_groups = {
            ModelData.get_id('dealer_base', 'group_salesperson'),
            ModelData.get_id('dealer_base', 'group_sales_manager'),
            }
        now = dt.datetime.now()
        for user in User.search([('employees', '=', employee.id)]):
            for holding in user.roles:
                if (holding.valid(now) and sales_groups & {
                            g.id for g in holding.role.groups}):
                    return True
        return False

    @classmethod
    def _by_company(cls, parties):
        result = {}
        for party in parties:
            if not party.is_customer or not party.company:
                raise PoolError(gettext('dealer_crm.msg_not_customer',
                        party=party.rec_name))
            result.setdefault(party.company, []).append(party)
        return result

    @classmethod
    def return_to_pool(cls, date=None):
        """Scheduled job: customers without follow-up for their company's
        number of days go back to the pool"""
        pool = Pool()
        Settings = pool.get('dealer.customer.pool.settings')
        Visit = pool.get('dealer.visit')
        now = date or dt.datetime.now()
        for settings in Settings.search([('return_days', '!=', None)]):
            limit = now - dt.timedelta(days=settings.return_days)
            owned = cls.search([
                    ('company', '=', settings.company.id),
                    ('is_customer', '=', True),
                    ('owner', '!=', None),
                    ])
            followed = {v.customer.id for v in Visit.search([
                        ('customer', 'in', [c.id for c in owned]),
                        ('state', '=', 'done'),
                        ('date', '>=', limit),
                        ])}
            # A customer taken over recently keeps its new owner for the
            # same number of days.
            recent = {o.customer.id for o in pool.get(
                    'dealer.customer.ownership').search([
                        ('customer', 'in', [c.id for c in owned]),
                        ('date', '>=', limit),
                        ])}
            stale = [c for c in owned
                if c.id not in followed and c.id not in recent]
            if stale:
                cls._set_owner(stale, None, 'return')


class TransferStart(ModelView):
    __name__ = 'dealer.customer.transfer.start'
    __string__ = "Transfer Customers"
    company = fields.Many2One('company.company', "Company", readonly=True)
    employee = fields.Many2One(
        'company.employee', "To Salesperson", required=True,
        domain=[('company', '=', Eval('company', -1))])


class Transfer(Wizard):
    __name__ = 'dealer.customer.transfer'
    __string__ = "Transfer Customers"
    start = StateView('dealer.customer.transfer.start',
        'dealer_crm.customer_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Transfer", 'transfer', 'tryton-ok', default=True),
            ])
    transfer = StateTransition()

    def default_start(self, fields):
        companies = {r.company.id for r in self.records if r.company}
        return {'company': companies.pop() if len(companies) == 1 else None}

    def transition_transfer(self):
        self.model.transfer(list(self.records), self.start.employee.id)
        return 'end'


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('party.party|return_to_pool', "Return Customers to the Pool"))
