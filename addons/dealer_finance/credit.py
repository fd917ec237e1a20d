# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Credit (R-FIN-05): the credit limit and receivable terms of each customer
are Tryton's (account_credit_limit, the customer payment term); confirming
a sale beyond the limit is refused unless a credit exception for that sale
went through the approval flow."""
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


class CreditException(SubmittedFrozenMixin, ApprovalMixin, OwnedMixin,
        ModelSQL, ModelView):
    __name__ = 'dealer.credit.exception'
    __string__ = "Credit Exception"
    _states = {'readonly': Eval('approval_state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    sale = fields.Many2One(
        'sale.sale', "Sale", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', 'in', ['draft', 'quotation']),
            ])
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_customer')
    amount = Monetary(
        "Sale Amount", currency='currency', digits='currency', readonly=True,
        help="The amount of the sale counted against the credit limit.")
    credit_limit = Monetary(
        "Credit Limit", currency='currency', digits='currency',
        readonly=True)
    credit_used = Monetary(
        "Credit Used", currency='currency', digits='currency', readonly=True,
        help="The customer's open receivable when the exception was asked.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    reason = fields.Text("Reason", required=True, states=_states)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls.owner.string = "Requested By"

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('sale')
    def on_change_with_customer(self, name=None):
        if self.sale:
            return self.sale.invoice_party or self.sale.party

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return self.sale.rec_name

    def get_approval_amount(self):
        return self.amount

    @classmethod
    def approval_submitted(cls, exceptions):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().approval_submitted(exceptions)
        for exception in exceptions:
            sale = exception.sale
            party = exception.customer
            with Transaction().set_context(company=exception.company.id):
                exception.amount = sale.credit_limit_amount
                limit = party.get_multivalue(
                    'credit_limit_amount', company=exception.company.id)
                exception.credit_limit = (
                    exception.company.currency.round(limit)
                    if limit is not None else None)
                exception.credit_used = party.credit_amount
            Event.post(party, 'credit', gettext(
                    'dealer_finance.msg_credit_exception_event',
                    sale=sale.rec_name, reason=exception.reason),
                origin=exception, company=exception.company)
        cls.save(exceptions)

    @classmethod
    def approval_decided(cls, exceptions, decision):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().approval_decided(exceptions, decision)
        for exception in exceptions:
            Event.post(exception.customer, 'credit', gettext(
                    'dealer_finance.msg_credit_exception_decided',
                    sale=exception.sale.rec_name,
                    decision=exception.approval_request.state_string),
                origin=exception, company=exception.company)

    @classmethod
    def granted(cls, sale):
        "Whether an approved exception covers the sale at its amount"
        return bool(cls.search([
                    ('sale', '=', sale.id),
                    ('approval_state', '=', 'approved'),
                    ('amount', '>=', sale.credit_limit_amount),
                    ], limit=1))


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    def must_check_credit_limit(self):
        pool = Pool()
        Exception_ = pool.get('dealer.credit.exception')
        return (super().must_check_credit_limit()
            and not Exception_.granted(self))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    payment_plans = fields.One2Many(
        'dealer.payment.plan', 'customer', "Payment Plans", readonly=True)
    receipts = fields.Function(fields.Many2Many(
            'dealer.payment.receipt', None, None, "Payments Received",
            states={
                'invisible': ~Eval('is_customer'),
                },
            help="The payments posted against the customer's plans, "
            "newest first."),
        'get_receipts')
    overdue_amount = fields.Function(Monetary(
            "Overdue", currency='currency', digits='currency',
            help="Instalments past their due date and not paid."),
        'get_plan_amounts')
    penalty_amount = fields.Function(Monetary(
            "Penalty Due", currency='currency', digits='currency',
            help="Penalties accrued and not waived."),
        'get_plan_amounts')

    @classmethod
    def get_receipts(cls, parties, name):
        pool = Pool()
        Receipt = pool.get('dealer.payment.receipt')
        result = {p.id: [] for p in parties}
        for sub_parties in grouped_slice(
                parties, backend.MAX_QUERY_PARAMS):
            # The user's record rules apply: only the plans in their scope
            for receipt in Receipt.search([
                        ('plan.customer', 'in', [p.id for p in sub_parties]),
                        ('state', '=', 'posted'),
                        ]):
                result[receipt.plan.customer.id].append(receipt.id)
        return result

    @classmethod
    def get_plan_amounts(cls, parties, names):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        context = Transaction().context
        result = {n: {p.id: Decimal(0) for p in parties} for n in names}
        domain = [
            ('plan.customer', 'in', [p.id for p in parties]),
            ('plan.state', 'in', ['running', 'closed']),
            ]
        if context.get('company'):
            domain.append(('plan.company', '=', context['company']))
        for line in Line.search(domain):
            party = line.plan.customer.id
            # overdue by the plan's company's today (its timezone)
            if 'overdue_amount' in names and line.state == 'overdue':
                result['overdue_amount'][party] += line.unpaid_amount
            if 'penalty_amount' in names:
                result['penalty_amount'][party] += line.penalty_due
        return result
