# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Expense settings of a company: from which amount a line needs its
receipt (R-EXP-04) and how claims and advances are numbered."""
from decimal import Decimal

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.dealer_base.document import sequence_field
from trytond.modules.dealer_base.settings import CompanySettingsMixin


class Settings(CompanySettingsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.expense.settings'
    __string__ = "Expense Settings"
    receipt_threshold = fields.Numeric("Receipt Required Above",
        digits=(16, 2), required=True,
        domain=[('receipt_threshold', '>=', 0)],
        help="A line of a higher amount cannot be submitted without its "
        "receipt attached.")
    claim_sequence = sequence_field(
        'dealer_expense', 'sequence_type_claim', "Claim Sequence")

    @classmethod
    def default_receipt_threshold(cls):
        return Decimal('200.00')
