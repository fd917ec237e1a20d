# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Serialising two users who act on the same record at the same moment
(approving one request, claiming one pool customer …).

Tryton's own Model.lock() asks for the rows with NOWAIT and restarts the
request a few times when they are taken; under load the retries run out and
the second user gets a server error.  lock_rows waits for the first user's
transaction instead: PostgreSQL then refuses the second one's stale snapshot
(a serialisation failure), the dispatcher runs it again once, and it sees
the first user's result — so the second user gets the business error ("it
is decided", "someone else has it")."""
from sql import For, Literal

from trytond import backend
from trytond.transaction import Transaction


def lock_rows(records, changed=False):
    """Wait for and hold the row locks of the records until commit.

    changed: also mark the rows as changed (a no-op update), for a check
    that reads other rows than those it locks (the requests holding a
    payable ...): a transaction waiting for them then restarts as well and
    sees what this one wrote elsewhere."""
    if not records or backend.name == 'sqlite':
        # SQLite has a single writer: a writing transaction is serial.
        return
    Model = records[0].__class__
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    ids = sorted({r.id for r in records})
    if changed:
        cursor.execute(*table.update(
                [table.id], [table.id], where=table.id.in_(ids)))
    else:
        cursor.execute(*table.select(Literal(1),
                where=table.id.in_(ids), for_=For('UPDATE')))
