"""R-CRM-06 / R-ALL-01 on a phone: a salesperson logs a visit in the sao web
client on a 390×844 screen, in a few steps.

Chromium emulates the phone (Chrome's mobileEmulation: 390×844 CSS pixels,
pixel ratio 3, touch, a mobile user agent), so sao lays itself out as on a
phone: the menu and the tabs take the whole width in turn, the hamburger in
the navigation bar shows the menu again.  张伟 (sales_zhang, zh_CN) opens
经销商管理 → 拜访跟进, creates a visit of his customer by telephone, saves it
and presses 完成; the test then checks over XML-RPC what the server kept and
who sees it.

Same requirements as test_browser.py (Debian's chromium and
chromium-driver, skipped without them except on CI).  A JavaScript error or
an error dialog of the web client fails the test at once, with its text.
Screenshots of the key steps (mobile_visit_list, _form, _done, or _failure),
page sources and the browser console go to tests/artifacts/.
"""
import json
import uuid
import xmlrpc.client

import pytest

from test_browser import (  # noqa: F401  (chromium is a fixture)
    ARTIFACTS, WAIT, chromium, login, save_artifacts, start_chromium,
    xpath_literal)
from test_rpc import xmlrpc_proxy

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
MOBILE_EMULATION = {
    'deviceMetrics': {
        'width': WIDTH, 'height': HEIGHT, 'pixelRatio': 3, 'touch': True},
    'userAgent': ('Mozilla/5.0 (Linux; Android 14; Pixel 8) '
        'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 '
        'Mobile Safari/537.36'),
    }

SALESPERSON = 'sales_zhang'
SALESPERSON_NAME = '张伟'
OTHER_SALESPERSON = 'sales_liu'          # 刘洋, same company
MENU_DEALER = '经销商管理'                # "Dealer"
MENU_VISITS = '拜访跟进'                  # "Visits and Follow-ups"
CUSTOMER = '上海宏达土石方工程有限公司'   # 张伟's customer in the demo
CUSTOMER_TYPED = '宏达'                   # what he types in the field
CHANNEL = '电话'                          # "Phone Call"
NEXT_ACTION = '安排看机'
STATE_DONE = '已完成'                     # state "Done"
BUTTON_DONE = '完成'                      # button "Done"


@pytest.fixture
def phone(chromium):
    with start_chromium(chromium, log_name='chromedriver_mobile.log',
            window_size=f'{WIDTH},{HEIGHT}',
            mobile_emulation=MOBILE_EMULATION) as browser:
        yield browser


def javascript_errors(console):
    return [e.get('message', e) for e in console
        if (e.get('level') == 'SEVERE' and e.get('source') == 'javascript')
        or 'error' in e]


