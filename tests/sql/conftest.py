"""Fixtures of the SQL, scan and cache configuration tests: clients of the single node."""
import uuid

import pytest

from pyignite import Client
from pyignite._ops import query
from pyignite.exceptions import CacheError


@pytest.fixture(scope='module')
def client(ignite_node):
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        yield client


@pytest.fixture
def fresh_client(ignite_node):
    """A client of its own, for tests that count or leak server-side cursors (the server's
    cursor limit is per connection)."""
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        yield client


@pytest.fixture
def cache_names(client):
    """Make fresh cache names; the caches made under them are destroyed after the test."""
    names = []

    def make(prefix='cfg'):
        name = '{}-{}'.format(prefix, uuid.uuid4().hex[:12])
        names.append(name)
        return name

    yield make
    existing = set(client.get_cache_names())
    for name in names:
        if name in existing:
            client.get_cache(name).destroy()


@pytest.fixture
def kv_cache(client):
    cache = client.create_cache('scan-' + uuid.uuid4().hex[:12])
    yield cache
    cache.destroy()


@pytest.fixture
def table(client):
    """A fresh SQL table name in PUBLIC, dropped after the test."""
    name = 'T_' + uuid.uuid4().hex[:12].upper()
    yield name
    client.sql('DROP TABLE IF EXISTS {}'.format(name))


@pytest.fixture
def server_holds_cursor(client):
    """``server_holds_cursor(conn, cursor_id)`` asks the server whether it still holds a
    cursor, by closing it: OP_RESOURCE_CLOSE answers RESOURCE_DOES_NOT_EXIST (1011) for an
    id it does not hold."""
    def holds(conn, cursor_id: int) -> bool:
        def close():
            yield query._close_request(conn, cursor_id)

        try:
            client._run(close())
        except CacheError as e:
            if e.status == 1011:
                return False
            raise
        return True

    return holds
