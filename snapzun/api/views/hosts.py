"""The compute host view, as Zun's ``zun host-list`` / ``host-show``."""

from snapzun.api import views

FIELDS = ('uuid', 'hostname', 'mem_total', 'cpus', 'architecture',
          'os_type', 'os', 'kernel_version', 'total_containers',
          'running_containers', 'paused_containers', 'stopped_containers',
          'runtimes', 'labels')


def show(node, base_url, is_up):
    view = {field: getattr(node, field) for field in FIELDS}
    view['state'] = 'up' if is_up else 'down'
    view['updated_at'] = views.timestamp(node.updated_at)
    view['links'] = [
        {'href': f'{base_url}/v1/hosts/{node.uuid}', 'rel': 'self'},
        {'href': f'{base_url}/hosts/{node.uuid}', 'rel': 'bookmark'}]
    return view
