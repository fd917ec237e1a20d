"""The parts people's day in the web client, at 1366×768 in zh_CN (issue 14;
R-PRT-02, R-PRT-03, R-PRT-05): the warehouse keeper finds the parts still
expected from a purchase order by its number and receives part of them,
the purchaser settles a supplier's invoice against what was received (采购
结算) and so books the payable, the keeper reads the stock per warehouse
and the low-stock warnings.

Each scene drives sao in headless Chromium as its user would, then checks
over JSON-RPC what the server kept, amounts to the cent.  One browser
serves the whole file, each scene logging in afresh.  Screenshots go to
tests/artifacts/ (parts_*.png).  Same requirements as test_browser.py.
"""
import random
import re
from decimal import Decimal, InvalidOperation

import pytest

from sao import Sao, scene as sao_scene
from test_browser import (  # noqa: F401  (chromium is a fixture)
    browser_per_module, chromium)
from test_browser_office import WINDOW, choose, one, rpc, run

# scripts/, on sys.path by conftest.py
from demo.parts import (
    DIESEL_FILTER, HENGTONG, HUATAI, OPEN_CHAIN, SLOW_PART)
from demo.products import ENGINE_OIL, HYDRAULIC_FILTER, TRACK_SHOE

pytestmark = pytest.mark.browser

WAREHOUSE_KEEPER = 'warehouse'      # 郑磊, 上海
PURCHASER = 'purchaser'             # 吴刚, 上海
WAREHOUSE = 'WH-SH'                 # 上海总仓
DELIVERY_NOTE = 'HTGJ-FH-2291'      # 华泰's second delivery of track shoes


# One browser for the file's scenes
desktop = browser_per_module('chromedriver_parts.log', window_size=WINDOW)


def scene(driver, server, user, name):
    """A Sao of the user in the file's browser, the previous scene's login
    forgotten; on failure its screen is kept as parts_<name>_failure"""
    return sao_scene(driver, server, user, f'parts_{name}_failure')


def decimal(value):
    "A Decimal as JSON-RPC sends it"
    return Decimal(value['decimal']) if isinstance(value, dict) else (
        Decimal(str(value)))


def on_hand(session, product_id, warehouse_id):
    "The part's quantity in the warehouse, as Tryton counts it"
    product, = session.call('model.product.product.read', [[product_id],
            ['quantity']], {'locations': [warehouse_id]})
    return product['quantity']


def rows(sao, text):
    "The rows of the active tab's list that hold text"
    from selenium.webdriver.common.by import By
    return [r for r in sao.driver.find_elements(By.CSS_SELECTOR,
            '#tabcontent .tab-pane.active table tbody tr')
        if r.is_displayed() and text in r.text]


def modal(sao):
    "The topmost open dialog"
    from selenium.webdriver.common.by import By
    return sao.until(lambda d: [e for e in d.find_elements(
                By.CSS_SELECTOR, '.modal.in') if e.is_displayed()][-1:],
        'a dialog opens', errors=False)[0]


def confirm_dialog(sao, question):
    "Answer OK to the web client's question holding question"
    from selenium.webdriver.common.by import By
    dialog = modal(sao)
    text = dialog.find_element(By.CSS_SELECTOR, '.modal-body').text
    assert question in text, text
    dialog.find_element(By.CSS_SELECTOR,
        '.modal-footer button.btn-primary').click()
    sao.until(lambda d: not [e for e in d.find_elements(By.CSS_SELECTOR,
                '.modal.in, .modal-backdrop') if e.is_displayed()],
        'the question closes', errors=False)


def settled(sao):
    """Wait until the web client has no call in flight, whatever dialog is
    open (Sao.quiet reads an open dialog as an error)"""
    sao.until(lambda d: d.execute_script('return jQuery.active') == 0,
        'the server answered', errors=False)


def same(shown, text):
    "Whether an entry shows text (a number as the client formats it)"
    try:
        return Decimal(shown.replace(',', '')) == Decimal(text)
    except InvalidOperation:
        return shown == text


