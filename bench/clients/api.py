"""The end-to-end workloads, written once against the public API both clients share.

``pyignite`` here is whichever package the worker's interpreter imports: this repository's
client in the ``ours`` worker, the reference 0.6.1 in the ``ref`` worker. Calling the same
code on both is what makes the comparison fair.
"""
import asyncio
import itertools
import os
from collections import OrderedDict

from pyignite import Client

import spec
from clients._common import NotAvailable, expect, registry, workload

WORKLOADS = registry()

_clients = {}


def _client(env: dict, cluster: bool = False, partition_aware: bool = True) -> Client:
    """One connected sync client per node set, shared by the workloads of a phase (on the
    cluster, one partition-aware and one that is not)."""
    key = ('cluster' if partition_aware else 'cluster-one') if cluster else 'single'
    client = _clients.get(key)
    if client is None:
        client = Client(partition_aware=cluster and partition_aware)
        if cluster:
            client.connect([tuple(node) for node in env['nodes']])
        else:
            client.connect(env['host'], env['port'])
        _clients[key] = client
    return client


def close() -> None:
    for client in _clients.values():
        client.close()
    _clients.clear()


def complex_class(type_name: str):
    """The 10-field complex object class of the benchmark, for this client."""
    try:
        from pyignite.binary import GenericObjectMeta
    except ImportError as exc:
        raise NotAvailable(f'no pyignite.binary ({exc})')
    from pyignite.datatypes import BoolObject, DoubleObject, IntObject, LongObject, String
    hints = {'long': LongObject, 'string': String, 'double': DoubleObject, 'int': IntObject,
             'bool': BoolObject}
    schema = OrderedDict((name, hints[kind]) for name, kind in spec.COMPLEX_FIELDS.items())
    return GenericObjectMeta('BenchComplex', (), {}, type_name=type_name, schema=schema)


def complex_object(cls, i: int):
    obj = cls()
    for name, value in spec.complex_values(i).items():
        setattr(obj, name, value)
    return obj


def same_object(what: str, got, i: int) -> None:
    want = spec.complex_values(i)
    expect(what, {name: getattr(got, name, None) for name in want}, want)


# --- end to end, one node ---------------------------------------------------------------------

def _kv(env):
    return _client(env).get_cache(spec.KV_CACHE)


@workload(WORKLOADS, 'put')
def put(units, env):
    cache = _kv(env)
    pairs = itertools.cycle([(i, spec.small_value(i)) for i in range(spec.KV_KEYS)])
    put = cache.put

    def step():
        k, v = next(pairs)
        put(k, v)
    step()
    return step


@workload(WORKLOADS, 'get')
def get(units, env):
    cache = _kv(env)
    keys = itertools.cycle(range(spec.KV_KEYS))
    expect('get(17)', cache.get(17), spec.small_value(17))
    get = cache.get
    return lambda: get(next(keys))


@workload(WORKLOADS, 'get_all')
def get_all(units, env):
    cache = _kv(env)
    keys = list(range(units))
    expect('get_all', cache.get_all(keys), {i: spec.small_value(i) for i in keys})
    return lambda: cache.get_all(keys)


@workload(WORKLOADS, 'put_all')
def put_all(units, env):
    cache = _kv(env)
    pairs = {spec.PUT_ALL_BASE + i: spec.small_value(i) for i in range(units)}
    cache.put_all(pairs)
    expect('get after put_all', cache.get(spec.PUT_ALL_BASE + 3), spec.small_value(3))
    return lambda: cache.put_all(pairs)


@workload(WORKLOADS, 'async_gather')
def async_gather(units, env):
    try:
        from pyignite.aio_client import AioClient
    except ImportError as exc:
        raise NotAvailable(f'no pyignite.aio_client ({exc})')
    loop = asyncio.new_event_loop()
    client = AioClient()
    loop.run_until_complete(client.connect(env['host'], env['port']))
    cache = loop.run_until_complete(client.get_cache(spec.KV_CACHE))
    keys = list(range(units))

    async def gather():
        return await asyncio.gather(*[cache.get(k) for k in keys])

    def step():
        return loop.run_until_complete(gather())
    expect('gathered gets', step(), [spec.small_value(k) for k in keys])
    step.cleanup = lambda: loop.run_until_complete(client.close())
    return step


