# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""What is claimed (报销类别), per company with its expense account, and the
cities by tier that standards depend on (R-EXP-01, R-EXP-03)."""
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction


class Category(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.expense.category'
    __string__ = "Expense Category"
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    account = fields.Many2One('account.account', "Expense Account",
        required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type.expense', '=', True),
            ('closed', '!=', True),
            ])
    business = fields.Boolean("Business Expense",
        help="Spent for a customer or a customer project (reception, "
        "travel, bidding …): its lines name the customer and the general "
        "manager approves.")
    basis = fields.Selection([
            ('item', "Per Item"),
            ('day', "Per Day"),
            ('night', "Per Night"),
            ], "Standard Basis", required=True,
        help="How a line's standard is counted: once per receipt, or per "
        "day or night of the trip.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('code', 'ASC NULLS LAST'), ('name', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints.append(('name_unique',
                Unique(t, t.company, t.name),
                'dealer_expense.msg_category_name_unique'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_basis(cls):
        return 'item'


CITY_TIERS = [
    ('1', "First-Tier City"),
    ('2', "Second-Tier City"),
    ('3', "Other City"),
    ]


class City(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'dealer.expense.city'
    __string__ = "City"
    name = fields.Char("Name", required=True)
    tier = fields.Selection(CITY_TIERS, "Tier", required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('tier', 'ASC'), ('name', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints.append(('name_unique', Unique(t, t.name),
                'dealer_expense.msg_city_name_unique'))

    @classmethod
    def default_tier(cls):
        return '3'
