#!/usr/bin/env python3
"""Fill a dealer database with data at scale, for the benchmarks.

The database must already have the dealer modules activated and no demo
data: create it with `scripts/setup_database.py --database NAME` (no --demo).

Two phases:
- the ORM, only where business logic must run and records are few: the CNY
  currency, companies (the company.company.config wizard), salespeople
  (party, employee, user), the machine products and the contact relation
  type, and the block of party codes taken from the party sequence;
- COPY through psycopg for the bulk tables, table by table as listed in
  BULK (customers, contacts, addresses, phones, contact links, documents).
  A module adds its own table by appending a Bulk to BULK.

    python bench/generate.py --database bench_x --scale small
    python bench/generate.py --database bench_x --customers 10000 \
        --contacts 20000 --salespeople 50 --companies 5 --documents 50000
"""
import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from harness import CONFIG_FILE, DEFAULT_URI, ROOT, log

PRESETS = {
    'small': dict(customers=2000, contacts=4000, salespeople=10,
        companies=2, documents=5000, events=20000),
    'medium': dict(customers=10000, contacts=20000, salespeople=50,
        companies=5, documents=50000, events=100000),
    'large': dict(customers=200000, contacts=400000, salespeople=200,
        companies=10, documents=500000, events=2000000),
    # dealer_crm's issue: 100,000 customers and 200,000 contacts across 9
    # companies, 50 salespeople, 1,000,000 timeline events.
    'crm': dict(customers=100000, contacts=200000, salespeople=50,
        companies=9, documents=0, events=1000000),
    }

# Every generated salesperson can log in with this password; the benchmarks
# use the first one as their "demo-like" non-admin user.
PASSWORD = 'Bench-Sales-7391'
LOGIN = 'sales_{:03d}'
# The unrestricted user of the CRM benchmarks: dealer_base's Group Leader
# position (data scope company), an employee in every company, all companies
# shown (company_filter all). Same password.
BOSS_LOGIN = 'boss_001'
SALES_GROUPS = ['sale.group_sale', 'sale_opportunity.group_opportunity']
TIMEZONE = 'Asia/Shanghai'

# (city, telephone area code)
CITIES = [
    ('上海', '021'), ('北京', '010'), ('广州', '020'), ('深圳', '0755'),
    ('成都', '028'), ('重庆', '023'), ('武汉', '027'), ('西安', '029'),
    ('南京', '025'), ('杭州', '0571'), ('苏州', '0512'), ('天津', '022'),
    ('郑州', '0371'), ('长沙', '0731'), ('济南', '0531'), ('合肥', '0551'),
    ('昆明', '0871'), ('贵阳', '0851'), ('南宁', '0771'), ('福州', '0591'),
    ('石家庄', '0311'), ('太原', '0351'), ('沈阳', '024'), ('长春', '0431'),
    ('哈尔滨', '0451'), ('兰州', '0931'), ('乌鲁木齐', '0991'),
    ('呼和浩特', '0471'), ('南昌', '0791'), ('海口', '0898'),
    ]
SURNAMES = ('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'
    '彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾'
    '夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴')
GIVEN = ('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志'
    '文辉海波宁浩宇鹏飞斌俊峰晨阳凯琳雪梅婷亮东林晓燕龙宏德福成康健安')
BRANDS = ('宏达 鑫源 华泰 恒通 中联 永盛 金鼎 瑞丰 汇通 正大 天宇 盛世 博远 '
    '隆基 新宇 东方 华建 安泰 顺达 兴业 宏远 明珠 长城 巨力 联创 广厦 龙腾 '
    '嘉禾 信诚 万通 中科 海川 鼎新 宝利 利民 协力 同创 远航 振华 富源').split()
TRADES = ('土石方工程 建设工程 机械租赁 路桥工程 市政工程 矿业 建材 '
    '水利水电工程 物流 基础工程 园林绿化工程 拆除工程').split()
FORMS = ['有限公司', '有限责任公司', '股份有限公司']
ROADS = ('人民路 建设路 解放路 中山路 长江路 黄河路 工业大道 机场路 滨江大道 '
    '科技路').split()
