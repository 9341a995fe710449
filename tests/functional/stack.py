"""The project's local OpenStack (tools/stack/stack.sh) for functional tests.

Started once per test run and stopped, with its data wiped, at the end.
"""

import os
import shlex
import subprocess

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from tests.functional import harness

STACK_SCRIPT = os.path.join(harness.ROOT, 'tools', 'stack', 'stack.sh')


class Stack:

    def __init__(self, state_dir, api_port):
        self.environ = dict(os.environ, SNAPZUN_STACK_DIR=state_dir,
                            SNAPZUN_API_PORT=str(api_port))
        self.state_dir = state_dir
        self.env = {}

    def _run(self, *args, timeout=900):
        subprocess.run([STACK_SCRIPT, *args], check=True, env=self.environ,
                       timeout=timeout)

    def start(self):
        self._run('install')
        self._run('start', timeout=300)
        with open(os.path.join(self.state_dir, 'stack.env')) as f:
            for line in f:
                if '=' in line and not line.startswith('#'):
                    key, value = line.strip().split('=', 1)
                    self.env[key] = shlex.split(value)[0] if value else ''

    def stop(self):
        self._run('stop', '--wipe', timeout=120)

    def restart_rabbitmq(self):
        self.stop_service('rabbitmq')
        self.start_service('rabbitmq')

    @property
    def keystone_url(self):
        return self.env['SNAPZUN_STACK_KEYSTONE_URL']

    def credentials(self, user):
        """(username, password, project) of a stack identity."""
        return {
            'admin': ('admin', self.env['SNAPZUN_STACK_ADMIN_PASSWORD'],
                      'admin'),
            'demo': ('demo', self.env['SNAPZUN_STACK_DEMO_PASSWORD'],
                     'demo'),
            'alt_demo': ('alt_demo', self.env['SNAPZUN_STACK_DEMO_PASSWORD'],
                         'alt_demo'),
            'demo_reader': ('demo_reader',
                            self.env['SNAPZUN_STACK_DEMO_PASSWORD'], 'demo'),
        }[user]

    def session(self, user):
        username, password, project = self.credentials(user)
        auth = v3.Password(auth_url=self.keystone_url, username=username,
                           password=password, project_name=project,
                           user_domain_id='default',
                           project_domain_id='default')
        return ks_session.Session(auth=auth, timeout=30)

    def token(self, user):
        return self.session(user).get_token()

    def cli_environ(self, user):
        """OS_* variables for the zun and openstack CLIs."""
        username, password, project = self.credentials(user)
        environ = {k: v for k, v in os.environ.items()
                   if not k.startswith('OS_')}
        environ.update(OS_AUTH_URL=self.keystone_url, OS_USERNAME=username,
                       OS_PASSWORD=password, OS_PROJECT_NAME=project,
                       OS_USER_DOMAIN_ID='default',
                       OS_PROJECT_DOMAIN_ID='default',
                       OS_REGION_NAME='RegionOne',
                       OS_IDENTITY_API_VERSION='3')
        return environ

    def snapzun_options(self):
        """Config every snapzun process of a deployment shares."""
        env = self.env
        keystone_root = self.keystone_url.rsplit('/v3', 1)[0]
        service_user = {
            'auth_type': 'password', 'auth_url': keystone_root,
            'project_domain_id': 'default', 'user_domain_id': 'default',
            'project_name': 'service', 'username': 'snapzun',
            'password': env['SNAPZUN_STACK_SERVICE_PASSWORD']}
        options = {(group, key): value for group in ('glance', 'cinder')
                   for key, value in service_user.items()}
        options[('glance', 'region_name')] = 'RegionOne'
        options[('cinder', 'region_name')] = 'RegionOne'
        options[('DEFAULT', 'default_image_driver')] = 'glance'
        options[('volume', 'default_driver')] = 'cinder'
        return options | {
            ('DEFAULT', 'transport_url'): env['SNAPZUN_STACK_TRANSPORT_URL'],
            ('database', 'connection'): env['SNAPZUN_STACK_SNAPZUN_DB_URL'],
            ('api', 'auth_strategy'): 'keystone',
            ('keystone_authtoken', 'www_authenticate_uri'): keystone_root,
            ('keystone_authtoken', 'region_name'): 'RegionOne',
            ('keystone_authtoken', 'service_token_roles_required'): True,
        } | {('keystone_authtoken', key): value
             for key, value in service_user.items()}

    def glance(self, user):
        from glanceclient import client as glance_client
        return glance_client.Client('2', session=self.session(user),
                                    region_name='RegionOne')

    def stop_service(self, name):
        self._run('stop-service', name, timeout=120)

    def start_service(self, name):
        self._run('start-service', name, timeout=300)
