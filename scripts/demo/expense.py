"""The expense side (dealer_expense) in 上海: the categories and cities
every company claims with, the standards and the sales department's
budgets (business reception nearly spent), and claims in every state — a
draft, one waiting for the supervisor with a hotel night over its standard,
one returned with the reason, a business expense for a customer approved
and booked, one paid through a payment request, one cancelled; and a
salesperson's cash advance, paid and open"""
from dataclasses import dataclass
from decimal import Decimal

from .group import SHANGHAI, GroupCompany

# The chart's other receivables (其他应收款): where advances are booked.
ADVANCES_ACCOUNT = '1.2.3'
# name, code, business expense, standard basis
CATEGORIES = [
    ('差旅补助', 'TRAVEL', False, 'day'),
    ('住宿费', 'HOTEL', False, 'night'),
    ('业务招待费', 'RECEPTION', True, 'item'),
    ('投标费用', 'BIDDING', True, 'item'),
    ('交通费', 'TRANSPORT', False, 'item'),
    ('通讯费', 'PHONE', False, 'item'),
    ('办公用品', 'OFFICE', False, 'item'),
    ]
CITIES = [
    ('上海', '1'), ('北京', '1'), ('广州', '1'), ('深圳', '1'),
    ('杭州', '2'), ('南京', '2'), ('苏州', '2'), ('成都', '2'),
    ('嘉兴', '3'), ('徐州', '3'), ('昆山', '3'),
    ]
RECEIPT_THRESHOLD = Decimal('200.00')
# A tiny PNG per receipt, made unique by the invoice number (the same file
# is claimed once across the group).
PNG = bytes.fromhex(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489'
    '0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082')
# Over budget or over standard: the group leader approves after the
# supervisor (a reason is required on a line over its standard).
BUDGET_POLICY = 'approve'
STANDARD_POLICY = 'approve'
EXTRA_STEPS = [
    ('超预算审批', 'over_budget', 25),
    ('超标准审批', 'over_standard', 26),
    ]
# category code, city tier (None: any city), amount per basis, travel class
STANDARDS = [
    ('HOTEL', '1', Decimal('500.00'), None),
    ('HOTEL', '2', Decimal('400.00'), None),
    ('HOTEL', '3', Decimal('300.00'), None),
    ('TRAVEL', None, Decimal('100.00'), None),
    ('TRANSPORT', None, Decimal('1500.00'), 'second_seat'),
    ]
# The sales department's budgets for the quarter from the month 30 days
# ago: category code, amount (reception: nearly spent by the demo's claims)
BUDGETS = [
    ('RECEPTION', Decimal('1500.00')),
    ('TRANSPORT', Decimal('1000.00')),
    ('TRAVEL', Decimal('3000.00')),
    ('HOTEL', Decimal('3000.00')),
    ]
# The sales department of 上海: the sales manager and his salespeople.
DEPARTMENT = ('销售部', ['sales_manager', 'sales_zhang', 'sales_liu',
        'back_office'])


@dataclass(frozen=True)
class Line:
    category: str               # code
    days_ago: int
    amount: Decimal
    description: str
    city: str = None
    customer: str = None        # a customer of crm.CUSTOMERS
    invoice_number: str = None  # with a receipt attached when given
    quantity: int = 1           # days or nights
    reason: str = None          # why over its standard


@dataclass(frozen=True)
class Claim:
    """A claim of the login; `state` is how far it goes: draft, waiting
    (submitted), returned (with `reason` by the supervisor), approved (all
    steps), paid (and its payable paid by finance), cancelled"""
    login: str
    company: GroupCompany
    description: str
    lines: tuple
    state: str
    reason: str = None


CLAIMS = [
    Claim('sales_zhang', SHANGHAI, '市内拜访交通', (
            Line('TRANSPORT', 1, Decimal('36.00'), '地铁及出租车'),),
        'draft'),
    Claim('sales_zhang', SHANGHAI, '杭州客户拜访出差', (
            Line('TRAVEL', 4, Decimal('200.00'), '出差补助（2天）', '杭州',
                quantity=2),
            Line('HOTEL', 4, Decimal('450.00'), '杭州住宿1晚', '杭州',
                invoice_number='33012345', reason='展会期间酒店涨价'),
            Line('TRANSPORT', 4, Decimal('146.50'), '高铁 上海虹桥—杭州东',
                '杭州')),
        'waiting'),
    Claim('sales_liu', SHANGHAI, '苏州建工项目投标', (
            Line('BIDDING', 6, Decimal('800.00'), '标书制作及装订', '苏州',
                customer='苏州建工机械租赁有限公司',
                invoice_number='32076543'),),
        'returned', reason='请补充投标项目名称，并附上招标公告'),
    Claim('sales_zhang', SHANGHAI, '宏达土石方设备洽谈招待', (
            Line('RECEPTION', 8, Decimal('1260.50'), '宴请宏达采购部',
                '上海', customer='上海宏达土石方工程有限公司',
                invoice_number='31098765'),
            Line('TRANSPORT', 8, Decimal('58.00'), '出租车', '上海')),
        'approved'),
    Claim('back_office', SHANGHAI, '11月办公用品及通讯费', (
            Line('OFFICE', 20, Decimal('326.80'), '打印纸、墨盒',
                invoice_number='31055501'),
            Line('PHONE', 20, Decimal('150.00'), '手机话费')),
        'paid'),
    Claim('sales_liu', SHANGHAI, '嘉兴拜访（改期取消）', (
            Line('TRANSPORT', 3, Decimal('72.00'), '预订车票', '嘉兴'),),
        'cancelled'),
    ]


@dataclass(frozen=True)
class Advance:
    "A cash advance of the login, approved and paid: open"
    login: str
    company: GroupCompany
    description: str
    amount: Decimal
    expected_in: int            # days from today to its settlement


ADVANCES = [
    Advance('sales_liu', SHANGHAI, '苏州、嘉兴片区客户走访备用金',
        Decimal('3000.00'), 20),
    ]
