# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Write-off of small balances (R-FIN-07): finance picks the open
receivable or payable lines of one party on one account, gives a reason
and a write-off method, and submits; once the approval flow approves, the
lines are reconciled with Tryton's write-off (a move on the method's
journal books the difference).  The balance may not exceed the maximum set
in the company's finance settings."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import WriteOffError


class Settings(metaclass=PoolMeta):
    __name__ = 'dealer.finance.settings'
    writeoff_maximum = fields.Numeric("Write-Off Maximum", digits=(16, 2),
        required=True, domain=[('writeoff_maximum', '>=', 0)],
        help="The largest balance a small balance write-off may clear, "
        "in the company currency.")

    @classmethod
    def default_writeoff_maximum(cls):
        return Decimal(100)


class WriteOff(SubmittedFrozenMixin, ApprovalMixin, ModelSQL, ModelView):
    __name__ = 'dealer.writeoff'
    __string__ = "Small Balance Write-Off"
    _states = {'readonly': Eval('approval_state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One('party.party', "Party", required=True,
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    # No domain: a wrong line gets its own clear error (check_lines)
    # instead of a generic domain error.
    lines = fields.Many2Many(
        'dealer.writeoff-account.move.line', 'writeoff', 'line', "Lines",
        states=_states,
        help="The open receivable or payable lines of the party, "
        "on one account, to clear.")
    amount = fields.Function(Monetary(
            "Balance", currency='currency', digits='currency',
            help="Debit less credit of the lines: what the write-off "
            "clears."),
        'on_change_with_amount')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    method = fields.Many2One(
        'account.move.reconcile.write_off', "Write-Off Method",
        required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Gives the journal and the accounts of the write-off move.")
    date = fields.Date("Date", required=True, states=_states,
        help="The date of the write-off move.")
    reason = fields.Text("Reason", required=True, states=_states)
    move = fields.Many2One('account.move', "Write-Off Move", readonly=True,
        states={
            'invisible': ~Eval('move'),
            })
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @fields.depends('lines')
    def on_change_with_amount(self, name=None):
        return sum(((l.debit or 0) - (l.credit or 0)
                for l in self.lines or []), Decimal(0))

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return '%s: %s' % (self.party.rec_name, self.amount)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    def get_approval_amount(self):
        return abs(self.amount)

    def check_lines(self):
        "Refuse lines a write-off may not clear, and a balance too large"
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        if not self.lines:
            raise WriteOffError(gettext(
                    'dealer_finance.msg_writeoff_no_line',
                    writeoff=self.rec_name))
        for line in self.lines:
            if line.reconciliation:
                raise WriteOffError(gettext(
                        'dealer_finance.msg_writeoff_line_reconciled',
                        line=line.rec_name, writeoff=self.rec_name))
            if line.account.company != self.company:
                raise WriteOffError(gettext(
                        'dealer_finance.msg_writeoff_line_company',
                        line=line.rec_name,
                        line_company=line.account.company.rec_name,
                        company=self.company.rec_name))
            if line.party != self.party:
                raise WriteOffError(gettext(
                        'dealer_finance.msg_writeoff_line_party',
                        line=line.rec_name,
                        line_party=(line.party.rec_name
                            if line.party else ''),
                        party=self.party.rec_name))
            type_ = line.account.type
            if not type_ or not (type_.receivable or type_.payable):
                raise WriteOffError(gettext(
                        'dealer_finance.msg_writeoff_line_kind',
                        line=line.rec_name))
        accounts = {l.account for l in self.lines}
        if len(accounts) > 1:
            raise WriteOffError(gettext(
                    'dealer_finance.msg_writeoff_line_accounts',
                    writeoff=self.rec_name,
                    accounts=', '.join(sorted(a.rec_name for a in accounts))))
        maximum = Settings.for_company(self.company).writeoff_maximum
        if maximum is not None and abs(self.amount) > maximum:
            currency = self.company.currency
            raise WriteOffError(gettext(
                    'dealer_finance.msg_writeoff_maximum',
                    writeoff=self.rec_name,
                    amount=currency.round(abs(self.amount)),
                    maximum=currency.round(maximum),
                    company=self.company.rec_name))

    @classmethod
    def validate_fields(cls, writeoffs, field_names):
        super().validate_fields(writeoffs, field_names)
        if field_names and not (field_names & {'lines', 'party', 'company'}):
            return
        for writeoff in writeoffs:
            # Once approved, the lines are reconciled: nothing to check.
            if writeoff.approval_state in {'draft', 'waiting'}:
                writeoff.check_lines()

    @classmethod
    def copy(cls, writeoffs, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('move')
        default.setdefault('lines')
        return super().copy(writeoffs, default=default)

    @classmethod
    def approval_submitted(cls, writeoffs):
        super().approval_submitted(writeoffs)
        for writeoff in writeoffs:
            writeoff.check_lines()

    @classmethod
    def approval_decided(cls, writeoffs, decision):
        pool = Pool()
        Line = pool.get('account.move.line')
        Event = pool.get('dealer.customer.event')
        super().approval_decided(writeoffs, decision)
        if decision != 'approve':
            return
        # Another write-off or a payment may reconcile the same lines at
        # the same moment: hold them, then check again.
        lock_rows(Line.browse([l.id for w in writeoffs for l in w.lines]))
        for writeoff in cls.browse(writeoffs):
            writeoff.check_lines()
            lines = list(writeoff.lines)
            reconciliation, = Line.reconcile(lines,
                writeoff=writeoff.method, date=writeoff.date,
                description=writeoff.reason.splitlines()[0][:255])
            moves = {l.move for l in reconciliation.lines} - {
                l.move for l in lines}
            writeoff.move = moves.pop() if moves else None
            writeoff.save()
            if writeoff.party.is_customer:
                Event.post(writeoff.party, 'writeoff', gettext(
                        'dealer_finance.msg_writeoff_event',
                        amount=writeoff.amount, reason=writeoff.reason),
                    origin=writeoff, company=writeoff.company)


class WriteOffLine(ModelSQL):
    __name__ = 'dealer.writeoff-account.move.line'
    __string__ = "Write-Off - Move Line"
    writeoff = fields.Many2One(
        'dealer.writeoff', "Write-Off", required=True, ondelete='CASCADE')
    line = fields.Many2One(
        'account.move.line', "Move Line", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('writeoff')
