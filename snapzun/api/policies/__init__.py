"""Default policy rules, in code. ``tox -e genpolicy`` writes the sample."""

import itertools

from snapzun.api.policies import base
from snapzun.api.policies import containers
from snapzun.api.policies import services
from snapzun.api.policies import volumes


def list_rules():
    return list(itertools.chain(base.list_rules(), containers.list_rules(),
                                services.list_rules(), volumes.list_rules()))
