"""Password authentication with both clients (``[sync]`` and ``[async]``, see conftest.py),
with and without TLS (``auth_node``, ``auth_ssl_node``: user ignite/ignite, persistent and
active).

Documented errors: rejected credentials raise :class:`AuthenticationError` (not an
OSError: retrying another node will not help); connecting without credentials to a node
that requires them raises :class:`HandshakeError` carrying the server's message. Both come
from ``connect()`` to a single node, at once.
"""
import time
import uuid
from contextlib import contextmanager

import pytest

from pyignite.exceptions import AuthenticationError, AuthenticationRequiredError, HandshakeError
from pyignite.monitoring import ConnectionEventListener

MODES = ['plain', 'tls']


def _node(request, mode):
    return request.getfixturevalue('auth_node' if mode == 'plain' else 'auth_ssl_node')


def _client(connect, mode, **kwargs):
    return connect.new(use_ssl=(mode == 'tls'), handshake_timeout=30, **kwargs)


def _sql(client, query: str) -> list:
    with client.sql(query) as cursor:
        return list(cursor)


@pytest.mark.parametrize('mode', MODES)
def test_right_credentials(connect, request, mode):
    node = _node(request, mode)
    client = _client(connect, mode, username=node.username, password=node.password)
    with client.connect(node.host, node.port):
        cache = client.get_or_create_cache('auth-' + uuid.uuid4().hex[:8])
        cache.put(1, 'secret')
        assert cache.get(1) == 'secret'
        cache.destroy()


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('username, password', [('ignite', 'wrong'), ('nobody', 'ignite')])
def test_wrong_credentials(connect, request, mode, username, password):
    node = _node(request, mode)
    client = _client(connect, mode, username=username, password=password)
    start = time.monotonic()
    with pytest.raises(AuthenticationError) as info:
        client.connect(node.host, node.port)
    assert time.monotonic() - start < 10
    assert not isinstance(info.value, OSError)
    assert username in info.value.message  # the server's text names the user
    assert not client._session.nodes


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('kwargs', [{}, {'username': 'ignite'}, {'password': 'ignite'}],
                         ids=['none', 'no password', 'no username'])
def test_no_credentials(connect, request, mode, kwargs, caplog):
    node = _node(request, mode)
    events = _AuthEvents()
    client = _client(connect, mode, event_listeners=[events], **kwargs)
    with pytest.raises(HandshakeError) as info:
        client.connect(node.host, node.port)
    error = info.value
    # what the docs promise (HandshakeError) and what pyignite 0.6.1 raises, logs and
    # reports (AuthenticationError), at once
    assert isinstance(error, AuthenticationError)
    assert isinstance(error, AuthenticationRequiredError)
    assert [e.port for e in events.failed] == [node.port]
    assert any(r.levelname == 'ERROR' and r.getMessage().startswith('Authentication failed')
               for r in caplog.records)
    # the server's own text (Ignite 2.17 says the user name or password is incorrect
    # for userName=null; older servers said "Unauthenticated sessions are prohibited")
    assert 'user name or password' in error.message or 'Unauthenticated' in error.message
    assert str(error) == 'Handshake error: ' + error.message
    assert isinstance(error, OSError)


def test_credentials_are_ignored_by_a_node_without_authentication(connect, ignite_node):
    client = connect.new(username='ignite', password='whatever')
    with client.connect(ignite_node.host, ignite_node.port):
        assert isinstance(client.get_cache_names(), list)


class _AuthEvents(ConnectionEventListener):
    def __init__(self):
        self.failed = []

    def on_authentication_fail(self, event):
        self.failed.append(event)


@contextmanager
def _unicode_user(connect, node, mode):
    """A user whose name and password are not ASCII, made with SQL by the admin user."""
    name = 'Üser_ß_{}'.format(uuid.uuid4().hex[:6])
    password = 'пароль-密码-{}'.format(uuid.uuid4().hex[:4])
    admin = _client(connect, mode, username=node.username, password=node.password)
    with admin.connect(node.host, node.port):
        _sql(admin, 'CREATE USER "{}" WITH PASSWORD \'{}\''.format(name, password))
        try:
            yield name, password
        finally:
            _sql(admin, 'DROP USER "{}"'.format(name))


@pytest.mark.parametrize('mode', MODES)
def test_non_ascii_user(connect, request, mode):
    node = _node(request, mode)
    with _unicode_user(connect, node, mode) as (name, password):
        client = _client(connect, mode, username=name, password=password)
        with client.connect(node.host, node.port):
            cache = client.get_or_create_cache('ü-' + uuid.uuid4().hex[:8])
            cache.put('ключ', 'значение')
            assert cache.get('ключ') == 'значение'
            cache.destroy()
        with pytest.raises(AuthenticationError):
            _client(connect, mode, username=name,
                    password=password[:-1]).connect(node.host, node.port)
