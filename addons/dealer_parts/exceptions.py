# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
from trytond.exceptions import UserError


class PartsError(UserError):
    pass


class ReceiptError(PartsError):
    pass


class SettlementError(PartsError):
    pass


class LoanError(PartsError):
    pass


class LostSaleError(PartsError):
    pass


class MovementError(PartsError):
    pass


class PriceListError(PartsError):
    pass
