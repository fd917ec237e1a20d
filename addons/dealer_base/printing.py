# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Printed documents (contracts, payment requests, delivery notes) come out
as PDF where LibreOffice is installed, as OpenDocument otherwise — unless
an administrator chose an output format for the report.  Those printing
their approval log name its actions in the reader's language."""
import shutil

from trytond.pool import Pool


class PDFWhenAvailableMixin:
    "For a Report: PDF when `soffice` is on the PATH"
    __slots__ = ()

    @classmethod
    def convert(cls, report, data, **kwargs):
        if not report.extension and shutil.which('soffice'):
            # Only this printing: the report's setting is not saved.
            report.extension = 'pdf'
        return super().convert(report, data, **kwargs)


class ApprovalLogReportMixin:
    """For a Report of an approvable document that prints its approval log:
    `actions` names the log's actions in the reader's language"""
    __slots__ = ()

    @classmethod
    def get_context(cls, records, header, data):
        Log = Pool().get('dealer.approval.log')
        context = super().get_context(records, header, data)
        context['actions'] = dict(
            Log.fields_get(['action'])['action']['selection'])
        return context
