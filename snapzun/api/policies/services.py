"""Policies of the service list."""

from oslo_policy import policy

from snapzun.api.policies import base


def list_rules():
    return [policy.DocumentedRuleDefault(
        name='service:get_all', check_str=base.ADMIN,
        description='List snapzun services and their state.',
        operations=[{'method': 'GET', 'path': '/v1/services'}])]
