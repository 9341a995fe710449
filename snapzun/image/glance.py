"""Images in Glance: run containers from them, commit containers to them.

Image data streams between the Docker engine and Glance in chunks; no
image is ever held whole in memory.
"""

import contextlib
import hashlib

from glanceclient import client as glance_client
from glanceclient import exc as glance_exc
from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from snapzun import exception
from snapzun.common import keystone
from snapzun.image import driver

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

GROUP = 'glance'
CONTAINER_FORMAT = 'docker'
DISK_FORMAT = 'raw'
# Images loaded from Glance are tagged so a host loads each one once.
LOCAL_REPOSITORY = 'glance'


@contextlib.contextmanager
def translate_errors(image=None):
    try:
        yield
    except glance_exc.HTTPNotFound as e:
        raise exception.ImageNotFound(image=image) from e
    except glance_exc.HTTPForbidden as e:
        raise exception.PolicyNotAuthorized(action=f'image {image}') from e
    except (glance_exc.CommunicationError, glance_exc.HTTPServiceUnavailable,
            glance_exc.HTTPInternalServerError, ks_exc.ConnectFailure,
            ks_exc.EndpointNotFound, ks_exc.DiscoveryFailure,
            ks_exc.ServiceUnavailable) as e:
        raise exception.ImageServiceUnavailable(reason=str(e)) from e
    except (glance_exc.HTTPException, ks_exc.ClientException) as e:
        raise exception.ImageServiceError(reason=str(e)) from e


def client(context):
    return glance_client.Client(
        '2', session=keystone.session(GROUP),
        auth=keystone.auth_for(context, GROUP),
        **keystone.adapter_kwargs(GROUP))


def local_ref(image_id):
    return f'{LOCAL_REPOSITORY}/{image_id}:latest'


class _Reader:
    """A file-like view of chunks that counts and hashes what passes."""

    def __init__(self, chunks, progress, report_every):
        self._chunks = iter(chunks)
        self._pending = b''
        self._progress = progress
        self._report_every = report_every
        self._reported = 0
        self.size = 0
        self.md5 = hashlib.md5(usedforsecurity=False)

    def read(self, size=-1):
        while size < 0 or len(self._pending) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending += chunk
        if size < 0:
            data, self._pending = self._pending, b''
        else:
            data, self._pending = (self._pending[:size],
                                   self._pending[size:])
        self.size += len(data)
        self.md5.update(data)
        if self.size - self._reported >= self._report_every or not data:
            self._reported = self.size
            self._progress(self.size)
        return data


class GlanceImageDriver(driver.ImageDriver):

    def find(self, context, image):
        """The newest active image by id, or by name[:tag].

        :raises: ImageNotFound
        """
        glance = client(context)
        with translate_errors(image):
            if uuidutils.is_uuid_like(image):
                return glance.images.get(image)
            name, _, tag = image.partition(':')
            filters = {'name': name, 'status': 'active'}
            if tag:
                filters['tag'] = [tag]
            found = list(glance.images.list(filters=filters,
                                            sort='created_at:desc',
                                            limit=1))
        if not found:
            raise exception.ImageNotFound(image=image)
        return found[0]

    def ensure_local(self, context, engine, image, pull_policy):
        found = self.find(context, image)
        ref = local_ref(found['id'])
        if pull_policy != 'always' and engine.image_exists(ref):
            return ref
        if pull_policy == 'never':
            raise exception.ImageNotFound(image=image)
        if found.get('container_format') != CONTAINER_FORMAT:
            raise exception.ImageNotFound(image=f'{image} (not a docker '
                                                f'image)')
        with translate_errors(image):
            chunks = client(context).images.data(found['id'])
            loaded = engine.load(iter(chunks))
        engine.tag(loaded, ref)
        return ref

    def commit_ref(self, image_id, repository, tag):
        # The very reference ensure_local looks for on any host: a commit
        # never moves the user's own tags, and loads where it is run.
        return local_ref(image_id)

    def create_snapshot(self, context, repository, tag, properties):
        with translate_errors(repository):
            created = client(context).images.create(
                name=repository, container_format=CONTAINER_FORMAT,
                disk_format=DISK_FORMAT, tags=[tag], **properties)
        return created['id']

    def upload_snapshot(self, context, image_id, chunks, progress):
        reader = _Reader(chunks, progress, CONF.glance.upload_chunk_size)
        glance = client(context)
        with translate_errors(image_id):
            glance.images.upload(image_id, reader)
            stored = glance.images.get(image_id)
        checksum = reader.md5.hexdigest()
        if stored.get('checksum') != checksum or stored.get(
                'size') != reader.size:
            raise exception.ImageServiceError(
                reason=f'image {image_id} arrived damaged: stored '
                       f'{stored.get("size")} bytes, md5 '
                       f'{stored.get("checksum")}; sent {reader.size} '
                       f'bytes, md5 {checksum}')
        return {'size': reader.size, 'checksum': checksum}

    def delete_snapshot(self, context, image_id):
        try:
            with translate_errors(image_id):
                client(context).images.delete(image_id)
        except exception.ImageNotFound:
            pass

