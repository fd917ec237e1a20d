"""The group's companies: each with its chart of accounts, fiscal years,
warehouse and its own document numbering"""
import datetime as dt
from decimal import Decimal

from proteus import Model
from trytond.modules.account.tests.tools import create_chart, get_accounts
from trytond.modules.dealer_base.tests.tools import (
    company_today, create_companies, create_fiscal_years)

from ..group import (
    COMPANIES, NUMBERING, OWN_NUMBERING, SHANGHAI, TIMEZONE)
from .tools import log, switch_company


def currency(config):
    "The yuan, created with its rate when the database has none"
    Currency = Model.get('currency.currency', config=config)
    Rate = Model.get('currency.currency.rate', config=config)
    currency, = Currency.find([('code', '=', 'CNY')]) or [None]
    if not currency:
        currency = Currency(name='人民币', code='CNY', symbol='¥',
            numeric_code='156', rounding=Decimal('0.01'), digits=2)
        currency.save()
        Rate(date=dt.date(2000, 1, 1), rate=Decimal(1),
            currency=currency).save()
    return currency


def companies(config, currency):
    "The companies of COMPANIES, in that order"
    return create_companies([c.name for c in COMPANIES], currency=currency,
        timezone=TIMEZONE, codes=[f'CO-{c.short}' for c in COMPANIES],
        config=config)


def accounting(config, company, short):
    """The company's chart and fiscal years, its invoices numbered per year
    (AR-SH-2026-00001); return its accounts"""
    switch_company(config, company)
    create_chart(company, config=config)
    # The demo goes back up to a year (contracts signed months ago) and
    # forward into the next (leases and opportunities to come).
    for fiscal_year in create_fiscal_years(company,
            company_today(config=config).year - 1, config=config):
        _invoice_numbering(config, fiscal_year, short)
    accounts = get_accounts(company, config=config)
    Account = Model.get('account.account', config=config)
    for kind in ('receivable', 'payable'):
        account = Account(accounts[kind].id)
        account.party_required = True
        account.save()
    return accounts


def next_fiscal_years(config):
    """Open the next fiscal year of each demo company once its today is
    within a month of the end of its last one, so that a demo database
    keeps accepting invoices and payments after the year turns"""
    Company = Model.get('company.company', config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    for member in COMPANIES:
        company, = Company.find([('party.name', '=', member.name)])
        switch_company(config, company)
        today = company_today(config=config)
        last, = FiscalYear.find([('company', '=', company.id)],
            order=[('end_date', 'DESC')], limit=1)
        if (last.end_date - today).days <= 31:
            log(f'opening the fiscal year {last.end_date.year + 1} '
                f'of {member.name}')
            # The test tools find the sequence types by their English name.
            with config.set_context(language='en'):
                fiscal_years = create_fiscal_years(company,
                    last.end_date.year + 1,
                    max(last.end_date.year + 1, today.year), config=config)
            for fiscal_year in fiscal_years:
                _invoice_numbering(config, fiscal_year, member.short)


# Invoices by kind: customer invoices (应收), supplier invoices (应付) and
# their credit notes, each kind its own prefix.
INVOICE_NUMBERING = [
    ('out_invoice_sequence', 'AR'),
    ('in_invoice_sequence', 'AP'),
    ('out_credit_note_sequence', 'ARC'),
    ('in_credit_note_sequence', 'APC'),
    ]


def _invoice_numbering(config, fiscal_year, short):
    """The fiscal year's invoices numbered by kind, company and year, in
    sequences of the type of the shared one the test tools give"""
    Sequence = Model.get('ir.sequence.strict', config=config)
    numbering, = fiscal_year.invoice_sequences
    year = fiscal_year.start_date.year
    for field, code in INVOICE_NUMBERING:
        sequence = Sequence(name=f'{code}-{short}-{year}',
            company=fiscal_year.company,
            sequence_type=getattr(numbering, field).sequence_type,
            prefix=f'{code}-{short}-{year}-', padding=5)
        sequence.save()
        setattr(numbering, field, sequence)
    fiscal_year.save()


def warehouse(config, company, member):
    "The company's warehouse: its zones and lease location are its own"
    Location = Model.get('stock.location', config=config)
    short, city = member.short, member.city
    if member == SHANGHAI:
        # the warehouse the stock module made
        warehouse, = Location.find([('code', '=', 'WH')])
        warehouse.name = f'{city}总仓'
        warehouse.code = f'WH-{short}'
        warehouse.company = company
        warehouse.save()
        return warehouse
    locations = {}
    for kind, label in [('input', '收货区'), ('output', '发货区'),
            ('storage', '库区')]:
        loc = Location(name=f'{city}{label}', type='storage',
            code=f'{short}-{kind[:3].upper()}')
        loc.save()
        locations[kind] = loc
    rental = Location(name=f'{city}租赁在外', type='rental',
        code=f'RENT-{short}', company=company)
    rental.save()
    warehouse = Location(name=f'{city}总仓', type='warehouse',
        code=f'WH-{short}', company=company, rental_location=rental,
        input_location=locations['input'],
        output_location=locations['output'],
        storage_location=locations['storage'])
    warehouse.save()
    for loc in locations.values():
        loc.parent = warehouse
        loc.save()
    return warehouse


def numbering(config, company, short):
    """The company's own sequences of Tryton's documents (the current
    company of config), of the types of the shared ones: SO-SH-2026-00001"""
    for model, field, code in NUMBERING:
        configuration = Model.get(model, config=config)(1)
        setattr(configuration, field, _sequence(config, company, short, code,
                getattr(configuration, field)))
        configuration.save()


def own_numbering(config, settings, short):
    """The company's own sequences of our documents on its settings (saved
    by the caller), of the types of the group's defaults: PP-SH-2026-00001"""
    Sequence = Model.get('ir.sequence', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    for model, field, code, default in OWN_NUMBERING:
        if model == settings.__class__.__name__:
            setattr(settings, field, _sequence(config, settings.company,
                    short, code, Sequence(ModelData.get_id(default, {}))))


def _sequence(config, company, short, code, shared):
    "The company's sequence of the type of shared, prefixed by code"
    Sequence = Model.get('ir.sequence', config=config)
    sequence = Sequence(name=f'{code}-{short}', company=company,
        sequence_type=shared.sequence_type,
        prefix=f'{code}-{short}-${{year}}-', padding=5)
    sequence.save()
    return sequence