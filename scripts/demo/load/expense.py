"""The expense side: each company's categories and settings, the cities,
the sales department, and the claims of CLAIMS taken as far as their state
by the logins whose work it is"""
import datetime as dt

from proteus import Model
from trytond.modules.dealer_base.tests.tools import company_today

from ..expense import (
    ADVANCES, ADVANCES_ACCOUNT, BUDGET_POLICY, BUDGETS, CATEGORIES, CITIES,
    CLAIMS, DEPARTMENT, EXTRA_STEPS, PNG, RECEIPT_THRESHOLD, STANDARD_POLICY,
    STANDARDS)
from ..group import COMPANIES
from ..staff import USERS
from .group import own_numbering
from .tools import acting_as, switch_company

PAYMENT_PURPOSE = {
    'dealer.expense.claim': '报销款',
    'dealer.expense.advance': '员工借款',
    }


def create(config, companies, employees):
    """The expense part of the demo (companies: those of COMPANIES,
    employees: by (login, GroupCompany))"""
    City = Model.get('dealer.expense.city', config=config)
    for name, tier in CITIES:
        City(name=name, tier=tier).save()
    records = dict(zip(COMPANIES, companies))
    for company, member in zip(companies, COMPANIES):
        switch_company(config, company)
        _settings(config, company, member)
        _categories(config, company)
    switch_company(config, companies[0])
    _extra_steps(config)
    department = _department(config, companies[0], employees)
    today = company_today(config=config)
    _standards(config, companies[0])
    _budgets(config, companies[0], department, today)
    for advance in ADVANCES:
        switch_company(config, records[advance.company])
        _advance(config, advance, today)
    for claim in CLAIMS:
        switch_company(config, records[claim.company])
        _claim(config, claim, today)
    switch_company(config, companies[0])


def _settings(config, company, member):
    Settings = Model.get('dealer.expense.settings', config=config)
    Account = Model.get('account.account', config=config)
    advances, = Account.find([
            ('company', '=', company.id), ('code', '=', ADVANCES_ACCOUNT)])
    settings = Settings(company=company,
        receipt_threshold=RECEIPT_THRESHOLD, budget_policy=BUDGET_POLICY,
        standard_policy=STANDARD_POLICY, advance_account=advances)
    own_numbering(config, settings, member.short)
    settings.save()


def _categories(config, company):
    Category = Model.get('dealer.expense.category', config=config)
    Account = Model.get('account.account', config=config)
    expense, = Account.find([
            ('company', '=', company.id), ('type.expense', '=', True),
            ('closed', '!=', True)], limit=1)
    for name, code, business, basis in CATEGORIES:
        Category(company=company, name=name, code=code, business=business,
            basis=basis, account=expense).save()


def _department(config, company, employees):
    Department = Model.get('dealer.department', config=config)
    Employee = Model.get('company.employee', config=config)
    name, logins = DEPARTMENT
    member = next(u.company for u in USERS if u.login == logins[0])
    department = Department(name=name)
    department.companies.append(company)
    department.members.extend(
        Employee(employees[l, member].id) for l in logins)
    department.manager = Employee(employees[logins[0], member].id)
    department.save()
    return department


def _extra_steps(config):
    "The group leader's steps of the group's claim route, when over"
    Flow = Model.get('dealer.approval.flow', config=config)
    Position = Model.get('res.role', config=config)
    boss, = Position.find([('code', '=', 'BOSS')])
    flow, = Flow.find([('document_model', '=', 'dealer.expense.claim')])
    for name, condition, sequence in EXTRA_STEPS:
        flow.steps.new(name=name, approver_type='position', position=boss,
            condition=condition, sequence=sequence)
    flow.save()


def _standards(config, company):
    "The company's standards for every position"
    Standard = Model.get('dealer.expense.standard', config=config)
    Category = Model.get('dealer.expense.category', config=config)
    for code, tier, amount, travel_class in STANDARDS:
        Standard(company=company,
            category=Category.find([('code', '=', code)])[0],
            city_tier=tier, amount=amount, travel_class=travel_class).save()


