"""Transactions: commit, roll back on error, and a transaction that times out.

Transactions need a TRANSACTIONAL cache: since Ignite 2.16 operations on ATOMIC
caches are refused inside a transaction.
"""
import asyncio
import time

from pyignite import AioClient, Client
from pyignite.datatypes import TransactionConcurrency, TransactionIsolation
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.exceptions import CacheError

CACHE_SETTINGS = {
    PROP_NAME: 'tx_cache',
    PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL,
}


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        if not client.protocol_context.is_transactions_supported():
            print('The server does not support transactions')
            return
        cache = client.get_or_create_cache(CACHE_SETTINGS)
        try:
            # committed: the value is stored
            with client.tx_start(
                isolation=TransactionIsolation.REPEATABLE_READ,
                concurrency=TransactionConcurrency.PESSIMISTIC,
            ) as tx:
                cache.put(1, 'success')
                tx.commit()
            print(f'Committed: {cache.get(1)}')

            # an error inside the block: the transaction is rolled back
            try:
                with client.tx_start(
                    isolation=TransactionIsolation.READ_COMMITTED,
                    concurrency=TransactionConcurrency.OPTIMISTIC,
                ):
                    cache.put(1, 'fail')
                    raise RuntimeError('something went wrong')
            except RuntimeError as e:
                print(f'Error: {e}')
            print(f'After rollback: {cache.get(1)}')

            # a transaction that takes longer than its timeout cannot commit
            try:
                with client.tx_start(timeout=1000, label='long-tx') as tx:
                    cache.put(1, 'late')
                    time.sleep(2.0)
                    tx.commit()
            except CacheError as e:
                # the server explains: 'Cache transaction timed out: GridNearTxLocal[...]'
                print(f'Timed out: {"timed out" in str(e)}, label in message: '
                      f'{"label=long-tx" in str(e)}')
            print(f'After timeout: {cache.get(1)}')
        finally:
            cache.destroy()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cache = await client.get_or_create_cache(CACHE_SETTINGS)
        try:
            # the transaction belongs to the task that started it
            async with client.tx_start() as tx:
                await cache.put(1, 'async success')
                await tx.commit()
            print(f'Async committed: {await cache.get(1)}')

            async with client.tx_start():
                await cache.put(1, 'async fail')
                # leaving the block without commit() rolls back
            print(f'Async after rollback: {await cache.get(1)}')
        finally:
            await cache.destroy()


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
