"""Customers and their contacts, owned by a salesperson or in the company's
pool; the salespeople's opportunities, and the sale approval flow the sales
they win go through"""
from dataclasses import dataclass
from decimal import Decimal

from .group import CHENGDU, GUANGZHOU, SHANGHAI, GroupCompany


@dataclass(frozen=True)
class Contact:
    name: str
    role: str       # at the customer (dealer.contact.link)


@dataclass(frozen=True)
class Customer:
    name: str       # a company, or a person (no tax id)
    tax_id: str
    phone: str
    city: str
    contacts: tuple
    company: GroupCompany
    owner: str      # the salesperson's login; None: in the company's pool


CUSTOMERS = [
    Customer('上海宏达土石方工程有限公司', '91310115MA1H7XXX1', '021-58880001',
        '上海', (Contact('陈志强', 'legal_representative'),
            Contact('林晓燕', 'purchasing')), SHANGHAI, 'sales_zhang'),
    Customer('苏州建工机械租赁有限公司', '91320505MA1N2XXX2', '0512-66550002',
        '苏州', (Contact('黄海', 'general_manager'),
            Contact('王芳', 'site_manager')), SHANGHAI, 'sales_liu'),
    Customer('嘉兴华丰土方工程有限公司', '91330402MA2XXXX6', '0573-82220006',
        '嘉兴', (Contact('沈建华', 'legal_representative'),), SHANGHAI,
        None),
    Customer('刘德福', None, '13900000005', '嘉兴', (), SHANGHAI, None),
    Customer('广州南沙港建设工程有限公司', '91440115MA59XXXX3',
        '020-84990003', '广州', (Contact('梁国栋', 'legal_representative'),),
        GUANGZHOU, 'sales_chen'),
    Customer('成都天府矿业有限公司', '91510100MA6CXXXX4', '028-86660004',
        '成都', (Contact('杨帆', 'other'),), CHENGDU, None),
    ]

# Sale contracts: the requester's manager approves, then the group leader
# above this amount.
SALE_BOSS_ABOVE = Decimal('1000000')



@dataclass(frozen=True)
class Opportunity:
    amount: Decimal
    probability: float
    months_to_close: int
    stage: str      # where it ends: converted and won make a sale


# One opportunity per stage for each owned customer, for the SY215C
# (products.EXCAVATOR).
OPPORTUNITIES = [
    Opportunity(Decimal('880000'), 0.1, 3, 'lead'),
    Opportunity(Decimal('1760000'), 0.5, 1, 'opportunity'),
    Opportunity(Decimal('420000'), 0.8, 1, 'converted'),
    Opportunity(Decimal('360000'), 1.0, 0, 'won'),
    Opportunity(Decimal('720000'), 0.3, 2, 'lost'),
    ]
