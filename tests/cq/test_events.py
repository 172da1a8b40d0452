"""Continuous query events against a real node, through both clients: what a listener hears
of another client's writes, batching, expiry, the remote filter and the initial query."""
import threading
from collections import defaultdict

import pytest
from cq_util import MARKER, Heard, caller, live, run, unique

from pyignite import Client, GenericObjectMeta
from pyignite.continuous_query import CacheEntryEvent, EventType, ScanQuery, SqlFieldsQuery
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME, PROP_QUERY_ENTITIES


@pytest.fixture
def writer(ignite_node):
    """Another client (sync, in the test's thread or its own): the one that writes."""
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        yield client


async def test_another_clients_puts_come_as_events_in_order(ignite_node, make_client, writer):
    client = await make_client(ignite_node)
    name = unique('cq-order')
    cache = await run(client.get_or_create_cache(name))
    heard = Heard()
    cq = await run(cache.continuous_query(heard))
    await live(cache, heard)
    wcache = writer.get_cache(name)
    expected = defaultdict(list)
    # 1,000 writes: 100 keys created, updated 8 times each, removed
    for k in range(100):
        wcache.put(k, 'v0-{}'.format(k))
        expected[k].append(CacheEntryEvent(EventType.CREATED, k, 'v0-{}'.format(k), None))
    for r in range(1, 9):
        for k in range(100):
            wcache.put(k, 'v{}-{}'.format(r, k))
            expected[k].append(CacheEntryEvent(EventType.UPDATED, k, 'v{}-{}'.format(r, k),
                                               'v{}-{}'.format(r - 1, k)))
    for k in range(100):
        wcache.remove_key(k)
        expected[k].append(CacheEntryEvent(EventType.REMOVED, k, None, 'v8-{}'.format(k)))
    events = await heard.until(1000)
    got = defaultdict(list)
    for event in events:
        got[event.key].append(event)
    assert got == expected
    assert len(events) == 1000
    # the listener ran in a thread or task of the client's own
    assert caller() not in heard.callers
    await run(cq.close())
    assert cq.closed


def _remote_keys(cluster, name, count):
    """A writer on ``cluster`` and ``count`` int keys whose primary is node 1, of a new
    cache ``name`` with no backups: the events of those keys are made on node 1, and the
    server batches them on their way to node 0, whose connection carries the query."""
    writer = Client()
    writer.connect(cluster.endpoints)
    cache = writer.get_or_create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 0})
    node1 = next(c for c in writer._session.nodes if c.port == cluster.client_ports[1])
    keys = [k for k in range(10 * count) if writer.get_best_node(cache, k) is node1][:count]
    assert len(keys) == count
    return writer, cache, keys


@pytest.mark.cluster
async def test_events_come_in_batches_of_the_buffer_size(cq_cluster, make_client):
    name = unique('cq-batch')
    writer, wcache, keys = _remote_keys(cq_cluster, name, 100)
    with writer:
        client = await make_client([(cq_cluster.host, cq_cluster.client_ports[0])])
        cache = await run(client.get_cache(name))
        heard = Heard()
        cq = await run(cache.continuous_query(heard, buffer_size=10))
        for k in keys:
            wcache.put(k, k)
        await heard.until(100)
        assert [len(batch) for batch in heard.batches] == [10] * 10
        assert [e.key for e in heard.events] == keys
        await run(cq.close())


@pytest.mark.cluster
async def test_a_partial_batch_comes_after_the_time_interval(cq_cluster, make_client):
    name = unique('cq-interval')
    writer, wcache, keys = _remote_keys(cq_cluster, name, 5)
    with writer:
        client = await make_client([(cq_cluster.host, cq_cluster.client_ports[0])])
        cache = await run(client.get_cache(name))
        timed, untimed = Heard(), Heard()
        cq1 = await run(cache.continuous_query(timed, buffer_size=100, time_interval=300))
        cq2 = await run(cache.continuous_query(untimed, buffer_size=100))
        for k in keys:
            wcache.put(k, k)
        # the batches are not full, yet the interval sends them (the server's timer ticks
        # on its own, so where a tick splits the five is not known)
        assert sorted(e.key for e in await timed.until(5)) == sorted(keys)
        assert all(len(batch) < 100 for batch in timed.batches)
        # without an interval, the same partial batch stays on the server
        assert await untimed.quiet(1.0) == []
        await run(cq1.close())
        await run(cq2.close())


async def test_expired_events_come_only_with_include_expired(ignite_node, make_client, writer):
    client = await make_client(ignite_node)
    name = unique('cq-expiry')
    cache = await run(client.get_or_create_cache(name))
    with_expired, without = Heard(), Heard()
    cq1 = await run(cache.continuous_query(with_expired, include_expired=True))
    cq2 = await run(cache.continuous_query(without))
    await live(cache, with_expired, without)
    # a short time to live: the node removes the entries (eager TTL) and says so
    wcache = writer.get_cache(name).with_expire_policy(create=200)
    for k in range(10):
        wcache.put(k, 'v{}'.format(k))
    events = await with_expired.until(20)
    created = [e for e in events if e.event_type == EventType.CREATED]
    expired = [e for e in events if e.event_type == EventType.EXPIRED]
    assert sorted(e.key for e in created) == list(range(10))
    assert sorted((e.key, e.value, e.old_value) for e in expired) == \
        [(k, None, 'v{}'.format(k)) for k in range(10)]
    assert len(events) == 20
    # the query without include_expired heard the same creations, and nothing else
    assert sorted(e.key for e in await without.until(10)) == list(range(10))
    assert {e.event_type for e in await without.quiet()} == {EventType.CREATED}
    assert len(without.events) == 10
    await run(cq1.close())
    await run(cq2.close())


