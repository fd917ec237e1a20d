"""The parts side: the parts of NEW_PARTS, the suppliers, every company's
parts settings, the agreed prices of PRICE_LISTS with the sales
PARTS_SALES they price, the chains of CHAINS, the slow-moving SLOW_PART,
the ORDER_POINTS and the LOANS, each step by the login whose work it
is"""
import datetime as dt

from proteus import Model, Wizard
from trytond.modules.dealer_base.tests.tools import company_today

from ..group import COMPANIES
from ..parts import (
    CHAINS, LOAN_LOCATION, LOANS, NEW_PARTS, ORDER_POINTS, OVER_RECEIPT,
    PARTS_SALES, PRICE_LISTS, PRICE_TOLERANCE, SLOW_PART, SLOW_PART_RECEIVED,
    SUPPLIERS)
from ..staff import USERS
from . import products
from .group import own_numbering
from .tools import acting_as, approved, switch_company


def create(config, companies):
    "The parts part of the demo (companies: those of COMPANIES)"
    Party = Model.get('party.party', config=config)
    switch_company(config, companies[0])
    # The companies' today (Asia/Shanghai), never the machine's date.
    today = company_today(config=config)
    products.add_parts(config, companies, NEW_PARTS)
    _slow_part(config, companies, today)
    _supply_on_sale(config)
    # The group's suppliers, as finance's (no company, no owner).
    for supplier in SUPPLIERS:
        party = Party(name=supplier.name, company=None, owner=None)
        party.addresses[0].city = supplier.city
        party.save()
    _settings(config, companies)
    switch_company(config, companies[0])
    for price_list in PRICE_LISTS:
        _price_list(config, price_list)
    for sale in PARTS_SALES:
        _parts_sale(config, sale)
    for chain in CHAINS:
        _chain(config, chain, today)
    for point in ORDER_POINTS:
        _order_point(config, point)
    for loan in LOANS:
        _loan(config, loan, today)


def _slow_part(config, companies, today):
    "The slow-moving part, received in 上海 long ago"
    Location = Model.get('stock.location', config=config)
    part = products.add_parts(config, companies, [SLOW_PART])[
        SLOW_PART.code]
    warehouse, = Location.find([('code', '=', f'WH-{COMPANIES[0].short}')])
    products.done([products.receipt(products.supplier_location(config),
                companies[0], warehouse, part, SLOW_PART.stock,
                SLOW_PART.cost_price,
                today + dt.timedelta(days=SLOW_PART_RECEIVED))])


def _settings(config, companies):
    """Receipts, price tolerance, the loan location and numbering of
    settlements, per company"""
    Settings = Model.get('dealer.parts.settings', config=config)
    Location = Model.get('stock.location', config=config)
    for company, member in zip(companies, COMPANIES):
        switch_company(config, company)
        # Outside the warehouse: lent parts are not on hand, still owned.
        lent = Location(name=f'{LOAN_LOCATION}（{member.city}）',
            type='storage', company=company)
        lent.save()
        settings = Settings(company=company, over_receipt=OVER_RECEIPT,
            price_tolerance=PRICE_TOLERANCE, loan_location=lent)
        own_numbering(config, settings, member.short)
        settings.save()


def _supply_on_sale(config):
    """A part sold beyond the stock is asked of the purchaser
    (sale_supply: stock first)"""
    Template = Model.get('product.template', config=config)
    parts = Template.find([('account_category.code', '=', 'PART')])
    Template.write([p.id for p in parts], {'supply_on_sale': 'stock_first'},
        config.context)


def login(role, company, n=0):
    "The n-th demo login of the role in the company"
    return [u.login for u in USERS
        if u.role == role and u.company == company][n]


def _price_list(config, prices):
    """The sales manager keeps a customer's agreed prices, the purchaser a
    supplier's: the list, then the party's list in the company"""
    role = 'sales_manager' if prices.usage == 'sale' else 'purchaser'
    with acting_as(config, login(role, prices.company)):
        PriceList = Model.get('product.price_list', config=config)
        Product = Model.get('product.product', config=config)
        Party = Model.get('party.party', config=config)
        price_list = PriceList(name=prices.name, usage=prices.usage,
            price=prices.price)
        for line in prices.lines:
            price_list.lines.new(
                product=Product.find([('code', '=', line.part.code)])[0]
                if line.part else None,
                quantity=line.quantity, formula=line.formula)
        price_list.save()
        party, = Party.find([('name', '=', prices.party)])
        setattr(party, f'{prices.usage}_price_list', price_list)
        party.save()


