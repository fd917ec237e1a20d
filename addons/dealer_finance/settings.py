# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Finance settings of a company: the overdue penalty terms (R-FIN-02),
payment reminders (R-FIN-01), where charged penalties are booked and how
payment requests are paid (R-PRT-04)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.dealer_base.document import sequence_field
from trytond.modules.dealer_base.settings import CompanySettingsMixin
from trytond.pyson import Eval

from .exceptions import PenaltyError

# Penalty terms a contract may override; None there means "the company's".
RATE_DIGITS = (16, 8)
# What a contract may override; None there means "the company's".
PENALTY_TERMS = ['penalty_rate', 'grace_days', 'penalty_minimum',
    'penalty_cap', 'penalty_compound']


class PenaltyTermsMixin:
    "Daily penalty rate, grace days, minimum overdue amount and cap"
    __slots__ = ()
    penalty_rate = fields.Numeric("Daily Penalty Rate", digits=RATE_DIGITS,
        domain=['OR', ('penalty_rate', '=', None),
            ('penalty_rate', '>=', 0)],
        help="The share of the overdue amount charged per day, "
        "e.g. 0.0005 for 0.05 % a day.")
    grace_days = fields.Integer("Grace Days",
        domain=['OR', ('grace_days', '=', None), ('grace_days', '>=', 0)],
        help="Days after the due date that bear no penalty.")
    penalty_minimum = fields.Numeric("Minimum Overdue Amount",
        digits=(16, 2),
        domain=['OR', ('penalty_minimum', '=', None),
            ('penalty_minimum', '>=', 0)],
        help="Below this overdue amount nothing accrues.")
    penalty_cap = fields.Numeric("Penalty Cap (%)", digits=(16, 2),
        domain=['OR', ('penalty_cap', '=', None),
            ('penalty_cap', '>=', 0)],
        help="The most an instalment's penalty may reach, as a "
        "percentage of the instalment.\nEmpty: no cap.")


class Settings(CompanySettingsMixin, PenaltyTermsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.finance.settings'
    __string__ = "Finance Settings"
    penalty_compound = fields.Boolean("Penalty on Penalty",
        help="Accrued penalties themselves bear penalty.")
    max_penalty_rate = fields.Numeric("Highest Daily Rate",
        digits=RATE_DIGITS, required=True,
        domain=[('max_penalty_rate', '>', 0)],
        help="A sanity bound: no contract may set a higher daily rate.")
    reminder_days = fields.Integer("Remind Days Before Due",
        required=True, domain=[('reminder_days', '>=', 0)])
    penalty_account = fields.Many2One('account.account', "Penalty Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type.revenue', '=', True),
            ('closed', '!=', True),
            ],
        help="The revenue account credited when penalties are charged.")
    penalty_journal = fields.Many2One('account.journal', "Penalty Journal")
    payment_method = fields.Many2One(
        'account.invoice.payment.method', "Supplier Payment Method",
        domain=[('company', '=', Eval('company', -1))],
        help="How finance pays confirmed payment requests.")
    payment_plan_sequence = sequence_field(
        'dealer_finance', 'sequence_type_payment_plan',
        "Payment Plan Sequence")
    payment_request_sequence = sequence_field(
        'dealer_finance', 'sequence_type_payment_request',
        "Payment Request Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.penalty_rate.required = True
        cls.grace_days.required = True
        cls.penalty_minimum.required = True

    @classmethod
    def default_penalty_rate(cls):
        return Decimal('0.0005')

    @classmethod
    def default_max_penalty_rate(cls):
        return Decimal('0.003')

    @classmethod
    def default_grace_days(cls):
        return 0

    @classmethod
    def default_penalty_minimum(cls):
        return Decimal(0)

    @classmethod
    def default_penalty_compound(cls):
        return False

    @classmethod
    def default_reminder_days(cls):
        return 3

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names and not (
                field_names & {'penalty_rate', 'max_penalty_rate'}):
            return
        for settings in records:
            settings.check_rate(settings.penalty_rate)

    def terms(self, **overrides):
        """The penalty terms with a contract's overrides: a value, or None
        for the company's (penalty_compound: 'yes', 'no' or None)"""
        terms = {n: getattr(self, n) for n in PENALTY_TERMS}
        for name, value in overrides.items():
            if value is not None:
                terms[name] = value
        terms['penalty_compound'] = terms['penalty_compound'] in {
            True, 'yes'}
        return terms

    def check_rate(self, rate, record=None):
        "Refuse a daily rate above the company's sanity bound"
        if rate is not None and rate > self.max_penalty_rate:
            raise PenaltyError(gettext(
                    'dealer_finance.msg_penalty_rate_bound',
                    record=(record or self).rec_name,
                    rate=rate, bound=self.max_penalty_rate))
