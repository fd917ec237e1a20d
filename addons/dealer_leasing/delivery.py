# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Delivery risk control (发车, R-LEA-05).

A machine leaves the dealer only after risk control approved its delivery
release (发车申请): a customer shipment carrying a machine (sales and
finance contracts deliver through one) cannot be shipped or done, and a
lease cannot be picked up with a machine, unless an approved release
exists for it; a machine is not moved to a customer outside a shipment.  The release goes through the approval engine of
dealer_base; the standard flow asks the holders of the Delivery Risk
Control position in the release's company.  A company without any active
flow for releases does not control its deliveries."""
from sql import Literal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.dealer_base.approval import (
    ApprovalMixin, DocumentNameMixin, SubmittedFrozenMixin)
from trytond.modules.dealer_base.document import NumberedMixin
from trytond.modules.dealer_base.locking import lock_rows
from trytond.modules.dealer_base.scope import OwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import DeliveryError

# The states of a delivery once its machines have left
DELIVERED_STATES = {
    'stock.shipment.out': ['shipped', 'done'],
    'sale.rental': ['picked up', 'done'],
    }


def is_machine_line(line):
    "Whether a lease line carries a machine"
    if getattr(line, 'machine', None):
        return True
    return bool(line.product and line.product.template.machine)


def document_machines(document):
    "Return the machines (stock.lot) a shipment or a lease delivers"
    lots = []
    if document.__name__ == 'stock.shipment.out':
        for move in (document.outgoing_moves or []):
            if (move.lot and move.product.template.machine
                    and move.state != 'cancelled'):
                lots.append(move.lot)
        if not lots:
            # Before the outgoing moves are picked, the inventory moves
            # carry the serial numbers.
            for move in (document.inventory_moves or []):
                if (move.lot and move.product.template.machine
                        and move.state != 'cancelled'):
                    lots.append(move.lot)
    elif document.__name__ == 'sale.rental':
        for line in (document.lines or []):
            machine = getattr(line, 'machine', None)
            if machine:
                lots.append(machine)
                continue
            for move in (line.outgoing_moves or []):
                if (move.lot and move.product.template.machine
                        and move.state != 'cancelled'):
                    lots.append(move.lot)
    seen, result = set(), []
    for lot in lots:
        if lot.id not in seen:
            seen.add(lot.id)
            result.append(lot)
    return result


def document_carries_machine(document):
    if document.__name__ == 'stock.shipment.out':
        return any(m.product.template.machine
            for m in document.outgoing_moves or []
            if m.state != 'cancelled')
    elif document.__name__ == 'sale.rental':
        return any(is_machine_line(l) for l in document.lines or [])
    return False


class DeliveryRelease(NumberedMixin, SubmittedFrozenMixin, ApprovalMixin,
        OwnedMixin, ModelSQL, ModelView):
    "发车申请: the request to let the machines of a delivery leave"
    __name__ = 'dealer.delivery.release'
    __string__ = "Delivery Release"
    _number_sequence = ('dealer_leasing', 'sequence_delivery_release')
    _number_settings = ('dealer.leasing.settings', 'delivery_release_sequence')
    _states = {'readonly': Eval('approval_state') != 'draft'}
    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    origin = fields.Reference(
        "Delivery", selection='get_origins', required=True,
        domain={
            'stock.shipment.out': [
                ('company', '=', Eval('company', -1)),
                ('machine', '=', True),
                ],
            'sale.rental': [
                ('company', '=', Eval('company', -1)),
                ],
            },
        states=_states,
        help="The customer shipment or the lease whose machines leave.")
    origin_name = fields.Function(
        fields.Char("Delivery"), 'get_origin_name')
    customer = fields.Many2One(
        'party.party', "Customer", readonly=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    machines = fields.Function(fields.Many2Many(
            'stock.lot', None, None, "Machines"), 'get_machines')
    machine_names = fields.Function(
        fields.Char("Machine Serial Numbers"), 'get_machine_names')
    released_machines = fields.Many2Many(
        'dealer.delivery.release-stock.lot', 'release', 'machine',
        "Released Machines", readonly=True,
        help="The machines as submitted for approval: the approval holds "
        "for them and the customer only.")
    planned_date = fields.Date("Planned Date", states=_states)
    notes = fields.Text("Notes", states=_states)
    delivered = fields.Function(
        fields.Boolean("Delivered"), 'get_delivered',
        searcher='search_delivered')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.owner.string = "Requested By"
        cls._order = [('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.origin, Index.Equality())),
                Index(t, (t.approval_state, Index.Equality(
                            cardinality='low'))),
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def _get_origins(cls):
        return ['stock.shipment.out', 'sale.rental']

    @classmethod
    def get_origins(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m))
            for m in cls._get_origins()]

    @classmethod
    def get_origin_name(cls, releases, name):
        # The name only, whatever the reader's access to the document:
        # risk control decides without access to sales or leases.
        names = DocumentNameMixin.document_names(
            r.origin for r in releases)
        return {r.id: names.get(str(r.origin)) for r in releases}

    @classmethod
    def read(cls, ids, fields_names):
        related = {f for f in fields_names if f.startswith('origin.')}
        if related != {'origin.rec_name'}:
            return super().read(ids, fields_names)
        names = [f for f in fields_names if f != 'origin.rec_name']
        extra = 'origin' not in names
        if extra:
            names.append('origin')
        rows = super().read(ids, names)
        labels = DocumentNameMixin.document_names(
            r['origin'] for r in rows)
        for row in rows:
            value = row['origin']
            if value in labels:
                row['origin.'] = {
                    'id': int(value.split(',', 1)[1]),
                    'rec_name': labels[value],
                    }
            else:
                row['origin.'] = None
            if extra:
                del row['origin']
        return rows

    @classmethod
    def get_machines(cls, releases, name):
        result = {}
        with without_check_access():
            for release in cls.browse(releases):
                result[release.id] = [l.id for l in document_machines(
                        release.origin)] if release.origin else []
        return result

    @classmethod
    def get_machine_names(cls, releases, name):
        pool = Pool()
        Lot = pool.get('stock.lot')
        machines = cls.get_machines(releases, 'machines')
        result = {}
        with without_check_access():
            for release in releases:
                result[release.id] = ', '.join(
                    l.rec_name for l in Lot.browse(machines[release.id]))
        return result

    @classmethod
    def get_delivered(cls, releases, name):
        result = {}
        with without_check_access():
            for release in cls.browse(releases):
                origin = release.origin
                state = getattr(origin, 'state', None) if origin else None
                result[release.id] = state in DELIVERED_STATES.get(
                    release.origin.__name__, []) if origin else False
        return result

    @classmethod
    def search_delivered(cls, name, clause):
        pool = Pool()
        _, operator, value = clause
        release = cls.__table__()
        expression = Literal(False)
        for model, states in DELIVERED_STATES.items():
            table = pool.get(model).__table__()
            expression |= (release.origin.like(model + ',%')
                & cls.origin.sql_id(release.origin, cls).in_(
                    table.select(table.id,
                        where=table.state.in_(states))))
        query = release.select(release.id, where=expression)
        if (operator == '=') == bool(value):
            return [('id', 'in', query)]
        return [('id', 'not in', query)]

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', *clause[1:]),
            ('customer.name', *clause[1:]),
            ]

    @classmethod
    def origin_values(cls, origin):
        "Return the values a release takes from its delivery"
        values = {}
        if origin is None:
            return values
        customer = getattr(origin, 'customer', None) or getattr(
            origin, 'party', None)
        values['customer'] = customer.id if customer else None
        return values

    @fields.depends('origin', 'company', 'planned_date')
    def on_change_origin(self):
        if not self.origin or getattr(self.origin, 'id', -1) < 0:
            return
        with without_check_access():
            for key, value in self.origin_values(self.origin).items():
                setattr(self, key, value)
            if not self.planned_date:
                self.planned_date = self.origin_planned_date(self.origin)
            if not self.company and getattr(self.origin, 'company', None):
                self.company = self.origin.company

    @classmethod
    def origin_planned_date(cls, origin):
        if origin.__name__ == 'stock.shipment.out':
            return origin.planned_date
        start = getattr(origin, 'start', None)
        if start and hasattr(start, 'date'):
            return start.date()
        return start

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        values = super().preprocess_values(mode, values)
        origin = values.get('origin')
        if origin:
            if isinstance(origin, str):
                model, id_ = origin.split(',', 1)
                origin = pool.get(model)(int(id_))
            elif isinstance(origin, (list, tuple)):
                origin = pool.get(origin[0])(origin[1])
            with without_check_access():
                values.update(cls.origin_values(origin))
        return values

    @classmethod
    def validate_fields(cls, releases, field_names):
        super().validate_fields(releases, field_names)
        if field_names and not (field_names & {'origin', 'company'}):
            return
        with without_check_access():
            for release in cls.browse(releases):
                release.check_origin()

    def check_origin(self):
        origin = self.origin
        if origin.company != self.company:
            raise DeliveryError(gettext(
                    'dealer_leasing.msg_delivery_release_company',
                    release=self.rec_name, document=origin.rec_name,
                    company=self.company.rec_name))
        if not document_carries_machine(origin):
            raise DeliveryError(gettext(
                    'dealer_leasing.msg_delivery_release_no_machine',
                    document=origin.rec_name))

    @classmethod
    def check_modification(cls, mode, releases, values=None,
            external=False):
        super().check_modification(
            mode, releases, values=values, external=external)
        if mode == 'write' and external and values and (
                'number' in values
                or ('customer' in values and 'origin' not in values)):
            raise AccessError(gettext(
                    'dealer_leasing.msg_delivery_release_field'))

    @classmethod
    def copy(cls, releases, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('released_machines')
        return super().copy(releases, default=default)

    @classmethod
    def approval_submitted(cls, releases):
        super().approval_submitted(releases)
        with without_check_access():
            origins = [r.origin for r in releases]
            # Two requests for one delivery at the same moment: the second
            # waits for the first and then sees it.
            for model in {o.__name__ for o in origins}:
                lock_rows([o for o in origins if o.__name__ == model],
                    changed=True)
            for release in releases:
                release.check_origin()
                # What is approved is this customer and these machines: a
                # shipment changed afterwards is no longer released.
                for key, value in cls.origin_values(release.origin).items():
                    setattr(release, key, value)
                release.released_machines = document_machines(release.origin)
                others = cls.search([
                        ('origin', '=', str(release.origin)),
                        ('approval_state', 'in', ['waiting', 'approved']),
                        ('id', '!=', release.id),
                        ], limit=1)
                if others:
                    other, = others
                    raise DeliveryError(gettext(
                            'dealer_leasing.msg_delivery_release_twice',
                            document=release.origin.rec_name,
                            other=other.rec_name))
            cls.save(releases)
        cls.set_number(releases)

    @classmethod
    def approval_required(cls, company):
        "Whether an active flow controls the deliveries of the company"
        pool = Pool()
        Flow = pool.get('dealer.approval.flow')
        with without_check_access():
            return bool(Flow.search([
                        ('document_model', '=', cls.__name__),
                        ('company', 'in', [company.id, None]),
                        ], limit=1))

    @classmethod
    def check_released(cls, documents):
        """Raise unless each document that carries a machine has an
        approved release (its company controlling its deliveries)"""
        with without_check_access():
            documents = [d for d in documents
                if document_carries_machine(d)
                and cls.approval_required(d.company)]
            if not documents:
                return
            approved = {str(r.origin): r for r in cls.search([
                        ('origin', 'in', [str(d) for d in documents]),
                        ('approval_state', '=', 'approved'),
                        ])}
            for document in documents:
                release = approved.get(str(document))
                if not release:
                    raise DeliveryError(gettext(
                            'dealer_leasing.msg_delivery_not_released',
                            document=document.rec_name,
                            machines=', '.join(l.rec_name
                                for l in document_machines(document))
                            or '-'))
                customer = cls.origin_values(document).get('customer')
                if (customer != (release.customer.id
                            if release.customer else None)
                        or {l.id for l in document_machines(document)}
                        != {l.id for l in release.released_machines}):
                    raise DeliveryError(gettext(
                            'dealer_leasing.msg_delivery_release_changed',
                            document=document.rec_name,
                            release=release.rec_name))

    @classmethod
    def check_moves(cls, moves):
        """A machine reaches a customer only on a customer shipment, under
        risk control: a stock move straight to the customer is refused
        (leases leave by their pickup, to the rental location)"""
        for move in moves:
            if (move.lot and move.product.template.machine
                    and move.to_location.type == 'customer'
                    and move.from_location.type != 'customer'
                    and not (move.shipment and move.shipment.__name__
                        == 'stock.shipment.out')
                    and cls.approval_required(move.company)):
                raise DeliveryError(gettext(
                        'dealer_leasing.msg_delivery_direct_move',
                        machine=move.lot.rec_name,
                        company=move.company.rec_name))

    @classmethod
    def request(cls, documents):
        """Submit a release for each document that has none waiting or
        approved (creating it when there is no draft); return them"""
        pool = Pool()
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        to_submit, result = [], []
        for document in documents:
            releases = cls.search([
                    ('origin', '=', str(document)),
                    ('approval_state', '!=', 'rejected'),
                    ], order=[('id', 'DESC')])
            if any(r.approval_state in {'waiting', 'approved'}
                    for r in releases):
                result.extend(r for r in releases
                    if r.approval_state in {'waiting', 'approved'})
                continue
            if releases:
                to_submit.append(releases[0])
                continue
            user = User(Transaction().user)
            owner = next((e for e in user.employees
                    if e.company == document.company), None)
            if owner is None:
                employee_id = Transaction().context.get('employee')
                owner = Employee(employee_id) if employee_id else None
            with without_check_access():
                values = cls.origin_values(document)
                planned_date = cls.origin_planned_date(document)
            release = cls(company=document.company, origin=document,
                owner=owner, planned_date=planned_date, **values)
            to_submit.append(release)
        if to_submit:
            cls.save(to_submit)
            cls.approval_submit(to_submit)
        return result + to_submit


class DeliveryReleaseMachine(ModelSQL):
    "Delivery Release - Machine"
    __name__ = 'dealer.delivery.release-stock.lot'
    __string__ = "Delivery Release - Machine"
    release = fields.Many2One(
        'dealer.delivery.release', "Delivery Release", required=True,
        ondelete='CASCADE')
    machine = fields.Many2One(
        'stock.lot', "Machine", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('release')


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_delivery_release': {
                    'invisible': (~Eval('machine', False)
                        | Eval('state').in_(
                            ['shipped', 'done', 'cancelled'])),
                    'depends': ['machine', 'state'],
                    },
                })

    @classmethod
    @ModelView.button_action('dealer_leasing.act_delivery_release_shipment')
    def request_delivery_release(cls, shipments):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        Release.request([s for s in shipments if s.machine])

    @classmethod
    @ModelView.button
    @Workflow.transition('shipped')
    def ship(cls, shipments):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        Release.check_released(shipments)
        super().ship(shipments)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, shipments):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        Release.check_released(shipments)
        super().do(shipments)


class Rental(metaclass=PoolMeta):
    __name__ = 'sale.rental'
    machine = fields.Function(
        fields.Boolean("Machine Lease"), 'get_machine')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_delivery_release': {
                    'invisible': (~Eval('machine', False)
                        | ~Eval('state').in_(['quotation', 'confirmed'])),
                    'depends': ['machine', 'state'],
                    },
                })

    def get_machine(self, name):
        return any(is_machine_line(l) for l in self.lines)

    @classmethod
    @ModelView.button_action('dealer_leasing.act_delivery_release_rental')
    def request_delivery_release(cls, rentals):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        Release.request([r for r in rentals if r.machine])


class RentalPickup(metaclass=PoolMeta):
    __name__ = 'sale.rental.pickup'

    # Step 1 of the pickup chain (see lease.py's docstring): registered
    # last, so the release is checked before anything of the pickup runs.
    def transition_pickup(self):
        pool = Pool()
        Release = pool.get('dealer.delivery.release')
        if any(l.quantity_picked and is_machine_line(l.rental_line)
                for l in self.show.lines):
            Release.check_released([self.record])
        return super().transition_pickup()
