# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Requests (waivers, credit exceptions, payment requests) freeze once
submitted: the approvers decide on what they see.  The view's readonly
states only guide the client; this is the server's rule."""
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError


class SubmittedFrozenMixin:
    "After submission a client may change only the listed fields"
    __slots__ = ()
    _editable_after_submit = set()

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if (external and mode == 'write'
                and set(values) - cls._editable_after_submit):
            for document in documents:
                if document.approval_state != 'draft':
                    raise AccessError(gettext(
                            'dealer_finance.msg_document_submitted',
                            document=document.rec_name))
