# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Customer tracking timeline (客户跟踪信息, R-ORG-06): what happened with a
customer, in time order, posted by the modules when their documents change.
Users only read it."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

# Modules add their kinds with cls.kind.selection.append(...) in __setup__.
KINDS = [
    ('approval', "Approval"),
    ('note', "Note"),
    ]


class CustomerEvent(ModelSQL, ModelView):
    "Customer Event"
    __name__ = 'dealer.customer.event'
    __string__ = "Customer Event"
    customer = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    summary = fields.Char("Summary", required=True, readonly=True)
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.customer, Index.Range()),
                (t.date, Index.Range(order='DESC'))))

    @classmethod
    def get_origins(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        return [(None, '')] + Model.get_name_items()

    @classmethod
    def post(cls, customer, kind, summary, origin=None, company=None,
            date=None):
        "Record an event on the customer's timeline; return it"
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if company is None:
            company = getattr(origin, 'company', None) or (
                transaction.context.get('company'))
        event = cls(customer=customer, kind=kind, summary=summary[:255],
            origin=origin, company=company, date=date or dt.datetime.now(),
            user=User(transaction.user) if transaction.user else None)
        event.save()
        return event

    @classmethod
    def check_modification(cls, mode, events, values=None, external=False):
        super().check_modification(
            mode, events, values=values, external=external)
        # Only the modules post; nobody edits history.
        if external or mode == 'write':
            raise AccessError(gettext('dealer_base.msg_timeline_write'))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    timeline = fields.One2Many(
        'dealer.customer.event', 'customer', "Timeline", readonly=True)
