"""Expiry policies: entries that disappear some time after they are created, updated or
read. A policy can belong to the cache (PROP_EXPIRY_POLICY) or to a view of it
(Cache.with_expire_policy) that applies it to every operation made through the view.
"""
import asyncio
import time
from datetime import timedelta

from pyignite import AioClient, Client
from pyignite.datatypes import ExpiryPolicy
from pyignite.datatypes.prop_codes import PROP_EXPIRY_POLICY, PROP_NAME
from pyignite.exceptions import NotSupportedByClusterError


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        # a cache whose entries live one second after they are created
        try:
            ttl_cache = client.create_cache({
                PROP_NAME: 'create_ttl_cache',
                PROP_EXPIRY_POLICY: ExpiryPolicy(create=timedelta(seconds=1.0)),
            })
        except NotSupportedByClusterError:
            print('The server does not support expiry policies')
            return
        try:
            ttl_cache.put(1, 1)
            print(f'Cache policy, before expiry: {ttl_cache.get(1)}')
            time.sleep(1.5)
            print(f'Cache policy, after expiry: {ttl_cache.get(1)}')
        finally:
            ttl_cache.destroy()

        # a plain cache, read through a view: entries expire a second after each read
        simple_cache = client.create_cache('simple_cache')
        try:
            simple_cache.put(1, 1)
            reading = simple_cache.with_expire_policy(access=timedelta(seconds=1.0))
            print(f'Access policy, first read: {reading.get(1)}')
            time.sleep(1.5)
            print(f'Access policy, after expiry: {simple_cache.get(1)}')
        finally:
            simple_cache.destroy()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cache = await client.create_cache('async_ttl_cache')
        try:
            # the view applies the policy to every write and read made through it
            short_lived = cache.with_expire_policy(create=1000)  # milliseconds
            await short_lived.put(1, 1)
            await cache.put(2, 2)
            print(f'Async, before expiry: {sorted((await cache.get_all([1, 2])).items())}')
            await asyncio.sleep(1.5)
            print(f'Async, after expiry: {sorted((await cache.get_all([1, 2])).items())}')
        finally:
            await cache.destroy()


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
