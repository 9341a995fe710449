"""The Glance image driver against a fake glanceclient."""

import hashlib
from unittest import mock

from glanceclient import exc as glance_exc
from keystoneauth1 import exceptions as ks_exc
import pytest

from snapzun import exception
from snapzun.image import glance
from tests.unit import fakes

IMAGE_UUID = '6f1c3a4e-1b0e-4a4c-9a55-3c1c2e1e7a01'


class FakeImages:
    def __init__(self):
        self.stored = {}
        self.listed = []
        self.list_calls = []
        self.deleted = []
        self.uploaded = {}
        self.error = None
        # What the store claims it stored, overriding the real outcome.
        self.claim = {}

    def _check(self):
        if self.error is not None:
            raise self.error

    def get(self, image_id):
        self._check()
        if image_id not in self.stored:
            raise glance_exc.HTTPNotFound()
        return self.stored[image_id]

    def list(self, **kwargs):
        self._check()
        self.list_calls.append(kwargs)
        return iter(self.listed)

    def create(self, **kwargs):
        self._check()
        image = dict(kwargs, id=IMAGE_UUID)
        self.stored[IMAGE_UUID] = image
        return image

    def upload(self, image_id, data):
        self._check()
        body = b''
        while True:
            chunk = data.read(5)
            if not chunk:
                break
            body += chunk
        self.uploaded[image_id] = body
        self.stored[image_id].update(
            {'size': len(body), 'checksum': hashlib.md5(body).hexdigest()},
            **self.claim)

    def delete(self, image_id):
        self._check()
        if image_id not in self.stored:
            raise glance_exc.HTTPNotFound()
        self.deleted.append(image_id)
        del self.stored[image_id]

    def data(self, image_id):
        self._check()
        return iter([b'image-data'])


@pytest.fixture
def images():
    images = FakeImages()
    with mock.patch.object(glance, 'client', autospec=True,
                           return_value=mock.Mock(images=images)):
        yield images


@pytest.fixture
def driver():
    return glance.GlanceImageDriver()


@pytest.fixture
def ctx():
    return fakes.context()


# _Reader

def test_reader_serves_the_sizes_asked_across_chunks():
    progress = []
    reader = glance._Reader([b'abc', b'defgh', b'ij'], progress.append, 4)

    assert reader.read(4) == b'abcd'
    assert reader.read(4) == b'efgh'
    assert reader.read(4) == b'ij'
    assert reader.read(4) == b''
    assert reader.size == 10
    assert reader.md5.hexdigest() == hashlib.md5(b'abcdefghij').hexdigest()
    # Every 4 bytes, and once more at the end.
    assert progress == [4, 8, 10]


def test_reader_reads_everything_at_once():
    progress = []
    reader = glance._Reader(iter([b'ab', b'cd']), progress.append, 100)

    assert reader.read() == b'abcd'
    assert reader.read() == b''
    assert reader.size == 4
    assert reader.md5.hexdigest() == hashlib.md5(b'abcd').hexdigest()
    assert progress == [4]


# Errors

@pytest.mark.parametrize('raised, expected', [
    (glance_exc.HTTPNotFound(), exception.ImageNotFound),
    (glance_exc.CommunicationError(), exception.ImageServiceUnavailable),
    (ks_exc.ConnectFailure(), exception.ImageServiceUnavailable),
    (glance_exc.HTTPServiceUnavailable(),
     exception.ImageServiceUnavailable),
    (glance_exc.HTTPBadRequest(), exception.ImageServiceError),
    (glance_exc.HTTPConflict(), exception.ImageServiceError),
])
def test_translate_errors(raised, expected):
    with pytest.raises(expected) as caught:
        with glance.translate_errors('img'):
            raise raised

    assert caught.value.__cause__ is raised
    if expected is exception.ImageServiceUnavailable:
        assert caught.value.code == 503


def test_translate_errors_leaves_other_errors_alone():
    with pytest.raises(ValueError):
        with glance.translate_errors('img'):
            raise ValueError('not glance')


