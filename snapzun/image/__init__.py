"""Image drivers: where a container's image comes from."""

from snapzun import exception
from snapzun.image import docker as docker_image
from snapzun.image import glance as glance_image

_DRIVERS = {'docker': docker_image.DockerImageDriver,
            'glance': glance_image.GlanceImageDriver}


def get_driver(name):
    """:raises: ImageDriverNotAvailable"""
    if name not in _DRIVERS:
        raise exception.ImageDriverNotAvailable(driver=name)
    return _DRIVERS[name]()


def driver_names():
    return tuple(_DRIVERS)
