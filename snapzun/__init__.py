"""snapzun: an OpenStack container service built around snapshots."""

import warnings

from oslo_service import backend as _service_backend

# NOTE: oslo.messaging's server imports oslo.service, which would pick its
# eventlet backend by default; snapzun runs on plain threads everywhere.
_service_backend.register_backend_default_hook(
    lambda: _service_backend.BackendType.THREADING)

# futurist probes for eventlet when it is installed (a dependency of a
# dependency); the probe warns although nothing uses it.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
