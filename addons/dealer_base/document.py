# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""What the dealer documents (plans, requests, contracts …) share: a
number from their sequence and the company's currency by default."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction, without_check_access


class NumberedMixin:
    """A document numbered when it first needs a number, from its company's
    sequence: the field `_number_settings[1]` of the company's settings
    model `_number_settings[0]`, or, where the company chose none, the
    group's default sequence `_number_sequence` (module, XML id)"""
    __slots__ = ()
    _number_sequence = None
    _number_settings = None

    @classmethod
    def set_number(cls, records):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        Settings = pool.get(cls._number_settings[0])
        default = Sequence(ModelData.get_id(*cls._number_sequence))
        sequences = {}  # per company: a batch is mostly of one company
        for record in records:
            if not record.number:
                if record.company not in sequences:
                    # Whoever submits a document numbers it, settings he
                    # may read or not: only the choice of sequence is read.
                    with without_check_access():
                        settings = Settings.for_company(record.company)
                        sequences[record.company] = getattr(
                            settings, cls._number_settings[1]) or default
                record.number = sequences[record.company].get()
        cls.save(records)


def sequence_field(module, sequence_type, string):
    """A settings field choosing the company's sequence of a document type
    (module, XML id of the ir.sequence.type)"""
    return fields.Many2One('ir.sequence', string,
        domain=[
            ('sequence_type', '=', Id(module, sequence_type)),
            ('company', 'in', [Eval('company', -1), None]),
            ],
        help="Empty: the group's default numbering.")


def company_today(company):
    """The company's today, in its timezone: the reference of its
    documents' dates, whichever company the user has at hand"""
    Date = Pool().get('ir.date')
    with Transaction().set_context(company=company.id):
        return Date.today()


def company_currency():
    "The id of the current company's currency (a default for documents)"
    Company = Pool().get('company.company')
    company = Transaction().context.get('company')
    if company is not None and company >= 0:
        return Company(company).currency.id


class DraftLinesMixin:
    """Lines that a client creates, changes or deletes only while their
    document is editable (a draft): what was submitted, approved or
    settled stays what was decided.  `_document_field` names the lines'
    document; `_frozen_message` is the ir.message (with the document's
    name as `document`) a client gets; `_frozen_fields`, when set, are the
    only fields whose change is refused."""
    __slots__ = ()
    _document_field = None
    _frozen_message = (None, 'document')
    _frozen_fields = None

    @classmethod
    def _document_editable(cls, document):
        return document.state == 'draft'

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if not external or (mode == 'write' and cls._frozen_fields
                and not cls._frozen_fields & set(values)):
            return
        Document = cls._fields[cls._document_field].get_target()
        documents = {getattr(l, cls._document_field) for l in lines}
        if mode == 'write' and values.get(cls._document_field):
            # Moving a line into a decided document changes it too.
            documents.add(Document(values[cls._document_field]))
        for document in documents:
            if not cls._document_editable(document):
                message, keyword = cls._frozen_message
                raise AccessError(gettext(
                        message, **{keyword: document.rec_name}))
