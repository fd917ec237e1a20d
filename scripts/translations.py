#!/usr/bin/env python3
"""Find the strings of the user interface that are not (well) translated.

Works on a database where the modules and the language are loaded (for
example one made by scripts/setup_database.py).  Every string a user can meet
is collected from the database the way Tryton itself does:

* field labels, help texts, selection values, model names and wizard buttons
  from the source rows (lang "en") of ir.translation; the help texts of
  selection values (help_selection) also as "selection" rows, the type
  trytond 8.0 looks them up with;
* the records created from XML that carry text (menus, actions, tab domains,
  buttons, messages, groups, sequences, units, locations ...): the "en" rows
  of ir.translation of type "model";
* view strings (string/confirm/help attributes of the view architectures in
  ir.ui.view) and report strings (extracted from the report templates), the
  same way as the "Set Translations" wizard, but in memory only.

For each string the translation the client gets is worked out with the
lookup rules of ir.translation (get_sources / get_ids / get_report /
ir.message) and classified:

  missing  the language has no row at all for the string
  empty    rows exist, but all have an empty value
  fuzzy    the only non-empty rows are fuzzy, so Tryton ignores them
  same     the translation equals the English source (and the source is not
           in ALLOWED_UNTRANSLATED below)
  allowed  not translated, but the source may stay as it is (see
           ALLOWED_UNTRANSLATED and ALLOWED_PATTERNS)
  ok       translated

Commands (the database is opened read-only, nothing is written to it):

  status     counts per module (default: the official modules)
  list       the strings of the given statuses, one per line
  template   a po file with an entry for each string to translate, each with
             the msgctxt that works from a dealer module's
             locale/override/<lang>.po (see "override" below)
  lint       the translations that contain a word the glossary forbids
             (docs/glossary.md), e.g. 参与者 for Party
  check      the override files addons/*/locale/override/<lang>.po: an
             entry that would make the import fail or be ignored, a module
             that does not depend on the one it overrides, placeholders
  show       what the client receives in the language: the menu tree and,
             for the models given, fields_get and fields_view_get

Override mechanism (trytond/ir/translation.py, translation_import):

* msgctxt "<type>:<name>:<module>.<fs_id>" or "<type>:<name>:<module>." (empty
  fs_id for strings without record) rewrites the existing row of <module>;
  Tryton fails ("not enough values to unpack") when that row does not exist,
  and for field/help the row must be unique in <module> for that name.
* msgctxt "<type>:<name>:" (no module) creates a row that belongs to the
  dealer module itself.  This is how strings are added that the official po
  file lacks entirely; it works for everything without an XML id (fields,
  help, selections, model names, views, wizard buttons, reports).  Records of
  other modules (menus, actions, messages ...) can only be overridden, never
  added, so the template reports those as "cannot".  Use it only where the
  official row is missing, empty or fuzzy: when both rows hold a text, which
  one the client gets is not defined (for reports, the one of the module
  whose name sorts last).
* An override that gives a fuzzy official row the very same text does not
  clear its fuzzy flag (translation_import only writes changed values), so
  the text stays ignored.  For fields, views, selections ... add the text
  (msgctxt without module) instead; for records (menus, actions, tab names,
  buttons) override it in two steps: a first dealer module sets another
  text (the English source), a module that depends on it sets the Chinese
  one (see the "Step 1 of 2" entries).
* Our override files are loaded every time the official module is updated
  (trytond-admin -u <official module> updates the modules that depend on it).

Examples (SQLite: TRYTOND_DATABASE__PATH=<folder of zh.sqlite>):
  scripts/translations.py -d zh status
  scripts/translations.py -d zh -m sale list --status missing empty
  scripts/translations.py -d zh -m sale_rental template -o /tmp/x.po
  scripts/translations.py -d zh lint
  scripts/translations.py -d zh show --menu 2 sale.sale sale.opportunity

After changing po files, reload them into the database with
  trytond-admin -c config/trytond.conf -d zh -u dealer_base -l zh_CN
(every dealer module depends on dealer_base, so all of them are reloaded).
"""
import argparse
import glob
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

