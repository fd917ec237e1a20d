#!/usr/bin/env python3
"""Demo data of the dealer management system: a dealer group of three
companies in CNY with charts of accounts and fiscal years, a warehouse per
company, employees with a login for every role, serialised machines in stock,
parts, customers and their contacts; their sale contracts with payment plans,
receipts, overdue penalties, collection, waivers and payment requests.

Loaded once: a database that already has the group's companies is left as it
is, except that the finance part is added to one that lacks it (a database
made before dealer_finance).  Every demo login shares the password
DEMO_PASSWORD.
"""
import argparse
import contextlib
import datetime as dt
import os
import sys
from decimal import Decimal

DEMO_PASSWORD = 'dealer-demo-2026'
TIMEZONE = 'Asia/Shanghai'

# (name, short name used in codes)
COMPANIES = [
    ('鼎盛工程机械（上海）有限公司', 'SH'),
    ('鼎盛工程机械（广州）有限公司', 'GZ'),
    ('鼎盛工程机械（成都）有限公司', 'CD'),
    ]

# login, name, role (its standard position in dealer_base), company index,
# supervisor login.  The position gives the groups, companies and data scope.
USERS = [
    ('boss', '王建国', 'boss', 0, None),
    ('sales_manager', '李明', 'sales_manager', 0, 'boss'),
    ('sales_zhang', '张伟', 'salesperson', 0, 'sales_manager'),
    ('sales_liu', '刘洋', 'salesperson', 0, 'sales_manager'),
    ('sales_chen', '陈静', 'salesperson', 1, 'boss'),
    ('back_office', '赵敏', 'back_office', 0, 'sales_manager'),
    ('finance', '孙丽', 'finance', 0, 'boss'),
    ('cashier', '吴敏', 'finance', 0, 'finance'),
    ('collector', '周强', 'collector', 0, 'finance'),
    ('purchaser', '吴刚', 'purchaser', 0, 'boss'),
    ('warehouse', '郑磊', 'warehouse', 0, 'boss'),
    ('service', '冯芳', 'service', 0, 'boss'),
    ('maintenance', '何军', 'maintenance', 0, 'service'),
    ('technician', '马超', 'technician', 0, 'maintenance'),
    ('sysadmin', '高飞', 'administrator', 0, 'boss'),
    ]

ROLE_LABELS = {
    'boss': '集团总经理 / group leader',
    'sales_manager': '销售经理 / sales manager',
    'salesperson': '销售员 / salesperson',
    'back_office': '内勤 / back office',
    'finance': '财务 / finance',
    'collector': '催收 / collection staff',
    'purchaser': '采购 / purchaser',
    'warehouse': '库管 / warehouse keeper',
    'service': '客服 / customer service',
    'maintenance': '维修 / maintenance',
    'technician': '技术员 / technician',
    'administrator': '系统管理员 / administrator',
    }

# name, code, list price, cost price, serial numbers per company
MACHINES = [
    ('履带式挖掘机 SY215C', 'EX-SY215C', Decimal('880000'), Decimal('760000'),
        3),
    ('轮式装载机 LW500KV', 'LD-LW500KV', Decimal('420000'), Decimal('356000'),
        2),
    ('小型挖掘机 SY75C', 'EX-SY75C', Decimal('360000'), Decimal('305000'), 2),
    ]
# name, code, list price, cost price, quantity per warehouse
PARTS = [
    ('液压油滤芯', 'PT-HF-001', Decimal('380'), Decimal('210'), 40),
    ('斗齿（标准型）', 'PT-BT-215', Decimal('260'), Decimal('150'), 60),
    ('发动机机油 15W-40 (18L)', 'PT-OIL-18L', Decimal('720'), Decimal('520'),
        30),
    ('履带板总成', 'PT-TS-215', Decimal('5800'), Decimal('4300'), 8),
    ]
# customer (company or person), tax id, phone, city, contacts (name, role at
# the customer), company index, owner login (None: in the company's pool).
CUSTOMERS = [
    ('上海宏达土石方工程有限公司', '91310115MA1H7XXX1', '021-58880001', '上海',
        [('陈志强', 'legal_representative'), ('林晓燕', 'purchasing')],
        0, 'sales_zhang'),
    ('苏州建工机械租赁有限公司', '91320505MA1N2XXX2', '0512-66550002', '苏州',
        [('黄海', 'general_manager'), ('王芳', 'site_manager')],
        0, 'sales_liu'),
    ('嘉兴华丰土方工程有限公司', '91330402MA2XXXX6', '0573-82220006', '嘉兴',
        [('沈建华', 'legal_representative')], 0, None),
    ('刘德福', None, '13900000005', '嘉兴', [], 0, None),
    ('广州南沙港建设工程有限公司', '91440115MA59XXXX3', '020-84990003', '广州',
        [('梁国栋', 'legal_representative')], 1, 'sales_chen'),
    ('成都天府矿业有限公司', '91510100MA6CXXXX4', '028-86660004', '成都',
        [('杨帆', 'other')], 2, None),
    ]


def log(msg):
    print(f'[dealer] {msg}', file=sys.stderr, flush=True)


def _switch_company(config, company):
    from proteus import Model
    User = Model.get('res.user', config=config)
    admin = User(config.user)
    admin.company = company
    admin.save()
    config._context = User.get_preferences(True, {})


def _currency(config):
    from proteus import Model
    Currency = Model.get('currency.currency', config=config)
    Rate = Model.get('currency.currency.rate', config=config)
    currency, = Currency.find([('code', '=', 'CNY')]) or [None]
    if not currency:
        currency = Currency(name='人民币', code='CNY', symbol='¥',
            numeric_code='156', rounding=Decimal('0.01'), digits=2)
        currency.save()
        Rate(date=dt.date(2000, 1, 1), rate=Decimal(1),
            currency=currency).save()
    return currency


def _companies(config, currency):
    from trytond.modules.dealer_base.tests.tools import create_companies
    return create_companies([n for n, _ in COMPANIES], currency=currency,
        timezone=TIMEZONE, codes=[f'CO-{s}' for _, s in COMPANIES],
        config=config)


