"""The machines side: rentable machines, leasing settings, the group
leader controlling deliveries, the leases of LEASES and the machine of
FINANCED bought back"""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from trytond.modules.account.tests.tools import get_accounts

from ..group import COMPANIES
from ..leasing import ENDED_LEASE, FINANCED, LEASES, RENTS, TURNAROUND_DAYS
from .group import own_numbering
from .tools import acting_as, approval_flow, switch_company


def create(config, companies):
    """Rentable machines, the companies' leasing settings, the group
    leader controlling deliveries, the leases of LEASES (the ended one
    converted into a sale) and the machine of FINANCED bought back
    (companies: those of COMPANIES)"""
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Settings = Model.get('dealer.leasing.settings', config=config)
    User = Model.get('res.user', config=config)
    Position = Model.get('res.role', config=config)
    Date = Model.get('ir.date', config=config)
    Category = Model.get('product.category', config=config)
    switch_company(config, companies[0])
    today = Date.today(config.context)
    day, = Uom.find([('name', '=', 'Day')])
    for machine, rent in RENTS.items():
        template, = Template.find([('code', '=', machine.code)])
        template.rentable = True
        template.rental_per_day = True
        template.rental_unit = day
        price = template.rental_prices.new()
        price.duration = dt.timedelta(days=1)
        price.price = rent
        template.save()
    for company, member in zip(companies, COMPANIES):
        switch_company(config, company)
        settings = Settings(company=company, turnaround_days=TURNAROUND_DAYS)
        own_numbering(config, settings, member.short)
        settings.save()
        # Rents are booked on the company's revenue account.
        category, = Category.find([('code', '=', 'MACHINE')])
        category.account_rental = get_accounts(
            company, config=config)['revenue']
        category.save()
    # The group leader is the risk controller who releases machines.
    boss, = User.find([('login', '=', 'boss')])
    holding = boss.roles.new()
    holding.role, = Position.find([('code', '=', 'RISK')])
    boss.save()
    switch_company(config, companies[0])
    leases = {lease: _lease(config, lease, today) for lease in LEASES}
    # The customer back from the month's job buys the loader.
    with acting_as(config, ENDED_LEASE.salesperson):
        Rental = Model.get('sale.rental', config=config)
        convert = Wizard('dealer.lease.conversion',
            [Rental(leases[ENDED_LEASE])], config=config)
        convert.execute('convert')
    _bought_back(config, companies[0], today)


def _bought_back(config, company, today):
    """The machine of FINANCED: the customer stopped paying, the bank was
    paid back and the machine repossessed"""
    Settings = Model.get('dealer.leasing.settings', config=config)
    Party = Model.get('party.party', config=config)
    Lot = Model.get('stock.lot', config=config)
    settings, = Settings.find([('company', '=', company.id)])
    settings.buyback_account = get_accounts(company, config=config)[
        'expense']
    settings.save()
    approval_flow(config, '回购审批', 'dealer.buyback')
    Party(name=FINANCED.bank).save()
    machine, = Lot.find([('number', '=', FINANCED.machine)])
    signed = today + dt.timedelta(days=FINANCED.signed)
    _ship_machine(config, machine.id, FINANCED.customer, FINANCED.price,
        signed)
    with acting_as(config, FINANCED.salesperson):
        Contract = Model.get('dealer.finance.contract', config=config)
        Party = Model.get('party.party', config=config)
        Lot = Model.get('stock.lot', config=config)
        customer, = Party.find([('name', '=', FINANCED.customer)])
        bank, = Party.find([('name', '=', FINANCED.bank)])
        contract = Contract(customer=customer, machine=Lot(machine.id),
            institution=bank, price=FINANCED.price,
            down_payment=FINANCED.down_payment, term_months=FINANCED.months,
            annual_rate=FINANCED.annual_rate, start_date=signed,
            first_due_date=signed + dt.timedelta(days=30),
            guarantee='buyback')
        contract.click('confirm')
        contract_id = contract.id
    with acting_as(config, 'finance'):
        Contract = Model.get('dealer.finance.contract', config=config)
        Buyback = Model.get('dealer.buyback', config=config)
        contract = Contract(contract_id)
        contract.click('declare_default')
        buyback = Buyback(contract=contract, date=today - dt.timedelta(
                days=3), amount=FINANCED.owed,
            reason='客户连续三期未还款，银行要求回购')
        buyback.save()
        buyback.click('approval_submit')
        buyback_id = buyback.id
    with acting_as(config, 'boss'):
        Buyback = Model.get('dealer.buyback', config=config)
        Buyback(buyback_id).click('approval_approve')
        request_id = Buyback(buyback_id).payment_request.id
    # The payment request, asked by the finance clerk who registered the
    # buyback: the cashier, then the group leader (above 100,000).
    for login in ['cashier', 'boss']:
        with acting_as(config, login):
            Request = Model.get('dealer.payment.request', config=config)
            request = Request(request_id)
            if request.approval_state == 'waiting':
                request.click('approval_approve')
    with acting_as(config, 'cashier'):
        Request = Model.get('dealer.payment.request', config=config)
        Request(request_id).click('pay')


