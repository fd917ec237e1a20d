# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Printed documents of leasing: the lease contract (租赁合同) and the
delivery note (发车单) of an approved delivery release.  OpenDocument
templates, printed as PDF where LibreOffice is installed."""
import datetime as dt

from trytond.modules.dealer_base.printing import (
    ApprovalLogReportMixin, PDFWhenAvailableMixin)
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import without_check_access

from .delivery import document_machines, is_machine_line


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value


class LeaseContractReport(PDFWhenAvailableMixin, Report):
    __name__ = 'dealer.leasing.lease_contract'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        context['lease'] = cls.lease_values
        return context

    @classmethod
    def lease_values(cls, rental):
        """The terms of the lease; the fields of later versions of the
        lease are read when they exist"""
        lines = []
        for line in rental.lines:
            machine = getattr(line, 'machine', None)
            serials = [machine.rec_name] if machine else [
                m.lot.rec_name for m in (line.outgoing_moves or [])
                if m.lot]
            start = line.actual_start or line.planned_start or getattr(
                line, 'planned_start_day', None)
            end = line.actual_end or line.planned_end or getattr(
                line, 'planned_end_day', None)
            lines.append({
                    'product': line.product.rec_name if line.product else '',
                    'machine': is_machine_line(line),
                    'serials': ', '.join(serials),
                    'quantity': line.quantity,
                    'unit': line.unit.rec_name if line.unit else '',
                    'start': _date(start),
                    'end': _date(end),
                    'unit_price': line.unit_price,
                    'amount': line.amount if line.amount is not None
                    else line.planned_amount,
                    })
        owner = getattr(rental, 'owner', None)
        contact = getattr(rental, 'contact_person', None)
        return {
            'number': rental.number or '',
            'lines': lines,
            'start': _date(rental.start),
            'end': _date(rental.end),
            'owner': owner.rec_name if owner else '',
            'contact': contact.rec_name if contact else '',
            'deposit': getattr(rental, 'deposit', None),
            'turnaround_days': getattr(rental, 'turnaround_days', None),
            'late_fee_per_day': getattr(rental, 'late_fee_per_day', None),
            'total': rental.total_amount,
            }


class DeliveryNoteReport(
        ApprovalLogReportMixin, PDFWhenAvailableMixin, Report):
    __name__ = 'dealer.leasing.delivery_note'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        context['states'] = dict(pool.get('dealer.delivery.release')
            .fields_get(['approval_state'])['approval_state']['selection'])
        context['note'] = cls.note_values
        return context

    @classmethod
    def note_values(cls, release):
        """The machines that leave with their hour meter, and where from;
        read without the reader's access to the shipment or the lease:
        whoever may read the release prints its note"""
        with without_check_access():
            origin = release.origin
            machines = []
            for lot in document_machines(origin):
                machines.append({
                        'serial': lot.rec_name,
                        'product': lot.product.rec_name,
                        'hour_meter': lot.hour_meter,
                        })
            warehouse = getattr(origin, 'warehouse', None)
            address = getattr(origin, 'delivery_address', None)
            return {
                'origin': release.origin_name or '',
                'machines': machines,
                'warehouse': warehouse.rec_name if warehouse else '',
                'address': address.full_address if address else '',
                }
