"""Images from the local Docker engine (and its registries, if any).

A commit stays in the engine as ``repository:tag``: nothing to ship.
"""

from oslo_utils import uuidutils

from snapzun import exception
from snapzun.image import driver


class DockerImageDriver(driver.ImageDriver):

    keeps_local_image = True

    def ensure_local(self, context, engine, image, pull_policy):
        present = engine.image_exists(image)
        if pull_policy == 'never' or (present and pull_policy != 'always'):
            if not present:
                raise exception.ImageNotFound(image=image)
            return image
        try:
            engine.pull(image)
        except (exception.DockerError, exception.ImageNotFound) as e:
            # No registry is reachable from many hosts; a local copy of
            # the image still serves.
            if not present:
                raise exception.ImageNotFound(image=image) from e
        return image

    def commit_ref(self, image_id, repository, tag):
        return f'{repository}:{tag}'

    def create_snapshot(self, context, repository, tag, properties):
        return uuidutils.generate_uuid()

    def delete_snapshot(self, context, image_id):
        pass
