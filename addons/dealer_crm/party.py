# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Customers and contacts (R-CRM-01, R-CRM-04, R-CRM-05).

A customer (客户) signs and pays; a contact (联系人) is the person a
salesperson talks to.  One party may be both.  Customers and contacts
belong to a company of the group and to an owner salesperson; a customer
without owner is in the company's pool (公海).  The owner changes only
through claim, release, transfer and assignment (customer_pool.py)."""
import logging
import re
from decimal import Decimal

from sql.conditionals import Coalesce
from sql.functions import Lower

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import CRMError

logger = logging.getLogger(__name__)

# The contact mechanisms whose digits the duplicate check compares
PHONE_TYPES = {'phone', 'mobile', 'fax'}
# Phones are written with all kinds of separators and prefixes: the last 8
# digits (a local number) decide.
# The fewest digits a duplicate check takes: a whole local number.
PHONE_MIN_DIGITS = 7
PHONE_TAIL = 8


_FULLWIDTH = str.maketrans('０１２３４５６７８９', '0123456789')


def _digits(value):
    "The digits of a phone number as typed, full-width ones (全角) too"
    return re.sub(r'[^0-9]', '', (value or '').translate(_FULLWIDTH))


def enable_trigram():
    """Make pg_trgm available, so that trytond turns the similarity indexes
    (party names, codes, contact values ...) into trigram indexes that
    serve the lists' ILIKE '%…%' searches; a database where it cannot be
    created keeps its B-tree indexes"""
    transaction = Transaction()
    database = transaction.database
    if backend.name != 'postgresql' or database.has_extension('pg_trgm'):
        return
    cursor = transaction.connection.cursor()
    cursor.execute('SAVEPOINT dealer_crm_pg_trgm')
    try:
        cursor.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except Exception as exception:
        # Not available on the server, or not allowed to this user
        cursor.execute('ROLLBACK TO SAVEPOINT dealer_crm_pg_trgm')
        logger.warning('pg_trgm not enabled: %s', exception)
    else:
        cursor.execute('RELEASE SAVEPOINT dealer_crm_pg_trgm')
        # has_extension() caches its answer per database and asks through
        # another connection: forget the answer (the backend's public
        # clear_cache(), as trytond's ExtensionTestCase does after creating
        # an extension) so that the indexes, created after this transaction
        # is committed, see the extension.
        backend.Database.clear_cache()


class CustomerType(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.customer.type'
    __string__ = "Customer Type"
    name = fields.Char("Name", required=True, translate=True)
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    is_customer = fields.Boolean("Customer",
        help="Signs contracts and pays: receivables are on the customer.")
    is_contact = fields.Boolean("Contact",
        help="A person the salespeople talk to.")
    company = fields.Many2One(
        'company.company', "Company",
        states={
            'required': Eval('is_customer') | Eval('is_contact'),
            'invisible': ~Eval('is_customer') & ~Eval('is_contact'),
            },
        help="The company of the group the customer or contact belongs to.")
    owner = fields.Many2One(
        'company.employee', "Owner",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Eval('id', -1) >= 0,
            'invisible': ~Eval('is_customer') & ~Eval('is_contact'),
            },
        help="The salesperson the customer belongs to; "
        "empty: in the company's pool.")
    customer_type = fields.Many2One(
        'dealer.customer.type', "Customer Type",
        states={
            'invisible': ~Eval('is_customer'),
            })
    key_customer = fields.Boolean("Key Customer",
        states={
            'invisible': ~Eval('is_customer'),
            })
    tags = fields.Many2Many(
        'dealer.customer-tag', 'customer', 'tag', "Tags",
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ],
        states={
            'invisible': ~Eval('is_customer'),
            })
    contact_links = fields.One2Many(
        'dealer.contact.link', 'customer', "Contacts",
        states={
            'invisible': ~Eval('is_customer'),
            })
    customer_links = fields.One2Many(
        'dealer.contact.link', 'contact', "Contact of Customers",
        states={
            'invisible': ~Eval('is_contact'),
            })
    ownership = fields.One2Many(
        'dealer.customer.ownership', 'customer', "Ownership History",
        readonly=True)
    pooled = fields.Function(fields.Boolean("In Pool"),
        'get_pooled', searcher='search_pooled')
    head_office = fields.Many2One(
        'party.party', "Head Office",
        domain=[
            ('is_customer', '=', True),
            ('id', '!=', Eval('id', -1)),
            ],
        states={
            'invisible': ~Eval('is_customer'),
            },
        help="The head office or distributor that is invoiced and settles "
        "for this customer (a subsidiary or an end customer).")
    subsidiaries = fields.One2Many(
        'party.party', 'head_office', "Subsidiaries and End Customers",
        readonly=True,
        states={
            'invisible': ~Eval('is_customer'),
            })
    group_receivable = fields.Function(Monetary(
            "Group Receivable", currency='currency', digits='currency',
            help="The open receivable of the customer and of all its "
            "subsidiaries and end customers."),
        'get_group_receivable')
    # Business history: what the user may see of the customer's deals
    sales = fields.Function(fields.Many2Many(
            'sale.sale', None, None, "Sales",
            states={
                'invisible': ~Eval('is_customer'),
                },
            help="The sales made to the customer or invoiced to it, "
            "newest first."),
        'get_history')
    invoices = fields.Function(fields.Many2Many(
            'account.invoice', None, None, "Invoices",
            states={
                'invisible': ~Eval('is_customer'),
                },
            help="The customer invoices and credit notes, newest first: "
            "their amount due shows what is paid."),
        'get_history')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                # Customer lists are read a page at a time in name order.
                Index(t, (t.name, Index.Range()), (t.id, Index.Range())),
                # The duplicate check compares whole names, whatever the
                # case (a trigram index is slow for an exact name made of
                # the same few words as thousands of others).
                Index(t, (Lower(Coalesce(t.name, '')),
                        Index.Equality(cardinality='high'))),
                })
        cls.__rpc__.update({
                'check_duplicate': RPC(),
                })

    @classmethod
    def __register__(cls, module):
        enable_trigram()
        super().__register__(module)

    @classmethod
    def default_company(cls):
        return cls._user_default('company')

    @classmethod
    def default_owner(cls):
        return cls._user_default('employee')

    @classmethod
    def _user_default(cls, name):
        "The context's value, else the user's: integrators may send none"
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if name in transaction.context:
            return transaction.context[name]
        if transaction.user:
            value = getattr(User(transaction.user), name)
            return value.id if value else None

    @classmethod
    def default_is_customer(cls):
        return False

    @classmethod
    def default_is_contact(cls):
        return False

    @classmethod
    def default_key_customer(cls):
        return False

    @classmethod
    def get_group_receivable(cls, parties, name):
        "Roll the receivables of the subsidiaries up to their head office"
        tree = {p.id: {p.id} for p in parties}
        with without_check_access():
            level = {p.id: p.id for p in parties}
            while level:
                below = cls.search([('head_office', 'in', list(level))])
                level = {c.id: level[c.head_office.id] for c in below
                    if c.id not in tree[level[c.head_office.id]]}
                for child, top in level.items():
                    tree[top].add(child)
            members = cls.browse({i for ids in tree.values() for i in ids})
            receivable = cls.get_receivable_payable(members, ['receivable'])
        receivable = receivable['receivable']
        return {top: sum((receivable.get(i, 0) for i in ids), Decimal(0))
            for top, ids in tree.items()}

    @classmethod
    def get_history(cls, parties, names):
        """The customer's deals the user may see: the searches apply the
        user's record rules, so another salesperson's sale to the same
        customer stays hidden"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Invoice = pool.get('account.invoice')
        result = {n: {p.id: [] for p in parties} for n in names}
        for sub_parties in grouped_slice(
                parties, backend.MAX_QUERY_PARAMS):
            ids = {p.id for p in sub_parties}
            if 'sales' in names:
                for sale in Sale.search(['OR',
                            ('party', 'in', list(ids)),
                            ('invoice_party', 'in', list(ids)),
                            ]):
                    invoiced = sale.invoice_party or sale.party
                    for party in {sale.party.id, invoiced.id} & ids:
                        result['sales'][party].append(sale.id)
            if 'invoices' in names:
                for invoice in Invoice.search([
                            ('type', '=', 'out'),
                            ('party', 'in', list(ids)),
                            ], order=[
                            ('invoice_date', 'DESC NULLS FIRST'),
                            ('id', 'DESC'),
                            ]):
                    result['invoices'][invoice.party.id].append(invoice.id)
        return result

    def get_pooled(self, name):
        return bool(self.is_customer and not self.owner)

    @classmethod
    def search_pooled(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [('is_customer', '=', True), ('owner', '=', None)]
        return ['OR', ('is_customer', '=', False), ('owner', '!=', None)]

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_head_office(parties, field_names)
        cls.check_owner_company(parties, field_names)

    @classmethod
    def check_head_office(cls, parties, field_names=None):
        "No party is its own head office, directly or through others"
        if field_names and 'head_office' not in field_names:
            return
        for party in parties:
            seen, office = {party.id}, party.head_office
            while office:
                if office.id in seen:
                    raise CRMError(gettext(
                            'dealer_crm.msg_head_office_cycle',
                            party=party.rec_name))
                seen.add(office.id)
                office = office.head_office

    @classmethod
    def check_owner_company(cls, parties, field_names=None):
        "The owner works for the company the party belongs to"
        if field_names and not (field_names & {'owner', 'company'}):
            return
        for party in parties:
            if (party.owner and party.company
                    and party.owner.company != party.company):
                raise CRMError(gettext(
                        'dealer_crm.msg_owner_company',
                        party=party.rec_name,
                        owner=party.owner.rec_name,
                        company=party.company.rec_name))

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        pool = Pool()
        User = pool.get('res.user')
        super().check_modification(
            mode, parties, values=values, external=external)
        if not external:
            return
        if mode == 'write' and {'owner', 'company'} & set(values):
            # Ownership is protected against malicious competition: it
            # changes only through claim, release, transfer and assign.
            raise AccessError(gettext('dealer_crm.msg_owner_write'))
        if mode == 'create':
            employees = set(User.get_employees())
            company_scope = User.get_data_scope() == 'company'
            for party in parties:
                if (party.owner and party.owner.id not in employees
                        and not company_scope):
                    raise AccessError(gettext(
                            'dealer_crm.msg_owner_create',
                            party=party.rec_name))

    @classmethod
    def check_duplicate(cls, name=None, phone=None, tax_identifier=None):
        """Tell whether a customer or contact with the name, phone or tax
        identifier exists, who owns it or that it is in the pool, without
        showing its data"""
        for value in (name, phone, tax_identifier):
            if value is not None and not isinstance(value, str):
                raise CRMError(gettext('dealer_crm.msg_duplicate_value'))
        criteria = []
        if name and name.strip():
            table = cls.__table__()
            criteria.append(('name', ('id', 'in', table.select(table.id,
                            where=Lower(Coalesce(table.name, ''))
                            == Lower(name.strip())))))
        digits = _digits(phone)
        if phone and len(digits) < PHONE_MIN_DIGITS:
            # A few digits would match many phones: asked one digit at a
            # time, the answers would spell every customer's number.
            raise CRMError(gettext('dealer_crm.msg_duplicate_phone_short',
                    digits=PHONE_MIN_DIGITS))
        if digits:
            # The stored digits end with the local number, whatever the
            # separators and prefixes: the reversed digits start with it.
            criteria.append(('phone', ('contact_mechanisms', 'where', [
                            ('type', 'in', ['phone', 'mobile']),
                            ('value_digits_reversed', 'like',
                                digits[-PHONE_TAIL:][::-1] + '%'),
                            ])))
        if tax_identifier and tax_identifier.strip():
            criteria.append(('tax_identifier', ('identifiers.code', '=',
                        tax_identifier.replace(' ', '').upper())))
        if not criteria:
            raise CRMError(gettext('dealer_crm.msg_duplicate_empty'))
        found = {}
        # Searched beyond the user's scope on purpose: only the owner's
        # name and the company are returned, never the party itself.
        with without_check_access():
            for key, clause in criteria:
                for party in cls.search([
                            ['OR', ('is_customer', '=', True),
                                ('is_contact', '=', True)],
                            clause,
                            ], limit=20, order=[('id', 'ASC')]):
                    found.setdefault(party, []).append(key)
            return [{
                    'match': keys,
                    'company': party.company.rec_name if party.company
                    else None,
                    'owner': party.owner.rec_name if party.owner else None,
                    'pooled': party.pooled,
                    } for party, keys in sorted(
                    found.items(), key=lambda i: i[0].id)]


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'
    value_digits_reversed = fields.Char("Digits Reversed", readonly=True,
        help="The digits of a phone number, the last one first: the "
        "duplicate check finds a number by its end (the local number), "
        "whatever its prefix and separators.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # The duplicate check searches COALESCE(value_digits_reversed, '')
        # LIKE '<local number reversed>%' (as trytond searches a Char that
        # is not required): a B-tree serves the prefix.
        cls._sql_indexes.add(Index(t,
                (Coalesce(t.value_digits_reversed, ''),
                    Index.Similarity(begin=True))))

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or {'value', 'type'} & field_names:
            value = values.get('value', getattr(self, 'value', None))
            digits = None
            if getattr(self, 'type', None) in PHONE_TYPES:
                digits = _digits(value)[::-1] or None
            if getattr(self, 'value_digits_reversed', None) != digits:
                values['value_digits_reversed'] = digits
        return values


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # The duplicate check looks a tax identifier up by its code (the
        # code's similarity index is a trigram one when pg_trgm is enabled)
        cls._sql_indexes.add(
            Index(t, (t.code, Index.Equality(cardinality='high'))))
