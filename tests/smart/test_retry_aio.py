"""The asyncio client's variant of the transaction rule of test_retry.py (the adapter can
not hold a transaction across calls): nothing made inside a transaction is sent again."""
import pytest

from pyignite import AioClient
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.retry import RetryAllPolicy

from .helpers import Events, unique


async def test_nothing_is_sent_again_inside_a_transaction(proxy, ignite_node):
    events = Events()
    client = AioClient(partition_aware=False, retry_policy=RetryAllPolicy(),
                       event_listeners=[events])
    async with client.connect([(proxy.host, proxy.port),
                               (ignite_node.host, ignite_node.port)]):
        cache = await client.get_or_create_cache({
            PROP_NAME: unique('retry-tx'),
            PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL})
        await cache.put('k', 'v')
        async with client.tx_start():
            await cache.put('k', 'in tx')
            proxy.tamper_all(lambda body: (b'', True))
            with pytest.raises(ConnectionError):
                await client.get_cache_names()
        assert not events.of('query_retry')
        proxy.reset()
        assert await cache.get('k') == 'v'
        await cache.destroy()
