"""snapzun-api: the HTTP API."""

from snapzun import cmd, service


def main():
    cmd.prepare()
    service.run([service.APIService()])
