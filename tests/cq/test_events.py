"""Continuous query events against a real node, through both clients: what a listener hears
of another client's writes, batching, expiry, the remote filter and the initial query."""
from collections import defaultdict

import pytest
from cq_util import Heard, caller, run, unique

from pyignite import Client
from pyignite.continuous_query import CacheEntryEvent, EventType


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
