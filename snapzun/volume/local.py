"""Docker local volumes: data on the host that first mounted the volume.

Nothing exists until a container mounts the volume: the agent of the host
the container landed on creates the Docker volume (driver ``local``) then,
and from then on the volume is that host's; later containers mounting it
are placed there.
"""

from snapzun import exception
from snapzun.volume import driver
from snapzun.volume import states

DOCKER_DRIVER = 'local'


class Driver(driver.VolumeDriver):

    def create(self, context, volume, save):
        return {}

    def delete(self, context, volume, engine=None):
        if volume.host is None:
            return
        if engine is None:
            # Only that host's agent reaches its Docker engine.
            raise exception.VolumeNotUsable(
                volume=volume.uuid, reason=f'its data is on host '
                f'{volume.host}; the agent there deletes it')
        engine.volume_remove(volume.docker_volume_name)

    def attach(self, context, volume, container_uuid, destination, host,
               engine):
        # Creating an existing local volume is a no-op for Docker.
        engine.volume_create(volume.docker_volume_name, DOCKER_DRIVER, {})
        return {'status': states.IN_USE, 'host': host}

    def restore(self, volume, engine):
        engine.volume_create(volume.docker_volume_name, DOCKER_DRIVER, {})

    def detach(self, context, volume, container_uuid, engine):
        # The data stays, in the Docker volume on this host.
        return {'status': states.AVAILABLE}
