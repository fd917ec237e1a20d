# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Sale contracts: owned by a salesperson, approved through the dealer
approval engine before confirmation when their company has a flow; the
approval links the contact person to the customer (R-CRM-02)."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.approval import (
    NOT_SUBMITTED, ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import CRMError


class Sale(SubmittedFrozenMixin, ApprovalMixin, OwnedMixin,
        metaclass=PoolMeta):
    __name__ = 'sale.sale'
    # The approvers decided on these terms: once submitted only the notes
    # change (a changed contract is a copy approved again).
    _editable_after_submit = {'comment', 'reference', 'description'}
    contact_person = fields.Many2One(
        'party.party', "Contact Person",
        domain=[
            ('is_contact', '=', True),
            ('id', '!=', Eval('party', -1)),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The person who negotiated the contract for the customer.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Sales made before the dealer modules, or by integrations, may
        # have no salesperson: only company-wide users see those.
        cls.owner.required = False
        cls.owner.states = {'readonly': Eval('state') != 'draft'}

    @fields.depends('party', 'invoice_party')
    def on_change_party(self):
        super().on_change_party()
        # A subsidiary or end customer receives the machine; its head
        # office is invoiced and settles.
        if self.party and self.party.head_office and not self.invoice_party:
            self.invoice_party = self.party.head_office
            self.invoice_address = self.invoice_party.address_get(
                type='invoice')

    def get_approval_amount(self):
        return self.total_amount

    @classmethod
    def approval_decided(cls, sales, decision):
        pool = Pool()
        Link = pool.get('dealer.contact.link')
        Event = pool.get('dealer.customer.event')
        super().approval_decided(sales, decision)
        for sale in sales:
            if decision == 'approve':
                Link.link(sale.party, sale.contact_person, sale)
            Event.post(sale.party, 'approval', gettext(
                    'dealer_crm.msg_sale_approval_event',
                    sale=sale.rec_name,
                    decision=sale.approval_request.state_string),
                origin=sale, company=sale.company)

    @classmethod
    def check_approved(cls, sales):
        "Refuse sales not approved when their company has a sale flow"
        pool = Pool()
        Flow = pool.get('dealer.approval.flow')
        for sale in sales:
            if sale.approval_state == 'approved':
                continue
            if Flow.search([
                        ('document_model', '=', cls.__name__),
                        ('company', 'in', [sale.company.id, None]),
                        ], limit=1):
                raise CRMError(gettext(
                        'dealer_crm.msg_sale_not_approved',
                        sale=sale.rec_name))

    @classmethod
    def draft(cls, sales):
        super().draft(sales)
        cls.approval_reopen(sales)

    @classmethod
    def quote(cls, sales):
        cls.check_approved(sales)
        super().quote(sales)
        # Those still in draft approval passed without a flow.
        cls.approval_not_required(sales)

    @classmethod
    def confirm(cls, sales):
        cls.check_approved(sales)
        super().confirm(sales)


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        # The lines are the terms the approvers saw, as the sale's header.
        if external and mode in {'create', 'write', 'delete'}:
            for line in lines:
                if (line.sale
                        and line.sale.approval_state not in NOT_SUBMITTED):
                    raise AccessError(gettext(
                            'dealer_base.msg_document_submitted',
                            document=line.sale.rec_name))
