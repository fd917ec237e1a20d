# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Parts settings of a company: what happens when more arrives than was
ordered (R-PRT-02), the price difference a settlement may have without
approval (R-PRT-03), where lent parts are counted (R-PRT-06) and how
settlements and loans are numbered."""
from decimal import Decimal

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.dealer_base.document import sequence_field
from trytond.modules.dealer_base.settings import CompanySettingsMixin
from trytond.pyson import Eval


class Settings(CompanySettingsMixin, ModelSQL, ModelView):
    __name__ = 'dealer.parts.settings'
    __string__ = "Parts Settings"
    over_receipt = fields.Selection([
            ('refuse', "Refuse"),
            ('confirm', "Ask for Confirmation"),
            ], "Receiving More Than Ordered", required=True,
        help="Refuse: the receipt cannot be done.\n"
        "Ask for confirmation: the warehouse keeper confirms the extra "
        "quantity.")
    price_tolerance = fields.Numeric("Price Tolerance (%)", digits=(16, 2),
        required=True, domain=[('price_tolerance', '>=', 0)],
        help="A settled price further from the order price than this "
        "needs a reason and approval.")
    loan_location = fields.Many2One('stock.location', "Loan Location",
        domain=[
            ('type', '=', 'storage'),
            ('company', 'in', [Eval('company', -1), None]),
            ],
        help="Where lent parts and tools are counted until they come back: "
        "a storage location outside the warehouses.")
    settlement_sequence = sequence_field(
        'dealer_parts', 'sequence_type_settlement', "Settlement Sequence")
    loan_sequence = sequence_field(
        'dealer_parts', 'sequence_type_loan', "Loan Sequence")
    movement_sequence = sequence_field(
        'dealer_parts', 'sequence_type_movement', "Goods In/Out Sequence")

    @classmethod
    def default_over_receipt(cls):
        return 'refuse'

    @classmethod
    def default_price_tolerance(cls):
        return Decimal('1.00')
