"""The sao web client in headless Chromium: a salesperson logs in and opens
the dealer menu's customer list.

Uses Debian's ``chromium`` and ``chromium-driver`` packages, given to
Selenium explicitly so that Selenium Manager never downloads a browser or a
driver.  Without them the test is skipped, except on CI (CI=true), where it
fails.  Screenshot, page source and browser console go to tests/artifacts/.
"""
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / 'artifacts'

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
WAIT = 30  # seconds, for any one step of the web client

LOGIN = 'sales_zhang'
USER_NAME = '张伟'
MENU_DEALER = '经销商管理'             # "Dealer" in zh_CN
MENU_CUSTOMERS = '客户与联系人'        # "Customers and Contacts"
CUSTOMER = '上海宏达土石方工程有限公司'

pytestmark = pytest.mark.browser


@pytest.fixture(scope='session')
def chromium():
    """Chromium and chromedriver from Debian, or skip (fail on CI)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER)
        if not (os.path.isfile(p) and os.access(p, os.X_OK))]
    if missing:
        reason = (f'{" and ".join(missing)} not found: install Debian\'s '
            'packages with `apt-get install -y chromium chromium-driver`')
        if os.environ.get('CI') == 'true':
            pytest.fail(f'browser test cannot run on CI: {reason}',
                pytrace=False)
        pytest.skip(reason)
    if shutil.which('fc-list'):
        fonts = subprocess.run(['fc-list', ':lang=zh', 'family'],
            capture_output=True, text=True).stdout
        if not fonts.strip():
            warnings.warn('no Chinese font is installed (e.g. Debian\'s '
                'fonts-noto-cjk): the screenshots show boxes instead of '
                'Chinese text', stacklevel=1)
    return CHROMIUM, CHROMEDRIVER


def chromium_options(binary, profile, window_size='1280,900',
        mobile_emulation=None):
    """Headless Chromium's options: no network of its own, a throw-away
    profile, the browser console kept; mobile_emulation is Chrome's option
    of that name (device metrics, user agent) for a phone-sized client."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in [
            '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-dev-shm-usage',
            f'--window-size={window_size}',
            f'--user-data-dir={profile}']:
        options.add_argument(argument)
    if mobile_emulation:
        options.add_experimental_option('mobileEmulation', mobile_emulation)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return options


