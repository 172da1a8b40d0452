"""TLS and authentication with the async client, against real nodes set up for them."""
import ssl

import pytest

from pyignite import AioClient
from pyignite.exceptions import AuthenticationError, HandshakeError, ReconnectError


async def _round_trip(client: AioClient, node) -> None:
    async with client.connect(node.host, node.port):
        cache = await client.get_or_create_cache('aio-secure')
        await cache.put('k', 'v')
        assert await cache.get('k') == 'v'
        await cache.destroy()


async def test_tls(ssl_node):
    files = ssl_node.ssl_files
    await _round_trip(AioClient(use_ssl=True, ssl_cert_reqs=ssl.CERT_REQUIRED,
                                ssl_ca_certfile=str(files['ca'])), ssl_node)


async def test_tls_with_client_certificate(ssl_auth_node):
    files = ssl_auth_node.ssl_files
    await _round_trip(AioClient(use_ssl=True, ssl_cert_reqs=ssl.CERT_REQUIRED,
                                ssl_ca_certfile=str(files['ca']),
                                ssl_certfile=str(files['client_full'])), ssl_auth_node)


async def test_plain_client_to_tls_node_fails_cleanly(ssl_node):
    with pytest.raises(ReconnectError) as raised:
        await AioClient(handshake_timeout=5).connect(ssl_node.host, ssl_node.port)
    assert isinstance(raised.value.__cause__, OSError)


async def test_authentication(auth_node):
    await _round_trip(AioClient(username=auth_node.username, password=auth_node.password),
                      auth_node)


async def test_wrong_password(auth_node):
    with pytest.raises(AuthenticationError):
        await AioClient(username=auth_node.username, password='wrong').connect(
            auth_node.host, auth_node.port)


async def test_no_credentials(auth_node):
    with pytest.raises(HandshakeError):
        await AioClient().connect(auth_node.host, auth_node.port)


async def test_authentication_over_tls(auth_ssl_node):
    await _round_trip(AioClient(username=auth_ssl_node.username,
                                password=auth_ssl_node.password, use_ssl=True),
                      auth_ssl_node)
