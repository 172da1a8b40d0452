"""Concurrent requests of the async client over TLS, with and without authentication.

Every TLS and authentication scenario runs with both clients in test_ssl.py and
test_auth.py; here requests share one TLS connection at the same time (asyncio.gather), so
records of a large reply and a small one interleave on it.
"""
import asyncio
import uuid

import pytest

from pyignite import AioClient


@pytest.mark.parametrize('layout', ['tls', 'tls and auth'])
async def test_concurrent_requests_over_tls(request, layout):
    node = request.getfixturevalue('ssl_node' if layout == 'tls' else 'auth_ssl_node')
    credentials = {} if layout == 'tls' else dict(username=node.username,
                                                  password=node.password)
    client = AioClient(use_ssl=True, **credentials)
    async with client.connect(node.host, node.port):
        cache = await client.get_or_create_cache('aio-sec-' + uuid.uuid4().hex[:8])
        try:
            big = bytes(range(256)) * 12000
            await asyncio.gather(cache.put('big', big), cache.put('text', 'привет, TLS'))
            got = await asyncio.gather(cache.get('text'), cache.get('big'),
                                       cache.get('text'))
            assert got == ['привет, TLS', big, 'привет, TLS']
        finally:
            await cache.destroy()
