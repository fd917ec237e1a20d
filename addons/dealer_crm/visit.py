# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Visits and follow-ups (拜访/跟进, R-CRM-06): planned ones are the
salesperson's to-dos; each one done reaches the customer's timeline.

The phone app (issue 16) logs a visit in one step with `log_visit`: a
planned one or one after the fact, with where the phone was and its
photos.  A visit logged without network is sent again when the network
returns, so it carries the phone's own UUID: the same UUID sent twice
gives back the visit of the first time."""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.transaction import Transaction, without_check_access

from .exceptions import CRMError

CHANNELS = [
    ('visit', "Visit"),
    ('phone', "Phone Call"),
    ('message', "Message"),
    ('email', "Email"),
    ]
UUID_RE = re.compile(
    r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
# What one visit may carry from a phone: a few photos of the site, each
# already shrunk by the app (about 200 KB); the request size limit of
# [request] max_size_authenticated holds the rest.
MAX_PHOTOS = 9
MAX_PHOTO_SIZE = 5 * 1024 * 1024
# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


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
    uuid = fields.Char("Phone Reference", readonly=True, strip=False,
        help="Given by the phone app to a visit it logs, so that a visit "
        "sent again after a network failure is kept once.")
    latitude = fields.Float("Latitude", digits=(9, 6), readonly=True,
        domain=['OR', ('latitude', '=', None),
            [('latitude', '>=', -90), ('latitude', '<=', 90)]])
    longitude = fields.Float("Longitude", digits=(9, 6), readonly=True,
        domain=['OR', ('longitude', '=', None),
            [('longitude', '>=', -180), ('longitude', '<=', 180)]])
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
        cls._sql_constraints += [
            ('uuid_unique', Unique(t, t.uuid),
                'dealer_crm.msg_visit_uuid_unique'),
            ]
        cls.__rpc__.update({
                'log_visit': RPC(readonly=False),
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
    def log_visit(cls, values):
        """Log what happened in one step, as the phone app does: complete
        the planned visit values['visit'], or create one done at once.
        values: uuid (required), customer, channel, date (UTC), summary,
        place, latitude, longitude, next_action, next_action_date, and
        photos, a list of {'name', 'data'} attached to the visit.  Returns
        the visit's id; the same uuid again returns the same visit and
        changes nothing.  The caller's access rights and record rules
        apply: it is his own create, write and attachments."""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Party = pool.get('party.party')
        values = cls._log_visit_values(values)
        uuid = values.pop('uuid')
        photos = values.pop('photos')
        planned_id = values.pop('visit')
        existing = cls.search([('uuid', '=', uuid)], limit=1)
        if existing:
            return existing[0].id
        with without_check_access():
            if cls.search([('uuid', '=', uuid)], count=True):
                # Another user's visit: nothing of it is told.
                raise CRMError(gettext('dealer_crm.msg_visit_uuid_unique'))
        # Read as the caller: a customer he may not read is refused here
        # with the access error, before anything is written.
        Party.read([values['customer']], ['id'])
        if planned_id is not None:
            visit, = cls.browse([planned_id])
            cls.read([visit.id], ['id'])
            if visit.state != 'planned':
                raise CRMError(gettext('dealer_crm.msg_visit_log_not_planned',
                        visit=visit.rec_name))
            cls.write([visit], dict(values, uuid=uuid))
        else:
            visit, = cls.create([dict(values, uuid=uuid)])
        if photos:
            Attachment.create([{
                        'resource': str(visit),
                        'name': p['name'],
                        'type': 'data',
                        'data': p['data'],
                        } for p in photos])
        cls.done([visit])
        return visit.id

    @classmethod
    def _log_visit_values(cls, values):
        "Check the types of log_visit's values: a bad one is refused clearly"
        def refuse(field):
            raise CRMError(gettext('dealer_crm.msg_visit_log_value',
                    field=field))
        if not isinstance(values, dict):
            refuse('values')
        allowed = {'uuid', 'visit', 'customer', 'channel', 'date', 'summary',
            'place', 'latitude', 'longitude', 'next_action',
            'next_action_date', 'photos'}
        for name in values:
            if name not in allowed:
                refuse(name)
        result = {
            'photos': [],
            'visit': None,
            }
        uuid = values.get('uuid')
        if not isinstance(uuid, str) or not UUID_RE.match(uuid):
            raise CRMError(gettext('dealer_crm.msg_visit_log_uuid'))
        result['uuid'] = uuid
        for name in ['visit', 'customer']:
            value = values.get(name)
            if value is not None and (
                    not isinstance(value, int) or isinstance(value, bool)
                    or value <= 0):
                refuse(name)
            result[name] = value
        if not result['customer']:
            raise CRMError(gettext('dealer_crm.msg_visit_log_customer'))
        channel = values.get('channel', 'visit')
        if channel not in dict(CHANNELS):
            refuse('channel')
        result['channel'] = channel
        date = values.get('date')
        if not isinstance(date, dt.datetime):
            refuse('date')
        if date > dt.datetime.now() + CLOCK_TOLERANCE:
            raise CRMError(gettext('dealer_crm.msg_visit_log_future'))
        result['date'] = date.replace(microsecond=0)
        summary = values.get('summary')
        if not isinstance(summary, str) or not summary.strip():
            raise CRMError(gettext('dealer_crm.msg_visit_log_summary'))
        result['summary'] = summary.strip()
        for name in ['place', 'next_action']:
            value = values.get(name)
            if value is not None and not isinstance(value, str):
                refuse(name)
            result[name] = (value or '').strip() or None
        for name in ['latitude', 'longitude']:
            value = values.get(name)
            if value is not None and (not isinstance(value, (int, float))
                    or isinstance(value, bool)):
                refuse(name)
            result[name] = float(value) if value is not None else None
        next_date = values.get('next_action_date')
        if next_date is not None and (not isinstance(next_date, dt.date)
                or isinstance(next_date, dt.datetime)):
            refuse('next_action_date')
        result['next_action_date'] = next_date
        photos = values.get('photos') or []
        if not isinstance(photos, list) or len(photos) > MAX_PHOTOS:
            raise CRMError(gettext('dealer_crm.msg_visit_log_photos',
                    count=MAX_PHOTOS))
        for photo in photos:
            if (not isinstance(photo, dict)
                    or not isinstance(photo.get('name'), str)
                    or not photo['name'].strip()
                    or not isinstance(photo.get('data'), bytes)
                    or not photo['data']
                    or len(photo['data']) > MAX_PHOTO_SIZE):
                raise CRMError(gettext('dealer_crm.msg_visit_log_photos',
                        count=MAX_PHOTOS))
            result['photos'].append({
                    'name': photo['name'].strip()[:100],
                    'data': photo['data'],
                    })
        return result

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
