# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from trytond.exceptions import UserError


class FinanceError(UserError):
    pass


class PlanError(FinanceError):
    pass


class PenaltyError(FinanceError):
    pass


class PaymentRequestError(FinanceError):
    pass


class WriteOffError(FinanceError):
    pass
