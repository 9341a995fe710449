"""gunicorn settings for the WSGI services of the local test stack.

stack.sh runs ``gunicorn -c gunicorn.conf.py`` with no other argument, for
keystone, glance and cinder-api alike, and passes the rest in the environment:

SNAPZUN_STACK_WSGI_APP  module:callable to serve
SNAPZUN_STACK_BIND      host:port
SNAPZUN_STACK_APP_ARGS  command line the application parses from sys.argv
"""

import os
import shlex
import sys

# Keystone and Cinder hand sys.argv[1:] to oslo.config, which exits on any
# gunicorn option it does not know. gunicorn has parsed its own by now.
sys.argv[1:] = shlex.split(os.environ.get("SNAPZUN_STACK_APP_ARGS", ""))

wsgi_app = os.environ["SNAPZUN_STACK_WSGI_APP"]
bind = [os.environ["SNAPZUN_STACK_BIND"]]
workers = 1
worker_class = "gthread"
threads = 4
timeout = 300
graceful_timeout = 5
# gunicorn >= 27 opens ~/.gunicorn/gunicorn.ctl, one path for every master
control_socket_disable = True
accesslog = "-"
errorlog = "-"
