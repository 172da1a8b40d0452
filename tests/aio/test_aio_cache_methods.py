"""What only the async API of the caches has, against a real node: keyword-only per-call
``timeout=``, ``settings()`` as a coroutine, ``async with`` on clients, the ``timeout``
client option. The key-value methods both clients share are tested, with both, in
tests/kv/test_cache_methods.py.
"""
import pytest

from pyignite import AioClient
from pyignite.datatypes import ShortObject
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.exceptions import ParameterError, ReconnectError


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
