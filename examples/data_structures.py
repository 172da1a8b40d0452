"""Distributed data structures: an AtomicLong counter and an IgniteSet, sync and async."""
import asyncio

from pyignite import AioClient, Client
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.structures import AtomicConfiguration, CollectionConfiguration


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        # a counter the whole cluster shares
        counter = client.atomic_long('visits', initial=10)
        print('Incremented:', counter.increment_and_get())
        print('Added 5:', counter.add_and_get(5))
        print('CAS 16 -> 100:', counter.compare_and_set(16, 100), counter.get())
        print('CAS 16 -> 200:', counter.compare_and_set(16, 200), counter.get())
        counter.remove()
        print('Removed:', counter.removed())
        print('Looked up after removal:', client.atomic_long('visits', create=False))

        # where a new structure lives is configurable (a cache group has one configuration)
        replicated = client.atomic_long('replicated counter', config=AtomicConfiguration(
            cache_mode=CacheMode.REPLICATED, group_name='replicated atomics'))
        print('Replicated counter:', replicated.get())
        replicated.remove()

        # a set that behaves as a Python set
        tags = client.ignite_set('tags', config=CollectionConfiguration(colocated=True))
        tags.add('red')
        tags |= {'green', 'blue'}
        print('Tags:', sorted(tags), len(tags), 'red' in tags)
        tags.discard('green')
        print('Same as a Python set:', tags == {'red', 'blue'})
        print('Union makes a Python set:', sorted(tags | {'black'}))
        tags.close()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        counter = await client.atomic_long('async visits')
        await asyncio.gather(*[counter.increment_and_get() for _ in range(100)])
        print('Async counter:', await counter.get())
        await counter.remove()

        numbers = await client.ignite_set('numbers')
        await numbers.update(range(10))
        await numbers.retain_all([2, 3, 5, 7, 11])
        print('Async set:', sorted([n async for n in numbers]), await numbers.contains(5))
        await numbers.close()


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
