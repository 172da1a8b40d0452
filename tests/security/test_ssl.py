"""TLS with both clients (``[sync]`` and ``[async]``, see conftest.py) against real nodes
(the launcher's ``ssl_node``: TLS, no client certificate needed; ``ssl_auth_node``: a
client certificate signed by the test CA is required).

Failures are documented as: :class:`ReconnectError` from ``connect()`` to a single node,
whose ``__cause__`` is the :class:`OSError` that ended the attempt (``ConnectionError``
when the node closes the connection, :class:`ssl.SSLError` when TLS fails on our side);
they come at once, not at the handshake timeout. Bad ``ssl_*`` parameters raise
:class:`ParameterError` before any network traffic.
"""
import ssl
import time

import pytest

from _aio_adapter import unwrap
from pyignite import AioClient
from pyignite.exceptions import ParameterError, ReconnectError

from .conftest import CLOSED_PORT, tls_files, tls_key_password


def _tls(client) -> ssl.SSLObject:
    """The TLS session of the client's current connection."""
    conn = unwrap(client)._session.current
    if isinstance(unwrap(client), AioClient):
        return conn._proto.transport.get_extra_info('ssl_object')
    return conn._stream.tls


def _roundtrip(client, name: str) -> None:
    cache = client.get_or_create_cache(name)
    try:
        big = bytes(range(256)) * 12000  # 3 MB: a reply of many TLS records
        cache.put('big', big)
        cache.put('text', 'привет, TLS')
        assert cache.get('text') == 'привет, TLS'
        assert cache.get('big') == big
        assert cache.get_all(['text', 'nothing']) == {'text': 'привет, TLS'}
    finally:
        cache.destroy()


def test_use_ssl_alone(connect, ssl_node, cache_name):
    client = connect.new(use_ssl=True)
    with client.connect(ssl_node.host, ssl_node.port):
        _roundtrip(client, cache_name)
        assert _tls(client).version() in ('TLSv1.2', 'TLSv1.3')


def test_use_ssl_with_a_request_timeout(connect, ssl_node, cache_name):
    # with a timeout, TLS records go out through the sends bounded by it (the 3 MB value
    # fills the socket's send buffer more than once)
    client = connect.new(use_ssl=True, timeout=60)
    with client.connect(ssl_node.host, ssl_node.port):
        _roundtrip(client, cache_name)


def test_server_verified_against_the_ca(connect, ssl_node, cache_name):
    files = tls_files(ssl_node)
    client = connect.new(use_ssl=True, ssl_ca_certfile=files['ca'],
                         ssl_cert_reqs=ssl.CERT_REQUIRED)
    with client.connect(ssl_node.host, ssl_node.port):
        _roundtrip(client, cache_name)
        assert _tls(client).getpeercert()['subject'] == ((('commonName',
                                                           'pyignite-test-server'),),)


@pytest.mark.parametrize('files', ['one pem', 'key and cert', 'encrypted key'])
def test_client_certificate(connect, ssl_auth_node, cache_name, files):
    paths = tls_files(ssl_auth_node)
    kwargs = {
        'one pem': dict(ssl_keyfile=paths['client_full'], ssl_certfile=paths['client_full']),
        'key and cert': dict(ssl_keyfile=paths['client_key'], ssl_certfile=paths['client_cert']),
        'encrypted key': dict(ssl_keyfile=paths['client_with_pass_full'],
                              ssl_certfile=paths['client_with_pass_full'],
                              ssl_keyfile_password=tls_key_password()),
    }[files]
    client = connect.new(use_ssl=True, **kwargs)
    with client.connect(ssl_auth_node.host, ssl_auth_node.port):
        _roundtrip(client, cache_name)


def test_client_certificate_and_server_verification(connect, ssl_auth_node, cache_name):
    paths = tls_files(ssl_auth_node)
    client = connect.new(use_ssl=True, ssl_keyfile=paths['client_with_pass_full'],
                         ssl_certfile=paths['client_with_pass_full'],
                         ssl_keyfile_password=tls_key_password(),
                         ssl_ca_certfile=paths['ca'], ssl_cert_reqs=ssl.CERT_REQUIRED)
    with client.connect(ssl_auth_node.host, ssl_auth_node.port):
        _roundtrip(client, cache_name)


@pytest.mark.parametrize('version, expected', [
    (ssl.PROTOCOL_TLSv1_2, 'TLSv1.2'),
    (ssl.TLSVersion.TLSv1_2, 'TLSv1.2'),
    (ssl.TLSVersion.TLSv1_3, 'TLSv1.3'),
    (ssl.PROTOCOL_TLS_CLIENT, 'TLSv1.3'),
])
def test_ssl_version(connect, ssl_node, version, expected):
    client = connect.new(use_ssl=True, ssl_version=version)
    with client.connect(ssl_node.host, ssl_node.port):
        assert _tls(client).version() == expected
        assert isinstance(client.get_cache_names(), list)


