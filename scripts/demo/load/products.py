"The machines and parts, their prices and stock"
import datetime as dt

from proteus import Model

from ..products import MACHINES, PARTS, PARTS_RECEIVED
from .tools import switch_company


def create(config, revenue, expense):
    """The machines and parts with their categories (on the current
    company's accounts); return the products by code"""
    Category = Model.get('product.category', config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    products = {}
    for label, code, items, lot in [
            ('整机', 'MACHINE', MACHINES, True),
            ('配件', 'PART', PARTS, False)]:
        category = Category(name=label, code=code, accounting=True,
            account_revenue=revenue, account_expense=expense)
        category.save()
        for goods in items:
            products[goods.code] = _goods(config, goods, category, unit, lot)
    return products


def _goods(config, goods, category, unit, lot=False):
    "The product of goods in the category, priced in the current company"
    Template = Model.get('product.template', config=config)
    template = Template(name=goods.name, code=goods.code,
        type='goods', default_uom=unit, list_price=goods.list_price,
        cost_price_method='average', salable=True, purchasable=True,
        account_category=category)
    template.sale_uom = unit
    template.purchase_uom = unit
    if lot:
        template.machine = True
        template.lot_required = ['supplier', 'customer', 'storage']
    product, = template.products
    product.cost_price = goods.cost_price
    template.save()
    return template.products[0]


def company_prices(config, products, items=MACHINES + PARTS, cost=False):
    """List prices are per company: give the current company the list's
    (and the cost prices too when cost, for goods it has no stock of)"""
    Product = Model.get('product.product', config=config)
    by_code = {g.code: g for g in items}
    for code, product in products.items():
        product = Product(product.id)
        if cost:
            product.cost_price = by_code[code].cost_price
            product.save()
        template = product.template
        template.list_price = by_code[code].list_price
        template.save()


def add_parts(config, companies, items):
    """Parts in no warehouse yet, declared by a later area: created in the
    category 配件 and priced in every company (companies: those of
    COMPANIES, the first one current); return the products by code"""
    Category = Model.get('product.category', config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    category, = Category.find([('code', '=', 'PART')])
    products = {g.code: _goods(config, g, category, unit) for g in items}
    for company in companies[1:]:
        switch_company(config, company)
        company_prices(config, products, items, cost=True)
    switch_company(config, companies[0])
    return products


def stock(config, company, warehouse, short, products, today):
    """What the company received from its supplier in its warehouse: the
    machines today, the parts on day PARTS_RECEIVED"""
    Lot = Model.get('stock.lot', config=config)
    supplier = supplier_location(config)
    moves = []
    for goods in MACHINES:
        product = products[goods.code]
        for n in range(goods.stock):
            move = receipt(supplier, company, warehouse, product, 1,
                goods.cost_price, today)
            move.lot = Lot(number=f'{goods.code[3:]}-{short}-{n + 1:04d}',
                product=product)
            move.lot.save()
            moves.append(move)
    received = today + dt.timedelta(days=PARTS_RECEIVED)
    moves.extend(receipt(supplier, company, warehouse, products[goods.code],
            goods.stock, goods.cost_price, received) for goods in PARTS)
    done(moves)


def supplier_location(config):
    Location = Model.get('stock.location', config=config)
    return Location.find([('code', '=', 'SUP')])[0]


def receipt(supplier, company, warehouse, product, quantity, unit_price,
        date):
    """The move of goods received from the supplier location on the date,
    not saved"""
    Move = Model.get('stock.move', config=supplier._config)
    return Move(product=product, company=company, from_location=supplier,
        to_location=warehouse.storage_location, quantity=quantity,
        unit=product.default_uom, unit_price=unit_price,
        currency=company.currency, effective_date=date)


def done(moves):
    Move = moves[0].__class__
    Move.save(moves)
    Move.click(moves, 'do')