# (product name, code): the documents are serialised machines (stock lots).
MACHINES = [
    ('履带式挖掘机 SY215C', 'BM-SY215C'), ('轮式装载机 LW500KV', 'BM-LW500KV'),
    ('小型挖掘机 SY75C', 'BM-SY75C'), ('汽车起重机 QY25K', 'BM-QY25K'),
    ]
# dealer_crm: one customer in ten is in its company's pool (no owner), one in
# a hundred is a key customer and gets a fifth of the timeline events (about
# 200 each at the crm scale, the others about 8).
POOLED = 0.1
KEY_CUSTOMERS = 0.01
KEY_EVENTS = 0.2
EVENT_DAYS = 2 * 365
CUSTOMER_TYPES = ['customer_type_first_contact', 'customer_type_intention',
    'customer_type_potential', 'customer_type_formal']
CONTACT_ROLES = ['legal_representative', 'general_manager', 'purchasing',
    'site_manager', 'finance', 'operator', 'other']
CHANNELS = ['上门拜访', '电话', '微信', '工地拜访']
TOPICS = ('询价 {m}，约下周到店看机', '{m} 试机安排，客户关注油耗',
    '催收 {m} 分期款，答应月底付清', '介绍 {m} 以旧换新政策',
    '新工地开工，需要两台 {m}', '报价已发，等待客户老板决定',
    '客户投诉 {m} 液压故障，已转服务部', '回访 {m} 保养情况，客户满意')


# ---------------------------------------------------------------- ORM phase

