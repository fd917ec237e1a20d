# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from unittest.mock import patch

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import test_module as company_tests
from trytond.tests.test_tryton import ModuleTestCase


class DealerCrmTestCase(CompanyTestMixin, ModuleTestCase):
    "Test dealer_crm module"
    module = 'dealer_crm'

    @property
    def _skip_company_rule(self):
        # A customer's company is guarded by the customer rules (company
        # and data scope together); a tag without company serves the group.
        return super()._skip_company_rule | {
            ('party.party', 'company'),
            ('dealer.customer.tag', 'company'),
            }

    def test_company_multivalue_context(self):
        # The company of a customer is the CRM company it belongs to, not
        # the company whose values (accounts ...) its form shows: those
        # follow the user's company as for any party.
        registered = company_tests.isregisteredby
        with patch.object(company_tests, 'isregisteredby',
                lambda model, module, *a: model.__name__ != 'party.party'
                and registered(model, module, *a)):
            super().test_company_multivalue_context()


del ModuleTestCase
