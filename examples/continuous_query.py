"""Continuous queries: the server pushes the changes of a cache to the client as they
happen. A listener gets them in batches, in order, from a thread (or task) of the client;
an initial query reads what was there before, and nothing written in between is missed.
"""
import asyncio
import threading

from pyignite import AioClient, Client
from pyignite.continuous_query import EventType, ScanQuery


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        cache = client.get_or_create_cache('cq_example')
        cache.put('before', 0)

        heard = []
        done = threading.Event()

        def listener(events):
            # called from a thread of the client's own: hand the events on, don't block
            for event in events:
                heard.append(event)
            if any(e.event_type == EventType.REMOVED for e in events):
                done.set()

        with cache.continuous_query(listener, initial_query=ScanQuery()) as query:
            print('Initial query:', sorted(query.initial))
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
            for key in range(3):
                await cache.put(key, key * 10)
            got = []
            async for event in query:
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
