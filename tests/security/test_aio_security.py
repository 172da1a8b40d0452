"""The asyncio twins of the TLS and authentication tests (same nodes, same contracts)."""
import asyncio
import ssl
import time
import uuid

import pytest

from pyignite import AioClient
from pyignite.exceptions import AuthenticationError, HandshakeError, ParameterError, ReconnectError

from .conftest import CLOSED_PORT, tls_files, tls_key_password


async def _roundtrip(client) -> None:
    cache = await client.get_or_create_cache('aio-sec-' + uuid.uuid4().hex[:8])
    try:
        big = bytes(range(256)) * 12000
        await asyncio.gather(cache.put('big', big), cache.put('text', 'привет, TLS'))
        assert await cache.get('text') == 'привет, TLS'
        assert await cache.get('big') == big
    finally:
        await cache.destroy()


async def _works(node, **kwargs) -> None:
    client = AioClient(**kwargs)
    async with client.connect(node.host, node.port):
        await _roundtrip(client)


async def test_use_ssl_alone(ssl_node):
    await _works(ssl_node, use_ssl=True)


async def test_server_verified_against_the_ca(ssl_node):
    files = tls_files(ssl_node)
    await _works(ssl_node, use_ssl=True, ssl_ca_certfile=files['ca'],
                 ssl_cert_reqs=ssl.CERT_REQUIRED)


@pytest.mark.parametrize('files', ['one pem', 'key and cert', 'encrypted key'])
async def test_client_certificate(ssl_auth_node, files):
    paths = tls_files(ssl_auth_node)
    kwargs = {
        'one pem': dict(ssl_keyfile=paths['client_full'], ssl_certfile=paths['client_full']),
        'key and cert': dict(ssl_keyfile=paths['client_key'], ssl_certfile=paths['client_cert']),
        'encrypted key': dict(ssl_keyfile=paths['client_with_pass_full'],
                              ssl_certfile=paths['client_with_pass_full'],
                              ssl_keyfile_password=tls_key_password()),
    }[files]
    await _works(ssl_auth_node, use_ssl=True, **kwargs)


@pytest.mark.parametrize('version', [ssl.PROTOCOL_TLSv1_2, ssl.TLSVersion.TLSv1_3])
async def test_ssl_version(ssl_node, version):
    await _works(ssl_node, use_ssl=True, ssl_version=version)


async def _connect_fails(node, **kwargs) -> BaseException:
    client = AioClient(handshake_timeout=30, **kwargs)
    start = time.monotonic()
    with pytest.raises(ReconnectError) as info:
        await client.connect(node.host, node.port)
    assert time.monotonic() - start < 10, 'a fast failure, not a timeout'
    return info.value.__cause__


async def test_plain_client_against_tls_port(ssl_node):
    cause = await _connect_fails(ssl_node)
    assert isinstance(cause, ConnectionError)
    assert 'use_ssl' in str(cause)  # the likely cause is named, as by the sync client


async def test_tls_client_against_plain_port(ignite_node):
    assert isinstance(await _connect_fails(ignite_node, use_ssl=True), OSError)


async def test_tls_client_without_certificate_against_client_auth_node(ssl_auth_node):
    assert isinstance(await _connect_fails(ssl_auth_node, use_ssl=True), OSError)


async def test_untrusted_client_certificate(ssl_auth_node):
    paths = tls_files(ssl_auth_node)
    assert isinstance(await _connect_fails(ssl_auth_node, use_ssl=True,
                                           ssl_keyfile=paths['untrusted_full'],
                                           ssl_certfile=paths['untrusted_full']), OSError)


async def test_wrong_ca_with_verification(ssl_node):
    paths = tls_files(ssl_node)
    cause = await _connect_fails(ssl_node, use_ssl=True,
                                 ssl_ca_certfile=paths['untrusted_full'],
                                 ssl_cert_reqs=ssl.CERT_REQUIRED)
    assert isinstance(cause, ssl.SSLCertVerificationError)


@pytest.mark.parametrize('kwargs', [
    {'ssl_keyfile_password': 'wrong'}, {}, {'ssl_ciphers': 'NO-SUCH-CIPHER'},
], ids=['wrong key password', 'no key password', 'cipher list'])
async def test_bad_ssl_parameters_fail_before_connecting(ssl_auth_node, kwargs):
    paths = tls_files(ssl_auth_node)
    client = AioClient(use_ssl=True, ssl_keyfile=paths['client_with_pass_full'],
                       ssl_certfile=paths['client_with_pass_full'], **kwargs)

    with pytest.raises(ParameterError):
        await client.connect(ssl_auth_node.host, CLOSED_PORT)


# --- authentication -----------------------------------------------------------------------

MODES = ['plain', 'tls']


def _node(request, mode):
    return request.getfixturevalue('auth_node' if mode == 'plain' else 'auth_ssl_node')


@pytest.mark.parametrize('mode', MODES)
async def test_right_credentials(request, mode):
    node = _node(request, mode)
    await _works(node, use_ssl=(mode == 'tls'), username=node.username, password=node.password)


@pytest.mark.parametrize('mode', MODES)
async def test_wrong_credentials(request, mode):
    node = _node(request, mode)

    client = AioClient(use_ssl=(mode == 'tls'), username='ignite', password='wrong')
    with pytest.raises(AuthenticationError) as info:
        await client.connect(node.host, node.port)
    assert 'ignite' in info.value.message


@pytest.mark.parametrize('mode', MODES)
async def test_no_credentials(request, mode):
    node = _node(request, mode)

    client = AioClient(use_ssl=(mode == 'tls'))
    with pytest.raises(HandshakeError) as info:
        await client.connect(node.host, node.port)
    assert str(info.value) == 'Handshake error: ' + info.value.message
    assert info.value.message


@pytest.mark.parametrize('mode', MODES)
async def test_non_ascii_user(request, mode):
    node = _node(request, mode)
    name = 'Üser_aio_{}'.format(uuid.uuid4().hex[:6])
    password = 'пароль-{}'.format(uuid.uuid4().hex[:4])
    tls = mode == 'tls'

    async def sql(client, query):
        async with client.sql(query) as cursor:
            return [row async for row in cursor]

    admin = AioClient(use_ssl=tls, username=node.username, password=node.password)
    async with admin.connect(node.host, node.port):
        await sql(admin, 'CREATE USER "{}" WITH PASSWORD \'{}\''.format(name, password))
        try:
            await _works(node, use_ssl=tls, username=name, password=password)
            with pytest.raises(AuthenticationError):
                await AioClient(use_ssl=tls, username=name,
                                password=password + 'x').connect(node.host, node.port)
        finally:
            await sql(admin, 'DROP USER "{}"'.format(name))
