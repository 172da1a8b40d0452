"""Many requests in flight on one connection: batches, cancellation, timeouts, lost
connections. Every reply must reach its own request, and abandoning requests must never
desynchronise the connection. And many in flight on the three-node cluster: each goes to
its key's primary node.

These scenarios exist for the asyncio client only: a sync client has one request in
flight per thread (its threads are in tests/robustness/test_threads.py).
"""
import asyncio
import random

import pytest

from pyignite import AioClient
from pyignite._ops import key_value as kv
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.datatypes.transactions import TransactionConcurrency, TransactionIsolation
from pyignite.exceptions import ParameterError
from pyignite.monitoring import QueryEventListener


def _value(i: int) -> str:
    return 'value-{}'.format(i)


def _pending_requests(client) -> int:
    return sum(len(conn._proto.inbox.waiting) for conn in client._session.nodes if conn._proto)


async def test_gather_of_1000_puts(cache):
    await asyncio.gather(*[cache.put(i, _value(i)) for i in range(1000)])
    assert await cache.get_size() == 1000
    assert await cache.get_all(list(range(1000))) == {i: _value(i) for i in range(1000)}


async def test_gather_of_mixed_operations(cache):
    await cache.put_all({i: i for i in range(200)})
    await cache.put_all({i: i for i in range(300, 310)})
    # the server may run concurrent requests in any order: no two touch the same key
    results = await asyncio.gather(*(
        [cache.get(i) for i in range(200)]
        + [cache.contains_key(i) for i in range(190, 210)]
        + [cache.get_and_put(i, -i) for i in range(300, 310)]
    ))
    assert results[:200] == list(range(200))
    assert results[200:220] == [True] * 10 + [False] * 10
    assert results[220:] == list(range(300, 310))
    assert await cache.get_all(list(range(300, 310))) == {i: -i for i in range(300, 310)}


@pytest.mark.parametrize('seed', [1, 2, 3])
async def test_cancelled_and_timed_out_gets_leave_the_connection_in_sync(client, cache, seed):
    rnd = random.Random(seed)
    await cache.put_all({i: _value(i) for i in range(1000)})

    async def cancel_later(task, delay):
        await asyncio.sleep(delay)
        task.cancel()

    # 100 gets cancelled at random points (before sending, while in flight, after the
    # reply came), 50 gets under random wait_for timeouts, 100 gets left alone
    doomed = [asyncio.ensure_future(cache.get(rnd.randrange(1000))) for _ in range(100)]
    cancellers = [cancel_later(task, rnd.choice([0, 0, rnd.uniform(0, 0.005)]))
                  for task in doomed]
    timed_keys = [rnd.randrange(1000) for _ in range(50)]
    timed = [asyncio.wait_for(cache.get(k), rnd.uniform(0.0001, 0.01)) for k in timed_keys]
    kept_keys = [rnd.randrange(1000) for _ in range(100)]
    kept = [cache.get(k) for k in kept_keys]
    results = await asyncio.gather(*cancellers, *timed, *kept, return_exceptions=True)
    assert results[-100:] == [_value(k) for k in kept_keys]
    for key, result in zip(timed_keys, results[100:150]):
        assert result == _value(key) or isinstance(result, asyncio.TimeoutError)
    for task in doomed:
        assert task.cancelled() or task.result().startswith('value-')
    assert any(task.cancelled() for task in doomed)  # some were abandoned in flight

    got = await asyncio.gather(*[cache.get(i) for i in range(1000)])
    assert got == [_value(i) for i in range(1000)]
    assert _pending_requests(client) == 0  # no reply left waiting, nothing leaked


async def test_per_call_timeout_validation(cache):
    await cache.put('k', 1)
    for bad in (0, -1, 'soon', True):
        with pytest.raises(ParameterError):
            await cache.get('k', timeout=bad)
    assert await cache.get('k', timeout=10) == 1


@pytest.fixture
async def tx_cache_name(client):
    cache = await client.create_cache({
        PROP_NAME: 'aio-tx-{}'.format(random.randrange(1 << 30)),
        PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL})
    yield cache.name
    await cache.destroy()


async def _while_key_is_locked(client, cache_name, key, body):
    """Run ``await body()`` while a pessimistic transaction of ``client`` holds ``key``."""
    cache = await client.get_cache(cache_name)
    async with client.tx_start(TransactionConcurrency.PESSIMISTIC,
                               TransactionIsolation.REPEATABLE_READ) as tx:
        await cache.put(key, 'locked by tx')
        await body()
        await tx.commit()


async def test_per_call_timeout_keeps_the_connection_usable(ignite_node, client,
                                                            tx_cache_name):
    other = AioClient()
    async with other.connect(ignite_node.host, ignite_node.port):
        blocked = await other.get_cache(tx_cache_name)
        await blocked.put_all({i: _value(i) for i in range(100)})

        async def put_to_locked_key():
            # the server holds the put until the transaction ends: the client gives up
            with pytest.raises(asyncio.TimeoutError) as raised:
                await blocked.put('hot', 'from other client', timeout=0.3)
            assert isinstance(raised.value, OSError)
            conn = other._session.nodes[0]
            assert conn.alive
            # meanwhile the same connection serves other requests
            assert await blocked.get_all(list(range(100))) == {
                i: _value(i) for i in range(100)}

        await _while_key_is_locked(client, tx_cache_name, 'hot',
                                   put_to_locked_key)
        # the abandoned put's late reply is dropped; every reply still finds its request
        got = await asyncio.gather(*[blocked.get(i) for i in range(100)])
        assert got == [_value(i) for i in range(100)]
        assert _pending_requests(other) == 0


