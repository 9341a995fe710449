"""The volume view, from an explicit allowlist.

Never ``connection_info``, ``host`` or the Docker volume's name: they say
how to reach the storage, which is the agents' business.
"""

from snapzun.api import views

FIELDS = ('uuid', 'name', 'size', 'driver', 'cinder_volume_id', 'status',
          'project_id')


def show(volume, mapping, base_url):
    """:param mapping: the volume's mapping to a container, or None."""
    view = {field: getattr(volume, field) for field in FIELDS}
    view['attachments'] = ([{'container_uuid': mapping.container_uuid,
                             'destination': mapping.destination}]
                           if mapping is not None else [])
    view['created_at'] = views.timestamp(volume.created_at)
    view['updated_at'] = views.timestamp(volume.updated_at)
    view['links'] = [
        {'href': f'{base_url}/v1/volumes/{volume.uuid}', 'rel': 'self'},
        {'href': f'{base_url}/volumes/{volume.uuid}', 'rel': 'bookmark'}]
    return view


def collection(volumes, mappings, base_url):
    """:param mappings: {volume uuid: mapping} of the mapped ones."""
    return {'volumes': [show(v, mappings.get(v.uuid), base_url)
                        for v in volumes]}
