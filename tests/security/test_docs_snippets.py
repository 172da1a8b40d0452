"""The SSL/TLS and authentication snippets of the API docs (chapters 3.6 and 3.7), run as
written with only the host, port and file paths replaced by the test nodes' own.

One difference from the prose: the docs say credentials turn TLS on by themselves. They do
not (nor in the reference client since 0.6.0), so the ``Client(username=..., password=...)``
snippet is pointed at the authentication node without TLS.
"""
import pytest

from pyignite.exceptions import HandshakeError

from .conftest import tls_files

SSL_ONLY = '''
from pyignite import Client

client = Client(use_ssl=True)
client.connect('127.0.0.1', 10800)
'''

SSL_CLIENT_CERT = '''
from pyignite import Client

client = Client(
    use_ssl=True,
    ssl_keyfile='etc/.ssl/keyfile.key',
    ssl_certfile='etc/.ssl/certfile.crt',
)
client.connect('ignite-example.com', 10800)
'''

SSL_VERIFY_SERVER = '''
import ssl

from pyignite import Client

client = Client(
    use_ssl=True,
    ssl_ca_certfile='etc/.ssl/ca_certs',
    ssl_cert_reqs=ssl.CERT_REQUIRED,
)
client.connect('ignite-example.com', 10800)
'''

AUTH = '''
from pyignite import Client

client = Client(username='ignite', password='ignite')
client.connect('ignite-example.com', 10800)
'''

AUTH_NO_SSL = '''
from pyignite import Client
client = Client(username='ignite', password='ignite', use_ssl=False)
client.connect('ignite-example.com', 10800)
'''

NO_CREDENTIALS = '''
from pyignite import Client
client = Client()
client.connect('ignite-example.com', 10800)
'''


def _run(snippet: str, node, paths=None) -> dict:
    """Run a snippet pointed at ``node``; check the client it made works; return its
    namespace."""
    code = snippet.replace("'127.0.0.1', 10800", repr(node.host) + ', ' + str(node.port))
    code = code.replace("'ignite-example.com', 10800", repr(node.host) + ', ' + str(node.port))
    for old, new in (paths or {}).items():
        code = code.replace(repr(old), repr(new))
    namespace: dict = {}
    exec(compile(code, '<docs snippet>', 'exec'), namespace)
    client = namespace['client']
    try:
        assert isinstance(client.get_cache_names(), list)
    finally:
        client.close()
    return namespace


def test_ssl_snippet(ssl_node):
    _run(SSL_ONLY, ssl_node)


def test_ssl_client_certificate_snippet(ssl_auth_node):
    files = tls_files(ssl_auth_node)
    paths = {'etc/.ssl/keyfile.key': files['client_key'],
             'etc/.ssl/certfile.crt': files['client_cert']}
    _run(SSL_CLIENT_CERT, ssl_auth_node, paths)


def test_ssl_verify_server_snippet(ssl_node):
    _run(SSL_VERIFY_SERVER, ssl_node, {'etc/.ssl/ca_certs': tls_files(ssl_node)['ca']})


def test_auth_snippets(auth_node):
    _run(AUTH, auth_node)
    _run(AUTH_NO_SSL, auth_node)


def test_unauthenticated_snippet_raises_handshake_error(auth_node):
    with pytest.raises(HandshakeError) as info:
        _run(NO_CREDENTIALS, auth_node)
    # the docs show "Handshake error: Unauthenticated sessions are prohibited."; Ignite 2.17
    # words it differently, and the client passes on what the server says
    assert str(info.value).startswith('Handshake error: ')
    assert info.value.message
