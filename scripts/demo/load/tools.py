"How the demo acts: as the administrator in a company, or as a demo login"
import contextlib
import sys

from proteus import Model


def log(msg):
    print(f'[dealer] {msg}', file=sys.stderr, flush=True)


def switch_company(config, company):
    "Make the company the administrator's current one"
    User = Model.get('res.user', config=config)
    admin = User(config.user)
    admin.company = company
    admin.save()
    config._context = User.get_preferences(True, {})


def user_id(config, login):
    "The id of a login, looked up as root (users see only their companies')"
    saved = config.user
    config.user = 0
    try:
        return Model.get('res.user', config=config).find(
            [('login', '=', login)])[0].id
    finally:
        config.user = saved


@contextlib.contextmanager
def acting_as(config, login):
    "Let the demo login (or user id) do what follows (as the web client would)"
    User = Model.get('res.user', config=config)
    saved = config.user, config._context
    config.user = login if isinstance(login, int) else user_id(config, login)
    config._context = User.get_preferences(True, {})
    try:
        yield
    finally:
        config.user, config._context = saved


def approval_flow(config, name, model, first=None, first_position=None,
        boss_above=None):
    """The approval flow of the documents of model: the step first, by the
    holders of first_position (a code) or else by the requester's
    supervisor; then the group leader (above boss_above, when given)"""
    Flow = Model.get('dealer.approval.flow', config=config)
    Position = Model.get('res.role', config=config)
    boss, = Position.find([('code', '=', 'BOSS')])
    flow = Flow(name=name, document_model=model)
    if first_position:
        flow.steps.new(name=first, approver_type='position',
            position=Position.find([('code', '=', first_position)])[0])
    elif first:
        flow.steps.new(name=first, approver_type='supervisor')
    step = flow.steps.new(name='总经理审批', approver_type='position',
        position=boss)
    if boss_above:
        step.min_amount = boss_above
    flow.save()


def approved(config, document):
    """The current user submits the document; the approvers of each step
    then approve it, as they would from their approval list"""
    document.click('approval_submit')
    name, document_id = document.__class__.__name__, document.id
    while True:
        document = Model.get(name, config=config)(document_id)
        if document.approval_state != 'waiting':
            return document
        with acting_as(config, document.approval_approvers[0].id):
            Model.get(name, config=config)(document_id).click(
                'approval_approve')
