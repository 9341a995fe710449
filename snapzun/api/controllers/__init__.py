"""Controllers and the helpers every handler shares."""

from oslo_config import cfg
from oslo_utils import uuidutils
import pecan

from snapzun.api import policy
from snapzun.api import validation
from snapzun.db import api as db_api

CONF = cfg.CONF


def base_url():
    return (CONF.api.public_endpoint or pecan.request.host_url).rstrip('/')


def context():
    return pecan.request.context


def params(schema):
    """The request's parameters, checked against ``schema``."""
    return validation.checked_params(
        schema, validation.request_params(pecan.request))


def get_container(ident, rule):
    """A container by uuid or name, after checking ``rule`` on it.

    Administrators find containers of every project. Other projects'
    containers are as good as absent: 404.

    :raises: ContainerNotFound, AmbiguousName, PolicyNotAuthorized
    """
    ctx = context()
    ctx.all_projects = ctx.is_admin
    if uuidutils.is_uuid_like(ident):
        container = db_api.container_get(ctx, ident)
    else:
        container = db_api.container_get_by_name(ctx, ident)
    policy.authorize(ctx, rule, {'project_id': container.project_id,
                                 'user_id': container.user_id})
    return container
