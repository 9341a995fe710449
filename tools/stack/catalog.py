"""Keystone catalog and test identities of the local stack; Cinder readiness.

Run by stack.sh with the stack venv's python and the SNAPZUN_STACK_* settings
in the environment (the keys of $SNAPZUN_STACK_DIR/stack.env):

  catalog.py register      create what is missing, fix what differs
  catalog.py cinder-ready  exit 0 once cinder-scheduler and cinder-volume are
                           up and the scheduler knows a pool, else 1
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


def by_name(resources):
    return {r.name: r for r in resources}


class Catalog:
    """Reads each collection once, then creates only what is missing."""

    def __init__(self, ks):
        self.ks = ks
        self.roles = by_name(ks.roles.list())
        self.projects = by_name(ks.projects.list(domain="default"))
        self.users = by_name(ks.users.list(domain="default"))
        self.grants = {
            (a["role"]["id"], a["user"]["id"], a["scope"]["project"]["id"])
            for a in (r.to_dict() for r in ks.role_assignments.list())
            if "user" in a and "project" in a["scope"]}
        self.services = {(s.type, s.name): s for s in ks.services.list()}
        self.endpoints = {(e.service_id, e.interface): e
                          for e in ks.endpoints.list(region_id=REGION)}

    def role(self, name):
        if name not in self.roles:
            self.roles[name] = self.ks.roles.create(name)
        return self.roles[name]

    def project(self, name):
        if name not in self.projects:
            self.projects[name] = self.ks.projects.create(name, "default")
        return self.projects[name]

    def user(self, name, password, project):
        if name in self.users:
            # the password may differ from the last start's
            self.ks.users.update(self.users[name], password=password,
                                 default_project=project)
        else:
            self.users[name] = self.ks.users.create(
                name, domain="default", password=password,
                default_project=project)
        return self.users[name]

    def grant(self, role_name, user, project):
        role = self.role(role_name)
        if (role.id, user.id, project.id) not in self.grants:
            self.ks.roles.grant(role, user=user, project=project)

    def service(self, service_type, name, description, url):
        service = self.services.get((service_type, name))
        if service is None:
            service = self.ks.services.create(name, service_type,
                                              description=description)
        for interface in INTERFACES:
            endpoint = self.endpoints.get((service.id, interface))
            if endpoint is None:
                self.ks.endpoints.create(service, url, interface=interface,
                                         region=REGION)
            elif endpoint.url != url:
                self.ks.endpoints.update(endpoint, url=url)


def register():
    catalog = Catalog(ks_client.Client(session=admin_session()))
    admin = catalog.project("admin")
    catalog.grant("admin", catalog.users["admin"], admin)

    service = catalog.project(SERVICE_PROJECT)
    for name in SERVICE_USERS:
        user = catalog.user(name, ENV["SNAPZUN_STACK_SERVICE_PASSWORD"],
                            service)
        catalog.grant("admin", user, service)
        catalog.grant("service", user, service)

    for name, (project_name, role) in DEMO_USERS.items():
        project = catalog.project(project_name)
        user = catalog.user(name, ENV["SNAPZUN_STACK_DEMO_PASSWORD"], project)
        catalog.grant(role, user, project)

    for args in SERVICES:
        catalog.service(*args)


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
