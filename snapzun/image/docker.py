"""Images from the local Docker engine (and its registries, if any)."""

from snapzun import exception
from snapzun.image import driver


class DockerImageDriver(driver.ImageDriver):

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