def _order_point(config, point):
    "The warehouse keeper's minimum and target of the part"
    with acting_as(config, login('warehouse', point.company)):
        OrderPoint = Model.get('stock.order_point', config=config)
        Product = Model.get('product.product', config=config)
        Location = Model.get('stock.location', config=config)
        OrderPoint(type='purchase',
            product=Product.find([('code', '=', point.part.code)])[0],
            location=Location.find(
                [('code', '=', f'WH-{point.company.short}')])[0],
            min_quantity=point.minimum,
            target_quantity=point.target).save()


def _loan(config, planned, today):
    "The warehouse keeper lends the parts, entered on the day they left"
    with acting_as(config, login('warehouse', planned.company)):
        Loan = Model.get('dealer.parts.loan', config=config)
        Employee = Model.get('company.employee', config=config)
        Product = Model.get('product.product', config=config)
        borrower, = Employee.find([('party.name', '=', next(
                        u.name for u in USERS if u.login == planned.borrower))])
        loan = Loan(employee=borrower, purpose=planned.purpose,
            date=today + dt.timedelta(days=planned.lent),
            due_date=today + dt.timedelta(days=planned.due))
        for goods, quantity in planned.lines:
            loan.lines.new(
                product=Product.find([('code', '=', goods.code)])[0],
                quantity=quantity)
        loan.click('lend')


def _parts_sale(config, planned):
    """The customer's salesperson makes a sale of parts: the unit prices
    come from the customer's agreed list; a confirmed one is approved
    first"""
    customer = planned.customer
    with acting_as(config, customer.owner):
        Sale = Model.get('sale.sale', config=config)
        Party = Model.get('party.party', config=config)
        Product = Model.get('product.product', config=config)
        Location = Model.get('stock.location', config=config)
        party, = Party.find([('name', '=', customer.name)])
        sale = Sale(party=party, description=planned.description)
        sale.warehouse, = Location.find(
            [('code', '=', f'WH-{customer.company.short}')])
        for goods, quantity in planned.lines:
            # As in the form: the part, then its quantity (the price
            # follows both).
            line = sale.lines.new(
                product=Product.find([('code', '=', goods.code)])[0])
            line.quantity = quantity
        sale.save()
        if planned.confirmed:
            sale = approved(config, sale)
            sale.click('quote')
            sale.click('confirm')


def _chain(config, chain, today):
    """The chain as far as it goes: requisition, inquiry and order,
    receipts, settlement, payment"""
    requisition_id = _requisition(config, chain, today)
    if not chain.quotations:
        return
    purchase_id = _order(config, chain, requisition_id, today)
    for receipt in chain.receipts:
        _receipt(config, chain, receipt, purchase_id, today)
    if not chain.settlement:
        return
    settlement_id = _settlement(config, chain, purchase_id, today)
    if chain.paid is not None:
        _payment(config, chain, settlement_id, today)


def _requisition(config, chain, today):
    """The warehouse keeper asks for the parts, the group leader approves:
    a purchase request per line; return the requisition's id"""
    company = chain.company
    with acting_as(config, login('warehouse', company)):
        Requisition = Model.get('purchase.requisition', config=config)
        Product = Model.get('product.product', config=config)
        Location = Model.get('stock.location', config=config)
        warehouse, = Location.find([('code', '=', f'WH-{company.short}')])
        requisition = Requisition(description=chain.description,
            supply_date=today + dt.timedelta(days=chain.supply),
            warehouse=warehouse)
        for goods, quantity in chain.lines:
            line = requisition.lines.new(
                product=Product.find([('code', '=', goods.code)])[0],
                quantity=quantity)
            line.unit_price = goods.cost_price   # the keeper's estimate
        requisition.click('wait')
        requisition_id = requisition.id
    with acting_as(config, login('boss', company)):
        Requisition = Model.get('purchase.requisition', config=config)
        Requisition(requisition_id).click('approve')
    return requisition_id


