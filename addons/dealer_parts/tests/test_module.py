# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class DealerPartsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test dealer_parts module"
    module = 'dealer_parts'


del ModuleTestCase
