# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Overdue penalty interest (逾期罚息, R-FIN-02).

For each day d after the due date and its grace days, an overdue
instalment bears  rate × base(d)  where base(d) is what is still unpaid of
it at the end of d (a payment counts from its own date on), plus, when
penalties bear penalty, the penalty accrued up to the day before.  A day
whose unpaid amount is below the minimum bears nothing; the instalment's
penalty never exceeds the cap (a percentage of the instalment).

Rounding: the penalty of an instalment up to a date is computed from its
due date at full precision (Decimal, no rounding per day), then rounded to
the currency (half up) once; a run books the difference between that
rounded total and what earlier runs booked.  So running twice for a date
books nothing the second time, and skipping days then running books
exactly what daily runs would have booked in total.  A payment dated
before the last run (entered late) lowers the total: the next run books a
negative adjustment.
"""
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sql import Null, Values
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView
from trytond.modules.currency.fields import Monetary
from trytond.modules.dealer_base.locking import lock_rows
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import PenaltyError
from .plan import InstalmentEntryMixin
from .settings import PENALTY_TERMS

ONE_DAY = dt.timedelta(days=1)


def accrued_penalty(amount, due_date, payments, until, rate, grace_days=0,
        minimum=0, cap=None, compound=False):
    """The penalty of an instalment from its due date up to `until`
    (included), at full precision.

    payments: (date, amount) received against the instalment."""
    start = due_date + dt.timedelta(days=grace_days + 1)
    if until < start or not rate:
        return Decimal(0)
    penalty = Decimal(0)
    unpaid = amount - sum(
        (a for d, a in payments if d < start), Decimal(0))
    # The unpaid amount is constant between payment dates: add up each
    # stretch in one step.  A payment lowers the base from its own day on.
    day = start
    for date, paid in sorted((d, a) for d, a in payments
            if start <= d <= until):
        if date > day:
            penalty = _stretch(penalty, unpaid, (date - day).days,
                rate, minimum, compound)
            day = date
        unpaid -= paid
    penalty = _stretch(penalty, unpaid, (until - day).days + 1,
        rate, minimum, compound)
    if cap is not None:
        penalty = min(penalty, amount * cap / 100)
    return penalty


def _stretch(penalty, unpaid, days, rate, minimum, compound):
    if unpaid <= 0 or unpaid < minimum:
        return penalty
    if compound:
        # each day the base grows by its own penalty
        return (unpaid + penalty) * (1 + rate) ** days - unpaid
    return penalty + unpaid * rate * days


def round_penalty(amount, rounding):
    "Round a full-precision penalty to a currency's rounding, half up"
    Currency = Pool().get('currency.currency')
    return Currency._round(amount, rounding, ROUND_HALF_UP)


class Accrual(InstalmentEntryMixin, ModelSQL, ModelView):
    "What one run of the nightly job booked on an instalment"
    __name__ = 'dealer.penalty.accrual'
    __string__ = "Penalty Accrual"
    _modify_message = 'dealer_finance.msg_accrual_modify'
    total = Monetary(
        "Total Accrued", currency='currency', digits='currency',
        required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.date.string = "Accrued To"
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def accrue_all(cls, date=None):
        "The nightly job: accrue every company up to the day before today"
        pool = Pool()
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        count = 0
        for company in Company.search([]):
            with Transaction().set_context(company=company.id):
                until = date or (Date.today() - ONE_DAY)
            count += cls.accrue(company, until)
        return count

    @classmethod
    def accrue(cls, company, until):
        """Book the penalties of the company's overdue instalments up to
        `until`; return how many instalments changed"""
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        Plan = pool.get('dealer.payment.plan')
        Allocation = pool.get('dealer.payment.allocation')
        Settings = pool.get('dealer.finance.settings')
        Currency = pool.get('currency.currency')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        line = Line.__table__()
        plan = Plan.__table__()
        allocation = Allocation.__table__()
        settings = Settings.for_company(company)

        # The instalments that may have changed since the last run, with
        # their plan's terms; everything read in a few statements.
        candidate = line.join(plan, condition=line.plan == plan.id)
        where = ((plan.company == company.id)
            & (plan.state.in_(['running', 'closed']))
            & (line.due_date < until)
            & ((line.penalty_date == Null) | (line.penalty_date < until))
            & ((line.unpaid_amount > 0)
                | (line.paid_date > Coalesce(
                        line.penalty_date, line.due_date))))
        cursor.execute(*candidate.select(
                line.id, line.amount, line.due_date, line.penalty_accrued,
                plan.currency, *(getattr(plan, n) for n in PENALTY_TERMS),
                where=where))
        candidates = cursor.fetchall()
        if not candidates:
            return 0
        payments = defaultdict(list)
        cursor.execute(*candidate.join(allocation,
                condition=allocation.instalment == line.id).select(
                allocation.instalment, allocation.date, allocation.amount,
                where=where & (allocation.date <= until)))
        for instalment, date, amount in cursor:
            payments[instalment].append((date, Decimal(amount)))
        roundings = {c.id: c.rounding for c in Currency.browse(
                {c[4] for c in candidates})}

        updates, inserts = [], []
        for id_, amount, due_date, booked, currency, *overrides in (
                candidates):
            terms = settings.terms(**dict(zip(PENALTY_TERMS, overrides)))
            total = round_penalty(accrued_penalty(
                    Decimal(amount), due_date, payments[id_], until,
                    terms['penalty_rate'], terms['grace_days'],
                    terms['penalty_minimum'], terms['penalty_cap'],
                    terms['penalty_compound']),
                roundings[currency])
            updates.append((id_, total))
            delta = total - Decimal(booked or 0)
            if delta:
                inserts.append((id_, delta, total))
        cls._book(until, updates, inserts)
        return len(inserts)

    @classmethod
    def _book(cls, until, updates, inserts):
        """Write the accrual rows and the instalments' totals in bulk:
        updates are (instalment, total), inserts (instalment, amount,
        total)"""
        pool = Pool()
        Line = pool.get('dealer.payment.plan.line')
        transaction = Transaction()
        if backend.name == 'postgresql':
            cls._book_arrays(until, updates, inserts)
        else:
            cls._book_values(until, updates, inserts)

        # The instalments were written by SQL: forget what the transaction
        # cached of them, as ModelStorage.write does.
        transaction.counter += 1
        for cache in transaction.cache.values():
            if Line.__name__ in cache:
                cache_line = cache[Line.__name__]
                for id_, _ in updates:
                    cache_line.pop(id_, None)

    @classmethod
    def _book_values(cls, until, updates, inserts):
        """Any backend: multi-row statements, each of as many rows as the
        backend takes parameters"""
        Line = Pool().get('dealer.payment.plan.line')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        line = Line.__table__()
        user = transaction.user

        columns = [table.instalment, table.date, table.amount, table.total,
            table.create_uid, table.create_date]
        for sub in grouped_slice(
                inserts, backend.MAX_QUERY_PARAMS // len(columns)):
            cursor.execute(*table.insert(columns, [
                        [id_, until, amount, total, user, CurrentTimestamp()]
                        for id_, amount, total in sub]))

        # UPDATE … FROM (VALUES (instalment, total), …): the columns of a
        # VALUES list are named column1, column2 … (PostgreSQL and SQLite)
        for sub in grouped_slice(updates, backend.MAX_QUERY_PARAMS // 2):
            totals = Values([[id_, total] for id_, total in sub])
            cursor.execute(*line.update(
                    [line.penalty_accrued, line.penalty_date,
                        line.write_uid, line.write_date],
                    [totals.column2, until, user, CurrentTimestamp()],
                    from_=[totals],
                    where=line.id == totals.column1))

    @classmethod
    def _book_arrays(cls, until, updates, inserts):
        """PostgreSQL only: one INSERT and one UPDATE whatever the number
        of rows, passed as arrays to unnest().  At 200,000 instalments it
        books in half the time of _book_values' batches (bench/README.md,
        finance_penalty_accrual); python-sql cannot express unnest() of
        several arrays as a FROM item, hence the SQL text"""
        Line = Pool().get('dealer.payment.plan.line')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        user = transaction.user
        if inserts:
            ids, amounts, totals = map(list, zip(*inserts))
            cursor.execute('INSERT INTO "%s" (instalment, date, amount, '
                'total, create_uid, create_date) '
                'SELECT i, %%s, a, t, %%s, CURRENT_TIMESTAMP FROM unnest('
                '%%s::integer[], %%s::numeric[], %%s::numeric[]) '
                'AS v(i, a, t)' % cls._table,
                [until, user, ids, amounts, totals])
        if updates:
            ids, totals = map(list, zip(*updates))
            cursor.execute('UPDATE "%s" AS l SET penalty_accrued = v.t, '
                'penalty_date = %%s, write_uid = %%s, '
                'write_date = CURRENT_TIMESTAMP '
                'FROM unnest(%%s::integer[], %%s::numeric[]) AS v(i, t) '
                'WHERE l.id = v.i' % Line._table,
                [until, user, ids, totals])

    @classmethod
    def charge(cls, lines, date=None):
        """Book on the customers' receivables the penalties due and not yet
        charged (or give back, after a waiver, what was charged too much);
        return the moves"""
        pool = Pool()
        Settings = pool.get('dealer.finance.settings')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Line = pool.get('dealer.payment.plan.line')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        Event = pool.get('dealer.customer.event')
        Currency = pool.get('currency.currency')
        lock_rows(lines)
        by_plan = defaultdict(list)
        for line in Line.browse(lines):
            amount = line.penalty_due - line.penalty_charged
            if amount:
                by_plan[line.plan].append((line, amount))
        moves, to_save = [], []
        for plan, items in by_plan.items():
            settings = Settings.for_company(plan.company)
            if not settings.penalty_account or not settings.penalty_journal:
                raise PenaltyError(gettext(
                        'dealer_finance.msg_penalty_account_missing',
                        company=plan.company.rec_name))
            with Transaction().set_context(company=plan.company.id):
                move_date = date or Date.today()
            total = sum(a for _, a in items)
            currency = plan.company.currency
            amount = total
            second = {}
            if plan.currency != currency:
                with Transaction().set_context(date=move_date):
                    amount = Currency.compute(plan.currency, total, currency)
                second = {'second_currency': plan.currency}
            receivable = plan.customer.account_receivable_used
            if not receivable:
                raise PenaltyError(gettext(
                        'dealer_finance.msg_penalty_no_receivable',
                        customer=plan.customer.rec_name))
            description = gettext('dealer_finance.msg_penalty_move',
                plan=plan.rec_name)
            debit, credit = (amount, 0) if amount > 0 else (0, -amount)
            move = Move(
                company=plan.company, journal=settings.penalty_journal,
                period=Period.find(plan.company, date=move_date),
                date=move_date, origin=plan, description=description,
                lines=[
                    MoveLine(account=receivable, party=plan.customer,
                        debit=debit, credit=credit,
                        amount_second_currency=total if second else None,
                        maturity_date=move_date, **second),
                    MoveLine(account=settings.penalty_account,
                        debit=credit, credit=debit,
                        amount_second_currency=-total if second else None,
                        **second),
                    ])
            moves.append(move)
            for line, line_amount in items:
                line.penalty_charged += line_amount
                to_save.append(line)
            Event.post(plan.customer, 'penalty', gettext(
                    'dealer_finance.msg_penalty_charged_event',
                    plan=plan.rec_name,
                    amount=currency.round(amount)),
                origin=plan, company=plan.company)
        Move.save(moves)
        Move.post(moves)
        Line.save(to_save)
        return moves


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['dealer.payment.plan']


class CustomerEvent(metaclass=PoolMeta):
    __name__ = 'dealer.customer.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.extend([
                ('penalty', "Overdue Penalty"),
                ('collection', "Collection"),
                ('credit', "Credit"),
                ('writeoff', "Write-Off"),
                ])


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('dealer.penalty.accrual|accrue_all',
                    "Accrue Overdue Penalties"),
                ('dealer.payment.plan|send_reminders',
                    "Send Payment Reminders"),
                ('dealer.collection.action|flag_broken_promises',
                    "Flag Broken Payment Promises"),
                ])
