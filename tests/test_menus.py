"""Menus trimmed per position, warehouses and document numbers per company
(issue 13, R-ORG-03, R-ORG-05), over JSON-RPC as each demo login."""
import re

import pytest

from demo.staff import USERS  # scripts/, on sys.path by conftest.py
from test_chinese import Session

# Functions a position does not hold, by the menu entry's zh_CN path.
NOT_HELD = {
    'collector': ['财务 / 处理 / 年末结账', '财务 / 分录 / 记账凭证',
        '财务 / 统计报表 / 资产负债表'],
    'warehouse': ['经销商管理 / 公海', '经销商管理 / 拜访跟进',
        '经销商管理 / 销售统计'],
    'purchaser': ['经销商管理 / 公海', '经销商管理 / 客户立项'],
    }
HELD = {
    'collector': ['财务 / 发票 / 客户发票', '财务 / 统计报表 / 账龄分析'],
    'finance': ['财务 / 处理 / 年末结账', '财务 / 分录 / 记账凭证'],
    'sales_zhang': ['经销商管理 / 公海', '经销商管理 / 拜访跟进'],
    }
# login: the warehouses he sees (his companies')
WAREHOUSES = {
    'warehouse': ['WH-SH'],
    'sales_chen': ['WH-GZ'],
    }


def menu_paths(session):
    menus = session.call('model.ir.ui.menu.search_read',
        [[], 0, None, None, ['name', 'parent', 'action']])
    by_id = {m['id']: m for m in menus}

    def path(menu):
        parent = by_id.get(menu['parent'])
        return (path(parent) + ' / ' if parent else '') + menu['name']
    return menus, {path(m): m for m in menus}


@pytest.mark.parametrize('login', [u.login for u in USERS])
def test_no_empty_folder_nor_function_not_held(server, login):
    session = Session(server, login, server.password)
    menus, paths = menu_paths(session)
    parents = {m['parent'] for m in menus if m['parent']}
    empty = [p for p, m in paths.items()
        if not m['action'] and m['id'] not in parents]
    assert not empty, f'{login} sees empty folders: {empty}'
    for path in NOT_HELD.get(login, []):
        assert path not in paths, f'{login} sees {path}'
    for path in HELD.get(login, []):
        assert path in paths, f'{login} misses {path}'


@pytest.mark.parametrize('login,codes', sorted(WAREHOUSES.items()))
def test_warehouses_of_the_users_companies(server, login, codes):
    session = Session(server, login, server.password)
    rows = session.call('model.stock.location.search_read',
        [[('type', '=', 'warehouse')], 0, None, None, ['code', 'company']])
    assert sorted(r['code'] for r in rows) == codes
    # The zones of the other companies' warehouses are hidden too.
    zones = session.call('model.stock.location.search_read',
        [[('code', 'in', ['GZ-STO', 'CD-STO', 'STO'])], 0, None, None,
            ['code']])
    assert sorted(z['code'] for z in zones) == {
        'WH-SH': ['STO'], 'WH-GZ': ['GZ-STO']}[codes[0]]


@pytest.mark.parametrize('login,model,pattern', [
        ('back_office', 'sale.sale', r'SO-SH-\d{4}-\d{5}'),
        ('sales_chen', 'sale.sale', r'SO-GZ-\d{4}-\d{5}'),
        ('warehouse', 'stock.shipment.out', r'OUT-SH-\d{4}-\d{5}'),
        ('sales_manager', 'sale.opportunity', r'OPP-SH-\d{4}-\d{5}'),
        ('finance', 'dealer.payment.plan', r'PP-SH-\d{4}-\d{5}'),
        ('purchaser', 'dealer.payment.request', r'PR-SH-\d{4}-\d{5}'),
        ('back_office', 'dealer.delivery.release', r'DR-SH-\d{4}-\d{5}'),
        ('boss', 'dealer.finance.contract', r'FC-SH-\d{4}-\d{5}'),
        ('boss', 'dealer.buyback', r'BB-SH-\d{4}-\d{5}'),
        ('warehouse', 'purchase.requisition', r'PRQ-SH-\d{4}-\d{5}'),
        ('purchaser', 'purchase.request.quotation', r'RFQ-SH-\d{4}-\d{5}'),
        ('purchaser', 'purchase.purchase', r'PO-SH-\d{4}-\d{5}'),
        ('warehouse', 'stock.shipment.in', r'IN-SH-\d{4}-\d{5}'),
        ('purchaser', 'dealer.parts.settlement', r'PS-SH-\d{4}-\d{5}'),
        ])
def test_documents_numbered_per_company(server, login, model, pattern):
    """Each company numbers its own documents; the number says which
    document of which company"""
    session = Session(server, login, server.password)
    rows = session.call(f'model.{model}.search_read',
        [[('number', '!=', None)], 0, None, None, ['number']])
    assert rows, f'{login} sees no numbered {model}'
    assert all(re.fullmatch(pattern, r['number']) for r in rows), rows
