"""Machines (serialised: each one a lot) and parts, priced in every company
and in stock in every warehouse"""
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Goods:
    name: str
    code: str
    list_price: Decimal
    cost_price: Decimal
    # machines: how many of it each company has (serial numbers
    # SY215C-SH-0001…); parts: the quantity in each warehouse
    stock: int


EXCAVATOR = Goods('履带式挖掘机 SY215C', 'EX-SY215C', Decimal('880000'),
    Decimal('760000'), 3)
LOADER = Goods('轮式装载机 LW500KV', 'LD-LW500KV', Decimal('420000'),
    Decimal('356000'), 2)
SMALL_EXCAVATOR = Goods('小型挖掘机 SY75C', 'EX-SY75C', Decimal('360000'),
    Decimal('305000'), 2)
MACHINES = [EXCAVATOR, LOADER, SMALL_EXCAVATOR]
HYDRAULIC_FILTER = Goods('液压油滤芯', 'PT-HF-001', Decimal('380'),
    Decimal('210'), 40)
BUCKET_TOOTH = Goods('斗齿（标准型）', 'PT-BT-215', Decimal('260'),
    Decimal('150'), 60)
ENGINE_OIL = Goods('发动机机油 15W-40 (18L)', 'PT-OIL-18L', Decimal('720'),
    Decimal('520'), 30)
TRACK_SHOE = Goods('履带板总成', 'PT-TS-215', Decimal('5800'),
    Decimal('4300'), 8)
PARTS = [HYDRAULIC_FILTER, BUCKET_TOOTH, ENGINE_OIL, TRACK_SHOE]
# The parts in stock came in on this day (from today; the stock ageing's
# 91–180 days), the machines today.
PARTS_RECEIVED = -100