OFFICIAL = [
    'ir', 'res', 'country', 'currency', 'party', 'company', 'product',
    'stock', 'stock_lot', 'user_role', 'party_relationship', 'account',
    'account_product', 'account_invoice', 'account_invoice_stock',
    'account_payment', 'account_credit_limit', 'sale', 'sale_credit_limit',
    'sale_opportunity', 'sale_rental', 'purchase', 'purchase_request',
    'purchase_requisition', 'purchase_request_quotation',
    'stock_supply', 'company_work_time',
    'product_price_list', 'sale_price_list', 'purchase_price_list',
    'sale_supply',
    ]
OURS = [
    'dealer_base', 'dealer_crm', 'dealer_finance', 'dealer_leasing',
    'dealer_parts', 'dealer_expense',
    ]
# Which of our modules ships the overrides of an official module: it must
# depend (directly or not) on the official module so that its po files are
# loaded after the official ones.
OVERRIDE_MODULE = {
    'ir': 'dealer_base', 'res': 'dealer_base', 'country': 'dealer_base',
    'currency': 'dealer_base', 'party': 'dealer_base',
    'company': 'dealer_base', 'product': 'dealer_base',
    'stock': 'dealer_base', 'stock_lot': 'dealer_base',
    'user_role': 'dealer_base',
    'sale': 'dealer_crm', 'sale_opportunity': 'dealer_crm',
    'party_relationship': 'dealer_crm',
    'account': 'dealer_finance', 'account_product': 'dealer_finance',
    'account_invoice': 'dealer_finance',
    'account_invoice_stock': 'dealer_finance',
    'account_payment': 'dealer_finance',
    'account_credit_limit': 'dealer_finance',
    'sale_credit_limit': 'dealer_finance',
    'sale_rental': 'dealer_leasing',
    'purchase': 'dealer_parts', 'purchase_request': 'dealer_parts',
    'purchase_requisition': 'dealer_parts',
    'purchase_request_quotation': 'dealer_parts',
    'stock_supply': 'dealer_parts',
    'product_price_list': 'dealer_parts', 'sale_price_list': 'dealer_parts',
    'purchase_price_list': 'dealer_parts', 'sale_supply': 'dealer_parts',
    }

# Sources that may stay as they are in Chinese, each with its reason.
ALLOWED_UNTRANSLATED = {
    # file formats and protocols: written in Latin letters in Chinese too
    'PDF': 'file format',
    'CSV': 'file format',
    'XML': 'file format',
    'JSON': 'file format',
    'HTML': 'file format',
    'ODT': 'file format',
    'ODS': 'file format',
    'ODP': 'file format',
    'ODG': 'file format',
    'DOC': 'file format',
    'DOCX': 'file format',
    'XLS': 'file format',
    'XLSX': 'file format',
    'Excel (XLSX)': None,  # Excel 文件（XLSX）
    'PPT': 'file format',
    'PPTX': 'file format',
    'Plain Text': None,  # not allowed: 纯文本 (kept here as a reminder)
    'XHTML': 'file format',
    'RTF': 'file format',
    'SVG': 'file format',
    'PNG': 'file format',
    'XML-RPC': 'protocol name',
    'JSON-RPC': 'protocol name',
    'URL': 'technical term used as is in Chinese software',
    'URI': 'technical term used as is in Chinese software',
    'UUID': 'technical identifier',
    'XML ID': 'technical identifier of a record',
    'SQL': 'technical term',
    'SMTP': 'protocol name',
    'LDAP': 'protocol name',
    'TOTP': 'protocol name',
    'API': 'technical term',
    'REST API': 'technical term',
    'Cookie': 'technical term used as is in Chinese software',
    'MIME': 'technical term',
    'PySON': 'Tryton expression language',
    'Genshi': 'template engine name',
    'Relatorio': 'report engine name',
    'Python': 'programming language',
    'ID': 'record identifier, ID is used as is in Chinese software',
    # identifiers and standards
    'IBAN': 'bank account standard',
    'BIC': 'bank identifier standard',
    'SEPA': 'payment scheme name',
    'EAN': 'barcode standard',
    'EAN13': 'barcode standard',
    'EAN8': 'barcode standard',
    'UPC': 'barcode standard',
    'UPC-A': 'barcode standard',
    'UPC-E': 'barcode standard',
    'ISBN': 'book number standard',
    'ISBN-10': 'book number standard',
    'ISBN-13': 'book number standard',
    'ISSN': 'serial number standard',
    'ISMN': 'music number standard',
    'ISAN': 'audiovisual number standard',
    'ISIN': 'securities number standard',
    'GTIN': 'trade item number standard',
    'ASIN': 'Amazon number',
    'UNSPSC': 'classification standard',
    'ISO': 'standard body',
    'ISO 3166': 'standard name',
    'ISO 4217': 'standard name',
    'ISO 639': 'standard name',
    'Incoterm': None,  # not allowed: 国际贸易术语
    'GS1': 'standard body',
    'GLN': 'location number standard',
    'SSCC': 'shipping container code standard',
    'UNECE': 'standard body',
    'VIES': 'EU service name',
    'EORI': 'EU identifier',
    'XML Identifier': None,
    'Code 39': 'barcode symbology',
    'Code 128': 'barcode symbology',
    'QR': 'barcode symbology',
    'QR Code': None,  # 二维码
    'PLU': 'code standard',
    # names of other software / services
    'Tryton': 'product name of the framework',
    'Stripe': 'payment service name',
    'Braintree': 'payment service name',
    'Google': 'company name',
    'Skype': 'service name',
    'Jabber': 'protocol name',
    'IRC': 'protocol name',
    'SIP': 'protocol name',
    'Gravatar': 'service name',
    'Webdav': 'protocol name',
    'WebDAV': 'protocol name',
    'CalDAV': 'protocol name',
    'CardDAV': 'protocol name',
    # symbols
    '%': 'symbol',
    '/': 'symbol',
    '-': 'symbol',
    '+': 'symbol',
    ':': 'symbol',
    '=': 'symbol',
    '#': 'symbol',
    '×': 'symbol',
    'x': 'multiplication sign',
    'Σ': 'symbol',
    '€': 'symbol',
    '$': 'symbol',
    '...': 'symbol',
    '…': 'symbol',
    'OK': None,  # 确定
    'Email': None,  # 电子邮件
    'E-Mail': None,
    'VAT': None,  # 增值税
    'UoM': None,  # 单位
    }
