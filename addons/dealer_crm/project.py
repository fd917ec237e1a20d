# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Customer projects (立项, R-CRM-08): a salesperson applies for a project
to be pursued; the commercial side attaches the feasibility report and
finance the budget report; management approves through the approval flow;
every step reaches the customer's timeline."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CRMError


class Project(SubmittedFrozenMixin, ApprovalMixin, OwnedMixin, ModelSQL,
        ModelView):
    __name__ = 'dealer.customer.project'
    __string__ = "Customer Project"
    _states = {'readonly': Eval('approval_state') != 'draft'}
    name = fields.Char("Name", required=True, states=_states)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    customer = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        domain=[
            ('is_customer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    description = fields.Text("Description", states=_states)
    expected_amount = Monetary(
        "Expected Amount", currency='currency', digits='currency',
        states=_states,
        domain=['OR', ('expected_amount', '=', None),
            ('expected_amount', '>=', 0)])
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    feasibility_report = fields.Binary("Feasibility Report",
        filename='feasibility_report_name', states=_states)
    feasibility_report_name = fields.Char("Feasibility Report Name",
        states=_states)
    budget_report = fields.Binary("Budget Report",
        filename='budget_report_name', states=_states)
    budget_report_name = fields.Char("Budget Report Name", states=_states)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_approval_amount(self):
        return self.expected_amount

    @classmethod
    def approval_submitted(cls, projects):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().approval_submitted(projects)
        for project in projects:
            if not project.feasibility_report or not project.budget_report:
                raise CRMError(gettext(
                        'dealer_crm.msg_project_reports',
                        project=project.rec_name))
            Event.post(project.customer, 'project', gettext(
                    'dealer_crm.msg_project_submitted',
                    project=project.rec_name), origin=project)

    @classmethod
    def approval_decided(cls, projects, decision):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        super().approval_decided(projects, decision)
        message = {
            'approve': 'dealer_crm.msg_project_approved',
            'reject': 'dealer_crm.msg_project_rejected',
            }[decision]
        for project in projects:
            Event.post(project.customer, 'project',
                gettext(message, project=project.rec_name), origin=project)


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('project', "Customer Project"))
