"""The parts side (dealer_parts) in 上海: two parts no warehouse holds yet
beside those in stock, two parts suppliers, and three purchase chains of
the warehouse keeper's requisitions — one finished and paid, one in
progress (the order partly received, its settlement waiting for the group
leader's approval of a price difference), one just approved (its requests
waiting for quotations); a customer's agreed prices with a parts sale
priced by them, a sale waiting for a part the warehouse lacked, and a
supplier's prices; the track shoes below their minimum, a slow-moving
part bought over a year ago, and the technician's loan, overdue"""
from dataclasses import dataclass
from decimal import Decimal

from .crm import CUSTOMERS
from .group import SHANGHAI, GroupCompany
from .products import (
    BUCKET_TOOTH, ENGINE_OIL, HYDRAULIC_FILTER, TRACK_SHOE, Goods)

# Bought for the first time by the chains below: in no warehouse before.
DIESEL_FILTER = Goods('柴油滤芯', 'PT-DF-001', Decimal('260'),
    Decimal('140'), 0)
PUMP_SEALS = Goods('液压泵密封件（修理包）', 'PT-PS-215', Decimal('980'),
    Decimal('600'), 0)
NEW_PARTS = [DIESEL_FILTER, PUMP_SEALS]

# Parts settings of every company: more than ordered is refused, a settled
# price may differ from the order's by 1 % without approval; lent parts
# are counted at the company's loan location (借出).
OVER_RECEIPT = 'refuse'
PRICE_TOLERANCE = Decimal('1.00')
LOAN_LOCATION = '借出'

# Kits for an arm cylinder of a model the group no longer sells, received
# in 上海 on day SLOW_PART_RECEIVED (days from today) and not used since:
# the stock ageing's over 365 days.
SLOW_PART = Goods('斗杆油缸修理包（SY205 老款）', 'PT-AC-205', Decimal('1650'),
    Decimal('1100'), 6)
SLOW_PART_RECEIVED = -420


@dataclass(frozen=True)
class OrderPoint:
    """The warehouse keeper's minimum and target of a part in the
    company's warehouse: below the minimum it is warned of (库存预警)"""
    part: Goods
    minimum: int
    target: int
    company: GroupCompany = SHANGHAI


# 上海 holds 14 track shoes (8 and the 6 received of OPEN_CHAIN): 2 below
# the minimum, 10 short of the target.
ORDER_POINTS = [OrderPoint(TRACK_SHOE, 16, 24)]


@dataclass(frozen=True)
class Supplier:
    "A parts supplier of the whole group"
    name: str
    city: str


HENGTONG = Supplier('上海恒通液压配件有限公司', '上海')
HUATAI = Supplier('徐州华泰工程机械配件有限公司', '徐州')
SUPPLIERS = [HENGTONG, HUATAI]


@dataclass(frozen=True)
class Quotation:
    """A supplier's answer to the purchaser's inquiry: its quotation
    number and its unit price of each line of the requisition"""
    supplier: Supplier
    reference: str
    prices: tuple


@dataclass(frozen=True)
class Receipt:
    """A delivery of the order, received by the warehouse keeper on day
    (days from today): the quantity of each line of the requisition (0:
    none of it) and the supplier's delivery note"""
    day: int
    quantities: tuple
    delivery_note: str


@dataclass(frozen=True)
class Settlement:
    """The supplier's invoice (its number, dated day) settled by the
    purchaser against what was received: the invoiced unit price of each
    line of the requisition, and why a price is beyond the tolerance (None
    where none is)"""
    invoice: str
    day: int
    prices: tuple
    reasons: tuple


@dataclass(frozen=True)
class Chain:
    """A requisition of the company's warehouse keeper, approved by the
    group leader, and what became of it as far as given: the suppliers'
    quotations (the cheapest one ordered on day ordered), the receipts,
    the settlement, and the payable paid on day paid (a payment request of
    the purchaser, approved and paid by finance)"""
    description: str
    lines: tuple            # (part, quantity)
    supply: int             # the date the parts are needed, from today
    quotations: tuple = ()
    ordered: int = None
    receipts: tuple = ()
    settlement: Settlement = None
    paid: int = None
    company: GroupCompany = SHANGHAI


# finished: ordered from the cheaper supplier, received in two
# deliveries, invoiced within the tolerance (settled at once) and paid
FINISHED_CHAIN = Chain('月度保养备件补货（滤芯）',
    lines=((DIESEL_FILTER, 30), (HYDRAULIC_FILTER, 20)), supply=-20,
    quotations=(
        Quotation(HENGTONG, 'HT-BJ-0871',
            (Decimal('138.00'), Decimal('205.00'))),
        Quotation(HUATAI, 'HTGJ-Q-1520',
            (Decimal('145.00'), Decimal('212.00')))),
    ordered=-28,
    receipts=(Receipt(-21, (30, 12), 'HT-SH-3307'),
        Receipt(-16, (0, 8), 'HT-SH-3352')),
    settlement=Settlement('31004471', -12,
        (Decimal('138.00'), Decimal('206.00')), (None, None)),
    paid=-7)