def test_ssl_ciphers(connect, ssl_node):
    cipher = 'ECDHE-RSA-AES128-GCM-SHA256'
    client = connect.new(use_ssl=True, ssl_version=ssl.TLSVersion.TLSv1_2,
                         ssl_ciphers=cipher)
    with client.connect(ssl_node.host, ssl_node.port):
        assert _tls(client).cipher()[0] == cipher
        assert isinstance(client.get_cache_names(), list)


# --- failures -----------------------------------------------------------------------------

def _connect_fails(connect, node, **kwargs) -> BaseException:
    """Connect with a long handshake timeout; return the ``__cause__`` of the
    ReconnectError, checking it came long before that timeout."""
    client = connect.new(handshake_timeout=30, **kwargs)
    start = time.monotonic()
    with pytest.raises(ReconnectError) as info:
        client.connect(node.host, node.port)
    assert time.monotonic() - start < 10, 'a fast failure, not a timeout'
    assert not client._session.nodes
    return info.value.__cause__


def test_plain_client_against_tls_port(connect, ssl_node):
    cause = _connect_fails(connect, ssl_node)
    assert isinstance(cause, ConnectionError)
    assert 'use_ssl' in str(cause)


def test_tls_client_against_plain_port(connect, ignite_node):
    cause = _connect_fails(connect, ignite_node, use_ssl=True)
    assert isinstance(cause, OSError)


def test_tls_client_without_certificate_against_client_auth_node(connect, ssl_auth_node):
    cause = _connect_fails(connect, ssl_auth_node, use_ssl=True)
    assert isinstance(cause, OSError)
    assert 'ssl_certfile' in str(cause) or isinstance(cause, ssl.SSLError)


def test_untrusted_client_certificate(connect, ssl_auth_node):
    paths = tls_files(ssl_auth_node)
    cause = _connect_fails(connect, ssl_auth_node, use_ssl=True,
                           ssl_keyfile=paths['untrusted_full'],
                           ssl_certfile=paths['untrusted_full'])
    assert isinstance(cause, OSError)


def test_wrong_ca_with_verification(connect, ssl_node):
    paths = tls_files(ssl_node)
    cause = _connect_fails(connect, ssl_node, use_ssl=True,
                           ssl_ca_certfile=paths['untrusted_full'],
                           ssl_cert_reqs=ssl.CERT_REQUIRED)
    assert isinstance(cause, ssl.SSLCertVerificationError)


def test_wrong_ca_is_ignored_without_verification(connect, ssl_node):
    paths = tls_files(ssl_node)
    client = connect.new(use_ssl=True, ssl_ca_certfile=paths['untrusted_full'])
    with client.connect(ssl_node.host, ssl_node.port):
        assert isinstance(client.get_cache_names(), list)


def test_failed_tls_node_is_skipped_for_the_next(connect, ssl_node, ignite_node):
    """A node list mixing a TLS port and a plain one: a plain client lands on the plain."""
    client = connect.new(partition_aware=False)
    with client.connect([(ssl_node.host, ssl_node.port), (ignite_node.host, ignite_node.port)]):
        assert client._session.current.port == ignite_node.port
        assert isinstance(client.get_cache_names(), list)


@pytest.mark.parametrize('case', ['wrong key password', 'empty key password',
                                  'no key password', 'missing CA file',
                                  'missing cert file', 'cipher list', 'cert reqs',
                                  'ssl version'])
def test_bad_ssl_parameters_fail_before_connecting(connect, ssl_auth_node, case):
    paths = tls_files(ssl_auth_node)
    encrypted = dict(ssl_keyfile=paths['client_with_pass_full'],
                     ssl_certfile=paths['client_with_pass_full'])
    kwargs = {
        'wrong key password': dict(encrypted, ssl_keyfile_password='wrong'),
        'empty key password': dict(encrypted, ssl_keyfile_password=''),
        'no key password': encrypted,
        'missing CA file': dict(ssl_ca_certfile=paths['ca'] + '.missing',
                                ssl_cert_reqs=ssl.CERT_REQUIRED),
        'missing cert file': dict(ssl_certfile=paths['client_full'] + '.missing'),
        'cipher list': dict(ssl_ciphers='NO-SUCH-CIPHER'),
        'cert reqs': dict(ssl_cert_reqs='required'),
        'ssl version': dict(ssl_version=ssl.PROTOCOL_TLS_SERVER),
    }[case]
    client = connect.new(use_ssl=True, **kwargs)
    with pytest.raises(ParameterError):
        client.connect(ssl_auth_node.host, CLOSED_PORT)  # no connection is attempted
