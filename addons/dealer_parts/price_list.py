# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Agreed prices (协议价, R-PRT-07) on Tryton's price lists.

Tryton's product_price_list holds price lists of a company: lines matched
in sequence (a part, a category, from a quantity up) with a formula on the
list price or the cost price.  sale_price_list gives each customer an
agreed list per company (party's `sale_price_list`, a company MultiValue)
that a new sale takes (`sale.price_list`) and its lines' unit prices follow;
purchase_price_list gives each supplier a list per company
(`purchase_price_list`) that the purchase lines of that company follow.

What the dealers add:

* A price list is for sales or for purchases (`usage`).  Sales managers
  keep the sale lists, purchasers the purchase lists, each in their
  companies (record rules, price_list.xml); salespeople read the sale lists
  of their companies to see the prices on their orders, never the purchase
  lists: what the company pays is the purchasers' (as purchase.xml hides
  the purchase prices of products).
* A list prices only in its own company and for its usage.  Tryton's
  domains filter the client's choice, and its server-side domain check
  answers "not valid according to its domain"; here a party's agreed list
  of a company and a sale's list are refused with a message naming the
  list and both companies, and nothing is written.  Once a party or a
  sale uses a list, its company and usage no longer change.
* A sale takes its customer's agreed list of the sale's company (Tryton
  reads the party's list in the user's current company).  Salespeople
  cannot choose another one: only the holders of the sale price lists
  group (sales managers), the group leader and the administrator can.  A
  sale created without a list (by an integrator, from an opportunity or a
  lease) gets the agreed one; a copy takes the customer's current one.
* A product's sale price is computed only with a price list the user may
  read, of the company asked for and for sales; another one is ignored
  (Tryton would assert, or price with a purchase list).
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.dealer_base.wall import unreadable_ids, walled
from trytond.pool import Pool, PoolMeta
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from .exceptions import PriceListError

USAGES = [
    ('sale', "Sale"),
    ('purchase', "Purchase"),
    ]


def _in_groups(*xml_ids):
    "Whether the user holds one of the groups (module.xml_id)"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = set(User.get_groups())
    return any(ModelData.get_id(*xml_id.split('.')) in groups
        for xml_id in xml_ids)


def check_price_list(price_list, usage, company, party, sale=False):
    """Refuse a price list for the other usage, or of another company than
    the party's value or the sale it prices"""
    if not price_list:
        return
    if price_list.usage != usage:
        raise PriceListError(gettext(
                f'dealer_parts.msg_price_list_usage_{usage}',
                price_list=price_list.rec_name))
    if company and price_list.company != company:
        raise PriceListError(gettext(
                'dealer_parts.msg_%s_price_list_company'
                % ('sale' if sale else 'party'),
                price_list=price_list.rec_name,
                list_company=price_list.company.rec_name,
                party=party.rec_name if party else '',
                company=company.rec_name))


class PriceList(metaclass=PoolMeta):
    __name__ = 'product.price_list'
    usage = fields.Selection(USAGES, "Usage", required=True,
        help="Sale: customers' agreed prices, kept by the sales managers.\n"
        "Purchase: suppliers' prices, kept by the purchasers.")

    @classmethod
    def default_usage(cls):
        # A purchaser makes purchase lists wherever he starts from.
        if (_in_groups('dealer_parts.group_purchase_price_list')
                and not _in_groups('dealer_parts.group_sale_price_list')):
            return 'purchase'
        return 'sale'

    @classmethod
    def write(cls, *args):
        changed = []
        actions = iter(args)
        for price_lists, values in zip(actions, actions):
            for price_list in price_lists:
                if ('company' in values
                        and values['company'] != price_list.company.id):
                    changed.append(price_list)
                elif ('usage' in values
                        and values['usage'] != price_list.usage):
                    changed.append(price_list)
        if changed:
            cls.check_in_use(changed)
        super().write(*args)

    @classmethod
    def check_in_use(cls, price_lists):
        """Refuse to change the company or usage of lists a party or a sale
        uses (without naming them: the user may not see them)"""
        pool = Pool()
        PartySale = pool.get('party.party.sale_price_list')
        PartyPurchase = pool.get('party.party.purchase_price_list')
        Configuration = pool.get('sale.configuration.sale_price_list')
        Sale = pool.get('sale.sale')
        for price_list in price_lists:
            with without_check_access(), inactive_records():
                used = (
                    PartySale.search([
                            ('sale_price_list', '=', price_list.id),
                            ], limit=1)
                    or PartyPurchase.search([
                            ('purchase_price_list', '=', price_list.id),
                            ], limit=1)
                    or Configuration.search([
                            ('sale_price_list', '=', price_list.id),
                            ], limit=1)
                    or Sale.search([
                            ('price_list', '=', price_list.id),
                            ], limit=1))
            if used:
                raise PriceListError(gettext(
                        'dealer_parts.msg_price_list_in_use',
                        price_list=price_list.rec_name))

    @classmethod
    def usable_for_sale(cls, price_list_id, company_id):
        """Whether the list prices sales of the company for the user: one he
        may read, of that company, for sales"""
        try:
            price_list_id = int(price_list_id)
            company_id = int(company_id)
        except (TypeError, ValueError):
            return False
        if price_list_id < 0:
            return False
        with without_check_access(), inactive_records():
            price_lists = cls.search([('id', '=', price_list_id)])
        if not price_lists:
            return False
        if walled() and unreadable_ids(cls, [price_list_id]):
            return False
        price_list, = price_lists
        return (price_list.usage == 'sale'
            and price_list.company.id == company_id)


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def get_sale_price(cls, products, quantity=0):
        pool = Pool()
        PriceList = pool.get('product.price_list')
        context = Transaction().context
        price_list = context.get('price_list')
        if (price_list is not None
                and not PriceList.usable_for_sale(
                    price_list, context.get('company'))):
            # sale_price_list would assert on another company's list and
            # price with a purchase list: the list price instead.
            with Transaction().set_context(price_list=None):
                return super().get_sale_price(products, quantity=quantity)
        return super().get_sale_price(products, quantity=quantity)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.sale_price_list.domain = (
            cls.sale_price_list.domain + [('usage', '=', 'sale')])
        cls.purchase_price_list.domain = (
            cls.purchase_price_list.domain + [('usage', '=', 'purchase')])

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default else {}
        # As sale_price_list does for the customer's list: a copy does not
        # take the supplier's agreed prices.
        if Transaction().check_access:
            names = ['purchase_price_lists', 'purchase_price_list']
            default_values = cls.default_get(names, with_rec_name=False)
            for name in names:
                default.setdefault(name, default_values.get(name))
        return super().copy(parties, default=default)


