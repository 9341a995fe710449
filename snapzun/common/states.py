"""Container statuses, task states, and which actions each status allows.

Spelled exactly as Zun's, since clients compare them.
"""

CREATING = 'Creating'
CREATED = 'Created'
RUNNING = 'Running'
STOPPED = 'Stopped'
PAUSED = 'Paused'
RESTARTING = 'Restarting'
REBUILDING = 'Rebuilding'
DELETING = 'Deleting'
DELETED = 'Deleted'
ERROR = 'Error'
UNKNOWN = 'Unknown'
DEAD = 'Dead'

# Task states: an operation is under way on the compute host.
CONTAINER_CREATING = 'container_creating'
CONTAINER_STARTING = 'container_starting'
CONTAINER_STOPPING = 'container_stopping'
CONTAINER_REBOOTING = 'container_rebooting'
CONTAINER_PAUSING = 'container_pausing'
CONTAINER_UNPAUSING = 'container_unpausing'
CONTAINER_KILLING = 'container_killing'
CONTAINER_DELETING = 'container_deleting'
CONTAINER_UPDATING = 'container_updating'

_DELETABLE = (CREATED, ERROR, STOPPED, DELETED, DEAD)

ALLOWED = {
    'start': (CREATED, STOPPED, ERROR),
    'stop': (RUNNING,),
    'reboot': (CREATED, RUNNING, STOPPED, ERROR),
    'pause': (RUNNING,),
    'unpause': (PAUSED,),
    'kill': (RUNNING,),
    'execute': (RUNNING,),
    'top': (RUNNING,),
    'stats': (RUNNING,),
    'update': (CREATED, RUNNING, STOPPED, PAUSED),
    'commit': (RUNNING, STOPPED, PAUSED),
    'logs': (CREATED, ERROR, PAUSED, RUNNING, STOPPED, UNKNOWN),
    'delete': _DELETABLE,
    'delete_after_stop': _DELETABLE + (RUNNING,),
    'delete_force': _DELETABLE + (CREATING, RUNNING, PAUSED, UNKNOWN,
                                  RESTARTING, REBUILDING, DELETING),
}

# The task state each mutating action holds while it runs.
TASK_STATE = {
    'start': CONTAINER_STARTING,
    'stop': CONTAINER_STOPPING,
    'reboot': CONTAINER_REBOOTING,
    'pause': CONTAINER_PAUSING,
    'unpause': CONTAINER_UNPAUSING,
    'kill': CONTAINER_KILLING,
    'update': CONTAINER_UPDATING,
    'delete': CONTAINER_DELETING,
}
