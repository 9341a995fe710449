"""snapzun-api: the HTTP API."""

from snapzun import cmd
from snapzun import service


def main():
    cmd.prepare()
    service.run([service.APIService()])
