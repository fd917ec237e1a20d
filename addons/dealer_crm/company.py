# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The party of a company and of an employee belongs to that company: the
party rule shows a party that is neither customer nor contact to the users
of its company, so a 广州 user reads his own company's and colleagues' names
(and not 上海's), whoever created them."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


def _claim_parties(pairs):
    "Set the company of each (party, company) unless it is a customer's"
    pool = Pool()
    Party = pool.get('party.party')
    to_write = {}
    for party, company in pairs:
        if (party and company and not party.is_customer
                and not party.is_contact and party.company != company):
            to_write.setdefault(company, []).append(party)
    with without_check_access():
        for company, parties in to_write.items():
            Party.write(parties, {'company': company.id})


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if mode in {'create', 'write'} and (
                field_names is None or 'party' in field_names):
            _claim_parties((c.party, c) for c in companies)


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        super().on_modification(mode, employees, field_names=field_names)
        if mode in {'create', 'write'} and (field_names is None
                or {'party', 'company'} & set(field_names)):
            _claim_parties((e.party, e.company) for e in employees)
