# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Stock per company and warehouse (R-PRT-05): what a warehouse holds and
can give, what runs short, how old it is and what went in and out.

- Stock by warehouse (dealer.parts.stock): one row per part and warehouse
  of the user's companies where the part ever moved, with Tryton's
  quantities: on hand and forecast as the product's quantity and
  forecast_quantity with the warehouse as locations context, available as
  what Tryton's assignment can still take.  What is added is the row per
  warehouse, each counted in its warehouse's company (Tryton counts only
  the moves of the context's company), the three figures of a page by one
  statement (_quantities), and the access of purchasers and salespeople,
  who do not hold the stock group.
- Low-stock warnings (dealer.parts.stock.warning): the purchase order points
  (stock_supply) of warehouses whose quantity on hand today is below their
  minimum, with the shortage to their target.
- Stock ageing (dealer.parts.stock.ageing): quantity and value at cost per
  age bucket, first in first out; see StockAgeing.
- Inventory journal (dealer.parts.stock.journal): the done moves that enter
  or leave a warehouse.

The reports are read-only SQL views (table_query).  Their rows are of the
user's companies only (record rules on the row's company, the warehouse's);
the values at cost are hidden from salespeople by field access.
"""
import datetime as dt
from collections import defaultdict

from sql import Cast, Literal, Null, Union, Window, With
from sql.aggregate import Max, Min, Sum
from sql.conditionals import Case, Coalesce, Greatest, Least
from sql.operators import Div

from trytond import backend
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_finance.report import (
    CompanyCurrencyMixin, RoundedAmountsMixin)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

# Where the stock of a company may be: the locations under its warehouses,
# and the internal locations outside any warehouse that still hold its
# goods (stock's transit location between warehouses, a loan location, a
# rental location).  Anything else (supplier, customer, lost and found,
# production) is outside the company's stock.
HOLDING_TYPES = ['storage', 'rental']
# (name, youngest age in days, oldest age in days); None: unbounded
AGE_BUCKETS = [
    ('0_90', 0, 90),
    ('91_180', 91, 180),
    ('181_365', 181, 365),
    ('over_365', 366, None),
    ]
# PartStock's quantities, in _quantities' order
QUANTITIES = ['quantity', 'available_quantity', 'forecast_quantity']
AGEING_VALUES = ['value'] + ['value_' + b[0] for b in AGE_BUCKETS]
# The context key through which read() tells table_query the rows it reads
_ROWS = '_dealer_parts_stock_rows'


def _to_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _numeric(column):
    return Cast(column, 'NUMERIC')


def location_nodes(company_ids=None):
    """The query of (location, node, warehouse, company) of every location
    that holds stock: under a warehouse the node is the warehouse (and the
    company the warehouse's), elsewhere an internal location is its own node
    (no company: shared, as stock's transit location is)"""
    pool = Pool()
    Location = pool.get('stock.location')
    location, warehouse = Location.__table__(), Location.__table__()
    in_warehouse = warehouse.id != Null
    if company_ids is not None:
        in_warehouse &= warehouse.company.in_(list(company_ids) or [-1])
    return location.join(warehouse, 'LEFT',
        condition=(warehouse.type == 'warehouse')
        & (warehouse.left <= location.left)
        & (warehouse.right >= location.right)
        ).select(
            location.id.as_('location'),
            Coalesce(warehouse.id, location.id).as_('node'),
            warehouse.id.as_('warehouse'),
            warehouse.company.as_('company'),
            where=in_warehouse | (
                (warehouse.id == Null)
                & location.type.in_(HOLDING_TYPES)))


def warehouse_locations(company_ids=None, warehouse_id=None):
    """The query of (location, warehouse, company) of the locations under
    the warehouses of the companies (or under the one warehouse)"""
    nodes = location_nodes(company_ids)
    where = nodes.warehouse != Null
    if warehouse_id:
        where &= nodes.warehouse == warehouse_id
    return nodes.select(nodes.location, nodes.warehouse, nodes.company,
        where=where)


class RowsReadMixin:
    """read() gives table_query the ids it reads (in the context), so that
    the query can compute only what those rows need instead of every row
    (a read of a page would otherwise aggregate all the moves again)"""
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        if not ids:
            return super().read(ids, fields_names)
        with Transaction().set_context(**{_ROWS: (cls.__name__,
                        tuple(sorted(int(i) for i in ids)))}):
            return super().read(ids, fields_names)

    @classmethod
    def _rows_read(cls):
        "The ids being read, if table_query is called by read()"
        rows = Transaction().context.get(_ROWS)
        if rows and rows[0] == cls.__name__:
            return list(rows[1])

    @classmethod
    def _products_of_moves(cls, move_ids):
        """The parts of the moves (a list of ids, so that the query reaches
        the moves' part index)"""
        pool = Pool()
        Move = pool.get('stock.move')
        move = Move.__table__()
        cursor = Transaction().connection.cursor()
        products = set()
        for sub_ids in grouped_slice(
                sorted(set(move_ids)), backend.MAX_QUERY_PARAMS):
            cursor.execute(*move.select(move.product,
                    where=fields.SQL_OPERATORS['in'](move.id, list(sub_ids)),
                    group_by=[move.product]))
            products.update(p for p, in cursor)
        return sorted(products) or [-1]

    @classmethod
    def _user_company_ids(cls):
        "Every company of the user (all of them for the administrator)"
        pool = Pool()
        User = pool.get('res.user')
        Company = pool.get('company.company')
        if Transaction().user:
            return list(User.get_user_companies())
        with without_check_access():
            return [c.id for c in Company.search([])]


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # A part's moves: its stock in every warehouse, its ageing, its
        # journal (stock's indexes all lead with the company and location);
        # the warehouses a part moved in come from the index alone.
        cls._sql_indexes.add(
            Index(t,
                (t.product, Index.Range()),
                (t.to_location, Index.Range()),
                (t.from_location, Index.Range()),
                include=[t.id, t.state, t.company]))


class PartStock(RowsReadMixin, ModelSQL, ModelView):
    """One row per part and warehouse where the part has moved (done,
    assigned or planned moves), with Tryton's quantities"""
    __name__ = 'dealer.parts.stock'
    __string__ = "Stock by Warehouse"
    company = fields.Many2One('company.company', "Company")
    warehouse = fields.Many2One('stock.location', "Warehouse")
    product = fields.Many2One('product.product', "Part",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'get_unit')
    quantity = fields.Function(fields.Float(
            "On Hand", digits='unit',
            help="What the warehouse holds today (done moves)."),
        'get_quantities')
    available_quantity = fields.Function(fields.Float(
            "Available", digits='unit',
            help="On hand less what is already assigned to go out "
            "(customer shipments, transfers, loans)."),
        'get_quantities')
    forecast_quantity = fields.Function(fields.Float(
            "Forecast", digits='unit',
            help="On hand with every planned move in and out "
            "(purchases to receive, shipments to send)."),
        'get_quantities')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('product', 'ASC'), ('warehouse', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        """(product, warehouse) of the moves to and from the warehouses'
        locations; the id is the smallest of 2 × move + side (0 into the
        warehouse, 1 out of it), which no other pair can have"""
        pool = Pool()
        Move = pool.get('stock.move')
        companies = cls._user_company_ids()
        move = Move.__table__()
        where = (move.state.in_(['done', 'assigned', 'draft'])
            & move.company.in_(companies or [-1]))
        if (ids := cls._rows_read()) is not None:
            where &= move.product.in_(
                cls._products_of_moves(i // 2 for i in ids))

        def side(column, number):
            locations = warehouse_locations(companies)
            return move.join(locations,
                condition=column == locations.location).select(
                    (move.id * 2 + number).as_('key'),
                    move.product.as_('product'),
                    locations.warehouse.as_('warehouse'),
                    locations.company.as_('company'),
                    where=where)
        sides = Union(side(move.to_location, 0),
            side(move.from_location, 1), all_=True)
        return sides.select(
            Min(sides.key).as_('id'),
            sides.company.as_('company'),
            sides.warehouse.as_('warehouse'),
            sides.product.as_('product'),
            group_by=[sides.company, sides.warehouse, sides.product])

    def get_unit(self, name):
        return self.product.default_uom.id

    @classmethod
    def get_quantities(cls, rows, names):
        """Tryton's quantities of the parts in the warehouses and their
        locations, each in its warehouse's company (see _quantities)"""
        pool = Pool()
        Date = pool.get('ir.date')
        Uom = pool.get('product.uom')
        result = {n: {r.id: 0.0 for r in rows} for n in names}
        todays, by_today = {}, defaultdict(list)
        for row in rows:
            company_id = row.company.id
            if company_id not in todays:
                with Transaction().set_context(company=company_id):
                    todays[company_id] = Date.today()
            by_today[todays[company_id]].append(row)
        for today, today_rows in by_today.items():
            quantities = cls._quantities(today,
                {r.warehouse.id for r in today_rows},
                {r.product.id for r in today_rows})
            units = {u.id: u for u in Uom.browse(
                    {u for _, u in quantities.values()})}
            for row in today_rows:
                values, unit = quantities.get(
                    (row.warehouse.id, row.product.id), ((0, 0, 0), None))
                for name, value in zip(QUANTITIES, values):
                    if name in result:
                        result[name][row.id] = (units[unit].round(value)
                            if unit else 0.0)
        return result

    @classmethod
    def _quantities(cls, today, warehouse_ids, product_ids):
        """{(warehouse, product): ((on hand, available, forecast), the
        part's unit)} by one
        statement over the parts' moves, as Tryton computes the product's
        quantities for a warehouse with its child locations
        (Move.compute_quantities_query) in the warehouse's company:

        - on hand (quantity): the done moves to the date;
        - available (quantity with stock_assign, what Tryton can still
          assign): on hand less the assigned moves out of the warehouse's
          locations (to another of them included: storage to output);
        - forecast (forecast_quantity, no end date): on hand with the done,
          assigned and draft moves dated from today on.

        Three products_by_location calls per company would read each part's
        moves six times and more (bench/parts_stock.py)."""
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Product = pool.get('product.product')
        Template = pool.get('product.template')
        move = Move.__table__()
        from_, to = Location.__table__(), Location.__table__()
        warehouse = Location.__table__()
        product = Product.__table__()
        template = Template.__table__()
        cursor = Transaction().connection.cursor()

        def inside(location):
            return ((location.left >= warehouse.left)
                & (location.right <= warehouse.right))
        into = Case((inside(to), move.internal_quantity), else_=0)
        out = Case((inside(from_), move.internal_quantity), else_=0)
        done = (move.state == 'done') & (move.effective_date <= today)
        assigned = ((move.state == 'assigned')
            & (Coalesce(move.effective_date, today) <= today))
        planned = Coalesce(move.effective_date,
            Case((move.state == 'assigned', today), else_=Null),
            move.planned_date, dt.date.max) >= today
        quantities = {}
        for sub_ids in grouped_slice(
                sorted(product_ids), backend.MAX_QUERY_PARAMS):
            query = (move
                .join(from_, condition=from_.id == move.from_location)
                .join(to, condition=to.id == move.to_location)
                .join(warehouse,
                    condition=(warehouse.company == move.company)
                    & (inside(to) | inside(from_)))
                .join(product, condition=product.id == move.product)
                .join(template, condition=template.id == product.template)
                .select(
                    warehouse.id, move.product, template.default_uom,
                    Sum(Case((done, into - out), else_=0)),
                    Sum(Case((done, into - out), (assigned, -out),
                            else_=0)),
                    Sum(Case((done | planned, into - out), else_=0)),
                    where=fields.SQL_OPERATORS['in'](
                        move.product, list(sub_ids))
                    & move.state.in_(['done', 'assigned', 'draft'])
                    & warehouse.id.in_(sorted(warehouse_ids)),
                    group_by=[warehouse.id, move.product,
                        template.default_uom]))
            cursor.execute(*query)
            for warehouse_id, product_id, unit, *values in cursor:
                quantities[warehouse_id, product_id] = (
                    [v or 0 for v in values], unit)
        return quantities


class PartStockWarning(RowsReadMixin, ModelSQL, ModelView):
    """The purchase order points of warehouses (stock_supply) whose
    quantity on hand today is below their minimum"""
    __name__ = 'dealer.parts.stock.warning'
    __string__ = "Low-Stock Warning"
    company = fields.Many2One('company.company', "Company")
    warehouse = fields.Many2One('stock.location', "Warehouse")
    product = fields.Many2One('product.product', "Part",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    order_point = fields.Many2One('stock.order_point', "Order Point")
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'get_unit')
    quantity = fields.Float("On Hand", digits='unit',
        help="What the warehouse holds today (done moves).")
    min_quantity = fields.Float("Minimum", digits='unit',
        help="The order point's minimal quantity.")
    target_quantity = fields.Float("Target", digits='unit',
        help="The order point's target quantity.")
    shortage = fields.Float("Shortage", digits='unit',
        help="What brings the warehouse back to its target: "
        "target less on hand.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('warehouse', 'ASC'), ('product', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        OrderPoint = pool.get('stock.order_point')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Date = pool.get('ir.date')
        point = OrderPoint.__table__()
        warehouse = Location.__table__()
        move = Move.__table__()
        from_, to = Location.__table__(), Location.__table__()
        today = Date.today()
        companies = cls._user_company_ids()

        where = ((point.type == 'purchase')
            & (point.min_quantity != Null)
            & point.company.in_(companies or [-1]))
        if (ids := cls._rows_read()) is not None:
            where &= point.id.in_(ids)

        def inside(location):
            return ((location.left >= warehouse.left)
                & (location.right <= warehouse.right))
        # The warehouse's quantity: what came in from outside it less what
        # went out, done by today, as Tryton counts it.
        quantity = Coalesce(Sum(Case(
                    (inside(to) & ~inside(from_), move.internal_quantity),
                    (inside(from_) & ~inside(to), -move.internal_quantity),
                    else_=0)), 0)
        query = (point
            .join(warehouse, condition=(warehouse.id == point.location)
                & (warehouse.type == 'warehouse'))
            .join(move, 'LEFT', condition=(move.product == point.product)
                & (move.company == point.company)
                & (move.state == 'done')
                & (move.effective_date <= today))
            .join(from_, 'LEFT', condition=from_.id == move.from_location)
            .join(to, 'LEFT', condition=to.id == move.to_location))
        on_hand = query.select(
            point.id.as_('id'),
            point.company.as_('company'),
            point.location.as_('warehouse'),
            point.product.as_('product'),
            point.min_quantity.as_('min_quantity'),
            point.target_quantity.as_('target_quantity'),
            quantity.as_('quantity'),
            where=where,
            group_by=[point.id, point.company, point.location,
                point.product, point.min_quantity, point.target_quantity])
        return on_hand.select(
            on_hand.id, on_hand.company, on_hand.warehouse,
            on_hand.product, on_hand.id.as_('order_point'),
            on_hand.quantity, on_hand.min_quantity, on_hand.target_quantity,
            (on_hand.target_quantity - on_hand.quantity).as_('shortage'),
            where=on_hand.quantity < on_hand.min_quantity)

    def get_unit(self, name):
        return self.product.default_uom.id


class StockAgeingContext(ModelView):
    __name__ = 'dealer.parts.stock.ageing.context'
    __string__ = "Stock Ageing Context"
    company = fields.Many2One('company.company', "Company", required=True)
    warehouse = fields.Many2One('stock.location', "Warehouse",
        domain=[
            ('type', '=', 'warehouse'),
            If(Eval('group'),
                (),
                ('company', '=', Eval('company', -1))),
            ],
        help="Empty: every warehouse.")
    group = fields.Boolean("Whole Group",
        help="The warehouses of all your companies, not only of the "
        "company above.")
    date = fields.Date("Date", required=True,
        help="The stock and its age at the end of this day.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_group(cls):
        return False

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        # ir.date gives today in the context company's timezone.
        return Date.today()


class StockAgeing(CompanyCurrencyMixin, RoundedAmountsMixin, RowsReadMixin,
        ModelSQL, ModelView):
    """Quantity and value at cost of each part in each warehouse by age, at
    the end of the context's date, first in first out.

    How FIFO is computed, for all parts and warehouses at once by one SQL
    statement (table_query):

    1. Every location that holds stock belongs to a *node*: the locations
       under a warehouse to the warehouse, an internal location outside any
       warehouse (stock's transit location, a loan or rental location) to
       itself.  The done moves up to the date of the company (or of each
       company of the group) that change node are kept; moves inside a
       warehouse (input to storage, storage to output) are not.
    2. A move from outside every node (a supplier, an inventory's lost and
       found, a customer return, production) into a node is a *receipt*:
       its age counts from its date, its unit cost is its unit price in the
       company currency (at the rate of its date) for a supplier's
       receipt, else the move's cost price (Tryton's cost price of the
       product when the move was done).
    3. Per company, node and part, the moves into the node and the moves out
       of it are each numbered by cumulative quantity in date then id
       order (window sums): an inflow occupies the positions
       [in_start, in_end), an outflow consumes [out_start, out_end).  FIFO
       is this: the outflows consume the positions in order, so what the
       node still holds is the positions [all out, all in).
    4. A transfer (a move from one node to another, into or out of transit
       included) consumed positions of its source and occupies positions of
       its destination: the *pieces* of stock (positions of a node with an
       age date and a unit cost) are the receipts, and, recursively (WITH
       RECURSIVE), every part of a piece that a transfer consumed becomes a
       piece of the destination at the matching positions, with the same
       age date and cost.  A transfer therefore keeps the age of what it
       moves, through any number of warehouses (transit is a node too: what
       went into transit first comes out of it first).
    5. Per warehouse and part, the pieces overlapping [all out, all in) are
       what is left; each is bucketed by its age date (0–90, 91–180,
       181–365, over 365 days before the date) and valued at its unit cost.
       What no piece covers (a transfer of more than its warehouse ever
       received) counts in the quantity, in no bucket.

    Only the companies, warehouse and parts needed are read: the context's
    company (or the user's companies for the group), the parts that entered
    the context's warehouse, and, when a page is read, the parts of its
    rows (read passes them in the context)."""
    __name__ = 'dealer.parts.stock.ageing'
    __string__ = "Stock Ageing"
    _rounded_amounts = AGEING_VALUES
    company = fields.Many2One('company.company', "Company")
    warehouse = fields.Many2One('stock.location', "Warehouse")
    product = fields.Many2One('product.product', "Part",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'get_unit')
    quantity = fields.Float("Quantity", digits='unit',
        help="On hand at the end of the date.")
    value = Monetary("Value", currency='currency', digits='currency',
        help="At cost: each receipt still held at its own cost.")
    oldest_date = fields.Date("Oldest Receipt",
        help="When the oldest part still held was received into the "
        "company.")
    quantity_0_90 = fields.Float("0-90 Days", digits='unit',
        help="Received into the company 0 to 90 days before the date.")
    value_0_90 = Monetary("Value 0-90 Days", currency='currency',
        digits='currency')
    quantity_91_180 = fields.Float("91-180 Days", digits='unit',
        help="Received into the company 91 to 180 days before the date.")
    value_91_180 = Monetary("Value 91-180 Days", currency='currency',
        digits='currency')
    quantity_181_365 = fields.Float("181-365 Days", digits='unit',
        help="Received into the company 181 to 365 days before the date.")
    value_181_365 = Monetary("Value 181-365 Days", currency='currency',
        digits='currency')
    quantity_over_365 = fields.Float("Over 365 Days", digits='unit',
        help="Received into the company more than 365 days before the "
        "date.")
    value_over_365 = Monetary("Value Over 365 Days", currency='currency',
        digits='currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The parts that have waited longest first (an order on the
        # report's own columns: no join to the names of every row)
        cls._order = [('oldest_date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _ageing_scope(cls):
        "The companies, the warehouse and the date of the context"
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        date = _to_date(context.get('date')) or Date.today()
        if context.get('group'):
            companies = cls._user_company_ids()
        else:
            companies = [context['company']] if context.get('company') else []
        return companies, context.get('warehouse'), date

    @classmethod
    def _receipt_cost(cls, move, from_location, company):
        """The unit cost of a receipt, per unit of the part's default unit,
        in the company currency"""
        pool = Pool()
        Rate = pool.get('currency.currency.rate')

        def rate(currency):
            rate = Rate.__table__()
            return rate.select(rate.rate,
                where=(rate.currency == currency)
                & (rate.date <= move.effective_date),
                order_by=[rate.date.desc], limit=1)
        unit_price = Div(
            _numeric(move.unit_price) * _numeric(move.quantity),
            _numeric(move.internal_quantity))
        purchased = Case(
            (move.currency == company.currency, unit_price),
            else_=Div(unit_price * rate(company.currency),
                rate(move.currency)))
        return Case(
            ((from_location.type == 'supplier')
                & (move.unit_price != Null)
                & (move.internal_quantity > 0),
                Coalesce(purchased, _numeric(move.cost_price))),
            else_=_numeric(move.cost_price))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Company = pool.get('company.company')
        CostPrice = pool.get('product.cost_price')
        companies, warehouse_id, date = cls._ageing_scope()

        move = Move.__table__()
        from_location = Location.__table__()
        company = Company.__table__()
        cost_price = CostPrice.__table__()
        from_node = location_nodes(companies)
        to_node = location_nodes(companies)
        where = ((move.state == 'done')
            & (move.effective_date <= date)
            & move.company.in_(companies or [-1])
            & (Coalesce(from_node.node, -1) != Coalesce(to_node.node, -1)))
        if (ids := cls._rows_read()) is not None:
            # A page of rows: their parts only
            where &= move.product.in_(cls._products_of_moves(ids))
        elif warehouse_id:
            # Only the parts that ever entered the warehouse
            entered, inside = Move.__table__(), warehouse_locations(
                companies, warehouse_id)
            where &= move.product.in_(entered.join(inside,
                    condition=entered.to_location == inside.location
                    ).select(entered.product,
                    where=(entered.state == 'done')
                    & (entered.effective_date <= date)))
        # The unit cost of a part received without one (none of the above)
        default_cost = cost_price.select(_numeric(cost_price.cost_price),
            where=(cost_price.product == move.product)
            & (cost_price.company == move.company),
            limit=1)
        unit_cost = Coalesce(
            cls._receipt_cost(move, from_location, company),
            default_cost, 0)
        flow = With(query=move
            .join(from_location,
                condition=from_location.id == move.from_location)
            .join(company, condition=company.id == move.company)
            .join(from_node, 'LEFT',
                condition=from_node.location == move.from_location)
            .join(to_node, 'LEFT',
                condition=to_node.location == move.to_location)
            .select(
                move.id.as_('id'),
                move.company.as_('company'),
                move.product.as_('product'),
                move.effective_date.as_('date'),
                _numeric(move.internal_quantity).as_('quantity'),
                from_node.node.as_('from_node'),
                (from_node.warehouse != Null).as_('from_warehouse'),
                to_node.node.as_('to_node'),
                (to_node.warehouse != Null).as_('to_warehouse'),
                Case((from_node.node == Null, unit_cost),
                    else_=Null).as_('unit_cost'),
                where=where))

        def positions(node):
            return Window([flow.company, node, flow.product],
                order_by=[flow.date.asc, flow.id.asc])
        # 3. moves into and out of each node, numbered by quantity
        inflow = With(query=flow.select(
                flow.id.as_('id'),
                flow.company.as_('company'),
                flow.to_node.as_('node'),
                flow.to_warehouse.as_('warehouse'),
                flow.product.as_('product'),
                flow.date.as_('date'),
                flow.quantity.as_('quantity'),
                (flow.from_node == Null).as_('receipt'),
                flow.unit_cost.as_('unit_cost'),
                (Sum(flow.quantity, window=positions(flow.to_node))
                    - flow.quantity).as_('start'),
                Sum(flow.quantity, window=positions(flow.to_node)
                    ).as_('end'),
                where=flow.to_node != Null))
        outflow = With(query=flow.select(
                flow.id.as_('id'),
                flow.company.as_('company'),
                flow.from_node.as_('node'),
                flow.from_warehouse.as_('warehouse'),
                flow.product.as_('product'),
                flow.quantity.as_('quantity'),
                (Sum(flow.quantity, window=positions(flow.from_node))
                    - flow.quantity).as_('start'),
                Sum(flow.quantity, window=positions(flow.from_node)
                    ).as_('end'),
                where=flow.from_node != Null))
        # 4. transfers: one move, out of a node and into another
        transfer = With(query=outflow.join(inflow,
                condition=inflow.id == outflow.id).select(
                outflow.company.as_('company'),
                outflow.node.as_('source'),
                inflow.node.as_('node'),
                outflow.product.as_('product'),
                outflow.start.as_('out_start'),
                outflow.end.as_('out_end'),
                inflow.start.as_('in_start')))
        # The receipts are pieces as they are; only what transfers consumed
        # goes through the recursion (its first hop from the receipts, the
        # next ones from the pieces moved before): the recursion carries the
        # few pieces that move, and transfer, read by both, is computed once.
        def received():
            return inflow.select(
                inflow.company.as_('company'),
                inflow.node.as_('node'),
                inflow.product.as_('product'),
                inflow.start.as_('start'),
                inflow.end.as_('end'),
                inflow.date.as_('age_date'),
                inflow.unit_cost.as_('unit_cost'),
                Cast(Literal(0), 'INTEGER').as_('depth'),
                where=inflow.receipt)

        def hop(piece):
            return piece.join(transfer,
                condition=(transfer.company == piece.company)
                & (transfer.source == piece.node)
                & (transfer.product == piece.product)
                & (piece.start < transfer.out_end)
                & (piece.end > transfer.out_start)
                ).select(
                    transfer.company, transfer.node, transfer.product,
                    transfer.in_start
                    + Greatest(piece.start, transfer.out_start)
                    - transfer.out_start,
                    transfer.in_start
                    + Least(piece.end, transfer.out_end)
                    - transfer.out_start,
                    piece.age_date, piece.unit_cost,
                    Cast(piece.depth + 1, 'INTEGER'),
                    # a chain of transfers is as long as the moves make
                    # it; the bound only guards against a loop in
                    # inconsistent data
                    where=piece.depth < 1000)
        moved = With('company', 'node', 'product', 'start', 'end',
            'age_date', 'unit_cost', 'depth', recursive=True)
        moved.query = Union(hop(received()), hop(moved), all_=True)
        piece = Union(received(), moved.select(
                moved.company, moved.node, moved.product, moved.start,
                moved.end, moved.age_date, moved.unit_cost, moved.depth),
            all_=True)

        # 5. what each warehouse holds: [all out, all in)
        def held(query, in_, out, first):
            return query.select(
                query.company.as_('company'),
                query.node.as_('node'),
                query.product.as_('product'),
                in_.as_('in_'), out.as_('out'), first.as_('first'),
                where=query.warehouse
                & ((query.node == warehouse_id) if warehouse_id
                    else Literal(True)))
        sides = Union(
            held(inflow, inflow.quantity, Literal(0), inflow.id),
            held(outflow, Literal(0), outflow.quantity,
                Cast(Literal(None), 'INTEGER')), all_=True)
        total = sides.select(
            sides.company.as_('company'),
            sides.node.as_('node'),
            sides.product.as_('product'),
            Sum(sides.in_).as_('in_'),
            Sum(sides.out).as_('out'),
            Min(sides.first).as_('first'),
            group_by=[sides.company, sides.node, sides.product])
        held_ = (Least(piece.end, total.in_)
            - Greatest(piece.start, total.out))
        value = held_ * piece.unit_cost

        def bucket(expression, youngest, oldest):
            condition = Literal(True)
            if youngest:
                condition &= piece.age_date <= date - dt.timedelta(
                    days=youngest)
            if oldest is not None:
                condition &= piece.age_date >= date - dt.timedelta(
                    days=oldest)
            return Sum(Case((condition, expression), else_=0))
        quantities = []
        for name, youngest, oldest in AGE_BUCKETS:
            quantities.append(
                cls.quantity.sql_cast(bucket(held_, youngest, oldest)
                    ).as_('quantity_' + name))
            quantities.append(
                bucket(value, youngest, oldest).as_('value_' + name))
        stock = total.join(piece, 'LEFT',
            condition=(piece.company == total.company)
            & (piece.node == total.node)
            & (piece.product == total.product)
            & (piece.end > total.out)
            & (piece.start < total.in_))
        return stock.select(
            total.first.as_('id'),
            total.company.as_('company'),
            total.node.as_('warehouse'),
            total.product.as_('product'),
            cls.quantity.sql_cast(Max(total.in_ - total.out)).as_('quantity'),
            Sum(value).as_('value'),
            Min(piece.age_date).as_('oldest_date'),
            *quantities,
            where=total.in_ > total.out,
            group_by=[total.first, total.company, total.node,
                total.product],
            with_=[flow, inflow, outflow, transfer, moved])

    def get_unit(self, name):
        return self.product.default_uom.id


class StockJournalContext(ModelView):
    __name__ = 'dealer.parts.stock.journal.context'
    __string__ = "Inventory Journal Context"
    company = fields.Many2One('company.company', "Company", required=True)
    warehouse = fields.Many2One('stock.location', "Warehouse",
        domain=[
            ('type', '=', 'warehouse'),
            ('company', '=', Eval('company', -1)),
            ],
        help="Empty: every warehouse of the company.")
    from_date = fields.Date("From Date",
        domain=[
            If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')),
                ()),
            ])
    to_date = fields.Date("To Date",
        domain=[
            If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')),
                ()),
            ])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today().replace(day=1)


class StockJournal(RowsReadMixin, ModelSQL, ModelView):
    """The done moves that enter or leave a warehouse: a move between two
    warehouses is a row of each (out of one, into the other); moves inside a
    warehouse (input to storage, storage to output) are not rows"""
    __name__ = 'dealer.parts.stock.journal'
    __string__ = "Inventory Journal"
    company = fields.Many2One('company.company', "Company")
    warehouse = fields.Many2One('stock.location', "Warehouse")
    date = fields.Date("Date")
    product = fields.Many2One('product.product', "Part",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    from_location = fields.Many2One('stock.location', "From Location")
    to_location = fields.Many2One('stock.location', "To Location")
    direction = fields.Selection([
            ('in', "In"),
            ('out', "Out"),
            ], "Direction")
    quantity = fields.Float("Quantity", digits='unit',
        help="In the part's unit.")
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'get_unit')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        """One row per move and warehouse it enters (id 2 × move) or leaves
        (2 × move + 1)"""
        pool = Pool()
        Move = pool.get('stock.move')
        context = Transaction().context
        company_id = context.get('company')
        warehouse_id = context.get('warehouse')
        companies = [company_id] if company_id else []
        from_date = _to_date(context.get('from_date'))
        to_date = _to_date(context.get('to_date'))
        move = Move.__table__()
        where = (move.state == 'done') & move.company.in_(companies or [-1])
        if from_date:
            where &= move.effective_date >= from_date
        if to_date:
            where &= move.effective_date <= to_date
        if (ids := cls._rows_read()) is not None:
            where &= move.id.in_(sorted({i // 2 for i in ids}))

        def rows(number, direction, here, there):
            this = warehouse_locations(companies, warehouse_id)
            other = warehouse_locations(companies)
            return (move
                .join(this, condition=here == this.location)
                .join(other, 'LEFT', condition=there == other.location)
                .select(
                    (move.id * 2 + number).as_('id'),
                    this.company.as_('company'),
                    this.warehouse.as_('warehouse'),
                    move.effective_date.as_('date'),
                    move.product.as_('product'),
                    move.from_location.as_('from_location'),
                    move.to_location.as_('to_location'),
                    Literal(direction).as_('direction'),
                    move.internal_quantity.as_('quantity'),
                    where=where
                    & (Coalesce(other.warehouse, -1) != this.warehouse)))
        return Union(
            rows(0, 'in', move.to_location, move.from_location),
            rows(1, 'out', move.from_location, move.to_location),
            all_=True)

    def get_unit(self, name):
        return self.product.default_uom.id