def _orm_phase(database, uri, config_file, counts):
    """Create what needs business logic; return the ids the bulk rows
    refer to."""
    from proteus import Model
    from proteus import config as pconfig
    from trytond.modules.dealer_base.tests.tools import create_companies
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    sys.path.insert(0, os.path.join(ROOT, 'scripts'))
    from demo_data import _currency

    config = pconfig.set_trytond(
        f'{uri.rstrip("/")}/{database}', config_file=config_file)
    config.skip_warning = True
    Party = Model.get('party.party', config=config)
    User = Model.get('res.user', config=config)
    if User.find([('login', '=', LOGIN.format(1))]):
        raise SystemExit(f'[bench] database "{database}" already holds '
            'generated data; create a fresh one.')

    # The companies as the demo data and the scenarios create them (they
    # are given to admin, whose context then shows them all)
    companies = create_companies([
            f'鼎盛工程机械（{CITIES[i % len(CITIES)][0]}）有限公司'
            for i in range(counts['companies'])],
        currency=_currency(config), timezone=TIMEZONE, config=config)
    Company = Model.get('company.company', config=config)

    # Salespeople: saved in batches, one employee and one user each, spread
    # over the companies.
    rng = Random(7)
    Employee = Model.get('company.employee', config=config)
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Lang = Model.get('ir.lang', config=config)
    zh, = Lang.find([('code', '=', 'zh_CN')])
    groups = [ModelData.get_id(*g.split('.'), config.context)
        for g in SALES_GROUPS]
    # dealer_base's salesperson position (groups, companies, data scope),
    # when the modules provide it, makes them real salespeople.
    try:
        position = ModelData.get_id(
            'dealer_base', 'position_salesperson', config.context)
    except KeyError:
        position = None
    Role = Model.get('res.role', config=config)
    n = counts['salespeople']
    parties = [Party(name=person_name(rng)) for _ in range(n)]
    Party.save(parties)
    employees = [Employee(party=p, company=companies[i % len(companies)],
            start_date=dt.date(2020, 1, 1)) for i, p in enumerate(parties)]
    Employee.save(employees)
    users = []
    for i, (party, employee) in enumerate(zip(parties, employees)):
        user = User(login=LOGIN.format(i + 1), name=party.name, language=zh)
        company = Company(employee.company.id)
        user.companies.append(company)
        user.company = company
        user.employees.append(Employee(employee.id))
        user.employee = Employee(employee.id)
        user.groups.extend(Group(g) for g in groups)
        if position:
            user.roles.new(role=Role(position))
        users.append(user)
    User.save(users)
    # Hashing a password costs ~0.1 s (argon2): hash it once here, the bulk
    # phase copies the hash to the other salespeople.
    users[0].password = PASSWORD
    users[0].save()

    # The CRM benchmarks' unrestricted user: Group Leader (data scope
    # company), employed in every company, all of them shown. Its password
    # hash is copied from the first salesperson's in the bulk phase.
    boss = None
    try:
        boss_position = ModelData.get_id(
            'dealer_base', 'position_boss', config.context)
    except KeyError:
        boss_position = None
    if boss_position:
        party = Party(name='集团总经理')
        party.save()
        boss_employees = [Employee(party=party, company=c,
                start_date=dt.date(2020, 1, 1)) for c in companies]
        Employee.save(boss_employees)
        boss = User(login=BOSS_LOGIN, name=party.name, language=zh,
            company_filter='all')
        boss.companies.extend(Company(c.id) for c in companies)
        boss.company = Company(companies[0].id)
        boss.employees.extend(Employee(e.id) for e in boss_employees)
        boss.employee = Employee(boss_employees[0].id)
        boss.roles.new(role=Role(boss_position))
        boss.save()
    try:
        customer_types = [ModelData.get_id('dealer_crm', t, config.context)
            for t in CUSTOMER_TYPES]
    except KeyError:
        customer_types = []

    Uom = Model.get('product.uom', config=config)
    Template = Model.get('product.template', config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    products = []
    for name, code in MACHINES:
        template = Template(name=name, code=code, type='goods',
            default_uom=unit, list_price=Decimal('500000'))
        if 'machine' in Template._fields:  # dealer_base's serialised machine
            template.machine = True
        template.save()
        products.append(template.products[0].id)

    RelationType = Model.get('party.relation.type', config=config)
    contact_of = RelationType(name='所属单位')
    contact_of.save()
    has_contact = RelationType(name='联系人', reverse=contact_of)
    has_contact.save()
    contact_of.reverse = has_contact
    contact_of.save()

    # Party codes come from the party sequence, as the ORM would give them
    # (one nextval statement for the whole block).
    with Transaction().start(database, 0) as transaction:
        sequence = Pool().get('party.party')._code_sequence()
        size = counts['customers'] + counts['contacts']
        codes = list(sequence.get_many(size)) if sequence and size else [
            f'B{i:09d}' for i in range(1, size + 1)]
        transaction.commit()

    return {
        'users': [u.id for u in users],
        # the salespeople's employees and companies, in the users' order
        'employees': [e.id for e in employees],
        'companies': [c.id for c in companies],
        'boss': boss.id if boss else None,
        'customer_types': customer_types,
        'products': products,
        'contact_of': contact_of.id,
        'codes': codes,
        'admin': config.user,
        }


# ---------------------------------------------------------- data by row

def person_name(rng):
    return rng.choice(SURNAMES) + ''.join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def city(i):
    "Customer i's city (and its contacts')"
    return CITIES[i % len(CITIES)]


def customer_name(rng, i):
    # One customer in ten is an individual contractor (a person).
    if rng.random() < 0.1:
        return person_name(rng)
    return (city(i)[0] + rng.choice(BRANDS) + rng.choice(TRADES)
        + rng.choice(FORMS))


class Context:
    """What the row functions share: counts, ORM ids, the ids the bulk
    phase gave to earlier tables, and creation stamps."""

    def __init__(self, counts, orm, seed=1):
        self.counts = counts
        self.rng = Random(seed)
        self.ids = {}  # Bulk label -> range of ids
        self.__dict__.update(orm)
        # Records were created over the last three years, in id order, by
        # the salesperson who owns the customer. Stored as naive UTC like
        # the ORM's create_date.
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.start = self.now - dt.timedelta(days=3 * 365)
        # dealer_crm: each customer's owner (the employee of its salesperson,
        # None: in the pool), the key customers; drawn from their own
        # generator so the names stay those of earlier runs. persons and
        # tax ids are filled by customers().
        crm = Random(seed + 100)
        n = self.counts['customers']
        employees = getattr(self, 'employees', None) or [None]
        self.owners = [None if crm.random() < POOLED
            else employees[i % len(employees)] for i in range(n)]
        self.key_customers = [i for i in range(n)
            if crm.random() < KEY_CUSTOMERS] or list(range(min(n, 1)))
        self.key = set(self.key_customers)
        self.persons = set()

    def company_of(self, customer):
        "The company of the customer's salesperson (of the customer)"
        companies = self.companies
        return companies[(customer % len(self.users)) % len(companies)]

    def user_of(self, customer):
        "The user of the customer's salesperson (its last owner if pooled)"
        return self.users[customer % len(self.users)]

    def created(self, customer):
        "create_uid and create_date of a customer's records"
        n = max(self.counts['customers'], 1)
        return (self.users[customer % len(self.users)],
            self.start + (self.now - self.start) * (customer / n))

    def customer_of(self, contact):
        return contact % self.counts['customers']


def code_columns(code):
    "code, code_alnum, code_digit as party.party computes them"
    digits = re.sub(r'\D', '', code)[-18:]
    return code, re.sub(r'[\W_]', '', code), int(digits) if digits else None


def customers(ctx):
    types = ctx.customer_types or [None]
    for i in range(ctx.counts['customers']):
        name = customer_name(ctx.rng, i)
        # An individual contractor (no company form in the name) is also
        # a contact, as in the demo data; companies have a tax id.
        person = not name.endswith(tuple(FORMS))
        if person:
            ctx.persons.add(i)
        owner = ctx.owners[i]
        yield (*ctx.created(i), True, *code_columns(ctx.codes[i]), name,
            True, person, ctx.company_of(i), owner,
            ctx.rng.choice(types) if owner else types[0], i in ctx.key)


def contacts(ctx):
    first = ctx.counts['customers']
    for j in range(ctx.counts['contacts']):
        i = ctx.customer_of(j)
        yield (*ctx.created(i), True,
            *code_columns(ctx.codes[first + j]), person_name(ctx.rng),
            False, True, ctx.company_of(i), ctx.owners[i], None, False)


def addresses(ctx):
    rng = ctx.rng
    for i, party in enumerate(ctx.ids['customers']):
        yield (*ctx.created(i), party, True, city(i)[0],
            f'{rng.choice(ROADS)}{rng.randint(1, 999)}号')
    for j, party in enumerate(ctx.ids['contacts']):
        i = ctx.customer_of(j)
        yield *ctx.created(i), party, True, city(i)[0], None


def phones(ctx):
    """One phone per party, with dealer_crm's digits of it, the last one
    first (value_digits_reversed)"""
    rng = ctx.rng
    for i, party in enumerate(ctx.ids['customers']):
        value = f'{city(i)[1]}-{rng.randint(10**7, 10**8 - 1)}'
        yield (*ctx.created(i), party, True, 'phone', value, value,
            re.sub(r'\D', '', value)[::-1])
    for j, party in enumerate(ctx.ids['contacts']):
        value = f'1{rng.choice("3578")}{rng.randint(0, 10**9 - 1):09d}'
        yield (*ctx.created(ctx.customer_of(j)), party, True, 'mobile',
            value, value, value[::-1])


def contact_relations(ctx):
    customer_ids = ctx.ids['customers']
    for j, party in enumerate(ctx.ids['contacts']):
        i = ctx.customer_of(j)
        yield *ctx.created(i), party, customer_ids[i], ctx.contact_of


def contact_links(ctx):
    "dealer_crm's links from each contact to its customer, made by hand"
    customer_ids = ctx.ids['customers']
    rng = ctx.rng
    for j, party in enumerate(ctx.ids['contacts']):
        i = ctx.customer_of(j)
        yield (*ctx.created(i), customer_ids[i], party,
            rng.choice(CONTACT_ROLES), 'manual')


def uscc(i):
    "A valid unified social credit code (统一社会信用代码) for customer i"
    alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30,
        28)
    body = f'91{110000 + (i % len(CITIES)) * 1000:06d}{i:09d}'
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights))
    return body + alphabet[(31 - total) % 31]


