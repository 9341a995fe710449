"""Recording the progress and outcome of container actions."""

import contextlib
import traceback

from oslo_utils import timeutils

from snapzun.db import api as db_api

SUCCESS = 'Success'
ERROR = 'Error'


class Event:
    """An action event in progress; ``report`` records progress details."""

    def __init__(self, context, row_id):
        self._context = context
        self._row_id = row_id

    def report(self, **details):
        if self._row_id is not None:
            db_api.action_event_update(self._context, self._row_id,
                                       {'details': details})


@contextlib.contextmanager
def event(context, container_uuid, name):
    """Record one step of the request's action; finish the action with it.

    An error is recorded on the event and as the action's message, then
    re-raised.
    """
    row = db_api.action_event_start(context, container_uuid,
                                    context.request_id, name)
    row_id = row.id if row is not None else None
    try:
        yield Event(context, row_id)
    except Exception as e:
        if row_id is not None:
            db_api.action_event_update(context, row_id, {
                'result': ERROR, 'finish_time': timeutils.utcnow(),
                'traceback': traceback.format_exc()})
        db_api.action_finish(context, container_uuid, context.request_id,
                             message=str(e))
        raise
    if row_id is not None:
        db_api.action_event_update(context, row_id, {
            'result': SUCCESS, 'finish_time': timeutils.utcnow()})
    db_api.action_finish(context, container_uuid, context.request_id)
