"""Fixtures of the SQL, scan and cache configuration tests: clients of the single node.

Every test that takes a client runs twice, ``[sync]`` with :class:`~pyignite.Client` and
``[async]`` with :class:`~pyignite.AioClient` through the adapter of tests/_aio_adapter.py;
``@pytest.mark.sync_only(reason)`` keeps a test (or one param of it) to the sync client.
"""
import uuid

import pytest

from _aio_adapter import unwrap
from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)
from pyignite._ops import resources
from pyignite.exceptions import CacheError


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
        conn = unwrap(conn)  # the request is pinned to the connection itself

        def close():
            yield resources.close_request(conn, cursor_id)

        try:
            client._run(close())
        except CacheError as e:
            if e.status == 1011:
                return False
            raise
        return True

    return holds
