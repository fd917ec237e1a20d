# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Sales statistics (R-CRM-15): ordered, shipped, invoiced and paid amounts
by company, salesperson, region (the customer's province) and distributor
(the head office of the customer, or the customer itself), each user
seeing their data scope."""
from sql import Cast, Null
from sql.aggregate import Max, Sum
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval


class SaleStatistics(ModelSQL, ModelView):
    __name__ = 'dealer.sale.statistics'
    __string__ = "Sales Statistics"
    company = fields.Many2One('company.company', "Company")
    owner = fields.Many2One('company.employee', "Salesperson")
    region = fields.Many2One('country.subdivision', "Region")
    distributor = fields.Many2One('party.party', "Distributor",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The head office of the customer, or the customer itself.")
    currency = fields.Many2One('currency.currency', "Currency")
    ordered = Monetary("Ordered", currency='currency', digits='currency')
    shipped = Monetary("Shipped", currency='currency', digits='currency')
    invoiced = Monetary("Invoiced", currency='currency', digits='currency')
    paid = Monetary("Paid", currency='currency', digits='currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('owner', 'ASC'),
            ('distributor', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Move = pool.get('stock.move')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        sale, line, party = Sale.__table__(), Line.__table__(), Party.__table__()
        address = Address.__table__()
        move, invoice = Move.__table__(), Invoice.__table__()
        invoice_line = InvoiceLine.__table__()

        origin = Concat('sale.line,', Cast(line.id, 'VARCHAR'))
        amount = cls.ordered.sql_cast
        # One row per sale line with what was shipped, invoiced and paid of
        # it; the origins of moves and invoice lines are 'sale.line,<id>'.
        shipped = move.select(
            Coalesce(Sum(move.quantity), 0),
            where=(move.origin == origin) & (move.state == 'done'))
        invoiced = invoice_line.join(invoice,
            condition=invoice_line.invoice == invoice.id
            ).select(Coalesce(Sum(invoice_line.quantity), 0),
            where=(invoice_line.origin == origin)
            & invoice.state.in_(['posted', 'paid']))
        paid = invoice_line.join(invoice,
            condition=invoice_line.invoice == invoice.id
            ).select(Coalesce(Sum(invoice_line.quantity), 0),
            where=(invoice_line.origin == origin)
            & (invoice.state == 'paid'))
        distributor = Coalesce(party.head_office, party.id)
        return (line
            .join(sale, condition=line.sale == sale.id)
            .join(party, condition=sale.party == party.id)
            .join(address, 'LEFT',
                condition=sale.invoice_address == address.id)
            .select(
                Max(line.id).as_('id'),
                sale.company.as_('company'),
                sale.owner.as_('owner'),
                address.subdivision.as_('region'),
                distributor.as_('distributor'),
                Max(sale.currency).as_('currency'),
                amount(Sum(line.quantity * line.unit_price)).as_('ordered'),
                amount(Sum(line.unit_price * shipped)).as_('shipped'),
                amount(Sum(line.unit_price * invoiced)).as_('invoiced'),
                amount(Sum(line.unit_price * paid)).as_('paid'),
                where=sale.state.in_(['confirmed', 'processing', 'done'])
                & (line.type == 'line') & (line.quantity != Null)
                & (line.unit_price != Null),
                group_by=[sale.company, sale.owner, address.subdivision,
                    distributor]))
