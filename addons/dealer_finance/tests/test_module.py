# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.

from trytond.modules.dealer_crm.tests.test_module import DealerCrmTestCase


class DealerFinanceTestCase(DealerCrmTestCase):
    "Test dealer_finance module"
    # The customer's company and multi-values follow dealer_crm's rules.
    module = 'dealer_finance'


del DealerCrmTestCase
