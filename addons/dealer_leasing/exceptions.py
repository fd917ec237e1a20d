# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from trytond.exceptions import UserError


class LeasingError(UserError):
    pass


class BookingError(LeasingError):
    "A machine is not free for the period asked"


class BuybackError(LeasingError):
    pass


class ConversionError(LeasingError):
    pass


class DeliveryError(LeasingError):
    "A machine leaves without an approved delivery release"


class FinanceContractError(LeasingError):
    pass


class InspectionError(LeasingError):
    pass