@workload(WORKLOADS, 'scan')
def scan(units, env):
    cache = _client(env).get_cache(spec.SCAN_CACHE)

    def step():
        with cache.scan(page_size=spec.PAGE_SIZE) as cursor:
            for _ in cursor:
                pass
    with cache.scan(page_size=spec.PAGE_SIZE) as cursor:
        entries = dict(cursor)
    expect('scanned entries', len(entries), units)
    expect('scanned entry 5', entries.get(5), spec.small_value(5))
    step.warmed = True  # the check above was a full iteration
    return step


@workload(WORKLOADS, 'sql')
def sql(units, env):
    client = _client(env)

    def step():
        with client.sql(spec.SQL_QUERY, page_size=spec.PAGE_SIZE) as cursor:
            for _ in cursor:
                pass
    with client.sql(spec.SQL_QUERY, page_size=spec.PAGE_SIZE) as cursor:
        rows = {row[0]: row for row in cursor}
    expect('SQL rows', len(rows), units)
    expect('SQL row 9', rows.get(9), spec.sql_row(9))
    step.warmed = True  # the check above was a full iteration
    return step


@workload(WORKLOADS, 'sql_dbapi')
def sql_dbapi(units, env):
    try:
        from pyignite import dbapi
    except ImportError as exc:
        raise NotAvailable(f'no pyignite.dbapi ({exc})')
    conn = dbapi.connect(client=_client(env), page_size=spec.PAGE_SIZE)
    cursor = conn.cursor()

    def step():
        cursor.execute(spec.SQL_QUERY)
        cursor.fetchall()
    cursor.execute(spec.SQL_QUERY)
    rows = {row[0]: row for row in cursor.fetchall()}
    expect('SQL rows', len(rows), units)
    expect('SQL row 9', rows.get(9), spec.sql_row(9))
    step.warmed = True  # the check above was a full iteration
    step.cleanup = conn.close
    return step


