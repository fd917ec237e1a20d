#!/usr/bin/env python3
"""What the load test (bench/load.py) needs in a demo database: a group of
nine companies, staff for every role of the mix in each, customers, a pool
to claim from and running payment plans to receive on.

The demo (scripts/setup_database.py --demo) has three companies and the
staff of 上海 (and one salesperson in 广州).  Added here, through the
demo's own loaders where they fit:
  - six companies (chart, fiscal years, warehouse, numbering, prices,
    finance and pool settings), as the demo makes its three;
  - in each company what its staff lacks of: two salespeople, a sales
    manager (the back office's and salespeople's supervisor: the sale
    approval flow's first step), back office, finance, collection; and in
    every company an integrator (`api_<short>`, the finance position: the
    demo has no integration position).  Demo logins are used where the
    demo has them (sales_zhang, sales_liu, sales_manager, back_office,
    finance, collector in 上海; sales_chen in 广州); the demo's password;
  - CUSTOMERS_PER_SALESPERSON customers owned by each salesperson, POOLED
    customers in each company's pool, the pool's limits lifted (the load
    claims hundreds a day);
  - PLANS running payment plans per company of PLAN_TOTAL each, monthly
    instalments from six months ago (so some are overdue, for collection).

Adds nothing to a database that has them (`api_sh` exists).  Then prints
on its last line the group as the locustfile needs it, read from the
database (companies, warehouses, logins by role, the salespeople's
customers, the plans, the machines); bench/load.py gives it to locust.

    .venv/bin/python bench/load_data.py --database bench_load_...
"""
import argparse
import os
import sys
from decimal import Decimal
from random import Random
from unittest import mock

import generate
from harness import CONFIG_FILE, DEFAULT_URI, ROOT, log, print_json

sys.path.insert(0, os.path.join(ROOT, 'scripts'))

# The six companies added to the demo's three: (city, short code)
MORE_COMPANIES = [('北京', 'BJ'), ('杭州', 'HZ'), ('南京', 'NJ'),
    ('西安', 'XA'), ('郑州', 'ZZ'), ('沈阳', 'SY')]
SALESPEOPLE = 2
CUSTOMERS_PER_SALESPERSON = 90   # a full first page (80) of "my customers"
POOLED = 500                     # per company: a run claims a few hundred
PLANS = 10                       # per company: receipts lock their plan
PLAN_TOTAL = Decimal('5000000.00')
PLAN_MONTHS = 24
# role in the mix: dealer_base's standard position
POSITIONS = {'salesperson': 'salesperson', 'manager': 'sales_manager',
    'back_office': 'back_office', 'finance': 'finance',
    'collector': 'collector', 'integrator': 'finance'}
# The demo's logins by (company short, role of the mix)
DEMO_LOGINS = {
    ('SH', 'salesperson'): ['sales_zhang', 'sales_liu'],
    ('SH', 'manager'): ['sales_manager'],
    ('SH', 'back_office'): ['back_office'],
    ('SH', 'finance'): ['finance'],
    ('SH', 'collector'): ['collector'],
    ('GZ', 'salesperson'): ['sales_chen'],
    }


def members():
    "The nine GroupCompany: the demo's, then ours"
    from demo.group import COMPANIES, GroupCompany
    return COMPANIES + [GroupCompany(f'鼎盛工程机械（{city}）有限公司', short,
            city) for city, short in MORE_COMPANIES]


def staff_of(member):
    """(role of the mix, Staff of demo.staff) to create in the company: the
    roles the demo does not fill; the manager first, the supervisor of the
    others"""
    from demo.staff import Staff
    rng = Random(member.short)
    short = member.short.lower()
    manager = (DEMO_LOGINS.get((member.short, 'manager'))
        or [f'manager_{short}'])[0]
    wanted = [('manager', 1), ('salesperson', SALESPEOPLE),
        ('back_office', 1), ('finance', 1), ('collector', 1),
        ('integrator', 1)]
    staff = []
    for role, n in wanted:
        have = DEMO_LOGINS.get((member.short, role), [])
        for i in range(len(have), n):
            login = (f'api_{short}' if role == 'integrator'
                else f'{role}{i + 1}_{short}' if n > 1
                else f'{role}_{short}')
            staff.append((role, Staff(login, generate.person_name(rng),
                        POSITIONS[role], member, None
                        if role in {'manager', 'integrator'} else manager)))
    return staff


