"""The interface every image driver implements."""

import abc


class ImageDriver(abc.ABC):
    """Where images come from, and where commits of containers go."""

    #: Whether a committed image stays in the engine it was captured on
    #: as the result (True), or only until it has been shipped (False).
    keeps_local_image = False

    @abc.abstractmethod
    def ensure_local(self, context, engine, image, pull_policy):
        """Make ``image`` present in ``engine``.

        :param engine: the host's snapzun.compute.docker.DockerEngine.
        :param image: the image as the user named it.
        :param pull_policy: 'ifnotpresent', 'always' or 'never'.
        :returns: the reference to create the container from.
        :raises: ImageNotFound
        """

    @abc.abstractmethod
    def commit_ref(self, image_id, repository, tag):
        """The engine reference a commit is captured as."""

    @abc.abstractmethod
    def create_snapshot(self, context, repository, tag, properties):
        """Register the image a commit will produce, before it exists.

        Fast: called while the API request waits.

        :returns: the image's id, given to the user at once.
        :raises: ServiceUnavailable if the image store cannot be reached.
        """

    def upload_snapshot(self, context, image_id, chunks, progress):
        """Ship a committed image (``docker save`` stream) to the store.

        Only drivers that do not keep local images ship them.

        :param chunks: an iterable of bytes, read once, never held whole.
        :param progress: callable(bytes_sent), called now and then.
        :returns: {'size': bytes, 'checksum': md5 hex} of what was stored.
        """
        raise NotImplementedError()

    @abc.abstractmethod
    def delete_snapshot(self, context, image_id):
        """Forget a snapshot that will not complete; gone already is fine."""
