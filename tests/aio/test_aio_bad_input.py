"""Bad input gets a documented exception and leaves the async client working."""
import asyncio
import socket

import pytest

from pyignite import AioClient
from pyignite.connection.aio_connection import AioConnection
from pyignite.datatypes import ByteObject, IntObject, String
from pyignite.exceptions import CacheError, ParameterError, ReconnectError


class NotAnIgniteValue:
    pass


@pytest.mark.parametrize('key, value, kwargs', [
    ('k', NotAnIgniteValue(), {}),
    ('k', 'text', {'value_hint': IntObject}),
    ('k', 300, {'value_hint': ByteObject}),
    ('k', -129, {'value_hint': ByteObject}),
    ('k', 2 ** 31, {'value_hint': IntObject}),
    ('k', 2 ** 64, {}),
    (NotAnIgniteValue(), 1, {}),
    ('k', 1, {'value_hint': int}),
    (5, 1, {'key_hint': String}),
])
async def test_bad_put_raises_and_client_keeps_working(cache, key, value, kwargs):
    with pytest.raises(ParameterError):
        await cache.put(key, value, **kwargs)
    await cache.put('ok', 1)
    assert await cache.get('ok') == 1
    assert await cache.get('k') is None  # nothing half-written


async def test_out_of_range_int_with_hint_in_every_position(cache):
    with pytest.raises(ParameterError):
        await cache.get(1 << 40, key_hint=IntObject)
    with pytest.raises(ParameterError):
        await cache.replace_if_equals('k', 256, 1, sample_hint=ByteObject)
    with pytest.raises(ParameterError):
        await cache.put_all({'a': (1 << 15, ByteObject)})
    assert await cache.get_size() == 0


async def test_bad_items_in_batches(cache):
    with pytest.raises(ParameterError):
        await cache.put_all({'a': 1, 'b': NotAnIgniteValue()})
    with pytest.raises(ParameterError):
        await cache.put_all([('a', 1)])
    with pytest.raises(ParameterError):
        await cache.get_all(['a', NotAnIgniteValue()])
    assert await cache.get_all(['a', 'b']) == {}
    await cache.put_all({'a': 1})
    assert await cache.get_all(['a']) == {'a': 1}


async def test_bad_input_among_concurrent_requests(cache):
    """One bad request in a gather fails alone; the others complete."""
    results = await asyncio.gather(
        *[cache.put(i, i) for i in range(50)],
        cache.put('bad', NotAnIgniteValue()),
        *[cache.put(i, i) for i in range(50, 100)],
        return_exceptions=True)
    assert isinstance(results[50], ParameterError)
    assert [r for i, r in enumerate(results) if i != 50] == [None] * 100
    assert await cache.get_all(list(range(100))) == {i: i for i in range(100)}


async def test_server_refusal_raises_cache_error_and_client_keeps_working(cache):
    with pytest.raises(CacheError):
        await cache.put('k', None)  # Ignite stores no null values
    await cache.put('k', 'v')
    assert await cache.get('k') == 'v'


async def test_closed_client(ignite_node):
    client = AioClient()
    await client.connect(ignite_node.host, ignite_node.port)
    cache = await client.get_or_create_cache('aio-closed')
    await client.close()
    with pytest.raises(ReconnectError):
        await cache.get(1)
    await client.connect(ignite_node.host, ignite_node.port)
    await cache.put(1, 1)
    assert await cache.get(1) == 1
    await cache.destroy()
    await client.close()


async def test_unreachable_node():
    with pytest.raises(ReconnectError) as raised:
        await AioClient(handshake_timeout=2).connect('127.0.0.1', 1)
    assert isinstance(raised.value.__cause__, OSError)


@pytest.fixture
def silent_listener():
    """A port that accepts connections (the kernel does) but never answers."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(8)
    yield sock.getsockname()
    sock.close()


async def test_handshake_timeout(silent_listener):
    host, port = silent_listener
    client = AioClient(handshake_timeout=0.2)
    # the outer limit only guards the test against hanging: it must not be what fires
    with pytest.raises(ReconnectError) as raised:
        await asyncio.wait_for(client.connect(host, port), 30)
    assert isinstance(raised.value.__cause__, TimeoutError)

    conn = AioConnection(client._session, host, port, handshake_timeout=0.2)
    with pytest.raises(TimeoutError) as raised:
        await asyncio.wait_for(conn.connect(), 30)
    assert 'timed out' in str(raised.value)
    assert isinstance(raised.value, OSError) and isinstance(raised.value, asyncio.TimeoutError)
    assert not conn.alive and conn.closed


@pytest.mark.parametrize('kwargs', [
    {'handshake_timeout': 0}, {'handshake_timeout': -1}, {'timeout': -1},
    {'partition_awareness': True},
])
def test_bad_client_options(kwargs):
    with pytest.raises(ParameterError):
        AioClient(**kwargs)