ALLOWED_UNTRANSLATED = {
    k: v for k, v in ALLOWED_UNTRANSLATED.items() if v}
# Patterns of sources that need no translation, with their reason.
ALLOWED_PATTERNS = [
    (re.compile(r'^[\W\d_]*$'), 'no letters: numbers, punctuation, symbols'),
    (re.compile(r'^%\([a-z_]+\)s$'), 'a single placeholder'),
    (re.compile(r'^[A-Z]{3}$'), 'ISO 4217 currency code or similar'),
    (re.compile(r'^\$\{[^}]*\}$'), 'a single expression'),
    (re.compile('[\u4e00-\u9fff]'), 'a bilingual source that already holds '
        'the Chinese (our printed documents)'),
    ]


# Fields whose values may stay as they are, with the reason.
ALLOWED_NAMES = {
    'product.uom,symbol': 'unit symbols (kg, m, h …) are international; '
    'only "u" (unit) gets 个',
    }


def allowed_reason(src, name=None):
    if name in ALLOWED_NAMES and src != 'u':
        return ALLOWED_NAMES[name]
    if src in ALLOWED_UNTRANSLATED:
        return ALLOWED_UNTRANSLATED[src]
    for pattern, reason in ALLOWED_PATTERNS:
        if pattern.search(src):
            return reason
    return None


