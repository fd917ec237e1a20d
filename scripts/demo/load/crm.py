"""The customers, their contacts, the salespeople's visits and
opportunities, and the sale approval flow"""
import datetime as dt
from decimal import Decimal

from proteus import Model
from trytond.modules.dealer_base.tests.tools import company_today

from ..crm import CUSTOMERS, OPPORTUNITIES, SALE_BOSS_ABOVE
from ..group import COMPANIES
from ..products import EXCAVATOR
from .tools import acting_as, approval_flow, approved, switch_company


def sale_approval_flow(config):
    """Sale contracts are approved by the requester's manager, and above
    SALE_BOSS_ABOVE by the group leader, before they are quoted"""
    approval_flow(config, '销售合同审批', 'sale.sale', first='销售经理审核',
        boss_above=SALE_BOSS_ABOVE)


def create(config, companies, employees):
    """The customers with their contacts, owned or in the pool (companies:
    those of COMPANIES; employees: by login and GroupCompany); then the
    owners' visits and opportunities"""
    Party = Model.get('party.party', config=config)
    Link = Model.get('dealer.contact.link', config=config)
    Type = Model.get('dealer.customer.type', config=config)
    Settings = Model.get('dealer.customer.pool.settings', config=config)
    Employee = Model.get('company.employee', config=config)
    formal, intention = (Type.find([('name', '=', n)])[0]
        for n in ['Formal', 'Intention'])
    owned = []
    # company by company: each gets its pool settings once
    for customer in sorted(CUSTOMERS, key=lambda c: COMPANIES.index(
                c.company)):
        company = companies[COMPANIES.index(customer.company)]
        if config.context.get('company') != company.id:
            switch_company(config, company)
            Settings(company=company, max_customers=50,
                max_claims_per_day=5, reclaim_days=30).save()
        owner = Employee(employees[customer.owner, customer.company].id
            ) if customer.owner else None
        party = Party(name=customer.name, is_customer=True, company=company,
            owner=owner, customer_type=formal if owner else intention,
            is_contact=not customer.tax_id)
        party.addresses[0].city = customer.city
        party.contact_mechanisms.new(type='phone', value=customer.phone)
        if customer.tax_id:
            party.identifiers.new(code=customer.tax_id)
        party.save()
        for contact in customer.contacts:
            person = Party(name=contact.name, is_contact=True,
                company=company, owner=owner)
            person.addresses[0].city = customer.city
            person.save()
            Link(customer=party, contact=person, role=contact.role).save()
        if owner:
            owned.append((customer, party.id))
    # The salespeople log their own visits.
    for customer, party_id in owned:
        with acting_as(config, customer.owner):
            _visits(config, Party(party_id), customer.city)
            _opportunities(config, Party(party_id), customer.company.short)


def _visits(config, party, city):
    "The current (salesperson) user's visit done and call to come"
    Visit = Model.get('dealer.visit', config=config)
    today = company_today(config=config)
    # At 10:00 in Shanghai, stored as Tryton keeps instants: naive UTC.
    at_ten = dt.time(2)
    visit = Visit(customer=party, channel='visit', place=f'{city}工地',
        date=dt.datetime.combine(today - dt.timedelta(days=3), at_ten),
        summary='介绍SY215C挖掘机，客户关注油耗和按揭方案',
        next_action='发送报价单',
        next_action_date=today + dt.timedelta(days=2))
    visit.save()
    visit.click('done')
    Visit(customer=party, channel='phone',
        date=dt.datetime.combine(today + dt.timedelta(days=2), at_ten),
        next_action='电话回访报价反馈').save()


def _opportunities(config, customer, short):
    "The current (salesperson) user's opportunities with the customer"
    Opportunity = Model.get('sale.opportunity', config=config)
    Product = Model.get('product.product', config=config)
    User = Model.get('res.user', config=config)
    Location = Model.get('stock.location', config=config)
    machine, = Product.find([('code', '=', EXCAVATOR.code)])
    employee = User(config.user).employee
    today = company_today(config=config)
    for planned in OPPORTUNITIES:
        amount, stage = planned.amount, planned.stage
        opportunity = Opportunity(party=customer, amount=amount,
            conversion_probability=planned.probability, employee=employee,
            expected_close=today + dt.timedelta(
                days=30 * planned.months_to_close),
            description=f'{machine.name} × {int(amount // 440000) or 1}')
        line = opportunity.lines.new(product=machine, quantity=1)
        line.unit = machine.default_uom
        if stage != 'lead':
            opportunity.competitors.new(competitor='卡特彼勒代理商',
                offer='CAT 320GC', offer_amount=amount * Decimal('1.03'))
        opportunity.save()
        if stage == 'lead':
            continue
        opportunity.click('opportunity')
        if stage == 'lost':
            opportunity.lost_reason = '竞争对手价格更低'
            opportunity.click('lost')
        elif stage in {'converted', 'won'}:
            sale, = opportunity.click('convert')
            sale.warehouse, = Location.find([('code', '=', f'WH-{short}')])
            for sale_line in sale.lines:
                sale_line.unit_price = amount
            sale.save()
            if stage == 'won':
                sale = approved(config, sale)
                sale.click('quote')
                sale.click('confirm')
