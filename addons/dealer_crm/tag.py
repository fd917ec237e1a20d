# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Customer tags (R-CRM-03): administrators maintain them, salespeople put
them on their own customers."""
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

from .exceptions import CRMError


class Tag(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.customer.tag'
    __string__ = "Customer Tag"
    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One(
        'company.company', "Company",
        help="Empty: a tag of the whole group.")
    color = fields.Char("Color", help="A CSS color, for example #d9534f.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class CustomerTag(ModelSQL):
    __name__ = 'dealer.customer-tag'
    __string__ = "Customer - Tag"
    customer = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')
    tag = fields.Many2One(
        'dealer.customer.tag', "Tag", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('customer')

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        cls.check_company(records, field_names)

    @classmethod
    def check_company(cls, records, field_names=None):
        "A tag of a company goes only on that company's customers"
        if field_names and not (field_names & {'customer', 'tag'}):
            return
        for record in records:
            tag, customer = record.tag, record.customer
            if tag.company and tag.company != customer.company:
                raise CRMError(gettext(
                        'dealer_crm.msg_tag_company', tag=tag.rec_name,
                        customer=customer.rec_name,
                        company=tag.company.rec_name))
