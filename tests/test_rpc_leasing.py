"""Machines and leases of the demo database over RPC (dealer_leasing,
issue 6): each company sees its machines, the idle ones for a period; each
salesperson his leases; the financed machine bought back is in stock as
repossessed; the group leader approved the deliveries."""
import datetime as dt

from test_rpc import xmlrpc_proxy

# scripts/, on sys.path by conftest.py
from demo.leasing import (
    ACTIVE_LEASE, ENDED_LEASE, FINANCED, LEASES, RESERVED_LEASE)


def search_read(server, login, model, domain, fields, order=None,
        context=None):
    return getattr(xmlrpc_proxy(server, login).model, model).search_read(
        domain, 0, None, order, fields, context or {})


def machines(server, login, domain=(), context=None):
    return {m['number']: m for m in search_read(server, login, 'stock.lot',
            [['machine', '=', True], *domain], ['number', 'status'],
            [['number', 'ASC']], context=context)}


def test_machines_by_company(server):
    shanghai = machines(server, 'back_office')
    assert shanghai and all('-SH-' in n for n in shanghai)
    guangzhou = machines(server, 'sales_chen')
    assert guangzhou and all('-GZ-' in n for n in guangzhou)


def test_machine_status(server):
    status = {n: m['status'] for n, m in machines(server, 'boss').items()}
    assert status[ACTIVE_LEASE.machine] == 'leased'
    assert status[RESERVED_LEASE.machine] == 'reserved'
    assert status[FINANCED.machine] == 'repossessed'
    # The ended lease was converted: the loader waits to ship to its buyer.
    assert status[ENDED_LEASE.machine] in {'idle', 'reserved'}


def test_idle_machines_for_a_period(server):
    # The company's today (Asia/Shanghai), not the machine's date.
    api = xmlrpc_proxy(server, 'back_office')
    context = api.model.res.user.get_preferences(True, {})
    today = api.model.ir.date.today(context)  # Tryton's date struct
    today = dt.date(today['year'], today['month'], today['day'])
    period = {'from_date': (today + dt.timedelta(days=10)).isoformat(),
        'to_date': (today + dt.timedelta(days=12)).isoformat()}
    idle = machines(server, 'back_office', [['idle', '=', True]], period)
    assert ACTIVE_LEASE.machine not in idle
    assert RESERVED_LEASE.machine not in idle
    assert FINANCED.machine in idle
    assert idle and all('-SH-' in n for n in idle)


def test_leases_by_salesperson(server):
    for login in ['sales_zhang', 'sales_liu']:
        leases = search_read(server, login, 'sale.rental', [],
            ['description', 'state'])
        expected = [lease for lease in LEASES if lease.salesperson == login]
        assert len(leases) == len(expected), (login, leases)
        assert {l['description'].split('（')[1].rstrip('）')
            for l in leases} == {lease.machine for lease in expected}
    assert search_read(server, 'sales_chen', 'sale.rental', [], ['id']) == []


def test_buyback_and_deliveries(server):
    buybacks = search_read(server, 'finance', 'dealer.buyback', [],
        ['state', 'amount'])
    assert [b['state'] for b in buybacks] == ['done']
    contracts = search_read(server, 'sales_zhang', 'dealer.finance.contract',
        [], ['state'])
    assert [c['state'] for c in contracts] == ['bought_back']
    releases = search_read(server, 'boss', 'dealer.delivery.release', [],
        ['approval_state', 'origin', 'delivered', 'machine_names'])
    picked_up = [lease for lease in LEASES
        if lease.hour_meter_out is not None]
    # Each lease picked up, and the financed machine's shipment
    assert len([r for r in releases if r['origin'].startswith(
                'sale.rental,')]) == len(picked_up)
    shipped, = [r for r in releases
        if r['origin'].startswith('stock.shipment.out,')]
    assert shipped['machine_names'] == FINANCED.machine
    assert shipped['delivered']
    assert all(r['approval_state'] == 'approved' for r in releases)
