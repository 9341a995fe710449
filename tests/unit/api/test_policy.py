"""Default policy: who may do what to a container of project A."""

import pytest

from snapzun import exception
from snapzun.api import policy
from tests.unit import fakes

PERSONAS = {
    'admin': fakes.context(project_id=fakes.PROJECT_B, roles=['admin']),
    'member': fakes.context(roles=['member']),
    'reader': fakes.context(roles=['reader']),
    'other_member': fakes.context(project_id=fakes.PROJECT_B,
                                  roles=['member']),
    'no_role': fakes.context(roles=[]),
}
TARGET = {'project_id': fakes.PROJECT_A, 'user_id': 'user-a'}

# rule: the personas it allows on a container of project A
ALLOWED = {
    'container:get_one': {'admin', 'member', 'reader'},
    'container:get_all': {'admin', 'member', 'reader'},
    'container:logs': {'admin', 'member', 'reader'},
    'container:top': {'admin', 'member', 'reader'},
    'container:stats': {'admin', 'member', 'reader'},
    'container:actions': {'admin', 'member', 'reader'},
    'container:create': {'admin', 'member'},
    'container:update': {'admin', 'member'},
    'container:delete': {'admin', 'member'},
    'container:execute': {'admin', 'member'},
    'container:commit': {'admin', 'member'},
    'container:start': {'admin', 'member'},
    'container:stop': {'admin', 'member'},
    'container:reboot': {'admin', 'member'},
    'container:pause': {'admin', 'member'},
    'container:unpause': {'admin', 'member'},
    'container:kill': {'admin', 'member'},
    'container:get_all_all_projects': {'admin'},
    'container:get_one:admin_fields': {'admin'},
    'container:delete_force': {'admin'},
    'container:create:requested_destination': {'admin'},
    'container:create:runtime': {'admin'},
    'container:actions:traceback': {'admin'},
    'container:create:privileged': set(),
    'service:get_all': {'admin'},
}


@pytest.mark.parametrize('rule', sorted(ALLOWED))
def test_default_rules(rule):
    allowed = {name for name, ctx in PERSONAS.items()
               if policy.check(ctx, rule, dict(TARGET))}

    assert allowed == ALLOWED[rule]


def test_every_registered_container_rule_is_covered():
    registered = {r.name for r in policy.get_enforcer().registered_rules
                  .values() if r.name.startswith('container:')}

    assert registered <= set(ALLOWED)


def test_authorize_refuses_with_403_naming_the_rule():
    with pytest.raises(exception.PolicyNotAuthorized) as raised:
        policy.authorize(PERSONAS['reader'], 'container:delete',
                         dict(TARGET))

    assert raised.value.code == 403
    assert 'container:delete' in str(raised.value)


def test_authorize_defaults_to_the_callers_project():
    policy.authorize(PERSONAS['other_member'], 'container:create')
    with pytest.raises(exception.PolicyNotAuthorized):
        policy.authorize(PERSONAS['reader'], 'container:create')
