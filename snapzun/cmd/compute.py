"""snapzun-compute: the agent driving one host's Docker engine."""

from snapzun import cmd
from snapzun import service


def main():
    cmd.prepare()
    service.run([service.compute_service()])
