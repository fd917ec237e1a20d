"""Expense claims over RPC, bad input (issue 15; R-EXP-01, R-EXP-05): an
expense category of another company on a claim line.

张伟 (sales_zhang, 上海) may neither read 广州's categories nor put one on
his claim, however he names it; 王建国 (boss), who reads all three
companies, may read it but not put it on a 上海 claim either.  Each gets a
Chinese user error and nothing is written.
"""
import re

from test_rpc import jsonrpc
from test_rpc_walls import CHEN, ZHANG, api, context, one_id

# scripts/, on sys.path by conftest.py
from demo.expense import CLAIMS
from demo.group import GUANGZHOU, SHANGHAI

# 张伟's draft claim of the demo, one line of transport.
DRAFT, = [c for c in CLAIMS if c.login == ZHANG and c.state == 'draft']
# A category that is on none of his lines: its name in an error would be
# the other company's.
FOREIGN = ('BIDDING', '投标费用')
CHINESE = re.compile('[\u4e00-\u9fff]')


def user_error(server, login, method, params):
    """The message of the user error the call must end with (a server
    fault sends its text and traceback instead of a UserError)"""
    payload = jsonrpc(server, login, method, params)
    assert 'result' not in payload, payload
    kind, (message, description, _) = payload['error']
    assert kind == 'UserError', payload
    assert CHINESE.search(message) and 'Traceback' not in str(payload), (
        payload)
    return f'{message} {description or ""}'


def assert_hides(message, *secrets):
    for secret in secrets:
        assert secret not in message, message


def test_category_of_another_company(server):
    zhang, ctx = api(server, ZHANG), context(server, ZHANG)
    assert ctx['language'] == 'zh_CN'
    code, name = FOREIGN
    # 广州's category, as 陈静 of 广州 finds it
    foreign = one_id(server, 'dealer.expense.category',
        [['code', '=', code]], CHEN)
    # the group leader reads every company's
    company, = api(server, 'boss').dealer.expense.category.read(
        [foreign], ['company.party.name'], {})
    assert company['company.']['party.']['name'] == GUANGZHOU.name
    own = one_id(server, 'dealer.expense.category', [['code', '=', code]],
        ZHANG)
    assert own != foreign

    # He does not see it: found by neither id, code nor name; read refused.
    category = zhang.dealer.expense.category
    assert category.search([['id', '=', foreign]], 0, None, None, ctx) == []
    assert category.search([['name', '=', name]], 0, None, None, ctx) == [
        own]
    assert category.search_count([['company.party.name', '=',
                GUANGZHOU.name]], 0, None, ctx) == 0
    message = user_error(server, ZHANG,
        'model.dealer.expense.category.read', [[foreign], ['name'], ctx])
    assert_hides(message, name, GUANGZHOU.name)
    # Nor when his client names 广州 as his company in the context
    guangzhou = one_id(server, 'company.company',
        [['party.name', '=', GUANGZHOU.name]], CHEN)
    widened = dict(ctx, company=guangzhou,
        companies=[guangzhou, ctx['company']])
    assert category.search([['code', '=', code]], 0, None, None,
        widened) == [own]

    claim = one_id(server, 'dealer.expense.claim', [
            ['description', '=', DRAFT.description],
            ['state', '=', 'draft']], ZHANG)
    lines = zhang.dealer.expense.claim.read([claim], ['lines'], ctx)[0][
        'lines']
    before = zhang.dealer.expense.claim.line.read(lines,
        ['category', 'amount', 'write_date'], ctx)
    assert len(before) == len(DRAFT.lines)
    values = {'category': foreign, 'amount': '50.00',
        'description': '外地交通'}
    # His line given it, a new line with it, the claim given a line with it
    for method, params in [
            ('model.dealer.expense.claim.line.write',
                [lines, {'category': foreign}, ctx]),
            ('model.dealer.expense.claim.line.create',
                [[dict(values, claim=claim)], ctx]),
            ('model.dealer.expense.claim.write', [[claim], {'lines': [
                            ['create', [values]],
                            ['write', lines, {'category': foreign}]]},
                    ctx]),
            ]:
        message = user_error(server, ZHANG, method, params)
        assert '费用类别' in message, message
        assert_hides(message, name, code, GUANGZHOU.name)
    after = zhang.dealer.expense.claim.read([claim], ['lines'], ctx)[0]
    assert after['lines'] == lines
    assert zhang.dealer.expense.claim.line.read(lines,
        ['category', 'amount', 'write_date'], ctx) == before


def test_category_of_another_company_seen_by_the_boss(server):
    """The group leader reads every company's categories: 广州's is still
    refused on his 上海 claim, by the line's domain"""
    boss, ctx = api(server, 'boss'), context(server, 'boss')
    shanghai = one_id(server, 'company.company',
        [['party.name', '=', SHANGHAI.name]], 'boss')
    assert ctx['company'] == shanghai
    code, name = FOREIGN
    foreign = one_id(server, 'dealer.expense.category', [
            ['code', '=', code],
            ['company.party.name', '=', GUANGZHOU.name]], 'boss')
    claim, = boss.dealer.expense.claim.create([{
                'description': '广州分公司巡视'}], ctx)
    try:
        message = user_error(server, 'boss',
            'model.dealer.expense.claim.line.create', [[{
                        'claim': claim, 'category': foreign,
                        'amount': '120.00'}], ctx])
        # Named, as he may read it, and why it is refused
        assert '费用类别' in message and '不符合' in message, message
        assert boss.dealer.expense.claim.read([claim], ['lines'], ctx)[0][
            'lines'] == []
    finally:
        boss.dealer.expense.claim.delete([claim], ctx)
