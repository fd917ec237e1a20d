# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The expense scenarios' shared set-up (proteus)."""
from types import SimpleNamespace

from proteus import Model
from trytond.modules.account.tests.tools import get_accounts
from trytond.modules.dealer_base.tests.tools import (
    create_employee, create_user, get_companies, get_position)

__all__ = ['get_expense', 'setup_expense']

# login, name, position code, supervisor's login
STAFF = [
    ('chen', '陈总', 'BOSS', None),
    ('li', '李明', 'SALES-MGR', 'chen'),
    ('zhang', '张伟', 'SALES', 'li'),
    ('zhou', '周静', 'FINANCE', 'chen'),
    ]
# name, code, business, basis
CATEGORIES = [
    ('差旅费', 'TRAVEL', False, 'day'),
    ('住宿费', 'HOTEL', False, 'night'),
    ('业务招待费', 'RECEPTION', True, 'item'),
    ('交通费', 'TRANSPORT', False, 'item'),
    ]
CITIES = [('上海', '1'), ('杭州', '2'), ('徐州', '3')]
CUSTOMER = '宏达建设工程有限公司'


def setup_expense(config):
    """Set-up for activate_modules, after setup_group and setup_accounting:
    上海公司's staff — 陈总 the general manager over 李明 (sales manager)
    over 张伟 (salesperson), and 周静 in finance under 陈总, each a login of
    the same name in pinyin; the sales department of 李明 and 张伟; the
    expense categories on the expense account, three cities by tier, and
    张伟's customer 宏达建设"""
    shanghai = get_companies(config=config)[0]
    accounts = get_accounts(shanghai, config=config)
    Category = Model.get('dealer.expense.category', config=config)
    City = Model.get('dealer.expense.city', config=config)
    Department = Model.get('dealer.department', config=config)
    Party = Model.get('party.party', config=config)
    employees = {}
    for login, name, position, supervisor in STAFF:
        employees[login] = create_employee(shanghai, name,
            supervisor=employees.get(supervisor), config=config)
        create_user(login, [employees[login]],
            [get_position(position, config=config)], config=config)
    department = Department(name='销售部')
    department.companies.append(shanghai)
    department.members.extend([employees['li'], employees['zhang']])
    department.save()
    for name, code, business, basis in CATEGORIES:
        Category(name=name, code=code, business=business, basis=basis,
            company=shanghai, account=accounts['expense']).save()
    for name, tier in CITIES:
        City(name=name, tier=tier).save()
    Party(name=CUSTOMER, is_customer=True, company=shanghai,
        owner=employees['zhang']).save()


def get_expense(config=None):
    """What setup_expense built: company, department, categories and cities
    by code and name, the customer, employees and users by login"""
    Category = Model.get('dealer.expense.category', config=config)
    City = Model.get('dealer.expense.city', config=config)
    Department = Model.get('dealer.department', config=config)
    Party = Model.get('party.party', config=config)
    User = Model.get('res.user', config=config)
    Employee = Model.get('company.employee', config=config)
    users = {login: User.find([('login', '=', login)])[0]
        for login, *_ in STAFF}
    return SimpleNamespace(
        company=get_companies(config=config)[0],
        department=Department.find([('name', '=', '销售部')])[0],
        categories=SimpleNamespace(**{code.lower(): Category.find([
                        ('code', '=', code)])[0]
                for _, code, _, _ in CATEGORIES}),
        cities={name: City.find([('name', '=', name)])[0]
            for name, _ in CITIES},
        customer=Party.find([('name', '=', CUSTOMER)])[0],
        users=SimpleNamespace(**users),
        employees=SimpleNamespace(**{login: Employee(u.employee.id)
                for login, u in users.items()}))
