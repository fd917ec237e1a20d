"""R-ALL-02: no English is left on the screens a user reaches (issue 13).

As each demo login (one per standard position), in the user's own language
(zh_CN, checked), the test walks what the web client would fetch — over
JSON-RPC, with the user's session and the context the client sends:

* every menu the user sees (ir.ui.menu) and the action behind it, got the
  way the client does (ir.action.keyword.get_keyword "tree_open"): the
  action's name and the names of its tabs (act_window domains);
* for every model those actions open: each view of the action
  (fields_view_get of form, tree, graph, calendar, board …), the views of
  the one2many/many2many fields of those forms (their view_ids and modes,
  as the client opens them), the context form of the action
  (context_model), the actions of a board and of the links of a form (the
  buttons with counts), and the model's toolbar (print, action, relate and
  e-mail entries; relate actions are walked as menu actions are);
* the strings of each view architecture: string, help, confirm and sum
  attributes (pages, groups, labels, separators, buttons, columns …);
* fields_get of every model reached: field labels, help texts, selection
  values and their help; and the names of these models (ir.model);
* as admin: the dialogs of the wizards (the form views of the models that
  store nothing), and every ir.message text — the messages of our modules
  and of every official module they activate.

A zh_CN string that holds Latin letters and equals its English source, or
that is empty while the source is not, is an offender, unless the source is
in ALLOWED (codes, units, standards and product names, each with its reason)
or the field is in UNTRANSLATABLE_SELECTIONS (selections Tryton itself never
translates).  The source is got by the same call with the language "en",
made only when a string holds no Chinese (a string with Chinese characters
cannot equal an English source).

Nothing is listed by hand: menus, actions, models and views are enumerated
at run time, so a new module or screen is covered at once.  What does not
depend on the login (a view, a model's fields, a toolbar, an action) is
fetched once per language and reused for the next logins.  The figures are
printed on stderr (pytest -s, or the captured output of a failure).

Fix an offender in the po files — our modules' locale/zh_CN.po, and for the
official modules the overrides in locale/override/zh_CN.po (see
docs/glossary.md and scripts/translations.py --help) — never by widening
ALLOWED.
"""
import base64
import gzip
import http.client
import json
import re
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree

from demo.staff import USERS  # scripts/, on sys.path by conftest.py

LANG = 'zh_CN'
PRODUCT_NAME = '经销商管理系统'
CUSTOM_JS = Path(__file__).resolve().parent.parent / 'config' / 'web' / (
    'custom.js')

# Sources that stay as they are in Chinese, with the reason: codes, units,
# standards, protocols and product names that Chinese software writes in
# Latin letters (docs/glossary.md).  Genuine codes and units only.
ALLOWED = {
    'ID': 'record identifier, written ID in Chinese software too',
    'XML ID': 'technical identifier of a record (the record information '
    'dialog)',
    'UUID': 'technical identifier',
    'URL': 'technical term written as is',
    'REST API': 'technical term written as is',
    'PDF': 'file format',
    'CSV': 'file format',
    'XML': 'file format',
    'JSON': 'file format',
    'HTML': 'file format',
    'XHTML': 'file format',
    'ODT': 'file format',
    'ODS': 'file format',
    'SMTP': 'protocol name',
    'LDAP': 'protocol name',
    'TOTP': 'protocol name',
    'SIP': 'protocol name',
    'IRC': 'protocol name',
    'Jabber': 'protocol name',
    'Skype': 'product name',
    'IBAN': 'bank account standard',
    'BIC': 'bank identifier standard',
    'SEPA': 'payment scheme name',
    'EAN': 'barcode standard',
    'EAN8': 'barcode standard',
    'EAN13': 'barcode standard',
    'UPC-A': 'barcode standard',
    'UPC-E': 'barcode standard',
    'ISBN': 'book number standard',
    'ISSN': 'serial number standard',
    'ISMN': 'music number standard',
    'ISAN': 'audiovisual number standard',
    'ISIN': 'securities number standard',
    'GTIN': 'trade item number standard',
    'ASIN': 'Amazon product number',
    'UNSPSC': 'product classification standard',
    'CNY': 'currency code',
    'USD': 'currency code',
    'EUR': 'currency code',
    'Tryton': 'name of the framework',
    }
