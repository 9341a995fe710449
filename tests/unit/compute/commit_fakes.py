"""Fakes for commits: an engine that commits and saves, an image store."""

import itertools

from tests.unit import fakes


class CommitEngine(fakes.FakeEngine):
    """FakeEngine plus the image methods a commit uses."""

    def __init__(self, chunks=(b'layer-1', b'layer-2', b'layer-3'),
                 **kwargs):
        super().__init__(**kwargs)
        self.chunks = list(chunks)
        self.local_images = {}
        self._image_ids = itertools.count(1)

    def commit(self, container_id, repository, tag, labels):
        self.calls.append(('commit', container_id, repository, tag, labels))
        image_id = f'sha256:{next(self._image_ids)}'
        self.local_images[f'{repository}:{tag}'] = image_id
        return image_id

    def image_size(self, ref):
        self.calls.append(('image_size', ref))
        return sum(len(c) for c in self.chunks)

    def save(self, ref, chunk_size):
        self.calls.append(('save', ref, chunk_size))
        return iter(self.chunks)

    def remove_image(self, ref):
        self.calls.append(('remove_image', ref))
        self.local_images.pop(ref, None)


class FakeImageDriver:
    """An image store: records uploads and deletions.

    ``delete_error``, when set, is raised by delete_snapshot.
    """

    def __init__(self, keeps_local_image=False):
        self.keeps_local_image = keeps_local_image
        self.uploaded = {}
        self.progress = []
        self.deleted = []
        self.created = []
        self.delete_error = None
        self._ids = itertools.count(1)

    def commit_ref(self, image_id, repository, tag):
        return f'local/{image_id}:latest'

    def create_snapshot(self, context, repository, tag, properties):
        image_id = f'00000000-0000-0000-0000-{next(self._ids):012d}'
        self.created.append((image_id, repository, tag, properties))
        return image_id

    def upload_snapshot(self, context, image_id, chunks, progress):
        data = b''
        for chunk in chunks:
            data += chunk
            progress(len(data))
            self.progress.append(len(data))
        self.uploaded[image_id] = data
        return {'size': len(data), 'checksum': 'md5-of-data'}

    def delete_snapshot(self, context, image_id):
        self.deleted.append(image_id)
        if self.delete_error is not None:
            raise self.delete_error


class FakeEvent:
    """An action event that records its reports."""

    def __init__(self):
        self.reports = []

    def report(self, **details):
        self.reports.append(details)
