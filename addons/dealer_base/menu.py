# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Menus trimmed to what the user's positions hold (R-ORG-05)."""
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Menu(metaclass=PoolMeta):
    __name__ = 'ir.ui.menu'

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        transaction = Transaction()
        if (query or not transaction.check_access
                or transaction.context.get('_menu_untrimmed')):
            return super().search(domain, offset=offset, limit=limit,
                order=order, count=count, query=query)
        menus = super().search(domain, offset=offset, limit=limit,
            order=order)
        # Tryton hides the entries whose window the user may not open, but
        # not the folders they leave empty: a folder shows only with a
        # visible entry somewhere below it.
        if any(not m.action for m in menus):
            with transaction.set_context(_menu_untrimmed=True):
                visible = super().search([])
            filled = set()
            for menu in visible:
                if menu.action:
                    parent = menu.parent
                    while parent and parent.id not in filled:
                        filled.add(parent.id)
                        parent = parent.parent
            menus = cls.browse(
                [m for m in menus if m.action or m.id in filled])
        return len(menus) if count else menus
