"""User attributes reach the server; the WAL of a persistent cache is switched off and on.

User attributes are read back from the server's own view of its client connections
(``SYS.CLIENT_CONNECTION_ATTRIBUTES``, a system view of Ignite 2.16 and later).
"""
import pytest

from _aio_adapter import Synced
from pyignite.exceptions import ClusterError, ParameterError

from .helpers import unique


def _attributes(client):
    with client.sql('SELECT CONNECTION_ID, NAME, VALUE FROM SYS.CLIENT_CONNECTION_ATTRIBUTES') \
            as cursor:
        return list(cursor)


def test_user_attributes_reach_the_server(connect, ignite_node):
    marker = unique('app')
    client = connect.new(user_attributes={'app': marker, 'tenant': 'ßüñ ✓'})
    client.connect(ignite_node.host, ignite_node.port)
    try:
        rows = [row for row in _attributes(client)
                if row[0] in {r[0] for r in _attributes(client) if r[2] == marker}]
        assert sorted(row[1:] for row in rows) == [['app', marker], ['tenant', 'ßüñ ✓']]
    finally:
        client.close()
    # a client without attributes sends none
    other = connect.new()
    other.connect(ignite_node.host, ignite_node.port)
    try:
        assert not [row for row in _attributes(other) if row[2] == marker]
    finally:
        other.close()


def test_wal_disable_and_enable(connect, persistent_node):
    client = connect(persistent_node)
    cluster = client.get_cluster()
    if isinstance(client, Synced):  # the adapter wraps clients, caches and cursors only
        cluster = Synced(cluster, client._loop)
    cache = client.create_cache(unique('wal'))
    try:
        assert cluster.is_wal_enabled(cache) is True
        assert cluster.disable_wal(cache) is True
        assert cluster.is_wal_enabled(cache.name) is False
        assert cluster.disable_wal(cache.name) is False  # was so already
        cache.put(1, 'loaded without a WAL')
        assert cluster.enable_wal(cache) is True
        assert cluster.is_wal_enabled(cache) is True
        assert cluster.enable_wal(cache) is False
        assert cache.get(1) == 'loaded without a WAL'
    finally:
        cache.destroy()
    with pytest.raises(ClusterError):
        cluster.is_wal_enabled(unique('no-such-cache'))
    with pytest.raises(ParameterError):
        cluster.disable_wal(42)