# Words the glossary forbids (docs/glossary.md): the wrong rendering (a
# regular expression), a regular expression the English source must match
# for the word to be wrong (None: always wrong) and what to use instead.
# `lint` lists the translations that contain them.
FORBIDDEN = [
    ('参与者', None, 'Party: 往来单位 (客户 / 供应商 where it means that)'),
    ('当事人', None, 'Party: 往来单位'),
    ('当事方', None, 'Party: 往来单位'),
    ('参与方', None, 'Party: 往来单位'),
    ('草案', None, 'Draft: 草稿'),
    ('圆', r'\bWon\b', 'Won: 赢单'),
    ('监督者', None, 'Supervisor: 直属上级'),
    ('主管', r'(?i)supervis', 'Supervisor: 直属上级'),
    ('修改标题', None, 'Modify Header: 修改单头'),
    ('标题', r'(?i)header', 'Header of a document: 单头'),
    ('批次', r'(?i)\blots?\b', 'lot: 批号 (机号 for a machine)'),
    ('角色', r'(?i)\broles?\b', 'Role: 岗位 (a contact\'s role at the '
        'customer: 职务)'),
    ('销售单(?!位)', None, 'Sale (the document): 销售合同'),
    ('销售订单', None, 'Sale (the document): 销售合同'),
    ('申请人的上级', None, "Requester's Supervisor: 申请人的直属上级"),
    ('报盘', None, 'Quotation: 报价'),
    ('引用', r'(?i)quot|reference', 'Quote/Reference: 报价 / 参考号'),
    ('机会', r'(?i)opportunit', 'Opportunity: 商机'),
    ('潜在客户', r'(?i)\blead', 'Lead: 线索 (潜在客户 is one of our customer types)'),
    ('租借', None, 'Rental: 租赁'),
    ('装运', None, 'Shipment: 发货单 / 收货单'),
    ('货件', None, 'Shipment: 发货单'),
    ('雇员', None, 'Employee: 员工'),
    ('职员', r'(?i)employee', 'Employee: 员工'),
    ('数量', r'(?i)\bnumber\b(?!\s+of)', 'Number of a document: 编号'),
    ('原始凭证', None, 'Invoice: 发票'),
    ('信贷', None, 'Credit limit: 信用额度'),
    ('帐', None, 'use 账 (simplified standard), e.g. 账户, 账款'),
    ('製', None, 'traditional character'),
    ('貨', None, 'traditional character'),
    ('單', None, 'traditional character'),
    ('庫', None, 'traditional character'),
    ('計', None, 'traditional character'),
    ]



def connect(config_file, database):
    from trytond import config
    config.update_etc(config_file)
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(database)
    pool.init()
    return pool


class Source:
    __slots__ = ('module', 'type', 'name', 'res_id', 'src', 'src_plural',
        'fs_id', 'fs_module')

    def __init__(self, module, type_, name, res_id, src, src_plural=None):
        self.module = module
        self.type = type_
        self.name = name
        self.res_id = res_id
        self.src = src
        self.src_plural = src_plural
        self.fs_id = None
        self.fs_module = None

    @property
    def key(self):
        return (self.type, self.name, self.res_id, self.src, self.src_plural)


def view_strings(element):
    strings = []
    for attr in ['string', 'confirm', 'help']:
        if element.get(attr):
            strings.append(element.get(attr))
    for child in element:
        strings.extend(view_strings(child))
    return strings


def collect_sources(pool, cursor):
    "Return the list of Source a user can meet"
    from lxml import etree
    from trytond.tools import file_open
    from trytond.transaction import inactive_records
    Translation = pool.get('ir.translation')
    View = pool.get('ir.ui.view')
    Report = pool.get('ir.action.report')
    TranslationSet = pool.get('ir.translation.set', type='wizard')
    ModelData = pool.get('ir.model.data')
    table = Translation.__table__()

    sources = {}

    def add(source):
        sources.setdefault(source.key, source)

    cursor.execute(*table.select(
            table.module, table.type, table.name, table.res_id, table.src,
            table.src_plural,
            where=(table.lang == 'en')
            & table.type.in_(
                ['field', 'help', 'selection', 'model', 'wizard_button']),
            order_by=table.id))
    help_module = {}
    for module, type_, name, res_id, src, src_plural in cursor:
        if not src:
            continue
        add(Source(module, type_, name, res_id, src, src_plural))
        if type_ == 'help':
            help_module.setdefault((name, src), module)

    # The help texts of selection values (help_selection) are registered as
    # "help" rows, but fields.Selection.definition looks them up as
    # "selection" rows: that is the row the client gets.
    for model_name, Model in pool.iterobject():
        for field_name, field in Model._fields.items():
            for text in (getattr(field, 'help_selection', None) or {}
                    ).values():
                name = '%s,%s' % (model_name, field_name)
                module = help_module.get((name, text))
                if module:
                    add(Source(module, 'selection', name, -1, text))

    with inactive_records():
        views = View.search([])
    for view in views:
        if not view.model or not (view.arch or '').strip():
            continue
        try:
            tree = etree.fromstring(view.arch.strip())
        except etree.XMLSyntaxError:
            continue
        for string in view_strings(tree):
            add(Source(view.module, 'view', view.model, -1, string))

    with inactive_records():
        reports = Report.search([('translatable', '=', True)])
    for report in reports:
        if not report.report:
            continue
        with file_open(report.report.replace('/', os.sep), mode='rb') as fp:
            content = fp.read()
        func = getattr(TranslationSet,
            'extract_report_%s' % report.template_extension, None)
        if not func:
            continue
        for string in func(None, content):
            if isinstance(string, str):
                string = (string, None)
            add(Source(report.module, 'report', report.report_name, -1,
                    *string))

    # XML ids of the records
    data = defaultdict(dict)
    for md in ModelData.search([]):
        data[md.model][md.db_id] = (md.module, md.fs_id)
        for extra in Translation.extra_model_data(md):
            data[extra].setdefault(md.db_id, (md.module, md.fs_id))
    for source in sources.values():
        if source.type == 'model' and source.res_id >= 0:
            model = source.name.split(',')[0]
            fs = data.get(model, {}).get(source.res_id)
            if fs:
                source.fs_module, source.fs_id = fs
    return list(sources.values())