def _accounting(config, company):
    from proteus import Model
    from trytond.modules.account.tests.tools import create_chart, get_accounts
    from trytond.modules.dealer_base.tests.tools import (
        company_today, create_fiscal_years)
    _switch_company(config, company)
    create_chart(company, config=config)
    # The demo goes back up to a year (contracts signed months ago) and
    # forward into the next (leases and opportunities to come).
    create_fiscal_years(company, company_today(config=config).year - 1,
        config=config)
    accounts = get_accounts(company, config=config)
    Account = Model.get('account.account', config=config)
    for kind in ('receivable', 'payable'):
        account = Account(accounts[kind].id)
        account.party_required = True
        account.save()
    return accounts


def _next_fiscal_years(config):
    """Open the next fiscal year of each demo company once its today is
    within a month of the end of its last one, so that a demo database
    keeps accepting invoices and payments after the year turns"""
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import (
        company_today, create_fiscal_years)
    Company = Model.get('company.company', config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    for name, _ in COMPANIES:
        company, = Company.find([('party.name', '=', name)])
        _switch_company(config, company)
        today = company_today(config=config)
        last, = FiscalYear.find([('company', '=', company.id)],
            order=[('end_date', 'DESC')], limit=1)
        if (last.end_date - today).days <= 31:
            log(f'opening the fiscal year {last.end_date.year + 1} '
                f'of {name}')
            # The test tools find the sequence types by their English name.
            with config.set_context(language='en'):
                create_fiscal_years(company, last.end_date.year + 1,
                    max(last.end_date.year + 1, today.year), config=config)


def _warehouse(config, company, short, city):
    "The company's warehouse: its zones and lease location are its own"
    from proteus import Model
    Location = Model.get('stock.location', config=config)
    if short == COMPANIES[0][1]:
        warehouse, = Location.find([('code', '=', 'WH')])
        warehouse.name = f'{city}总仓'
        warehouse.code = f'WH-{short}'
        warehouse.company = company
        warehouse.save()
        return warehouse
    locations = {}
    for kind, label in [('input', '收货区'), ('output', '发货区'),
            ('storage', '库区')]:
        loc = Location(name=f'{city}{label}', type='storage',
            code=f'{short}-{kind[:3].upper()}')
        loc.save()
        locations[kind] = loc
    rental = Location(name=f'{city}租赁在外', type='rental',
        code=f'RENT-{short}', company=company)
    rental.save()
    warehouse = Location(name=f'{city}总仓', type='warehouse',
        code=f'WH-{short}', company=company, rental_location=rental,
        input_location=locations['input'],
        output_location=locations['output'],
        storage_location=locations['storage'])
    warehouse.save()
    for loc in locations.values():
        loc.parent = warehouse
        loc.save()
    return warehouse


# Each company numbers its own documents, the prefix saying which document
# of which company: (configuration, field, prefix code).
NUMBERING = [
    ('sale.configuration', 'sale_sequence', 'SO'),
    ('sale.configuration', 'sale_opportunity_sequence', 'OPP'),
    ('sale.configuration', 'rental_sequence', 'LS'),
    ('purchase.configuration', 'purchase_sequence', 'PO'),
    ('stock.configuration', 'shipment_in_sequence', 'IN'),
    ('stock.configuration', 'shipment_in_return_sequence', 'RTS'),
    ('stock.configuration', 'shipment_out_sequence', 'OUT'),
    ('stock.configuration', 'shipment_out_return_sequence', 'RTC'),
    ('stock.configuration', 'shipment_internal_sequence', 'INT'),
    ('stock.configuration', 'inventory_sequence', 'INV'),
    ]


def _numbering(config, company, short):
    """The company's own sequences of Tryton's documents (the current
    company of config), of the types of the shared ones: SO-SH-2026-00001"""
    from proteus import Model
    Sequence = Model.get('ir.sequence', config=config)
    for model, field, code in NUMBERING:
        configuration = Model.get(model, config=config)(1)
        shared = getattr(configuration, field)
        sequence = Sequence(name=f'{code}-{short}', company=company,
            sequence_type=shared.sequence_type,
            prefix=f'{code}-{short}-${{year}}-', padding=5)
        sequence.save()
        setattr(configuration, field, sequence)
        configuration.save()


def _products(config, revenue, expense):
    from proteus import Model
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    products = {}
    for label, code, items, lot in [
            ('整机', 'MACHINE', MACHINES, True),
            ('配件', 'PART', PARTS, False)]:
        category = Category(name=label, code=code, accounting=True,
            account_revenue=revenue, account_expense=expense)
        category.save()
        for name, pcode, list_price, cost_price, _ in items:
            template = Template(name=name, code=pcode, type='goods',
                default_uom=unit, list_price=list_price,
                cost_price_method='average', salable=True, purchasable=True,
                account_category=category)
            template.sale_uom = unit
            template.purchase_uom = unit
            if lot:
                template.machine = True
                template.lot_required = ['supplier', 'customer', 'storage']
            product, = template.products
            product.cost_price = cost_price
            template.save()
            products[pcode] = template.products[0]
    return products


def _company_prices(config, products):
    "List prices are per company: give the current company the list's"
    from proteus import Model
    Product = Model.get('product.product', config=config)
    prices = {code: price for _, code, price, _, _ in MACHINES + PARTS}
    for code, product in products.items():
        template = Product(product.id).template
        template.list_price = prices[code]
        template.save()


def _stock(config, company, warehouse, short, products, today):
    from proteus import Model
    Location = Model.get('stock.location', config=config)
    Move = Model.get('stock.move', config=config)
    Lot = Model.get('stock.lot', config=config)
    supplier, = Location.find([('code', '=', 'SUP')])
    moves = []
    for items, lot in [(MACHINES, True), (PARTS, False)]:
        for name, code, _, cost_price, quantity in items:
            product = products[code]
            for n in range(quantity if lot else 1):
                move = Move(product=product, company=company,
                    from_location=supplier,
                    to_location=warehouse.storage_location,
                    quantity=1 if lot else quantity, unit=product.default_uom,
                    unit_price=cost_price, currency=company.currency,
                    effective_date=today)
                if lot:
                    move.lot = Lot(
                        number=f'{code[3:]}-{short}-{n + 1:04d}',
                        product=product)
                    move.lot.save()
                moves.append(move)
    Move.save(moves)
    Move.click(moves, 'do')


def _customers(config, companies, employees):
    "Customers with their contacts, owned or in the pool; visits"
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import company_today
    Party = Model.get('party.party', config=config)
    Link = Model.get('dealer.contact.link', config=config)
    Type = Model.get('dealer.customer.type', config=config)
    Visit = Model.get('dealer.visit', config=config)
    Settings = Model.get('dealer.customer.pool.settings', config=config)
    formal, intention = (Type.find([('name', '=', n)])[0]
        for n in ['Formal', 'Intention'])
    visits = []

    def short_of(ci):
        return COMPANIES[ci][1]

    for (name, tax_id, phone, city, contacts, ci, owner_login
            ) in sorted(CUSTOMERS, key=lambda c: c[5]):
        company = companies[ci]
        if config.context.get('company') != company.id:
            _switch_company(config, company)
            Settings(company=company, max_customers=50,
                max_claims_per_day=5, reclaim_days=30).save()
        owner = Model.get('company.employee', config=config)(
            employees[owner_login, ci].id) if owner_login else None
        customer = Party(name=name, is_customer=True, company=company,
            owner=owner, customer_type=formal if owner else intention,
            is_contact=not tax_id)
        customer.addresses[0].city = city
        customer.contact_mechanisms.new(type='phone', value=phone)
        if tax_id:
            customer.identifiers.new(code=tax_id)
        customer.save()
        for contact_name, role in contacts:
            contact = Party(name=contact_name, is_contact=True,
                company=company, owner=owner)
            contact.addresses[0].city = city
            contact.save()
            Link(customer=customer, contact=contact, role=role).save()
        if owner:
            visits.append((owner_login, customer.id, city, short_of(ci)))
    # The salespeople log their own visits.
    User = Model.get('res.user', config=config)
    admin, admin_context = config.user, config._context
    for login, customer_id, city, short in visits:
        config.user = _user_id(config, login)
        config._context = User.get_preferences(True, {})
        visit = Visit(customer=Party(customer_id), channel='visit',
            place=f'{city}工地',
            date=dt.datetime.now() - dt.timedelta(days=3),
            summary='介绍SY215C挖掘机，客户关注油耗和按揭方案',
            next_action='发送报价单',
            next_action_date=company_today(config=config)
            + dt.timedelta(days=2))
        visit.save()
        visit.click('done')
        Visit(customer=Party(customer_id), channel='phone',
            date=dt.datetime.now() + dt.timedelta(days=2),
            next_action='电话回访报价反馈').save()
        _opportunities(config, Party(customer_id), short)
    config.user, config._context = admin, admin_context


# Sale contracts: the requester's manager approves, then the group leader
# above this amount.
SALE_BOSS_ABOVE = Decimal('1000000')

# One opportunity per stage for each owned customer: (amount, probability,
# months to the expected close, final stage).
OPPORTUNITIES = [
    (Decimal('880000'), 0.1, 3, 'lead'),
    (Decimal('1760000'), 0.5, 1, 'opportunity'),
    (Decimal('420000'), 0.8, 1, 'converted'),
    (Decimal('360000'), 1.0, 0, 'won'),
    (Decimal('720000'), 0.3, 2, 'lost'),
    ]


def _opportunities(config, customer, short):
    "The current (salesperson) user's opportunities with the customer"
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import company_today
    Opportunity = Model.get('sale.opportunity', config=config)
    Product = Model.get('product.product', config=config)
    User = Model.get('res.user', config=config)
    machine, = Product.find([('code', '=', MACHINES[0][1])])
    employee = User(config.user).employee
    today = company_today(config=config)
    for amount, probability, months, stage in OPPORTUNITIES:
        opportunity = Opportunity(party=customer, amount=amount,
            conversion_probability=probability, employee=employee,
            expected_close=today + dt.timedelta(days=30 * months),
            description=f'{machine.name} × {int(amount // 440000) or 1}')
        line = opportunity.lines.new(product=machine, quantity=1)
        line.unit = machine.default_uom
        if stage != 'lead':
            opportunity.competitors.new(competitor='卡特彼勒代理商',
                offer='CAT 320GC', offer_amount=amount * Decimal('1.03'))
        opportunity.save()
        if stage == 'lead':
            continue
        opportunity.click('opportunity')
        if stage == 'lost':
            opportunity.lost_reason = '竞争对手价格更低'
            opportunity.click('lost')
        elif stage in {'converted', 'won'}:
            sale, = opportunity.click('convert')
            sale.warehouse, = Model.get('stock.location',
                config=config).find([('code', '=', f'WH-{short}')])
            for sale_line in sale.lines:
                sale_line.unit_price = amount
            sale.save()
            if stage == 'won':
                sale = _approved(config, sale)
                sale.click('quote')
                sale.click('confirm')


def _users(config, companies):
    from proteus import Model
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    User = Model.get('res.user', config=config)
    Position = Model.get('res.role', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Lang = Model.get('ir.lang', config=config)
    Company = Model.get('company.company', config=config)
    zh, = Lang.find([('code', '=', 'zh_CN')])
    employees = {}
    for login, name, role, ci, supervisor in USERS:
        company = companies[ci]
        granted = companies if role == 'boss' else [company]
        party = Party(name=name)
        party.save()
        # A supervisor is an employee of the same company: the group leader
        # is employed by every company of the group.
        for c in granted:
            employee = Employee(party=party, company=c,
                start_date=dt.date(2020, 1, 1))
            if supervisor:
                employee.supervisor = employees[supervisor, companies.index(c)]
            employee.save()
            employees[login, companies.index(c)] = employee
        user = User(login=login, name=name, password=DEMO_PASSWORD,
            language=zh)
        user.email = f'{login}@dealer.example.com'
        user.companies.extend(Company(c.id) for c in granted)
        user.company = company
        user.employees.extend(Employee(employees[login, companies.index(c)].id)
            for c in granted)
        user.employee = Employee(employees[login, ci].id)
        holding = user.roles.new()
        holding.role = Position(ModelData.get_id(
                'dealer_base', f'position_{role}', config.context))
        if len(granted) > 1:
            user.company_filter = 'all'
        user.save()
    return employees


# --- Finance (dealer_finance) -------------------------------------------
# Overdue penalty terms of every company: 0.05 % a day after 3 days of grace.
PENALTY_RATE = Decimal('0.0005')
GRACE_DAYS = 3
REMINDER_DAYS = 3
# Penalty waivers: the collector's supervisor, then the group leader above
# this amount.  Payment requests: finance, then the group leader above.
WAIVER_BOSS_ABOVE = Decimal('5000')
PAYMENT_REQUEST_BOSS_ABOVE = Decimal('100000')
SUPPLIER = '三一重工股份有限公司'
CREDIT_LIMIT = ('上海宏达土石方工程有限公司', Decimal('2000000'))

# Sale contracts on payment plans, dates in days from today (negative: ago):
# key, company index, customer, salesperson, product code, contract day,
# down payment (%), monthly instalments, first due day (or 'k:n': the k-th
# monthly instalment falls due n days from today), receipts as (day, or
# 'k:n': n days after the k-th instalment's due date; amount, or 'down' or
# an instalment's number: the whole of it).  The company's finance staff
# enter the plans and the receipts.
CONTRACTS = [
    # paid off on time: the plan is closed
    ('paid', 0, '上海宏达土石方工程有限公司', 'sales_zhang', 'EX-SY75C',
        -240, 30, 6, -210,
        [(-240, 'down')] + [(f'{i}:0', i) for i in range(1, 7)]),
    # behind: a partial payment, two instalments overdue with penalty, one
    # due yesterday; collection, a waiver
    ('overdue', 0, '苏州建工机械租赁有限公司', 'sales_liu', 'EX-SY215C',
        -130, 20, 12, '4:-1',
        [(-130, 'down'), ('1:2', 1), (-40, Decimal('20000.00'))]),
    # on time: the down payment received, the first instalment due in
    # REMINDER_DAYS days
    ('running', 0, '上海宏达土石方工程有限公司', 'sales_zhang', 'LD-LW500KV',
        -35, 30, 12, '1:%d' % REMINDER_DAYS, [(-35, 'down')]),
    ]


def _user_id(config, login):
    "The id of a login, looked up as root (users see only their companies')"
    from proteus import Model
    saved = config.user
    config.user = 0
    try:
        return Model.get('res.user', config=config).find(
            [('login', '=', login)])[0].id
    finally:
        config.user = saved


@contextlib.contextmanager
def _acting_as(config, login):
    "Let the demo login (or user id) do what follows (as the web client would)"
    from proteus import Model
    User = Model.get('res.user', config=config)
    saved = config.user, config._context
    config.user = login if isinstance(login, int) else _user_id(config, login)
    config._context = User.get_preferences(True, {})
    try:
        yield
    finally:
        config.user, config._context = saved


def _approved(config, document):
    """The current user submits the document; the approvers of each step
    then approve it, as they would from their approval list"""
    from proteus import Model
    document.click('approval_submit')
    name, document_id = document.__class__.__name__, document.id
    while True:
        document = Model.get(name, config=config)(document_id)
        if document.approval_state != 'waiting':
            return document
        with _acting_as(config, document.approval_approvers[0].id):
            Model.get(name, config=config)(document_id).click(
                'approval_approve')


def _sale_approval_flow(config):
    """Sale contracts are approved by the requester's manager, and above
    SALE_BOSS_ABOVE by the group leader, before they are quoted"""
    from proteus import Model
    Flow = Model.get('dealer.approval.flow', config=config)
    Position = Model.get('res.role', config=config)
    boss, = Position.find([('code', '=', 'BOSS')])
    flow = Flow(name='销售合同审批', document_model='sale.sale')
    flow.steps.new(name='销售经理审核', approver_type='supervisor')
    flow.steps.new(name='总经理审批', approver_type='position',
        position=boss, min_amount=SALE_BOSS_ABOVE)
    flow.save()


def _finance_loaded(config):
    """Whether the finance demo data is there: True (or dealer_finance is
    not activated), False, or None when an earlier load of it was
    interrupted"""
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import run_job
    Module = Model.get('ir.module', config=config)
    if not Module.find([
                ('name', '=', 'dealer_finance'), ('state', '=', 'activated'),
                ]):
        return True

    def count(pool):
        return [pool.get(m).search_count([]) for m in [
                'dealer.finance.settings',
                # the last finance record of the demo
                'dealer.payment.request']]
    settings, requests = run_job(count, config=config)
    if not settings:
        return False
    return True if requests else None


def _finance(config):
    "The finance part of the demo, on the group's companies and people"
    from proteus import Model
    from trytond.modules.dealer_base.tests.tools import run_job
    Company = Model.get('company.company', config=config)
    Date = Model.get('ir.date', config=config)
    companies = [Company.find([('party.name', '=', n)])[0]
        for n, _ in COMPANIES]
    _switch_company(config, companies[0])
    # The companies' today (Asia/Shanghai), which the jobs go by.
    today = Date.today(config.context)
    _finance_settings(config, companies)
    _approval_flows(config)
    plans = {}
    for contract in CONTRACTS:
        plans[contract[0]] = _contract(config, contract, today)
    _switch_company(config, companies[0])
    yesterday = today - dt.timedelta(days=1)
    # The nightly jobs, as the scheduler runs them (as root).
    run_job(lambda pool: pool.get('dealer.penalty.accrual').accrue_all(
            yesterday), config=config)
    _collection(config, plans['overdue'], today)
    run_job(lambda pool: pool.get(
            'dealer.collection.action').flag_broken_promises(today),
        config=config)
    run_job(lambda pool: pool.get('dealer.payment.plan').send_reminders(
            today), config=config)
    _credit_limit(config, companies[0])
    _payment_request(config, companies[0], today)


def _finance_settings(config, companies):
    """Penalty terms, penalty account and journal, and the cash payment
    method of the payment requests, per company"""
    from proteus import Model
    from trytond.modules.account.tests.tools import get_accounts
    Journal = Model.get('account.journal', config=config)
    Method = Model.get('account.invoice.payment.method', config=config)
    Settings = Model.get('dealer.finance.settings', config=config)
    misc, = Journal.find([('code', '=', 'MISC')])
    cash, = Journal.find([('code', '=', 'CASH')])
    for company in companies:
        _switch_company(config, company)
        accounts = get_accounts(company, config=config)
        method = Method(name='现金付款', company=company, journal=cash,
            credit_account=accounts['cash'], debit_account=accounts['cash'])
        method.save()
        Settings(company=company, penalty_rate=PENALTY_RATE,
            grace_days=GRACE_DAYS, reminder_days=REMINDER_DAYS,
            penalty_account=accounts['revenue'], penalty_journal=misc,
            payment_method=method).save()


def _approval_flows(config):
    "Who approves penalty waivers and payment requests, in every company"
    from proteus import Model
    Flow = Model.get('dealer.approval.flow', config=config)
    Position = Model.get('res.role', config=config)
    boss, = Position.find([('code', '=', 'BOSS')])
    finance, = Position.find([('code', '=', 'FINANCE')])
    flow = Flow(name='罚息减免审批', document_model='dealer.penalty.waiver')
    flow.steps.new(name='催收主管审核', approver_type='supervisor')
    flow.steps.new(name='总经理审批', approver_type='position',
        position=boss, min_amount=WAIVER_BOSS_ABOVE)
    flow.save()
    flow = Flow(name='付款申请审批', document_model='dealer.payment.request')
    flow.steps.new(name='财务审核', approver_type='position',
        position=finance)
    flow.steps.new(name='总经理审批', approver_type='position',
        position=boss, min_amount=PAYMENT_REQUEST_BOSS_ABOVE)
    flow.save()


def _days(spec, today):
    "'k:n' of CONTRACTS as (k, the day n days from today)"
    k, n = (int(x) for x in spec.split(':'))
    return k, today + dt.timedelta(days=n)


def _contract(config, contract, today):
    """The salesperson's sale contract, then finance's payment plan and the
    receipts; return the plan's id"""
    from proteus import Model, Wizard
    from trytond.modules.dealer_finance.plan import add_months
    (_, ci, customer_name, salesperson, code, signed, down, months,
        first_due, receipts) = contract
    short = COMPANIES[ci][1]
    signed = today + dt.timedelta(days=signed)
    with _acting_as(config, salesperson):
        Party = Model.get('party.party', config=config)
        Sale = Model.get('sale.sale', config=config)
        Product = Model.get('product.product', config=config)
        Location = Model.get('stock.location', config=config)
        User = Model.get('res.user', config=config)
        customer, = Party.find([('name', '=', customer_name)])
        product, = Product.find([('code', '=', code)])
        sale = Sale(party=customer, sale_date=signed,
            description=f'{product.name} 购销合同（分期付款）')
        sale.warehouse, = Location.find([('code', '=', f'WH-{short}')])
        line = sale.lines.new(product=product, quantity=1)
        line.unit_price = next(m[2] for m in MACHINES if m[1] == code)
        sale.save()
        sale = _approved(config, sale)
        sale.click('quote')
        sale.click('confirm')
        sale_id = sale.id
        owner_id = User(config.user).employee.id
    finance = next(u[0] for u in USERS if u[2] == 'finance' and u[3] == ci)
    with _acting_as(config, finance):
        Plan = Model.get('dealer.payment.plan', config=config)
        Sale = Model.get('sale.sale', config=config)
        Employee = Model.get('company.employee', config=config)
        Receipt = Model.get('dealer.payment.receipt', config=config)
        sale = Sale(sale_id)
        plan = Plan(customer=sale.party, owner=Employee(owner_id))
        plan.origin = sale
        plan.total_amount = sale.total_amount
        plan.save()
        if isinstance(first_due, str):
            # the k-th instalment falls due on that day
            k, day = _days(first_due, today)
            first_due = add_months(day, -(k - 1), day.day)
        else:
            day = first_due = today + dt.timedelta(days=first_due)
        generate = Wizard('dealer.payment.plan.generate', [plan],
            config=config)
        generate.form.down_payment = Decimal(down)
        generate.form.down_payment_date = signed
        generate.form.months = months
        generate.form.first_due_date = first_due
        generate.form.day_of_month = day.day
        generate.execute('generate')
        plan.reload()
        plan.click('run')
        lines = list(plan.lines)
        for n, (day, amount) in enumerate(receipts):
            if isinstance(day, str):
                k, after = (int(x) for x in day.split(':'))
                day = lines[k].due_date + dt.timedelta(days=after)
            else:
                day = today + dt.timedelta(days=day)
            if amount == 'down':
                amount = lines[0].amount
            elif isinstance(amount, int):
                amount = lines[amount].amount
            receipt = Receipt(plan=plan, date=day, amount=amount,
                reference=f'银行转账 {short}{day:%Y%m%d}{n + 1:02d}')
            receipt.click('post')
        return plan.id


def _collection(config, plan_id, today):
    """The collector chases the customer behind on payments: a promise
    already broken, a new one pending; and asks to waive half the penalty
    of the oldest overdue instalment"""
    from proteus import Model
    with _acting_as(config, 'collector'):
        Plan = Model.get('dealer.payment.plan', config=config)
        Action = Model.get('dealer.collection.action', config=config)
        Waiver = Model.get('dealer.penalty.waiver', config=config)
        plan = Plan(plan_id)
        overdue = [l for l in plan.lines
            if l.unpaid_amount and l.due_date < today]
        oldest = overdue[0]
        day = today - dt.timedelta(days=20)
        Action(customer=plan.customer, plan=plan, date=day, method='call',
            result='客户称工程款未到位，答应十天内付清第%d期' % oldest.sequence,
            promised_date=day + dt.timedelta(days=10),
            promised_amount=oldest.unpaid_amount,
            next_action='到期未付则上门催收',
            next_action_date=day + dt.timedelta(days=11)).save()
        day = today - dt.timedelta(days=8)
        Action(customer=plan.customer, plan=plan, date=day, method='sms',
            result='发送逾期提醒短信，客户未回复').save()
        day = today - dt.timedelta(days=2)
        Action(customer=plan.customer, plan=plan, date=day, method='visit',
            result='上门拜访财务经理，确认欠款金额，承诺下周付清逾期款项',
            promised_date=today + dt.timedelta(days=5),
            promised_amount=sum(l.unpaid_amount for l in overdue),
            next_action='电话确认付款进度',
            next_action_date=today + dt.timedelta(days=4)).save()
        waiver = Waiver(instalment=oldest, kind='percentage',
            percentage=Decimal(50),
            reason='客户长期合作、承诺下周付清逾期款项，申请减免该期罚息的50%')
        waiver.save()
        waiver.click('approval_submit')


def _credit_limit(config, company):
    """A credit limit on a customer (set by the administrator: the field
    is writable by account_credit_limit's group only)"""
    from proteus import Model
    name, amount = CREDIT_LIMIT
    _switch_company(config, company)
    Party = Model.get('party.party', config=config)
    customer, = Party.find([('name', '=', name)])
    customer.credit_limit_amount = amount
    customer.save()


def _payment_request(config, company, today):
    """The supplier's invoice for machines, posted by finance; the
    purchaser asks for a first payment on it, waiting for approval"""
    from proteus import Model
    Party = Model.get('party.party', config=config)
    supplier = Party(name=SUPPLIER, company=None, owner=None)
    supplier.addresses[0].city = '长沙'
    supplier.save()
    invoice_date = today - dt.timedelta(days=5)
    with _acting_as(config, 'finance'):
        Invoice = Model.get('account.invoice', config=config)
        Product = Model.get('product.product', config=config)
        product, = Product.find([('code', '=', MACHINES[0][1])])
        invoice = Invoice(type='in', party=Party(supplier.id),
            invoice_date=invoice_date, reference='SANY-FP-%s' % (
                invoice_date.strftime('%Y%m%d')))
        line = invoice.lines.new(product=product, quantity=2)
        line.unit_price = MACHINES[0][3]
        invoice.click('post')
        invoice_id = invoice.id
    with _acting_as(config, 'purchaser'):
        Request = Model.get('dealer.payment.request', config=config)
        Invoice = Model.get('account.invoice', config=config)
        request = Request(supplier=Party(supplier.id),
            description='支付SY215C挖掘机（2台）采购款首期')
        line = request.lines.new(invoice=Invoice(invoice_id))
        line.amount = Decimal('500000')
        request.save()
        request.click('approval_submit')


# --- Leasing (dealer_leasing) -------------------------------------------
# Daily rent of each machine model (the same in every company).
RENTS = {
    'EX-SY215C': Decimal('2800'),
    'LD-LW500KV': Decimal('1600'),
    'EX-SY75C': Decimal('900'),
    }
TURNAROUND_DAYS = 2
# Leases in Shanghai, days from today: key, serial, customer, salesperson,
# start, end, deposit, picked up (hour meter) and returned (day, hour
# meter).  The others of the company's machines stay idle.
LEASES = [
    # out on a construction site for a month
    ('active', 'SY215C-SH-0001', '上海宏达土石方工程有限公司', 'sales_zhang',
        -10, 20, Decimal('30000'), Decimal('1250.0'), None),
    # back from a one-month job, two days early
    ('ended', 'LW500KV-SH-0001', '苏州建工机械租赁有限公司', 'sales_liu',
        -60, -30, Decimal('20000'), Decimal('860.0'),
        (-32, Decimal('1088.5'))),
    # confirmed: the machine is reserved from next week
    ('reserved', 'SY75C-SH-0001', '上海宏达土石方工程有限公司', 'sales_zhang',
        5, 35, Decimal('10000'), None, None),
    ]
# A machine sold on a bank loan the dealer guaranteed (buyback commitment),
# in default and bought back: serial, customer, bank, salesperson, signed
# (days from today), price, down payment, months, annual rate (%), amount
# owed to the bank at the buyback.
FINANCED = ('SY215C-SH-0003', '上海宏达土石方工程有限公司', '中国工商银行上海分行',
    'sales_zhang', -200, Decimal('880000'), Decimal('180000'), 36,
    Decimal('6'), Decimal('586000'))


def _leasing_loaded(config):
    "Whether the leasing demo is there (True when dealer_leasing is off)"
    from proteus import Model
    Module = Model.get('ir.module', config=config)
    if not Module.find([
                ('name', '=', 'dealer_leasing'), ('state', '=', 'activated'),
                ]):
        return True
    Settings = Model.get('dealer.leasing.settings', config=config)
    return bool(Settings.find([]))


def _leasing(config):
    """Rentable machines, the companies' leasing settings, the group
    leader controlling deliveries, the leases of LEASES (the ended one
    converted into a sale) and a financed machine bought back"""
    from proteus import Model, Wizard
    from trytond.modules.account.tests.tools import get_accounts
    Company = Model.get('company.company', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Settings = Model.get('dealer.leasing.settings', config=config)
    User = Model.get('res.user', config=config)
    Position = Model.get('res.role', config=config)
    Date = Model.get('ir.date', config=config)
    companies = [Company.find([('party.name', '=', n)])[0]
        for n, _ in COMPANIES]
    _switch_company(config, companies[0])
    today = Date.today(config.context)
    day, = Uom.find([('name', '=', 'Day')])
    for code, rent in RENTS.items():
        template, = Template.find([('code', '=', code)])
        template.rentable = True
        template.rental_per_day = True
        template.rental_unit = day
        price = template.rental_prices.new()
        price.duration = dt.timedelta(days=1)
        price.price = rent
        template.save()
    Category = Model.get('product.category', config=config)
    for company in companies:
        _switch_company(config, company)
        Settings(company=company, turnaround_days=TURNAROUND_DAYS).save()
        # Rents are booked on the company's revenue account.
        category, = Category.find([('code', '=', 'MACHINE')])
        category.account_rental = get_accounts(
            company, config=config)['revenue']
        category.save()
    # The group leader is the risk controller who releases machines.
    boss, = User.find([('login', '=', 'boss')])
    holding = boss.roles.new()
    holding.role, = Position.find([('code', '=', 'RISK')])
    boss.save()
    _switch_company(config, companies[0])
    leases = {l[0]: _lease(config, l, today) for l in LEASES}
    # The customer back from the month's job buys the loader.
    with _acting_as(config, 'sales_liu'):
        Rental = Model.get('sale.rental', config=config)
        convert = Wizard('dealer.lease.conversion',
            [Rental(leases['ended'])], config=config)
        convert.execute('convert')
    _finance_contract_bought_back(config, companies[0], today)


def _finance_contract_bought_back(config, company, today):
    """An excavator sold on a bank loan the dealer guaranteed: the customer
    stopped paying, the bank was paid back and the machine repossessed"""
    from proteus import Model
    from trytond.modules.account.tests.tools import get_accounts
    (serial, customer_name, bank_name, salesperson, signed, price, down,
        months, rate, owed) = FINANCED
    Settings = Model.get('dealer.leasing.settings', config=config)
    Flow = Model.get('dealer.approval.flow', config=config)
    Position = Model.get('res.role', config=config)
    Party = Model.get('party.party', config=config)
    Lot = Model.get('stock.lot', config=config)
    settings, = Settings.find([('company', '=', company.id)])
    settings.buyback_account = get_accounts(company, config=config)[
        'expense']
    settings.save()
    boss, = Position.find([('code', '=', 'BOSS')])
    flow = Flow(name='回购审批', document_model='dealer.buyback')
    flow.steps.new(name='总经理审批', approver_type='position',
        position=boss)
    flow.save()
    Party(name=bank_name).save()
    machine, = Lot.find([('number', '=', serial)])
    signed = today + dt.timedelta(days=signed)
    _ship_machine(config, machine.id, customer_name, price, signed)
    with _acting_as(config, salesperson):
        Contract = Model.get('dealer.finance.contract', config=config)
        Party = Model.get('party.party', config=config)
        Lot = Model.get('stock.lot', config=config)
        customer, = Party.find([('name', '=', customer_name)])
        bank, = Party.find([('name', '=', bank_name)])
        contract = Contract(customer=customer, machine=Lot(machine.id),
            institution=bank, price=price, down_payment=down,
            term_months=months, annual_rate=rate, start_date=signed,
            first_due_date=signed + dt.timedelta(days=30),
            guarantee='buyback')
        contract.click('confirm')
        contract_id = contract.id
    with _acting_as(config, 'finance'):
        Contract = Model.get('dealer.finance.contract', config=config)
        Buyback = Model.get('dealer.buyback', config=config)
        contract = Contract(contract_id)
        contract.click('declare_default')
        buyback = Buyback(contract=contract, date=today - dt.timedelta(
                days=3), amount=owed, reason='客户连续三期未还款，银行要求回购')
        buyback.save()
        buyback.click('approval_submit')
        buyback_id = buyback.id
    with _acting_as(config, 'boss'):
        Buyback = Model.get('dealer.buyback', config=config)
        Buyback(buyback_id).click('approval_approve')
        request_id = Buyback(buyback_id).payment_request.id
    # The payment request, asked by the finance clerk who registered the
    # buyback: the cashier, then the group leader (above 100,000).
    for login in ['cashier', 'boss']:
        with _acting_as(config, login):
            Request = Model.get('dealer.payment.request', config=config)
            request = Request(request_id)
            if request.approval_state == 'waiting':
                request.click('approval_approve')
    with _acting_as(config, 'cashier'):
        Request = Model.get('dealer.payment.request', config=config)
        Request(request_id).click('pay')


def _ship_machine(config, machine_id, customer_name, price, day):
    """The warehouse ships the machine to the customer on the day, once
    risk control (the group leader) released it"""
    from proteus import Model
    with _acting_as(config, 'warehouse'):
        Shipment = Model.get('stock.shipment.out', config=config)
        Party = Model.get('party.party', config=config)
        Lot = Model.get('stock.lot', config=config)
        Location = Model.get('stock.location', config=config)
        machine = Lot(machine_id)
        customer, = Party.find([('name', '=', customer_name)])
        customer_location, = Location.find([('code', '=', 'CUS')])
        warehouse = machine.warehouse
        shipment = Shipment(customer=customer, warehouse=warehouse,
            planned_date=day)
        shipment.outgoing_moves.new(product=machine.product,
            lot=machine, quantity=1, unit=machine.product.default_uom,
            from_location=warehouse.output_location,
            to_location=customer_location, unit_price=price,
            currency=machine.company.currency)
        shipment.save()
        shipment.click('wait')
        for move in shipment.inventory_moves:
            move.lot = machine
        shipment.save()
        shipment.click('assign_try')
        shipment.click('pick')
        shipment.click('pack')
        shipment.click('request_delivery_release')
        shipment_id = shipment.id
    with _acting_as(config, 'boss'):
        Release = Model.get('dealer.delivery.release', config=config)
        release, = Release.find([
                ('origin', '=', f'stock.shipment.out,{shipment_id}')])
        release.click('approval_approve')
    with _acting_as(config, 'warehouse'):
        Shipment = Model.get('stock.shipment.out', config=config)
        shipment = Shipment(shipment_id)
        shipment.effective_date = day
        shipment.save()
        shipment.click('do')


def _lease(config, lease, today):
    """The salesperson's lease, released by risk control, picked up and
    returned by the warehouse; return its id"""
    from proteus import Model, Wizard
    (_, serial, customer_name, salesperson, start, end, deposit, hours_out,
        returned) = lease
    with _acting_as(config, salesperson):
        Party = Model.get('party.party', config=config)
        Rental = Model.get('sale.rental', config=config)
        Lot = Model.get('stock.lot', config=config)
        customer, = Party.find([('name', '=', customer_name)])
        machine, = Lot.find([('number', '=', serial)])
        rental = Rental(party=customer, deposit=deposit,
            description=f'{machine.product.name} 租赁（{serial}）')
        rental.warehouse = machine.warehouse
        line = rental.lines.new(product=machine.product)
        line.machine = machine
        line.planned_start_day = today + dt.timedelta(days=start)
        line.planned_end_day = today + dt.timedelta(days=end)
        rental.late_fee_per_day = (line.unit_price * Decimal('1.5')
            ).quantize(Decimal('0.01'))
        rental.save()
        rental.click('quote')
        rental.click('confirm')
        if hours_out is None:
            return rental.id
        rental.click('request_delivery_release')
        rental_id = rental.id
    with _acting_as(config, 'boss'):
        Release = Model.get('dealer.delivery.release', config=config)
        release, = Release.find([('origin', '=', f'sale.rental,{rental_id}')])
        release.click('approval_approve')
    config.skip_warning = True
    Rental = Model.get('sale.rental', config=config)
    rental = Rental(rental_id)
    pickup = Wizard('sale.rental.pickup', [rental], config=config)
    pickup.form.start = dt.datetime.combine(
        today + dt.timedelta(days=start), dt.time(1))
    for show_line in pickup.form.lines:
        show_line.quantity_picked = 1
        show_line.hour_meter = hours_out
    pickup.execute('pickup')
    if returned:
        back, hours_in = returned
        return_ = Wizard('sale.rental.return', [rental], config=config)
        return_.form.end = dt.datetime.combine(
            today + dt.timedelta(days=back), dt.time(9))
        for show_line in return_.form.lines:
            show_line.quantity_returned = 1
            show_line.hour_meter = hours_in
        return_.execute('return_')
    return rental_id


def load(database, config_file=None):
    from proteus import Model
    from proteus import config as pconfig
    from trytond import config as tconfig
    from trytond.modules.dealer_base.tests.tools import company_today
    if config_file:
        tconfig.update_etc(config_file)
    base = tconfig.get('database', 'uri').rstrip('/')
    config = pconfig.set_trytond(
        f'{base}/{database}', config_file=config_file)
    config.skip_warning = True
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    if Company.find([('party.name', '=', COMPANIES[0][0])]):
        # The last demo login is created last: without it an earlier load
        # was interrupted, and nothing is removed to start again.
        if not User.find([('login', '=', USERS[-1][0])]):
            raise SystemExit(
                f'[dealer] the demo data of database "{database}" is '
                'incomplete (an earlier load was interrupted). Nothing was '
                'changed; delete that database to load the demo again.')
        _next_fiscal_years(config)
        finance = _finance_loaded(config)
        if finance and _leasing_loaded(config):
            log('demo data already loaded')
            return config
        if finance:
            log('adding the leasing demo data')
            _leasing(config)
            log('demo data loaded')
            return config
        if finance is None:
            raise SystemExit(
                f'[dealer] the finance demo data of database "{database}" '
                'is incomplete (an earlier load was interrupted). Nothing '
                'was changed; delete that database to load the demo again.')
        log('adding the finance demo data')
        _finance(config)
        if not _leasing_loaded(config):
            _leasing(config)
        log('demo data loaded')
        return config
    log('loading demo data (a dealer group of %d companies)'
        % len(COMPANIES))
    currency = _currency(config)
    companies = _companies(config, currency)
    _switch_company(config, companies[0])
    # The companies' today (Asia/Shanghai), never the machine's date.
    today = company_today(config=config)
    Lang = Model.get('ir.lang', config=config)
    cities = ['上海', '广州', '成都']
    products = None
    for index, (company, (_, short)) in enumerate(zip(companies, COMPANIES)):
        accounts = _accounting(config, company)
        if products is None:
            products = _products(
                config, accounts['revenue'], accounts['expense'])
        else:
            _company_prices(config, products)
        warehouse = _warehouse(config, company, short, cities[index])
        _numbering(config, company, short)
        _stock(config, company, warehouse, short, products, today)
    _switch_company(config, companies[0])
    employees = _users(config, companies)
    _sale_approval_flow(config)
    _customers(config, companies, employees)
    if not _finance_loaded(config):
        _finance(config)
    if not _leasing_loaded(config):
        _leasing(config)
    _switch_company(config, companies[0])
    admin = User(config.user)
    admin.language, = Lang.find([('code', '=', 'zh_CN')])
    admin.save()
    log('demo data loaded')
    return config


def print_logins():
    width = max(len(u[0]) for u in USERS)
    print('[dealer] demo logins (password for all: %s):' % DEMO_PASSWORD,
        file=sys.stderr)
    print(f'[dealer]   {"admin":<{width}}  administrator (password: '
        f'{os.environ.get("DEALER_ADMIN_PASSWORD", "Dealer-Admin-2026")})',
        file=sys.stderr)
    for login, name, role, ci, *_ in USERS:
        print(f'[dealer]   {login:<{width}}  {name} · {ROLE_LABELS[role]} · '
            f'{COMPANIES[ci][0]}', file=sys.stderr)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--logins', action='store_true',
        help='print the demo logins')
    parser.add_argument('--database')
    parser.add_argument('--config')
    args = parser.parse_args()
    if args.logins:
        print_logins()
    if args.database:
        load(args.database, args.config)
