"""Policy enforcement for API requests."""

from oslo_config import cfg
from oslo_policy import policy

from snapzun import exception
from snapzun.api import policies

CONF = cfg.CONF
_ENFORCER = None


def get_enforcer():
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(CONF)
        _ENFORCER.register_defaults(policies.list_rules())
    return _ENFORCER


def authorize(context, rule, target=None):
    """:raises: PolicyNotAuthorized"""
    target = target if target is not None else {
        'project_id': context.project_id}
    credentials = context.to_policy_values()
    if not get_enforcer().enforce(rule, target, credentials):
        raise exception.PolicyNotAuthorized(action=rule)


def check(context, rule, target=None):
    """Whether ``rule`` allows the request, without raising."""
    try:
        authorize(context, rule, target)
    except exception.PolicyNotAuthorized:
        return False
    return True
