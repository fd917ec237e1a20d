"""The receivables side (dealer_finance) in 上海: sale contracts on payment
plans with their receipts, the nightly jobs run once (penalty accrual,
broken promises, reminders), collection by the collector, a penalty waiver
waiting, a credit limit, and a supplier invoice with a payment request
waiting for approval"""
from dataclasses import dataclass
from decimal import Decimal

from .group import SHANGHAI, GroupCompany
from .products import EXCAVATOR, LOADER, SMALL_EXCAVATOR, Goods

# Overdue penalty terms of every company: 0.05 % a day after 3 days of grace.
PENALTY_RATE = Decimal('0.0005')
GRACE_DAYS = 3
REMINDER_DAYS = 3
# Penalty waivers: the collector's supervisor, then the group leader above
# this amount.  Payment requests: finance, then the group leader above.
WAIVER_BOSS_ABOVE = Decimal('5000')
PAYMENT_REQUEST_BOSS_ABOVE = Decimal('100000')
SUPPLIER = '三一重工股份有限公司'
CREDIT_LIMIT_CUSTOMER = '上海宏达土石方工程有限公司'
CREDIT_LIMIT = Decimal('2000000')


@dataclass(frozen=True)
class Payment:
    """A payment the customer made: the whole of the plan's line
    `instalment` (0: the down payment) or `amount`; on `day` (days from
    today) or `days_after_due` days after that instalment's due date"""
    instalment: int = None
    amount: Decimal = None
    day: int = None
    days_after_due: int = None


@dataclass(frozen=True)
class SaleContract:
    """A sale contract on a payment plan, entered by the salesperson; the
    company's finance staff enter the plan and the payments"""
    company: GroupCompany
    customer: str
    salesperson: str    # login
    product: Goods
    signed: int         # days from today (negative: ago)
    down_payment: int   # %
    months: int         # monthly instalments
    # The instalment numbered due_instalment falls due due_on days from
    # today: that sets the first due date and the day of the month.
    due_instalment: int
    due_on: int
    payments: tuple


# paid off on time: the plan is closed
PAID_CONTRACT = SaleContract(SHANGHAI, '上海宏达土石方工程有限公司',
    'sales_zhang', SMALL_EXCAVATOR, signed=-240, down_payment=30, months=6,
    due_instalment=1, due_on=-210,
    payments=(Payment(instalment=0, day=-240),) + tuple(
        Payment(instalment=i, days_after_due=0) for i in range(1, 7)))
# behind: a partial payment, two instalments overdue with penalty, one due
# yesterday; collection, a waiver
OVERDUE_CONTRACT = SaleContract(SHANGHAI, '苏州建工机械租赁有限公司',
    'sales_liu', EXCAVATOR, signed=-130, down_payment=20, months=12,
    due_instalment=4, due_on=-1,
    payments=(Payment(instalment=0, day=-130),
        Payment(instalment=1, days_after_due=2),
        Payment(amount=Decimal('20000.00'), day=-40)))
# on time: the down payment received, the first instalment due in
# REMINDER_DAYS days
RUNNING_CONTRACT = SaleContract(SHANGHAI, '上海宏达土石方工程有限公司',
    'sales_zhang', LOADER, signed=-35, down_payment=30, months=12,
    due_instalment=1, due_on=REMINDER_DAYS,
    payments=(Payment(instalment=0, day=-35),))
CONTRACTS = [PAID_CONTRACT, OVERDUE_CONTRACT, RUNNING_CONTRACT]