def tax_identifiers(ctx):
    "A unified social credit code for each customer that is a company"
    for i, party in enumerate(ctx.ids['customers']):
        if i not in ctx.persons:
            code = uscc(i)  # its formatted and compact forms are the same
            yield *ctx.created(i), party, True, 'cn_uscc', code, code


def events(ctx):
    """dealer_base's timeline, as dealer_crm's visits and notes post it:
    in date order over the last two years, a fifth on the key customers"""
    rng = Random(ctx.rng.random())
    customer_ids = ctx.ids['customers']
    n, total = len(customer_ids), ctx.counts['events']
    key = ctx.key_customers
    span = dt.timedelta(days=EVENT_DAYS)
    begin = ctx.now - span
    machines = [m.split()[-1] for m, _ in MACHINES]
    for k in range(total):
        i = (rng.choice(key) if rng.random() < KEY_EVENTS
            else rng.randrange(n))
        date = begin + span * ((k + rng.random()) / total)
        user = ctx.user_of(i)
        topic = rng.choice(TOPICS).format(m=rng.choice(machines))
        if rng.random() < 0.6:
            kind, summary = 'visit', f'{rng.choice(CHANNELS)}: {topic}'
        else:
            kind, summary = 'note', topic
        yield (user, date, customer_ids[i], ctx.company_of(i),
            date.replace(microsecond=0), kind, summary, user)


