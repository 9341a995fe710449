"""Keystone catalog and test identities of the local stack; Cinder readiness.

Run by stack.sh with the stack venv's python and the SNAPZUN_STACK_* settings
in the environment (the keys of $SNAPZUN_STACK_DIR/stack.env):

  catalog.py register      create what is missing, fix what differs (idempotent)
  catalog.py cinder-ready  exit 0 once cinder-scheduler and cinder-volume are up
                           and the scheduler knows a pool, 1 before that
"""

import os
import sys

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client as ks_client

ENV = os.environ
REGION = ENV["SNAPZUN_STACK_REGION"]
SERVICE_PROJECT = "service"
SERVICE_USERS = ("glance", "cinder", "snapzun")
# user -> (project, role)
DEMO_USERS = {
    "demo": ("demo", "member"),
    "alt_demo": ("alt_demo", "member"),
    "demo_reader": ("demo", "reader"),
}
# (type, name, description, URL); the URL is the same for all interfaces
CINDER_URL = ENV["SNAPZUN_STACK_CINDER_URL"] + "/$(project_id)s"
SERVICES = (
    ("image", "glance", "Image service", ENV["SNAPZUN_STACK_GLANCE_URL"]),
    ("volumev3", "cinderv3", "Block storage v3", CINDER_URL),
    ("block-storage", "cinder", "Block storage", CINDER_URL),
    ("container", "snapzun", "Container service",
     ENV["SNAPZUN_STACK_CONTAINER_URL"]),
)
INTERFACES = ("public", "internal", "admin")


def admin_session():
    auth = v3.Password(
        auth_url=ENV["SNAPZUN_STACK_KEYSTONE_URL"],
        username="admin",
        password=ENV["SNAPZUN_STACK_ADMIN_PASSWORD"],
        project_name="admin",
        user_domain_id="default",
        project_domain_id="default",
    )
    return ks_session.Session(auth=auth, timeout=10)


def first(manager, **filters):
    found = manager.list(**filters)
    return found[0] if found else None


def ensure_role(ks, name):
    return first(ks.roles, name=name) or ks.roles.create(name)


def ensure_project(ks, name):
    return (first(ks.projects, name=name, domain="default")
            or ks.projects.create(name, "default"))


def ensure_user(ks, name, password, project):
    user = first(ks.users, name=name, domain="default")
    if user is None:
        return ks.users.create(name, domain="default", password=password,
                               default_project=project)
    # the password may have changed since the last start
    return ks.users.update(user, password=password, default_project=project)


def ensure_service(ks, service_type, name, description, url):
    service = (first(ks.services, type=service_type, name=name)
               or ks.services.create(name, service_type,
                                     description=description))
    for interface in INTERFACES:
        endpoint = first(ks.endpoints, service=service, interface=interface,
                         region=REGION)
        if endpoint is None:
            ks.endpoints.create(service, url, interface=interface,
                                region=REGION)
        elif endpoint.url != url:
            ks.endpoints.update(endpoint, url=url)


def register():
    ks = ks_client.Client(session=admin_session())
    roles = {name: ensure_role(ks, name)
             for name in ("admin", "member", "reader", "service")}

    admin_project = ensure_project(ks, "admin")
    admin_user = first(ks.users, name="admin", domain="default")
    ks.roles.grant(roles["admin"], user=admin_user, project=admin_project)

    service_project = ensure_project(ks, SERVICE_PROJECT)
    for name in SERVICE_USERS:
        user = ensure_user(ks, name, ENV["SNAPZUN_STACK_SERVICE_PASSWORD"],
                           service_project)
        for role in ("admin", "service"):
            ks.roles.grant(roles[role], user=user, project=service_project)

    for name, (project_name, role) in DEMO_USERS.items():
        project = ensure_project(ks, project_name)
        user = ensure_user(ks, name, ENV["SNAPZUN_STACK_DEMO_PASSWORD"],
                           project)
        ks.roles.grant(roles[role], user=user, project=project)

    for service in SERVICES:
        ensure_service(ks, *service)


def cinder_ready():
    sess = admin_session()
    base = f"{ENV['SNAPZUN_STACK_CINDER_URL']}/{sess.get_project_id()}"
    services = sess.get(f"{base}/os-services", timeout=2).json()["services"]
    up = {s["binary"] for s in services if s["state"] == "up"}
    pools = sess.get(f"{base}/scheduler-stats/get_pools",
                     timeout=2).json()["pools"]
    return {"cinder-scheduler", "cinder-volume"} <= up and bool(pools)


def main(command):
    if command == "register":
        register()
        return 0
    if command == "cinder-ready":
        try:
            return 0 if cinder_ready() else 1
        except ks_exc.ClientException:
            return 1
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2] or [""]))
