"""Domain errors. Each carries its HTTP status and a stable error code.

Error codes are part of the API: never change or reuse one.
"""


class SnapzunException(Exception):
    """Base of every error snapzun raises on purpose."""

    msg_fmt = 'An unknown error occurred.'
    code = 500
    error_code = 'snapzun.error'

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            message = self.msg_fmt % kwargs
        super().__init__(message)

    @property
    def message(self):
        return str(self)


class Invalid(SnapzunException):
    msg_fmt = 'Invalid request: %(reason)s'
    code = 400
    error_code = 'snapzun.request.invalid'


class ValidationError(Invalid):
    msg_fmt = '%(detail)s'
    error_code = 'snapzun.request.validation'


class MalformedRequestBody(Invalid):
    msg_fmt = 'Malformed request body: %(reason)s'
    error_code = 'snapzun.request.malformed'


class InvalidParamInVersion(Invalid):
    msg_fmt = ('Parameter %(param)s is not supported before API '
               'version %(min_version)s.')
    error_code = 'snapzun.request.param_in_version'


class NotAuthorized(SnapzunException):
    msg_fmt = 'Not authorized.'
    code = 401
    error_code = 'snapzun.auth.unauthorized'


class PolicyNotAuthorized(SnapzunException):
    msg_fmt = 'Policy does not allow %(action)s to be performed.'
    code = 403
    error_code = 'snapzun.auth.forbidden'


class NotFound(SnapzunException):
    msg_fmt = 'Resource could not be found.'
    code = 404
    error_code = 'snapzun.not_found'


class ContainerNotFound(NotFound):
    msg_fmt = 'Container %(container)s could not be found.'
    error_code = 'snapzun.container.not_found'


class HostNotFound(NotFound):
    msg_fmt = 'Host %(host)s could not be found.'
    error_code = 'snapzun.host.not_found'


class ActionNotFound(NotFound):
    msg_fmt = ('Action %(request_id)s of container %(container)s could not '
               'be found.')
    error_code = 'snapzun.container_action.not_found'


class ImageNotFound(SnapzunException):
    msg_fmt = 'Image %(image)s could not be found.'
    code = 400
    error_code = 'snapzun.image.not_found'


class ImageDriverNotAvailable(Invalid):
    msg_fmt = 'Image driver %(driver)s is not available on this service.'
    error_code = 'snapzun.image.driver_not_available'


class VersionNotAcceptable(SnapzunException):
    msg_fmt = ('Version %(version)s was requested but the minor version is '
               'not supported by this service. The supported version range '
               'is: [%(min_version)s, %(max_version)s].')
    code = 406
    error_code = 'snapzun.microversion.unsupported'


class MethodNotAllowed(SnapzunException):
    msg_fmt = '%(method)s is not allowed on %(path)s.'
    code = 405
    error_code = 'snapzun.request.method_not_allowed'


class Conflict(SnapzunException):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409
    error_code = 'snapzun.conflict'


class InvalidState(Conflict):
    msg_fmt = 'Cannot %(action)s container %(container)s in %(status)s state.'
    error_code = 'snapzun.container.invalid_state'


class ContainerBusy(Conflict):
    msg_fmt = ('Cannot %(action)s container %(container)s while it is '
               '%(task_state)s; try again when that finishes.')
    error_code = 'snapzun.container.busy'


class AmbiguousName(Conflict):
    msg_fmt = ('Multiple containers exist with name %(name)s. Please use the '
               'container uuid instead.')
    error_code = 'snapzun.container.ambiguous_name'


class UnsupportedMediaType(SnapzunException):
    msg_fmt = 'Unsupported media type %(content_type)s; send application/json.'
    code = 415
    error_code = 'snapzun.request.media_type'


class NoValidHost(SnapzunException):
    msg_fmt = 'No valid host was found: %(reason)s'
    code = 503
    error_code = 'snapzun.scheduler.no_valid_host'


class ServiceUnavailable(SnapzunException):
    msg_fmt = '%(reason)s'
    code = 503
    error_code = 'snapzun.service_unavailable'


class ComputeUnavailable(ServiceUnavailable):
    msg_fmt = ('The compute service on host %(host)s did not answer; '
               'try again later.')
    error_code = 'snapzun.compute.unavailable'


class ComputeTooOld(ServiceUnavailable):
    msg_fmt = ('Compute host %(host)s runs a version that cannot %(feature)s '
               'yet; try again once it is upgraded.')
    error_code = 'snapzun.compute.too_old'


