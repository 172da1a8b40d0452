"""Continuous queries: the server pushes the changes of a cache to the client as they
happen. A listener gets them in batches, in order, from a thread (or task) of the client;
an initial query reads what was there before, and nothing written in between is missed.

Ignite starts sending a new query's events a moment after it answered the open, and does
not send those of changes made in that moment; where every change counts, make sure the
query is live first (``wait_live``: write a marker entry until its event comes).
"""
import asyncio
import threading

from pyignite import AioClient, Client
from pyignite.continuous_query import EventType, ScanQuery

MARKER = 'live?'


def wait_live(cache, live):
    """Write the marker until the listener saw it (it sets ``live``), then remove it."""
    version = 0
    while not live.wait(0.1):
        version += 1
        cache.put(MARKER, version)
    cache.remove_key(MARKER)


async def wait_live_async(cache, query):
    """The same for a query read with ``async for``: its first event is the marker's."""
    version = 0
    while True:
        version += 1
        await cache.put(MARKER, version)
        try:
            await asyncio.wait_for(query.__anext__(), 0.1)
            break
        except asyncio.TimeoutError:
            pass  # written before the server sent this query's events
    await cache.remove_key(MARKER)


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        cache = client.get_or_create_cache('cq_example')
        cache.put('before', 0)

        heard = []
        live, done = threading.Event(), threading.Event()

        def listener(events):
            # called from a thread of the client's own: hand the events on, don't block
            for event in events:
                if event.key == MARKER:
                    live.set()
                    continue
                heard.append(event)
                if event.event_type == EventType.REMOVED:
                    done.set()

        with cache.continuous_query(listener, initial_query=ScanQuery()) as query:
            print('Initial query:', sorted(query.initial))
            wait_live(cache, live)
            cache.put('a', 1)
            cache.put('a', 2)
            cache.remove_key('a')
            done.wait(30)
        for event in heard:
            print(f'{event.event_type.name} {event.key}: {event.old_value} -> {event.value}')
        cache.destroy()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cache = await client.get_or_create_cache('cq_async_example')
        # no listener: the query is an async iterator of the events
        async with await cache.continuous_query() as query:
            await wait_live_async(cache, query)
            for key in range(3):
                await cache.put(key, key * 10)
            got = []
            async for event in query:
                if event.key == MARKER:
                    continue  # the marker's last events
                got.append(event)
                if len(got) == 3:
                    break
        # in order for each key; the events of different keys may come in any order
        for event in sorted(got, key=lambda e: e.key):
            print(f'Async {event.event_type.name} {event.key}: {event.value}')
        await cache.destroy()


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