class Translations:
    "The rows of a language and the lookups of ir.translation"

    def __init__(self, pool, cursor, lang):
        Translation = pool.get('ir.translation')
        table = Translation.__table__()
        self.lang = lang
        self.rows = []
        cursor.execute(*table.select(
                table.id, table.module, table.type, table.name, table.res_id,
                table.src, table.src_plural, table.value, table.fuzzy,
                table.overriding_module,
                where=table.lang == lang, order_by=table.id))
        self.by_name = defaultdict(list)
        for row in cursor:
            row = dict(zip(('id', 'module', 'type', 'name', 'res_id', 'src',
                            'src_plural', 'value', 'fuzzy',
                            'overriding_module'), row))
            self.rows.append(row)
            self.by_name[(row['type'], row['name'])].append(row)

    def candidates(self, source):
        "Rows that Tryton considers for the source (ordered by id)"
        rows = self.by_name.get((source.type, source.name), [])
        if source.type == 'model':
            return [r for r in rows if r['res_id'] == source.res_id]
        rows = [r for r in rows if r['res_id'] == -1 and r['src'] == source.src]
        if source.type == 'report':
            rows = [r for r in rows
                if (r['src_plural'] or None) == (source.src_plural or None)]
        return rows

    def effective(self, source):
        """Return (status, value, rows): the translation the client shows
        for the source"""
        status, value, rows = self._effective(source)
        if status != 'ok' and allowed_reason(source.src, source.name):
            status = 'allowed'
        return status, value, rows

    def _effective(self, source):
        rows = self.candidates(source)
        if not rows:
            return 'missing', None, rows
        if source.name == 'ir.message,text':
            # ir.message._get_translation: first non fuzzy row, value or src
            good = [r for r in rows if not r['fuzzy']]
            if not good:
                status = 'fuzzy' if any(r['value'] for r in rows) else 'empty'
                return status, None, rows
            value = good[0]['value']
            if not value:
                status = 'fuzzy' if any(r['value'] for r in rows) else 'empty'
                return status, None, rows
            return self._same(source, value), value, rows
        good = [r for r in rows if r['value'] and not r['fuzzy']]
        if not good:
            status = 'fuzzy' if any(r['value'] for r in rows) else 'empty'
            return status, None, rows
        if source.type == 'report':
            # get_report: ordered by module DESC, the first one wins
            value = sorted(good, key=lambda r: r['module'] or '',
                reverse=True)[0]['value']
        else:
            # get_sources / get_ids: the last one found wins
            value = good[-1]['value']
        return self._same(source, value), value, rows

    @staticmethod
    def _same(source, value):
        if value.strip() == source.src.strip():
            return 'same'
        return 'ok'

    def msgctxt(self, source):
        """Return (msgctxt, how) to set the translation of source from one of
        our modules, how is 'override', 'add' or 'cannot'"""
        rows = self.candidates(source)
        official = [r for r in rows if r['module'] not in OURS]
        if source.type == 'model' and source.res_id >= 0:
            if not source.fs_id:
                return None, 'cannot'
            mine = [r for r in official if r['module'] == source.fs_module]
            if len(mine) == 1:
                return ('%s:%s:%s.%s' % (source.type, source.name,
                        source.fs_module, source.fs_id), 'override')
            return None, 'cannot'
        by_module = defaultdict(list)
        for row in official:
            by_module[row['module']].append(row)
        for module, module_rows in sorted(by_module.items()):
            # the override domain of translation_import
            domain_rows = [r for r in self.by_name[(source.type, source.name)]
                if r['res_id'] == -1 and r['module'] == module]
            if source.type in {'report', 'view', 'wizard_button',
                    'selection'}:
                domain_rows = [r for r in domain_rows
                    if r['src'] == source.src
                    and (r['src_plural'] or None)
                    == (source.src_plural or None)]
            if (len(domain_rows) == 1
                    # field and help rows are looked up by source: an
                    # outdated row is better left alone
                    and domain_rows[0]['src'] == source.src):
                return ('%s:%s:%s.' % (source.type, source.name, module),
                    'override')
        return '%s:%s:' % (source.type, source.name), 'add'


