# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The leasing scenarios' shared set-up (proteus)."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from proteus import Model
from trytond.modules.account.tests.tools import get_accounts
from trytond.modules.dealer_base.tests.tools import (
    company_today, get_companies)

__all__ = ['get_fleet', 'setup_fleet']

MODEL = 'SY215 挖掘机'
MACHINES = ['SY215-0001', 'SY215-0002']


def setup_fleet(config):
    """Set-up for activate_modules, after setup_group and setup_accounting:
    上海公司 leases with two days of turnaround its excavator model
    SY215 挖掘机 (sold at 880,000.00, leased at 1,500.00 a day), whose two
    machines SY215-0001 and SY215-0002 arrived in the warehouse 30 days
    before today at 700,000.00 each"""
    shanghai = get_companies(config=config)[0]
    accounts = get_accounts(shanghai, config=config)
    today = company_today(config=config)
    Settings = Model.get('dealer.leasing.settings', config=config)
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Location = Model.get('stock.location', config=config)
    Lot = Model.get('stock.lot', config=config)
    Move = Model.get('stock.move', config=config)

    Settings(company=shanghai, turnaround_days=2).save()
    unit, = Uom.find([('name', '=', 'Unit')])
    day, = Uom.find([('name', '=', 'Day')])
    category = Category(name='整机', accounting=True)
    category.account_revenue = accounts['revenue']
    category.account_expense = accounts['expense']
    category.account_rental = accounts['revenue']
    category.save()
    template = Template(name=MODEL, type='goods', default_uom=unit,
        list_price=Decimal('880000'), account_category=category,
        machine=True, salable=True)
    template.rentable = True
    template.rental_per_day = True
    template.rental_unit = day
    price = template.rental_prices.new()
    price.duration = dt.timedelta(days=1)
    price.price = Decimal('1500.0000')
    template.save()
    excavator, = template.products
    supplier, = Location.find([('code', '=', 'SUP')])
    warehouse, = Location.find([('type', '=', 'warehouse')])
    moves = []
    for number in MACHINES:
        lot = Lot(number=number, product=excavator)
        lot.save()
        moves.append(Move(product=excavator, lot=lot, quantity=1, unit=unit,
                from_location=supplier,
                to_location=warehouse.storage_location,
                unit_price=Decimal('700000'), currency=shanghai.currency,
                effective_date=today - dt.timedelta(days=30)))
    Move.save(moves)
    Move.click(moves, 'do')


def get_fleet(config=None):
    """What setup_fleet built: unit, day, category, excavator (the
    product), warehouse, supplier (location) and the machines first and
    second"""
    Uom = Model.get('product.uom', config=config)
    Product = Model.get('product.product', config=config)
    Location = Model.get('stock.location', config=config)
    Lot = Model.get('stock.lot', config=config)
    excavator, = Product.find([('template.name', '=', MODEL)])
    first, second = (Lot.find([('number', '=', n)])[0] for n in MACHINES)
    return SimpleNamespace(
        unit=Uom.find([('name', '=', 'Unit')])[0],
        day=Uom.find([('name', '=', 'Day')])[0],
        category=excavator.template.account_category,
        excavator=excavator,
        warehouse=Location.find([('type', '=', 'warehouse')])[0],
        supplier=Location.find([('code', '=', 'SUP')])[0],
        first=first, second=second)
