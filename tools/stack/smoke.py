"""Smoke test of a running local stack (tools/stack/stack.sh start).

    $SNAPZUN_STACK_VENV/bin/python tools/stack/smoke.py [STACK_ENV]

STACK_ENV defaults to $SNAPZUN_STACK_DIR/stack.env. Checks, as the demo user
where a user would: tokens for every test identity; the catalog's container
(snapzun) endpoint; a Glance docker/raw image round trip of a few MB; the
legacy Cinder attach flow (the one Zun uses) on a 1 GB volume: reserve,
initialize_connection, attach to an instance uuid, write through the device
(loop backend), force snapshot, volume from snapshot holds the data, detach,
delete. Exits non-zero on the first failure; cleans up what it created.
"""

import hashlib
import io
import os
import shlex
import socket
import subprocess
import sys
import tarfile
import time
import uuid
import warnings

from cinderclient import client as cinder_client
from glanceclient import Client as GlanceClient
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

WAIT = 60  # seconds for any Cinder status change
T0 = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - T0:5.1f} s] {message}", flush=True)


def load_stack_env(path):
    """KEY='VALUE' lines of stack.env as a dict."""
    env = {}
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, _, value = line.strip().partition("=")
                env[key] = shlex.split(value)[0]
    return env


def session(env, user, project):
    password = env["SNAPZUN_STACK_DEMO_PASSWORD"]
    if user == "admin":
        password = env["SNAPZUN_STACK_ADMIN_PASSWORD"]
    elif project == "service":
        password = env["SNAPZUN_STACK_SERVICE_PASSWORD"]
    auth = v3.Password(auth_url=env["SNAPZUN_STACK_KEYSTONE_URL"],
                       username=user, password=password,
                       project_name=project, user_domain_id="default",
                       project_domain_id="default")
    return ks_session.Session(auth=auth, timeout=30)


def check_identities(env):
    sessions = {}
    for user, project, role in (("admin", "admin", "admin"),
                                ("demo", "demo", "member"),
                                ("alt_demo", "alt_demo", "member"),
                                ("demo_reader", "demo", "reader"),
                                ("snapzun", "service", "service")):
        sess = sessions[user] = session(env, user, project)
        roles = sess.auth.get_access(sess).role_names
        assert role in roles, (user, roles)
    log("tokens for admin, demo, alt_demo, demo_reader, snapzun")
    return sessions


def check_catalog(env, sess):
    url = sess.get_endpoint(service_type="container", interface="public",
                            region_name=env["SNAPZUN_STACK_REGION"])
    assert url == env["SNAPZUN_STACK_CONTAINER_URL"], url
    access = sess.auth.get_access(sess)
    entry = [s for s in access.service_catalog.catalog
             if s["type"] == "container"][0]
    assert entry["name"] == "snapzun", entry
    assert {e["interface"] for e in entry["endpoints"]} == {
        "public", "internal", "admin"}, entry
    log(f"catalog: container (snapzun) at {url}")


def docker_save_like(size):
    """A tar stream like `docker save` output, of about ``size`` bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        layer = os.urandom(size)
        info = tarfile.TarInfo("layer.tar")
        info.size = len(layer)
        tar.addfile(info, io.BytesIO(layer))
    return buf.getvalue()


def check_glance(sess):
    glance = GlanceClient("2", session=sess)
    data = docker_save_like(4 * 1024 * 1024)
    image = glance.images.create(name="snapzun-smoke",
                                 container_format="docker", disk_format="raw")
    try:
        glance.images.upload(image.id, io.BytesIO(data))
        image = glance.images.get(image.id)
        assert image.status == "active", image.status
        assert image.checksum == hashlib.md5(data).hexdigest()
        assert b"".join(glance.images.data(image.id)) == data
        log(f"glance: {len(data)} bytes docker/raw image up, active, down")
    finally:
        glance.images.delete(image.id)
    log("glance: image deleted")


def wait_status(manager, obj_id, status):
    deadline = time.monotonic() + WAIT
    while True:
        obj = manager.get(obj_id)
        if obj.status == status:
            return obj
        assert "error" not in obj.status, (obj_id, obj.status)
        assert time.monotonic() < deadline, (obj_id, obj.status, status)
        time.sleep(0.2)


def wait_deleted(manager, obj_id):
    deadline = time.monotonic() + WAIT
    while any(o.id == obj_id for o in manager.list()):
        assert time.monotonic() < deadline, (obj_id, "not deleted")
        time.sleep(0.2)


def loop_devices_of(env, volume_id):
    state = env["SNAPZUN_STACK_DIR"]
    out = subprocess.run(
        ["losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE"],
        check=True, capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()
            if state in line and volume_id in line]


def local_device_path(connection_info):
    """What snapzun's compute does with a 'local' connection: os-brick."""
    with warnings.catch_warnings():
        # os_brick imports oslo_privsep, which imports eventlet: a banner
        warnings.simplefilter("ignore")
        from os_brick.initiator import connector
    brick = connector.InitiatorConnector.factory("LOCAL", None)
    return brick.connect_volume(connection_info["data"])["path"]


