# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Machines and their deliveries (发车): a machine is a serialised product;
a machine delivery is a customer shipment that carries one."""
from trytond.model import fields
from trytond.pool import PoolMeta


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'
    machine = fields.Boolean(
        "Machine", help="A serialised machine (excavator, loader ...).")

    @classmethod
    def default_machine(cls):
        return False


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'
    machine = fields.Function(
        fields.Boolean("Machine Delivery"), 'get_machine',
        searcher='search_machine')

    def get_machine(self, name):
        return any(m.product.machine for m in self.outgoing_moves)

    @classmethod
    def search_machine(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [('moves.product.template.machine', '=', True)]
        return [('moves', 'not where', [
                    ('product.template.machine', '=', True)])]