def documents(ctx):
    codes = [c for _, c in MACHINES]
    n = max(ctx.counts['documents'], 1)
    for k in range(ctx.counts['documents']):
        m = k % len(MACHINES)
        date = ctx.start + (ctx.now - ctx.start) * (k / n)
        yield (ctx.admin, date, True, f'{codes[m][3:]}-{k + 1:07d}',
            ctx.products[m])


@dataclass
class Bulk:
    label: str
    table: str
    # Columns after id, in the order the row function yields them. Every
    # row starts with create_uid and create_date as the ORM would set them.
    columns: tuple
    rows: object  # function(Context) -> iterator of tuples
    needs: str = None  # the count that must be non-zero, if any


PARTY = ('create_uid', 'create_date', 'active', 'code', 'code_alnum',
    'code_digit', 'name')
# dealer_crm's columns of customers and contacts
CRM_PARTY = PARTY + ('is_customer', 'is_contact', 'company', 'owner',
    'customer_type', 'key_customer')
BULK = [
    Bulk('customers', 'party_party', CRM_PARTY, customers),
    Bulk('contacts', 'party_party', CRM_PARTY, contacts, needs='customers'),
    Bulk('addresses', 'party_address', ('create_uid', 'create_date',
            'party', 'active', 'city', 'street_unstructured'), addresses),
    Bulk('phones', 'party_contact_mechanism', ('create_uid', 'create_date',
            'party', 'active', 'type', 'value', 'value_compact',
            'value_digits_reversed'), phones),
    Bulk('contact relations', 'party_relation', ('create_uid',
            'create_date', 'from_', 'to', 'type'), contact_relations,
        needs='customers'),
    Bulk('contact links', 'dealer_contact_link', ('create_uid',
            'create_date', 'customer', 'contact', 'role', 'method'),
        contact_links, needs='customers'),
    Bulk('tax identifiers', 'party_identifier', ('create_uid', 'create_date',
            'party', 'active', 'type', 'code', 'code_compact'),
        tax_identifiers, needs='customers'),
    Bulk('documents (machine lots)', 'stock_lot', ('create_uid',
            'create_date', 'active', 'number', 'product'), documents),
    Bulk('timeline events', 'dealer_customer_event', ('create_uid',
            'create_date', 'customer', 'company', 'date', 'kind', 'summary',
            'user'), events, needs='customers'),
    ]


def _load(conn, bulk, ctx):
    """COPY one table with ids taken from its identity sequence, then move
    the sequence past them so the ORM keeps creating records."""
    seq = conn.execute('SELECT pg_get_serial_sequence(%s, %s)',
        (bulk.table, 'id')).fetchone()[0]
    first = conn.execute('SELECT nextval(%s)', (seq,)).fetchone()[0]
    columns = ', '.join(f'"{c}"' for c in ('id',) + bulk.columns)
    n = 0
    with conn.cursor() as cursor:
        with cursor.copy(
                f'COPY "{bulk.table}" ({columns}) FROM STDIN') as copy:
            for n, row in enumerate(bulk.rows(ctx), 1):
                copy.write_row((first + n - 1, *row))
    if n:
        conn.execute('SELECT setval(%s, %s)', (seq, first + n - 1))
    conn.commit()
    ctx.ids[bulk.label] = range(first, first + n)
    return n