def _ship_machine(config, machine_id, customer_name, price, day):
    """The warehouse ships the machine to the customer on the day, once
    risk control (the group leader) released it"""
    with acting_as(config, 'warehouse'):
        Shipment = Model.get('stock.shipment.out', config=config)
        Party = Model.get('party.party', config=config)
        Lot = Model.get('stock.lot', config=config)
        Location = Model.get('stock.location', config=config)
        machine = Lot(machine_id)
        customer, = Party.find([('name', '=', customer_name)])
        customer_location, = Location.find([('code', '=', 'CUS')])
        warehouse = machine.warehouse
        shipment = Shipment(customer=customer, warehouse=warehouse,
            planned_date=day)
        shipment.outgoing_moves.new(product=machine.product,
            lot=machine, quantity=1, unit=machine.product.default_uom,
            from_location=warehouse.output_location,
            to_location=customer_location, unit_price=price,
            currency=machine.company.currency)
        shipment.save()
        shipment.click('wait')
        for move in shipment.inventory_moves:
            move.lot = machine
        shipment.save()
        shipment.click('assign_try')
        shipment.click('pick')
        shipment.click('pack')
        shipment.click('request_delivery_release')
        shipment_id = shipment.id
    _release(config, f'stock.shipment.out,{shipment_id}')
    with acting_as(config, 'warehouse'):
        Shipment = Model.get('stock.shipment.out', config=config)
        shipment = Shipment(shipment_id)
        shipment.effective_date = day
        shipment.save()
        shipment.click('do')


def _release(config, origin):
    "Risk control (the group leader) releases the machines of the origin"
    with acting_as(config, 'boss'):
        Release = Model.get('dealer.delivery.release', config=config)
        release, = Release.find([('origin', '=', origin)])
        release.click('approval_approve')


def _lease(config, lease, today):
    """The salesperson's lease, released by risk control, picked up and
    returned by the warehouse; return its id"""
    with acting_as(config, lease.salesperson):
        Party = Model.get('party.party', config=config)
        Rental = Model.get('sale.rental', config=config)
        Lot = Model.get('stock.lot', config=config)
        customer, = Party.find([('name', '=', lease.customer)])
        machine, = Lot.find([('number', '=', lease.machine)])
        rental = Rental(party=customer, deposit=lease.deposit,
            description=f'{machine.product.name} 租赁（{lease.machine}）')
        rental.warehouse = machine.warehouse
        line = rental.lines.new(product=machine.product)
        line.machine = machine
        line.planned_start_day = today + dt.timedelta(days=lease.start)
        line.planned_end_day = today + dt.timedelta(days=lease.end)
        rental.late_fee_per_day = (line.unit_price * Decimal('1.5')
            ).quantize(Decimal('0.01'))
        rental.save()
        rental.click('quote')
        rental.click('confirm')
        if lease.hour_meter_out is None:
            return rental.id
        rental.click('request_delivery_release')
        rental_id = rental.id
    _release(config, f'sale.rental,{rental_id}')
    config.skip_warning = True
    Rental = Model.get('sale.rental', config=config)
    rental = Rental(rental_id)
    pickup = Wizard('sale.rental.pickup', [rental], config=config)
    pickup.form.start = dt.datetime.combine(
        today + dt.timedelta(days=lease.start), dt.time(1))
    for show_line in pickup.form.lines:
        show_line.quantity_picked = 1
        show_line.hour_meter = lease.hour_meter_out
    pickup.execute('pickup')
    if lease.returned_on is not None:
        return_ = Wizard('sale.rental.return', [rental], config=config)
        return_.form.end = dt.datetime.combine(
            today + dt.timedelta(days=lease.returned_on), dt.time(9))
        for show_line in return_.form.lines:
            show_line.quantity_returned = 1
            show_line.hour_meter = lease.hour_meter_in
        return_.execute('return_')
    return rental_id