def analyse(pool, lang, modules):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    sources = collect_sources(pool, cursor)
    translations = Translations(pool, cursor, lang)
    result = []
    for source in sources:
        if modules and source.module not in modules:
            continue
        status, value, _ = translations.effective(source)
        result.append((source, status, value))
    result.sort(key=lambda x: (x[0].module, x[0].type, x[0].name,
            x[0].res_id, x[0].src))
    return result, translations


STATUSES = ['missing', 'empty', 'fuzzy', 'same', 'allowed', 'ok']
TODO = STATUSES[:4]


def cmd_status(args, result, translations):
    counts = defaultdict(Counter)
    for source, status, _ in result:
        counts[source.module][status] += 1
    width = max([len(m) for m in counts] + [6])
    print(f'{"module":{width}} ' + ' '.join(f'{s:>7}' for s in STATUSES)
        + '   todo  total')
    total = Counter()
    for module in sorted(counts):
        c = counts[module]
        todo = sum(c[s] for s in TODO)
        total.update(c)
        print(f'{module:{width}} ' + ' '.join(f'{c[s]:>7}' for s in STATUSES)
            + f' {todo:>6} {sum(c.values()):>6}')
    todo = sum(total[s] for s in TODO)
    print(f'{"TOTAL":{width}} ' + ' '.join(f'{total[s]:>7}' for s in STATUSES)
        + f' {todo:>6} {sum(total.values()):>6}')


def one_line(text):
    return (text or '').replace('\n', '\\n')


def cmd_list(args, result, translations):
    "module, status, type, name, XML id, source, translation shown, fuzzy"
    for source, status, value in result:
        if status not in args.status:
            continue
        ref = source.res_id if source.res_id < 0 else (
            '%s.%s' % (source.fs_module, source.fs_id))
        fuzzy = ''
        if status == 'fuzzy':
            fuzzy = [r['value'] for r in translations.candidates(source)
                if r['value']][-1]
        print('\t'.join([source.module, status, source.type, source.name,
                    str(ref), one_line(source.src), one_line(value),
                    one_line(fuzzy)]))


def cmd_template(args, result, translations):
    import polib
    po = polib.POFile(wrapwidth=78)
    po.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
    seen = set()
    cannot = []
    for source, status, value in result:
        if status not in args.status:
            continue
        ctxt, how = translations.msgctxt(source)
        if how == 'cannot':
            cannot.append(source)
            continue
        if (ctxt, source.src) in seen:
            continue
        seen.add((ctxt, source.src))
        entry = polib.POEntry(msgctxt=ctxt, msgid=source.src,
            msgstr=value or '')
        if source.src_plural:
            entry.msgid_plural = source.src_plural
            entry.msgstr_plural = {0: value or ''}
        entry.comment = f'{source.module} {status} {how}'
        if how == 'override' and status == 'fuzzy':
            entry.comment += (
                '; the official text is fuzzy: an override with the very '
                'same text does not clear the flag (use the "add" msgctxt '
                'without module, or for records a two-step override, see '
                '--help)')
        po.append(entry)
    po.sort()
    if args.output:
        po.save(args.output)
    else:
        sys.stdout.write(str(po))
    for source in cannot:
        print(f'cannot: {source.module} {source.type} {source.name} '
            f'{source.res_id} {source.src!r}', file=sys.stderr)


