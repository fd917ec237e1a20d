# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Visits and follow-ups (拜访/跟进, R-CRM-06): planned ones are the
salesperson's to-dos; each one done reaches the customer's timeline."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CRMError

CHANNELS = [
    ('visit', "Visit"),
    ('phone', "Phone Call"),
    ('message', "Message"),
    ('email', "Email"),
    ]


class Visit(OwnedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.visit'
    __string__ = "Visit"
    _states = {'readonly': Eval('state') == 'done'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    customer = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        domain=[
            ('is_customer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    contacts = fields.Many2Many(
        'dealer.visit-party.party', 'visit', 'contact', "Contacts Met",
        states=_states,
        domain=[('is_contact', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.DateTime("Date", required=True, states=_states)
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        states=_states)
    channel_string = channel.translated('channel')
    place = fields.Char("Place", states=_states)
    summary = fields.Text("Summary",
        states={
            'readonly': Eval('state') == 'done',
            'required': Eval('state') == 'done',
            })
    next_action = fields.Char("Next Action")
    next_action_date = fields.Date("Next Action Date",
        domain=['OR', ('next_action_date', '=', None),
            ('next_action_date', '>=', Eval('visit_date', None))])
    visit_date = fields.Function(fields.Date("Visit Date"),
        'on_change_with_visit_date')
    state = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.customer, Index.Range()),
                    (t.date, Index.Range(order='DESC'))),
                Index(t, (t.owner, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                })
        cls._transitions |= {
            ('planned', 'done'),
            ('planned', 'cancelled'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update({
                'done': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'plan': {
                    'invisible': Eval('state') != 'cancelled',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return dt.datetime.now().replace(microsecond=0)

    @classmethod
    def default_channel(cls):
        return 'visit'

    @classmethod
    def default_state(cls):
        return 'planned'

    @fields.depends('date')
    def on_change_with_visit_date(self, name=None):
        return self.date.date() if self.date else None

    def get_rec_name(self, name):
        return f'{self.customer.rec_name} {self.date:%Y-%m-%d %H:%M}'

    @classmethod
    def __post_setup__(cls):
        super().__post_setup__()
        cls.owner.states = {'readonly': Eval('state') == 'done'}

    @classmethod
    def check_modification(cls, mode, visits, values=None, external=False):
        super().check_modification(
            mode, visits, values=values, external=external)
        if (mode == 'write' and external
                and set(values) - {'next_action', 'next_action_date'}):
            # What happened stays as it was logged; only the next action
            # may still be planned.
            for visit in visits:
                if visit.state == 'done':
                    raise CRMError(gettext(
                            'dealer_crm.msg_visit_done_write',
                            visit=visit.rec_name))
        if mode == 'delete':
            for visit in visits:
                if visit.state == 'done':
                    raise CRMError(gettext(
                            'dealer_crm.msg_visit_delete_done',
                            visit=visit.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, visits):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        for visit in visits:
            if not visit.summary:
                raise CRMError(gettext(
                        'dealer_crm.msg_visit_summary', visit=visit.rec_name))
        for visit in visits:
            Event.post(visit.customer, 'visit',
                f'{visit.channel_string}: {visit.summary}', origin=visit,
                company=visit.company, date=visit.date)


    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, visits):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, visits):
        pass


class VisitContact(ModelSQL):
    __name__ = 'dealer.visit-party.party'
    __string__ = "Visit - Contact"
    visit = fields.Many2One(
        'dealer.visit', "Visit", required=True, ondelete='CASCADE')
    contact = fields.Many2One(
        'party.party', "Contact", required=True, ondelete='CASCADE')


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('visit', "Visit"))
        # A customer's timeline is as private as the customer.
        cls.__access__.add('customer')
