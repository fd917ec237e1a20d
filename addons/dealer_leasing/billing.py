# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""When the rent of a lease is invoiced (R-LEA-01), and its payment plan.

Tryton's rental invoices a line once, at its return.  A lease may instead
be invoiced
* in advance: the whole planned period when the machine is picked up (and,
  if it comes back late, the extra days at the return);
* per period: each whole month from the pickup day as it elapses (a button
  and a daily job), the rest at the return.

Per-day lines only (machines are leased by the day); the days invoiced run
up to `invoiced_until` (exclusive), so no day is invoiced twice.  A machine
returned before the days already invoiced ran out gets the unused days
credited at its return (a negative line: the invoice is a credit note).

The payment plan of a lease splits its total over the same monthly periods,
pro rata of their days, the last absorbing the rounding; an instalment is
due at the start of its period when the lease is invoiced in advance, at its
end otherwise."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.dealer_finance.plan import add_months
from trytond.modules.product import round_price
from trytond.modules.sale_rental.sale import to_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import LeasingError

INVOICE_METHODS = [
    ('return', "At Return"),
    ('advance', "In Advance"),
    ('period', "Per Month"),
    ]


def month_periods(start, end):
    "The monthly periods [from, to) from start to end (exclusive)"
    periods, k = [], 1
    first = start
    while first < end:
        last = min(add_months(start, k, start.day), end)
        periods.append((first, last))
        first, k = last, k + 1
    return periods


class Rental(metaclass=PoolMeta):
    __name__ = 'sale.rental'
    invoice_method = fields.Selection(INVOICE_METHODS, "Invoice Rent",
        required=True, sort=False,
        states={
            'readonly': Eval('state') != 'draft',
            })
    plan = fields.Many2One('dealer.payment.plan', "Payment Plan",
        readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_plan': {
                    'invisible': (~Eval('state').in_(
                            ['confirmed', 'picked up'])
                        | Eval('plan')),
                    'depends': ['state', 'plan'],
                    },
                })

    @classmethod
    def default_invoice_method(cls):
        return 'return'

    @classmethod
    def copy(cls, rentals, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('plan')
        return super().copy(rentals, default=default)

    @classmethod
    def invoice_due_periods(cls):
        "Invoice the elapsed months of the leases invoiced per period"
        rentals = cls.search([
                ('invoice_method', '=', 'period'),
                ('state', '=', 'picked up'),
                ])
        cls.invoice([r for r in rentals if r.has_lines_to_invoice])

    @classmethod
    @ModelView.button
    def create_plan(cls, rentals):
        pool = Pool()
        Plan = pool.get('dealer.payment.plan')
        Line = pool.get('dealer.payment.plan.line')
        plans = []
        for rental in rentals:
            if rental.plan:
                raise LeasingError(gettext(
                        'dealer_leasing.msg_billing_plan_exists',
                        rental=rental.rec_name, plan=rental.plan.rec_name))
            plan = Plan(company=rental.company, origin=rental,
                customer=rental.invoice_party or rental.party,
                currency=rental.currency, owner=rental.owner,
                total_amount=rental.total_amount)
            plan.lines = [Line(due_date=d, amount=a)
                for d, a in rental.get_plan_instalments()]
            plans.append(plan)
            rental.plan = plan
        Plan.save(plans)
        Plan.run(plans)
        cls.save(rentals)

    def get_plan_instalments(self):
        "(due date, amount) of the lease's monthly instalments"
        starts = [l.start for l in self.lines if l.start]
        ends = [l.end for l in self.lines if l.end]
        start = min(to_date(s, self.company) for s in starts)
        end = max(to_date(e, self.company) for e in ends)
        periods = month_periods(start, end) or [(start, end)]
        total_days = (end - start).days or 1
        instalments, left = [], self.total_amount
        for n, (first, last) in enumerate(periods, 1):
            if n == len(periods):
                amount = left
            else:
                amount = self.currency.round(self.total_amount
                    * Decimal((last - first).days) / total_days)
            left -= amount
            due = first if self.invoice_method == 'advance' else last
            instalments.append((due, amount))
        return instalments


class RentalLine(metaclass=PoolMeta):
    __name__ = 'sale.rental.line'
    invoiced_until = fields.Date("Invoiced Until", readonly=True,
        help="The days before this one are invoiced.")

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        if not Transaction().context.get('_sale_rental_line_split'):
            default.setdefault('invoiced_until')
        return super().copy(lines, default=default)

    @property
    def invoice_period(self):
        """The days [from, to) to invoice now under the lease's method, or
        None when the line is invoiced at its return; from after to: the
        days to credit, invoiced but not used"""
        pool = Pool()
        Date = pool.get('ir.date')
        rental = self.rental
        if (rental.invoice_method == 'return' or not self.per_day
                or self.rental_state not in {'picked up', 'done'}):
            return None
        start = to_date(self.start, rental.company)
        end = to_date(self.end, rental.company)
        first = self.invoiced_until or start
        if rental.invoice_method == 'advance' or self.rental_state == 'done':
            last = end
        else:
            with Transaction().set_context(company=rental.company.id):
                today = Date.today()
            last = max((l for _, l in month_periods(start, end)
                    if l <= today), default=first)
        if last == first or (last < first and self.rental_state != 'done'):
            return ()
        return first, last

    @property
    def to_invoice(self):
        period = self.invoice_period
        if period is None:
            return super().to_invoice
        return bool(period)

    @property
    def duration_invoice(self):
        period = self.invoice_period
        if period is None:
            return super().duration_invoice
        first, last = period
        return last - first

    def get_invoice_lines(self):
        period = self.invoice_period
        if period is None:
            return super().get_invoice_lines()
        if not period:
            return []
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        first, last = period
        # The rental's own line, for the period's days only.
        line = InvoiceLine(invoice_type='out', type='line')
        line.currency = self.rental.currency
        line.company = self.rental.company
        line.origin = self
        line.quantity = self.quantity
        line.unit = self.unit
        line.product = self.product
        # The duration is negative for the unused days credited.
        line.description = gettext(
            'dealer_leasing.msg_billing_line' if first < last
            else 'dealer_leasing.msg_billing_credit_line',
            product=self.product.rec_name,
            machine=self.machine.rec_name if self.machine else '',
            first=min(first, last),
            last=max(first, last) - dt.timedelta(days=1))
        line.unit_price = round_price(
            self.unit_price * Decimal(self.duration_unit_invoice))
        line.taxes = self.taxes
        line.account = self.product.account_rental_used
        # Written at once: the rental's invoicing reads its lines again.
        self.__class__.write([self], {'invoiced_until': last})
        return [line]


class RentalPickup(metaclass=PoolMeta):
    __name__ = 'sale.rental.pickup'

    # Step 3 of the pickup chain (see lease.py's docstring): registered
    # after lease.py's, so super() has picked up, moved the bookings and
    # received the deposit when the lease is invoiced.
    def transition_pickup(self):
        pool = Pool()
        Rental = pool.get('sale.rental')
        state = super().transition_pickup()
        rental = Rental(self.record.id)
        if rental.invoice_method == 'advance' and rental.has_lines_to_invoice:
            Rental.invoice([rental])
        return state


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('sale.rental|invoice_due_periods', "Invoice Lease Periods"))
