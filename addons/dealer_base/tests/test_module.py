# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class DealerBaseTestCase(CompanyTestMixin, ModuleTestCase):
    "Test dealer_base module"
    module = 'dealer_base'

    @property
    def _skip_company_rule(self):
        # A flow without company serves every company, a location without
        # company (customers, suppliers, transit) the whole group: their
        # rules also accept an empty company.
        return super()._skip_company_rule | {
            ('dealer.approval.flow', 'company'),
            ('stock.location', 'company'),
            }


del ModuleTestCase
