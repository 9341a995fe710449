"""The compute/conductor service view, as Zun's ``zun service-list``."""

from snapzun.api import views

STATE_UP = 'up'
STATE_DOWN = 'down'


def show(service, is_up):
    return {
        'id': service.id,
        'host': service.host,
        'binary': service.binary,
        'state': STATE_UP if is_up else STATE_DOWN,
        'disabled': service.disabled,
        'disabled_reason': service.disabled_reason,
        'forced_down': service.forced_down,
        'report_count': service.report_count,
        'availability_zone': service.availability_zone,
        'last_seen_up': views.timestamp(service.last_seen_up),
        'created_at': views.timestamp(service.created_at),
        'updated_at': views.timestamp(service.updated_at),
    }

