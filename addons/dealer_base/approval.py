# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Approval (审核) of documents (R-ORG-05).

A document model becomes approvable by inheriting ApprovalMixin:

    class Contract(ApprovalMixin, OwnedMixin, ModelSQL, ModelView):
        __name__ = 'dealer.contract'
        company = fields.Many2One('company.company', ...)

        def get_approval_amount(self):      # optional: for thresholds
            return self.total_amount

        @classmethod
        def approval_decided(cls, contracts, decision):  # optional hook
            if decision == 'approve':
                cls.confirm(contracts)

and by showing the approval fields and buttons in its form, each button
with its label so that it is translated with the module's view:

    <field name="approval_state"/>
    <field name="approval_logs" colspan="4"/>
    <button name="approval_submit" string="Submit for Approval"/>
    <button name="approval_approve" string="Approve"/>
    <button name="approval_reject" string="Reject"/>
    <button name="approval_reset" string="Reset to Draft"/>

plus its record rules (see scope.py; tests/document.py shows both).  An
administrator then configures a flow for it: ordered steps whose approver
is the requester's supervisor, the holders of a position in the document's
company, or a named user, each optionally only above an amount.  The hooks
approval_submitted and approval_decided let the document react (post to
the customer timeline, confirm itself ...).  A document that goes on
without approval calls approval_not_required, approval_reopen when it is
back in draft.