async def test_client_request_timeout_with_no_other_reply_reconnects(ignite_node, client,
                                                                     tx_cache_name):
    # the client-wide timeout follows the sync client's rule: nothing at all came from the
    # node while the put waited, so the connection is closed and the next call reconnects
    other = AioClient(timeout=0.3)
    async with other.connect(ignite_node.host, ignite_node.port):
        blocked = await other.get_cache(tx_cache_name)
        await blocked.put(1, 'one')
        conn = other._session.nodes[0]

        async def put_to_locked_key():
            with pytest.raises(TimeoutError):
                await blocked.put('hot', 'from other client')
            assert not conn.alive
            assert await blocked.get(1) == 'one'
            assert conn.alive

        await _while_key_is_locked(client, tx_cache_name, 'hot',
                                   put_to_locked_key)
        assert await blocked.get(1) == 'one'
        assert other._session.nodes[0].alive


async def test_connection_loss_fails_pending_requests_and_the_client_reconnects(ignite_node):
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache('aio-loss')
        await cache.put_all({i: _value(i) for i in range(200)})
        conn = client._session.nodes[0]
        old_uuid = conn.uuid

        tasks = [asyncio.ensure_future(cache.get(i)) for i in range(200)]
        await asyncio.sleep(0)  # every get is now sent and waits for its reply
        assert _pending_requests(client) == 200
        conn._proto.transport.abort()  # the connection drops: the server stays up
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, OSError) for r in results), results
        assert not conn.alive

        # the next call reconnects
        assert await cache.get(7) == _value(7)
        assert conn.alive and conn.uuid == old_uuid
        got = await asyncio.gather(*[cache.get(i) for i in range(200)])
        assert got == [_value(i) for i in range(200)]
        await cache.destroy()


async def test_requests_on_a_dropped_connection_fail_then_reconnect(ignite_node):
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache('aio-loss-2')
        await cache.put(1, 1)
        conn = client._session.nodes[0]
        conn._proto.transport.abort()
        await asyncio.sleep(0.05)  # the loss is noticed
        assert not conn.alive
        # the dead connection is replaced before the request is sent
        assert await cache.get(1) == 1
        await cache.destroy()


async def test_large_values_in_flight(cache):
    """Frames far bigger than a socket read, and writes beyond the transport's buffer
    limit (the writers wait for it to drain), many at once."""
    values = {i: bytes([i]) * (1 << 20) + str(i).encode() for i in range(24)}
    await asyncio.gather(*[cache.put(k, v) for k, v in values.items()])
    got = await asyncio.gather(*[cache.get(k) for k in values])
    assert got == list(values.values())
    assert await cache.get_all(list(values)) == values


async def test_closing_the_client_fails_requests_in_flight(ignite_node):
    client = AioClient()
    await client.connect(ignite_node.host, ignite_node.port)
    cache = await client.get_or_create_cache('aio-close-in-flight')
    tasks = [asyncio.ensure_future(cache.get(i)) for i in range(100)]
    await asyncio.sleep(0)  # the gets are sent
    await client.close()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results), results
    await client.connect(ignite_node.host, ignite_node.port)
    await cache.destroy()
    await client.close()


class _Puts(QueryEventListener):
    def __init__(self):
        self.ports = []

    def on_query_start(self, event):
        if event.op_name == 'OP_CACHE_PUT':
            self.ports.append(event.port)


async def test_requests_in_flight_go_to_their_primary_nodes(ignite_cluster):
    """300 puts in flight at once on the three-node cluster each go to its key's primary
    node. The cache has no backups, so only a key's primary node holds it, and
    OP_CACHE_LOCAL_PEEK sent on one node's own connection sees what that node holds.
    (The routing of one request at a time, with both clients, is in
    tests/cluster/test_partition_awareness.py.)"""
    puts = _Puts()
    client = AioClient(event_listeners=[puts])
    async with client.connect(ignite_cluster.endpoints):
        cache = await client.create_cache({PROP_NAME: 'aio-pa-{}'.format(
            random.randrange(1 << 30)), PROP_BACKUPS_NUMBER: 0})
        try:
            keys = ['key-{}'.format(i) for i in range(300)]
            await cache.put('warm-up', 0)  # the partition map comes with the first key request
            puts.ports.clear()
            await asyncio.gather(*[cache.put(k, k.upper()) for k in keys])
            assert len(puts.ports) == len(keys)

            holders = {}
            for conn in client._session.nodes:
                peeked = await asyncio.gather(*[client._run(pinned(
                    kv.local_peek(client._session, cache, k), conn)) for k in keys])
                for key, value in zip(keys, peeked):
                    if value is not None:
                        assert value == key.upper()
                        assert key not in holders  # no backups: one holder per key
                        holders[key] = conn.port
            assert len(holders) == len(keys)
            assert len(set(holders.values())) == 3  # the keys are spread over all the nodes
            # each put went straight to its key's primary node (put i was started by the
            # i-th task, before any other request)
            assert puts.ports == [holders[k] for k in keys]
            for key in keys[:20]:
                assert (await client.get_best_node(cache, key)).port == holders[key]
            assert await cache.get_all(keys) == {k: k.upper() for k in keys}
        finally:
            await cache.destroy()


def pinned(call, conn):
    """A one-request operation (a ``Call``) sent to ``conn``, whatever routing would say."""
    call.req.conn = conn
    return call
