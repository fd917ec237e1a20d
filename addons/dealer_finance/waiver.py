# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Penalty waivers and reductions (减免申请, R-FIN-03): collection staff ask
to reduce an instalment's penalty by an amount or a percentage; the
approval flow decides (its steps' amount thresholds send large waivers to
the finance manager); an approved waiver reduces the penalty and, when it
was already charged, gives the difference back on the receivable."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import PenaltyError
from .penalty import round_penalty


class Waiver(SubmittedFrozenMixin, ApprovalMixin, OwnedMixin, ModelSQL,
        ModelView):
    __name__ = 'dealer.penalty.waiver'
    __string__ = "Penalty Waiver"
    _states = {'readonly': Eval('approval_state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    instalment = fields.Many2One(
        'dealer.payment.plan.line', "Instalment", required=True,
        states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('penalty_accrued', '>', 0),
            ])
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_customer',
        searcher='search_customer')
    kind = fields.Selection([
            ('amount', "Amount"),
            ('percentage', "Percentage of the Penalty"),
            ], "Reduce By", required=True, states=_states)
    percentage = fields.Numeric("Percentage", digits=(16, 2),
        states={
            'readonly': _states['readonly'],
            'required': Eval('kind') == 'percentage',
            'invisible': Eval('kind') != 'percentage',
            },
        domain=['OR', ('percentage', '=', None),
            [('percentage', '>', 0), ('percentage', '<=', 100)]])
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states={
            'readonly': (_states['readonly'])
            | (Eval('kind') == 'percentage'),
            },
        domain=[('amount', '>', 0)])
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    penalty_open = fields.Function(Monetary(
            "Penalty Not Yet Waived", currency='currency',
            digits='currency'), 'on_change_with_penalty_open')
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

    @classmethod
    def default_kind(cls):
        return 'amount'

    @fields.depends('instalment')
    def on_change_with_customer(self, name=None):
        return self.instalment.plan.customer if self.instalment else None

    @classmethod
    def search_customer(cls, name, clause):
        return [('instalment.plan.customer',) + tuple(clause[1:])]

    @fields.depends('instalment')
    def on_change_with_currency(self, name=None):
        return self.instalment.plan.currency if self.instalment else None

    @fields.depends('instalment')
    def on_change_with_penalty_open(self, name=None):
        if self.instalment:
            return self.instalment.penalty_due

    @fields.depends('kind', 'percentage', 'instalment', methods=[
            'on_change_with_penalty_open'])
    def on_change_with_amount(self):
        if self.kind == 'percentage':
            return self.percentage_amount()
        return getattr(self, 'amount', None)

    def percentage_amount(self):
        "The waived amount of a percentage of the accrued penalty"
        if self.instalment and self.percentage:
            return round_penalty(
                self.instalment.penalty_accrued * self.percentage / 100,
                self.instalment.plan.currency.rounding)

    def get_rec_name(self, name):
        return '%s: %s' % (self.instalment.rec_name, self.amount)

    def get_approval_amount(self):
        return self.amount

    def check_amount(self, reserved=Decimal(0)):
        "A waiver never exceeds the penalty accrued and not yet waived"
        line = self.instalment
        open_ = line.penalty_accrued - line.penalty_waived - reserved
        if self.amount > open_:
            raise PenaltyError(gettext(
                    'dealer_finance.msg_waiver_exceeds',
                    waiver=self.rec_name,
                    amount=self.amount,
                    open=max(open_, Decimal(0))))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        values = super().preprocess_values(mode, values)
        if values.get('kind') == 'percentage' and values.get('instalment'):
            waiver = cls(kind='percentage',
                instalment=Line(values['instalment']),
                percentage=values.get('percentage'))
            values['amount'] = waiver.percentage_amount()
        return values

    @classmethod
    def approval_submitted(cls, waivers):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        Event = pool.get('dealer.customer.event')
        super().approval_submitted(waivers)
        lines = Line.browse({w.instalment.id for w in waivers})
        # Two waivers of one penalty asked for at once: the second sees
        # the first as pending.
        lock_rows(lines, changed=True)
        for waiver in waivers:
            waiver.check_amount(reserved=cls.pending_amount(
                    waiver.instalment, exclude=waiver))
            Event.post(waiver.customer, 'penalty', gettext(
                    'dealer_finance.msg_waiver_submitted_event',
                    waiver=waiver.rec_name, reason=waiver.reason),
                origin=waiver, company=waiver.company)

    @classmethod
    def pending_amount(cls, instalment, exclude=None):
        "What other waivers of the instalment wait for approval"
        waivers = cls.search([
                ('instalment', '=', instalment.id),
                ('approval_state', '=', 'waiting'),
                ('id', '!=', exclude.id if exclude else -1),
                ])
        return sum((w.amount for w in waivers), Decimal(0))

    @classmethod
    def approval_decided(cls, waivers, decision):
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        Event = pool.get('dealer.customer.event')
        super().approval_decided(waivers, decision)
        lines = Line.browse({w.instalment.id for w in waivers})
        lock_rows(lines)
        if decision == 'approve':
            to_save = {}
            for waiver in waivers:
                line = to_save.setdefault(
                    waiver.instalment.id, Line(waiver.instalment.id))
                # Re-read: another waiver may have been approved meanwhile.
                waiver.instalment = line
                waiver.check_amount()
                line.penalty_waived += waiver.amount
            Line.save(list(to_save.values()))
            # What was charged beyond the reduced penalty goes back.
            Line.charge_penalty([l for l in to_save.values()
                    if l.penalty_charged > l.penalty_due])
        message = {
            'approve': 'dealer_finance.msg_waiver_approved_event',
            'reject': 'dealer_finance.msg_waiver_rejected_event',
            }[decision]
        for waiver in waivers:
            Event.post(waiver.customer, 'penalty',
                gettext(message, waiver=waiver.rec_name),
                origin=waiver, company=waiver.company)
