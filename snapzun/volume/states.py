"""Volume statuses, spelled as Cinder's where Cinder has the same one.

A volume goes creating -> available; a container's mount claims it
(reserved), its host attaches it (attaching -> in-use) and releases it
(detaching -> available); deleting -> gone, or error when a step failed
and left something to clean up.
"""

CREATING = 'creating'
AVAILABLE = 'available'
RESERVED = 'reserved'
ATTACHING = 'attaching'
IN_USE = 'in-use'
DETACHING = 'detaching'
DELETING = 'deleting'
ERROR = 'error'

# A volume in one of these may be deleted (when no container claims it).
DELETABLE = (AVAILABLE, ERROR)
