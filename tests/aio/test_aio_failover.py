"""Failover of the async client on the shared three-node cluster: a node is killed
(SIGKILL) and started again; the test restores the three-node shape before it ends.

What a user relies on: requests in flight on the dead node's connection raise an
``OSError``; later calls go on with the other nodes; once the node is back, the client
connects to it again in the background and routes to it.
"""
import asyncio
import uuid

import pytest

from pyignite import AioClient
from pyignite.datatypes.cache_config import WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)

pytestmark = pytest.mark.slow

KILLED = 2


async def _get_all_tolerating_loss(cache, keys):
    """Values of ``keys`` read with single gets; a get may fail once on a lost connection."""
    values = {}
    for _ in range(100):
        results = await asyncio.gather(*[cache.get(k) for k in keys if k not in values],
                                       return_exceptions=True)
        for key, result in zip([k for k in keys if k not in values], results):
            if isinstance(result, OSError):
                continue
            if isinstance(result, BaseException):
                raise result
            values[key] = result
        if len(values) == len(keys):
            return values
        await asyncio.sleep(0.2)
    raise AssertionError('keys never readable: {}'.format(set(keys) - set(values)))


async def test_node_killed_and_back(ignite_cluster):
    killed_port = ignite_cluster.slot_ports[KILLED]
    client = AioClient()
    await client.connect(ignite_cluster.endpoints)
    try:
        cache = await client.create_cache({
            PROP_NAME: 'aio-failover-' + uuid.uuid4().hex,
            PROP_BACKUPS_NUMBER: 2,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        keys = list(range(200))
        await asyncio.gather(*[cache.put(k, k * 10) for k in keys])

        in_flight = [asyncio.ensure_future(cache.get(k)) for k in keys]
        await asyncio.sleep(0)  # sent
        # (nodes are started and killed from this thread: a node started from a worker
        # thread would die with that thread)
        ignite_cluster.kill_node(KILLED)
        for key, result in zip(keys, await asyncio.gather(*in_flight,
                                                          return_exceptions=True)):
            assert result == key * 10 or isinstance(result, OSError), result

        assert await _get_all_tolerating_loss(cache, keys) == {k: k * 10 for k in keys}
        dead = [c for c in client._session.nodes if c.port == killed_port][0]
        assert not dead.alive

        ignite_cluster.start_node(KILLED)  # blocks the loop meanwhile: nothing is in flight
        for _ in range(300):  # the client notices the node is back on later calls
            await _get_all_tolerating_loss(cache, keys[:10])
            if dead.alive:
                break
            await asyncio.sleep(0.2)
        assert dead.alive, 'the client did not reconnect to the restarted node'
        assert await _get_all_tolerating_loss(cache, keys) == {k: k * 10 for k in keys}
        await cache.destroy()
    finally:
        await client.close()
        if not ignite_cluster.is_running(KILLED):
            ignite_cluster.start_node(KILLED)
