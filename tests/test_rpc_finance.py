"""The receivables of the demo database over RPC, as each role sees them
(dealer_finance, issue 5): finance sees every plan of its company, each
salesperson only his customers', the collector the overdue instalments, the
purchaser the payment requests and nothing of the receivables."""
import re
from decimal import Decimal

from test_rpc import jsonrpc, xmlrpc_proxy

# scripts/, on sys.path by conftest.py
from demo.finance import CONTRACTS, OVERDUE_CONTRACT, SUPPLIER
from demo.group import SHANGHAI


def search_read(server, login, model, domain, fields, order=None):
    return getattr(xmlrpc_proxy(server, login).model, model).search_read(
        domain, 0, None, order, fields, {})


def plans_of(server, login):
    "The plans of sale contracts (leasing adds others) the login sees"
    return {p['number']: p for p in search_read(server, login,
            'dealer.payment.plan', [['origin', 'like', 'sale.sale,%']],
            ['number', 'customer.rec_name', 'state'], [['number', 'ASC']])}


def test_plans_by_role(server):
    contracts = [c for c in CONTRACTS if c.company == SHANGHAI]
    everything = plans_of(server, 'finance')
    assert len(everything) == len(contracts)
    for login in ['sales_zhang', 'sales_liu']:
        mine = plans_of(server, login)
        expected = [c for c in contracts if c.salesperson == login]
        assert len(mine) == len(expected), (login, mine)
        assert {p['customer.']['rec_name'] for p in mine.values()} == {
            c.customer for c in expected}
    # Another company's salesperson sees none of them.
    assert plans_of(server, 'sales_chen') == {}


def test_overdue_instalments_and_penalty(server):
    overdue = search_read(server, 'collector', 'dealer.payment.plan.line',
        [['state', '=', 'overdue']],
        ['plan.rec_name', 'unpaid_amount', 'penalty_accrued', 'days_overdue'])
    assert overdue
    assert {line['plan.']['rec_name'].split(' ')[0]
        for line in overdue} <= {
        p for p, v in plans_of(server, 'finance').items()
        if v['customer.']['rec_name'] == OVERDUE_CONTRACT.customer}
    assert all(line['days_overdue'] >= 1 for line in overdue)
    accrued = sum(Decimal(str(line['penalty_accrued'])) for line in overdue)
    assert accrued > 0
    # The salesperson of that customer sees the same overdue lines.
    theirs = search_read(server, OVERDUE_CONTRACT.salesperson,
        'dealer.payment.plan.line', [['state', '=', 'overdue']], ['id'])
    assert {line['id'] for line in theirs} == {
        line['id'] for line in overdue}


def test_waiver_and_payment_request_waiting(server):
    waivers = search_read(server, 'finance', 'dealer.penalty.waiver',
        [['approval_state', '=', 'waiting']], ['amount', 'approval_approvers'])
    assert len(waivers) == 1
    requests = search_read(server, 'purchaser', 'dealer.payment.request',
        [], ['number', 'state', 'amount'])
    # The second is the buyback's payment to the bank (dealer_leasing),
    # the third the parts supplier's payable (dealer_parts), the fourth
    # and fifth an employee's cash advance and expense claim
    # (dealer_expense), all paid; Shanghai numbers them in its own sequence.
    numbers = sorted((r['number'], r['state']) for r in requests)
    assert [s for _, s in numbers] == ['waiting', 'paid', 'paid', 'paid',
        'paid']
    assert all(re.fullmatch(r'PR-SH-\d{4}-0000[1-5]', n)
        for n, _ in numbers)
    # The purchaser sees nothing of the receivables, the salesperson
    # nothing of the payment requests.
    answer = jsonrpc(server, 'purchaser',
        'model.dealer.payment.plan.search', [[], 0, None, None, {}])
    assert 'error' in answer and 'not allowed' in str(answer['error'])
    answer = jsonrpc(server, 'sales_zhang',
        'model.dealer.payment.request.search', [[], 0, None, None, {}])
    assert 'error' in answer and 'not allowed' in str(answer['error'])


def test_payment_request_printed(server):
    request, = search_read(server, 'purchaser', 'dealer.payment.request',
        [['state', '=', 'waiting']], ['id'])
    answer = jsonrpc(server, 'purchaser',
        'report.dealer.payment.request.execute',
        [[request['id']], {}, {}])
    assert 'error' not in answer, answer
    extension, content, _, name = answer['result']
    assert extension in {'odt', 'pdf'}
    assert content


