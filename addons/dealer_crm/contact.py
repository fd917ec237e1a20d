# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Links between contacts and customers (R-CRM-01, R-CRM-02): the contact's
role at the customer and how the link was made."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool

from .exceptions import CRMError

ROLES = [
    ('legal_representative', "Legal Representative"),
    ('general_manager', "General Manager"),
    ('purchasing', "Purchasing"),
    ('site_manager', "Site Manager"),
    ('finance', "Finance"),
    ('operator', "Machine Operator"),
    ('other', "Other"),
    ]


class ContactLink(ModelSQL, ModelView):
    __name__ = 'dealer.contact.link'
    __string__ = "Contact Link"
    customer = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        domain=[('is_customer', '=', True)])
    contact = fields.Many2One(
        'party.party', "Contact", required=True, ondelete='CASCADE',
        domain=[('is_contact', '=', True)])
    role = fields.Selection(ROLES, "Role", required=True)
    role_string = role.translated('role')
    method = fields.Selection([
            ('manual', "By Hand"),
            ('contract', "From a Contract"),
            ], "Link Method", required=True, readonly=True)
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The contract whose approval made the link.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('customer')
        t = cls.__table__()
        cls._sql_constraints += [
            ('customer_contact_role_unique',
                Unique(t, t.customer, t.contact, t.role),
                'dealer_crm.msg_link_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.customer, Index.Range())),
                Index(t, (t.contact, Index.Range())),
                })

    @classmethod
    def default_method(cls):
        return 'manual'

    @classmethod
    def default_role(cls):
        return 'other'

    @classmethod
    def _get_origins(cls):
        "Models whose documents link contacts to customers"
        return ['sale.sale']

    @classmethod
    def get_origins(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        origins = set(cls._get_origins())
        return [(None, '')] + [(m, n) for m, n in Model.get_name_items()
            if m in origins]

    def get_rec_name(self, name):
        return f'{self.contact.rec_name} @ {self.customer.rec_name}'

    @classmethod
    def validate_fields(cls, links, field_names):
        super().validate_fields(links, field_names)
        cls.check_self(links, field_names)

    @classmethod
    def check_self(cls, links, field_names=None):
        "A party is not its own contact"
        if field_names and not (field_names & {'customer', 'contact'}):
            return
        for link in links:
            if link.contact == link.customer:
                raise CRMError(gettext(
                        'dealer_crm.msg_link_self', party=link.contact.rec_name))

    @classmethod
    def link(cls, customer, contact, origin, role='other'):
        "Link the contact to the customer unless they are linked already"
        if not customer or not contact or customer == contact:
            return None
        if cls.search([
                    ('customer', '=', customer.id),
                    ('contact', '=', contact.id),
                    ], limit=1):
            return None
        link = cls(customer=customer, contact=contact, role=role,
            method='contract', origin=origin)
        link.save()
        return link
