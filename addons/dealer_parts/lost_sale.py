# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Lost sales (缺货登记, R-PRT-08): a counter sale or a request the dealer
could not fill is recorded with its reason, so that demand the stock
never saw is not forgotten.  Each warehouse's order points show what was
lost in the last 90 days, and a shortage can be passed on to the
purchaser as a purchase request at once."""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import LostSaleError

# How far back the lost demand shown on the order points goes.
LOST_DAYS = 90


class LostSale(Workflow, ModelSQL, ModelView):
    __name__ = 'dealer.parts.lost_sale'
    __string__ = "Lost Sale"
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    warehouse = fields.Many2One(
        'stock.location', "Warehouse", required=True, states=_states,
        domain=[
            ('type', '=', 'warehouse'),
            ('company', '=', Eval('company', -1)),
            ])
    date = fields.Date("Date", required=True, states=_states)
    customer = fields.Many2One(
        'party.party', "Customer", states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    product = fields.Many2One(
        'product.product', "Part", required=True, states=_states,
        domain=[('type', '=', 'goods')],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    quantity = fields.Float(
        "Quantity", digits='unit', required=True, states=_states,
        domain=[('quantity', '>', 0)])
    unit = fields.Function(fields.Many2One('product.uom', "Unit"),
        'on_change_with_unit')
    reason = fields.Selection([
            ('stock', "Out of Stock"),
            ('price', "Price"),
            ('delivery', "Delivery Time"),
            ('superseded', "Part Superseded"),
            ('other', "Other"),
            ], "Reason", required=True, states=_states)
    note = fields.Text("Note", states=_states)
    recorded_by = fields.Many2One(
        'company.employee', "Recorded By", states=_states,
        domain=[('company', '=', Eval('company', -1))])
    purchase_request = fields.Many2One(
        'purchase.request', "Purchase Request", readonly=True,
        states={
            'invisible': ~Eval('purchase_request'),
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('recorded', "Recorded"),
            ], "State", required=True, readonly=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.product, Index.Range()),
                (t.warehouse, Index.Range()),
                (t.date, Index.Range())))
        cls._transitions |= {('draft', 'recorded')}
        cls._buttons.update({
                'record': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'request_purchase': {
                    'invisible': ((Eval('state') != 'recorded')
                        | Eval('purchase_request')),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'purchase_request'],
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
    def default_reason(cls):
        return 'stock'

    @classmethod
    def default_recorded_by(cls):
        return Transaction().context.get('employee')

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    def get_rec_name(self, name):
        return f'{self.product.rec_name} × {self.quantity}'

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for record in records:
                if record.state != 'draft':
                    raise AccessError(gettext(
                            'dealer_parts.msg_lost_sale_modify',
                            lost_sale=record.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('recorded')
    def record(cls, records):
        pass

    @classmethod
    @ModelView.button
    def request_purchase(cls, records):
        "Ask the purchaser for the part the customer could not have"
        pool = Pool()
        Request = pool.get('purchase.request')
        Uom = pool.get('product.uom')
        to_save = []
        for record in records:
            if record.state != 'recorded' or record.purchase_request:
                raise LostSaleError(gettext(
                        'dealer_parts.msg_lost_sale_requested',
                        lost_sale=record.rec_name))
            if not record.product.purchasable:
                raise LostSaleError(gettext(
                        'dealer_parts.msg_lost_sale_not_purchasable',
                        product=record.product.rec_name))
            product = record.product
            request = Request(
                company=record.company,
                product=product,
                description=product.rec_name,
                quantity=Uom.compute_qty(product.default_uom,
                    record.quantity, product.purchase_uom),
                unit=product.purchase_uom,
                computed_quantity=record.quantity,
                computed_unit=product.default_uom,
                warehouse=record.warehouse,
                origin=record,
                )
            to_save.append((record, request))
        Request.save([r for _, r in to_save])
        for record, request in to_save:
            record.purchase_request = request
        cls.save([r for r, _ in to_save])

    @classmethod
    def lost_quantities(cls, keys, date):
        """The quantity lost per (product, warehouse) in the LOST_DAYS up
        to date, in the product's unit"""
        start = date - dt.timedelta(days=LOST_DAYS)
        lost = defaultdict(float)
        products = list({p for p, _ in keys})
        warehouses = list({w for _, w in keys})
        for record in cls.search([
                    ('state', '=', 'recorded'),
                    ('product', 'in', products),
                    ('warehouse', 'in', warehouses),
                    ('date', '>', start),
                    ('date', '<=', date),
                    ]):
            lost[record.product.id, record.warehouse.id] += record.quantity
        return lost


class PurchaseRequest(metaclass=PoolMeta):
    __name__ = 'purchase.request'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() | {'dealer.parts.lost_sale'}


class OrderPoint(metaclass=PoolMeta):
    __name__ = 'stock.order_point'
    lost_quantity = fields.Function(fields.Float(
            "Lost in 90 Days", digits='unit',
            help="What customers asked for at this warehouse and did not "
            "get, in the last 90 days: a reason to raise the minimum."),
        'get_lost_quantity')

    @classmethod
    def get_lost_quantity(cls, points, name):
        pool = Pool()
        LostSale = pool.get('dealer.parts.lost_sale')
        Date = pool.get('ir.date')
        keys = {(p.product.id, p.location.id) for p in points}
        lost = LostSale.lost_quantities(keys, Date.today()) if keys else {}
        return {p.id: p.unit.round(lost.get((p.product.id, p.location.id), 0))
            for p in points}