def enter(sao, entries, text, what):
    """Type text (a number, or any text) over the value of the first of
    entries() and leave it (Tab), again while a redraw of the dialog or row
    loses it"""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.keys import Keys

    def typed(driver):
        shown = entries()
        if not shown:
            return False
        try:
            shown[0].click()
            if driver.switch_to.active_element != shown[0]:
                # not yet drawn: the keys would go to another field
                return False
            driver.switch_to.active_element.send_keys(Keys.CONTROL, 'a')
            driver.switch_to.active_element.send_keys(text)
            entry = entries()[0]
            if not same(entry.get_attribute('value'), text):
                return False
            entry.send_keys(Keys.TAB)
        except WebDriverException:
            return False
        return True
    sao.until(typed, f'{what} takes {text}')


def test_keeper_receives_part_of_an_order(server, desktop):
    """郑磊 starts a supplier receipt, finds the track shoes still expected
    from 华泰's order by its number, receives part of them and puts them
    away; the order line shows them received, the warehouse holds them"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    keeper = rpc(server, WAREHOUSE_KEEPER)
    warehouse = one(keeper, 'stock.location', [('code', '=', WAREHOUSE)],
        ['rec_name'])
    shoe = one(keeper, 'product.product', [('code', '=', TRACK_SHOE.code)],
        ['rec_name'])
    expected = one(keeper, 'stock.move', [
            ('state', '=', 'draft'), ('shipment', '=', None),
            ('from_location.type', '=', 'supplier'),
            ('product', '=', shoe['id']),
            ('supplier.name', '=', HUATAI.name)],
        ['quantity', 'origin', 'purchase'])
    order = one(keeper, 'purchase.purchase',
        [('id', '=', expected['purchase'])], ['number'])
    line_id = int(expected['origin'].split(',')[1])
    ordered = dict(OPEN_CHAIN.lines)[TRACK_SHOE]
    received_before = ordered - expected['quantity']
    # The supplier delivers part of what is due (all of it when one is).
    due = expected['quantity']
    delivered = due - 2 if due > 2 else due
    stock_before = on_hand(keeper, shoe['id'], warehouse['id'])

    def receive(sao):
        sao.open_menu('库存管理', '货运单', '供应商收货单')
        sao.find('button#new_').click()
        choose(sao, 'supplier', '华泰', HUATAI.name)
        if sao.find('input[name=warehouse]').get_attribute('value') != (
                warehouse['rec_name']):
            choose(sao, 'warehouse', '上海', warehouse['rec_name'])
        sao.find('input[name=reference]').send_keys(DELIVERY_NOTE)
        moves = sao.one2many('入库移动')
        moves.find_element(By.CSS_SELECTOR, 'button[title="添加"]').click()
        # The parts due to the warehouse: found by the order's number (the
        # dialog lists what may be added: no error while it is open).
        dialog = modal(sao)
        search = sao.until(lambda d: [e for e in dialog.find_elements(
                    By.CSS_SELECTOR, '.filter-box input.form-control')
                if e.is_displayed()], 'the search shows', errors=False)[0]
        settled(sao)
        search.clear()
        search.send_keys(f'采购单: {order["number"]}', Keys.ENTER)
        settled(sao)

        def found(driver):
            listed = [r for r in dialog.find_elements(
                    By.CSS_SELECTOR, 'table tbody tr')
                if r.is_displayed() and r.text.strip()]
            return listed if listed and all(
                order['number'] in r.text for r in listed) else None
        listed = sao.until(found, f'{order["number"]} is found',
            errors=False)
        assert len(listed) == 1, [r.text for r in listed]
        assert shoe['rec_name'] in listed[0].text, listed[0].text
        sao.snapshot('parts_receipt_search')
        listed[0].find_element(By.CSS_SELECTOR,
            'td[data-title^="数量"]').click()
        dialog.find_element(By.CSS_SELECTOR,
            '.modal-footer button[title="确定"]').click()
        sao.until(lambda d: shoe['rec_name'] in moves.text,
            'the expected line is on the receipt')
        # Only part of it arrived: its quantity as delivered.
        line, = [r for r in moves.find_elements(By.CSS_SELECTOR,
                'table tbody tr') if shoe['rec_name'] in r.text]
        line.find_element(By.CSS_SELECTOR, 'td[data-title^="数量"]').click()
        moves.find_element(By.CSS_SELECTOR, 'button[title="打开"]').click()
        form = modal(sao)
        settled(sao)
        enter(sao, lambda: [e for e in form.find_elements(
                    By.CSS_SELECTOR, 'input[name=quantity]')
                if e.is_displayed()], f'{delivered:g}', 'the quantity')
        sao.quiet()
        sao.snapshot('parts_receipt_line')
        form.find_element(By.CSS_SELECTOR,
            '.modal-footer button.btn-primary').click()
        sao.until(lambda d: not [e for e in d.find_elements(
                    By.CSS_SELECTOR, '.modal.in, .modal-backdrop')
                if e.is_displayed()], 'the line is kept')
        sao.until(lambda d: [r for r in moves.find_elements(
                    By.CSS_SELECTOR, 'table tbody tr')
                if shoe['rec_name'] in r.text
                and r.find_element(By.CSS_SELECTOR, 'td[data-title^="数量"]'
                    ).text.split()[:1] == [f'{delivered:g}']],
            f'{delivered:g} are to receive')
        sao.snapshot('parts_receipt')
        sao.press('receive')
        confirm_dialog(sao, '确定要收货吗')
        sao.until(lambda d: sao.button('do'), 'the receipt is received')
        sao.press('do')
        sao.until(lambda d: not sao.button('do'), 'the parts are put away')
        sao.idle()
        sao.snapshot('parts_receipt_done')
        # No English on the receipt (the supplier location's code aside)
        allowed = Sao.ALLOWED + ('SUP',)
        assert not sao.english(allowed), sao.english(allowed)
    run(scene(desktop, server, WAREHOUSE_KEEPER, 'receipt'), receive)

    shipment = one(keeper, 'stock.shipment.in',
        [('reference', '=', DELIVERY_NOTE)],
        ['state', 'supplier', 'warehouse', 'incoming_moves'])
    assert shipment['state'] == 'done'
    assert shipment['warehouse'] == warehouse['id']
    received, = keeper.call('model.stock.move.read',
        [shipment['incoming_moves'], ['product', 'quantity', 'state']])
    assert (received['product'], received['quantity'], received['state']) == (
        shoe['id'], delivered, 'done')
    line = one(keeper, 'purchase.line', [('id', '=', line_id)],
        ['quantity', 'received_quantity', 'settled_quantity'])
    assert line['quantity'] == ordered
    assert line['received_quantity'] == received_before + delivered
    assert on_hand(keeper, shoe['id'], warehouse['id']) == (
        stock_before + delivered)
    # What is left stays expected from the order.
    left = keeper.call('model.stock.move.search_read', [[
                ('state', '=', 'draft'), ('shipment', '=', None),
                ('origin', '=', f'purchase.line,{line_id}')],
            0, None, None, ['quantity']])
    assert [m['quantity'] for m in left] == (
        [due - delivered] if due > delivered else [])


@pytest.fixture
def received_from_hengtong(server):
    """What the purchaser settles: an order of filters from 恒通 (at the
    prices agreed with it), confirmed by the purchaser and received by the
    warehouse keeper over JSON-RPC; the order's lines as
    {part code: (line id, quantity, order price)}"""
    purchaser = rpc(server, PURCHASER)
    keeper = rpc(server, WAREHOUSE_KEEPER)
    supplier = one(purchaser, 'party.party', [('name', '=', HENGTONG.name)],
        ['addresses'])
    warehouse = one(keeper, 'stock.location', [('code', '=', WAREHOUSE)],
        ['input_location', 'storage_location'])
    ordered = {DIESEL_FILTER.code: (10, Decimal('138.00')),
        HYDRAULIC_FILTER.code: (6, Decimal('205.00'))}
    lines = []
    for code, (quantity, price) in ordered.items():
        product = one(purchaser, 'product.product', [('code', '=', code)],
            ['default_uom'])
        lines.append({'product': product['id'], 'quantity': quantity,
                'unit': product['default_uom'], 'unit_price': str(price)})
    purchase_id, = purchaser.call('model.purchase.purchase.create', [[{
                    'party': supplier['id'],
                    'invoice_address': supplier['addresses'][0],
                    'warehouse': warehouse['id'],
                    'description': '滤芯补货（浏览器测试）',
                    'lines': [('create', lines)],
                    }]])
    purchaser.call('model.purchase.purchase.quote', [[purchase_id]])
    purchaser.call('model.purchase.purchase.confirm', [[purchase_id]])
    moves = keeper.call('model.stock.move.search_read', [[
                ('purchase', '=', purchase_id), ('state', '=', 'draft')],
            0, None, None, ['product.code', 'origin']])
    assert len(moves) == len(ordered), moves
    shipment_id, = keeper.call('model.stock.shipment.in.create', [[{
                    'supplier': supplier['id'],
                    'warehouse': warehouse['id'],
                    # what the form fills in from the warehouse
                    'warehouse_input': warehouse['input_location'],
                    'warehouse_storage': warehouse['storage_location'],
                    'incoming_moves': [('add', [m['id'] for m in moves])],
                    }]])
    keeper.call('model.stock.shipment.in.receive', [[shipment_id]])
    keeper.call('model.stock.shipment.in.do', [[shipment_id]])
    return {m['product.']['code']: (int(m['origin'].split(',')[1]),)
        + ordered[m['product.']['code']] for m in moves}


def test_purchaser_settles_a_supplier_invoice(
        server, desktop, received_from_hengtong):
    """吴刚 starts a purchase settlement of 恒通, enters its invoice
    number, adds what was received and not settled, enters the price the
    invoice bills for the hydraulic filters (within the tolerance) and
    confirms: the payable is posted with the invoice's total"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    purchaser = rpc(server, PURCHASER)
    invoice_number = str(random.randrange(10 ** 7, 10 ** 8))
    # The invoice bills the hydraulic filters 1.00 over the order's
    # 205.00 (0.49 %, within the company's 1 %), the rest as ordered.
    billed = {code: price for code, (_, _, price)
        in received_from_hengtong.items()}
    billed[HYDRAULIC_FILTER.code] = Decimal('206.00')
    total = sum(Decimal(quantity) * billed[code] for code, (_, quantity, _)
        in received_from_hengtong.items())
    assert total == Decimal('2616.00')  # 10 × 138.00 + 6 × 206.00
    filter_name = one(purchaser, 'product.product',
        [('code', '=', HYDRAULIC_FILTER.code)], ['rec_name'])['rec_name']

    def settle(sao):
        sao.open_menu('采购', '采购结算')
        sao.find('button#new_').click()
        choose(sao, 'supplier', '恒通', HENGTONG.name)
        sao.find('input[name=supplier_invoice]').send_keys(invoice_number)
        sao.press('gather')
        lines = sao.one2many('明细')
        sao.until(lambda d: filter_name in lines.text,
            'the received lines are added')
        sao.quiet()
        # The hydraulic filters' price as invoiced.
        row, = [r for r in lines.find_elements(By.CSS_SELECTOR,
                'table tbody tr') if filter_name in r.text]
        price = row.find_element(By.CSS_SELECTOR,
            'td[data-title^="发票单价"]')

        def editing(driver):
            # a click selects the row, the next one edits the cell
            shown = [e for e in lines.find_elements(
                    By.CSS_SELECTOR, 'input[name=unit_price]')
                if e.is_displayed()]
            if not shown:
                price.click()
            return shown
        sao.until(editing, 'the price can be entered')
        enter(sao, lambda: [e for e in lines.find_elements(
                    By.CSS_SELECTOR, 'input[name=unit_price]')
                if e.is_displayed()], '206.00', 'the invoiced price')
        sao.quiet()
        # The lines' total, under the amounts, follows.
        sao.until(lambda d: f'{total:,.2f}' in lines.text,
            f'the lines amount to {total:,.2f}')
        sao.snapshot('parts_settlement')
        sao.press('confirm')
        sao.until(lambda d: sao.button('confirm') is None,
            'the settlement is confirmed')
        sao.idle()
        sao.until(lambda d: sao.find('input[name=amount]').get_attribute(
                'value') == f'{total:,.2f}',
            f'the settlement amounts to {total:,.2f}')
        assert not sao.english(), sao.english()
        # The payable it booked, shown on the form
        payable = sao.find('input[name=invoice]')
        sao.driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"})', payable)
        assert payable.get_attribute('value'), 'no payable shown'
        # Within the tolerance nobody approves it: its approval state says
        # so, not 草稿, which reads as "not approved yet".
        approval = Select(sao.find('select[name=approval_state]'))
        assert approval.first_selected_option.text == '无需审批'
        sao.snapshot('parts_settlement_done')
    run(scene(desktop, server, PURCHASER, 'settlement'), settle)

    settlement = one(purchaser, 'dealer.parts.settlement', [
            ('supplier.name', '=', HENGTONG.name),
            ('supplier_invoice', '=', invoice_number)],
        ['state', 'amount', 'invoice', 'number', 'lines', 'approval_state'])
    assert (settlement['state'], settlement['approval_state']) == (
        'done', 'not_required')
    assert decimal(settlement['amount']) == total
    lines = purchaser.call('model.dealer.parts.settlement.line.read', [
            settlement['lines'], ['product.code', 'quantity', 'unit_price',
                'amount']])
    assert sorted((l['product.']['code'], l['quantity'],
                decimal(l['unit_price']), decimal(l['amount']))
            for l in lines) == sorted(
        (code, quantity, billed[code], Decimal(quantity) * billed[code])
        for code, (_, quantity, _) in received_from_hengtong.items())
    payable = one(purchaser, 'account.invoice',
        [('id', '=', settlement['invoice'])],
        ['type', 'state', 'party.name', 'reference', 'total_amount',
            'amount_to_pay'])
    assert (payable['type'], payable['state'], payable['party.']['name'],
        payable['reference']) == ('in', 'posted', HENGTONG.name,
        invoice_number)
    assert decimal(payable['total_amount']) == total
    assert decimal(payable['amount_to_pay']) == total
    # Each order line shows it settled.
    for line_id, quantity, _ in received_from_hengtong.values():
        line = one(purchaser, 'purchase.line', [('id', '=', line_id)],
            ['received_quantity', 'settled_quantity'])
        assert (line['received_quantity'], line['settled_quantity']) == (
            quantity, quantity)