class EvenKeys(metaclass=GenericObjectMeta,
               type_name='org.pyignite.tests.EvenKeysFilterFactory', schema={}):
    """The even-keys filter factory of the server-side test code (tools/java)."""


async def test_a_java_remote_filter_passes_only_even_keys(ignite_node, make_client, writer):
    client = await make_client(ignite_node)
    name = unique('cq-filter')
    cache = await run(client.get_or_create_cache(name))
    filtered, everything = Heard(), Heard()
    cq1 = await run(cache.continuous_query(filtered, remote_filter=EvenKeys()))
    cq2 = await run(cache.continuous_query(everything))
    await live(cache, filtered, everything)
    wcache = writer.get_cache(name)
    for k in range(100):
        wcache.put(k, k)
    # the unfiltered query heard all, so every event the filtered one would hear was sent
    await everything.until(100)
    await filtered.until(50)
    assert sorted(e.key for e in await filtered.quiet()) == list(range(0, 100, 2))
    await run(cq1.close())
    await run(cq2.close())


async def rows(cursor):
    """Every row of a sync or async cursor."""
    if hasattr(cursor, '__aiter__'):
        return [row async for row in cursor]
    return list(cursor)


@pytest.mark.parametrize('initial', ['scan', 'sql'])
async def test_initial_query_and_events_miss_nothing_written_meanwhile(
        ignite_node, make_client, writer, initial):
    client = await make_client(ignite_node)
    name = unique('cq-initial')
    # a table over the cache for the SQL variant: NUMBERS(K BIGINT key, V BIGINT)
    wcache = writer.create_cache({PROP_NAME: name, PROP_QUERY_ENTITIES: [{
        'table_name': 'NUMBERS', 'key_type_name': 'java.lang.Long',
        'value_type_name': 'java.lang.Long', 'key_field_name': 'K', 'value_field_name': 'V',
        'query_fields': [{'name': 'K', 'type_name': 'java.lang.Long', 'is_key_field': True},
                         {'name': 'V', 'type_name': 'java.lang.Long'}]}]})
    cache = await run(client.get_cache(name))
    wcache.put_all({k: k for k in range(500)})
    started = threading.Event()

    def write_more():
        for k in range(500, 1500):
            wcache.put(k, k)
            if k == 600:
                started.set()

    thread = threading.Thread(target=write_more)
    thread.start()
    try:
        started.wait(60)
        heard = Heard()
        query = ScanQuery(page_size=100) if initial == 'scan' else SqlFieldsQuery(
            'SELECT K, V FROM NUMBERS', page_size=100)
        cq = await run(cache.continuous_query(heard, initial_query=query))
    finally:
        thread.join()
    seen = {row[0] for row in await rows(cq.initial)}
    assert set(range(500)) <= seen  # whatever was there before
    for _ in range(600):
        if seen | {e.key for e in heard.events} >= set(range(1500)):
            break
        await heard.quiet(0.1)
    assert seen | {e.key for e in heard.events} == set(range(1500))
    await run(cq.close())


async def test_a_listener_may_use_the_client(ignite_node, make_client, api):
    """The listener runs outside the connection's reader: it may make requests itself
    (over the very connection that carries the query)."""
    client = await make_client(ignite_node)
    cache = await run(client.get_or_create_cache(unique('cq-reentrant')))
    other = await run(client.get_or_create_cache(unique('cq-reentrant-copy')))
    heard = Heard()
    if api == 'sync':
        def listener(events):
            for e in events:
                if e.key != MARKER:
                    other.put(e.key, cache.get(e.key))
            heard(events)
    else:
        async def listener(events):
            for e in events:
                if e.key != MARKER:
                    await other.put(e.key, await cache.get(e.key))
            heard(events)
    cq = await run(cache.continuous_query(listener))
    await live(cache, heard)
    for k in range(20):
        await run(cache.put(k, k * k))
    await heard.until(20)
    assert await run(other.get_all(list(range(20)))) == {k: k * k for k in range(20)}
    await run(cq.close())


async def test_events_come_over_tls(ssl_node, make_client):
    """With TLS the blocking client reads through its own TLS layer: the listening thread
    must too."""
    client = await make_client(ssl_node, use_ssl=True)
    cache = await run(client.get_or_create_cache(unique('cq-tls')))
    heard = Heard()
    cq = await run(cache.continuous_query(heard))
    await live(cache, heard)
    for k in range(20):
        await run(cache.put(k, 'v{}'.format(k)))
    assert sorted((e.key, e.value) for e in await heard.until(20)) == [
        (k, 'v{}'.format(k)) for k in range(20)]
    await run(cq.close())
