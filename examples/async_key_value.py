"""The asyncio client: concurrent puts, key-value reads and a scan."""
import asyncio

from pyignite import AioClient


async def main():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        # Create cache
        cache = await client.get_or_create_cache('test_async_cache')

        try:
            # Load data concurrently.
            await asyncio.gather(
                *[cache.put(f'key_{i}', f'value_{i}') for i in range(0, 20)]
            )

            # Key-value queries.
            print(await cache.get('key_10'))
            print(await cache.get_all([f'key_{i}' for i in range(0, 10)]))
            # value_10
            # {'key_3': 'value_3', 'key_2': 'value_2', 'key_1': 'value_1', '....}

            # Scan query.
            async with cache.scan() as cursor:
                async for k, v in cursor:
                    print(f'key = {k}, value = {v}')
            # key = key_12, value = value_12
            # key = key_13, value = value_13
            # key = key_10, value = value_10
            # .....
        finally:
            # the example leaves the cluster as it found it
            await cache.destroy()


asyncio.run(main())