def logins_of(member):
    "The company's logins by role of the mix: the demo's, then ours"
    return {role: DEMO_LOGINS.get((member.short, role), []) + [
            s.login for r, s in staff_of(member) if r == role]
        for role in POSITIONS}


def add_companies(config):
    "The six companies, as the demo makes its own; return them in order"
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import create_companies
    from demo.finance import GRACE_DAYS, PENALTY_RATE, REMINDER_DAYS
    from demo.load import group, products
    from demo.load.tools import switch_company
    from demo.products import MACHINES, PARTS
    Product = Model.get('product.product', config=config)
    Settings = Model.get('dealer.finance.settings', config=config)
    Journal = Model.get('account.journal', config=config)
    new = members()[3:]
    companies = create_companies([m.name for m in new],
        currency=group.currency(config), timezone='Asia/Shanghai',
        codes=[f'CO-{m.short}' for m in new], config=config)
    by_code = {p.code: p for p in Product.find(
            [('code', 'in', [g.code for g in MACHINES + PARTS])])}
    misc, = Journal.find([('code', '=', 'MISC')])
    for company, member in zip(companies, new):
        log(f'company {member.city} ({member.short})')
        accounts = group.accounting(config, company)
        products.company_prices(config, by_code)
        group.warehouse(config, company, member)
        group.numbering(config, company, member.short)
        settings = Settings(company=company, penalty_rate=PENALTY_RATE,
            grace_days=GRACE_DAYS, reminder_days=REMINDER_DAYS,
            penalty_account=accounts['revenue'], penalty_journal=misc)
        group.own_numbering(config, settings, member.short)
        settings.save()
    switch_company(config, companies[0])
    return companies


def add_staff(config, companies, group_members):
    """The staff of staff_of through the demo's own staff.create (written
    for the demo's list: given ours)"""
    from demo.load import staff as staff_loader
    with mock.patch.object(staff_loader, 'USERS',
                [s for m in group_members for _, s in staff_of(m)]), \
            mock.patch.object(staff_loader, 'COMPANIES', group_members):
        staff_loader.create(config, companies)


def add_customers(config, company, member, salespeople, rng):
    """The salespeople's customers and the pool, the pool's limits lifted;
    return the owned ones' ids"""
    from proteus import Model
    from demo.load.tools import switch_company
    Party = Model.get('party.party', config=config)
    Type = Model.get('dealer.customer.type', config=config)
    Settings = Model.get('dealer.customer.pool.settings', config=config)
    switch_company(config, company)
    formal, intention = (Type.find([('name', '=', n)])[0].id
        for n in ['Formal', 'Intention'])
    settings = Settings.find([('company', '=', company.id)])
    settings = settings[0] if settings else Settings(company=company)
    # No limits: the load claims far more than a person would in a day.
    settings.max_customers = settings.max_claims_per_day = None
    settings.save()
    owners = [e.id for e in salespeople
        for _ in range(CUSTOMERS_PER_SALESPERSON)] + [None] * POOLED
    # create() with the values, not proteus' records: their on_changes
    # made it ten times slower
    ids = Party._proxy.create([{'name': generate.customer_name(rng, i),
                'is_customer': True, 'company': company.id, 'owner': owner,
                'customer_type': formal if owner else intention,
                'addresses': [('create', [{'city': member.city}])]}
            for i, owner in enumerate(owners)], config.context)
    return [i for i, owner in zip(ids, owners) if owner]


def add_plans(config, finance, customers, today):
    """PLANS running payment plans on customers, entered by the company's
    finance login (the administrator may not read their instalments)"""
    from proteus import Model
    from trytond.modules.dealer_finance.plan import add_months
    from demo.load.tools import acting_as
    first = add_months(today, -6, 10)
    each = (PLAN_TOTAL / PLAN_MONTHS).quantize(Decimal('0.01'))
    with acting_as(config, finance):
        Plan = Model.get('dealer.payment.plan', config=config)
        Party = Model.get('party.party', config=config)
        plans = []
        for customer in customers[:PLANS]:
            customer = Party(customer)
            plan = Plan(customer=customer, owner=customer.owner,
                total_amount=PLAN_TOTAL)
            for i in range(PLAN_MONTHS):
                plan.lines.new(sequence=i + 1,
                    due_date=add_months(first, i, 10),
                    amount=each if i < PLAN_MONTHS - 1
                    else PLAN_TOTAL - each * (PLAN_MONTHS - 1))
            plans.append(plan)
        Plan.save(plans)
        Plan.click(plans, 'run')


