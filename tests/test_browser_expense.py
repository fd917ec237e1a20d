"""A salesperson's expense claim in the web client, at 1366×768 in zh_CN
(issue 15; R-EXP-01, R-EXP-03): 张伟 claims a hotel night in 杭州 above his
standard, sees the standard and the excess while he fills the line, gives
his reason and submits; his supervisor 李明 approves it from his list, and
the claim goes on to the group leader's step for claims over standard.

Each scene drives sao in headless Chromium as its user would, then checks
over JSON-RPC what the server kept, amounts to the cent.  One browser
serves the file, each scene logging in afresh.  Screenshots go to
tests/artifacts/ (expense_*.png).  Same requirements as test_browser.py.
"""
import base64
import datetime as dt
import random
from decimal import Decimal

import pytest

from sao import Sao, scene
from test_browser import (  # noqa: F401  (chromium is a fixture)
    browser_per_module, chromium)
from test_browser_office import WINDOW, one, rpc, run
from test_browser_parts import decimal, enter, rows

# scripts/, on sys.path by conftest.py
# (the records only: demo.load imports proteus, which changes how this
# process's XML-RPC reads dates)
from demo.expense import CITIES, PNG, STANDARDS

pytestmark = pytest.mark.browser

SALESPERSON = 'sales_zhang'     # 张伟, 上海
MANAGER = 'sales_manager'       # 李明, his supervisor
BOSS = 'boss'                   # 王建国: the step over standard
FINANCE = 'finance'             # 孙丽: the last step
HOTEL = '住宿费'                 # per night
CITY = '杭州'
# The demo's standard of a night in 杭州's tier, for every position
STANDARD, = [amount for code, tier, amount, _ in STANDARDS
    if code == 'HOTEL' and tier == dict(CITIES)[CITY]]
AMOUNT = Decimal('468.50')      # the hotel's receipt for one night
REASON = '展会期间房价上浮，协议酒店满房'
OVER_STANDARD_STEP = '超标准审批'  # the demo's step of the group leader


# One browser for the file's scenes
desktop = browser_per_module('chromedriver_expense.log', window_size=WINDOW)


def date(value):
    "A date as JSON-RPC sends it"
    return dt.date(value['year'], value['month'], value['day'])


def company_today(session):
    "The company's today (Asia/Shanghai), as Tryton counts it"
    return date(session.call('model.ir.date.today', []))


def entries(container, field, tag='input'):
    "The displayed entries of the field in container"
    from selenium.webdriver.common.by import By
    return [e for e in container.find_elements(
            By.CSS_SELECTOR, f'{tag}[name={field}]') if e.is_displayed()]


def editing(container):
    "The row of the list field container being edited"
    from selenium.webdriver.common.by import By
    return entries(container, 'amount')[0].find_element(
        By.XPATH, './ancestor::tr[1]')


def cell(row, title):
    "What a cell of the row under the heading shows, edited or not"
    from selenium.webdriver.common.by import By
    element = row.find_element(By.CSS_SELECTOR, f'td[data-title^="{title}"]')
    inputs = element.find_elements(By.CSS_SELECTOR, 'input')
    return (inputs[0].get_attribute('value') if inputs
        else element.text).strip()


def attach_receipt(session, purpose):
    "Attach an image of the hotel's invoice to the claim's line"
    line, = one(session, 'dealer.expense.claim',
        [('description', '=', purpose)], ['lines'])['lines']
    # unique, as the same file is claimed once across the group
    data = PNG + purpose.encode()
    session.call('model.ir.attachment.create', [[{
                    'resource': f'dealer.expense.claim.line,{line}',
                    'name': '住宿发票.png',
                    'data': {'__class__': 'bytes',
                        'base64': base64.b64encode(data).decode()},
                    }]])


