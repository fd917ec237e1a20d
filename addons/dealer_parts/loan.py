# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Loans (借用单, R-PRT-06): parts and tools lent to a member of staff or
a customer until a due date.  Lending moves them from the warehouse to the
company's loan location, so the warehouse no longer counts them but the
company still owns them; each return moves back what came back, never
more than is still out.  Loans past their due date with something still
out are overdue."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.document import NumberedMixin
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import LoanError
from .movement import part_move


class Loan(NumberedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.parts.loan'
    __string__ = "Loan"
    _number_sequence = ('dealer_parts', 'sequence_loan')
    _number_settings = ('dealer.parts.settings', 'loan_sequence')
    _states = {'readonly': Eval('state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    warehouse = fields.Many2One(
        'stock.location', "Warehouse", required=True, states=_states,
        domain=[
            ('type', '=', 'warehouse'),
            ('company', '=', Eval('company', -1)),
            ])
    borrower_type = fields.Selection([
            ('employee', "Staff"),
            ('customer', "Customer"),
            ], "Borrower Type", required=True, states=_states)
    employee = fields.Many2One(
        'company.employee', "Staff Member", states={
            'readonly': _states['readonly'],
            'invisible': Eval('borrower_type') != 'employee',
            'required': Eval('borrower_type') == 'employee',
            },
        domain=[('company', '=', Eval('company', -1))])
    customer = fields.Many2One(
        'party.party', "Customer", states={
            'readonly': _states['readonly'],
            'invisible': Eval('borrower_type') != 'customer',
            'required': Eval('borrower_type') == 'customer',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.Date("Lent On", required=True, states=_states)
    due_date = fields.Date("Due On", required=True, states=_states,
        domain=[If(Eval('date'), ('due_date', '>=', Eval('date')), ())])
    purpose = fields.Text("Purpose", states=_states)
    lines = fields.One2Many(
        'dealer.parts.loan.line', 'loan', "Lines", states=_states)
    overdue = fields.Function(fields.Boolean("Overdue"),
        'get_overdue', searcher='search_overdue')
    state = fields.Selection([
            ('draft', "Draft"),
            ('lent', "Lent"),
            ('returned', "Returned"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low')),
                (t.due_date, Index.Range())))
        cls._transitions |= {
            ('draft', 'lent'),
            ('lent', 'returned'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'lend': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'return_': {
                    'invisible': Eval('state') != 'lent',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-clear',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_borrower_type(cls):
        return 'employee'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_warehouse(cls):
        return Pool().get('stock.location').get_default_warehouse()

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @property
    def borrower(self):
        return (self.employee if self.borrower_type == 'employee'
            else self.customer)

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    def get_overdue(self, name):
        return self.state == 'lent' and self.due_date < self._today()

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        overdue = [('state', '=', 'lent'), ('due_date', '<', cls._today())]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR', ('state', '!=', 'lent'),
            ('due_date', '>=', cls._today())]

    @classmethod
    def check_modification(cls, mode, loans, values=None, external=False):
        super().check_modification(
            mode, loans, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for loan in loans:
                if loan.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'dealer_parts.msg_loan_modify',
                            loan=loan.rec_name))

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('date')
        return super().copy(loans, default=default)

    def _loan_location(self):
        pool = Pool()
        Settings = pool.get('dealer.parts.settings')
        with without_check_access():
            location = Settings.for_company(self.company).loan_location
        if not location:
            raise LoanError(gettext(
                    'dealer_parts.msg_loan_no_location',
                    loan=self.rec_name, company=self.company.rec_name))
        return location

    @classmethod
    @ModelView.button
    @Workflow.transition('lent')
    def lend(cls, loans):
        "Move the lent parts out of the warehouse to the loan location"
        pool = Pool()
        Move = pool.get('stock.move')
        moves = []
        for loan in loans:
            if not loan.lines:
                raise LoanError(gettext(
                        'dealer_parts.msg_loan_empty', loan=loan.rec_name))
            location = loan._loan_location()
            for line in loan.lines:
                moves.append(line._get_move(
                        loan.warehouse.storage_location, location,
                        line.quantity, loan.date))
        cls.set_number(loans)
        Move.save(moves)
        Move.do(moves)

    @classmethod
    @ModelView.button_action('dealer_parts.wizard_loan_return')
    def return_(cls, loans):
        pass

    @classmethod
    def receive_back(cls, quantities):
        """Move back what came back: quantities by loan line; a loan with
        nothing left out is returned"""
        pool = Pool()
        Move = pool.get('stock.move')
        Line = pool.get('dealer.parts.loan.line')
        lines = Line.browse(list(quantities))
        loans = cls.browse({l.loan.id for l in lines})
        # Two returns of one loan at once: the second counts the first.
        lock_rows(loans)
        moves = []
        for line in lines:
            quantity = quantities[line]
            if not quantity:
                continue
            if line.loan.state != 'lent':
                raise LoanError(gettext(
                        'dealer_parts.msg_loan_not_lent',
                        loan=line.loan.rec_name))
            out = line.out_quantity
            if quantity < 0 or line.unit.round(quantity - out) > 0:
                raise LoanError(gettext(
                        'dealer_parts.msg_loan_return_exceeds',
                        loan=line.loan.rec_name, product=line.product.rec_name,
                        quantity=quantity, out=out))
            moves.append(line._get_move(line.loan._loan_location(),
                    line.loan.warehouse.storage_location, quantity))
        Move.save(moves)
        Move.do(moves)
        done = [l for l in cls.browse(loans)
            if all(not line.out_quantity for line in l.lines)]
        if done:
            cls.write(done, {'state': 'returned'})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, loans):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, loans):
        pass


class LoanLine(ModelSQL, ModelView):
    __name__ = 'dealer.parts.loan.line'
    __string__ = "Loan Line"
    _states = {
        'readonly': Eval('loan_state', 'draft') != 'draft',
        }
    loan = fields.Many2One(
        'dealer.parts.loan', "Loan", required=True, ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Part", required=True, states=_states,
        domain=[('type', '=', 'goods')],
        context={
            'company': Eval('_parent_loan', {}).get('company', -1),
            },
        depends={'loan'})
    quantity = fields.Float(
        "Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)], states=_states)
    unit = fields.Function(fields.Many2One('product.uom', "Unit"),
        'on_change_with_unit')
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)
    returned_quantity = fields.Function(fields.Float(
            "Returned", digits='unit'), 'get_quantities')
    out_quantity = fields.Function(fields.Float(
            "Still Out", digits='unit'), 'get_quantities')
    loan_state = fields.Function(fields.Selection(
            'get_loan_states', "Loan State"), 'on_change_with_loan_state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')

    @classmethod
    def get_loan_states(cls):
        return Pool().get('dealer.parts.loan').state.selection

    @fields.depends('loan', '_parent_loan.state')
    def on_change_with_loan_state(self, name=None):
        return self.loan.state if self.loan else None

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @classmethod
    def get_quantities(cls, lines, names):
        "What came back and what is still out, from the done moves"
        lent = defaultdict(float)
        back = defaultdict(float)
        for line in lines:
            for move in line.moves:
                if move.state != 'done':
                    continue
                if move.to_location == line.loan.warehouse.storage_location:
                    back[line.id] += move.quantity
                else:
                    lent[line.id] += move.quantity
        result = {}
        if 'returned_quantity' in names:
            result['returned_quantity'] = {
                l.id: l.unit.round(back[l.id]) for l in lines}
        if 'out_quantity' in names:
            result['out_quantity'] = {
                l.id: l.unit.round(lent[l.id] - back[l.id]) for l in lines}
        return result

    def _get_move(self, from_location, to_location, quantity, date=None):
        return part_move(self.loan.company, self.product, quantity,
            from_location, to_location, self, date)

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external:
            loans = {l.loan for l in lines}
            if mode == 'write' and values.get('loan'):
                loans.add(Pool().get('dealer.parts.loan')(values['loan']))
            for loan in loans:
                if loan.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'dealer_parts.msg_loan_modify',
                            loan=loan.rec_name))


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.parts.loan.line']


class LoanReturnStart(ModelView):
    __name__ = 'dealer.parts.loan.return.start'
    __string__ = "Return Loaned Parts"
    lines = fields.One2Many(
        'dealer.parts.loan.return.line', None, "Lines")


class LoanReturnLine(ModelView):
    __name__ = 'dealer.parts.loan.return.line'
    __string__ = "Returned Part"
    loan_line = fields.Many2One(
        'dealer.parts.loan.line', "Loan Line", readonly=True)
    product = fields.Many2One('product.product', "Part", readonly=True)
    out_quantity = fields.Float("Still Out", readonly=True)
    quantity = fields.Float("Returned Now",
        domain=[('quantity', '>=', 0)])


class LoanReturn(Wizard):
    __name__ = 'dealer.parts.loan.return'
    start = StateView('dealer.parts.loan.return.start',
        'dealer_parts.loan_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Return", 'return_', 'tryton-ok', default=True),
            ])
    return_ = StateTransition()

    def default_start(self, fields):
        lines = []
        for loan in self.records:
            if loan.state != 'lent':
                raise LoanError(gettext(
                        'dealer_parts.msg_loan_not_lent',
                        loan=loan.rec_name))
            for line in loan.lines:
                if line.out_quantity:
                    lines.append({
                            'loan_line': line.id,
                            'product': line.product.id,
                            'out_quantity': line.out_quantity,
                            'quantity': line.out_quantity,
                            })
        return {'lines': lines}

    def transition_return_(self):
        pool = Pool()
        Loan = pool.get('dealer.parts.loan')
        Line = pool.get('dealer.parts.loan.line')
        mine = {l.id for r in self.records for l in r.lines}
        quantities = {}
        for line in self.start.lines:
            # Only the lines of the loans the wizard was started on.
            if line.loan_line and line.loan_line.id in mine:
                quantities[Line(line.loan_line.id)] = line.quantity or 0
        Loan.receive_back(quantities)
        return 'end'