def test_keeper_reads_stock_and_its_warnings(server, desktop):
    """郑磊 opens the stock per warehouse: the parts of 上海总仓 with their
    quantities on hand, under Chinese headings; then the low-stock
    warnings, where the engine oil he now keeps at a higher minimum is
    listed with what it lacks to its target"""
    from selenium.webdriver.common.by import By

    keeper = rpc(server, WAREHOUSE_KEEPER)
    warehouse = one(keeper, 'stock.location', [('code', '=', WAREHOUSE)],
        ['rec_name'])
    shoe, oil = (one(keeper, 'product.product', [('code', '=', part.code)],
            ['rec_name']) for part in (TRACK_SHOE, ENGINE_OIL))
    quantity = on_hand(keeper, shoe['id'], warehouse['id'])
    row = one(keeper, 'dealer.parts.stock', [
            ('product', '=', shoe['id']),
            ('warehouse', '=', warehouse['id'])],
        ['quantity', 'available_quantity'])
    assert row['quantity'] == quantity
    # The demo has no order point: the keeper sets the oil's minimum above
    # what the warehouse holds.
    oil_on_hand = on_hand(keeper, oil['id'], warehouse['id'])
    assert oil_on_hand > 0
    minimum, target = oil_on_hand + 10, oil_on_hand + 30
    keeper.call('model.stock.order_point.create', [[{
                    'product': oil['id'], 'location': warehouse['id'],
                    'type': 'purchase', 'min_quantity': minimum,
                    'target_quantity': target}]])

    def headings(sao, expected):
        shown = sao.until(lambda d: [h.text for h in d.find_elements(
                    By.CSS_SELECTOR,
                    '#tabcontent .tab-pane.active table thead th')
                if h.is_displayed() and h.text.strip()],
            'the list shows its headings')
        for heading in expected:
            assert any(heading in h for h in shown), (heading, shown)

    # The web client's own words too are Chinese (codes aside: the
    # export's file format, the oil's part number PT-OIL-18L).
    allowed = Sao.ALLOWED + ('XLSX', 'OIL')

    def stock(sao):
        sao.open_menu('经销商管理', '配件库存', '分仓库存')
        headings(sao, ['配件', '仓库', '在库数量', '可用数量'])
        shown = sao.until(lambda d: [r for r in rows(sao, shoe['rec_name'])
                if warehouse['rec_name'] in r.text],
            f'{shoe["rec_name"]} in {warehouse["rec_name"]} is listed')[0]
        figures(shown, {'在库数量': quantity,
                '可用数量': row['available_quantity']})
        # The last figure, the forecast, is seen without scrolling, the
        # menu open
        forecast = shown.find_element(By.CSS_SELECTOR,
            'td[data-title^="预计数量"]')
        assert sao.in_viewport(forecast), 'the forecast is off the screen'
        sao.snapshot('parts_stock_by_warehouse')
        assert not sao.english(allowed), sao.english(allowed)

        # beside it in the menu, still open
        sao.open_menu('库存预警')
        headings(sao, ['仓库', '配件', '在库数量', '最低库存', '目标库存',
                '缺口数量'])
        warned = sao.until(lambda d: rows(sao, oil['rec_name']),
            f'{oil["rec_name"]} is warned of')
        assert len(warned) == 1 and warehouse['rec_name'] in warned[0].text
        figures(warned[0], {'在库数量': oil_on_hand, '最低库存': minimum,
                '目标库存': target, '缺口数量': target - oil_on_hand})
        # What to order is seen without scrolling, the menu open
        shortage = warned[0].find_element(By.CSS_SELECTOR,
            'td[data-title^="缺口数量"]')
        assert sao.in_viewport(shortage), 'the shortage is off the screen'
        sao.snapshot('parts_stock_warnings')
        assert not sao.english(allowed), sao.english(allowed)
    run(scene(desktop, server, WAREHOUSE_KEEPER, 'stock'), stock)


