# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""What an employee's own documents share (claims, cash advances): made by
him, numbered when submitted, approved from his direct supervisor on,
back to him when rejected, booked as his payable once approved."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.document import (
    NumberedMixin, company_currency, company_today)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import ExpenseError

# The documents booked as their employee's payable, paid with it.
EMPLOYEE_DOCUMENTS = ['dealer.expense.claim', 'dealer.expense.advance']


class EmployeeDocumentMixin(NumberedMixin, SubmittedFrozenMixin,
        ApprovalMixin):
    """The document needs the fields number, company, employee, date,
    currency and state; `_editable_states` are those where its employee
    edits and submits it, `_rejected_state` where a rejection puts it;
    `_submitted_message` and `_delete_message` are (ir.message, keyword of
    the document's name)"""
    __slots__ = ()
    # Searched by the "my …" lists: the client's context does not hold
    # the user's employees (only the current one), the server knows them.
    mine = fields.Function(fields.Boolean("Mine"),
        'get_mine', searcher='search_mine')
    my_team = fields.Function(fields.Boolean("My Direct Subordinates'"),
        'get_mine', searcher='search_mine')
    _editable_states = ['draft']
    _rejected_state = 'draft'
    _submitted_message = None
    _delete_message = None

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_employee(cls):
        return Transaction().context.get('employee')

    @classmethod
    def default_currency(cls):
        return company_currency()

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_mine(self, name):
        pool = Pool()
        User = pool.get('res.user')
        employees = User.get_employees()
        if name == 'mine':
            return self.employee.id in employees
        supervisor = self.employee.supervisor
        return bool(supervisor) and supervisor.id in employees

    @classmethod
    def search_mine(cls, name, clause):
        pool = Pool()
        User = pool.get('res.user')
        _, operator, value = clause
        path = 'employee' if name == 'mine' else 'employee.supervisor'
        employees = list(User.get_employees())
        if (operator == '=') == bool(value):
            return [(path, 'in', employees)]
        return ['OR', (path, 'not in', employees), (path, '=', None)]

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('number',) + tuple(clause[1:])]

    def get_approval_requester(self):
        # The document's employee asks: his direct supervisor approves
        # first, whoever pressed the button.
        return self.employee

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if external and mode == 'delete':
            for document in documents:
                if document.number:
                    message, keyword = cls._delete_message
                    raise AccessError(gettext(
                            message, **{keyword: document.rec_name}))

    @classmethod
    @ModelView.button
    def approval_submit(cls, documents):
        # Locked first: a second submission waits and then finds the
        # document submitted.
        lock_rows(documents)
        for document in documents:
            if document.state not in cls._editable_states:
                message, keyword = cls._submitted_message
                raise ExpenseError(gettext(
                        message, **{keyword: document.rec_name}))
        cls.check_submission(documents)
        cls.set_number(documents)
        super().approval_submit(documents)

    @classmethod
    def check_submission(cls, documents):
        "What the documents must be to be submitted (extended)"

    @classmethod
    def approval_submitted(cls, documents):
        super().approval_submitted(documents)
        cls.write(documents, {'state': 'waiting'})

    @classmethod
    def approval_decided(cls, documents, decision):
        super().approval_decided(documents, decision)
        if decision == 'approve':
            cls.approve(documents)
        else:
            # Back to its employee at once, never through a reset: he
            # corrects it and submits again, the approval starting over
            # (the decisions stay in the history).
            cls.write(documents, {
                    'state': cls._rejected_state,
                    'approval_state': 'draft',
                    'approval_request': None,
                    })

    def _get_invoice(self):
        "The employee's payable (an invoice in of his party)"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        party = self.employee.party
        invoice = Invoice(
            type='in',
            company=self.company,
            party=party,
            invoice_address=party.address_get(type='invoice'),
            currency=self.currency,
            reference=self.number,
            invoice_date=company_today(self.company),
            description=self.number,
            account=party.account_payable_used,
            )
        invoice.set_journal()
        invoice.lines = self._get_invoice_lines()
        return invoice

    def _get_invoice_lines(self):
        raise NotImplementedError

    @classmethod
    def paid(cls, documents):
        """Their payables are paid: so are the approved documents (an
        advance is then open: the employee holds the money)"""
        documents = [d for d in documents if d.state == 'approved']
        if documents:
            cls.write(documents, {'state': 'paid'})


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def paid(cls, invoices):
        pool = Pool()
        super().paid(invoices)
        ids = [i.id for i in invoices]
        with without_check_access():
            for name in EMPLOYEE_DOCUMENTS:
                Document = pool.get(name)
                Document.paid(Document.search([('invoice', 'in', ids)]))