def test_claim_over_standard_submitted_then_approved(server, desktop):
    """张伟 files a hotel night of 468.50 in 杭州 (standard 400.00 a
    night): the line shows the standard and the 68.50 over it before he
    saves; with his reason he submits and reads 审批中; 李明 approves it
    from 待我审批 and the claim waits for the group leader's step over
    standard; the group leader and finance approve over JSON-RPC and the
    claim books the employee's payable of 468.50"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    zhang = rpc(server, SALESPERSON)
    today = company_today(zhang)
    purpose = f'杭州客户回访住宿（{random.randrange(10 ** 5, 10 ** 6)}）'
    excess = AMOUNT - STANDARD
    assert (STANDARD, excess) == (Decimal('400.00'), Decimal('68.50'))

    def claim(sao):
        sao.open_menu('经销商管理', '费用报销', '我的报销单')
        sao.find('button#new_').click()
        sao.quiet()  # the new claim's defaults are drawn
        form = sao.find('.form')
        enter(sao, lambda: entries(form, 'description', 'textarea'),
            purpose, 'the purpose')
        lines = sao.one2many('明细')
        sao.new_row(lines, 'category')
        sao.pick(lines, 'category', '住宿', HOTEL)
        sao.pick(lines, 'city', CITY, CITY)
        enter(sao, lambda: entries(lines, 'amount'), f'{AMOUNT}',
            'the amount')
        sao.quiet()
        # Before anything is saved, the line tells its standard and excess.
        sao.until(lambda d: cell(editing(lines), '超标准金额') == (
                f'{excess:,.2f}'), f'the line is {excess} over its standard')
        assert cell(editing(lines), '报销标准') == f'{STANDARD:,.2f}'
        enter(sao, lambda: entries(lines, 'over_standard_reason'), REASON,
            'the reason')
        sao.quiet()
        sao.snapshot('expense_claim_line')
        sao.find('button#save').click()
        sao.until(lambda d: sao.active('.infobar .alert-info'),
            'the claim is saved')
        # Above the company's 200.00 the line needs its receipt.  The web
        # client attaches files to the claim, not to one of its lines: the
        # hotel's invoice is attached to the line over JSON-RPC.
        attach_receipt(zhang, purpose)
        sao.find('button#reload').click()
        sao.idle()
        sao.until(lambda d: [r for r in lines.find_elements(
                    By.CSS_SELECTOR, 'tbody tr') if r.is_displayed()
                and cell(r, '票据') == '1'], 'the receipt is counted')
        sao.press('approval_submit')
        sao.until(lambda d: Select(sao.active('select[name=state]'))
            .first_selected_option.text == '审批中', 'the claim is submitted')
        sao.idle()
        sao.until(lambda d: sao.find('input[name=number]').get_attribute(
                'value'), 'the claim is numbered')
        assert sao.find('input[name=amount]').get_attribute('value') == (
            f'{AMOUNT:,.2f}')
        assert sao.find('input[name=standard_excess]').get_attribute(
            'value') == f'{excess:,.2f}'
        sao.snapshot('expense_claim_submitted_state')
        # The approvers listed under the claim show their logins: codes
        allowed = Sao.ALLOWED + tuple(MANAGER.split('_'))
        assert not sao.english(allowed), sao.english(allowed)
        sao.driver.execute_script('arguments[0].scrollIntoView()',
            sao.find('input[name=number]'))
        sao.snapshot('expense_claim_submitted')
    run(scene(desktop, server, SALESPERSON, 'expense_claim_failure'), claim)

    record = one(zhang, 'dealer.expense.claim',
        [('description', '=', purpose)],
        ['number', 'state', 'approval_state', 'approval_approvers', 'date',
            'amount', 'standard_excess', 'lines'])
    assert (record['state'], record['approval_state']) == (
        'waiting', 'waiting')
    assert record['number'].startswith('BX-SH-')  # 上海's numbering
    assert date(record['date']) == today
    assert decimal(record['amount']) == AMOUNT
    assert decimal(record['standard_excess']) == excess
    line, = zhang.call('model.dealer.expense.claim.line.read', [
            record['lines'], ['date', 'category.name', 'city.name',
                'quantity', 'amount', 'standard_amount', 'standard_excess',
                'reimbursed_amount', 'over_standard_reason']])
    assert date(line['date']) == today
    assert (line['category.']['name'], line['city.']['name'],
        line['quantity'], line['over_standard_reason']) == (
        HOTEL, CITY, 1, REASON)
    assert [decimal(line[f]) for f in ['amount', 'standard_amount',
                'standard_excess', 'reimbursed_amount']] == [
        AMOUNT, STANDARD, excess, AMOUNT]
    # His supervisor decides first.
    manager = rpc(server, MANAGER)
    assert record['approval_approvers'] == [manager.user_id]

    comment = '情况属实，同意报销'

    def approve(sao):
        sao.open_menu('经销商管理', '审批', '待我审批')
        # Who asks, for what and how much
        row = sao.until(lambda d: [r for r in rows(sao, f'张伟 · {purpose}')
                if f'{AMOUNT:,.2f}' in r.text],
            'the claim is listed with its amount')[0]
        button = row.find_element(By.CSS_SELECTOR, 'button[name=approve]')
        assert sao.in_viewport(button), 'approve is off the screen'
        sao.snapshot('expense_approval_list')
        assert not sao.english(), sao.english()
        button.click()
        summary = sao.until(lambda d: [e for e in d.find_elements(
                    By.CSS_SELECTOR, '.modal.in textarea[name=summary]')
                if e.is_displayed()], 'the approval dialog opens')[0]
        assert f'¥{AMOUNT:,.2f}' in summary.get_attribute('value')
        sao.approve_in_dialog(comment, 'expense_approval_dialog')
    run(scene(desktop, server, MANAGER, 'expense_approval_failure'), approve)

    # Over standard, the group leader's step comes next.
    boss = rpc(server, BOSS)
    record = one(zhang, 'dealer.expense.claim', [('id', '=', record['id'])],
        ['state', 'approval_step.name', 'approval_approvers',
            'approval_request'])
    assert record['state'] == 'waiting'
    assert record['approval_step.']['name'] == OVER_STANDARD_STEP
    assert record['approval_approvers'] == [boss.user_id]
    log, = manager.call('model.dealer.approval.log.search_read', [[
                ('document', '=', f'dealer.expense.claim,{record["id"]}'),
                ('action', '=', 'approve')], 0, None, None,
            ['comment', 'user']])
    assert (log['comment'], log['user']) == (comment, manager.user_id)
    # The group leader, then finance approve: the payable is booked.
    for session in [boss, rpc(server, FINANCE)]:
        session.call('model.dealer.approval.request.decide',
            [[record['approval_request']], 'approve', None])
    record = one(zhang, 'dealer.expense.claim', [('id', '=', record['id'])],
        ['state', 'invoice'])
    assert record['state'] == 'approved'
    payable = one(rpc(server, FINANCE), 'account.invoice',
        [('id', '=', record['invoice'])],
        ['type', 'state', 'party.name', 'total_amount'])
    assert (payable['type'], payable['state'], payable['party.']['name']) == (
        'in', 'posted', '张伟')
    assert decimal(payable['total_amount']) == AMOUNT