def _bulk_phase(database, uri, ctx):
    import psycopg
    stats = []
    with psycopg.connect(uri, dbname=database) as conn:
        for bulk in BULK:
            if bulk.needs and not ctx.counts[bulk.needs]:
                ctx.ids[bulk.label] = range(0)
                continue
            start = time.perf_counter()
            n = _load(conn, bulk, ctx)
            seconds = time.perf_counter() - start
            if not n:
                continue
            stats.append({'label': bulk.label, 'table': bulk.table,
                    'rows': n, 'seconds': round(seconds, 3),
                    'rows_per_s': round(n / seconds) if seconds else None})
            log(f'  {bulk.label:<26} {n:>9} rows  {n / seconds:>9.0f} rows/s')
        conn.execute(
            'UPDATE res_user SET password_hash = ('
                'SELECT password_hash FROM res_user WHERE id = %s) '
            'WHERE id = ANY(%s)', (ctx.users[0],
                ctx.users[1:] + ([ctx.boss] if ctx.boss else [])))
        conn.commit()
        # Fresh statistics so the planner sees the new sizes at once rather
        # than whenever autovacuum gets there; for the same reason the
        # pending lists of the GIN (trigram) indexes are merged, as
        # autovacuum would (else every search scans up to 4 MB of them).
        conn.autocommit = True
        tables = sorted({b.table for b in BULK})
        for table in tables:
            conn.execute(f'ANALYZE "{table}"')
        conn.execute('SELECT gin_clean_pending_list(i.indexrelid) '
            'FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid '
            'JOIN pg_am a ON a.oid = c.relam '
            "WHERE a.amname = 'gin' AND i.indrelid = ANY(%s::regclass[])",
            (tables,))
    return stats


def generate(database, counts, uri=None, config_file=CONFIG_FILE, seed=1):
    """Fill database; return the figures (seconds, rows per second)."""
    uri = uri or os.environ.get('TRYTOND_DATABASE__URI') or DEFAULT_URI
    # trytond reads the URI from the environment (config/trytond.conf must
    # not set it).
    os.environ['TRYTOND_DATABASE__URI'] = uri
    if not counts['companies'] or not counts['salespeople']:
        raise SystemExit('[bench] at least one company and one salesperson')
    log(f'generating into "{database}": ' + ', '.join(
            f'{v} {k}' for k, v in counts.items()))
    start = time.perf_counter()
    orm = _orm_phase(database, uri, config_file, counts)
    orm_seconds = time.perf_counter() - start
    log(f'  ORM (companies, salespeople, products, codes): '
        f'{orm_seconds:.1f}s')
    ctx = Context(counts, orm, seed=seed)
    start = time.perf_counter()
    tables = _bulk_phase(database, uri, ctx)
    return {
        'counts': counts,
        'orm_seconds': round(orm_seconds, 3),
        'bulk_seconds': round(time.perf_counter() - start, 3),
        'tables': tables,
        'login': LOGIN.format(1),
        }


def add_count_arguments(parser):
    "The scale flags, shared with bench/run.py"
    parser.add_argument('--scale', choices=sorted(PRESETS), default='small',
        help='preset counts (default small); explicit flags override it')
    for name in PRESETS['small']:
        parser.add_argument(f'--{name}', type=int, metavar='N')


def counts_from(args):
    counts = dict(PRESETS[args.scale])
    for name in counts:
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', default=CONFIG_FILE)
    parser.add_argument('--json', action='store_true',
        help='print the figures as JSON on stdout')
    add_count_arguments(parser)
    args = parser.parse_args()
    stats = generate(args.database, counts_from(args),
        config_file=args.config)
    if args.json:
        print(json.dumps(stats))


if __name__ == '__main__':
    main()
