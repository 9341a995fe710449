"""The container view: Zun's keys, from an explicit allowlist."""

from snapzun.api import views

PUBLIC_FIELDS = (
    'uuid', 'user_id', 'project_id', 'name', 'image', 'command', 'status',
    'status_reason', 'task_state', 'cpu', 'memory', 'environment',
    'workdir', 'ports', 'hostname', 'labels', 'restart_policy',
    'status_detail', 'interactive', 'tty', 'image_driver',
    'security_groups', 'auto_remove', 'disk', 'auto_heal', 'healthcheck',
    'cpu_policy', 'registry_id', 'entrypoint', 'created_at', 'updated_at',
)
ADMIN_FIELDS = ('host', 'image_pull_policy', 'privileged', 'runtime')

_DEFAULTS = {'environment': {}, 'labels': {}, 'ports': [],
             'security_groups': [], 'command': [], 'entrypoint': [],
             'cpu_policy': 'shared', 'registry_id': None, 'disk': 0}


def _value(container, field):
    value = getattr(container, field, None)
    if value is None:
        value = _DEFAULTS.get(field)
    if field == 'restart_policy' and value:
        value = {'Name': value.get('Name'),
                 'MaximumRetryCount': str(value.get('MaximumRetryCount',
                                                    '0'))}
    elif field in ('created_at', 'updated_at') and value is not None:
        value = views.timestamp(value)
    return value


def show(container, base_url, admin_fields=False):
    fields = PUBLIC_FIELDS + (ADMIN_FIELDS if admin_fields else ())
    view = {field: _value(container, field) for field in fields}
    view['addresses'] = {}
    view['links'] = [
        {'href': f'{base_url}/v1/containers/{container.uuid}',
         'rel': 'self'},
        {'href': f'{base_url}/containers/{container.uuid}',
         'rel': 'bookmark'},
    ]
    return view


def collection(containers, base_url, limit, admin_fields=False,
               sort_key='id', sort_dir='asc'):
    views = [show(c, base_url, admin_fields) for c in containers]
    next_url = None
    if limit and len(containers) == limit:
        next_url = (f'{base_url}/v1/containers?sort_key={sort_key}'
                    f'&sort_dir={sort_dir}&limit={limit}'
                    f'&marker={containers[-1].uuid}')
    return {'containers': views, 'next': next_url}


def stats(container, raw):
    """Docker's stats, summarised as ``zun stats`` prints them."""
    mib = 1024 * 1024
    cpu = raw.get('cpu_stats', {})
    precpu = raw.get('precpu_stats', {})
    cpu_delta = (cpu.get('cpu_usage', {}).get('total_usage', 0) -
                 precpu.get('cpu_usage', {}).get('total_usage', 0))
    system_delta = (cpu.get('system_cpu_usage', 0) -
                    precpu.get('system_cpu_usage', 0))
    online = cpu.get('online_cpus') or 1
    cpu_percent = (cpu_delta / system_delta * online * 100
                   if cpu_delta > 0 and system_delta > 0 else 0.0)
    memory = raw.get('memory_stats', {})
    usage = memory.get('usage', 0)
    limit = memory.get('limit', 0)
    io_read = io_write = 0
    for entry in (raw.get('blkio_stats', {})
                  .get('io_service_bytes_recursive') or []):
        if entry.get('op', '').lower() == 'read':
            io_read += entry.get('value', 0)
        elif entry.get('op', '').lower() == 'write':
            io_write += entry.get('value', 0)
    rx = sum(n.get('rx_bytes', 0) for n in (raw.get('networks') or {})
             .values())
    tx = sum(n.get('tx_bytes', 0) for n in (raw.get('networks') or {})
             .values())
    return {
        'CONTAINER': container.name,
        'CPU %': round(cpu_percent, 2),
        'MEM USAGE(MiB)': round(usage / mib, 2),
        'MEM LIMIT(MiB)': round(limit / mib, 2),
        'MEM %': round(usage / limit * 100, 2) if limit else 0.0,
        'BLOCK I/O(B)': f'{io_read}/{io_write}',
        'NET I/O(B)': f'{rx}/{tx}',
    }
