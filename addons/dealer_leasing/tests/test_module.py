# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class DealerLeasingTestCase(CompanyTestMixin, ModuleTestCase):
    "Test dealer_leasing module"
    module = 'dealer_leasing'
    # Lots of parts carry no company: the machines' rule lets those through
    # and keeps each company's machines to its users.
    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {('stock.lot', 'company')}


del ModuleTestCase