# Translations the lint flags but that are right, with the reason.
LINT_EXCEPTIONS = {
    ('ir.trigger,limit_number', 'Limit Number'): 'a count, not a document '
    'number',
    ('ir.message,text', 'Number Trend'): 'the count of opportunities',
    ('ir.message,text', 'Number'): 'the count of stock moves (stock '
    'reporting)',
    }


def cmd_lint(args, result, translations):
    for source, status, value in result:
        if not value or (source.name, source.src) in LINT_EXCEPTIONS:
            continue
        for word, trigger, why in FORBIDDEN:
            if (re.search(word, value) and not re.search(word, source.src)
                    and (not trigger or re.search(trigger, source.src))):
                print('\t'.join([source.module, source.type, source.name,
                            one_line(source.src), one_line(value), why]))
                break


PLACEHOLDER = re.compile(
    r'%\([a-z_0-9]+\)[sdirf]|%[sdirf]|\$\{[^}]*\}|\{\}|\[\d+:')


def cmd_check(args, result, translations):
    """Check the override files of our modules against the database: an
    entry that would make translation_import fail, be ignored or not be
    loaded after the module it overrides, and placeholders that differ"""
    import polib
    from trytond.pool import Pool
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Module = pool.get('ir.module')
    depends = {m.name: {d.name for d in m.dependencies}
        for m in Module.search([])}

    def ancestors(module, result=None):
        result = set() if result is None else result
        for dep in depends.get(module, ()):
            if dep not in result:
                result.add(dep)
                ancestors(dep, result)
        return result

    errors = 0
    seen = {}

    def error(path, entry, message):
        nonlocal errors
        errors += 1
        print(f'{path}: {entry.msgctxt} {entry.msgid[:40]!r}: {message}')

    for path in sorted(glob.glob(os.path.join(
                    ROOT, 'addons', '*', 'locale', 'override',
                    args.lang + '.po'))):
        ours = path.split(os.sep)[-4]
        short = os.path.relpath(path, ROOT)
        own = os.path.join(os.path.dirname(os.path.dirname(path)),
            args.lang + '.po')
        own = ({(e.msgctxt, e.msgid) for e in polib.pofile(own)}
            if os.path.exists(own) else set())
        for entry in polib.pofile(path):
            if (entry.msgctxt, entry.msgid) in own:
                error(short, entry, f'also in {ours}/locale/{args.lang}.po: '
                    'keep it in one file only')
            if entry.obsolete:
                continue
            values = ([entry.msgstr] if not entry.msgid_plural
                else list(entry.msgstr_plural.values()))
            sources = [entry.msgid] + (
                [entry.msgid_plural] if entry.msgid_plural else [])
            for value in values:
                if not value:
                    continue
                if (sorted(PLACEHOLDER.findall(value))
                        != sorted(PLACEHOLDER.findall(sources[0]))):
                    error(short, entry, 'placeholders differ')
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][1] != values and 'Step' not in (
                    entry.comment or ''):
                error(short, entry, f'also in {seen[key][0]} with another '
                    'text')
            seen[key] = (short, values)
            ttype, name, res_id = entry.msgctxt.split(':')
            if '.' not in res_id:
                if res_id:
                    error(short, entry, 'ignored: a record of another '
                        'module cannot be added, only overridden')
                    continue
                rivals = [r for r in translations.by_name.get(
                        (ttype, name), [])
                    if r['res_id'] == -1 and r['module'] not in OURS
                    and r['value'] and not r['fuzzy']
                    and (ttype == 'model' or r['src'] == entry.msgid)]
                if rivals:
                    error(short, entry, f'{rivals[0]["module"]} has a valid '
                        'text too: override it (msgctxt with module) instead '
                        'of adding one')
                continue
            module, fs_id = res_id.split('.', 1)
            if module not in ancestors(ours):
                error(short, entry, f'{ours} does not depend on {module}: '
                    'the official text may be loaded after the override')
            db_id = -1
            if fs_id:
                data = ModelData.search([
                        ('module', '=', module), ('fs_id', '=', fs_id)])
                if len(data) != 1:
                    error(short, entry, 'no such XML id: the import fails')
                    continue
                db_id = data[0].db_id
            rows = [r for r in translations.by_name.get((ttype, name), [])
                if r['res_id'] == db_id and r['module'] == module]
            if ttype in {'report', 'view', 'wizard_button', 'selection'}:
                rows = [r for r in rows if r['src'] == entry.msgid
                    and (r['src_plural'] or None)
                    == (entry.msgid_plural or None)]
            if len(rows) != 1:
                error(short, entry, f'{len(rows)} {args.lang} rows of '
                    f'{module} to override: the import fails (use a '
                    'msgctxt without module to add the text)')
            elif ttype in {'field', 'help'} and rows[0]['src'] != entry.msgid:
                error(short, entry, 'the official row has another source: '
                    'the override would never be shown')
    print(f'{errors} problem(s)')
    if errors:
        sys.exit(1)


