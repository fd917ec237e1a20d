# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Other goods in and out (其他出入库单, R-PRT-06): parts taken out of a
warehouse for internal use, scrap, samples or service, or put in from
elsewhere than a purchase, each by a type the company configures.  The
type says the direction and where the parts go to or come from, so that
the inventory journal tells why stock moved."""
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.document import NumberedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import MovementError


def part_move(company, product, quantity, from_location, to_location,
        origin, date=None):
    """A stock move of the part on the document's date, entered afterwards
    (the stock journal and the ageing tell when the parts moved), or on
    the company's today; never later (a move is done when it happened)"""
    pool = Pool()
    Move = pool.get('stock.move')
    Date = pool.get('ir.date')
    with Transaction().set_context(company=company.id):
        today = Date.today()
    return Move(
        company=company,
        product=product,
        unit=product.default_uom,
        quantity=quantity,
        from_location=from_location,
        to_location=to_location,
        effective_date=min(date, today) if date else today,
        origin=origin,
        )


class MovementType(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.parts.movement.type'
    __string__ = "Goods In/Out Type"
    name = fields.Char("Name", required=True, translate=True)
    direction = fields.Selection([
            ('out', "Out of the Warehouse"),
            ('in', "Into the Warehouse"),
            ], "Direction", required=True)
    location = fields.Many2One(
        'stock.location', "Counterpart", required=True,
        domain=[
            ('type', 'in', ['lost_found', 'customer', 'supplier',
                    'production']),
            ],
        help="Where the parts go to (out) or come from (in).")

    @classmethod
    def default_direction(cls):
        return 'out'


class Movement(NumberedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.parts.movement'
    __string__ = "Goods In/Out"
    _number_sequence = ('dealer_parts', 'sequence_movement')
    _number_settings = ('dealer.parts.settings', 'movement_sequence')
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
    type = fields.Many2One(
        'dealer.parts.movement.type', "Type", required=True, states=_states)
    date = fields.Date("Date", required=True, states=_states)
    employee = fields.Many2One(
        'company.employee', "Taken or Brought By", states=_states,
        domain=[('company', '=', Eval('company', -1))])
    description = fields.Text("Description", states=_states)
    lines = fields.One2Many(
        'dealer.parts.movement.line', 'movement', "Lines", states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low'))))
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
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
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_warehouse(cls):
        return Pool().get('stock.location').get_default_warehouse()

    @classmethod
    def default_employee(cls):
        return Transaction().context.get('employee')

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def check_modification(cls, mode, movements, values=None,
            external=False):
        super().check_modification(
            mode, movements, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for movement in movements:
                if movement.state == 'done':
                    raise AccessError(gettext(
                            'dealer_parts.msg_movement_modify',
                            movement=movement.rec_name))

    @classmethod
    def copy(cls, movements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('date')
        return super().copy(movements, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, movements):
        "Move the parts out to, or in from, the type's counterpart"
        pool = Pool()
        Move = pool.get('stock.move')
        moves = []
        for movement in movements:
            if not movement.lines:
                raise MovementError(gettext(
                        'dealer_parts.msg_movement_empty',
                        movement=movement.rec_name))
            storage = movement.warehouse.storage_location
            other = movement.type.location
            from_, to = ((storage, other) if movement.type.direction == 'out'
                else (other, storage))
            for line in movement.lines:
                moves.append(part_move(movement.company, line.product,
                        line.quantity, from_, to, line, movement.date))
        cls.set_number(movements)
        Move.save(moves)
        Move.do(moves)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, movements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, movements):
        pass


class MovementLine(ModelSQL, ModelView):
    __name__ = 'dealer.parts.movement.line'
    __string__ = "Goods In/Out Line"
    _states = {
        'readonly': Eval('movement_state', 'draft') != 'draft',
        }
    movement = fields.Many2One(
        'dealer.parts.movement', "Goods In/Out", required=True,
        ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Part", required=True, states=_states,
        domain=[('type', '=', 'goods')],
        context={
            'company': Eval('_parent_movement', {}).get('company', -1),
            },
        depends={'movement'})
    quantity = fields.Float(
        "Quantity", digits='unit', required=True, states=_states,
        domain=[('quantity', '>', 0)])
    unit = fields.Function(fields.Many2One('product.uom', "Unit"),
        'on_change_with_unit')
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)
    movement_state = fields.Function(fields.Selection(
            'get_movement_states', "State"),
        'on_change_with_movement_state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('movement')

    @classmethod
    def get_movement_states(cls):
        return Pool().get('dealer.parts.movement').state.selection

    @fields.depends('movement', '_parent_movement.state')
    def on_change_with_movement_state(self, name=None):
        return self.movement.state if self.movement else None

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external:
            movements = {l.movement for l in lines}
            if mode == 'write' and values.get('movement'):
                movements.add(Pool().get('dealer.parts.movement')(
                        values['movement']))
            for movement in movements:
                if movement.state == 'done':
                    raise AccessError(gettext(
                            'dealer_parts.msg_movement_modify',
                            movement=movement.rec_name))


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.parts.movement.line']
