"""Request context carried from the API through RPC to the agents."""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """A user's identity and rights, plus whether to span all projects."""

    def __init__(self, all_projects=False, **kwargs):
        super().__init__(**kwargs)
        self.all_projects = all_projects

    def to_dict(self):
        values = super().to_dict()
        values['all_projects'] = self.all_projects
        values['roles'] = self.roles
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('all_projects', values.get('all_projects', False))
        kwargs.setdefault('roles', values.get('roles', []))
        return super().from_dict(values, **kwargs)

    def elevated(self):
        """A copy with admin rights over every project, for agents."""
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        ctx.all_projects = True
        if 'admin' not in ctx.roles:
            ctx.roles = ctx.roles + ['admin']
        return ctx


def get_admin_context():
    return RequestContext(is_admin=True, all_projects=True, roles=['admin'],
                          overwrite=False)