def _budgets(config, company, department, today):
    """Finance gives the department its budgets for the quarter from the
    month 30 days ago"""
    start = (today - dt.timedelta(days=30)).replace(day=1)
    with acting_as(config, 'finance'):
        Budget = Model.get('dealer.expense.budget', config=config)
        Category = Model.get('dealer.expense.category', config=config)
        Department = Model.get('dealer.department', config=config)
        Company = Model.get('company.company', config=config)
        for code, amount in BUDGETS:
            Budget(company=Company(company.id),
                department=Department(department.id),
                category=Category.find([('code', '=', code)])[0],
                period='quarter', start_date=start, amount=amount).save()


def _claim(config, claim, today):
    with acting_as(config, claim.login):
        Claim = Model.get('dealer.expense.claim', config=config)
        Category = Model.get('dealer.expense.category', config=config)
        City = Model.get('dealer.expense.city', config=config)
        Party = Model.get('party.party', config=config)
        Attachment = Model.get('ir.attachment', config=config)
        record = Claim(description=claim.description)
        for line in claim.lines:
            new = record.lines.new(
                date=today - dt.timedelta(days=line.days_ago),
                category=Category.find([('code', '=', line.category)])[0],
                amount=line.amount, description=line.description)
            if line.city:
                new.city, = City.find([('name', '=', line.city)])
            if line.customer:
                new.customer, = Party.find([('name', '=', line.customer)])
            if line.invoice_number:
                new.invoice_number = line.invoice_number
            new.quantity = line.quantity
            if line.reason:
                new.over_standard_reason = line.reason
        record.save()
        for line, saved in zip(claim.lines, record.lines):
            if line.invoice_number:
                Attachment(resource=saved,
                    name=f'发票{line.invoice_number}.png',
                    data=PNG + line.invoice_number.encode()).save()
        if claim.state == 'cancelled':
            record.click('cancel')
            return
        if claim.state == 'draft':
            return
        record.click('approval_submit')
        claim_id = record.id
    if claim.state == 'waiting':
        return
    if _decide(config, 'dealer.expense.claim', claim_id,
            reason=claim.reason) and claim.state == 'paid':
        _pay(config, 'dealer.expense.claim', claim_id)


def _advance(config, advance, today):
    "The employee's advance, approved and paid: open until his claims"
    with acting_as(config, advance.login):
        Advance = Model.get('dealer.expense.advance', config=config)
        record = Advance(description=advance.description,
            amount=advance.amount,
            expected_date=today + dt.timedelta(days=advance.expected_in))
        record.click('approval_submit')
        advance_id = record.id
    _decide(config, 'dealer.expense.advance', advance_id)
    _pay(config, 'dealer.expense.advance', advance_id)


def _decide(config, model, record_id, reason=None):
    """Each step's first approver approves, or rejects with the reason;
    return whether the document is approved"""
    while True:
        # Read as root: the documents are their employees' and approvers'.
        with acting_as(config, 0):
            record = Model.get(model, config=config)(record_id)
            approvers = [u.id for u in record.approval_approvers]
            request_id = record.approval_request.id
        if not approvers:
            return True
        with acting_as(config, approvers[0]):
            Request = Model.get('dealer.approval.request', config=config)
            if reason:
                Request.decide([request_id], 'reject', reason,
                    config.context)
                return False
            Request.decide([request_id], 'approve', None, config.context)


def _pay(config, model, record_id):
    """Finance asks for the payment of the employee's payable, another
    finance clerk approves, finance pays"""
    with acting_as(config, 0):
        record = Model.get(model, config=config)(record_id)
        payable_id = record.invoice.id
        description = f'{PAYMENT_PURPOSE[model]} {record.number}'
    with acting_as(config, 'finance'):
        Request = Model.get('dealer.payment.request', config=config)
        Invoice = Model.get('account.invoice', config=config)
        invoice = Invoice(payable_id)
        request = Request(supplier=invoice.party, description=description)
        request.lines.new(invoice=invoice)
        request.click('approval_submit')
        request_id = request.id
    while True:
        with acting_as(config, 0):
            Request = Model.get('dealer.payment.request', config=config)
            approvers = [u.id for u in Request(request_id).approval_approvers]
        if not approvers:
            break
        with acting_as(config, approvers[0]):
            Request = Model.get('dealer.payment.request', config=config)
            Request(request_id).click('approval_approve')
    with acting_as(config, 'finance'):
        Request = Model.get('dealer.payment.request', config=config)
        Request(request_id).click('pay')
