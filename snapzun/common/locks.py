"""One lock per container, held by every flow that changes it."""

from oslo_concurrency import lockutils


def container_lock(uuid):
    """A context manager serializing mutating work on one container.

    Internal (thread) locks suffice: only the compute agent owning a
    container mutates it, and it does so in one process.
    """
    return lockutils.lock(f'container-{uuid}')


def commit_lock(uuid):
    """Serializes commits of one container; held for the whole commit."""
    return lockutils.lock(f'commit-{uuid}')
