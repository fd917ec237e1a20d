"""The machines side (dealer_leasing) in 上海: machines rentable by the day,
the group leader controlling deliveries, leases out, back (and converted
into a sale) and reserved, and a financed machine bought back"""
from dataclasses import dataclass
from decimal import Decimal

from .products import EXCAVATOR, LOADER, SMALL_EXCAVATOR

# Daily rent of each machine model (the same in every company).
RENTS = {
    EXCAVATOR: Decimal('2800'),
    LOADER: Decimal('1600'),
    SMALL_EXCAVATOR: Decimal('900'),
    }
TURNAROUND_DAYS = 2


@dataclass(frozen=True)
class Lease:
    """A lease in 上海, its days counted from today; picked up when
    hour_meter_out is set, returned when returned_on is.  The company's
    other machines stay idle."""
    machine: str        # serial number
    customer: str
    salesperson: str    # login
    start: int
    end: int
    deposit: Decimal
    hour_meter_out: Decimal = None
    returned_on: int = None
    hour_meter_in: Decimal = None


# out on a construction site for a month
ACTIVE_LEASE = Lease('SY215C-SH-0001', '上海宏达土石方工程有限公司',
    'sales_zhang', start=-10, end=20, deposit=Decimal('30000'),
    hour_meter_out=Decimal('1250.0'))
# back from a one-month job, two days early (then sold to the customer)
ENDED_LEASE = Lease('LW500KV-SH-0001', '苏州建工机械租赁有限公司', 'sales_liu',
    start=-60, end=-30, deposit=Decimal('20000'),
    hour_meter_out=Decimal('860.0'), returned_on=-32,
    hour_meter_in=Decimal('1088.5'))
# confirmed: the machine is reserved from next week
RESERVED_LEASE = Lease('SY75C-SH-0001', '上海宏达土石方工程有限公司',
    'sales_zhang', start=5, end=35, deposit=Decimal('10000'))
LEASES = [ACTIVE_LEASE, ENDED_LEASE, RESERVED_LEASE]


@dataclass(frozen=True)
class FinancedSale:
    """A machine sold on a bank loan the dealer guaranteed (buyback
    commitment), in default and bought back"""
    machine: str        # serial number
    customer: str
    bank: str
    salesperson: str    # login
    signed: int         # days from today
    price: Decimal
    down_payment: Decimal
    months: int
    annual_rate: Decimal    # %
    owed: Decimal       # to the bank at the buyback


FINANCED = FinancedSale('SY215C-SH-0003', '上海宏达土石方工程有限公司',
    '中国工商银行上海分行', 'sales_zhang', signed=-200,
    price=Decimal('880000'), down_payment=Decimal('180000'), months=36,
    annual_rate=Decimal('6'), owed=Decimal('586000'))
