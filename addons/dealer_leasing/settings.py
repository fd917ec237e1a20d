# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Leasing settings of a company: the turnaround buffer between two leases
of one machine, the late-return charge, the rent credited when a lease is
converted into a sale, the sanity bound of finance contract rates and the
account a buyback is booked to."""
from decimal import Decimal

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.dealer_base.document import sequence_field
from trytond.modules.dealer_base.settings import CompanySettingsMixin
from trytond.pyson import Eval


class Settings(CompanySettingsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.leasing.settings'
    __string__ = "Leasing Settings"
    turnaround_days = fields.Integer("Turnaround Days", required=True,
        domain=[('turnaround_days', '>=', 0)],
        help="Days a returned machine needs (cleaning, checks) before it "
        "can be leased again.")
    late_fee_rate = fields.Numeric("Late Return Charge (%)", digits=(16, 2),
        required=True, domain=[('late_fee_rate', '>=', 0)],
        help="Charged per day of late return, as a percentage of the "
        "day's rent.")
    rent_credit_rate = fields.Numeric("Rent Credited (%)", digits=(16, 2),
        required=True,
        domain=[
            ('rent_credit_rate', '>=', 0),
            ('rent_credit_rate', '<=', 100),
            ],
        help="The share of the rents paid credited on the price when a "
        "lease is converted into a sale.")
    rent_credit_cap = fields.Numeric("Credit Cap (%)", digits=(16, 2),
        required=True,
        domain=[('rent_credit_cap', '>=', 0), ('rent_credit_cap', '<=', 100)],
        help="The most the credit may reach, as a percentage of the "
        "machine's price.")
    max_annual_rate = fields.Numeric("Highest Annual Rate (%)",
        digits=(16, 4), required=True,
        domain=[('max_annual_rate', '>', 0)],
        help="A sanity bound: no finance contract may set a higher rate.")
    buyback_account = fields.Many2One('account.account', "Buyback Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="Debited with what the dealer pays the institution on a "
        "buyback.\nEmpty: the machine product's expense account.")
    delivery_release_sequence = sequence_field(
        'dealer_leasing', 'sequence_type_delivery_release',
        "Delivery Release Sequence")
    finance_contract_sequence = sequence_field(
        'dealer_leasing', 'sequence_type_finance_contract',
        "Finance Contract Sequence")
    buyback_sequence = sequence_field(
        'dealer_leasing', 'sequence_type_buyback', "Buyback Sequence")

    @classmethod
    def default_turnaround_days(cls):
        return 2

    @classmethod
    def default_late_fee_rate(cls):
        return Decimal(150)

    @classmethod
    def default_rent_credit_rate(cls):
        return Decimal(70)

    @classmethod
    def default_rent_credit_cap(cls):
        return Decimal(30)

    @classmethod
    def default_max_annual_rate(cls):
        return Decimal(24)
