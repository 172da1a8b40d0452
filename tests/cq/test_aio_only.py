"""What only the asyncio client offers: coroutine listeners, and ``async for`` over a query
without a listener."""
import asyncio

from cq_util import MARKER, Heard, live, unique

from pyignite import AioClient
from pyignite.continuous_query import EventType


async def test_a_coroutine_listener_is_awaited_one_batch_at_a_time_in_order(ignite_node):
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache(unique('cq-coro'))
        heard, running, most = Heard(), [], []

        async def listener(events):
            running.append(1)
            most.append(len(running))
            await asyncio.sleep(0.001)  # let the loop run: more batches come meanwhile
            heard(events)
            running.pop()

        async with await cache.continuous_query(listener) as cq:
            await live(cache, heard)
            await asyncio.gather(*(cache.put(k, k) for k in range(50)))
            for k in range(50):
                await cache.put(k, -k)
            for _ in range(6000):
                if len(heard.events) >= 100:
                    break
                await asyncio.sleep(0.01)
        assert cq.closed
        assert max(most) == 1  # never two batches at once
        for k in range(50):
            assert [(e.event_type, e.value) for e in heard.events if e.key == k] == [
                (EventType.CREATED, k), (EventType.UPDATED, -k)]
        assert len(heard.events) == 100


async def test_a_query_without_listener_is_an_async_iterator_of_events(ignite_node):
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache(unique('cq-iter'))
        # one event a batch: a server may hold a part-filled batch back (no time_interval)
        cq = await cache.continuous_query(buffer_size=1)
        await live_iterator(cache, cq)
        for k in range(5):
            await cache.put(k, str(k))
        got = []

        async def iterate():
            async for event in cq:
                got.append((event.event_type, event.key, event.value, event.old_value))
                if len(got) == 5:
                    await cq.close()  # ends the iteration
        await asyncio.wait_for(iterate(), 60)
        # in order per key; keys in different partitions may come in any order
        assert sorted(got, key=lambda e: e[1]) == [(EventType.CREATED, k, str(k), None)
                                                   for k in range(5)]
        assert [e async for e in cq] == []  # a closed query stays ended


async def live_iterator(cache, cq):
    """:func:`cq_util.live` for a query read with ``async for``: the marker's events are
    read off it."""
    version = 0
    while True:
        version += 1
        await cache.put(MARKER, version)
        try:
            event = await asyncio.wait_for(cq.__anext__(), 0.5)
        except asyncio.TimeoutError:
            continue  # the server dropped that one: it was not sending yet
        assert event.key == MARKER
        break
    await cache.remove_key(MARKER)
    while not (event.key == MARKER and event.event_type == EventType.REMOVED):
        event = await asyncio.wait_for(cq.__anext__(), 60)
