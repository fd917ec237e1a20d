# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Printed documents (contracts, payment requests, delivery notes) come out
as PDF where LibreOffice is installed, as OpenDocument otherwise — unless
an administrator chose an output format for the report."""
import shutil


class PDFWhenAvailableMixin:
    "For a Report: PDF when `soffice` is on the PATH"
    __slots__ = ()

    @classmethod
    def convert(cls, report, data, **kwargs):
        if not report.extension and shutil.which('soffice'):
            # Only this printing: the report's setting is not saved.
            report.extension = 'pdf'
        return super().convert(report, data, **kwargs)
