"""Rules the resource policies build on."""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
# Keystone's implied roles give a member's token the reader role too; the
# reader rule names both so it holds where roles are not implied.
PROJECT_MEMBER = ('rule:context_is_admin or '
                  '(role:member and project_id:%(project_id)s)')
PROJECT_READER = ('rule:context_is_admin or '
                  '((role:reader or role:member) and '
                  'project_id:%(project_id)s)')

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       description='Who is an administrator.'),
    policy.RuleDefault('project_member', PROJECT_MEMBER,
                       description='Members of the owning project.'),
    policy.RuleDefault('project_reader', PROJECT_READER,
                       description='Readers of the owning project.'),
]


def list_rules():
    return rules
