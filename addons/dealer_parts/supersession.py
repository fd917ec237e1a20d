# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Supersession (替代件, R-PRT-08): a part number replaced by a newer one
(Tryton's product replacement: `replaced_by`, set by the Replace wizard).
Tryton moves stock to the replacement only once the old part is sold out
and deactivated; a parts counter needs more: the newest part of the chain
is offered in place of a superseded one as soon as it is entered on a sale
or a purchase line, as manufacturers' parts catalogues do."""
from trytond.model import fields
from trytond.pool import PoolMeta


def newest(product):
    "The last part of the product's replacement chain"
    seen = {product}
    while product.replaced_by and product.replaced_by not in seen:
        product = product.replaced_by
        seen.add(product)
    return product


class ReplacedOnLineMixin:
    "An order line offers the newest part when a superseded one is entered"
    __slots__ = ()

    @fields.depends('product')
    def on_change_product(self):
        if self.product and self.product.replaced_by:
            self.product = newest(self.product)
        super().on_change_product()


class SaleLine(ReplacedOnLineMixin, metaclass=PoolMeta):
    __name__ = 'sale.line'


class PurchaseLine(ReplacedOnLineMixin, metaclass=PoolMeta):
    __name__ = 'purchase.line'
