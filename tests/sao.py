"""Driving the sao web client in a test, as a user would: wait for what he
waits for, fail at once with the text of an error dialog or a JavaScript
error, keep screenshots of the steps (tests/artifacts/<name>.png)."""
import json

from test_browser import ARTIFACTS, WAIT, login, save_artifacts


def javascript_errors(console):
    return [e.get('message', e) for e in console
        if (e.get('level') == 'SEVERE' and e.get('source') == 'javascript')
        or 'error' in e]


def scene(driver, server, user, failure_name):
    """A Sao of the user in a browser that may have served another login,
    that login forgotten; on failure its screen is kept as failure_name"""
    if driver.current_url.startswith('http'):
        # sao asks before leaving open tabs, and keeps the session
        driver.execute_script('window.onbeforeunload = null;'
            'localStorage.clear(); sessionStorage.clear();')
        driver.delete_all_cookies()
    sao = Sao(driver, server, user)
    sao.failure_name = failure_name
    return sao


class Sao:
    "One login's web client in one browser"

    def __init__(self, driver, server, user):
        from selenium.common.exceptions import (
            NoSuchElementException, StaleElementReferenceException)
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver, self.server, self.user = driver, server, user
        self.console = []
        # sao redraws widgets when a record changes: look elements up again.
        self.wait = WebDriverWait(driver, WAIT, ignored_exceptions=(
                NoSuchElementException, StaleElementReferenceException))

    def login(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        login(self.driver, self.wait, self.server, self.user,
            self.server.password)
        self.wait.until(EC.invisibility_of_element_located(
                (By.CSS_SELECTOR, '.login-dialog')))
        self.wait.until(EC.visibility_of_element_located((By.ID, 'menu')))
        # sao loads the user's language after the menu may show: a tab
        # opened before would keep sao's English words.
        self.wait.until(lambda d: d.execute_script(
                "return Sao.i18n.gettext('Duplicate') != 'Duplicate';"))
        self.idle()

    def drain(self):
        "Keep the browser console (reading it empties it); its errors"
        try:
            self.console.extend(self.driver.get_log('browser'))
        except Exception as e:
            self.console.append({'error': f'console log unavailable: {e}'})
        return javascript_errors(self.console)

    def snapshot(self, name):
        self.drain()
        save_artifacts(self.driver, name)
        (ARTIFACTS / f'{name}.console.json').write_text(json.dumps(
                self.console, ensure_ascii=False, indent=1), encoding='utf-8')

    def active(self, css):
        "The element of the active tab matching css, now"
        from selenium.webdriver.common.by import By
        return self.driver.find_element(
            By.CSS_SELECTOR, f'#tabcontent .tab-pane.active {css}')

    def find(self, css):
        "The displayed element of the active tab matching css, waited for"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        return self.wait.until(EC.visibility_of_element_located((
                    By.CSS_SELECTOR, f'#tabcontent .tab-pane.active {css}')))

    def one2many(self, title):
        """The list field (One2Many or Many2Many) of the active form titled
        title, waited for and scrolled to (sao draws a list's rows when it
        is on the screen)"""
        from selenium.webdriver.common.by import By
        element = self.until(lambda d: [e for e in d.find_elements(
                    By.CSS_SELECTOR, '#tabcontent .tab-pane.active '
                    ':is(.form-one2many, .form-many2many)')
                if e.is_displayed() and title in e.find_element(
                    By.CSS_SELECTOR, ':is(.form-one2many-menu, '
                    '.form-many2many-menu)').get_attribute('textContent')],
            f'the list {title} shows')[0]
        self.driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"})', element)
        return element

    def dialog_text(self):
        """The text of the error or warning the client shows, if any (a
        dialog holding a form is a wizard's, not a message)"""
        from selenium.webdriver.common.by import By
        for css in ('.modal.in .modal-body',
                '#tabcontent .tab-pane.active .infobar .alert-error',
                '#tabcontent .tab-pane.active .infobar .alert-warning'):
            for element in self.driver.find_elements(By.CSS_SELECTOR, css):
                if (element.is_displayed() and element.text.strip()
                        and not element.find_elements(
                            By.CSS_SELECTOR, '.form')):
                    return element.text.strip()

    def until(self, condition, what, errors=True):
        """Wait for condition(driver); with errors, an error dialog or
        message of the web client fails at once, with its text."""
        from selenium.common.exceptions import TimeoutException

        def check(driver):
            failures = self.drain()
            if failures:
                raise AssertionError(f'{what}: the web client failed: '
                    + '; '.join(map(str, failures)))
            if errors:
                text = self.dialog_text()
                if text:
                    raise AssertionError(
                        f'{what}: the web client says "{text}"')
            return condition(driver)
        try:
            return self.wait.until(check)
        except TimeoutException:
            raise AssertionError(f'{what}: not within {WAIT}s') from None

    def idle(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        self.wait.until(EC.invisibility_of_element_located(
                (By.ID, 'processing')))

    def quiet(self):
        """Wait until the web client has no call to the server in flight
        (sao calls through jQuery.ajax): a row redrawn by an on_change
        answer would lose what is typed into it meanwhile"""
        self.until(lambda d: d.execute_script('return jQuery.active') == 0,
            'the server answered')

    def open_menu(self, *path):
        "Expand the menu folders of path and open its last entry"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        def entry(name):
            assert "'" not in name
            return ("//div[@id='menu']//div[contains(@class, 'column-char')]"
                f"[@title='{name}']")
        for folder in path[:-1]:
            element = self.wait.until(EC.visibility_of_element_located(
                    (By.XPATH, entry(folder))))
            row = element.find_element(By.XPATH, './ancestor::tr[1]')
            if 'expanded' not in (row.get_attribute('class') or ''):
                expanders = row.find_elements(
                    By.XPATH, ".//span[contains(@class, 'expander')]")
                # sao expands a folder by its expander (or a click on it)
                (expanders[0] if expanders else element).click()
        self.wait.until(EC.element_to_be_clickable(
                (By.XPATH, entry(path[-1])))).click()
        self.until(lambda d: path[-1] in d.find_element(By.CSS_SELECTOR,
                '#tabcontent .tab-pane.active .title').get_attribute(
                'title'), f'{" / ".join(path)} opens')
        self.idle()

    def open_record(self, model, record_id):
        "Open the record's form in a tab, as a link to it would"
        from selenium.webdriver.common.by import By
        self.driver.execute_script(
            'window.location.hash = arguments[0];',
            f'#{self.server.database}/model/{model}/{record_id}')
        self.until(lambda d: d.find_elements(By.CSS_SELECTOR,
                '#tabcontent .tab-pane.active .form'),
            f'{model},{record_id} opens')
        self.idle()

    def button(self, name):
        "The displayed button of the active tab's form named name, or None"
        from selenium.webdriver.common.by import By
        for element in self.driver.find_elements(By.CSS_SELECTOR,
                f'#tabcontent .tab-pane.active button[name={name}]'):
            if element.is_displayed():
                return element

    def new_row(self, container, field):
        """Add a row to container (an editable list field) and wait until
        its field can be filled and its defaults are drawn"""
        from selenium.webdriver.common.by import By
        container.find_element(By.CSS_SELECTOR,
            '.form-one2many-toolbar button[title="新建"]').click()

        def editing(driver):
            shown = [e for e in container.find_elements(
                    By.CSS_SELECTOR, f'input[name={field}]')
                if e.is_displayed()]
            if not shown and not driver.execute_script(
                    'return jQuery.active'):
                # A redraw (the new row's on_change) may end its edition
                # before the user types: a click on it edits it again.
                for cell in container.find_elements(By.CSS_SELECTOR,
                        'tbody tr.selected td.editable'):
                    if cell.is_displayed():
                        cell.click()
                        break
            return shown
        self.until(editing, 'a new row to fill')
        self.quiet()

    def pick(self, container, field, typed, name):
        """Type into the Many2One field of the row being edited in
        container (a list field) and pick name, the one record offered"""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        entry, = [e for e in container.find_elements(
                By.CSS_SELECTOR, f'input[name={field}]') if e.is_displayed()]
        self.until(lambda d: entry.click() or d.switch_to.active_element
            == entry, f'{field} has the focus')
        entry.send_keys(typed)
        # The row may be low in its panel, which may clip the offers (then
        # Selenium reads no text and cannot click): read their content and
        # pick the first by keyboard, as a user may.
        offers = entry.find_element(By.XPATH,
            "./ancestor::div[contains(@class, 'dropdown')][1]")
        self.until(lambda d: [a.get_attribute('textContent').strip()
                for a in offers.find_elements(By.CSS_SELECTOR,
                    'li.completion a')] == [name], f'{name} is offered')
        entry.send_keys(Keys.DOWN)
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)

    def press(self, name):
        "Press the form's button named name, seen in the viewport"
        button = self.until(lambda d: self.button(name),
            f'the button {name} shows')
        self.driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"})', button)
        self.until(lambda d: button.is_enabled(), f'{name} can be pressed')
        button.click()

    def approve_in_dialog(self, comment, snapshot):
        """In the approval dialog open (审批): the comment, a screenshot
        named snapshot, then approve and wait until the dialog closes"""
        from selenium.webdriver.common.by import By
        self.until(lambda d: [e for e in d.find_elements(By.CSS_SELECTOR,
                    '.modal.in textarea[name=comment]') if e.is_displayed()],
            'the comment can be entered')[0].send_keys(comment)
        self.snapshot(snapshot)
        self.driver.find_element(By.CSS_SELECTOR,
            '.modal.in .modal-footer button[title="审批通过"]').click()
        self.until(lambda d: not d.find_elements(By.CSS_SELECTOR,
                '.modal.in'), 'the dialog closes')
        self.idle()

    # Codes and names that are no words: the currency, file formats, the
    # EU's VAT register that Tryton's party form offers to check.
    ALLOWED = ('CNY', 'URL', 'XML', 'CSV', 'PDF', 'VIES')

    def english(self, allowed=ALLOWED):
        """The Latin words (three letters or more) of the text on the
        screen and in the active tab's menus, that are not in allowed"""
        import re
        text = self.driver.execute_script('''
            return document.body.innerText + ' ' + Array.from(
                document.querySelectorAll(
                    '#tabcontent .tab-pane.active .dropdown-menu'))
                .map(e => e.textContent).join(' ');''')
        return sorted({w for w in re.findall(r'[A-Za-z]{3,}', text)
                if w not in allowed})

    def in_viewport(self, element):
        "Whether the element is wholly on the screen, without scrolling"
        return self.driver.execute_script('''
            const r = arguments[0].getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.top >= 0
                && r.right <= window.innerWidth
                && r.bottom <= window.innerHeight;''', element)
