# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Warehouses belong to a company: its staff alone see them (R-ORG-03).

Tryton's locations have no company; a warehouse and every location below
it get one, so that the record rule in warehouse.xml shows a user the
warehouses of his companies and the shared locations (customer, supplier,
transit) that have none."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'
    company = fields.Many2One(
        'company.company', "Company", ondelete='RESTRICT',
        help="The company whose warehouse this is; its staff alone see "
        "it.\nEmpty: shared by the group (customers, suppliers, transit).")

    @classmethod
    def on_modification(cls, mode, locations, field_names=None):
        super().on_modification(mode, locations, field_names=field_names)
        if mode in {'create', 'write'} and (field_names is None
                or {'company', 'parent'} & set(field_names)):
            cls._follow_company(locations)

    @classmethod
    def _follow_company(cls, locations):
        "Give the locations below a location with a company that company"
        with without_check_access():
            for location in locations:
                company = location.company
                if not company and location.parent:
                    company = location.parent.company
                    if company:
                        cls.write([location], {'company': company.id})
                        continue
                if company:
                    below = cls.search([
                            ('parent', 'child_of', [location.id]),
                            ('id', '!=', location.id),
                            ['OR',
                                ('company', '=', None),
                                ('company', '!=', company.id),
                                ],
                            ])
                    if below:
                        cls.write(below, {'company': company.id})
