"""Volume rows and their mappings in snapzun.db.api, on SQLite."""

import pytest

from snapzun import exception
from snapzun.db import api as db_api
from snapzun.volume import states
from tests.unit import fakes


@pytest.fixture
def ctx(db):
    return fakes.context()


def _volume(ctx, **values):
    values.setdefault('driver', 'cinder')
    values.setdefault('size', 1)
    values.setdefault('status', states.AVAILABLE)
    values.setdefault('auto_remove', False)
    values.setdefault('project_id', ctx.project_id)
    return db_api.volume_create(ctx, values)


def _container(ctx, mounts, **values):
    values = dict({'image': 'busybox', 'status': 'Creating',
                   'project_id': ctx.project_id}, **values)
    return db_api.container_create_with_mounts(ctx, values, mounts)


def test_create_names_the_docker_volume_after_the_uuid(ctx):
    volume = _volume(ctx)
    assert volume.docker_volume_name == f'snapzun-{volume.uuid}'


def test_names_are_unique_per_project(ctx):
    _volume(ctx, name='data')
    with pytest.raises(exception.VolumeExists):
        _volume(ctx, name='data')
    _volume(fakes.context(project_id=fakes.PROJECT_B), name='data')
    # Nameless volumes are many.
    _volume(ctx)
    _volume(ctx)


def test_a_cinder_volume_is_known_once(ctx):
    _volume(ctx, cinder_volume_id='c-1')
    with pytest.raises(exception.VolumeNotUsable) as raised:
        _volume(ctx, cinder_volume_id='c-1')
    assert 'manages it already' in str(raised.value)


def test_find_by_uuid_cinder_id_or_name(ctx):
    volume = _volume(ctx, name='data',
                     cinder_volume_id='0f0f0f0f-0000-4000-8000-000000000000')
    for ident in (volume.uuid, volume.cinder_volume_id, 'data'):
        assert db_api.volume_find(ctx, ident).uuid == volume.uuid
    with pytest.raises(exception.VolumeNotFound):
        db_api.volume_find(fakes.context(project_id=fakes.PROJECT_B),
                           'data')


def test_same_name_in_two_projects_is_ambiguous_for_admins(ctx):
    _volume(ctx, name='data')
    _volume(fakes.context(project_id=fakes.PROJECT_B), name='data',
            project_id=fakes.PROJECT_B)
    with pytest.raises(exception.AmbiguousVolumeName):
        db_api.volume_find(fakes.admin_context(), 'data')


def test_a_container_claims_its_volumes_at_once(ctx):
    kept = _volume(ctx, name='kept')

    container = _container(ctx, [
        {'destination': '/k', 'volume_uuid': kept.uuid},
        {'destination': '/n', 'volume': {
            'driver': 'local', 'size': 1, 'status': states.CREATING,
            'auto_remove': True, 'project_id': ctx.project_id}}])

    mapped = db_api.volume_mappings_of_container(ctx, container.uuid)
    assert [(m.destination, v.status) for m, v in mapped] == [
        ('/k', states.RESERVED), ('/n', states.CREATING)]
    assert set(db_api.volume_mappings_of_volumes(
        ctx, [v.uuid for _, v in mapped])) == {v.uuid for _, v in mapped}


def test_a_claimed_volume_cannot_be_claimed_again(ctx):
    kept = _volume(ctx, name='kept')
    _container(ctx, [{'destination': '/k', 'volume_uuid': kept.uuid}])

    with pytest.raises(exception.VolumeNotUsable):
        _container(ctx, [{'destination': '/k', 'volume_uuid': kept.uuid}],
                   name='second')

    # Nothing of the refused container was kept.
    assert [c.name for c in db_api.container_list(ctx)] == [None]


def test_a_volume_being_deleted_cannot_be_claimed(ctx):
    kept = _volume(ctx, name='kept')
    db_api.volume_update(ctx, kept.uuid, {'status': states.DELETING},
                         expected_status=states.DELETABLE)
    with pytest.raises(exception.VolumeNotUsable):
        _container(ctx, [{'destination': '/k', 'volume_uuid': kept.uuid}])


def test_conditional_update(ctx):
    volume = _volume(ctx)
    assert db_api.volume_update(ctx, volume.uuid, {'status': 'x'},
                                expected_status=('in-use',)) is None
    assert db_api.volume_update(ctx, volume.uuid, {'status': 'x'},
                                expected_status=(states.AVAILABLE,)
                                ).status == 'x'
    with pytest.raises(exception.VolumeNotFound):
        db_api.volume_update(ctx, 'nope', {'status': 'x'})


def test_a_mapped_volume_is_not_destroyed(ctx):
    kept = _volume(ctx, name='kept')
    container = _container(ctx, [{'destination': '/k',
                                  'volume_uuid': kept.uuid}])
    with pytest.raises(exception.VolumeInUse) as raised:
        db_api.volume_destroy(ctx, kept.uuid)
    assert container.uuid in str(raised.value)
    [(mapping, _volume_row)] = db_api.volume_mappings_of_container(
        ctx, container.uuid)
    db_api.volume_mapping_destroy(ctx, mapping.uuid)
    db_api.volume_destroy(ctx, kept.uuid)
    assert db_api.volume_list(ctx) == []