class DockerError(SnapzunException):
    """The Docker engine refused or failed a request."""
    msg_fmt = 'Docker error: %(reason)s'
    code = 500
    error_code = 'snapzun.docker.error'


class DockerUnavailable(ServiceUnavailable):
    msg_fmt = 'The Docker engine is unreachable: %(reason)s'
    error_code = 'snapzun.docker.unavailable'


class ContainerVanished(SnapzunException):
    msg_fmt = 'Container %(container)s no longer exists in the engine.'
    code = 409
    error_code = 'snapzun.container.vanished'


class ExecFailed(Invalid):
    msg_fmt = 'Cannot execute in container %(container)s: %(reason)s'
    error_code = 'snapzun.container.exec_failed'


class ImageServiceUnavailable(ServiceUnavailable):
    msg_fmt = 'The image service cannot be reached: %(reason)s'
    error_code = 'snapzun.image.service_unavailable'


class ImageServiceError(SnapzunException):
    msg_fmt = 'The image service failed: %(reason)s'
    code = 502
    error_code = 'snapzun.image.service_error'


class DockerVolumeNotFound(NotFound):
    # Docker's own drivers say "no such volume"; dockerd and users grep it.
    msg_fmt = 'no such volume: %(name)s'
    error_code = 'snapzun.volume_plugin.not_found'


class DockerVolumeInvalid(Invalid):
    msg_fmt = 'Invalid volume %(name)s: %(reason)s'
    error_code = 'snapzun.volume_plugin.invalid'


class DockerVolumeExists(Conflict):
    msg_fmt = 'Volume %(name)s exists with other options: %(reason)s'
    error_code = 'snapzun.volume_plugin.exists'


class DockerVolumeInUse(Conflict):
    msg_fmt = ('Volume %(name)s is mounted by %(count)d container(s); '
               'stop them first.')
    error_code = 'snapzun.volume_plugin.in_use'


class DockerVolumeDeviceError(SnapzunException):
    """The host could not attach, format, mount or release a volume."""
    msg_fmt = 'Volume %(name)s: %(reason)s'
    code = 500
    error_code = 'snapzun.volume_plugin.device_error'


class FormatRefused(DockerVolumeDeviceError):
    """A device that may hold data is never formatted."""
    msg_fmt = ('Volume %(name)s: refusing to make a filesystem on '
               '%(device)s: %(reason)s')
    error_code = 'snapzun.volume_plugin.format_refused'


class VolumePluginStateError(SnapzunException):
    msg_fmt = 'Cannot load the volume plugin state %(path)s: %(reason)s'
    code = 500
    error_code = 'snapzun.volume_plugin.state'


class VolumeNotFound(NotFound):
    msg_fmt = 'Volume %(volume)s could not be found.'
    error_code = 'snapzun.volume.not_found'


class AmbiguousVolumeName(Conflict):
    msg_fmt = ('Multiple volumes exist with name %(name)s. Please use the '
               'volume uuid instead.')
    error_code = 'snapzun.volume.ambiguous_name'


class VolumeExists(Conflict):
    msg_fmt = 'A volume named %(name)s already exists in this project.'
    error_code = 'snapzun.volume.exists'


class VolumeInUse(Conflict):
    msg_fmt = ('Volume %(volume)s is in use by container %(container)s; '
               'delete that container first.')
    error_code = 'snapzun.volume.in_use'


class VolumeNotUsable(Conflict):
    msg_fmt = 'Volume %(volume)s cannot be used: %(reason)s'
    error_code = 'snapzun.volume.not_usable'


class VolumeDriverNotAvailable(Invalid):
    msg_fmt = 'Volume driver %(driver)s is not available: %(reason)s'
    error_code = 'snapzun.volume.driver_not_available'


class VolumeQuotaExceeded(SnapzunException):
    msg_fmt = 'Volume quota exceeded: %(reason)s'
    code = 403
    error_code = 'snapzun.volume.over_quota'


class VolumeCreateFailed(SnapzunException):
    # 502: the block storage service failed, not this one.
    msg_fmt = 'Cannot create volume %(volume)s: %(reason)s'
    code = 502
    error_code = 'snapzun.volume.create_failed'


class VolumeServiceUnavailable(ServiceUnavailable):
    msg_fmt = 'The volume service cannot be reached: %(reason)s'
    error_code = 'snapzun.volume.service_unavailable'


class VolumeServiceError(SnapzunException):
    msg_fmt = 'The volume service failed: %(reason)s'
    code = 502
    error_code = 'snapzun.volume.service_error'