def cmd_show(args, result, translations):
    """Print what the client receives in the language: the menu tree, and
    for each model given the fields (fields_get), the buttons and the
    strings of its default form and tree views (fields_view_get)"""
    from lxml import etree
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Menu = pool.get('ir.ui.menu')
    User = pool.get('res.user')
    admin, = User.search([('login', '=', 'admin')])
    with Transaction().set_user(admin.id), \
            Transaction().set_context(language=args.lang, _check_access=True):
        if args.menu:
            def walk(parent, depth):
                for menu in Menu.search([('parent', '=', parent)]):
                    print('  ' * depth + menu.name)
                    if depth + 1 < args.menu:
                        walk(menu.id, depth + 1)
            walk(None, 0)
        for model in args.models:
            Model = pool.get(model)
            print(f'== {model}: {Model.__names__()["model"]}')
            for name, field in sorted(Model.fields_get().items()):
                line = f'{name}: {field["string"]}'
                if field.get('help'):
                    line += f'  ({one_line(field["help"])})'
                selection = field.get('selection')
                if isinstance(selection, list):
                    line += '  [' + ', '.join(
                        str(s) for _, s in selection if s) + ']'
                print('  ' + line)
            for view_type in ['form', 'tree']:
                view = Model.fields_view_get(view_type=view_type)
                tree = etree.fromstring(view['arch'])
                strings = [e.get('string') for e in tree.iter()
                    if e.get('string')]
                print(f'  <{view_type}> ' + ' | '.join(strings))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('-c', '--config',
        default=os.path.join(ROOT, 'config', 'trytond.conf'))
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-l', '--lang', default='zh_CN')
    parser.add_argument('-m', '--module', action='append', dest='modules',
        metavar='MODULE', help='module to report, repeat it or separate '
        'names with commas (default: the official modules)')
    parser.add_argument('--ours', action='store_true',
        help='report our dealer modules as well')
    sub = parser.add_subparsers(dest='command')
    sub.add_parser('status', help='counts per module')
    p = sub.add_parser('list', help='list the strings of some statuses')
    p.add_argument('--status', nargs='*', default=TODO,
        choices=STATUSES)
    p = sub.add_parser('template', help='po entries to translate')
    p.add_argument('--status', nargs='*', default=TODO,
        choices=STATUSES)
    p.add_argument('-o', '--output')
    sub.add_parser('lint', help='translations with forbidden words')
    sub.add_parser('check', help='check addons/*/locale/override/<lang>.po '
        'against the database')
    p = sub.add_parser('show', help='what the client gets: menu, '
        'fields_get and fields_view_get of some models')
    p.add_argument('models', nargs='*')
    p.add_argument('--menu', type=int, default=0, metavar='DEPTH',
        help='print the menu tree down to DEPTH levels')
    args = parser.parse_args()
    command = args.command or 'status'

    modules = {m for ms in (args.modules or []) for m in ms.split(',') if m}
    modules = modules or set(OFFICIAL)
    if args.ours:
        modules |= set(OURS)

    pool = connect(args.config, args.database)
    from trytond.transaction import Transaction
    with Transaction().start(args.database, 0, readonly=True):
        result, translations = analyse(pool, args.lang, modules)
        globals()['cmd_' + command](args, result, translations)


if __name__ == '__main__':
    main()
