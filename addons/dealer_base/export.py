# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Export of a list to CSV and XLSX (R-FIN-07 and every later report).

A module offers the export on a list by binding the two actions of this
module to its model in its XML:

    <record model="ir.action.keyword" id="act_export_<model>_keyword1">
        <field name="keyword">form_action</field>
        <field name="model">dealer.xxx,-1</field>
        <field name="action" ref="dealer_base.act_export_selected"/>
    </record>
    <record model="ir.action.keyword" id="act_export_<model>_keyword2">
        <field name="keyword">form_action</field>
        <field name="model">dealer.xxx,-1</field>
        <field name="action" ref="dealer_base.act_export_listed"/>
    </record>

The first exports the selected rows, the second every row the list shows.
The columns are those the user sees in the model's list view (hidden and
optional columns left out), headed in the user's language; the rows are
read as the user, in the list's context (the report's date, company ...),
so that access rights and record rules apply as on screen.  The CSV is
UTF-8 with a byte order mark (Excel then reads Chinese correctly); the XLSX
is written with zipfile: a workbook is a zip of a few XML parts.
"""
import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from lxml import etree

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.transaction import Transaction, check_access
from trytond.wizard import Button, StateView, Wizard

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None

# Columns that cannot be put in a cell
SKIPPED_TYPES = {'binary', 'dict'}
# Characters XML 1.0 does not allow
_XML_ILLEGAL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
# Excel counts days from 1899-12-30 (with its 1900 leap year bug)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _is_hidden(value, context):
    "Whether a tree_invisible attribute (a literal or PYSON) hides a column"
    if not value:
        return False
    if value in {'0', 'False', 'false'}:
        return False
    if value.startswith('{'):
        try:
            return bool(PYSONDecoder(context).decode(value))
        except Exception:
            return False
    return True


def list_columns(Model, view_id=None):
    """Return the (name, header, field definition) of the columns the user
    sees in the model's list view"""
    context = Transaction().context
    view = Model.fields_view_get(view_id=view_id, view_type='tree')
    if view_id is None and view.get('view_id'):
        # Asked again by id: the user's choice of optional columns applies
        # only to a view given by id.
        view = Model.fields_view_get(
            view_id=view['view_id'], view_type='tree')
    tree = etree.fromstring(view['arch'])
    columns = []
    for element in tree.iter('field'):
        name = element.get('name')
        definition = view['fields'].get(name)
        if (not definition or definition['type'] in SKIPPED_TYPES
                or _is_hidden(element.get('tree_invisible'), context)
                or element.get('optional') == '1'):
            continue
        header = element.get('string') or definition['string']
        columns.append((name, header, definition))
    return columns


def _read_name(name, definition):
    "The name to read for the value shown in the cell"
    type_ = definition['type']
    if type_ in {'many2one', 'one2one', 'reference', 'one2many', 'many2many'}:
        return name + '.rec_name'
    if type_ in {'selection', 'multiselection'}:
        return name + ':string'
    return name


def _cell(row, name, definition, timezone):
    "The cell's value: text, number, date, datetime, bool or None"
    type_ = definition['type']
    if type_ in {'many2one', 'one2one', 'reference'}:
        target = row.get(name + '.')
        return target['rec_name'] if target else None
    if type_ in {'one2many', 'many2many'}:
        return ', '.join(t['rec_name'] for t in row.get(name + '.') or [])
    if type_ in {'selection', 'multiselection'}:
        value = row.get(name + ':string')
        if isinstance(value, (list, tuple)):
            value = ', '.join(value)
        return value
    value = row.get(name)
    if type_ == 'datetime' and value is not None and timezone:
        # Stored in UTC; shown in the user's timezone like on screen
        value = value.replace(tzinfo=dt.timezone.utc).astimezone(
            timezone).replace(tzinfo=None)
    elif type_ in {'timedelta', 'time'} and value is not None:
        value = str(value)
    elif type_ == 'numeric' and isinstance(value, float):
        value = Decimal(str(value))
    return value