def _order(config, chain, requisition_id, today):
    """The purchaser asks the suppliers, enters their answers and orders
    the cheapest (one order); return the order's id"""
    codes = [goods.code for goods, _ in chain.lines]
    with acting_as(config, login('purchaser', chain.company)):
        Requisition = Model.get('purchase.requisition', config=config)
        Request = Model.get('purchase.request', config=config)
        Party = Model.get('party.party', config=config)
        Quotation = Model.get('purchase.request.quotation', config=config)
        Purchase = Model.get('purchase.purchase', config=config)
        request_ids = [r.id for l in Requisition(requisition_id).lines
            for r in l.purchase_requests]
        suppliers = {q.supplier: Party.find(
                [('name', '=', q.supplier.name)])[0]
            for q in chain.quotations}
        ask = Wizard('purchase.request.quotation.create',
            [Request(i) for i in request_ids], config=config)
        ask.form.suppliers.extend(suppliers.values())
        ask.execute('create_quotations')
        for answer in chain.quotations:
            quotation, = Quotation.find([
                    ('supplier', '=', suppliers[answer.supplier].id),
                    ('lines.request', 'in', request_ids),
                    ])
            quotation.reference = answer.reference
            quotation.click('send')
            prices = dict(zip(codes, answer.prices))
            for line in quotation.lines:
                line.unit_price = prices[line.product.code]
            quotation.click('receive')
        Wizard('purchase.request.create_purchase',
            [Request(i) for i in request_ids], config=config)
        purchase_id, = {Request(i).purchase_line.purchase.id
            for i in request_ids}
        purchase = Purchase(purchase_id)
        purchase.purchase_date = today + dt.timedelta(days=chain.ordered)
        purchase.click('quote')
        purchase.click('confirm')
    return purchase_id


def _receipt(config, chain, receipt, purchase_id, today):
    """The warehouse keeper receives the delivery: the order's lines still
    expected, for the quantities delivered"""
    quantities = {goods.code: quantity for (goods, _), quantity in zip(
            chain.lines, receipt.quantities)}
    day = today + dt.timedelta(days=receipt.day)
    with acting_as(config, login('warehouse', chain.company)):
        Move = Model.get('stock.move', config=config)
        Shipment = Model.get('stock.shipment.in', config=config)
        Purchase = Model.get('purchase.purchase', config=config)
        purchase = Purchase(purchase_id)
        shipment = Shipment(supplier=purchase.party,
            warehouse=purchase.warehouse, reference=receipt.delivery_note,
            planned_date=day, effective_date=day)
        for move in Move.find([
                    ('purchase.number', '=', purchase.number),
                    ('state', '=', 'draft'),
                    ]):
            if quantities[move.product.code]:
                shipment.incoming_moves.append(Move(move.id))
                shipment.incoming_moves[-1].quantity = quantities[
                    move.product.code]
        shipment.click('receive')
        shipment.click('do')


def _settlement(config, chain, purchase_id, today):
    """The purchaser settles the supplier's invoice against what was
    received and not settled yet; return the settlement's id"""
    bill = chain.settlement
    codes = [goods.code for goods, _ in chain.lines]
    prices = dict(zip(codes, bill.prices))
    reasons = dict(zip(codes, bill.reasons))
    with acting_as(config, login('purchaser', chain.company)):
        Settlement = Model.get('dealer.parts.settlement', config=config)
        Purchase = Model.get('purchase.purchase', config=config)
        settlement = Settlement(supplier=Purchase(purchase_id).party,
            supplier_invoice=bill.invoice,
            invoice_date=today + dt.timedelta(days=bill.day),
            description=f'{chain.description}（发票 {bill.invoice}）')
        settlement.save()
        settlement.click('gather')
        for line in settlement.lines:
            line.unit_price = prices[line.product.code]
            line.reason = reasons[line.product.code]
        settlement.save()
        # Settled at once within the tolerance, else waiting for approval.
        settlement.click('confirm')
        return settlement.id


def _payment(config, chain, settlement_id, today):
    """The purchaser asks to pay the payable; finance approves, the
    cashier pays it on the day"""
    company = chain.company
    with acting_as(config, login('purchaser', company)):
        Settlement = Model.get('dealer.parts.settlement', config=config)
        Request = Model.get('dealer.payment.request', config=config)
        settlement = Settlement(settlement_id)
        request = Request(supplier=settlement.supplier,
            description=f'支付配件款：{chain.description}（采购结算 '
            f'{settlement.number}）')
        request.lines.new(invoice=settlement.invoice)
        request.save()
        request.click('approval_submit')
        request_id = request.id
    # The finance clerk under the group leader approves, the cashier pays.
    with acting_as(config, login('finance', company)):
        Request = Model.get('dealer.payment.request', config=config)
        Request(request_id).click('approval_approve')
    with acting_as(config, login('finance', company, 1)):
        Request = Model.get('dealer.payment.request', config=config)
        request = Request(request_id)
        request.payment_date = today + dt.timedelta(days=chain.paid)
        request.save()
        request.click('pay')
