"""snapzun-conductor: places new containers on compute hosts."""

from snapzun import cmd
from snapzun import service


def main():
    cmd.prepare()
    service.run([service.conductor_service()])