def test_salesperson_logs_a_visit_on_a_phone(chromium, server, phone):
    from selenium.common.exceptions import (
        NoSuchElementException, StaleElementReferenceException,
        TimeoutException)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = phone
    # Unique in the database, also when the suite runs on a kept PostgreSQL.
    summary = f'电话回访：客户确认下周看机（{uuid.uuid4().hex[:6]}）'
    for stale in ARTIFACTS.glob('mobile_visit_*'):
        stale.unlink()
    # sao redraws widgets when a record changes: look elements up again.
    wait = WebDriverWait(driver, WAIT, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException))
    console = []

    def drain():
        "Keep the browser console (reading it empties it)"
        try:
            console.extend(driver.get_log('browser'))
        except Exception as e:
            console.append({'error': f'console log unavailable: {e}'})
        return javascript_errors(console)

    def snapshot(name):
        drain()
        save_artifacts(driver, name)
        (ARTIFACTS / f'{name}.console.json').write_text(json.dumps(
                console, ensure_ascii=False, indent=1), encoding='utf-8')

    def active(css):
        "The element of the active tab matching css, now"
        return driver.find_element(
            By.CSS_SELECTOR, f'#tabcontent .tab-pane.active {css}')

    def find(css):
        "The displayed element of the active tab matching css, waited for"
        return wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR,
                    f'#tabcontent .tab-pane.active {css}')))

    def until(condition, what):
        """Wait for condition(driver); an error dialog or message of the web
        client fails at once, with its text."""
        def check(driver):
            errors = drain()
            if errors:
                raise AssertionError(f'{what}: the web client failed: '
                    + '; '.join(map(str, errors)))
            for css in ('.modal.in .modal-body',
                    '#tabcontent .tab-pane.active .infobar .alert-error',
                    '#tabcontent .tab-pane.active .infobar .alert-warning'):
                for element in driver.find_elements(By.CSS_SELECTOR, css):
                    if element.is_displayed() and element.text.strip():
                        raise AssertionError(
                            f'{what}: the web client says '
                            f'"{element.text.strip()}"')
            return condition(driver)
        try:
            return wait.until(check)
        except TimeoutException:
            raise AssertionError(f'{what}: not within {WAIT}s') from None

    def idle():
        wait.until(EC.invisibility_of_element_located((By.ID, 'processing')))

    try:
        login(driver, wait, server, SALESPERSON, server.password)
        wait.until(EC.invisibility_of_element_located(
                (By.CSS_SELECTOR, '.login-dialog')))
        # The page really is phone-sized, and sao lays out for a phone.
        assert driver.execute_script(
            'return [window.innerWidth, window.innerHeight]') == [
            WIDTH, HEIGHT]
        assert 'Mobile' in driver.execute_script(
            'return navigator.userAgent')

        # The menu: on a phone sao shows either the menu or the tabs; the
        # hamburger in the navigation bar brings the menu back.
        menu = driver.find_element(By.ID, 'menu')
        if not menu.is_displayed():
            driver.find_element(
                By.CSS_SELECTOR, 'nav .navbar-brand[data-toggle=menu]'
                ).click()
        dealer = wait.until(EC.visibility_of_element_located((By.XPATH,
                    "//div[@id='menu']//div[contains(@class, 'column-char')]"
                    f"[@title={xpath_literal(MENU_DEALER)}]")))
        visits_xpath = (
            "//div[@id='menu']//div[contains(@class, 'column-char')]"
            f"[@title={xpath_literal(MENU_VISITS)}]")
        if not any(e.is_displayed()
                for e in driver.find_elements(By.XPATH, visits_xpath)):
            dealer.find_element(By.XPATH,
                "./ancestor::tr[1]//span[contains(@class, 'expander')]"
                ).click()
        wait.until(EC.element_to_be_clickable((By.XPATH, visits_xpath))
            ).click()

        # The list of visits opens full-width, the menu out of the way.
        until(lambda d: active('button#new_').is_displayed(),
            f'the list of {MENU_VISITS} opens')
        idle()
        assert not menu.is_displayed()
        assert MENU_VISITS in driver.find_element(By.CSS_SELECTOR,
            '#tabcontent .tab-pane.active .title').get_attribute('title')
        snapshot('mobile_visit_list')

        # A new visit.
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR,
                    '#tabcontent .tab-pane.active button#new_'))).click()
        customer = find('input[name=customer]')
        customer.click()
        customer.send_keys(CUSTOMER_TYPED)
        until(EC.element_to_be_clickable((By.XPATH,
                    "//div[@id='tabcontent']"
                    "//ul[contains(@class, 'dropdown-completion')]"
                    "/li[contains(@class, 'completion')]/a"
                    f"[normalize-space()={xpath_literal(CUSTOMER)}]")),
            f'{CUSTOMER} is offered when typing {CUSTOMER_TYPED}').click()
        until(lambda d: active('input[name=customer]').get_attribute('value')
            == CUSTOMER, f'{CUSTOMER} is chosen')
        find('select[name=channel]')
        until(lambda d: Select(active('select[name=channel]')
                ).select_by_visible_text(CHANNEL) or Select(
                active('select[name=channel]')).first_selected_option.text
            == CHANNEL, f'{CHANNEL} is chosen')
        find('textarea[name=summary]').send_keys(summary)
        find('input[name=next_action]').send_keys(NEXT_ACTION)
        find('input[name=next_action]').click()  # leave the text area
        # Every field of the form fits the phone's width.
        overflowing = driver.execute_script('''
            return Array.from(document.querySelectorAll(
                    '#tabcontent .tab-pane.active .tab-form '
                    + ':is(input, select, textarea)[name]'))
                .filter(e => e.offsetParent !== null)
                .filter(e => e.getBoundingClientRect().right
                    > window.innerWidth + 1)
                .map(e => e.name || e.type);''')
        assert not overflowing, (
            f'form fields wider than the {WIDTH}px screen: {overflowing}')
        snapshot('mobile_visit_form')

        find('button#save').click()
        until(EC.visibility_of_element_located((By.CSS_SELECTOR,
                    '#tabcontent .tab-pane.active .infobar .alert-info')),
            'the visit is saved')
        idle()

        # 完成 (Done) at the bottom of the form.
        done = find('button[name=done]')
        assert BUTTON_DONE in done.text
        driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"})', done)
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR,
                    '#tabcontent .tab-pane.active button[name=done]'))
            ).click()
        until(lambda d: Select(active('select[name=state]')
                ).first_selected_option.text == STATE_DONE,
            f'the visit is {STATE_DONE}')
        idle()
        wait.until(lambda d: not [e for e in d.find_elements(By.CSS_SELECTOR,
                    '#tabcontent .tab-pane.active button[name=done]')
                if e.is_displayed()])
        summary_area = find('textarea[name=summary]')
        assert summary_area.get_attribute('value') == summary
        assert not summary_area.is_enabled() or summary_area.get_attribute(
            'readonly') is not None
        driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"})',
            find('select[name=state]'))
        snapshot('mobile_visit_done')

        # The hamburger brings the menu back, in place of the form.
        driver.find_element(
            By.CSS_SELECTOR, 'nav .navbar-brand[data-toggle=menu]').click()
        wait.until(EC.visibility_of(menu))
        wait.until(EC.invisibility_of_element_located(
                (By.ID, 'tabcontent')))
    except Exception as exc:
        snapshot('mobile_visit_failure')
        errors = javascript_errors(console)
        if errors and not isinstance(exc, AssertionError):
            raise AssertionError(f'{exc}\nJavaScript errors in the web '
                'client:\n' + '\n'.join(map(str, errors))) from exc
        raise
    assert not drain(), javascript_errors(console)

    # What the server kept, seen by 张伟 over XML-RPC.
    zhang = xmlrpc_proxy(server, SALESPERSON)
    context = zhang.model.res.user.get_preferences(True, {})
    assert context['employee.rec_name'] == SALESPERSON_NAME
    visit, = zhang.model.dealer.visit.search_read(
        [['summary', '=', summary]], 0, None, None,
        ['customer', 'customer.rec_name', 'channel', 'state', 'owner',
            'next_action', 'company'], context)
    assert visit['state'] == 'done'
    assert visit['owner'] == context['employee']
    assert visit['customer.']['rec_name'] == CUSTOMER
    assert visit['channel'] == 'phone'
    assert visit['next_action'] == NEXT_ACTION
    assert visit['company'] == context['company']

    # Done, the visit is on the customer's timeline.
    events = zhang.model.dealer.customer.event.search_read(
        [['customer', '=', visit['customer']], ['kind', '=', 'visit']],
        0, None, None, ['summary', 'origin'], context)
    mine = [e for e in events if summary in e['summary']]
    assert len(mine) == 1, events
    assert mine[0]['origin'] == f'dealer.visit,{visit["id"]}'

    # 刘洋, another salesperson of the company, does not see it.
    liu = xmlrpc_proxy(server, OTHER_SALESPERSON)
    liu_context = liu.model.res.user.get_preferences(True, {})
    assert liu.model.dealer.visit.search(
        [['summary', '=', summary]], 0, None, None, liu_context) == []
    assert visit['id'] not in liu.model.dealer.visit.search(
        [], 0, None, None, liu_context)
    with pytest.raises(xmlrpc.client.Fault):
        liu.model.dealer.visit.read([visit['id']], ['summary'], liu_context)
    assert liu.model.dealer.customer.event.search(
        [['summary', 'like', f'%{summary}%']], 0, None, None,
        liu_context) == []
