# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Lease to purchase (R-LEA-01): a long lease may convert into a sale of
the machine.  The payoff quote is the machine's price less a credit on the
rents paid:

* rents paid = the untaxed amounts of the lease's invoice lines (those whose
  origin is a line of the lease) on customer invoices that are paid, plus
  what the customer paid on the payment plans of the lease (a plan collects
  the rent directly, so its receipts count as rent too);
* credit = min(rent_credit_rate % x rents paid, rent_credit_cap % x price),
  both rates from the company's leasing settings;
* payoff = price - credit.

The quote is shown on the lease (``payoff_quote``) and as the first form of
the "Convert to Sale" wizard, where the price may still be negotiated.
Converting creates a draft sale for the same customer and company: one line
for the machine at the price (the serial in its description) and a "Rent
credit" line at minus the credit.

Stock: the conversion does not move anything by itself.  The flow kept is
the simplest correct one: when the machine is still out on lease, the lease
is returned in the books (the return wizard: the machine comes back from
the rental location, the booking of the lease ends) on the day of the sale,
then the confirmed sale ships the machine (its serial) from the warehouse
to the customer.  The machine physically stays on the customer's site; the
two moves of the same day record the change of ownership."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ConversionError


class Rental(metaclass=PoolMeta):
    __name__ = 'sale.rental'
    converted_sale = fields.Many2One('sale.sale', "Converted into Sale",
        readonly=True, ondelete='RESTRICT',
        help="The sale of the machine this lease was converted into.")
    rents_paid = fields.Function(Monetary("Rents Paid",
            currency='currency', digits='currency'), 'get_payoff')
    rent_credit = fields.Function(Monetary("Rent Credit",
            currency='currency', digits='currency'), 'get_payoff')
    payoff_quote = fields.Function(Monetary("Payoff Quote",
            currency='currency', digits='currency',
            help="The price of the leased machine less the credit on the "
            "rents paid, would the customer buy it now."), 'get_payoff')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'convert_to_sale': {
                    'invisible': (~Eval('state').in_(['picked up', 'done'])
                        | Eval('converted_sale')),
                    'icon': 'tryton-sale',
                    'depends': ['state', 'converted_sale'],
                    },
                })

    @classmethod
    def copy(cls, rentals, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('converted_sale')
        return super().copy(rentals, default=default)

    @property
    def conversion_line(self):
        "The line of the machine to sell"
        for line in self.lines:
            if getattr(line, 'machine', None):
                return line

    def get_machine_price(self):
        line = self.conversion_line
        if line:
            product = line.product
            price = getattr(product, 'list_price_used', None)
            if price is None:
                price = product.list_price
            return self.currency.round(price or Decimal(0))
        return Decimal(0)

    def get_rents_paid(self):
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        Plan = pool.get('dealer.payment.plan')
        lines = InvoiceLine.search([
                ('origin', 'in', [str(l) for l in self.lines]),
                ('invoice.type', '=', 'out'),
                ('invoice.state', '=', 'paid'),
                ])
        paid = sum((l.amount for l in lines), Decimal(0))
        plans = Plan.search([
                ('origin', '=', str(self)),
                ('state', '!=', 'cancelled'),
                ])
        paid += sum((p.paid_amount or Decimal(0) for p in plans), Decimal(0))
        return paid

    def compute_credit(self, price, rents_paid):
        Settings = Pool().get('dealer.leasing.settings')
        settings = Settings.for_company(self.company)
        credit = min(
            rents_paid * settings.rent_credit_rate / 100,
            price * settings.rent_credit_cap / 100)
        return self.currency.round(max(credit, Decimal(0)))

    @classmethod
    def get_payoff(cls, rentals, names):
        result = {n: {} for n in names}
        for rental in rentals:
            if not rental.conversion_line:
                for name in names:
                    result[name][rental.id] = None
                continue
            price = rental.get_machine_price()
            paid = rental.get_rents_paid()
            credit = rental.compute_credit(price, paid)
            values = {
                'rents_paid': paid,
                'rent_credit': credit,
                'payoff_quote': rental.currency.round(price - credit),
                }
            for name in names:
                result[name][rental.id] = values[name]
        return result

    @classmethod
    @ModelView.button_action('dealer_leasing.wizard_conversion')
    def convert_to_sale(cls, rentals):
        pass

    def check_convertible(self):
        if self.converted_sale:
            raise ConversionError(gettext(
                    'dealer_leasing.msg_conversion_twice',
                    rental=self.rec_name,
                    sale=self.converted_sale.rec_name))
        if self.state not in {'picked up', 'done'}:
            raise ConversionError(gettext(
                    'dealer_leasing.msg_conversion_state',
                    rental=self.rec_name,
                    state=dict(self.fields_get(['state'])['state'][
                            'selection']).get(self.state, self.state)))
        if not self.conversion_line:
            raise ConversionError(gettext(
                    'dealer_leasing.msg_conversion_machine',
                    rental=self.rec_name))


class ConversionStart(ModelView):
    __name__ = 'dealer.lease.conversion.start'
    __string__ = "Convert Lease to Sale"
    rental = fields.Many2One('sale.rental', "Lease", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    machine = fields.Many2One('stock.lot', "Machine", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    price = Monetary("Price", currency='currency', digits='currency',
        required=True, domain=[('price', '>=', 0)])
    rents_paid = Monetary("Rents Paid", currency='currency',
        digits='currency', readonly=True)
    credit = Monetary("Rent Credit", currency='currency', digits='currency',
        readonly=True)
    payoff = Monetary("Payoff", currency='currency', digits='currency',
        readonly=True)

    @fields.depends('rental', 'price', 'rents_paid')
    def on_change_price(self):
        if self.rental and self.price is not None:
            self.credit = self.rental.compute_credit(
                self.price, self.rents_paid or Decimal(0))
            self.payoff = self.rental.currency.round(
                self.price - self.credit)


class Conversion(Wizard):
    __name__ = 'dealer.lease.conversion'
    start = StateView('dealer.lease.conversion.start',
        'dealer_leasing.conversion_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Convert", 'convert', 'tryton-ok', default=True),
            ])
    convert = StateTransition()

    def default_start(self, fields):
        rental = self.record
        rental.check_convertible()
        line = rental.conversion_line
        price = rental.get_machine_price()
        paid = rental.get_rents_paid()
        credit = rental.compute_credit(price, paid)
        return {
            'rental': rental.id,
            'currency': rental.currency.id,
            'machine': line.machine.id,
            'product': line.product.id,
            'price': price,
            'rents_paid': paid,
            'credit': credit,
            'payoff': rental.currency.round(price - credit),
            }

    def transition_convert(self):
        pool = Pool()
        Rental = pool.get('sale.rental')
        Event = pool.get('dealer.customer.event')
        Lang = pool.get('ir.lang')
        # Read the lease again under lock: two clicks must not make two sales
        Rental.lock([self.record])
        rental = Rental(self.record.id)
        rental.check_convertible()
        price = self.start.price
        if price is None or price < 0:
            raise ConversionError(gettext(
                    'dealer_leasing.msg_conversion_price',
                    rental=rental.rec_name, price=price))
        credit = rental.compute_credit(price, rental.get_rents_paid())
        sale = self.get_sale(rental, price, credit)
        sale.save()
        rental.converted_sale = sale
        rental.save()
        lang = Lang.get()
        Event.post(rental.party, 'lease', gettext(
                'dealer_leasing.msg_conversion_event',
                rental=rental.rec_name, sale=sale.rec_name,
                machine=rental.conversion_line.machine.rec_name,
                price=lang.currency(price, rental.currency),
                credit=lang.currency(credit, rental.currency)),
            origin=rental, company=rental.company)
        return 'end'

    def get_sale(self, rental, price, credit):
        "The draft sale of the machine with the rent credit"
        pool = Pool()
        Sale = pool.get('sale.sale')
        SaleLine = pool.get('sale.line')
        line = rental.conversion_line
        sale = Sale(company=rental.company, party=rental.party)
        sale.on_change_party()
        sale.currency = rental.currency
        if rental.warehouse:
            sale.warehouse = rental.warehouse
        if rental.invoice_party and hasattr(Sale, 'invoice_party'):
            sale.invoice_party = rental.invoice_party
        if rental.invoice_address:
            sale.invoice_address = rental.invoice_address
        if getattr(rental, 'owner', None) and hasattr(Sale, 'owner'):
            sale.owner = rental.owner
        sale.description = gettext(
            'dealer_leasing.msg_conversion_sale_description',
            rental=rental.rec_name)
        machine_line = SaleLine(type='line', sale=sale,
            product=line.product, quantity=1)
        machine_line.on_change_product()
        machine_line.unit_price = price
        serial = line.machine.rec_name
        if 'machine' in SaleLine._fields:
            machine_line.machine = line.machine
        elif 'lot' in SaleLine._fields:
            machine_line.lot = line.machine
        machine_line.description = gettext(
            'dealer_leasing.msg_conversion_machine_description',
            product=line.product.rec_name, serial=serial)
        lines = [machine_line]
        if credit:
            credit_line = SaleLine(type='line', sale=sale, quantity=1,
                unit_price=-credit,
                description=gettext(
                    'dealer_leasing.msg_conversion_credit_description'))
            credit_line.taxes = machine_line.taxes
            lines.append(credit_line)
        sale.lines = lines
        return sale
