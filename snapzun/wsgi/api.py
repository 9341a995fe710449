"""WSGI entry point of the API, for uwsgi, gunicorn or mod_wsgi."""

from snapzun import cmd
from snapzun.api import app


def init_application():
    cmd.prepare(argv=[])
    return app.setup_app()
