"""Rules the resource policies build on."""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
# Keystone's implied roles make every member a reader and every admin a
# member, so these two rules cover the three personas.
PROJECT_MEMBER = 'rule:context_is_admin or (role:member and ' \
                 'project_id:%(project_id)s)'
PROJECT_READER = 'rule:context_is_admin or (role:reader and ' \
                 'project_id:%(project_id)s)'

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
