"""The receivables side: settings and approval flows, the sale contracts
of CONTRACTS on payment plans, the nightly jobs, collection, a credit limit
and a payment request"""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from trytond.modules.account.tests.tools import get_accounts
from trytond.modules.dealer_base.tests.tools import run_job
from trytond.modules.dealer_finance.plan import add_months

from ..finance import (
    CONTRACTS, CREDIT_LIMIT, CREDIT_LIMIT_CUSTOMER, GRACE_DAYS,
    OVERDUE_CONTRACT, PAYMENT_REQUEST_BOSS_ABOVE, PENALTY_RATE,
    REMINDER_DAYS, SUPPLIER, WAIVER_BOSS_ABOVE)
from ..group import COMPANIES
from ..products import EXCAVATOR
from ..staff import USERS
from .group import own_numbering
from .tools import acting_as, approval_flow, approved, switch_company


def create(config, companies):
    "The finance part of the demo (companies: those of COMPANIES)"
    Date = Model.get('ir.date', config=config)
    switch_company(config, companies[0])
    # The companies' today (Asia/Shanghai), which the jobs go by.
    today = Date.today(config.context)
    _settings(config, companies)
    _approval_flows(config)
    plans = {c: _contract(config, c, today) for c in CONTRACTS}
    switch_company(config, companies[0])
    yesterday = today - dt.timedelta(days=1)
    # The nightly jobs, as the scheduler runs them (as root).
    run_job(lambda pool: pool.get('dealer.penalty.accrual').accrue_all(
            yesterday), config=config)
    _collection(config, plans[OVERDUE_CONTRACT], today)
    run_job(lambda pool: pool.get(
            'dealer.collection.action').flag_broken_promises(today),
        config=config)
    run_job(lambda pool: pool.get('dealer.payment.plan').send_reminders(
            today), config=config)
    _credit_limit(config, companies[0])
    _payment_request(config, today)


def _settings(config, companies):
    """Penalty terms, penalty account and journal, and the cash payment
    method of the payment requests, per company"""
    Journal = Model.get('account.journal', config=config)
    Method = Model.get('account.invoice.payment.method', config=config)
    Settings = Model.get('dealer.finance.settings', config=config)
    misc, = Journal.find([('code', '=', 'MISC')])
    cash, = Journal.find([('code', '=', 'CASH')])
    for company, member in zip(companies, COMPANIES):
        switch_company(config, company)
        accounts = get_accounts(company, config=config)
        method = Method(name='现金付款', company=company, journal=cash,
            credit_account=accounts['cash'], debit_account=accounts['cash'])
        method.save()
        settings = Settings(company=company, penalty_rate=PENALTY_RATE,
            grace_days=GRACE_DAYS, reminder_days=REMINDER_DAYS,
            penalty_account=accounts['revenue'], penalty_journal=misc,
            payment_method=method)
        own_numbering(config, settings, member.short)
        settings.save()


def _approval_flows(config):
    "Who approves penalty waivers and payment requests, in every company"
    approval_flow(config, '罚息减免审批', 'dealer.penalty.waiver',
        first='催收主管审核', boss_above=WAIVER_BOSS_ABOVE)
    approval_flow(config, '付款申请审批', 'dealer.payment.request',
        first='财务审核', first_position='FINANCE',
        boss_above=PAYMENT_REQUEST_BOSS_ABOVE)


def _contract(config, contract, today):
    """The salesperson's sale contract, then finance's payment plan and the
    receipts; return the plan's id"""
    short = contract.company.short
    signed = today + dt.timedelta(days=contract.signed)
    with acting_as(config, contract.salesperson):
        Party = Model.get('party.party', config=config)
        Sale = Model.get('sale.sale', config=config)
        Product = Model.get('product.product', config=config)
        Location = Model.get('stock.location', config=config)
        User = Model.get('res.user', config=config)
        customer, = Party.find([('name', '=', contract.customer)])
        product, = Product.find([('code', '=', contract.product.code)])
        sale = Sale(party=customer, sale_date=signed,
            description=f'{product.name} 购销合同（分期付款）')
        sale.warehouse, = Location.find([('code', '=', f'WH-{short}')])
        line = sale.lines.new(product=product, quantity=1)
        line.unit_price = contract.product.list_price
        sale.save()
        sale = approved(config, sale)
        sale.click('quote')
        sale.click('confirm')
        sale_id = sale.id
        owner_id = User(config.user).employee.id
    finance = next(u.login for u in USERS
        if u.role == 'finance' and u.company == contract.company)
    with acting_as(config, finance):
        Plan = Model.get('dealer.payment.plan', config=config)
        Sale = Model.get('sale.sale', config=config)
        Employee = Model.get('company.employee', config=config)
        Receipt = Model.get('dealer.payment.receipt', config=config)
        sale = Sale(sale_id)
        plan = Plan(customer=sale.party, owner=Employee(owner_id))
        plan.origin = sale
        plan.total_amount = sale.total_amount
        plan.save()
        day = today + dt.timedelta(days=contract.due_on)
        generate = Wizard('dealer.payment.plan.generate', [plan],
            config=config)
        generate.form.down_payment = Decimal(contract.down_payment)
        generate.form.down_payment_date = signed
        generate.form.months = contract.months
        generate.form.first_due_date = add_months(
            day, -(contract.due_instalment - 1), day.day)
        generate.form.day_of_month = day.day
        generate.execute('generate')
        plan.reload()
        plan.click('run')
        lines = list(plan.lines)
        for n, payment in enumerate(contract.payments):
            if payment.days_after_due is not None:
                day = (lines[payment.instalment].due_date
                    + dt.timedelta(days=payment.days_after_due))
            else:
                day = today + dt.timedelta(days=payment.day)
            if payment.amount is not None:
                amount = payment.amount
            else:
                amount = lines[payment.instalment].amount
            receipt = Receipt(plan=plan, date=day, amount=amount,
                reference=f'银行转账 {short}{day:%Y%m%d}{n + 1:02d}')
            receipt.click('post')
        return plan.id


