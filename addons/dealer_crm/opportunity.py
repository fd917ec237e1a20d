# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Opportunities (R-CRM-07): Tryton's sale opportunities with the expected
machines (their lines), the competitors and their offers, the customer's
key persons and their attitude; stage changes reach the timeline; a funnel
by stage and a forecast by expected close month."""
from sql import Literal, Null
from sql.aggregate import Count, Max, Sum
from sql.conditionals import Coalesce
from sql.functions import DateTrunc

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta

ATTITUDES = [
    ('supporter', "Supporter"),
    ('neutral', "Neutral"),
    ('opponent', "Opponent"),
    ]


class Opportunity(metaclass=PoolMeta):
    __name__ = 'sale.opportunity'
    expected_close = fields.Date("Expected Close",
        help="When the customer is expected to decide.")
    competitors = fields.One2Many(
        'dealer.opportunity.competitor', 'opportunity', "Competitors")
    key_persons = fields.One2Many(
        'dealer.opportunity.key_person', 'opportunity', "Key Persons")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.amount.domain = [
            cls.amount.domain,
            ['OR', ('amount', '=', None), ('amount', '>=', 0)],
            ]

    @classmethod
    def on_modification(cls, mode, opportunities, field_names=None):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().on_modification(mode, opportunities, field_names=field_names)
        # Every stage (lead, opportunity, converted, won, lost …) is kept
        # on the customer's timeline.
        if mode == 'create' or (field_names and 'state' in field_names):
            states = dict(cls.fields_get(['state'])['state']['selection'])
            for opportunity in opportunities:
                Event.post(opportunity.party, 'opportunity', gettext(
                        'dealer_crm.msg_opportunity_event',
                        opportunity=opportunity.rec_name,
                        state=states[opportunity.state]),
                    origin=opportunity, company=opportunity.company)


class Competitor(ModelSQL, ModelView):
    __name__ = 'dealer.opportunity.competitor'
    __string__ = "Opportunity Competitor"
    opportunity = fields.Many2One(
        'sale.opportunity', "Opportunity", required=True, ondelete='CASCADE')
    competitor = fields.Char("Competitor", required=True,
        help="The other dealer or brand.")
    offer = fields.Char("Offered Machine")
    offer_amount = Monetary(
        "Offered Price", currency='currency', digits='currency',
        domain=['OR', ('offer_amount', '=', None),
            ('offer_amount', '>=', 0)])
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('opportunity')

    @fields.depends('opportunity', '_parent_opportunity.currency')
    def on_change_with_currency(self, name=None):
        return self.opportunity.currency if self.opportunity else None


class KeyPerson(ModelSQL, ModelView):
    __name__ = 'dealer.opportunity.key_person'
    __string__ = "Opportunity Key Person"
    opportunity = fields.Many2One(
        'sale.opportunity', "Opportunity", required=True, ondelete='CASCADE')
    person = fields.Many2One(
        'party.party', "Person", required=True,
        domain=[('is_contact', '=', True)])
    position = fields.Char("Position at the Customer")
    attitude = fields.Selection(ATTITUDES, "Attitude", required=True)
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('opportunity')

    @classmethod
    def default_attitude(cls):
        return 'neutral'


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('opportunity', "Opportunity"))


class _OpportunityReport(ModelSQL, ModelView):
    "Shared columns of the funnel and the forecast: grouped opportunities"
    company = fields.Many2One('company.company', "Company")
    employee = fields.Many2One('company.employee', "Salesperson")
    count = fields.Integer("Opportunities")
    amount = Monetary("Amount", currency='currency', digits='currency')
    currency = fields.Many2One('currency.currency', "Currency")

    @classmethod
    def _opportunity_query(cls, opportunity=None):
        "The grouped columns over the opportunities (or a sub-query of them)"
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        if opportunity is None:
            opportunity = Opportunity.__table__()
        columns = [
            Max(opportunity.id).as_('id'),
            opportunity.company.as_('company'),
            opportunity.employee.as_('employee'),
            Count(Literal(1)).as_('count'),
            Sum(Coalesce(opportunity.amount, 0)).as_('amount'),
            Max(opportunity.currency).as_('currency'),
            ]
        return opportunity, columns


class Funnel(_OpportunityReport):
    __name__ = 'dealer.opportunity.funnel'
    __string__ = "Sales Funnel"
    state = fields.Selection('get_states', "Stage", sort=False)
    state_string = state.translated('state')
    # The chart's axis: a graph shows a selection's key (lead, won), not
    # its name.
    stage = fields.Function(fields.Char("Stage"), 'get_stage')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('employee', 'ASC'),
            ('state', 'ASC'), ('id', 'ASC')]

    def get_stage(self, name):
        return self.state_string

    @classmethod
    def get_states(cls):
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        return Opportunity.fields_get(['state'])['state']['selection']

    @classmethod
    def table_query(cls):
        opportunity, columns = cls._opportunity_query()
        return opportunity.select(*columns, opportunity.state.as_('state'),
            group_by=[opportunity.company, opportunity.employee,
                opportunity.state])


class Forecast(_OpportunityReport):
    __name__ = 'dealer.opportunity.forecast'
    __string__ = "Sales Forecast"
    month = fields.Date("Expected Close Month")
    weighted_amount = Monetary(
        "Weighted Amount", currency='currency', digits='currency',
        help="The amounts weighted by their conversion probability.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'ASC'), ('company', 'ASC'),
            ('employee', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        opportunity = Opportunity.__table__()
        # The month is computed in a sub-query: PostgreSQL groups only by a
        # column, not by an expression that carries a query parameter.
        open_ = opportunity.select(
            opportunity.id, opportunity.company, opportunity.employee,
            opportunity.amount, opportunity.currency,
            opportunity.conversion_probability,
            cls.month.sql_cast(
                DateTrunc('month', opportunity.expected_close)).as_('month'),
            where=opportunity.state.in_(['lead', 'opportunity', 'converted'])
            & (opportunity.expected_close != Null))
        _, columns = cls._opportunity_query(open_)
        return open_.select(*columns, open_.month.as_('month'),
            cls.weighted_amount.sql_cast(Sum(Coalesce(open_.amount, 0)
                    * open_.conversion_probability)).as_('weighted_amount'),
            group_by=[open_.company, open_.employee, open_.month])