def describe(config, companies, group_members):
    """What the locustfile needs, by company, read from the database: the
    logins, the salespeople's customers, the load's plans"""
    from proteus import Model
    from demo.load.tools import acting_as, switch_company
    from demo.products import MACHINES
    Product = Model.get('product.product', config=config)
    Location = Model.get('stock.location', config=config)
    Party = Model.get('party.party', config=config)
    User = Model.get('res.user', config=config)
    machines = Product.find([('code', 'in', [g.code for g in MACHINES])])
    price = {g.code: g.list_price for g in MACHINES}
    result = {'companies': [],
        'machines': [{'id': p.id, 'unit': p.default_uom.id,
                'price': str(price[p.code])} for p in machines],
        'currency': companies[0].currency.id,
        'brands': generate.BRANDS}
    for company, member in zip(companies, group_members):
        switch_company(config, company)
        logins = logins_of(member)
        salespeople = [User.find([('login', '=', login)])[0].employee.id
            for login in logins['salesperson']]
        customers = [p.id for p in Party.find([
                    ('company', '=', company.id), ('is_customer', '=', True),
                    ('owner', 'in', salespeople)])]
        with acting_as(config, logins['finance'][0]):
            Plan = Model.get('dealer.payment.plan', config=config)
            plans = [{'id': p.id, 'customer': p.customer.id}
                for p in Plan.find([('state', '=', 'running'),
                        ('total_amount', '=', PLAN_TOTAL)])]
        result['companies'].append({'id': company.id, 'short': member.short,
                'warehouse': Location.find(
                    [('code', '=', f'WH-{member.short}')])[0].id,
                'logins': logins, 'customers': customers, 'plans': plans})
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--database', required=True)
    args = parser.parse_args()
    from proteus import Model
    from proteus import config as pconfig
    from trytond import config as tconfig
    os.environ.setdefault('TRYTOND_DATABASE__URI', DEFAULT_URI)
    tconfig.update_etc(CONFIG_FILE)
    config = pconfig.set_trytond(
        f"{tconfig.get('database', 'uri').rstrip('/')}/{args.database}",
        config_file=CONFIG_FILE)
    config.skip_warning = True
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    group_members = members()
    if not User.find([('login', '=', 'api_sh')]):
        prepare(config, group_members)
    print_json(describe(config, [Company.find(
                    [('party.name', '=', m.name)])[0]
                for m in group_members], group_members))


def prepare(config, group_members):
    "Add the companies, staff, customers and plans"
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import company_today
    from demo.load.tools import switch_company
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    log('load data: six more companies (chart, fiscal years, warehouse, '
        'numbering, settings)')
    # The test tools find sequence types by their English names: the
    # administrator, whom the demo left in Chinese, in English meanwhile
    # (switch_company takes the context from his preferences).
    Lang = Model.get('ir.lang', config=config)
    admin = User(config.user)
    admin_language = admin.language
    admin.language, = Lang.find([('code', '=', 'en')])
    admin.save()
    companies = [Company.find([('party.name', '=', m.name)])[0]
        for m in group_members[:3]] + add_companies(config)
    log('load data: staff')
    add_staff(config, companies, group_members)
    rng = Random(17)
    switch_company(config, companies[0])
    today = company_today(config=config)
    for company, member in zip(companies, group_members):
        log(f'load data: customers and plans of {member.short}')
        logins = logins_of(member)
        salespeople = [User.find([('login', '=', login)])[0].employee
            for login in logins['salesperson']]
        customers = add_customers(config, company, member, salespeople, rng)
        add_plans(config, logins['finance'][0], customers, today)
    switch_company(config, companies[0])
    admin = User(config.user)
    admin.language = admin_language
    admin.save()


if __name__ == '__main__':
    main()