def _collection(config, plan_id, today):
    """The collector chases the customer behind on payments: a promise
    already broken, a new one pending; and asks to waive half the penalty
    of the oldest overdue instalment"""
    with acting_as(config, 'collector'):
        Plan = Model.get('dealer.payment.plan', config=config)
        Action = Model.get('dealer.collection.action', config=config)
        Waiver = Model.get('dealer.penalty.waiver', config=config)
        plan = Plan(plan_id)
        overdue = [l for l in plan.lines
            if l.unpaid_amount and l.due_date < today]
        oldest = overdue[0]
        day = today - dt.timedelta(days=20)
        Action(customer=plan.customer, plan=plan, date=day, method='call',
            result='客户称工程款未到位，答应十天内付清第%d期' % oldest.sequence,
            promised_date=day + dt.timedelta(days=10),
            promised_amount=oldest.unpaid_amount,
            next_action='到期未付则上门催收',
            next_action_date=day + dt.timedelta(days=11)).save()
        day = today - dt.timedelta(days=8)
        Action(customer=plan.customer, plan=plan, date=day, method='sms',
            result='发送逾期提醒短信，客户未回复').save()
        day = today - dt.timedelta(days=2)
        Action(customer=plan.customer, plan=plan, date=day, method='visit',
            result='上门拜访财务经理，确认欠款金额，承诺下周付清逾期款项',
            promised_date=today + dt.timedelta(days=5),
            promised_amount=sum(l.unpaid_amount for l in overdue),
            next_action='电话确认付款进度',
            next_action_date=today + dt.timedelta(days=4)).save()
        waiver = Waiver(instalment=oldest, kind='percentage',
            percentage=Decimal(50),
            reason='客户长期合作、承诺下周付清逾期款项，申请减免该期罚息的50%')
        waiver.save()
        waiver.click('approval_submit')


def _credit_limit(config, company):
    """A credit limit on a customer (set by the administrator: the field
    is writable by account_credit_limit's group only)"""
    switch_company(config, company)
    Party = Model.get('party.party', config=config)
    customer, = Party.find([('name', '=', CREDIT_LIMIT_CUSTOMER)])
    customer.credit_limit_amount = CREDIT_LIMIT
    customer.save()


def _payment_request(config, today):
    """The supplier's invoice for machines, posted by finance; the
    purchaser asks for a first payment on it, waiting for approval"""
    Party = Model.get('party.party', config=config)
    supplier = Party(name=SUPPLIER, company=None, owner=None)
    supplier.addresses[0].city = '长沙'
    supplier.save()
    invoice_date = today - dt.timedelta(days=5)
    with acting_as(config, 'finance'):
        Invoice = Model.get('account.invoice', config=config)
        Product = Model.get('product.product', config=config)
        product, = Product.find([('code', '=', EXCAVATOR.code)])
        invoice = Invoice(type='in', party=Party(supplier.id),
            invoice_date=invoice_date, reference='SANY-FP-%s' % (
                invoice_date.strftime('%Y%m%d')))
        line = invoice.lines.new(product=product, quantity=2)
        line.unit_price = EXCAVATOR.cost_price
        invoice.click('post')
        invoice_id = invoice.id
    with acting_as(config, 'purchaser'):
        Request = Model.get('dealer.payment.request', config=config)
        Invoice = Model.get('account.invoice', config=config)
        request = Request(supplier=Party(supplier.id),
            description='支付SY215C挖掘机（2台）采购款首期')
        line = request.lines.new(invoice=Invoice(invoice_id))
        line.amount = Decimal('500000')
        request.save()
        request.click('approval_submit')
