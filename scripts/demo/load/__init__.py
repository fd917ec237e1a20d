"""The demo created in a database, area by area (the records are those of
scripts/demo/).

Loaded once, into a database made with every dealer module: a database that
already holds the demo is left as it is (but for its next fiscal year); one
made before a module's demo existed is deleted and built again.
"""
from proteus import Model
from proteus import config as pconfig
from trytond import config as tconfig
from trytond.modules.dealer_base.tests.tools import company_today, run_job

from ..group import COMPANIES, SHANGHAI
from ..expense import CLAIMS
from . import (
    crm, expense, finance, group, leasing, parts, products, staff)
from .tools import log, switch_company


def load(database, config_file=None):
    if config_file:
        tconfig.update_etc(config_file)
    base = tconfig.get('database', 'uri').rstrip('/')
    config = pconfig.set_trytond(
        f'{base}/{database}', config_file=config_file)
    config.skip_warning = True
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    Lang = Model.get('ir.lang', config=config)
    if Company.find([('party.name', '=', SHANGHAI.name)]):
        if not _complete(config):
            raise SystemExit(
                f'[dealer] the demo data of database "{database}" is '
                'incomplete (an earlier load was interrupted). Nothing was '
                'changed; delete that database to load the demo again.')
        group.next_fiscal_years(config)
        log('demo data already loaded')
        return config
    log('loading demo data (a dealer group of %d companies)'
        % len(COMPANIES))
    currency = group.currency(config)
    companies = group.companies(config, currency)
    switch_company(config, companies[0])
    # The companies' today (Asia/Shanghai), never the machine's date.
    today = company_today(config=config)
    by_code = None
    for company, member in zip(companies, COMPANIES):
        accounts = group.accounting(config, company, member.short)
        if by_code is None:
            by_code = products.create(
                config, accounts['revenue'], accounts['expense'])
        else:
            products.company_prices(config, by_code)
        warehouse = group.warehouse(config, company, member)
        group.numbering(config, company, member.short)
        products.stock(config, company, warehouse, member.short, by_code,
            today)
    switch_company(config, companies[0])
    employees = staff.create(config, companies)
    crm.sale_approval_flow(config)
    crm.create(config, companies, employees)
    finance.create(config, companies)
    leasing.create(config, companies)
    parts.create(config, companies)
    expense.create(config, companies, employees)
    switch_company(config, companies[0])
    admin = User(config.user)
    admin.language, = Lang.find([('code', '=', 'zh_CN')])
    admin.save()
    log('demo data loaded')
    return config


def _complete(config):
    """Whether the last record of the demo is there: the last expense
    claim, in its state"""
    last = CLAIMS[-1]
    return run_job(lambda pool: pool.get(
            'dealer.expense.claim').search_count([
                    ('description', '=', last.description),
                    ('state', '=', last.state),
                    ]) == 1, config=config)