# Upload and delete

def test_upload_snapshot_streams_and_verifies(images, driver, ctx):
    images.stored[IMAGE_UUID] = {'id': IMAGE_UUID}
    progress = []

    result = driver.upload_snapshot(ctx, IMAGE_UUID, [b'0123456', b'789'],
                                    progress.append)

    assert images.uploaded[IMAGE_UUID] == b'0123456789'
    assert result == {'size': 10,
                      'checksum': hashlib.md5(b'0123456789').hexdigest()}
    assert progress and progress[-1] == 10


@pytest.mark.parametrize('claim', [
    {'checksum': 'not-what-was-sent'},
    {'size': 9},
])
def test_upload_snapshot_that_arrived_damaged(images, driver, ctx, claim):
    images.stored[IMAGE_UUID] = {'id': IMAGE_UUID}
    images.claim = claim

    with pytest.raises(exception.ImageServiceError) as raised:
        driver.upload_snapshot(ctx, IMAGE_UUID, [b'0123456789'],
                               lambda sent: None)

    assert 'damaged' in str(raised.value)


def test_upload_snapshot_to_a_store_that_is_down(images, driver, ctx):
    images.stored[IMAGE_UUID] = {'id': IMAGE_UUID}
    images.error = glance_exc.CommunicationError()

    with pytest.raises(exception.ImageServiceUnavailable):
        driver.upload_snapshot(ctx, IMAGE_UUID, [b'x'], lambda sent: None)


def test_delete_snapshot(images, driver, ctx):
    images.stored[IMAGE_UUID] = {'id': IMAGE_UUID}

    driver.delete_snapshot(ctx, IMAGE_UUID)

    assert images.deleted == [IMAGE_UUID]


def test_delete_snapshot_already_gone_is_fine(images, driver, ctx):
    driver.delete_snapshot(ctx, IMAGE_UUID)

    assert images.deleted == []


def test_delete_snapshot_of_a_store_that_is_down(images, driver, ctx):
    images.error = ks_exc.ConnectFailure()

    with pytest.raises(exception.ImageServiceUnavailable):
        driver.delete_snapshot(ctx, IMAGE_UUID)


# find

def test_find_by_uuid_gets_the_image(images, driver, ctx):
    images.stored[IMAGE_UUID] = {'id': IMAGE_UUID, 'name': 'web'}

    assert driver.find(ctx, IMAGE_UUID) == {'id': IMAGE_UUID, 'name': 'web'}
    assert images.list_calls == []


def test_find_by_unknown_uuid(images, driver, ctx):
    with pytest.raises(exception.ImageNotFound):
        driver.find(ctx, IMAGE_UUID)


def test_find_by_name_and_tag(images, driver, ctx):
    images.listed = [{'id': 'newest'}]

    assert driver.find(ctx, 'web:v2') == {'id': 'newest'}
    assert images.list_calls == [{
        'filters': {'name': 'web', 'status': 'active', 'tag': ['v2']},
        'sort': 'created_at:desc', 'limit': 1}]


def test_find_by_name_without_tag(images, driver, ctx):
    images.listed = [{'id': 'newest'}]

    driver.find(ctx, 'web')

    assert images.list_calls[0]['filters'] == {'name': 'web',
                                               'status': 'active'}


def test_find_by_name_with_no_match(images, driver, ctx):
    with pytest.raises(exception.ImageNotFound):
        driver.find(ctx, 'missing:v1')


def test_create_snapshot_registers_a_docker_image(images, driver, ctx):
    image_id = driver.create_snapshot(ctx, 'repo', 'v1',
                                      {'snapzun_host': 'h'})

    assert image_id == IMAGE_UUID
    stored = images.stored[IMAGE_UUID]
    assert (stored['name'], stored['tags'], stored['container_format'],
            stored['disk_format'], stored['snapzun_host']) == (
        'repo', ['v1'], 'docker', 'raw', 'h')
