"""R-ALL-01: the system seen by an integrator, over XML-RPC and JSON-RPC.

Every call authenticates with HTTP basic auth on /<database>/rpc/, the way an
integration script does (no session): xmlrpc.client takes the credentials
from the URL, the JSON-RPC helper sends the Authorization header itself.
"""
import base64
import json
import urllib.error
import urllib.request
import xmlrpc.client
from xml.etree import ElementTree

import pytest

# scripts/, on sys.path by conftest.py
from demo.crm import CUSTOMERS
from demo.group import COMPANIES
from demo.staff import USERS

# The integration account of these tests: a salesperson of the demo.
INTEGRATOR = 'sales_zhang'
# The login of the wrong-password checks: created by the test itself and used
# by no other test, so the per-login rate limit ([session] max_attempt = 5 in
# config/trytond.conf) never interferes with the rest of the suite.
LOCKOUT_LOGIN = 'e2e_wrong_password'
LOCKOUT_PASSWORD = 'E2E-right-password-2026'

DEMO_CUSTOMERS = [c.name for c in CUSTOMERS]


def _scope_of(login):
    """The demo customers and contacts a salesperson sees: those of his own
    and his company's pool; and those he must not see"""
    company = next(u.company for u in USERS if u.login == login)
    seen, hidden = [], []
    for customer in CUSTOMERS:
        names = [customer.name] + [c.name for c in customer.contacts]
        (seen if customer.company == company
            and customer.owner in {login, None} else hidden).extend(names)
    return seen, hidden


INTEGRATOR_SEES, INTEGRATOR_DOES_NOT_SEE = _scope_of(INTEGRATOR)


def xmlrpc_proxy(server, login, password=None):
    return xmlrpc.client.ServerProxy(server.rpc_url(login, password),
        allow_none=True, use_builtin_types=True)


def jsonrpc(server, login, method, params, password=None):
    """POST one JSON-RPC request and return the decoded response object
    ({"id", "result"} or {"id", "error"}); HTTP errors raise HTTPError."""
    if password is None:
        password = server.password
    credentials = base64.b64encode(
        f'{login}:{password}'.encode('utf-8')).decode('ascii')
    request = urllib.request.Request(server.rpc_url(), method='POST',
        data=json.dumps({'id': 1, 'method': method, 'params': params}
            ).encode('utf-8'),
        headers={
            'Content-Type': 'application/json',
            'Authorization': f'Basic {credentials}',
            })
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == 'application/json'
        payload = json.loads(response.read().decode('utf-8'))
    assert payload['id'] == 1
    return payload


def jsonrpc_result(server, login, method, params, password=None):
    payload = jsonrpc(server, login, method, params, password=password)
    assert 'error' not in payload, payload
    return payload['result']


def party_search_read_params(domain, fields=('name',)):
    # search_read(domain, offset, limit, order, fields_names, context)
    return [domain, 0, None, [['name', 'ASC']], list(fields), {}]


def new_customer_values(name, phone):
    return [{
            'name': name,
            'is_customer': True,
            'contact_mechanisms': [
                ['create', [{'type': 'phone', 'value': phone}]]],
            }]


def assert_server_still_answers(server):
    server.assert_alive()
    proxy = xmlrpc_proxy(server, INTEGRATOR)
    parties = proxy.model.party.party.search_read(
        *party_search_read_params([['name', '=', DEMO_CUSTOMERS[0]]]))
    assert [p['name'] for p in parties] == [DEMO_CUSTOMERS[0]]
    payload = jsonrpc(server, INTEGRATOR, 'model.party.party.search_count',
        [[['name', '=', DEMO_CUSTOMERS[0]]], 0, None, {}])
    assert payload.get('result') == 1, payload


# --- XML-RPC -----------------------------------------------------------------

def test_xmlrpc_search_read_returns_demo_customers(server):
    proxy = xmlrpc_proxy(server, INTEGRATOR)
    parties = proxy.model.party.party.search_read(
        *party_search_read_params([], fields=['name', 'code']))
    names = [p['name'] for p in parties]
    assert '上海宏达土石方工程有限公司' in names
    for name in INTEGRATOR_SEES:
        assert name in names
    for name in INTEGRATOR_DOES_NOT_SEE:
        assert name not in names
    assert all(set(p) == {'id', 'name', 'code'} for p in parties)
    assert names == sorted(names)

    # A domain on a Chinese name with a wildcard finds exactly the customer.
    hongda = proxy.model.party.party.search_read(
        *party_search_read_params([['name', 'ilike', '%宏达土石方%']]))
    assert [p['name'] for p in hongda] == ['上海宏达土石方工程有限公司']


