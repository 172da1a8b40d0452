"""Every AioCache method against a real node (the async twin of tests/kv)."""
import asyncio

import pytest

from pyignite import AioClient
from pyignite.aio_cache import AioCache, create_cache, get_cache, get_or_create_cache
from pyignite.datatypes import CharObject, IntObject, ShortObject
from pyignite.datatypes.expiry_policy import ExpiryPolicy
from pyignite.datatypes.key_value import PeekModes
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.exceptions import CacheError, ParameterError, ReconnectError


async def test_put_get_and_missing_key(cache):
    assert await cache.put('my key', 42) is None
    assert await cache.get('my key') == 42
    assert await cache.get('non-existent key') is None


async def test_get_all_and_put_all(cache):
    await cache.put_all({'a': 1, 'b': 'two', ('c', CharObject): (3, ShortObject)})
    assert await cache.get_all(['a', 'b', 'missing']) == {'a': 1, 'b': 'two'}
    assert await cache.get_all([('c', CharObject)]) == {'c': 3}
    assert await cache.get_all([]) == {}


async def test_hinted_keys_are_distinct_keys(cache):
    await cache.put('a', 1)
    await cache.put('a', 2, key_hint=CharObject)
    assert await cache.get('a') == 1
    assert await cache.get('a', key_hint=CharObject) == 2
    await cache.remove_keys(['a', ('a', CharObject)])
    assert await cache.get_size() == 0


async def test_replace(cache):
    assert await cache.replace('k', 1) is False
    assert await cache.get('k') is None
    await cache.put('k', 0)
    assert await cache.replace('k', 1) is True
    assert await cache.get('k') == 1


async def test_clear_variants(cache):
    await cache.put_all({i: i for i in range(10)})
    await cache.clear_key(0)
    assert await cache.get(0) is None
    await cache.clear_keys([1, 2])
    assert await cache.get_all([1, 2, 3]) == {3: 3}
    await cache.clear([3, 4])
    assert await cache.get_size() == 5
    await cache.clear()
    assert await cache.get_size() == 0


async def test_contains(cache):
    await cache.put(1, 'x', key_hint=IntObject)
    assert await cache.contains_key(1, key_hint=IntObject) is True
    # a Long 1 is another key than an Int 1
    assert await cache.contains_key(1) is False
    await cache.put(2, 'y')
    assert await cache.contains_keys([2, (1, IntObject)]) is True
    assert await cache.contains_keys([2, 3]) is False


async def test_get_and_put_family(cache):
    assert await cache.get_and_put('k', 1) is None
    assert await cache.get_and_put('k', 2) == 1
    assert await cache.get_and_put_if_absent('k', 3) == 2
    assert await cache.get_and_put_if_absent('new', 4) is None
    assert await cache.get('new') == 4
    assert await cache.put_if_absent('k', 5) is False
    assert await cache.put_if_absent('other', 6) is True
    assert await cache.get_and_replace('k', 7) == 2
    assert await cache.get_and_replace('absent', 8) is None
    assert await cache.get('absent') is None
    assert await cache.get_and_remove('k') == 7
    assert await cache.get_and_remove('k') is None


async def test_removes(cache):
    await cache.put_all({'a': 1, 'b': 2, 'c': 3})
    assert await cache.remove_key('a') is True
    assert await cache.remove_key('a') is False
    assert await cache.remove_if_equals('b', 99) is False
    assert await cache.remove_if_equals('b', 2) is True
    await cache.remove_keys(['c'])
    assert await cache.get_size() == 0
    await cache.put_all({i: i for i in range(5)})
    await cache.remove_all()
    assert await cache.get_size() == 0


async def test_replace_if_equals(cache):
    await cache.put('k', 'old')
    assert await cache.replace_if_equals('k', 'other', 'new') is False
    assert await cache.replace_if_equals('k', 'old', 'new') is True
    assert await cache.get('k') == 'new'
    await cache.put('s', 1, value_hint=ShortObject)
    # the sample compares as its Ignite type: a Long 1 is not a Short 1
    assert await cache.replace_if_equals('s', 1, 2) is False
    assert await cache.replace_if_equals('s', 1, 2, sample_hint=ShortObject) is True


async def test_get_size_with_peek_modes(cache):
    await cache.put_all({i: i for i in range(7)})
    assert await cache.get_size() == 7
    assert await cache.get_size(PeekModes.PRIMARY) == 7
    assert await cache.get_size([PeekModes.PRIMARY, PeekModes.BACKUP]) == 7
    assert await cache.get_size(PeekModes.BACKUP) == 0
    with pytest.raises(ParameterError):
        await cache.get_size(42)


