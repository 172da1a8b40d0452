"""The async client on the three-node cluster: concurrent connect, partition-aware routing
of concurrent requests, and the shared query events. Caches have no backups, so only a
key's primary node holds it, and OP_CACHE_LOCAL_PEEK sent on one node's own connection
sees what that node holds.
"""
import asyncio
import uuid

import pytest

from pyignite import AioClient
from pyignite._ops import key_value as kv
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.monitoring import ConnectionEventListener, QueryEventListener


class Events(QueryEventListener, ConnectionEventListener):
    def __init__(self):
        self.queries = []
        self.handshakes = []

    def on_query_start(self, event):
        self.queries.append(event)

    def on_handshake_success(self, event):
        self.handshakes.append(event)


def pinned(call, conn):
    """A one-request operation (a ``Call``) sent to ``conn``, whatever routing would say."""
    call.req.conn = conn
    return call


@pytest.fixture(scope='module')
def events():
    return Events()


@pytest.fixture(scope='module')
async def client(ignite_cluster, events):
    client = AioClient(event_listeners=[events])
    await client.connect(ignite_cluster.endpoints)
    yield client
    await client.close()


@pytest.fixture
async def cache(client):
    cache = await client.create_cache({PROP_NAME: 'aio-pa-' + uuid.uuid4().hex,
                                       PROP_BACKUPS_NUMBER: 0})
    yield cache
    await cache.destroy()


async def test_connects_to_every_node(client, events, ignite_cluster):
    assert client.partition_aware
    assert sorted(conn.port for conn in client._session.nodes if conn.alive) == sorted(
        ignite_cluster.client_ports)
    assert len({conn.uuid for conn in client._session.nodes}) == 3
    assert len(events.handshakes) >= 3


async def test_concurrent_key_requests_go_to_the_primary_node(client, events, cache):
    keys = ['key-{}'.format(i) for i in range(300)]
    await cache.put('warm-up', 0)  # the partition map is fetched on the first key request
    events.queries.clear()
    await asyncio.gather(*[cache.put(k, k.upper()) for k in keys])
    puts = [e for e in events.queries if e.op_name == 'OP_CACHE_PUT']
    assert len(puts) == len(keys)

    holders = {}
    for conn in client._session.nodes:
        peeked = await asyncio.gather(*[
            client._run(pinned(kv.local_peek(client._session, cache, k), conn)) for k in keys])
        for key, value in zip(keys, peeked):
            if value is not None:
                assert value == key.upper()
                assert key not in holders  # no backups: one holder per key
                holders[key] = conn.port
    assert len(holders) == len(keys)
    assert len(set(holders.values())) == 3  # the keys are spread over all the nodes
    # each put went straight to its key's primary node (request order is not key order,
    # but put i was started by the i-th task, before any other request)
    assert [e.port for e in puts] == [holders[k] for k in keys]

    for key in keys[:20]:
        assert (await client.get_best_node(cache, key)).port == holders[key]
    assert await cache.get_all(keys) == {k: k.upper() for k in keys}


async def test_register_cache_fetches_the_partition_map_up_front(ignite_cluster):
    events = Events()
    client = AioClient(event_listeners=[events])
    async with client.connect(ignite_cluster.endpoints):
        cache = await client.create_cache('aio-register-{}'.format(uuid.uuid4().hex[:8]))
        try:
            events.queries.clear()
            await client.register_cache(cache.cache_id)
            assert [e.op_name for e in events.queries] == ['OP_CACHE_PARTITIONS']
            events.queries.clear()
            await cache.put(7, 'v')
            # the map was fresh: no second map request before the put
            assert [e.op_name for e in events.queries] == ['OP_CACHE_PUT']
        finally:
            await cache.destroy()
