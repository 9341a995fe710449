"""WSGI entry point of the API, for uwsgi, gunicorn or mod_wsgi."""

from snapzun.api import app
from snapzun import cmd


def init_application():
    cmd.prepare(argv=[])
    return app.setup_app()
