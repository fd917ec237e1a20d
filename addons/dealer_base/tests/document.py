# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""A document that exists only in tests: owned and approvable, the way the
later modules' contracts, deliveries, waivers and expenses are."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.dealer_base.approval import ApprovalMixin
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If, PYSONEncoder
from trytond.transaction import Transaction

# What a module declares in its XML for an owned, approvable document: a
# company rule and a data scope rule that also lets the current approvers
# read it.  Trytond 8.0 does not load XML of test-only folders, so the test
# document creates them itself.
RULES = {
    "User in companies": [('company', 'in', Eval('companies', []))],
    "Data scope": If(Eval('data_scope') == 'company', [], [
            'OR',
            ('owner', 'in', If(Eval('data_scope') == 'team',
                    Eval('team', []), Eval('employees', []))),
            ('approval_request.approvers', '=', Eval('user_id', -1)),
            ]),
    }


class ApprovalTestDocument(ApprovalMixin, OwnedMixin, ModelSQL, ModelView):
    "Approval Test Document"
    __name__ = 'dealer.test.document'
    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    customer = fields.Many2One(
        'party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    amount = fields.Numeric("Amount", digits=(16, 2))

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        RuleGroup = pool.get('ir.rule.group')
        super().__register__(module)
        existing = {g.name for g in RuleGroup.search([
                    ('model', '=', cls.__name__)])}
        encoder = PYSONEncoder(sort_keys=True)
        RuleGroup.create([{
                    'name': name,
                    'model': cls.__name__,
                    'global_p': True,
                    'rules': [('create', [{'domain': encoder.encode(dom)}])],
                    } for name, dom in RULES.items() if name not in existing])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_approval_amount(self):
        return self.amount

    @classmethod
    def approval_decided(cls, documents, decision):
        pool = Pool()
        Event = pool.get('dealer.customer.event')
        for document in documents:
            if document.customer:
                Event.post(document.customer, 'approval',
                    f"{document.name}: {decision}", origin=document)