def test_business_history_and_invoices_by_salesperson(server):
    "The customer form's business history, and each salesperson's invoices"
    invoices = {}
    for login in ['sales_zhang', 'sales_liu']:
        contracts = [c for c in CONTRACTS
            if c.company == SHANGHAI and c.salesperson == login]
        name = contracts[0].customer
        contracts = [c for c in contracts if c.customer == name]
        party, = search_read(server, login, 'party.party',
            [['name', '=', name]],
            ['sales', 'invoices', 'payment_plans', 'receipts'])
        # The sale contracts' plans (leases and finance contracts add
        # theirs) and every payment posted on them, newest first.
        plans = search_read(server, login, 'dealer.payment.plan',
            [['customer', '=', party['id']]], ['origin'])
        assert set(party['payment_plans']) == {p['id'] for p in plans}
        assert len([p for p in plans if p['origin'].startswith('sale.sale,')]
            ) == len(contracts)
        receipts = search_read(server, login, 'dealer.payment.receipt',
            [['plan.customer', '=', party['id']], ['state', '=', 'posted']],
            ['date'], [['date', 'DESC'], ['id', 'DESC']])
        assert party['receipts'] == [r['id'] for r in receipts]
        assert len(receipts) >= sum(len(c.payments) for c in contracts)
        sales = search_read(server, login, 'sale.sale',
            [['id', 'in', party['sales']]],
            ['party.rec_name', 'invoice_party.rec_name'])
        assert len(sales) == len(party['sales']) >= len(contracts)
        assert all(name in {s['party.']['rec_name'],
                    (s['invoice_party.'] or s['party.'])['rec_name']}
            for s in sales)
        # Every customer invoice the salesperson finds is of his customers.
        employee = xmlrpc_proxy(server, login).model.res.user.get_preferences(
            True, {})['employee']
        mine = search_read(server, login, 'account.invoice',
            [['type', '=', 'out']], ['party.owner'])
        assert mine and all(i['party.']['owner'] == employee for i in mine)
        assert set(party['invoices']) <= {i['id'] for i in mine}
        invoices[login] = {i['id'] for i in mine}
    assert not invoices['sales_zhang'] & invoices['sales_liu']
    company = {i['id'] for i in search_read(server, 'back_office',
            'account.invoice', [['type', '=', 'out']], ['id'])}
    assert invoices['sales_zhang'] | invoices['sales_liu'] <= company


def test_approvers_see_what_is_asked(server):
    # The approval list says who and what a request is for (issue 13).
    requests = search_read(server, 'finance', 'dealer.approval.request',
        [['waiting_for_me', '=', True]], ['summary', 'amount'])
    summaries = [r['summary'] for r in requests]
    assert any(SUPPLIER in s and '支付SY215C挖掘机（2台）采购款首期'
        in s for s in summaries), summaries


def test_ageing_agrees_with_the_instalments(server):
    """The receivable ageing of each customer on a plan, bucket by bucket,
    is what his instalments still owe by days overdue (the demo's sale
    invoices under plans count by their instalments), to the cent"""
    import datetime as dt
    from trytond.modules.dealer_finance.report import AGEING_BUCKETS
    lines = search_read(server, 'finance', 'dealer.payment.plan.line',
        [['unpaid_amount', '>', 0], ['plan.state', '=', 'running']],
        ['customer', 'unpaid_amount', 'days_overdue', 'due_date'])
    for line in lines:  # trytond's XML-RPC sends a date as a struct
        due = line['due_date']
        line['due_date'] = dt.date(due['year'], due['month'], due['day'])
    late = [line for line in lines if line['days_overdue']]
    assert any(line['days_overdue'] > 30 for line in late)
    # the companies' today, as the instalments count it
    today = late[0]['due_date'] + dt.timedelta(days=late[0]['days_overdue'])
    expected = {}
    for line in lines:
        days = (today - line['due_date']).days
        bucket = next(name for name, low, high in AGEING_BUCKETS
            if (low is None or days >= low)
            and (high is None or days <= high))
        amounts = expected.setdefault(line['customer'], {})
        amounts[bucket] = amounts.get(bucket, Decimal(0)) + Decimal(
            str(line['unpaid_amount']))
    finance = xmlrpc_proxy(server, 'finance')
    # the report's context: the user's company, today
    context = finance.model.res.user.get_preferences(True, {})
    rows = finance.model.dealer.receivable.ageing.search_read(
        [['party', 'in', list(expected)]], 0, None, None,
        ['party'] + [name for name, _, _ in AGEING_BUCKETS], context)
    got = {row['party']: {name: Decimal(str(row[name]))
            for name, _, _ in AGEING_BUCKETS if Decimal(str(row[name]))}
        for row in rows}
    assert got == expected