class PartySalePriceList(metaclass=PoolMeta):
    __name__ = 'party.party.sale_price_list'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.sale_price_list.domain = (
            cls.sale_price_list.domain + [('usage', '=', 'sale')])

    @classmethod
    def _validate(cls, records, field_names=None):
        # Before Tryton's domain check, whose message names no company.
        for record in records:
            check_price_list(record.sale_price_list, 'sale', record.company,
                record.party)
        super()._validate(records, field_names=field_names)


class PartyPurchasePriceList(metaclass=PoolMeta):
    __name__ = 'party.party.purchase_price_list'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.purchase_price_list.domain = (
            cls.purchase_price_list.domain + [('usage', '=', 'purchase')])

    @classmethod
    def _validate(cls, records, field_names=None):
        for record in records:
            check_price_list(record.purchase_price_list, 'purchase',
                record.company, record.party)
        super()._validate(records, field_names=field_names)


class Configuration(metaclass=PoolMeta):
    __name__ = 'sale.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.sale_price_list.domain = (
            cls.sale_price_list.domain + [('usage', '=', 'sale')])


class ConfigurationSalePriceList(metaclass=PoolMeta):
    __name__ = 'sale.configuration.sale_price_list'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.sale_price_list.domain = (
            cls.sale_price_list.domain + [('usage', '=', 'sale')])


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.price_list.domain = (
            cls.price_list.domain + [('usage', '=', 'sale')])

    @classmethod
    def _agreed_price_list(cls, party, company):
        "The party's agreed price list in the company (else the default one)"
        pool = Pool()
        Party = pool.get('party.party')
        if party is None or company is None:
            return None
        with without_check_access(), inactive_records():
            parties = Party.search([('id', '=', int(party))])
        if not parties:
            return None
        party, = parties
        return party.get_multivalue('sale_price_list', company=int(company))

    def agreed_price_list(self):
        "The customer's agreed price list in the sale's company"
        if self.party and self.company:
            return self._agreed_price_list(self.party.id, self.company.id)

    @fields.depends('party', 'company')
    def on_change_party(self):
        super().on_change_party()
        # In the sale's company, not the user's current one.
        if self.party and self.company:
            self.price_list = self.agreed_price_list()

    @fields.depends('party', 'company')
    def on_change_company(self):
        super().on_change_company()
        if self.party and self.company:
            self.price_list = self.agreed_price_list()

    @classmethod
    def _validate(cls, sales, field_names=None):
        if field_names is None or field_names & {'price_list', 'company'}:
            for sale in sales:
                check_price_list(sale.price_list, 'sale', sale.company,
                    sale.party, sale=True)
        super()._validate(sales, field_names=field_names)

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            party = values.get('party')
            if ('price_list' not in values
                    and isinstance(party, int) and party >= 0):
                company = values.get('company', cls.default_company())
                if company is not None:
                    agreed = cls._agreed_price_list(party, company)
                    values['price_list'] = agreed.id if agreed else None
        sales = super().create(vlist)
        if walled():
            cls.check_agreed_price_list(sales)
        return sales

    @classmethod
    def write(cls, *args):
        super().write(*args)
        if walled():
            sales = []
            actions = iter(args)
            for records, values in zip(actions, actions):
                if values.keys() & {'price_list', 'party', 'company'}:
                    sales.extend(records)
            if sales:
                cls.check_agreed_price_list(cls.browse(sales))

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default else {}

        def agreed(data):
            price_list = cls._agreed_price_list(
                data.get('party'), data.get('company'))
            return price_list.id if price_list else None
        default.setdefault('price_list', agreed)
        return super().copy(sales, default=default)

    @classmethod
    def check_agreed_price_list(cls, sales):
        """Refuse a price list other than the customer's agreed one from
        those who may not choose it"""
        if _in_groups('dealer_parts.group_sale_price_list',
                'dealer_base.group_boss', 'dealer_base.group_dealer_admin'):
            return
        for sale in sales:
            if sale.state != 'draft' or not sale.party:
                continue
            agreed = sale.agreed_price_list()
            if sale.price_list == agreed:
                continue
            if agreed:
                raise PriceListError(gettext(
                        'dealer_parts.msg_sale_price_list_agreed',
                        party=sale.party.rec_name,
                        price_list=agreed.rec_name))
            raise PriceListError(gettext(
                    'dealer_parts.msg_sale_price_list_none',
                    party=sale.party.rec_name))
