# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
# Classes are registered in tryton.cfg; the phone app's route under /m/ is
# registered when its file is imported, as Tryton's own modules do with
# their routes.
from . import mobile  # noqa: F401
