"""The back office's day in the web client, at 1366×768 in zh_CN (issue 13;
R-CRM-02, R-CRM-04, R-ORG-05, R-FIN-06): link a contact, prepare a sale
contract and submit it, the manager approves it from his list with a
comment, the customer form with its finance section and contacts.

Each scene drives sao in headless Chromium as its user would, then checks
over JSON-RPC what the server kept.  Screenshots go to tests/artifacts/
(office_*.png): the customer form, the sale contract and the approval list
are the issue's evidence.  Same requirements as test_browser.py.
"""
import time
import uuid
from decimal import Decimal

import pytest

from sao import Sao
from test_browser import (  # noqa: F401  (chromium is a fixture)
    chromium, start_chromium)
from test_chinese import RPCError, Session

from demo.finance import SUPPLIER  # scripts/, on sys.path by conftest.py

pytestmark = pytest.mark.browser

WINDOW = '1366,768'
BACK_OFFICE = 'back_office'             # 赵敏, 上海 company-wide
MANAGER = 'sales_manager'               # 李明, 赵敏's supervisor
SALESPERSON = 'sales_zhang'             # 张伟
CUSTOMER = '上海宏达土石方工程有限公司'  # 张伟's customer
OTHERS_CONTACT = '黄海'                  # 刘洋's customer's contact
OVERDUE_CUSTOMER = '苏州建工机械租赁有限公司'  # two instalments overdue
MACHINE = 'EX-SY75C'
HIDDEN = '（无权查看）'


@pytest.fixture
def desktop(chromium):
    with start_chromium(chromium, log_name='chromedriver_office.log',
            window_size=WINDOW) as browser:
        yield browser


def scene(driver, server, user, name):
    """A started Sao of the user; on failure its screen is kept as
    office_<name>_failure"""
    sao = Sao(driver, server, user)
    sao.failure_name = f'office_{name}_failure'
    return sao


def run(sao, steps):
    try:
        sao.login()
        steps(sao)
    except Exception:
        sao.snapshot(sao.failure_name)
        raise
    assert not sao.drain(), sao.console


def rpc(server, login):
    return Session(server, login, server.password)


def one(session, model, domain, fields=('id',)):
    rows = session.call(f'model.{model}.search_read',
        [domain, 0, None, None, list(fields)])
    assert len(rows) == 1, (model, domain, rows)
    return rows[0]


def choose(sao, field, typed, name):
    "Type into a Many2One of the active form and pick name from the list"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    sao.quiet()  # a new record is drawn once its defaults are answered
    entry = sao.find(f'input[name={field}]')
    # sao focuses a new record's first field once drawn: type only into
    # the field that has the focus.
    sao.until(lambda d: entry.click() or d.switch_to.active_element == entry,
        f'{field} has the focus')
    entry.send_keys(typed)
    offer = EC.element_to_be_clickable((By.XPATH,
            "//div[@id='tabcontent']"
            "//ul[contains(@class, 'dropdown-completion')]"
            "/li[contains(@class, 'completion')]/a"
            f"[normalize-space()='{name}']"))

    typed_at = [time.monotonic()]

    def offered(driver):
        # A late redraw of the new record (its defaults) may empty the field
        # or close its list before the search answers: type again, as a
        # user would.
        found = offer(driver)
        if found:
            return found
        current = sao.active(f'input[name={field}]')
        if (current.get_attribute('value') != typed
                or time.monotonic() - typed_at[0] > 8):
            current.clear()
            current.send_keys(typed)
            typed_at[0] = time.monotonic()
        return False
    sao.until(offered,
        f'{name} is offered when typing {typed}').click()
    sao.until(lambda d: sao.active(f'input[name={field}]').get_attribute(
            'value') == name, f'{name} is chosen')
    sao.quiet()  # and its on_change answered