# Selections whose values Tryton never translates (translate=False or
# technical names): the values are codes or names of formats.
UNTRANSLATABLE_SELECTIONS = {
    'company.company.timezone': 'IANA time zone names (translate=False)',
    'ir.action.report.extension': 'names of file formats, translate=False '
    '(the administrator\'s report screen)',
    'ir.action.report.template_extension': 'names of file formats, '
    'translate=False (the administrator\'s report screen)',
    'ir.ui.menu.action': 'technical names of the action models (the '
    'administrator\'s menu screen)',
    }

LATIN = re.compile('[A-Za-z]')
# Chinese characters and punctuation: a string holding one is translated
CHINESE = re.compile('[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]')
VIEW_ATTRIBUTES = ('string', 'help', 'confirm', 'sum')
X2MANY = {'one2many', 'many2many'}
TOOLBAR = ('print', 'action', 'relate', 'emails')


def allowed(source):
    return ALLOWED.get(source.strip())


class RPCError(Exception):
    def __init__(self, method, error):
        super().__init__(f'{method}: {error}')
        self.error = error


class Session:
    """A JSON-RPC session of one login on one kept-alive connection,
    authenticated as the web client is (common.db.login, then the session in
    the Authorization header), with the context the client keeps of the
    user's preferences"""

    def __init__(self, server, login, password):
        self.server = server
        self.login = login
        self.calls = 0
        self.context = {}
        self.connection = http.client.HTTPConnection(
            server.host, server.port, timeout=120)
        user_id, session = self._call(
            'common.db.login', [login, {'password': password}, LANG],
            auth=None)[:2]
        self.user_id = user_id
        self.auth = 'Session ' + base64.b64encode(
            f'{login}:{user_id}:{session}'.encode('utf-8')).decode('ascii')
        self.preferences = self.call('model.res.user.get_preferences',
            [True])
        self.context = {key: value
            for key, value in self.preferences.items()
            if key != 'locale' and not key.endswith('.rec_name')}

    def _call(self, method, params, auth):
        # gzip, as browsers ask: trytond then sends a large answer in a few
        # compressed chunks instead of one chunk per JSON token
        headers = {'Content-Type': 'application/json',
            'Accept-Encoding': 'gzip'}
        if auth:
            headers['Authorization'] = auth
        body = json.dumps({'id': 0, 'method': method, 'params': params})
        for attempt in range(2):
            try:
                self.connection.request('POST',
                    f'/{self.server.database}/rpc/', body=body.encode('utf-8'),
                    headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt:
                    raise
        self.calls += 1
        if response.getheader('Content-Encoding') == 'gzip':
            payload = gzip.decompress(payload)
        assert response.status == 200, (method, response.status, payload)
        payload = json.loads(payload.decode('utf-8'))
        if payload.get('error'):
            raise RPCError(method, payload['error'])
        return payload['result']

    def call(self, method, params, context=None):
        "Call method with the session's context (updated with context)"
        return self._call(method, list(params) + [
                dict(self.context, **(context or {}))], self.auth)

    def en(self, method, params, context=None):
        "The same call in English: the source strings"
        return self.call(method, params, dict(context or {}, language='en'))

    def close(self):
        try:
            self._call('common.db.logout', [], self.auth)
        except Exception:
            pass
        self.connection.close()


class Lazy:
    """A value computed when first asked for: the English answers are
    fetched only for the strings that may be English"""

    def __init__(self, function):
        self.function = function
        self.computed = False
        self.value = None

    def __call__(self):
        if not self.computed:
            self.value = self.function()
            self.computed = True
        return self.value

    def then(self, function):
        return Lazy(lambda: function(self()))


def pick(lazy, *path):
    "A Lazy of the item at path (keys and indexes) of lazy's value"
    def get(value):
        for step in path:
            if isinstance(value, dict):
                value = value.get(step)
            elif (isinstance(value, (list, tuple)) and isinstance(step, int)
                    and -len(value) <= step < len(value)):
                value = value[step]
            else:
                return None
        return value
    return lazy.then(get)


class Check:
    "The strings compared, the offenders and the figures"

    def __init__(self):
        self.checked = 0
        self.allowed = Counter()
        self.untranslatable = 0
        self.seen = set()
        self.offenders = {}     # (where, translation) -> (source, logins)
        self.figures = defaultdict(int)
        self.errors = []

    def compare(self, where, translated, source, login):
        """Compare the string the user gets with its source (a value or a
        Lazy, asked for only when the string holds no Chinese)"""
        if not isinstance(translated, str):
            translated = ''
        key = (where, translated)
        if key in self.seen:
            if key in self.offenders:
                self.offenders[key][1].add(login)
            return
        self.seen.add(key)
        if translated.strip() and not (LATIN.search(translated)
                and not CHINESE.search(translated)):
            # Chinese, or no letters at all: it is not an English source
            self.checked += 1
            return
        if allowed(translated):
            # a code as the translation: right whatever the source
            self.checked += 1
            self.allowed[translated.strip()] += 1
            return
        if callable(source):
            source = source()
            self.figures['English sources fetched'] += 1
        if source is None and translated.strip():
            # Latin letters without a source to compare with: suspect
            self.offenders[key] = (source, {login})
            return
        if not isinstance(source, str) or not source.strip():
            return
        self.checked += 1
        if translated.strip() and translated.strip() != source.strip():
            return
        if translated.strip() and allowed(source):
            self.allowed[source.strip()] += 1
            return
        self.offenders[key] = (source, {login})

    def report(self):
        lines = []
        for (where, translated), (source, logins) in sorted(
                self.offenders.items()):
            state = 'English' if translated.strip() else 'empty'
            if source is None:
                state, source = 'no source', translated
            lines.append(f'  {state:7} {source!r} at {where} '
                f'(reached by {", ".join(sorted(logins))})')
        return lines


def arch_strings(arch):
    "The (place, attribute, value) of the strings of a view architecture"
    tree = etree.fromstring(arch.encode('utf-8'))
    strings = []
    for i, element in enumerate(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute in VIEW_ATTRIBUTES:
            value = element.get(attribute)
            if value and not (attribute == 'sum' and value in {'0', '1'}):
                name = element.get('name') or element.get('id') or ''
                strings.append((f'<{element.tag} {name}> #{i}', attribute,
                        value))
    return strings, tree


class Walker:
    """Walks what the logins reach.  Views, fields, toolbars and actions
    are the same for every login in a language: fetched once, whoever
    reaches them first (and in English only when a string needs its
    source)"""

    def __init__(self, check):
        self.check = check
        self.cache = {}
        self.models = set()
        self.views = set()
        self.actions = set()
        self.menus = set()
        self.done = set()
        self.session = None

    def fetch(self, key, method, params, context=None):
        """The zh_CN answer of a call (None when the user may not make it)
        and a Lazy of its English answer"""
        if key not in self.cache:
            try:
                zh = self.session.call(method, params, context)
            except RPCError as e:
                self.refused(method, params, e)
                zh = None
            self.cache[key] = (zh, Lazy(
                    lambda: self.fetch_en(method, params, context)))
        return self.cache[key]

    def fetch_en(self, method, params, context):
        try:
            return self.session.en(method, params, context)
        except RPCError as e:
            self.refused(method, params, e)

    def refused(self, method, params, error):
        # What the user may not open is not on his screens; any other
        # error is reported.
        text = json.dumps(error.error, ensure_ascii=False)
        if 'AccessError' not in text:
            self.check.errors.append(
                f'{self.session.login}: {method} {params}: {text}')
        self.check.figures['refused calls'] += 1

    def compare(self, where, zh, en):
        self.check.compare(where, zh, en, self.session.login)

    def once(self, key):
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def walk_login(self, session):
        self.session = session
        menus = session.call('model.ir.ui.menu.search_read',
            [[], 0, None, None, ['name', 'action']])
        menus_en = Lazy(lambda: {m['id']: m['name'] for m in session.en(
                    'model.ir.ui.menu.search_read',
                    [[], 0, None, None, ['name']])})
        self.check.figures['menu entries'] += len(menus)
        for menu in menus:
            self.menus.add(menu['id'])
            self.compare(f'menu {menu["id"]}', menu['name'],
                pick(menus_en, menu['id']))
            if menu.get('action') and self.once(('menu', menu['id'])):
                zh, en = self.fetch(('menu', menu['id']),
                    'model.ir.action.keyword.get_keyword',
                    ['tree_open', ['ir.ui.menu', menu['id']]])
                for i, action in enumerate(zh or []):
                    self.walk_action(action, pick(en, i),
                        f'menu {menu["name"]}')

    def walk_action(self, action, en, where):
        action.setdefault('type', 'ir.action.act_window')
        self.actions.add((action['type'], action['id']))
        self.compare(f'{action["type"]} {action["id"]} ({where})',
            action.get('name'), pick(en, 'name'))
        if action['type'] != 'ir.action.act_window':
            return
        for i, (name, *_) in enumerate(action.get('domains') or []):
            self.compare(f'tab {i} of action {action["id"]}', name,
                pick(en, 'domains', i, 0))
        model = action.get('res_model')
        if not model or not self.once(('act_window', action['id'])):
            return
        views = action.get('views') or [[None, view_type]
            for view_type in (action.get('view_mode') or 'tree,form'
                ).split(',')]
        for view_id, view_type in views:
            self.walk_view(model, view_id, view_type)
        if action.get('context_model'):
            self.walk_view(action['context_model'], None, 'form')
        self.walk_toolbar(model)

    def walk_model(self, model):
        if model in self.models:
            return
        zh, en = self.fetch(('fields', model), f'model.{model}.fields_get',
            [None])
        if zh is None:
            return
        self.models.add(model)
        # An empty text here has an empty source: fields_get falls back to
        # the source when a translation is missing or empty.
        for name, field in zh.items():
            where = f'{model}.{name}'
            self.check.figures['fields'] += 1
            for attribute in ('string', 'help'):
                if field.get(attribute):
                    self.compare(f'{where} {attribute}', field[attribute],
                        pick(en, name, attribute))
            if where in UNTRANSLATABLE_SELECTIONS:
                self.check.untranslatable += 1
                continue
            selection = field.get('selection')
            if isinstance(selection, list):
                selection_en = pick(en, name, 'selection').then(
                    lambda s: dict(tuple(v) for v in s or []))
                for value, label in selection:
                    if label:
                        self.compare(f'{where} selection {value!r}', label,
                            pick(selection_en, value))
            for value, text in (field.get('help_selection') or {}).items():
                self.compare(f'{where} help of selection {value!r}', text,
                    pick(en, name, 'help_selection', value))

    def walk_view(self, model, view_id, view_type, context=None):
        self.walk_model(model)
        key = ('view', model, view_id, view_type)
        if not self.once(key):
            return
        zh, en = self.fetch(key, f'model.{model}.fields_view_get',
            [view_id, view_type], context)
        if zh is None:
            return
        resolved = ('view', model, zh['view_id'], zh['type'])
        if resolved != key and not self.once(resolved):
            return      # the same view, reached by its id and by its type
        self.views.add((model, zh['view_id'], zh['type']))
        where = f'{model} {zh["type"]} view {zh["view_id"]}'
        strings, tree = arch_strings(zh['arch'])

        def strings_en(answer):
            strings_en = arch_strings(answer['arch'])[0] if answer else []
            if [s[:2] for s in strings] != [s[:2] for s in strings_en]:
                self.check.errors.append(f'{where}: the architecture '
                    'differs between zh_CN and en')
                return []
            return strings_en
        strings_en = en.then(strings_en)
        for i, (place, attribute, value) in enumerate(strings):
            self.compare(f'{where} {place} {attribute}', value,
                pick(strings_en, i, 2))
        fields = zh.get('fields') or {}
        if zh['type'] == 'form':
            for element in tree.iter('field'):
                field = fields.get(element.get('name')) or {}
                if field.get('type') not in X2MANY:
                    continue
                view_ids = [int(v)
                    for v in (element.get('view_ids') or '').split(',') if v]
                for mode in (element.get('mode') or 'tree,form').split(','):
                    self.walk_view(field['relation'],
                        view_ids.pop(0) if view_ids else None, mode)
        for element in tree.iter('action'):
            if element.get('name'):
                self.walk_board_action(element.get('name'))
        for element in tree.iter('link'):
            if element.get('id'):
                self.walk_link(int(element.get('id')))

    def walk_board_action(self, xml_id):
        "An action of a board, got by its XML id as the client does"
        if not self.once(('board', xml_id)):
            return
        zh, en = self.fetch(('board', xml_id),
            'model.ir.action.act_window.get', [xml_id])
        if zh:
            self.walk_action(zh, en, f'board action {xml_id}')

    def walk_link(self, action_id):
        "The action of a form's link (its name and tab names with counts)"
        if not self.once(('link', action_id)):
            return
        zh, en = self.fetch(('link', action_id),
            'model.ir.action.get_action_value', [action_id])
        if zh:
            self.walk_action(zh, en, f'link {action_id}')

    def walk_toolbar(self, model):
        if not self.once(('toolbar', model)):
            return
        zh, en = self.fetch(('toolbar', model),
            f'model.{model}.view_toolbar_get', [])
        for kind in TOOLBAR:
            for i, entry in enumerate((zh or {}).get(kind) or []):
                self.check.figures['toolbar entries'] += 1
                if 'type' in entry:
                    self.walk_action(entry, pick(en, kind, i),
                        f'{kind} toolbar of {model}')
                else:
                    self.compare(f'{kind} {entry.get("id")} of {model}',
                        entry.get('name'), pick(en, kind, i, 'name'))

    def walk_wizard_forms(self, session):
        """As admin: the form views of the models that store nothing (the
        dialogs of wizards, report contexts) that no action opened"""
        self.session = session
        views = session.call('model.ir.ui.view.search_read',
            [[('type', '=', 'form'), ('inherit', '=', None)], 0, None,
                [('id', 'ASC')], ['model']])
        for view in views:
            model = view['model']
            if not model or model in self.models:
                continue
            zh, _ = self.fetch(('fields', model),
                f'model.{model}.fields_get', [None])
            if zh is None or 'create_date' in zh:
                continue
            self.check.figures['wizard forms'] += 1
            self.walk_view(model, view['id'], 'form')

    def walk_model_names(self, session):
        "The names of the models reached (window titles, messages)"
        self.session = session
        domain = [('name', 'in', sorted(self.models))]
        zh = session.call('model.ir.model.search_read',
            [domain, 0, None, None, ['name', 'string']])
        en = Lazy(lambda: {m['id']: m['string'] for m in session.en(
                    'model.ir.model.search_read',
                    [domain, 0, None, None, ['string']])})
        for model in zh:
            self.compare(f'name of model {model["name"]}', model['string'],
                pick(en, model['id']))

    def walk_messages(self, session):
        "Every ir.message of the activated modules, ours and official"
        self.session = session
        zh = session.call('model.ir.message.search_read',
            [[], 0, None, None, ['text']])
        en = Lazy(lambda: {m['id']: m['text'] for m in session.en(
                    'model.ir.message.search_read',
                    [[], 0, None, None, ['text']])})
        self.check.figures['messages'] = len(zh)
        for message in zh:
            self.compare(f'ir.message {message["id"]}', message['text'],
                pick(en, message['id']))


def test_no_english_on_the_screens(server):
    started = time.monotonic()
    check = Check()
    walker = Walker(check)
    calls = 0
    logins = [user.login for user in USERS]
    for login in logins:
        session = Session(server, login, server.password)
        try:
            assert session.preferences.get('language') == LANG, (
                f'{login} does not work in {LANG}: '
                f'{session.preferences.get("language")}')
            walker.walk_login(session)
        finally:
            calls += session.calls
            session.close()

    admin = Session(server, 'admin', server.admin_password)
    try:
        assert admin.preferences.get('language') == LANG, (
            admin.preferences.get('language'))
        walker.walk_wizard_forms(admin)
        walker.walk_model_names(admin)
        walker.walk_messages(admin)
    finally:
        calls += admin.calls
        admin.close()

    figures = check.figures
    codes = ', '.join(f'{source} ×{count}'
        for source, count in check.allowed.most_common())
    summary = (
        f'[no English] {len(logins)} logins in {LANG}: '
        f'{len(walker.menus)} menus ({figures["menu entries"]} entries over '
        f'the logins), {len(walker.actions)} actions, '
        f'{figures["toolbar entries"]} toolbar entries, '
        f'{len(walker.models)} models, {len(walker.views)} views '
        f'({figures["wizard forms"]} wizard forms), '
        f'{figures["fields"]} fields, {figures["messages"]} messages; '
        f'{check.checked} strings checked, '
        f'{sum(check.allowed.values())} allowed codes ({codes}), '
        f'{check.untranslatable} untranslatable selections, '
        f'{len(check.offenders)} offenders; {calls} calls '
        f'({figures["English sources fetched"]} English sources looked up, '
        f'{figures["refused calls"]} calls refused) in '
        f'{time.monotonic() - started:.0f}s')
    print('\n' + summary, file=sys.stderr)
    assert not check.errors, '\n'.join(check.errors)
    assert not check.offenders, '\n'.join([summary, 'Not translated (fix '
            'the po files, see docs/glossary.md):'] + check.report())


def test_product_name_in_the_header(server):
    """The web client's header and browser tab say our product name, not
    "Tryton": sao loads custom.js from its web root after tryton-sao.js,
    and ./dealer install puts config/web/custom.js there"""
    assert f"Sao.config.title = '{PRODUCT_NAME}';" in CUSTOM_JS.read_text(
        encoding='utf-8')
    with urllib.request.urlopen(server.base_url + 'custom.js',
            timeout=30) as response:
        served = response.read().decode('utf-8')
    assert served == CUSTOM_JS.read_text(encoding='utf-8'), (
        'the web root does not serve config/web/custom.js (./dealer install '
        'links it into var/web/)')