def test_xmlrpc_create_customer_with_phone(server):
    proxy = xmlrpc_proxy(server, INTEGRATOR)
    Party = proxy.model.party.party
    name, phone = '杭州远大基础工程有限公司', '0571-88886601'

    party_id, = Party.create(new_customer_values(name, phone), {})
    assert isinstance(party_id, int) and party_id > 0

    party, = Party.read([party_id], ['name', 'phone', 'contact_mechanisms'],
        {})
    assert party['name'] == name
    assert party['phone'] == phone
    mechanism, = proxy.model.party.contact_mechanism.read(
        party['contact_mechanisms'], ['type', 'value', 'party'], {})
    assert (mechanism['type'], mechanism['value'], mechanism['party']) == (
        'phone', phone, party_id)

    assert Party.search([['name', '=', name]], 0, None, None, {}) == [
        party_id]
    assert party_id in Party.search(
        [['contact_mechanisms.value', '=', phone]], 0, None, None, {})


# --- JSON-RPC ----------------------------------------------------------------

def test_jsonrpc_search_read_returns_demo_customers(server):
    parties = jsonrpc_result(server, INTEGRATOR,
        'model.party.party.search_read',
        party_search_read_params([], fields=['name', 'code']))
    names = [p['name'] for p in parties]
    assert '上海宏达土石方工程有限公司' in names
    for name in INTEGRATOR_SEES:
        assert name in names
    for name in INTEGRATOR_DOES_NOT_SEE:
        assert name not in names
    assert all(set(p) == {'id', 'name', 'code'} for p in parties)


def test_jsonrpc_create_customer_with_phone(server):
    name, phone = '南京江北盾构机械有限公司', '025-58886602'

    result = jsonrpc_result(server, INTEGRATOR, 'model.party.party.create',
        [new_customer_values(name, phone), {}])
    assert isinstance(result, list) and len(result) == 1
    party_id, = result

    party, = jsonrpc_result(server, INTEGRATOR, 'model.party.party.read',
        [[party_id], ['name', 'phone', 'contact_mechanisms'], {}])
    assert party['name'] == name
    assert party['phone'] == phone
    mechanism, = jsonrpc_result(server, INTEGRATOR,
        'model.party.contact_mechanism.read',
        [party['contact_mechanisms'], ['type', 'value', 'party'], {}])
    assert (mechanism['type'], mechanism['value'], mechanism['party']) == (
        'phone', phone, party_id)

    found = jsonrpc_result(server, INTEGRATOR, 'model.party.party.search',
        [[['name', '=', name]], 0, None, None, {}])
    assert found == [party_id]

    # And the other protocol sees the same record.
    party, = xmlrpc_proxy(server, INTEGRATOR).model.party.party.read(
        [party_id], ['name', 'phone'], {})
    assert (party['name'], party['phone']) == (name, phone)


# --- authentication ----------------------------------------------------------

def test_wrong_password_is_refused_with_401(server):
    admin = xmlrpc_proxy(server, 'admin', server.admin_password)
    user_id, = admin.model.res.user.create([{
                'login': LOCKOUT_LOGIN,
                'name': 'E2E 错误密码测试',
                'password': LOCKOUT_PASSWORD,
                }], {})

    def preferences_name(password):
        return xmlrpc_proxy(server, LOCKOUT_LOGIN, password
            ).model.res.user.get_preferences(False, {})['name']

    # The account works with its password, so a 401 below is the password.
    assert preferences_name(LOCKOUT_PASSWORD) == 'E2E 错误密码测试'

    with pytest.raises(xmlrpc.client.ProtocolError) as excinfo:
        preferences_name('not-the-password')
    assert excinfo.value.errcode == 401

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        jsonrpc(server, LOCKOUT_LOGIN, 'model.res.user.get_preferences',
            [True, {}], password='not-the-password')
    assert excinfo.value.code == 401
    excinfo.value.close()

    # Two failures stay under [session] max_attempt: the right password
    # still gets in (and clears the failed attempts).
    assert preferences_name(LOCKOUT_PASSWORD) == 'E2E 错误密码测试'
    assert admin.model.res.user.search(
        [['login', '=', LOCKOUT_LOGIN]], 0, None, None, {}) == [user_id]


def test_new_login_starts_in_chinese(server):
    """A login the administrator creates without choosing a language works
    in Simplified Chinese (the database's own language is Tryton's English)"""
    admin = xmlrpc_proxy(server, 'admin', server.admin_password)
    admin.model.res.user.create([{
                'login': 'e2e_new_login',
                'name': 'E2E 新账号',
                'password': LOCKOUT_PASSWORD,
                }], {})
    preferences = xmlrpc_proxy(server, 'e2e_new_login', LOCKOUT_PASSWORD
        ).model.res.user.get_preferences(False, {})
    assert preferences['language'] == 'zh_CN'


