# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ExpenseError(UserError):
    pass


class ClaimError(ExpenseError):
    pass


class ClaimValidationError(ValidationError):
    pass
