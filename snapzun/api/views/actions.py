"""Views of container actions and their events."""

from snapzun.api import views

ACTION_FIELDS = ('action', 'container_uuid', 'request_id', 'user_id',
                 'project_id', 'start_time', 'finish_time', 'message')
EVENT_FIELDS = ('event', 'start_time', 'finish_time', 'result', 'details')


def _pick(row, fields):
    view = {f: getattr(row, f) for f in fields}
    for key in ('start_time', 'finish_time'):
        view[key] = views.timestamp(view[key])
    return view


def show(action, events=None, show_traceback=False):
    view = _pick(action, ACTION_FIELDS)
    if events is not None:
        view['events'] = []
        for event in events:
            event_view = _pick(event, EVENT_FIELDS)
            if show_traceback:
                event_view['traceback'] = event.traceback
            view['events'].append(event_view)
    return view


def collection(actions):
    return {'containerActions': [show(a) for a in actions]}