# --- errors ------------------------------------------------------------------

@pytest.mark.parametrize('method', [
        # no such method
        'model.party.party.no_such_method',
        # exists on the model but is not exposed over RPC
        'model.res.user.get_login',
        # no such model (issue 12: its name is not echoed back either)
        'model.no.such.model.search',
        ])
def test_unknown_or_private_method_is_refused(server, method):
    # trytond answers a method that is not in the model's __rpc__ with HTTP
    # 403 Forbidden, the same for a missing and a private method, and
    # dealer_base does the same for a missing model, so a client learns
    # nothing about what exists behind the RPC surface.
    proxy = xmlrpc_proxy(server, INTEGRATOR)
    with pytest.raises(xmlrpc.client.ProtocolError) as excinfo:
        getattr(proxy, method)([], {})
    assert excinfo.value.errcode == 403

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        jsonrpc(server, INTEGRATOR, method, [[], {}])
    assert excinfo.value.code == 403
    excinfo.value.close()

    assert_server_still_answers(server)


# --- the demo logins ---------------------------------------------------------

@pytest.mark.parametrize('user', USERS, ids=[u.login for u in USERS])
def test_demo_login(server, user):
    proxy = xmlrpc_proxy(server, user.login)

    context = proxy.model.res.user.get_preferences(True, {})
    assert context['language'] == 'zh_CN'
    assert context['company.rec_name'] == user.company.name
    assert context['employee.rec_name'] == user.name

    preferences = proxy.model.res.user.get_preferences(False, {})
    assert preferences['name'] == user.name
    assert preferences['company'] == context['company']
    expected_companies = len(COMPANIES) if user.role == 'boss' else 1
    assert len(preferences['companies']) == expected_companies
    assert context['company'] in preferences['companies']


def test_salesperson_preferences_show_demo_company(server):
    for login in ('sales_zhang', 'sales_chen'):
        user = next(u for u in USERS if u.login == login)
        assert user.role == 'salesperson'
        payload = jsonrpc(server, login, 'model.res.user.get_preferences',
            [True, {}])
        context = payload['result']
        assert context['company.rec_name'] == user.company.name
        assert context['employee.rec_name'] == user.name
        company, = jsonrpc_result(server, login, 'model.company.company.read',
            [[context['company']], ['rec_name', 'currency.code'], {}])
        assert company['rec_name'] == user.company.name
        assert company['currency.']['code'] == 'CNY'


# --- how lists read ----------------------------------------------------------

def list_view(server, login, model, view_id=None):
    "A list view of the model as the user's client gets it, in zh_CN"
    return jsonrpc_result(server, login, f'model.{model}.fields_view_get',
        [view_id, 'tree', {'language': 'zh_CN'}])


def list_headings(view):
    "The headings of a list view's columns, as the client shows them"
    return [c.get('string') or view['fields'][c.get('name')]['string']
        for c in ElementTree.fromstring(view['arch'])
        if c.tag in {'field', 'button'}]


@pytest.mark.parametrize('model', ['dealer.approval.log',
        'dealer.customer.event', 'dealer.visit', 'dealer.customer.ownership'])
def test_date_and_time_columns_are_told_apart(server, model):
    """A date-and-time shown as two columns is headed 日期 and 时间, not
    时间 twice (the field's own label is 时间)"""
    headings = list_headings(list_view(server, 'boss', model))
    assert headings[:2] == ['日期', '时间'], headings
    assert len(set(headings)) == len(headings), headings


def test_approvers_list_names_them(server):
    """R-ORG-05: the approvers in a document's approval tab, and in the
    request, are listed by name, without the users' session count (会话)"""
    sale = jsonrpc_result(server, 'boss', 'model.sale.sale.fields_view_get',
        [None, 'form', {'language': 'zh_CN'}])
    request = jsonrpc_result(server, 'boss',
        'model.dealer.approval.request.fields_view_get',
        [None, 'form', {'language': 'zh_CN'}])
    for form, name in [(sale, 'approval_approvers'), (request, 'approvers')]:
        element = ElementTree.fromstring(form['arch']).find(
            f'.//field[@name="{name}"]')
        view_id = int(element.get('view_ids') or 0) or None
        view = list_view(server, 'boss', 'res.user', view_id)
        assert list_headings(view) == ['名称'], (name, list_headings(view))
