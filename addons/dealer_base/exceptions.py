# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from trytond.exceptions import UserError


class ApprovalError(UserError):
    pass
