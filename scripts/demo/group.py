"The dealer group: three companies in CNY"
from dataclasses import dataclass

TIMEZONE = 'Asia/Shanghai'


@dataclass(frozen=True)
class GroupCompany:
    name: str
    short: str      # in codes and numbers: CO-SH, WH-SH, SO-SH-2026-00001
    city: str       # names its warehouse and locations


SHANGHAI = GroupCompany('鼎盛工程机械（上海）有限公司', 'SH', '上海')
GUANGZHOU = GroupCompany('鼎盛工程机械（广州）有限公司', 'GZ', '广州')
CHENGDU = GroupCompany('鼎盛工程机械（成都）有限公司', 'CD', '成都')
COMPANIES = [SHANGHAI, GUANGZHOU, CHENGDU]

# Each company numbers its own documents, the prefix saying which document
# of which company: (configuration, field, prefix code).
NUMBERING = [
    ('sale.configuration', 'sale_sequence', 'SO'),
    ('sale.configuration', 'sale_opportunity_sequence', 'OPP'),
    ('sale.configuration', 'rental_sequence', 'LS'),
    ('purchase.configuration', 'purchase_sequence', 'PO'),
    ('purchase.configuration', 'purchase_requisition_sequence', 'PRQ'),
    ('purchase.configuration', 'purchase_request_quotation_sequence', 'RFQ'),
    ('stock.configuration', 'shipment_in_sequence', 'IN'),
    ('stock.configuration', 'shipment_in_return_sequence', 'RTS'),
    ('stock.configuration', 'shipment_out_sequence', 'OUT'),
    ('stock.configuration', 'shipment_out_return_sequence', 'RTC'),
    ('stock.configuration', 'shipment_internal_sequence', 'INT'),
    ('stock.configuration', 'inventory_sequence', 'INV'),
    ]
# And our own documents, numbered from the company's settings: (settings,
# field, prefix code, the group's default sequence).
OWN_NUMBERING = [
    ('dealer.finance.settings', 'payment_plan_sequence', 'PP',
        'dealer_finance.sequence_payment_plan'),
    ('dealer.finance.settings', 'payment_request_sequence', 'PR',
        'dealer_finance.sequence_payment_request'),
    ('dealer.leasing.settings', 'delivery_release_sequence', 'DR',
        'dealer_leasing.sequence_delivery_release'),
    ('dealer.leasing.settings', 'finance_contract_sequence', 'FC',
        'dealer_leasing.sequence_finance_contract'),
    ('dealer.leasing.settings', 'buyback_sequence', 'BB',
        'dealer_leasing.sequence_buyback'),
    ('dealer.parts.settings', 'settlement_sequence', 'PS',
        'dealer_parts.sequence_settlement'),
    ('dealer.parts.settings', 'loan_sequence', 'JY',
        'dealer_parts.sequence_loan'),
    ('dealer.parts.settings', 'movement_sequence', 'QT',
        'dealer_parts.sequence_movement'),
    ('dealer.expense.settings', 'claim_sequence', 'BX',
        'dealer_expense.sequence_claim'),
    ('dealer.expense.settings', 'advance_sequence', 'JK',
        'dealer_expense.sequence_advance'),
    ]
