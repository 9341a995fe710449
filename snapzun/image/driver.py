"""The interface every image driver implements."""

import abc


class ImageDriver(abc.ABC):
    """Makes an image available to a compute host's Docker engine."""

    @abc.abstractmethod
    def ensure_local(self, context, engine, image, pull_policy):
        """Make ``image`` present in ``engine``.

        :param engine: the host's snapzun.compute.docker.DockerEngine.
        :param image: the image as the user named it.
        :param pull_policy: 'ifnotpresent', 'always' or 'never'.
        :returns: the reference to create the container from.
        :raises: ImageNotFound
        """
