"""Policies of the service and host lists (administrators only)."""

from oslo_policy import policy

from snapzun.api.policies import base


def _admin_rule(name, method, path, description):
    return policy.DocumentedRuleDefault(
        name=name, check_str=base.ADMIN, description=description,
        operations=[{'method': method, 'path': path}])


def list_rules():
    return [
        _admin_rule('service:get_all', 'GET', '/v1/services',
                    'List snapzun services and their state.'),
        _admin_rule('host:get_all', 'GET', '/v1/hosts',
                    'List compute hosts.'),
        _admin_rule('host:get', 'GET', '/v1/hosts/{host_ident}',
                    'Show a compute host.'),
    ]