def figures(row, expected):
    "The row's figures under the headings, as those expected"
    from selenium.webdriver.common.by import By
    for column, figure in expected.items():
        cell = row.find_element(By.CSS_SELECTOR,
            f'td[data-title="{column}: "]')
        # '6 个', '¥\n6,600.00': the figure without unit, symbol, commas
        shown = re.sub(r'[^\d.-]', '', cell.text)
        assert shown and Decimal(shown) == Decimal(str(figure)), (
            column, figure, cell.text)

def test_keeper_finds_old_stock_and_overdue_loans(server, desktop):
    """郑磊 reads the stock ageing of 上海总仓: the repair kits received 420
    days ago, never used, are all over 365 days, at their cost; then the
    overdue loans: 马超's, due six days ago, with nothing back"""
    from selenium.webdriver.common.by import By

    keeper = rpc(server, WAREHOUSE_KEEPER)
    warehouse = one(keeper, 'stock.location', [('code', '=', WAREHOUSE)],
        ['rec_name'])
    kits = one(keeper, 'product.product', [('code', '=', SLOW_PART.code)],
        ['rec_name'])
    loan = one(keeper, 'dealer.parts.loan', [('overdue', '=', True)],
        ['number', 'employee.rec_name', 'due_date'])
    assert loan['employee.']['rec_name'] == '马超'
    value = SLOW_PART.cost_price * SLOW_PART.stock
    # part numbers: PT-OIL-18L, the kits' SY205
    allowed = Sao.ALLOWED + ('XLSX', 'SY205', 'OIL')

    def ageing(sao):
        sao.open_menu('经销商管理', '配件库存', '库龄分析')
        old = sao.until(lambda d: rows(sao, kits['rec_name']),
            f'{kits["rec_name"]} is listed')
        assert len(old) == 1 and warehouse['rec_name'] in old[0].text
        figures(old[0], {'数量': SLOW_PART.stock, '金额': value,
                '0-90天金额': 0, '365天以上金额': value})
        over = old[0].find_element(By.CSS_SELECTOR,
            'td[data-title="365天以上金额: "]')
        assert sao.in_viewport(over), 'the oldest stock is off the screen'
        sao.snapshot('parts_stock_ageing')
        assert not sao.english(allowed), sao.english(allowed)

        sao.open_menu('库存管理', '借用单')
        tab, = [t for t in sao.driver.find_elements(By.CSS_SELECTOR,
                '#tabcontent .tab-pane.active .nav-tabs a')
            if t.text.split()[:1] == ['已逾期']]    # and its count
        tab.click()
        late = sao.until(lambda d: rows(sao, loan['number']),
            f'{loan["number"]} is overdue')
        assert len(rows(sao, 'JY-')) == 1 and '马超' in late[0].text
        due = late[0].find_element(By.CSS_SELECTOR,
            'td[data-title="应还日期: "]')
        date = loan['due_date']    # JSON-RPC's {'__class__': 'date', …}
        assert due.text == (
            f"{date['year']:04d}-{date['month']:02d}-{date['day']:02d}")
        assert sao.in_viewport(due), 'the due date is off the screen'
        sao.snapshot('parts_overdue_loans')
        assert not sao.english(allowed), sao.english(allowed)
    run(scene(desktop, server, WAREHOUSE_KEEPER, 'ageing'), ageing)