@contextlib.contextmanager
def start_chromium(chromium, log_name='chromedriver.log', **options):
    """A Chrome WebDriver on Debian's chromium and chromedriver, quit at the
    end; chromedriver logs to tests/artifacts/<log_name>; options as
    chromium_options()."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = chromium
    with tempfile.TemporaryDirectory(prefix='dealer-e2e-chromium-') as profile:
        service = Service(executable_path=driver_path,
            log_output=str(ARTIFACTS / log_name))
        browser = webdriver.Chrome(service=service,
            options=chromium_options(binary, profile, **options))
        try:
            yield browser
        finally:
            browser.quit()


def browser_per_module(log_name, **options):
    """A fixture: one browser (start_chromium's, with log_name and options)
    for all the scenes of a test file"""
    @pytest.fixture(scope='module')
    def browser(chromium):
        with start_chromium(chromium, log_name=log_name, **options) as driver:
            yield driver
    return browser


@pytest.fixture
def driver(chromium):
    with start_chromium(chromium) as browser:
        yield browser


def save_artifacts(driver, name):
    """Screenshot, page source and browser console (which reading empties)
    as tests/artifacts/<name>.*; returns the console entries."""
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f'{name}.png'))
    (ARTIFACTS / f'{name}.html').write_text(
        driver.page_source, encoding='utf-8')
    try:
        console = driver.get_log('browser')
    except Exception as e:
        console = [{'error': f'console log unavailable: {e}'}]
    (ARTIFACTS / f'{name}.console.json').write_text(
        json.dumps(console, ensure_ascii=False, indent=1), encoding='utf-8')
    return console


def xpath_literal(text):
    assert "'" not in text
    return f"'{text}'"


def login(driver, wait, server, login, password):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver.get(server.base_url)
    wait.until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, '.login-dialog input#login')))

    # sao lists the databases (common.db.list) and then shows a read-only
    # input when there is one, a select when there are several, and an
    # editable input when listing is refused ([database] list = False).
    def database_widget(driver):
        for css in ('.login-dialog select#database',
                '.login-dialog input#database'):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed():
                    return element
        return False
    # A submit can be lost while the dialog is still fading in or the
    # database list is being refilled (sao then marks an empty field and
    # stays on the dialog): fill and submit again, a few times.
    for attempt in range(3):
        database = wait.until(database_widget)
        if database.tag_name == 'select':
            Select(database).select_by_value(server.database)
        elif database.get_attribute('readonly') is not None:
            assert database.get_attribute('value') == server.database
        else:
            database.clear()
            database.send_keys(server.database)

        user = driver.find_element(
            By.CSS_SELECTOR, '.login-dialog input#login')
        user.clear()
        user.send_keys(login)
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR,
                    '.login-dialog button[type=submit]'))).click()

        def asked_or_refused(driver):
            for element in driver.find_elements(By.CSS_SELECTOR,
                    '.ask-dialog input#ask-dialog-entry'):
                if element.is_displayed():
                    return element
            if driver.find_elements(
                    By.CSS_SELECTOR, '.login-dialog .has-error'):
                return 'refused'
            return False
        try:
            entry = WebDriverWait(driver, WAIT).until(asked_or_refused)
        except TimeoutException:
            entry = None
        if entry not in (None, 'refused'):
            break
        if attempt == 2:
            raise AssertionError(
                f'login of {login}: the password was never asked')
    assert entry.get_attribute('type') == 'password'
    entry.send_keys(password)
    driver.find_element(
        By.CSS_SELECTOR, '.ask-dialog .modal-footer button.btn-primary'
        ).click()


def test_salesperson_opens_dealer_customer_list(chromium, server, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    for stale in ARTIFACTS.glob('web_client_failure.*'):
        stale.unlink()
    wait = WebDriverWait(driver, WAIT)
    try:
        login(driver, wait, server, LOGIN, server.password)

        # The menu, in the user's language (zh_CN).
        dealer = wait.until(EC.visibility_of_element_located((By.XPATH,
                    "//div[@id='menu']//div[contains(@class, 'column-char')]"
                    f"[@title={xpath_literal(MENU_DEALER)}]")))
        wait.until(EC.invisibility_of_element_located(
                (By.CSS_SELECTOR, '.login-dialog')))
        assert USER_NAME in driver.find_element(
            By.CSS_SELECTOR, 'nav').text

        # Expand "经销商管理" and open its child "客户与联系人".
        dealer.find_element(
            By.XPATH, "./ancestor::tr[1]//span[contains(@class, 'expander')]"
            ).click()
        customers = wait.until(EC.element_to_be_clickable((By.XPATH,
                    "//div[@id='menu']//div[contains(@class, 'column-char')]"
                    f"[@title={xpath_literal(MENU_CUSTOMERS)}]")))
        customers.click()

        # The list of parties opens in a tab, with the demo customer.
        row = wait.until(EC.visibility_of_element_located((By.XPATH,
                    "//div[@id='tabcontent']//table//tbody/tr"
                    "[.//div[contains(@class, 'column-char')]"
                    f"[@title={xpath_literal(CUSTOMER)}]]")))
        wait.until(EC.invisibility_of_element_located(
                (By.ID, 'processing')))
        save_artifacts(driver, 'web_client_dealer_menu')
    except Exception:
        save_artifacts(driver, 'web_client_failure')
        raise

    assert row.is_displayed()
    assert CUSTOMER in row.text
    tab = driver.find_element(By.CSS_SELECTOR, '#tablist li.active')
    assert MENU_CUSTOMERS in tab.text
    names = [e.get_attribute('title') for e in driver.find_elements(By.XPATH,
            "//div[@id='tabcontent']//table//tbody/tr"
            "//td[starts-with(@data-title, '名称')]"
            "//div[contains(@class, 'column-char')]")]
    assert CUSTOMER in names
    # 刘洋's customer is not 张伟's to see.
    assert '苏州建工机械租赁有限公司' not in names
