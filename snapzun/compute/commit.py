"""Committing a container to an image, in three replaceable steps.

1. capture: the container's changes, under a freeze that lasts only for
   the capture (``DockerCommitCapture``: ``docker commit``, paused by the
   engine and thawed whatever happens);
2. build: the image in a shippable form (``DockerSaveBuild``: the
   ``docker save`` stream);
3. ship: to the image store, by the image driver (Glance: streamed
   upload), or nothing when the driver keeps the image in the engine.

A copy-on-write capture or a layer-level incremental upload replaces one
step here without touching the API or the RPC layer.
"""

import abc
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from snapzun import exception
from snapzun.db import api as db_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# container_commit.status, in order.
QUEUED = 'queued'
CAPTURING = 'capturing'
UPLOADING = 'uploading'
ACTIVE = 'active'
# Failed, and its image could not yet be deleted from the store.
CLEANUP_PENDING = 'cleanup_pending'
FAILED = 'failed'
IN_PROGRESS = (QUEUED, CAPTURING, UPLOADING)

LABEL_COMMIT = 'snapzun.commit'
LABEL_SOURCE = 'snapzun.source_container'
# Progress is written at most this often (seconds), besides the end.
PROGRESS_INTERVAL = 1.0


def image_properties(container):
    """Image properties tying a commit to the container it came from."""
    return {'snapzun_container_uuid': container.uuid,
            'snapzun_container_name': container.name or '',
            'snapzun_host': container.host or '',
            'snapzun_source_image': container.image,
            'snapzun_committed_at': timeutils.utcnow().isoformat()}


class Capture(abc.ABC):
    @abc.abstractmethod
    def capture(self, engine, container, ref, commit):
        """Capture the container's filesystem as local image ``ref``.

        :returns: the local image's id.
        """


class Build(abc.ABC):
    @abc.abstractmethod
    def build(self, engine, image_ref):
        """:returns: the image as an iterable of bytes, read once."""


class DockerCommitCapture(Capture):
    def capture(self, engine, container, ref, commit):
        repository, _, tag = ref.rpartition(':')
        return engine.commit(container.container_id, repository, tag,
                             {LABEL_COMMIT: commit.uuid,
                              LABEL_SOURCE: container.uuid})


class DockerSaveBuild(Build):
    def build(self, engine, image_ref):
        return engine.save(image_ref, CONF.glance.upload_chunk_size)


class _Progress:
    """Writes bytes shipped so far to the action event, now and then."""

    def __init__(self, event, commit_uuid):
        self._event = event
        self._commit_uuid = commit_uuid
        self._last = 0.0

    def __call__(self, sent):
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self._event.report(image=self._commit_uuid, bytes_uploaded=sent)


class CommitFlow:
    """Runs one commit, and cleans up after any that cannot finish."""

    def __init__(self, engine, image_drivers, capture=None, build=None):
        self.engine = engine
        self.image_drivers = image_drivers
        self.capture_step = capture or DockerCommitCapture()
        self.build_step = build or DockerSaveBuild()

    def capture(self, context, container, commit):
        """Step 1, under the container's lock: a local image of it."""
        db_api.commit_update(context, commit.uuid, {'status': CAPTURING})
        ref = self._ref(commit)
        started = time.monotonic()
        image_id = self.capture_step.capture(self.engine, container, ref,
                                             commit)
        LOG.info('Captured container %s as %s in %.0f ms', container.uuid,
                 image_id, (time.monotonic() - started) * 1000)
        db_api.commit_update(context, commit.uuid,
                             {'local_image_id': image_id})
        return image_id

    def ship(self, context, commit, event):
        """Steps 2 and 3, with no lock held: publish the image."""
        driver = self.image_drivers(commit.image_driver)
        ref = self._ref(commit)
        if driver.keeps_local_image:
            result = {'size': self.engine.image_size(ref), 'checksum': None}
        else:
            db_api.commit_update(context, commit.uuid, {'status': UPLOADING})
            result = driver.upload_snapshot(
                context, commit.uuid, self.build_step.build(self.engine, ref),
                _Progress(event, commit.uuid))
        db_api.commit_update(context, commit.uuid, dict(result,
                                                        status=ACTIVE))
        event.report(image=commit.uuid, bytes_uploaded=result['size'],
                     size=result['size'], checksum=result['checksum'],
                     finished_at=timeutils.utcnow().isoformat())
        return result

    def abandon(self, context, commit, reason):
        """Undo what a failed or interrupted commit left behind."""
        LOG.warning('Commit %s of container %s failed: %s', commit.uuid,
                    commit.container_uuid, reason)
        if commit.local_image_id:
            self.engine.remove_image(self._ref(commit))
        db_api.commit_update(context, commit.uuid, {'error': str(reason)})
        self._delete_from_store(context, commit)

    def _delete_from_store(self, context, commit):
        driver = self.image_drivers(commit.image_driver)
        try:
            driver.delete_snapshot(context, commit.uuid)
        except exception.SnapzunException as e:
            LOG.warning('Image %s of a failed commit is not deleted yet: %s',
                        commit.uuid, e)
            db_api.commit_update(context, commit.uuid,
                                 {'status': CLEANUP_PENDING})
            return
        db_api.commit_update(context, commit.uuid, {'status': FAILED})

    def retry_cleanup(self, context, host):
        """Delete images of failed commits the store refused before."""
        for commit in db_api.commits_on_host(context, host,
                                             (CLEANUP_PENDING,)):
            self._delete_from_store(context, commit)

    def _ref(self, commit):
        driver = self.image_drivers(commit.image_driver)
        return driver.commit_ref(commit.uuid, commit.repository, commit.tag)

    def recover(self, context, host):
        """After a restart: commits left half done are cleaned up."""
        for commit in db_api.commits_on_host(context, host, IN_PROGRESS):
            self.abandon(context, commit,
                         'interrupted by a restart of the compute agent')
            db_api.action_finish(
                context, commit.container_uuid, commit.request_id,
                message='Commit interrupted by a restart of the compute '
                        'agent; its image was removed.')
        self.retry_cleanup(context, host)

