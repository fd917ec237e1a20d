# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from unittest.mock import patch

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import test_module as company_tests
from trytond.tests.test_tryton import ModuleTestCase


class DealerPartsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test dealer_parts module"
    module = 'dealer_parts'

    @property
    def _skip_company_rule(self):
        # price_list.py extends party.party (the price list fields' domains):
        # a customer's CRM company is guarded by dealer_crm's customer rules
        # (see DealerCrmTestCase).
        return super()._skip_company_rule | {('party.party', 'company')}

    def test_company_multivalue_context(self):
        # party.party, extended here for its price lists, is left out for
        # the reason DealerCrmTestCase gives: its `company` is the CRM
        # company, not the company of its multi-values.  Every other model
        # dealer_parts registers is still checked.
        registered = company_tests.isregisteredby
        with patch.object(company_tests, 'isregisteredby',
                lambda model, module, *a: model.__name__ != 'party.party'
                and registered(model, module, *a)):
            super().test_company_multivalue_context()


del ModuleTestCase