Nobody approves their own request; only the current step's approvers
decide; every submission and decision is kept in an append-only log; the
approval fields cannot be written directly by a client.
"""
import datetime as dt
from collections import defaultdict

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ApprovalError
from .locking import lock_rows
from .wall import hidden_name, unreadable_ids

APPROVAL_STATES = [
    ('draft', "Draft"),
    # Went on without approval (a price within the tolerance, no flow for
    # the document): "draft" would read as "not approved yet".
    ('not_required', "Not Required"),
    ('waiting', "Waiting for Approval"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ]
APPROVAL_FIELDS = {'approval_state', 'approval_request'}
# The approval states of a document nobody was asked to approve.
NOT_SUBMITTED = {'draft', 'not_required'}
APPROVAL_BUTTONS = {
    'approval_submit': "Submit for Approval",
    'approval_approve': "Approve",
    'approval_reject': "Reject",
    'approval_reset': "Reset to Draft",
    }
# Deciding needs no write access to the document: every holder of a
# standard position may press the buttons, the engine then admits only the
# current step's approvers.
DECIDING_GROUPS = [
    'group_dealer_admin', 'group_boss', 'group_sales_manager',
    'group_salesperson', 'group_back_office', 'group_finance',
    'group_collector', 'group_purchaser', 'group_warehouse', 'group_service',
    'group_maintenance', 'group_technician',
    ]


def approvable_models():
    "Return (model name, description) of every approvable document model"
    pool = Pool()
    models = []
    for _, model in pool.iterobject():
        if issubclass(model, ApprovalMixin) and issubclass(model, ModelSQL):
            models.append((model.__name__, model.__names__()['model']))
    return sorted(models)


class ApprovalMixin:
    "A document that goes through an approval flow"
    __slots__ = ()
    approval_state = fields.Selection(
        APPROVAL_STATES, "Approval State", readonly=True, required=True,
        sort=False)
    approval_request = fields.Many2One(
        'dealer.approval.request', "Approval Request", readonly=True,
        ondelete='RESTRICT')
    approval_step = fields.Function(fields.Many2One(
            'dealer.approval.flow.step', "Approval Step"),
        'get_approval_info')
    approval_approvers = fields.Function(fields.Many2Many(
            'res.user', None, None, "Approvers"),
        'get_approval_info')
    approval_logs = fields.Function(fields.Many2Many(
            'dealer.approval.log', None, None, "Approval History"),
        'get_approval_logs')
    approval_waiting_for_me = fields.Function(fields.Boolean(
            "Waiting for My Approval"), 'get_approval_info')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'approval_submit': {
                    'invisible': Eval('approval_state') != 'draft',
                    'depends': ['approval_state'],
                    },
                # Only the current step's approvers see them: never the
                # requester on his own document.
                'approval_approve': {
                    'invisible': ~Eval('approval_waiting_for_me', False),
                    'depends': ['approval_waiting_for_me'],
                    },
                'approval_reject': {
                    'invisible': ~Eval('approval_waiting_for_me', False),
                    'depends': ['approval_waiting_for_me'],
                    },
                'approval_reset': {
                    'invisible': Eval('approval_state') != 'rejected',
                    'depends': ['approval_state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Button = pool.get('ir.model.button')
        ModelData = pool.get('ir.model.data')
        super().__register__(module)
        # Every approvable document gets its buttons registered, so that
        # they can be given to groups like any other button.
        existing = {b.name for b in Button.search([
                    ('model', '=', cls.__name__),
                    ('name', 'in', list(APPROVAL_BUTTONS)),
                    ])}
        Button.create([{'model': cls.__name__, 'name': n, 'string': s}
                for n, s in APPROVAL_BUTTONS.items() if n not in existing])
        groups = []
        for fs_id in DECIDING_GROUPS:
            try:
                groups.append(ModelData.get_id('dealer_base', fs_id))
            except KeyError:
                # dealer_base's own groups are created after its models
                pass
        if groups:
            Button.write(Button.search([
                        ('model', '=', cls.__name__),
                        ('name', 'in', ['approval_approve', 'approval_reject']),
                        ]), {'groups': [('add', groups)]})

    @classmethod
    def view_attributes(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        attributes = super().view_attributes()
        try:
            with without_check_access():
                approvers = ModelData.get_id(
                    'dealer_base', 'approval_approver_view_list')
        except KeyError:
            # dealer_base's own views are created after its models
            return attributes
        # The users' own list counts their open sessions (会话): nothing to
        # whoever waits for an approval.
        return attributes + [(
                '//field[@name="approval_approvers"]', 'view_ids', approvers)]

    @classmethod
    def default_approval_state(cls):
        return 'draft'

    def get_approval_info(self, name):
        request = self.approval_request
        if name == 'approval_waiting_for_me':
            return bool(request) and request.get_waiting_for_me(name)
        if not request or request.state != 'waiting':
            return [] if name == 'approval_approvers' else None
        if name == 'approval_step':
            return request.step.id if request.step else None
        return [u.id for u in request.approvers]

    @classmethod
    def get_approval_logs(cls, documents, name):
        pool = Pool()
        Log = pool.get('dealer.approval.log')
        result = {d.id: [] for d in documents}
        for sub in (documents[i:i + 500] for i in range(
                    0, len(documents), 500)):
            for log in Log.search([
                        ('document', 'in', [str(d) for d in sub]),
                        ], order=[('date', 'ASC'), ('id', 'ASC')]):
                result[log.document.id].append(log.id)
        return result

    # Hooks a document overrides
    def get_approval_amount(self):
        "The amount compared with the steps' thresholds"
        return None

    def get_approval_conditions(self):
        """The conditions (keys of the steps' `condition` selection) the
        document meets when submitted: the steps asking for them apply"""
        return set()

    def get_approval_summary(self):
        """What is asked, in a line of the approver's list: the customer or
        supplier, the machines and the purpose, where the document has
        them, else its name"""
        parts = []
        for names in [('customer', 'party', 'supplier'),
                ('machine_names', 'machine'), ('reason', 'description')]:
            for name in names:
                value = getattr(self, name, None)
                if isinstance(value, str):
                    value = value.strip().splitlines()[0][:80] if (
                        value.strip()) else None
                elif value is not None:
                    value = value.rec_name
                if value:
                    parts.append(value)
                    break
        return ' · '.join(parts) or self.rec_name

    def get_approval_requester(self):
        """The employee who asks for approval: the submitting user's, in the
        document's company.  Not the document's owner: whoever may set the
        owner would otherwise choose the supervisor who approves."""
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        company = getattr(self, 'company', None)
        employees = [e for e in user.employees
            if not company or e.company == company]
        if user.employee in employees:
            return user.employee
        return employees[0] if employees else user.employee

    @classmethod
    def approval_not_required(cls, documents):
        "Mark the draft documents that go on without approval"
        cls._approval_move(documents, 'draft', 'not_required')

    @classmethod
    def approval_reopen(cls, documents):
        """Documents back in draft that needed no approval: whether they
        need it is asked again when they go on"""
        cls._approval_move(documents, 'not_required', 'draft')

    @classmethod
    def _approval_move(cls, documents, from_, to):
        documents = [d for d in documents if d.approval_state == from_]
        if documents:
            # The engine's own write: a client may not write the field
            # (check_modification), the button that calls this may.
            with without_check_access():
                cls.write(documents, {'approval_state': to})

    @classmethod
    def approval_submitted(cls, documents):
        "Called when the documents are submitted for approval"

    @classmethod
    def approval_decided(cls, documents, decision):
        "Called when the last step approves ('approve') or one rejects"

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if not external:
            return
        if mode == 'write' and APPROVAL_FIELDS & set(values):
            raise AccessError(gettext(
                    'dealer_base.msg_approval_field_write',
                    **cls.__names__()))
        if mode == 'create':
            for document in documents:
                if (document.approval_state != 'draft'
                        or document.approval_request):
                    raise AccessError(gettext(
                            'dealer_base.msg_approval_field_write',
                            **cls.__names__()))
        if mode == 'delete':
            for document in documents:
                if document.approval_state in {'waiting', 'approved'}:
                    raise AccessError(gettext(
                            'dealer_base.msg_approval_delete',
                            **cls.__names__(record=document)))

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('approval_state', 'draft')
        default.setdefault('approval_request')
        return super().copy(documents, default=default)

    @classmethod
    @ModelView.button
    def approval_submit(cls, documents):
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        Request.submit(documents)

    @classmethod
    @ModelView.button
    def approval_approve(cls, documents):
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        Request.decide(cls._approval_requests(documents), 'approve')

    @classmethod
    @ModelView.button_action('dealer_base.wizard_approval_decide')
    def approval_reject(cls, documents):
        pass

    @classmethod
    @ModelView.button
    def approval_reset(cls, documents):
        lock_rows(documents)
        for document in documents:
            if document.approval_state != 'rejected':
                raise ApprovalError(gettext(
                        'dealer_base.msg_approval_reset_state',
                        document=document.rec_name))
        cls.write(documents, {
                'approval_state': 'draft',
                'approval_request': None,
                })

    @classmethod
    def _approval_requests(cls, documents):
        requests = []
        for document in documents:
            if (not document.approval_request
                    or document.approval_state != 'waiting'):
                raise ApprovalError(gettext(
                        'dealer_base.msg_approval_not_waiting',
                        document=document.rec_name))
            requests.append(document.approval_request)
        return requests

class SubmittedFrozenMixin:
    """A document frozen once submitted: the approvers decide on what they
    see.  The views' readonly states only guide the client; this is the
    server's rule.  A client may change only `_editable_after_submit`."""
    __slots__ = ()
    _editable_after_submit = set()

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if (external and mode == 'write'
                and set(values) - cls._editable_after_submit):
            for document in documents:
                if document.approval_state not in NOT_SUBMITTED:
                    raise AccessError(gettext(
                            'dealer_base.msg_document_submitted',
                            document=document.rec_name))


class DocumentNameMixin:
    """The name of the Reference field `document`, read without the
    reader's record rules.

    Lists and forms read `document.rec_name` with the request or log; as a
    plain related read it goes through the document's record rules, and one
    document the reader may not read (a team-scope approver's, say) makes
    the whole page fail.  Whoever may read the request or the log learns
    what it is about, the document's name and nothing more: any other
    related field of the document is read with the reader's rules."""
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        related = {f for f in fields_names if f.startswith('document.')}
        if related != {'document.rec_name'}:
            return super().read(ids, fields_names)
        names = [f for f in fields_names if f != 'document.rec_name']
        extra = 'document' not in names
        if extra:
            names.append('document')
        rows = super().read(ids, names)
        labels = cls.document_names(r['document'] for r in rows)
        for row in rows:
            value = row['document']
            if value in labels:
                row['document.'] = {
                    'id': int(value.split(',', 1)[1]),
                    'rec_name': labels[value],
                    }
            else:
                row['document.'] = None
            if extra:
                del row['document']
        return rows

    @classmethod
    def document_names(cls, documents):
        """Return the name of each document ('model,id' or a record),
        keyed by 'model,id'; the documents exist (a Reference field reads
        a deleted one as None)"""
        pool = Pool()
        ids = defaultdict(set)
        for document in documents:
            if not document:
                continue
            model, id_ = str(document).split(',', 1)
            try:
                id_ = int(id_)
            except ValueError:
                continue
            if id_ >= 0:
                ids[model].add(id_)
        names = {}
        with without_check_access(), inactive_records():
            for model, model_ids in ids.items():
                Model = pool.get(model)
                for sub_ids in grouped_slice(
                        list(model_ids), backend.MAX_QUERY_PARAMS):
                    for row in Model.read(list(sub_ids), ['rec_name']):
                        names[f'{model},{row["id"]}'] = row['rec_name']
        return names


class ApprovalFlow(DeactivableMixin, ModelSQL, ModelView):
    "Approval Flow"
    __name__ = 'dealer.approval.flow'
    __string__ = "Approval Flow"
    name = fields.Char("Name", required=True, translate=True)
    document_model = fields.Selection(
        'get_document_models', "Document", required=True)
    company = fields.Many2One(
        'company.company', "Company",
        help="Empty: the flow applies to every company without its own.")
    steps = fields.One2Many('dealer.approval.flow.step', 'flow', "Steps")
    skip_repeated = fields.Boolean("Skip Repeated Approvers",
        help="A step whose approvers all approved the request in an earlier "
        "step is passed (审批人去重).")

    @classmethod
    def get_document_models(cls):
        return approvable_models()

    @classmethod
    def find(cls, document):
        "Return the flow that applies to the document"
        company = getattr(document, 'company', None)
        flows = cls.search([
                ('document_model', '=', document.__name__),
                ('company', 'in', [company.id if company else None, None]),
                ], order=[('company', 'ASC NULLS LAST'), ('id', 'ASC')],
            limit=1)
        if not flows:
            raise ApprovalError(gettext(
                    'dealer_base.msg_approval_no_flow',
                    document=document.rec_name,
                    model=document.__names__()['model']))
        return flows[0]


class ApprovalStep(sequence_ordered(), ModelSQL, ModelView):
    "Approval Step"
    __name__ = 'dealer.approval.flow.step'
    __string__ = "Approval Step"
    flow = fields.Many2One(
        'dealer.approval.flow', "Flow", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    approver_type = fields.Selection([
            ('supervisor', "Requester's Supervisor"),
            ('position', "Position in the Document's Company"),
            ('user', "Named User"),
            ], "Approver", required=True)
    position = fields.Many2One(
        'res.role', "Position",
        states={
            'required': Eval('approver_type') == 'position',
            'invisible': Eval('approver_type') != 'position',
            })
    user = fields.Many2One(
        'res.user', "User",
        states={
            'required': Eval('approver_type') == 'user',
            'invisible': Eval('approver_type') != 'user',
            })
    min_amount = fields.Numeric(
        "Only Above Amount", digits=(16, 2),
        domain=[If(Eval('min_amount'), ('min_amount', '>=', 0), ())],
        help="The step applies only to documents whose amount is above; "
        "empty: always.")
    # Modules add the conditions their documents report (over budget,
    # business expense …) with cls.condition.selection.append(...).
    condition = fields.Selection([
            (None, "Always"),
            ], "Only When", sort=False,
        help="The step applies only to documents meeting the condition "
        "when submitted.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('flow')

    @classmethod
    def default_approver_type(cls):
        return 'supervisor'

    def applies(self, amount, conditions=()):
        return (self.min_amount is None or (
                amount is not None and amount > self.min_amount)) and (
            not self.condition or self.condition in conditions)

    def get_approvers(self, request):
        "Return the users who decide this step of the request"
        pool = Pool()
        User = pool.get('res.user')
        if self.approver_type == 'user':
            users = [self.user] if self.user.active else []
        elif self.approver_type == 'supervisor':
            supervisor = (request.requester_employee.supervisor
                if request.requester_employee else None)
            users = User.search([
                    ('employees', '=', supervisor.id),
                    ]) if supervisor else []
        else:
            now = dt.datetime.now()
            users = [h.user for h in self.position.users
                if h.valid(now) and h.user.active
                and request.company.id in h.granted_companies()]
        # Nobody approves their own request.
        return sorted({u for u in users if u != request.requester},
            key=lambda u: u.id)


class ApprovalRequest(DocumentNameMixin, ModelSQL, ModelView):
    "Approval Request"
    __name__ = 'dealer.approval.request'
    __string__ = "Approval Request"
    document = fields.Reference(
        "Document", selection='get_document_models', required=True,
        readonly=True)
    document_model = fields.Function(fields.Char("Document Model"),
        'get_document_model', searcher='search_document_model')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    requester = fields.Many2One(
        'res.user', "Requester", required=True, readonly=True)
    requester_employee = fields.Many2One(
        'company.employee', "Requesting Employee", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    # The document's conditions when submitted, space separated.
    conditions = fields.Char("Conditions", readonly=True)
    flow = fields.Many2One(
        'dealer.approval.flow', "Flow", required=True, readonly=True)
    step = fields.Many2One(
        'dealer.approval.flow.step', "Current Step", readonly=True)
    approvers = fields.Many2Many(
        'dealer.approval.request-res.user', 'request', 'user',
        "Current Approvers", readonly=True)
    state = fields.Selection([
            ('waiting', "Waiting for Approval"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    submitted = fields.DateTime("Submitted", required=True, readonly=True)
    logs = fields.One2Many(
        'dealer.approval.log', 'request', "History", readonly=True)
    waiting_for_me = fields.Function(
        fields.Boolean("Waiting for Me"), 'get_waiting_for_me',
        searcher='search_waiting_for_me')
    mine = fields.Function(
        fields.Boolean("My Request"), 'get_mine', searcher='search_mine')
    summary = fields.Function(fields.Char("What Is Asked"), 'get_summary')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('submitted', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'waiting'),
                Index(t, (t.requester, Index.Range()),
                    (t.submitted, Index.Range(order='DESC'))),
                Index(t, (t.requester_employee, Index.Range())),
                Index(t, (t.company, Index.Range()),
                    (t.submitted, Index.Range(order='DESC'))),
                })
        cls._buttons.update({
                'approve': {
                    'invisible': ~Eval('waiting_for_me', False),
                    'depends': ['waiting_for_me'],
                    },
                'reject': {
                    'invisible': ~Eval('waiting_for_me', False),
                    'depends': ['waiting_for_me'],
                    },
                })
        cls.__rpc__.update({
                'decide': RPC(readonly=False, instantiate=0),
                })

    @classmethod
    def get_document_models(cls):
        return approvable_models()

    def get_document_model(self, name):
        return str(self.document).partition(',')[0]

    @classmethod
    def search_document_model(cls, name, clause):
        _, operator, value = clause[:3]
        names = value if operator in {'in', 'not in'} else [value]
        if operator in {'!=', 'not in'}:
            return [('document', 'not like', '%s,%%' % n) for n in names]
        if not names:
            return [('id', '=', None)]
        return ['OR'] + [('document', 'like', '%s,%%' % n) for n in names]

    @classmethod
    def get_rec_name(cls, requests, name):
        names = cls.document_names(r.document for r in requests)
        return {r.id: names.get(str(r.document), str(r.id))
            for r in requests}

    def get_waiting_for_me(self, name):
        user_id = Transaction().user
        return self.state == 'waiting' and any(
            u.id == user_id for u in self.approvers)

    @classmethod
    def search_waiting_for_me(cls, name, clause):
        _, operator, value = clause
        user_id = Transaction().user
        mine = [('state', '=', 'waiting'), ('approvers', '=', user_id)]
        if (operator == '=') == bool(value):
            return mine
        return ['OR', ('state', '!=', 'waiting'),
            ('approvers', 'not where', [('id', '=', user_id)])]

    def get_mine(self, name):
        return self.requester.id == Transaction().user

    @classmethod
    def get_summary(cls, requests, name):
        by_model = defaultdict(list)
        for request in requests:
            if request.document:
                by_model[request.document.__class__].append(request)
        result = {r.id: None for r in requests}
        for Model, sub in by_model.items():
            # A request stays in its reader's list when its document left
            # his scope: then nothing of the document is told.
            hidden = unreadable_ids(Model, [r.document.id for r in sub],
                raise_access=False) if Transaction().user else set()
            for request in sub:
                result[request.id] = (hidden_name()
                    if request.document.id in hidden
                    else request.document.get_approval_summary())
        return result

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause
        op = '=' if (operator == '=') == bool(value) else '!='
        return [('requester', op, Transaction().user)]

    @classmethod
    def submit(cls, documents):
        "Open an approval request for each draft document"
        pool = Pool()
        Flow = pool.get('dealer.approval.flow')
        Log = pool.get('dealer.approval.log')
        if not documents:
            return []
        Document = documents[0].__class__
        lock_rows(documents)
        user = Transaction().user
        now = dt.datetime.now()
        requests = []
        for document in documents:
            if document.approval_state != 'draft':
                raise ApprovalError(gettext(
                        'dealer_base.msg_approval_not_draft',
                        document=document.rec_name))
            flow = Flow.find(document)
            request = cls(document=document, company=document.company,
                requester=user,
                requester_employee=document.get_approval_requester(),
                amount=document.get_approval_amount(),
                conditions=' '.join(sorted(
                        document.get_approval_conditions())) or None,
                flow=flow, state='waiting', submitted=now)
            request.save()
            Log(request=request, document=document, action='submit',
                user=user, date=now).save()
            request._enter_step(request._next_step(None))
            requests.append(request)
        cls.save(requests)
        Document.approval_submitted(documents)
        cls._update_documents(requests)
        return requests

    def _next_step(self, current):
        """Return the next step that applies to the amount and conditions,
        or None"""
        conditions = set((self.conditions or '').split())
        steps = [s for s in self.flow.steps
            if s.applies(self.amount, conditions)]
        if current is not None:
            steps = steps[steps.index(current) + 1:]
        return steps[0] if steps else None

    def _enter_step(self, step):
        """Move to the step, or approve when no step is left; with the
        flow's skip_repeated, pass the steps whose approvers all approved
        this request already"""
        pool = Pool()
        Log = pool.get('dealer.approval.log')
        approved_by = None
        while step is not None:
            approvers = step.get_approvers(self)
            if not approvers:
                raise ApprovalError(gettext(
                        'dealer_base.msg_approval_no_approver',
                        step=step.rec_name, flow=self.flow.rec_name,
                        document=self.document.rec_name))
            if not self.flow.skip_repeated:
                break
            if approved_by is None:
                with without_check_access():
                    approved_by = {l.user for l in Log.search([
                                ('request', '=', self.id),
                                ('action', '=', 'approve'),
                                ])}
            if not set(approvers) <= approved_by:
                break
            step = self._next_step(step)
        if step is None:
            self.state = 'approved'
            self.step = None
            self.approvers = []
            return
        self.step = step
        self.approvers = approvers

    @classmethod
    def decide(cls, requests, decision, comment=None):
        """Record the current user's decision ('approve' or 'reject') on the
        current step of the requests"""
        pool = Pool()
        Log = pool.get('dealer.approval.log')
        if decision not in {'approve', 'reject'}:
            raise ApprovalError(gettext(
                    'dealer_base.msg_approval_decision', decision=decision))
        if comment is not None and not isinstance(comment, str):
            raise ApprovalError(gettext('dealer_base.msg_approval_comment'))
        comment = (comment or '').strip()
        if decision == 'reject' and not comment:
            raise ApprovalError(gettext('dealer_base.msg_approval_reason'))
        requests = cls.browse(requests)
        if Transaction().check_access:
            # An RPC caller decides only on requests it may read.
            cls.read([r.id for r in requests], ['id'])
        with without_check_access():
            lock_rows(requests)
            user = Transaction().user
            now = dt.datetime.now()
            for request in requests:
                if request.state != 'waiting':
                    raise ApprovalError(gettext(
                            'dealer_base.msg_approval_decided',
                            document=request.rec_name,
                            state=request.state_string))
                if request.requester.id == user:
                    raise ApprovalError(gettext(
                            'dealer_base.msg_approval_self',
                            document=request.rec_name))
                if user not in {u.id for u in request.approvers}:
                    raise ApprovalError(gettext(
                            'dealer_base.msg_approval_not_approver',
                            document=request.rec_name,
                            step=request.step.rec_name,
                            approvers=', '.join(
                                u.rec_name for u in request.approvers)))
                Log(request=request, document=request.document,
                    step=request.step, step_name=request.step.name,
                    action=decision, user=user, comment=comment or None,
                    date=now).save()
                if decision == 'reject':
                    request.state = 'rejected'
                    request.step = None
                    request.approvers = []
                else:
                    request._enter_step(request._next_step(request.step))
            cls.save(requests)
            cls._update_documents(requests)

    @classmethod
    def _update_documents(cls, requests):
        "Mirror the requests' state on their documents and call their hook"
        by_model = {}
        for request in requests:
            document = request.document
            by_model.setdefault(document.__class__, []).append(
                (document, request))
        for Document, pairs in by_model.items():
            to_write = []
            decided = {'approve': [], 'reject': []}
            for document, request in pairs:
                state = request.state
                to_write.extend(([document], {
                            'approval_state': state,
                            'approval_request': request.id,
                            }))
                if state == 'approved':
                    decided['approve'].append(document)
                elif state == 'rejected':
                    decided['reject'].append(document)
            Document.write(*to_write)
            for decision, documents in decided.items():
                if documents:
                    Document.approval_decided(
                        Document.browse(documents), decision)

    @classmethod
    @ModelView.button_action('dealer_base.wizard_approval_decide')
    def approve(cls, requests):
        pass

    @classmethod
    @ModelView.button_action('dealer_base.wizard_approval_decide')
    def reject(cls, requests):
        pass

    @classmethod
    def check_modification(cls, mode, requests, values=None, external=False):
        super().check_modification(
            mode, requests, values=values, external=external)
        if external:
            raise AccessError(gettext('dealer_base.msg_approval_request_write'))


class ApprovalRequestUser(ModelSQL):
    "Approval Request - Approver"
    __name__ = 'dealer.approval.request-res.user'
    __string__ = "Approval Request - Approver"
    request = fields.Many2One(
        'dealer.approval.request', "Request", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.user.search_context = {'active_test': False}

        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.user, Index.Range()), (t.request, Index.Range())))


class ApprovalLog(DocumentNameMixin, ModelSQL, ModelView):
    "Approval Log"
    __name__ = 'dealer.approval.log'
    __string__ = "Approval Log"
    request = fields.Many2One(
        'dealer.approval.request', "Request", required=True, readonly=True,
        ondelete='RESTRICT')
    document = fields.Reference(
        "Document", selection='get_document_models', required=True,
        readonly=True)
    step = fields.Many2One(
        'dealer.approval.flow.step', "Step", readonly=True,
        ondelete='SET NULL')
    # The step's name when decided: a flow may be edited later.
    step_name = fields.Char("Step Name", readonly=True)
    action = fields.Selection([
            ('submit', "Submitted"),
            ('approve', "Approved"),
            ('reject', "Rejected"),
            ], "Action", required=True, readonly=True)
    user = fields.Many2One('res.user', "Done By", required=True, readonly=True)
    comment = fields.Text("Comment", readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        # The scope rule of requests looks for the user's decisions.
        cls._sql_indexes.update({
                Index(t, (t.request, Index.Range())),
                Index(t, (t.user, Index.Range()), (t.request, Index.Range())),
                })

    @classmethod
    def get_document_models(cls):
        return approvable_models()

    @classmethod
    def check_modification(cls, mode, logs, values=None, external=False):
        super().check_modification(
            mode, logs, values=values, external=external)
        # Append-only, for everybody, through the client or in code.
        if mode in {'write', 'delete'} or (mode == 'create' and external):
            raise AccessError(gettext('dealer_base.msg_approval_log_write'))


class ApprovalDecideStart(ModelView):
    "Approve or Reject"
    __name__ = 'dealer.approval.decide.start'
    __string__ = "Approve or Reject"
    summary = fields.Text("What Is Decided", readonly=True)
    comment = fields.Text("Comment",
        help="Optional to approve, required to reject.")


class ApprovalDecide(Wizard):
    """The approver's dialog: what is asked, a comment, approve or reject
    (as one answers an approval on the phone)"""
    __name__ = 'dealer.approval.decide'
    start = StateView('dealer.approval.decide.start',
        'dealer_base.approval_decide_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reject", 'reject', 'tryton-cancel'),
            # No default: Enter must not approve what was opened to reject.
            Button("Approve", 'approve', 'tryton-ok'),
            ])
    approve = StateTransition()
    reject = StateTransition()

    def _requests(self):
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        if self.model.__name__ == Request.__name__:
            return list(self.records)
        return self.model._approval_requests(self.records)

    def default_start(self, fields):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        lines = []
        for request in self._requests():
            line = [request.rec_name, request.summary]
            if request.amount is not None:
                line.append(lang.currency(
                        request.amount, request.company.currency,
                        grouping=True))
            if request.step:
                line.append(request.step.rec_name)
            lines.append(' · '.join(filter(None, line)))
        return {'summary': '\n'.join(lines)}

    def transition_approve(self):
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        Request.decide(self._requests(), 'approve', self.start.comment)
        return 'end'

    def transition_reject(self):
        pool = Pool()
        Request = pool.get('dealer.approval.request')
        Request.decide(self._requests(), 'reject', self.start.comment)
        return 'end'
