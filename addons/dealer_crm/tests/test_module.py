# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from unittest.mock import patch

from trytond import backend
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import test_module as company_tests
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


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
        # party.party gained a Many2One named `company`: the CRM company a
        # customer or contact belongs to.  CompanyTestMixin takes a model's
        # first Many2One to company.company as the company of its
        # multi-values and wants it in the context of every relation whose
        # target has company values (here the official contact_mechanisms
        # and replaced_by, and head_office and subsidiaries).  That is not
        # what the CRM company means: a party's company values (accounts,
        # receivable ...) follow the user's company, as for any party, and
        # putting the CRM company in those contexts would change what the
        # customer form shows.  The mixin has no hook to leave a model out
        # (as _skip_company_rule does for test_company_rule), so this test
        # runs it with party.party alone left out: every other model
        # dealer_crm registers is still checked.
        registered = company_tests.isregisteredby
        with patch.object(company_tests, 'isregisteredby',
                lambda model, module, *a: model.__name__ != 'party.party'
                and registered(model, module, *a)):
            super().test_company_multivalue_context()

    @with_transaction()
    def test_duplicate_check_indexes(self):
        ("On PostgreSQL the duplicate check's lookups and the lists' name "
            "searches have their indexes")
        if backend.name != 'postgresql':
            self.skipTest("PostgreSQL only")
        cursor = Transaction().connection.cursor()
        expected = [
            ('party_party', "USING hash (lower((COALESCE(name, ''"),
            ('party_contact_mechanism',
                "USING btree (COALESCE(value_digits_reversed, ''"),
            ('party_identifier', 'USING hash (code)'),
            ]
        cursor.execute("SELECT 1 FROM pg_available_extensions "
            "WHERE name = 'pg_trgm'")
        if cursor.fetchone():
            cursor.execute(
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            self.assertTrue(cursor.fetchone(), "pg_trgm not enabled")
            expected.append(('party_party',
                    "USING gin (COALESCE(name, ''::character varying) "
                    "gin_trgm_ops)"))
        for table, definition in expected:
            cursor.execute("SELECT indexdef FROM pg_indexes "
                "WHERE tablename = %s", (table,))
            indexes = [d for d, in cursor.fetchall()]
            self.assertTrue(any(definition in d for d in indexes),
                (definition, indexes))


del ModuleTestCase
