# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Scenario helpers shared by the dealer modules' tests (proteus)."""
import calendar
import datetime as dt
from contextlib import contextmanager
from unittest import mock

from proteus import Model, Wizard
from proteus.config import get_config
from trytond.modules.currency.tests.tools import get_currency

__all__ = ['activate_modules', 'company_today', 'create_companies', 'create_employee',
    'create_fiscal_years', 'create_user', 'get_companies', 'get_position',
    'run_job', 'setup_accounting', 'setup_group', 'story_year', 'switch_company', 'utc_clock']

PASSWORD = 'dealer-test-2026'
GROUP = ['上海公司', '广州公司']


def create_companies(names, currency='CNY', timezone='Asia/Shanghai',
        codes=None, config=None):
    """Create one company per name (its party with the code of the same
    rank, if any); give them to the current user; return them in order"""
    Party = Model.get('party.party', config=config)
    User = Model.get('res.user', config=config)
    Company = Model.get('company.company', config=config)
    if not config:
        config = get_config()
    if isinstance(currency, str):
        currency = get_currency(currency, config=config)
    companies = []
    for name, code in zip(names, codes or [None] * len(names)):
        party = Party(name=name, code=code)
        party.save()
        wizard = Wizard('company.company.config', config=config)
        wizard.execute('company')
        wizard.form.party = party
        wizard.form.currency = currency
        wizard.form.timezone = timezone
        wizard.execute('add')
        company, = Company.find([('party', '=', party.id)])
        companies.append(company)
    admin = User(config.user)
    admin.companies.extend(
        Company(c.id) for c in companies
        if c.id not in {x.id for x in admin.companies})
    admin.save()
    config._context = User.get_preferences(True, {})
    return companies


def company_today(config=None):
    """Today of the proteus user's current company, in the company's
    timezone (Tryton's ir.date.today): from 16:00 UTC Shanghai is already
    in the machine's tomorrow, so a test never takes the machine's date"""
    if not config:
        config = get_config()
    return config.get_proxy('ir.date').today(config.context)


def story_year(today):
    """The year a scenario's dated story is told in: the latest year before
    today's that is not a leap year, so the story is wholly in the past on
    any day it runs and its day counts (a February of 28 days) never change"""
    year = today.year - 1
    while calendar.isleap(year):
        year -= 1
    return year


@contextmanager
def utc_clock(instant):
    """Make Tryton's today (ir.date) see the naive UTC datetime instant, in
    this process: a job run inside shows which date it went by"""
    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            moment = instant.replace(tzinfo=dt.timezone.utc)
            return moment.astimezone(tz) if tz else instant

    with mock.patch('trytond.ir.date.datetime') as module:
        module.datetime = Clock
        yield


def create_fiscal_years(company, first_year=None, last_year=None,
        config=None):
    """Create the company's calendar fiscal years, with monthly periods and
    invoice sequences, from first_year (the story year by default) to
    last_year (the year after the company's today by default): every date a
    scenario touches falls in an open period, the turn of the year included"""
    from trytond.modules.account.tests.tools import create_fiscalyear
    from trytond.modules.account_invoice.tests.tools import (
        set_fiscalyear_invoice_sequences)
    today = company_today(config=config)
    if first_year is None:
        first_year = story_year(today)
    if last_year is None:
        last_year = today.year + 1
    fiscal_years = []
    for year in range(first_year, last_year + 1):
        fiscal_year = set_fiscalyear_invoice_sequences(create_fiscalyear(
                company, (dt.date(year, 1, 1), dt.date(year, 12, 31)),
                config=config), config=config)
        fiscal_year.click('create_period')
        fiscal_years.append(fiscal_year)
    return fiscal_years


def create_employee(company, name, supervisor=None, config=None):
    "Create an employee of the company, optionally under a supervisor"
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    party = Party(name=name)
    party.save()
    # Employed since long before any date a scenario tells of.
    employee = Employee(party=party, company=company,
        start_date=dt.date(2000, 1, 1))
    if supervisor:
        employee.supervisor = supervisor
    employee.save()
    return employee


def get_position(code, config=None):
    "Return the standard position with the code"
    Position = Model.get('res.role', config=config)
    position, = Position.find([('code', '=', code)])
    return position


def create_user(login, employees, positions=(), config=None):
    """Create a user for the employees (the first is the current one)
    holding the positions"""
    User = Model.get('res.user', config=config)
    Employee = Model.get('company.employee', config=config)
    Position = Model.get('res.role', config=config)
    user = User(login=login, password=PASSWORD)
    user.name = employees[0].party.name if employees else login
    for employee in employees:
        user.employees.append(Employee(employee.id))
    for position in positions:
        holding = user.roles.new()
        holding.role = Position(position.id)
    user.save()
    if employees:
        # The positions gave the companies: now the current ones can be set.
        user = User(user.id)
        user.company = Model.get('company.company', config=config)(
            employees[0].company.id)
        user.employee = Employee(employees[0].id)
        user.save()
    return user


def switch_company(company, config=None):
    "Make the company the current one of the proteus user"
    User = Model.get('res.user', config=config)
    if not config:
        config = get_config()
    User._proxy.set_preferences({'company': company.id}, config.context)
    config._context = User.get_preferences(True, {})


def run_job(function, config=None):
    """Run function(pool) as the scheduler runs a job (as root, in its own
    committed transaction) and return its result"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    if not config:
        config = get_config()
    with Transaction().start(config.database_name, 0) as transaction:
        result = function(Pool(config.database_name))
        transaction.commit()
    return result


def activate_modules(modules, *setup):
    """Tryton's activate_modules (same cache names, same result), except
    that a database not cached with all its set-up starts from the longest
    cached part: the modules alone (cached by the module's ModuleTestCase),
    or the first set-up functions; Tryton's would activate the modules
    again, which costs more than all the scenario's set-up.  Each set-up
    function's result is cached in turn, for the scenarios that stop there"""
    from proteus.config import set_trytond
    from trytond.tests import tools
    from trytond.tests.test_tryton import backup_db_cache, restore_db_cache
    if isinstance(modules, str):
        modules = [modules]
    names = ['-'.join(sorted(modules))]
    for i in range(len(setup)):
        names.append(names[0] + '--' + '|'.join(
                f.__qualname__ for f in setup[:i + 1]))
    done = next((i for i in reversed(range(len(names)))
            if restore_db_cache(names[i])), None)
    if done is None:
        config = tools.activate_modules(modules)  # caches the modules alone
        done = 0
    else:
        config = set_trytond()
    for i in range(done, len(setup)):
        setup[i](config=config)
        backup_db_cache(names[i + 1])
    return config


# Set-up functions for activate_modules: the database they build is cached
# under the modules' and the functions' names, so every scenario of a module
# starts from it instead of building it again.

def setup_group(config):
    """The dealer group: 上海公司 and 广州公司 (CNY, Asia/Shanghai), the
    first the current company of the administrator"""
    shanghai, _ = create_companies(GROUP, config=config)
    switch_company(shanghai, config=config)


def setup_accounting(config):
    """After setup_group: 上海公司's chart of accounts and fiscal years (the
    account module is not dealer_base's, hence apart)"""
    from trytond.modules.account.tests.tools import create_chart
    shanghai = get_companies(config=config)[0]
    create_chart(shanghai, config=config)
    create_fiscal_years(shanghai, config=config)


def get_companies(config=None):
    "The group's companies built by setup_group, in its order"
    Company = Model.get('company.company', config=config)
    return [Company.find([('party.name', '=', name)])[0] for name in GROUP]
