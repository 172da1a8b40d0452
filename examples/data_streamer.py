"""Loading many entries fast with the data streamer, sync and async.

The streamer buffers entries per node and sends them in batches, several at once; leaving
the ``with`` block sends the rest and waits until the server acknowledged every entry
(or raises DataStreamerError saying how many it did not).
"""
import asyncio

from pyignite import AioClient, Client
from pyignite.exceptions import DataStreamerError


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        cache = client.get_or_create_cache('streamed')
        cache.put(0, 'kept')

        with client.data_streamer(cache) as streamer:
            for i in range(10_000):
                streamer.add(i, 'value {}'.format(i))
        print('Loaded:', cache.get_size(), 'entries')
        # without allow_overwrite, entries already in the cache are kept
        print('Key 0:', cache.get(0))
        print('Key 9999:', cache.get(9999))

        # with allow_overwrite, entries are replaced and keys can be removed
        with client.data_streamer(cache, allow_overwrite=True) as streamer:
            streamer.add(0, 'replaced')
            for i in range(5000, 10_000):
                streamer.remove(i)
        print('After overwrite:', cache.get(0), cache.get_size())

        # what the server did not acknowledge is reported, never dropped silently
        try:
            with client.data_streamer('no such cache') as streamer:
                streamer.add_all({1: 'one', 2: 'two'})
        except DataStreamerError as e:
            print('Not acknowledged:', e.failed)
        cache.destroy()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cache = await client.get_or_create_cache('streamed async')
        # add() waits when the cluster is behind: the loop runs at the cluster's pace
        async with client.data_streamer(cache, per_node_buffer_size=500) as streamer:
            for i in range(10_000):
                await streamer.add(i, i * i)
        print('Async loaded:', await cache.get_size(), 'entries;', 'key 12:', await cache.get(12))
        await cache.destroy()


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