def _peak_reset() -> bool:
    """Reset the process's peak RSS (Linux: /proc/self/clear_refs); False if it can't."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def _rss_kb(field: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise NotAvailable(f'no {field} in /proc/self/status')


@workload(WORKLOADS, 'sql_1m_memory')
def sql_1m_memory(units, env):
    client = _client(env)
    query = spec.MEMORY_QUERY.format(units)

    def step():
        n = 0
        with client.sql(query, page_size=spec.PAGE_SIZE) as cursor:
            for _ in cursor:
                n += 1
        return n
    if not os.path.exists('/proc/self/clear_refs') or not _peak_reset():
        raise NotAvailable('peak RSS cannot be reset on this system')
    before = _rss_kb('VmRSS')
    expect('generated rows', step(), units)
    growth = _rss_kb('VmHWM') - before
    step.info = {'peak_rss_growth_mb': round(growth / 1024, 1)}
    step.warmed = True  # the check above was a full iteration
    return step


@workload(WORKLOADS, 'async_gather_aio')
def async_gather_aio(units, env):
    return async_gather(units, env)


def _complex_cache(env):
    client = _client(env)
    cls = complex_class(spec.COMPLEX_TYPE[env['client']])
    cache = client.get_or_create_cache(spec.COMPLEX_CACHE[env['client']])
    objects = [complex_object(cls, i) for i in range(spec.COMPLEX_KEYS)]
    cache.put_all(dict(enumerate(objects)))
    return cls, cache, objects


@workload(WORKLOADS, 'complex_put')
def complex_put(units, env):
    cls, cache, objects = _complex_cache(env)
    pairs = itertools.cycle(list(enumerate(objects)))
    put = cache.put

    def step():
        k, v = next(pairs)
        put(k, v)
    step()
    return step


@workload(WORKLOADS, 'complex_get')
def complex_get(units, env):
    cls, cache, objects = _complex_cache(env)
    same_object('complex get(11)', cache.get(11), 11)
    keys = itertools.cycle(range(spec.COMPLEX_KEYS))
    get = cache.get
    return lambda: get(next(keys))


# --- end to end, three nodes ------------------------------------------------------------------

def _pa_cache(env):
    client = _client(env, cluster=True)
    if not client.partition_aware:
        raise NotAvailable('partition awareness is off')
    return client, client.get_cache(spec.PA_CACHE)


def _pa_info(client) -> dict:
    # internals, for the report only: how many connections the client really holds
    session = getattr(client, '_session', None)  # ours; the reference keeps _nodes
    nodes = getattr(session, 'nodes', None) or getattr(client, '_nodes', None) or ()
    return {'nodes_connected': sum(1 for node in nodes if getattr(node, 'alive', False))}


@workload(WORKLOADS, 'pa_put')
def pa_put(units, env):
    client, cache = _pa_cache(env)
    pairs = itertools.cycle([(i, spec.small_value(i)) for i in range(spec.PA_KEYS)])
    put = cache.put

    def step():
        k, v = next(pairs)
        put(k, v)
    step()
    step.info = _pa_info(client)
    return step


@workload(WORKLOADS, 'pa_get')
def pa_get(units, env):
    client, cache = _pa_cache(env)
    expect('get(21)', cache.get(21), spec.small_value(21))
    keys = itertools.cycle(range(spec.PA_KEYS))
    get = cache.get
    step = lambda: get(next(keys))  # noqa: E731
    step.info = _pa_info(client)
    return step


def _get_all_on(client, units):
    cache = client.get_cache(spec.PA_CACHE)
    keys = list(range(units))
    expect('get_all', cache.get_all(keys), {i: spec.small_value(i) for i in keys})
    step = lambda: cache.get_all(keys)  # noqa: E731
    step.info = _pa_info(client)
    return step


def _put_all_on(client, units):
    cache = client.get_cache(spec.PA_CACHE)
    pairs = {i: spec.small_value(i) for i in range(units)}
    cache.put_all(pairs)
    expect('get after put_all', cache.get(7), spec.small_value(7))
    step = lambda: cache.put_all(pairs)  # noqa: E731
    step.info = _pa_info(client)
    return step


@workload(WORKLOADS, 'pa_get_all')
def pa_get_all(units, env):
    return _get_all_on(_pa_cache(env)[0], units)


@workload(WORKLOADS, 'pa_get_all_one')
def pa_get_all_one(units, env):
    return _get_all_on(_client(env, cluster=True, partition_aware=False), units)


@workload(WORKLOADS, 'pa_put_all')
def pa_put_all(units, env):
    return _put_all_on(_pa_cache(env)[0], units)


@workload(WORKLOADS, 'pa_put_all_one')
def pa_put_all_one(units, env):
    return _put_all_on(_client(env, cluster=True, partition_aware=False), units)


def _scan_on(client, units, **kwargs):
    cache = client.get_cache(spec.PA_SCAN_CACHE)
    try:
        cache.scan(page_size=spec.PAGE_SIZE, **kwargs).close()
    except TypeError as exc:
        raise NotAvailable(f'scan() takes no {sorted(kwargs)} ({exc})')

    def step():
        with cache.scan(page_size=spec.PAGE_SIZE, **kwargs) as cursor:
            for _ in cursor:
                pass
    with cache.scan(page_size=spec.PAGE_SIZE, **kwargs) as cursor:
        entries = dict(cursor)
    expect('scanned entries', len(entries), units)
    expect('scanned entry 5', entries.get(5), spec.small_value(5))
    step.warmed = True
    step.info = _pa_info(client)
    return step


@workload(WORKLOADS, 'pa_scan_parallel')
def pa_scan_parallel(units, env):
    return _scan_on(_pa_cache(env)[0], units, parallel=True)


@workload(WORKLOADS, 'pa_scan_one')
def pa_scan_one(units, env):
    return _scan_on(_client(env, cluster=True, partition_aware=False), units)