async def test_keyword_arguments_and_the_timeout_keyword(cache):
    await cache.put(key='k', value=5, value_hint=ShortObject, timeout=5)
    assert await cache.get(key='k', timeout=5.0) == 5
    assert await cache.replace_if_equals('k', sample=5, value=6, sample_hint=ShortObject,
                                         timeout=5) is True
    assert await cache.get_all(keys=['k'], timeout=5) == {'k': 6}
    assert await cache.get_size(timeout=5) == 1
    with pytest.raises(TypeError):
        await cache.get('k', None, 5)  # timeout is keyword-only
    with pytest.raises(TypeError):
        await cache.get()


async def test_settings_are_read_once(client):
    cache = await client.create_cache({PROP_NAME: 'aio-settings', PROP_BACKUPS_NUMBER: 2})
    try:
        settings = await cache.settings()
        assert settings[PROP_NAME] == 'aio-settings'
        assert settings[PROP_BACKUPS_NUMBER] == 2
        assert await cache.settings() is settings
    finally:
        await cache.destroy()


async def test_scan(cache):
    await cache.put_all({i: str(i) for i in range(25)})
    async with cache.scan(page_size=7) as cursor:
        rows = [tuple(row) async for row in cursor]
    assert sorted(rows) == [(i, str(i)) for i in range(25)]


async def test_expiry_policy_view(cache):
    expiring = cache.with_expire_policy(create=1)  # 1 ms to live
    assert isinstance(expiring, AioCache)
    assert expiring.expiry_policy == ExpiryPolicy(create=1)
    assert cache.expiry_policy is None
    await cache.put('kept', 1)
    await expiring.put('gone', 1)
    await asyncio.sleep(0.1)
    assert await cache.get('gone') is None
    assert await cache.get('kept') == 1


async def test_cache_identity(client, cache):
    assert isinstance(cache, AioCache)
    assert cache.client is client
    assert cache.name.startswith('aio-')
    # the cache id is the Java hash code of the name
    assert AioCache(client, 'myCache').cache_id == 1482644790


async def test_cache_factories(client):
    name = 'aio-factories-test'
    created = await client.create_cache(name)
    try:
        assert name in await client.get_cache_names()
        with pytest.raises(CacheError):
            await client.create_cache(name)
        assert (await get_or_create_cache(client, {PROP_NAME: name})).name == name
        assert (await client.get_or_create_cache(name)).cache_id == created.cache_id
        assert (await get_cache(client, name)).name == name
        assert (await client.get_cache(name)).cache_id == created.cache_id
        with pytest.raises(ParameterError):
            await client.get_cache({PROP_NAME: name, 1: 2})
        with pytest.raises(ParameterError):
            await client.get_cache({})
    finally:
        await created.destroy()
    assert name not in await client.get_cache_names()
    other = await create_cache(client, name + '2')
    await other.destroy()
    with pytest.raises(CacheError):
        await other.get(1)


async def test_connect_forms(ignite_node):
    endpoint = (ignite_node.host, ignite_node.port)
    client = AioClient()
    async with client.connect(*endpoint) as connected:
        assert connected is client
        assert isinstance(await client.get_cache_names(), list)
    with pytest.raises(ReconnectError):
        await client.get_cache_names()  # closed on leaving the block

    client = AioClient(partition_aware=False)
    assert await client.connect([endpoint]) is client
    try:
        assert client.protocol_context is not None
        node = await client.random_node()
        assert node.alive and (node.host, node.port) == endpoint
        assert node.uuid is not None
        assert isinstance(await client.get_cache_names(), list)
    finally:
        await client.close()

    async with AioClient() as client:
        await client.connect(*endpoint)
        assert isinstance(await client.get_cache_names(), list)
    assert client.protocol_context is None

    with pytest.raises(ParameterError):
        AioClient().connect('host-only')
    with pytest.raises(ParameterError):
        AioClient(no_such_option=1)


async def test_aio_client_takes_a_request_timeout(ignite_node):
    # unlike the reference client, a timeout is a valid AioClient option
    client = AioClient(timeout=5.0)
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_or_create_cache('aio-timeout-option')
        await cache.put(1, 1)
        assert await cache.get(1) == 1
        await cache.destroy()
