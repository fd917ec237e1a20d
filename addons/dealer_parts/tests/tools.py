# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The parts scenarios' shared set-up (proteus)."""
from decimal import Decimal
from types import SimpleNamespace

from proteus import Model
from trytond.modules.account.tests.tools import get_accounts
from trytond.modules.dealer_base.tests.tools import (
    create_employee, create_user, get_companies, get_position)

__all__ = ['create_warehouse', 'get_parts', 'setup_parts']

# name, code, cost price
PARTS = [
    ('液压油滤芯', 'HF-01', Decimal('120.00')),
    ('斗齿', 'BT-02', Decimal('85.00')),
    ]
SUPPLIERS = ['三一配件供应有限公司', '徐工配件供应有限公司']
# login, name, position code, supervisor's login
STAFF = [
    ('chen', '陈总', 'BOSS', None),
    ('sun', '孙强', 'PURCHASE', 'chen'),
    ('zhao', '赵仓', 'WAREHOUSE', 'chen'),
    ('wu', '吴工', 'TECHNICIAN', 'chen'),
    ('zhou', '周静', 'FINANCE', 'chen'),
    ('zhang', '张伟', 'SALES', 'chen'),
    ]


def setup_parts(config):
    """Set-up for activate_modules, after setup_group and setup_accounting:
    上海公司's warehouse, its parts (液压油滤芯 HF-01 and 斗齿 BT-02, in the
    category 配件), two parts suppliers, and its staff — 陈总 the group
    leader over 孙强 (purchaser), 赵仓 (warehouse keeper), 吴工
    (technician), 周静 (finance) and 张伟 (salesperson), each a login of the
    same name in pinyin"""
    shanghai = get_companies(config=config)[0]
    accounts = get_accounts(shanghai, config=config)
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Location = Model.get('stock.location', config=config)
    Party = Model.get('party.party', config=config)

    warehouse, = Location.find([('type', '=', 'warehouse')])
    warehouse.company = shanghai
    warehouse.save()
    unit, = Uom.find([('name', '=', 'Unit')])
    category = Category(name='配件', accounting=True)
    category.account_revenue = accounts['revenue']
    category.account_expense = accounts['expense']
    category.save()
    for name, code, cost in PARTS:
        template = Template(name=name, code=code, type='goods',
            default_uom=unit, purchasable=True, salable=True,
            list_price=cost * 2, account_category=category)
        template.save()
        # The cost price is the product's, per company.
        product, = template.products
        product.cost_price = cost
        product.save()
    for name in SUPPLIERS:
        Party(name=name).save()
    employees = {}
    for login, name, position, supervisor in STAFF:
        employees[login] = create_employee(shanghai, name,
            supervisor=employees.get(supervisor), config=config)
        create_user(login, [employees[login]],
            [get_position(position, config=config)], config=config)


def get_parts(config=None):
    """What setup_parts built: company, warehouse, unit, the parts filter
    and tooth, the suppliers sany and xcmg, and the users by login"""
    Product = Model.get('product.product', config=config)
    Location = Model.get('stock.location', config=config)
    Uom = Model.get('product.uom', config=config)
    Party = Model.get('party.party', config=config)
    User = Model.get('res.user', config=config)
    filter_, tooth = (Product.find([('code', '=', code)])[0]
        for _, code, _ in PARTS)
    sany, xcmg = (Party.find([('name', '=', name)])[0] for name in SUPPLIERS)
    users = SimpleNamespace(**{login: User.find([('login', '=', login)])[0]
            for login, *_ in STAFF})
    return SimpleNamespace(
        company=get_companies(config=config)[0],
        warehouse=Location.find([('type', '=', 'warehouse')])[0],
        supplier_location=Location.find([('code', '=', 'SUP')])[0],
        unit=Uom.find([('name', '=', 'Unit')])[0],
        filter=filter_, tooth=tooth, sany=sany, xcmg=xcmg, users=users)


def create_warehouse(company, name, code, config=None):
    """A new warehouse of the company with its input, output and storage
    zones (收货区, 发货区, 存储区) and stock's lost and found; the company must
    be the current one (its staff alone see its warehouses)"""
    Location = Model.get('stock.location', config=config)
    zones = {}
    for zone, label in [('input', '收货区'), ('output', '发货区'),
            ('storage', '存储区')]:
        zones[zone] = Location(name=label, type='storage')
        zones[zone].save()
    lost_found, = Location.find([('type', '=', 'lost_found')], limit=1)
    warehouse = Location(name=name, code=code, type='warehouse',
        company=company, input_location=zones['input'],
        output_location=zones['output'], storage_location=zones['storage'],
        lost_found_location=lost_found)
    warehouse.save()
    return warehouse
