# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Machines sold (R-LEA-02): a sale line of a machine names its serial; the
confirmed sale books the machine from its date on, without end, so that it
is never leased once sold, and its shipment carries that serial."""
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If

from .exceptions import LeasingError
from .machine import BookingReleaseMixin


class Sale(BookingReleaseMixin, metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, sales):
        pool = Pool()
        Booking = pool.get('dealer.machine.booking')
        bookings = []
        for sale in sales:
            seen = set()
            for line in sale.lines:
                if line.type != 'line' or not line.product:
                    continue
                if line.product.machine and line.quantity > 0:
                    if line.machine:
                        if line.quantity != 1 or line.machine in seen:
                            raise LeasingError(gettext(
                                    'dealer_leasing.msg_sale_machine_quantity',
                                    machine=line.machine.rec_name,
                                    sale=sale.rec_name))
                        seen.add(line.machine)
                        bookings.append(Booking(machine=line.machine,
                                company=sale.company, kind='sale',
                                start=sale.sale_date or Pool().get(
                                    'ir.date').today(),
                                end=None, until=None, origin=line,
                                customer=sale.party))
        Booking.book(bookings)
        super().confirm(sales)


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'
    machine = fields.Many2One('stock.lot', "Machine", ondelete='RESTRICT',
        domain=[
            ('product', '=', Eval('product', -1)),
            ('machine', '=', True),
            If(Eval('company'),
                ('company', 'in', [Eval('company', -1), None]),
                ()),
            ],
        states={
            'readonly': Eval('sale_state') != 'draft',
            'invisible': ~Eval('product_machine', False),
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The serial number of the machine sold.")
    product_machine = fields.Function(fields.Boolean("Machine Product"),
        'on_change_with_product_machine')

    @fields.depends('product')
    def on_change_with_product_machine(self, name=None):
        return bool(self.product and self.product.template.machine)

    def get_move(self, shipment_type):
        move = super().get_move(shipment_type)
        if move and self.machine and shipment_type == 'out':
            move.lot = self.machine
        return move

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('machine')
        return super().copy(lines, default=default)


class Booking(metaclass=PoolMeta):
    __name__ = 'dealer.machine.booking'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['sale.line']
