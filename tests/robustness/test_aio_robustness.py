"""What the asyncio client does with timeouts and concurrency where the sync one uses
threads: tasks waiting on one connection while a request times out or the connection breaks.

Same doubles, same user-visible contracts: a documented error, quickly, and a client that
keeps working against the real node. The scenarios both clients share run with both in
test_timeouts.py and test_hostile_peers.py.
"""
import asyncio
import random

import pytest

from pyignite import AioClient

from .doubles import delayed_if, dropped


async def _client_via(proxy, node, **kwargs):
    client = AioClient(partition_aware=False, **kwargs)
    await client.connect([(proxy.host, proxy.port), (node.host, node.port)])
    return client


# --- timeouts -----------------------------------------------------------------------------

async def test_timeout_of_one_request_while_other_tasks_get_replies(proxy, ignite_node, made_cache):
    client = await _client_via(proxy, ignite_node, timeout=1.5)
    try:
        cache = await client.get_cache(made_cache)
        await cache.put('slow', 'slow value')
        for i in range(4):
            await cache.put(i, 'value {}'.format(i))
        stop = asyncio.Event()
        results = []

        async def busy(i):
            while not stop.is_set():
                results.append((i, await cache.get(i)))

        tasks = [asyncio.ensure_future(busy(i)) for i in range(4)]
        await asyncio.sleep(0.2)
        proxy.tamper_all(delayed_if(b'slow value', 4.0))
        with pytest.raises(TimeoutError):
            await cache.get('slow')
        await asyncio.sleep(3.0)
        proxy.tamper_all(None)
        stop.set()
        await asyncio.gather(*tasks)
        assert results and all(v == 'value {}'.format(i) for i, v in results)
        assert proxy.connections == 1
        assert await cache.get('slow') == 'slow value'
    finally:
        await client.close()


# --- concurrency --------------------------------------------------------------------------

async def test_many_tasks_share_one_client(ignite_node, cache_name):
    async def worker(cache, tid):
        rnd = random.Random(tid)
        mine = ['own-{}-{}'.format(tid, k) for k in range(5)]
        for i in range(30):
            key, value = mine[i % 5], 't{}-r{}'.format(tid, i)
            await cache.put(key, value)
            assert await cache.get(key) == value
            batch = {k: 't{}-r{}'.format(tid, -j) for j, k in enumerate(mine)}
            await cache.put_all(batch)
            assert await cache.get_all(mine) == batch
            assert await cache.replace(key, value + '!')
            assert await cache.remove_key(key)
            assert not await cache.contains_key(key)
            seen = await cache.get_and_put('shared-{}'.format(rnd.randrange(4)), value)
            assert seen is None or seen.startswith('t')

    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache(cache_name)
        try:
            await asyncio.gather(*[worker(cache, tid) for tid in range(16)])
        finally:
            await cache.destroy()


async def test_broken_connection_fails_every_waiting_task(proxy, ignite_node, cache_name):
    client = await _client_via(proxy, ignite_node)
    try:
        cache = await client.get_or_create_cache(cache_name)
        await cache.put('k', 'v')
        proxy.tamper_all(dropped)
        tasks = [asyncio.ensure_future(cache.get('k')) for _ in range(8)]
        await asyncio.sleep(0.5)
        proxy.close()
        outcomes = await asyncio.wait_for(
            asyncio.gather(*tasks, return_exceptions=True), 20)
        assert all(isinstance(o, OSError) for o in outcomes), outcomes
        assert await cache.get('k') == 'v'
        await cache.destroy()
    finally:
        await client.close()
