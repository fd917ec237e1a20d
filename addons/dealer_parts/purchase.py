# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Purchase orders of parts: invoiced by settlement, each line showing what
was ordered, received and settled (R-PRT-01, R-PRT-03), and receipts that
do not take more than was ordered unless the company allows it
(R-PRT-02)."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import ReceiptError


class ConfigurationPurchaseMethod(metaclass=PoolMeta):
    __name__ = 'purchase.configuration.purchase_method'

    @classmethod
    def default_purchase_invoice_method(cls):
        # Parts are billed by the purchase settlement (采购结算) against
        # what was received, not by an invoice drafted when ordering.
        return 'manual'


class PurchaseLine(metaclass=PoolMeta):
    __name__ = 'purchase.line'
    received_quantity = fields.Function(fields.Float(
            "Received", digits='unit',
            states={
                'invisible': Eval('type') != 'line',
                }),
        'get_progress_quantities')
    settled_quantity = fields.Function(fields.Float(
            "Settled", digits='unit',
            states={
                'invisible': Eval('type') != 'line',
                }),
        'get_progress_quantities')

    @classmethod
    def get_progress_quantities(cls, lines, names):
        pool = Pool()
        Uom = pool.get('product.uom')
        SettlementLine = pool.get('dealer.parts.settlement.line')
        received = defaultdict(float)
        settled = defaultdict(float)
        for line in lines:
            if line.type != 'line' or not line.unit:
                continue
            for move in line.moves:
                if move.state != 'done':
                    continue
                quantity = Uom.compute_qty(move.unit, move.quantity, line.unit)
                if move.from_location.type == 'supplier':
                    received[line.id] += quantity
                elif move.to_location.type == 'supplier':
                    received[line.id] -= quantity
        if 'settled_quantity' in names:
            moves = {m.id: l for l in lines for m in l.moves}
            # Who sees the order sees how much of it is settled.
            with without_check_access():
                for settlement_line in SettlementLine.search([
                            ('move', 'in', list(moves)),
                            ('settlement.state', '=', 'done'),
                            ]):
                    line = moves[settlement_line.move.id]
                    settled[line.id] += Uom.compute_qty(
                        settlement_line.move.unit, settlement_line.quantity,
                        line.unit)
        result = {}
        for name, values in [
                ('received_quantity', received),
                ('settled_quantity', settled)]:
            if name in names:
                result[name] = {
                    l.id: (l.unit.round(values[l.id]) if l.unit else None)
                    for l in lines}
        return result


class ShipmentIn(metaclass=PoolMeta):
    __name__ = 'stock.shipment.in'

    @classmethod
    @ModelView.button
    @Workflow.transition('received')
    def receive(cls, shipments):
        cls.check_cancelled(shipments)
        cls.check_over_receipt(shipments)
        super().receive(shipments)

    @classmethod
    def check_cancelled(cls, shipments):
        """A cancelled line (its order or the rest of it cancelled) is not
        received: Tryton lets a draft receipt take it and would receive it
        as it is"""
        for shipment in shipments:
            for move in shipment.incoming_moves:
                if move.state == 'cancelled':
                    raise ReceiptError(gettext(
                            'dealer_parts.msg_receipt_cancelled',
                            shipment=shipment.rec_name,
                            move=move.rec_name))

    @classmethod
    def check_over_receipt(cls, shipments):
        """Where the company refuses it, no receipt takes more than is left
        to receive of its order line (elsewhere Tryton asks the warehouse
        keeper to confirm the extra quantity)"""
        pool = Pool()
        PurchaseLine = pool.get('purchase.line')
        Settings = pool.get('dealer.parts.settings')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        refusing = {}
        for shipment in shipments:
            company = shipment.company
            if company not in refusing:
                with without_check_access():
                    refusing[company] = (
                        Settings.for_company(company).over_receipt
                        == 'refuse')
            if not refusing[company]:
                continue
            for move in shipment.incoming_moves:
                line = move.origin
                if not isinstance(line, PurchaseLine) or line.quantity < 0:
                    continue
                extra = line.unit.round(line._get_shipped_quantity('in')
                    - line._get_move_quantity('in'))
                if extra > 0:
                    raise ReceiptError(gettext(
                            'dealer_parts.msg_receipt_over_order',
                            shipment=shipment.rec_name,
                            line=line.rec_name,
                            purchase=line.purchase.rec_name,
                            extra=lang.format_number_symbol(extra, line.unit),
                            quantity=lang.format_number_symbol(
                                line.quantity, line.unit)))