def export_rows(Model, ids, view_id=None):
    """Return the headers and rows of the records as the user sees them in
    the list; the records are read as the user"""
    context = Transaction().context
    columns = list_columns(Model, view_id=view_id)
    names = sorted({_read_name(n, d) for n, _, d in columns} | {'id'})
    timezone = None
    if context.get('timezone') and ZoneInfo:
        try:
            timezone = ZoneInfo(context['timezone'])
        except Exception:
            timezone = None
    with check_access():
        values = {r['id']: r for r in Model.read(list(ids), names)}
    headers = [h for _, h, _ in columns]
    rows = [[_cell(values[i], n, d, timezone) for n, _, d in columns]
        for i in ids if i in values]
    return headers, rows


def _text(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=' ') if isinstance(
            value, dt.datetime) else value.isoformat()
    return str(value)


def to_csv(headers, rows):
    "Return the rows as a CSV file in UTF-8 with a byte order mark"
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return ('\ufeff' + output.getvalue()).encode('utf-8')


def _column_letter(index):
    "A, B, ..., Z, AA, ... for the 0-based column index"
    letters = ''
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord('A') + rest) + letters
    return letters


def _xlsx_cell(ref, value, header=False):
    if value is None or value == '':
        return ''
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{value:f}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="3"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - _EXCEL_EPOCH.date()).days
        return f'<c r="{ref}" s="2"><v>{serial}</v></c>'
    text = escape(_XML_ILLEGAL.sub('', str(value)))
    style = ' s="1"' if header else ''
    return (f'<c r="{ref}" t="inlineStr"{style}>'
        f'<is><t xml:space="preserve">{text}</t></is></c>')


_XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types">'
    '<Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '</Relationships>')
_XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>')
# Cell styles: 0 default, 1 bold header, 2 date, 3 date and time
_XLSX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">'
    '<numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '</numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    '</border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" '
    'applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles>'
    '</styleSheet>')


def _sheet_name(title):
    "Excel refuses []:*?/\\ and more than 31 characters in a sheet name"
    name = re.sub(r'[\[\]:*?/\\]', ' ', title or '').strip()[:31]
    return name or 'Sheet1'


def to_xlsx(headers, rows, title=None):
    "Return the rows as an XLSX workbook of one sheet"
    lines = []
    for r, values in enumerate([headers] + list(rows), start=1):
        cells = ''.join(
            _xlsx_cell(f'{_column_letter(c)}{r}', v, header=(r == 1))
            for c, v in enumerate(values))
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main">'
        '<sheetData>' + ''.join(lines) + '</sheetData></worksheet>')
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(_sheet_name(title))}" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>')
    output = io.BytesIO()
    with zipfile.ZipFile(output, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('[Content_Types].xml', _XLSX_CONTENT_TYPES)
        archive.writestr('_rels/.rels', _XLSX_RELS)
        archive.writestr('xl/workbook.xml', workbook)
        archive.writestr('xl/_rels/workbook.xml.rels', _XLSX_WORKBOOK_RELS)
        archive.writestr('xl/styles.xml', _XLSX_STYLES)
        archive.writestr('xl/worksheets/sheet1.xml', sheet)
    return output.getvalue()


def _file_name(title):
    "A file name from the list's title and today's date"
    pool = Pool()
    Date = pool.get('ir.date')
    name = re.sub(r'[\\/:*?"<>|]+', ' ', title or 'export').strip()
    return f'{name}-{Date.today().isoformat()}'


class ExportResult(ModelView):
    __name__ = 'dealer.export.result'
    __string__ = "Export"
    rows = fields.Integer("Rows", readonly=True)
    csv_file = fields.Binary("CSV", filename='csv_name', readonly=True)
    csv_name = fields.Char("CSV File Name", readonly=True)
    xlsx_file = fields.Binary("Excel (XLSX)", filename='xlsx_name',
        readonly=True)
    xlsx_name = fields.Char("XLSX File Name", readonly=True)


class Export(Wizard):
    "Export"
    __name__ = 'dealer.export'
    # Exporting writes nothing: no write access to the listed model needed.
    _readonly = True
    start = StateView('dealer.export.result',
        'dealer_base.export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        # Computed as the view's defaults, so the files are not kept in the
        # wizard's session.
        Model = self.model
        if not Model:
            return {'rows': 0}
        ids = [r.id for r in self.records]
        title = Model.__names__()['model']
        headers, rows = export_rows(Model, ids)
        name = _file_name(title)
        return {
            'rows': len(rows),
            'csv_file': to_csv(headers, rows),
            'csv_name': name + '.csv',
            'xlsx_file': to_xlsx(headers, rows, title=title),
            'xlsx_name': name + '.xlsx',
            }
