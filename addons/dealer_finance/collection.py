# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Collection (催收, R-FIN-04): every action taken to collect an overdue
amount — call, SMS, visit, letter, lawyer's letter, litigation — with its
result, the payment the customer promised and the next action; a promise
not kept is flagged the day after its date."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

METHODS = [
    ('call', "Phone Call"),
    ('sms', "SMS"),
    ('visit', "Visit"),
    ('letter', "Letter"),
    ('lawyer_letter', "Lawyer's Letter"),
    ('litigation', "Litigation"),
    ]


class CollectionAction(OwnedMixin, ModelSQL, ModelView):
    __name__ = 'dealer.collection.action'
    __string__ = "Collection Action"
    company = fields.Many2One('company.company', "Company", required=True)
    customer = fields.Many2One(
        'party.party', "Customer", required=True,
        domain=[('is_customer', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    plan = fields.Many2One(
        'dealer.payment.plan', "Plan",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('customer', '=', Eval('customer', -1)),
            ])
    date = fields.Date("Date", required=True)
    method = fields.Selection(METHODS, "Method", required=True)
    method_string = method.translated('method')
    result = fields.Text("Result")
    promised_date = fields.Date("Promised Payment Date",
        domain=['OR', ('promised_date', '=', None),
            ('promised_date', '>=', Eval('date', None))],
        states={
            'required': Bool(Eval('promised_amount')),
            })
    promised_amount = Monetary(
        "Promised Amount", currency='currency', digits='currency',
        domain=['OR', ('promised_amount', '=', None),
            ('promised_amount', '>', 0)],
        states={
            'required': Bool(Eval('promised_date')),
            })
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    promise_state = fields.Selection([
            (None, ""),
            ('pending', "Pending"),
            ('kept', "Kept"),
            ('broken', "Broken"),
            ], "Promise", readonly=True, sort=False)
    next_action = fields.Char("Next Action")
    next_action_date = fields.Date("Next Action Date",
        domain=['OR', ('next_action_date', '=', None),
            ('next_action_date', '>=', Eval('date', None))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.owner.string = "Collector"
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.customer, Index.Range()),
                    (t.date, Index.Range(order='DESC'))),
                Index(t, (t.promised_date, Index.Range()),
                    where=t.promise_state == 'pending'),
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return '%s %s %s' % (
            self.customer.rec_name, self.date, self.method_string)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'promised_date' in values or 'promised_amount' in values:
            values['promise_state'] = (
                'pending' if values.get('promised_date') else None)
        return values

    @classmethod
    def on_modification(cls, mode, actions, field_names=None):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().on_modification(mode, actions, field_names=field_names)
        if mode == 'create':
            for action in actions:
                Event.post(action.customer, 'collection', gettext(
                        'dealer_finance.msg_collection_event',
                        method=action.method_string,
                        result=action.result or ''),
                    origin=action, company=action.company)

    def received_since(self):
        "What the customer paid on the company's plans since the action"
        pool = Pool()
        Allocation = pool.get('dealer.payment.allocation')
        domain = [
            ('instalment.plan.customer', '=', self.customer.id),
            ('instalment.plan.company', '=', self.company.id),
            ('date', '>=', self.date),
            ('date', '<=', self.promised_date),
            ]
        if self.plan:
            domain.append(('instalment.plan', '=', self.plan.id))
        return sum((a.amount for a in Allocation.search(domain)), Decimal(0))

    @classmethod
    def flag_broken_promises(cls, date=None):
        "The day after a promised date: kept, or broken"
        pool = Pool()
        Date = pool.get('ir.date')
        Company = pool.get('company.company')
        Event = pool.get('dealer.customer.event')
        kept, broken = [], []
        for company in Company.search([]):
            with Transaction().set_context(company=company.id):
                today = date or Date.today()
            for action in cls.search([
                        ('company', '=', company.id),
                        ('promise_state', '=', 'pending'),
                        ('promised_date', '<', today),
                        ]):
                if action.received_since() >= action.promised_amount:
                    kept.append(action)
                else:
                    broken.append(action)
        if kept:
            cls.write(kept, {'promise_state': 'kept'})
        if broken:
            cls.write(broken, {'promise_state': 'broken'})
            for action in broken:
                Event.post(action.customer, 'collection', gettext(
                        'dealer_finance.msg_promise_broken_event',
                        date=action.promised_date,
                        amount=action.promised_amount),
                    origin=action, company=action.company)
        return kept, broken
