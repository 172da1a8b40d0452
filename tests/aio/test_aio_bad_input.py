"""Bad input the async client alone can get: a bad request among concurrent ones, a node
that never answers the handshake of one AioConnection. The bad input both clients share is
tested, with both, in tests/kv/test_bad_input.py.
"""
import asyncio
import socket

import pytest

from pyignite import AioClient
from pyignite.connection.aio_connection import AioConnection
from pyignite.exceptions import ParameterError, ReconnectError


class NotAnIgniteValue:
    pass


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
