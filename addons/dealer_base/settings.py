# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Settings kept once per company (pool rules, finance terms, leasing
terms …)."""
from trytond.model import Unique, fields
from trytond.transaction import Transaction


class CompanySettingsMixin:
    """One record per company; for_company gives the company's record or,
    when it has none, an unsaved record with the defaults."""
    __slots__ = ()
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(('company_unique', Unique(t, t.company),
                'dealer_base.msg_settings_company_unique'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def for_company(cls, company):
        "The settings of the company (unsaved defaults if it has none)"
        settings = cls.search([('company', '=', company.id)], limit=1)
        if settings:
            return settings[0]
        values = dict.fromkeys(
            n for n, f in cls._fields.items()
            if not isinstance(f, fields.Function) and n != 'id')
        values.update(cls.default_get(
                list(values), with_rec_name=False))
        values['company'] = company
        for name in ['create_uid', 'create_date', 'write_uid', 'write_date']:
            values.pop(name, None)
        return cls(**values)