class Attachment:
    """The legacy attach flow snapzun's compute would do for a container."""

    def __init__(self, cinder, volume_id):
        self.cinder, self.volume_id = cinder, volume_id
        # the fake backend (an LVM driver) wants an iSCSI initiator name
        self.connector = {"host": socket.gethostname(), "ip": "127.0.0.1",
                          "initiator": "iqn.2026-01.org.snapzun:smoke",
                          "multipath": False, "platform": "x86_64",
                          "os_type": "linux"}
        self.instance = str(uuid.uuid4())
        self.attachment_id = None
        self.device = None

    def __enter__(self):
        volumes = self.cinder.volumes
        volumes.reserve(self.volume_id)
        try:
            info = volumes.initialize_connection(self.volume_id,
                                                 self.connector)
        except Exception:
            volumes.unreserve(self.volume_id)
            raise
        try:
            volumes.attach(self.volume_id, self.instance, "/dev/vdb",
                           mode="rw", host_name=self.connector["host"])
        except Exception:
            volumes.terminate_connection(self.volume_id, self.connector)
            volumes.unreserve(self.volume_id)
            raise
        volume = wait_status(volumes, self.volume_id, "in-use")
        attachment = volume.attachments[0]
        assert attachment["server_id"] == self.instance, attachment
        self.attachment_id = attachment["attachment_id"]
        if info["driver_volume_type"] == "local":
            self.device = local_device_path(info)
        return self

    def __exit__(self, *exc):
        volumes = self.cinder.volumes
        volumes.begin_detaching(self.volume_id)
        volumes.terminate_connection(self.volume_id, self.connector)
        volumes.detach(self.volume_id, self.attachment_id)
        wait_status(volumes, self.volume_id, "available")


def check_cinder(env, sess):
    cinder = cinder_client.Client("3.0", session=sess)
    backend = env["SNAPZUN_STACK_CINDER_BACKEND"]
    marker = b"snapzun smoke " + uuid.uuid4().hex.encode()
    created = []
    try:
        volume = cinder.volumes.create(1, name="snapzun-smoke")
        created.append(("volume", volume.id))
        wait_status(cinder.volumes, volume.id, "available")
        log(f"cinder: 1 GB volume available ({backend} backend)")

        with Attachment(cinder, volume.id) as att:
            log(f"cinder: in-use, attached to instance {att.instance}"
                + (f" as {att.device}" if att.device else ""))
            if backend == "loop":
                assert att.device.startswith("/dev/loop"), att.device
                assert loop_devices_of(env, volume.id) == [att.device]
                with open(att.device, "r+b") as dev:
                    dev.seek(512 * 1024 * 1024)
                    dev.write(marker)
                    dev.flush()
                    os.fsync(dev.fileno())
                log(f"cinder: wrote {len(marker)} bytes to {att.device}")
            snapshot = cinder.volume_snapshots.create(volume.id, force=True)
            created.insert(0, ("snapshot", snapshot.id))
            wait_status(cinder.volume_snapshots, snapshot.id,
                        "available")
            log("cinder: forced snapshot of the in-use volume available")
        log("cinder: detached, available")
        if backend == "loop":
            assert loop_devices_of(env, volume.id) == [], "loop device left"

        copy = cinder.volumes.create(1, snapshot_id=snapshot.id,
                                     name="snapzun-smoke-copy")
        created.insert(0, ("volume", copy.id))
        wait_status(cinder.volumes, copy.id, "available")
        if backend == "loop":
            with Attachment(cinder, copy.id) as att:
                with open(att.device, "rb") as dev:
                    dev.seek(512 * 1024 * 1024)
                    assert dev.read(len(marker)) == marker
            log("cinder: volume from the snapshot holds the marker")
        else:
            log("cinder: volume from the snapshot available")
    finally:
        for kind, obj_id in created:
            manager = (cinder.volumes if kind == "volume"
                       else cinder.volume_snapshots)
            manager.delete(obj_id)
            wait_deleted(manager, obj_id)
    log(f"cinder: deleted {len(created)} volumes and snapshots")
    if backend == "loop":
        assert loop_devices_of(env, "") == [], "loop devices left"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("SNAPZUN_STACK_DIR", "/tmp/snapzun-stack"), "stack.env")
    env = load_stack_env(path)
    sessions = check_identities(env)
    check_catalog(env, sessions["admin"])
    check_glance(sessions["demo"])
    check_cinder(env, sessions["demo"])
    log("smoke test passed")


if __name__ == "__main__":
    main()
