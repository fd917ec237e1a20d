"The machines and parts, their prices and stock"
from proteus import Model

from ..products import MACHINES, PARTS


def create(config, revenue, expense):
    """The machines and parts with their categories (on the current
    company's accounts); return the products by code"""
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
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
            products[goods.code] = template.products[0]
    return products


def company_prices(config, products):
    "List prices are per company: give the current company the list's"
    Product = Model.get('product.product', config=config)
    prices = {g.code: g.list_price for g in MACHINES + PARTS}
    for code, product in products.items():
        template = Product(product.id).template
        template.list_price = prices[code]
        template.save()


def stock(config, company, warehouse, short, products, today):
    "What the company received from its supplier today, in its warehouse"
    Location = Model.get('stock.location', config=config)
    Move = Model.get('stock.move', config=config)
    Lot = Model.get('stock.lot', config=config)
    supplier, = Location.find([('code', '=', 'SUP')])
    moves = []
    for items, lot in [(MACHINES, True), (PARTS, False)]:
        for goods in items:
            product = products[goods.code]
            for n in range(goods.stock if lot else 1):
                move = Move(product=product, company=company,
                    from_location=supplier,
                    to_location=warehouse.storage_location,
                    quantity=1 if lot else goods.stock,
                    unit=product.default_uom, unit_price=goods.cost_price,
                    currency=company.currency, effective_date=today)
                if lot:
                    move.lot = Lot(
                        number=f'{goods.code[3:]}-{short}-{n + 1:04d}',
                        product=product)
                    move.lot.save()
                moves.append(move)
    Move.save(moves)
    Move.click(moves, 'do')