# in progress: half the track shoes still expected; the seals invoiced 5 %
# over the order, waiting for the group leader
OPEN_CHAIN = Chain('SY215C挖掘机大修备件',
    lines=((TRACK_SHOE, 12), (PUMP_SEALS, 10), (BUCKET_TOOTH, 40)),
    supply=-3,
    quotations=(
        Quotation(HUATAI, 'HTGJ-Q-1587',
            (Decimal('4150.00'), Decimal('560.00'), Decimal('138.00'))),
        Quotation(HENGTONG, 'HT-BJ-0925',
            (Decimal('4280.00'), Decimal('585.00'), Decimal('142.00')))),
    ordered=-12,
    receipts=(Receipt(-5, (6, 10, 40), 'HTGJ-FH-2218'),),
    settlement=Settlement('32018852', -2,
        (Decimal('4150.00'), Decimal('588.00'), Decimal('138.00')),
        (None, '供应商氟橡胶原料涨价，密封件按新价开票，已电话确认', None)))
# approved: the purchaser has yet to ask the suppliers
QUOTING_CHAIN = Chain('下月保养备件（斗齿、柴油滤芯）',
    lines=((BUCKET_TOOTH, 60), (DIESEL_FILTER, 40)), supply=14)
CHAINS = [FINISHED_CHAIN, OPEN_CHAIN, QUOTING_CHAIN]


@dataclass(frozen=True)
class PriceLine:
    """A line of a price list: its formula (of unit_price, the list's
    price) for the part (None: any part) from the quantity on"""
    part: Goods
    formula: str
    quantity: float = None


@dataclass(frozen=True)
class PriceList:
    """A customer's agreed prices (usage sale, kept by the sales manager)
    or a supplier's (usage purchase, kept by the purchaser) in the company;
    lines match in their order"""
    name: str
    usage: str
    price: str              # unit_price in the formulas: list or cost price
    lines: tuple
    party: str              # the customer's or supplier's name
    company: GroupCompany = SHANGHAI


# 刘洋's customer buys teeth 10 % below list price (15 % from 50), the
# hydraulic filter at 340.00 and any other part at its list price.
SUZHOU_JIANGONG = next(c for c in CUSTOMERS
    if c.name == '苏州建工机械租赁有限公司')
AGREED_PRICES = PriceList('苏州建工配件协议价', 'sale', 'list_price',
    lines=(
        PriceLine(BUCKET_TOOTH, 'unit_price * 0.85', 50),
        PriceLine(BUCKET_TOOTH, 'unit_price * 0.9'),
        PriceLine(HYDRAULIC_FILTER, '340.00'),
        PriceLine(None, 'unit_price')),
    party=SUZHOU_JIANGONG.name)
# The filters' prices agreed with 恒通 (those of its quotation).
SUPPLIER_PRICES = PriceList('恒通液压滤芯采购价', 'purchase', 'cost_price',
    lines=(
        PriceLine(HYDRAULIC_FILTER, '205.00'),
        PriceLine(DIESEL_FILTER, '138.00')),
    party=HENGTONG.name)
PRICE_LISTS = [AGREED_PRICES, SUPPLIER_PRICES]


@dataclass(frozen=True)
class PartsSale:
    """A sale of parts by the customer's salesperson, its unit prices
    filled in from the customer's agreed list; a draft, or confirmed (a
    part the warehouse lacks then waits for the purchaser: sale_supply's
    purchase request, R-PRT-06)"""
    description: str
    customer: object        # crm.Customer
    lines: tuple            # (part, quantity)
    confirmed: bool = False


@dataclass(frozen=True)
class Loan:
    """Parts the company's warehouse keeper lent a member of staff (a
    login) on day lent, due back on day due (days from today), none of
    them back yet"""
    borrower: str
    lines: tuple            # (part, quantity)
    lent: int
    due: int
    purpose: str
    company: GroupCompany = SHANGHAI


# The technician's, overdue; the maintenance man's, due next week.
OVERDUE_LOAN = Loan('technician', ((BUCKET_TOOTH, 4), (ENGINE_OIL, 1)),
    lent=-20, due=-6, purpose='嘉兴工地 SY215C 现场抢修借用，修完归还余料')
LOANS = [OVERDUE_LOAN,
    Loan('maintenance', ((HYDRAULIC_FILTER, 2),), lent=-2, due=5,
        purpose='售后巡检备用滤芯')]


# 20 teeth at 234.00 and 4 filters at 340.00: 6,040.00
PARTS_SALE = PartsSale('工地保养配件（斗齿、液压油滤芯）', SUZHOU_JIANGONG,
    lines=((BUCKET_TOOTH, 20), (HYDRAULIC_FILTER, 4)))
# Sold before any seal kit was in stock: 4 kits wait for a purchase
WAITING_SALE = PartsSale('工地急修：液压泵密封件', SUZHOU_JIANGONG,
    lines=((PUMP_SEALS, 4),), confirmed=True)
PARTS_SALES = [PARTS_SALE, WAITING_SALE]