def test_back_office_links_a_contact(chromium, server, desktop):
    """赵敏 links 刘洋's contact to 张伟's customer; 张伟's customer then
    shows the contact he may not read as hidden, not as an access error"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    def link(sao):
        sao.open_menu('经销商管理', '联系人', '联系人关联')
        sao.find('button#new_').click()
        choose(sao, 'customer', '宏达', CUSTOMER)
        choose(sao, 'contact', OTHERS_CONTACT, OTHERS_CONTACT)
        Select(sao.find('select[name=role]')).select_by_visible_text('总经理')
        sao.snapshot('office_contact_link')
        sao.find('button#save').click()
        sao.until(lambda d: sao.active('.infobar .alert-info'),
            'the link is saved')
    run(scene(desktop, server, BACK_OFFICE, 'contact_link'), link)

    office = rpc(server, BACK_OFFICE)
    row = one(office, 'dealer.contact.link', [
            ('customer.name', '=', CUSTOMER),
            ('contact.name', '=', OTHERS_CONTACT)],
        ['method', 'role'])
    assert (row['method'], row['role']) == ('manual', 'general_manager')

    zhang = rpc(server, SALESPERSON)
    customer = one(zhang, 'party.party', [('name', '=', CUSTOMER)])

    with start_chromium(chromium, log_name='chromedriver_office2.log',
            window_size=WINDOW) as driver:
        def customer_form(sao):
            sao.open_record('party.party', customer['id'])
            links = sao.one2many('联系人')
            sao.until(lambda d: HIDDEN in links.text,
                'the hidden contact shows as hidden')
            assert OTHERS_CONTACT not in links.text
            assert '陈志强' in links.text      # his own contact
            sao.snapshot('office_customer_hidden_contact')
        run(scene(driver, server, SALESPERSON, 'hidden_contact'),
            customer_form)


def test_sale_contract_submitted_then_approved_from_the_list(
        chromium, server, desktop):
    """赵敏 prepares a contract: she may neither quote nor confirm it before
    it is approved, submits it beside the main buttons and is never offered
    approve or reject; 李明 approves it from his list, one click and a
    comment, seeing what he approves; the contract is then confirmed"""
    from selenium.webdriver.common.by import By

    office = rpc(server, BACK_OFFICE)
    reference = f'HT-{uuid.uuid4().hex[:6]}'
    customer = one(office, 'party.party', [('name', '=', CUSTOMER)],
        ['addresses', 'owner'])
    product = one(office, 'product.product', [('code', '=', MACHINE)],
        ['default_uom'])
    sale_id, = office.call('model.sale.sale.create', [[{
                    'party': customer['id'], 'reference': reference,
                    # prepared for the customer's salesperson, 张伟
                    'owner': customer['owner'],
                    # what the form's on_change of the customer fills in
                    'invoice_address': customer['addresses'][0],
                    'shipment_address': customer['addresses'][0],
                    'description': 'SY75C 购销合同',
                    'lines': [('create', [{
                                    'product': product['id'],
                                    'quantity': 1,
                                    'unit': product['default_uom'],
                                    'unit_price': '350000',
                                    }])],
                    }]])

    def prepare(sao):
        sao.open_record('sale.sale', sale_id)
        # Not approved: quoting is refused with a clear message.
        sao.press('quote')
        text = sao.until(lambda d: sao.dialog_text(),
            'quoting is refused', errors=False)
        assert '须审批通过后才能报价或确认' in text, text
        sao.driver.find_element(By.CSS_SELECTOR,
            '.modal.in .modal-footer button').click()
        sao.idle()
        submit = sao.until(lambda d: sao.button('approval_submit'),
            'submit shows')
        assert sao.in_viewport(submit), 'submit is off the screen'
        assert '提交审批' in submit.text
        # Beside the main buttons, on the first screen of the form.
        quote = sao.button('quote')
        assert abs(quote.location['y'] - submit.location['y']) < 80
        sao.press('approval_submit')
        sao.until(lambda d: not sao.button('approval_submit'),
            'the contract is submitted')
        assert not sao.button('approval_approve')
        assert not sao.button('approval_reject')
        sao.snapshot('office_sale_contract')
    run(scene(desktop, server, BACK_OFFICE, 'sale_contract'), prepare)

    sale = one(office, 'sale.sale', [('id', '=', sale_id)],
        ['approval_state', 'approval_approvers', 'state'])
    assert sale['approval_state'] == 'waiting'
    manager = rpc(server, MANAGER)
    assert sale['approval_approvers'] == [manager.user_id]
    request = one(manager, 'dealer.approval.request', [
            ('document', '=', f'sale.sale,{sale_id}')],
        ['summary', 'amount'])
    assert CUSTOMER in request['summary']

    comment = f'同意，按合同价执行（{reference}）'
    with start_chromium(chromium, log_name='chromedriver_office2.log',
            window_size=WINDOW) as driver:
        def approve(sao):
            sao.open_menu('经销商管理', '审批', '待我审批')
            row = sao.until(lambda d: [r for r in d.find_elements(
                        By.CSS_SELECTOR, '#tabcontent .tab-pane.active '
                        'table tbody tr') if CUSTOMER in r.text
                    and '350,000.00' in r.text],
                'the request is listed with what is asked')[0]
            button = row.find_element(By.CSS_SELECTOR, 'button[name=approve]')
            assert sao.in_viewport(button), 'approve is off the screen'
            sao.snapshot('office_approval_list')
            button.click()
            summary = sao.until(lambda d: [e for e in d.find_elements(
                        By.CSS_SELECTOR, '.modal.in textarea[name=summary]')
                    if e.is_displayed()], 'the approval dialog opens')[0]
            assert CUSTOMER in summary.get_attribute('value')
            assert '¥350,000.00' in summary.get_attribute('value')
            sao.approve_in_dialog(comment, 'office_approval_dialog')
        run(scene(driver, server, MANAGER, 'approval'), approve)

    sale = one(office, 'sale.sale', [('id', '=', sale_id)],
        ['approval_state'])
    assert sale['approval_state'] == 'approved'
    log, = [l for l in office.call('model.dealer.approval.log.search_read', [
                [('document', '=', f'sale.sale,{sale_id}'),
                    ('action', '=', 'approve')],
                0, None, None, ['comment', 'user']])]
    assert log['comment'] == comment
    # Approved, the contract is quoted and confirmed.
    office.call('model.sale.sale.quote', [[sale_id]])
    office.call('model.sale.sale.confirm', [[sale_id]])
    sale = one(office, 'sale.sale', [('id', '=', sale_id)], ['state'])
    assert sale['state'] in {'confirmed', 'processing'}
    # The requester may not approve her own contract through the API either.
    with pytest.raises(RPCError):
        office.call('model.dealer.approval.request.decide',
            [[request['id']], 'approve', None])


def test_customer_form_shows_finance_and_contacts(server, desktop):
    """The customer form: credit, overdue, penalty, plans, receipts and the
    contacts with their phones, with no access error"""
    from selenium.webdriver.common.by import By
    office = rpc(server, BACK_OFFICE)
    customer = one(office, 'party.party', [('name', '=', OVERDUE_CUSTOMER)],
        ['overdue_amount', 'penalty_amount'])
    # JSON-RPC sends a Decimal as {'__class__': 'Decimal', 'decimal': '…'}
    overdue = Decimal(customer['overdue_amount']['decimal'])
    assert overdue > 0

    def form(sao):
        sao.open_record('party.party', customer['id'])
        page = sao.find('.form')
        for label in ['信用额度', '逾期金额', '罚息', '联系人']:
            assert label in page.text, label
        shown = sao.find('input[name=overdue_amount]').get_attribute('value')
        # to the cent, with the thousands grouped
        assert shown == f'{overdue:,.2f}', (shown, overdue)
        sao.snapshot('office_customer_form')
        # The web client's own words too (toolbar, menus) are Chinese.
        assert not sao.english(), sao.english()
        tab = sao.until(lambda d: [t for t in d.find_elements(
                    By.CSS_SELECTOR, '#tabcontent .tab-pane.active '
                    '.nav-tabs a') if t.text.strip() == '业务往来'],
            'the business history tab')[0]
        tab.click()
        plans = sao.one2many('回款计划')
        sao.until(lambda d: '880,000.00' in plans.text,
            'the plans are listed')
        receipts = sao.one2many('收款记录')
        sao.until(lambda d: '20,000.00' in receipts.text,
            'the receipts are listed')
        sao.snapshot('office_customer_history')
    run(scene(desktop, server, BACK_OFFICE, 'customer_form'), form)


def test_ageing_agrees_with_the_overdue_instalments(server, desktop):
    """Finance's receivable ageing shows, for the customer behind on his
    plan, what each overdue instalment still owes, in its bucket"""
    from selenium.webdriver.common.by import By
    finance = rpc(server, 'finance')
    lines = finance.call('model.dealer.payment.plan.line.search_read', [
            [('customer.name', '=', OVERDUE_CUSTOMER),
                ('state', '=', 'overdue')],
            0, None, None, ['unpaid_amount', 'days_overdue']])
    owed = {}
    for line in lines:
        days = line['days_overdue']
        bucket = ('0-30' if days <= 30 else '31-60' if days <= 60
            else '61-90' if days <= 90 else '90+')
        owed[bucket] = owed.get(bucket, Decimal(0)) + Decimal(
            line['unpaid_amount']['decimal'])
    assert {'31-60', '61-90'} <= set(owed), owed

    def ageing(sao):
        sao.open_menu('经销商管理', '应收与催收', '应收账龄')
        row = sao.until(lambda d: [r for r in d.find_elements(
                    By.CSS_SELECTOR, '#tabcontent .tab-pane.active '
                    'table tbody tr') if OVERDUE_CUSTOMER in r.text],
            f'{OVERDUE_CUSTOMER} is in the ageing')[0]
        for bucket, amount in owed.items():
            assert f'{amount:,.2f}' in row.text, (bucket, amount, row.text)
        sao.snapshot('office_ageing')
    run(scene(desktop, server, 'finance', 'ageing'), ageing)


def test_payment_request_proposes_what_is_left(server, desktop):
    """The purchaser's new payment request line on the supplier's invoice
    proposes what is left to request: the open amount less what the
    request waiting for approval holds"""
    purchaser = rpc(server, 'purchaser')
    invoice = one(purchaser, 'account.invoice', [
            ('type', '=', 'in'), ('party.name', '=', SUPPLIER)],
        ['amount_to_pay', 'rec_name', 'reference'])
    held = purchaser.call('model.dealer.payment.request.line.search_read', [
            [('invoice', '=', invoice['id'])], 0, None, None, ['amount']])
    left = Decimal(invoice['amount_to_pay']['decimal']) - sum(
        Decimal(h['amount']['decimal']) for h in held)
    assert held and left > 0

    def request(sao):
        sao.open_menu('经销商管理', '应收与催收', '付款申请')
        sao.find('button#new_').click()
        sao.idle()
        choose(sao, 'supplier', '三一', SUPPLIER)
        lines = sao.one2many('应付单')
        sao.new_row(lines, 'invoice')
        # by the supplier's invoice number
        sao.pick(lines, 'invoice', invoice['reference'], invoice['rec_name'])
        sao.until(lambda d: f'{left:,.2f}' in lines.text,
            f'{left:,.2f} is proposed')
        sao.snapshot('office_payment_request')
    run(scene(desktop, server, 'purchaser', 'payment_request'), request)
