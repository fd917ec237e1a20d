# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""What the dealer documents (plans, requests, contracts …) share: a
number from their sequence and the company's currency by default."""
from trytond.pool import Pool
from trytond.transaction import Transaction


class NumberedMixin:
    """A document numbered from its sequence when it first needs a number;
    `_number_sequence` is the (module, XML id) of the ir.sequence"""
    __slots__ = ()
    _number_sequence = None

    @classmethod
    def set_number(cls, records):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        sequence = Sequence(ModelData.get_id(*cls._number_sequence))
        for record in records:
            if not record.number:
                record.number = sequence.get()
        cls.save(records)


def company_currency():
    "The id of the current company's currency (a default for documents)"
    Company = Pool().get('company.company')
    company = Transaction().context.get('company')
    if company is not None and company >= 0:
        return Company(company).currency.id
