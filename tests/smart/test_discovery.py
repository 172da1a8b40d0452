"""Endpoint discovery on the shared three-node cluster (its free fourth slot takes a node
that joins and leaves; the test restores the three-node shape).

What a user relies on: connected to one node, the client finds the others and sends each
key operation to the key's primary node; a node that joins is used; a node that leaves is
dropped, and no error reaches the caller.
"""
import pytest

from pyignite.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.retry import RetryReadPolicy

from .helpers import connection_to, peek, unique, wait_until

pytestmark = pytest.mark.slow

JOINER = 3


def _ports(client):
    return sorted(c.port for c in client._session.nodes if c.alive)


def _put_routing(client, cache, events, keys):
    """Put ``keys``; return whether each put went to a node that holds the key itself (no
    backups: only the primary does), and the node ids the puts went to."""
    events.clear()
    for key in keys:
        cache.put(key, key * 10)
    starts = [e for e in events.of('query_start') if e.op_name == 'OP_CACHE_PUT']
    assert len(starts) == len(keys)
    primary = all(peek(client, cache, connection_to(client, start.node_uuid), key) == key * 10
                  for key, start in zip(keys, starts))
    return primary, {start.node_uuid for start in starts}


def _routed_to_primaries(client, cache, events, nodes):
    """Wait until a round of puts goes to the primaries, spread over ``nodes`` (while the
    topology settles the client may route by default: the server forwards then)."""
    def done():
        primary, used = _put_routing(client, cache, events, range(60))
        return primary and used == nodes
    wait_until(client, done, what='puts routed to the primaries on {}'.format(nodes))


def test_discovery_finds_every_node_and_follows_joins_and_leaves(connect, ignite_cluster,
                                                                 events):
    first = ignite_cluster.client_ports[0]
    client = connect.new(event_listeners=[events], retry_policy=RetryReadPolicy())
    client.connect(ignite_cluster.host, first)  # one node given
    try:
        assert _ports(client) == ignite_cluster.client_ports[:3]
        assert sorted(e.port for e in events.of('node_joined')) == \
            ignite_cluster.client_ports[1:3]
        cache = client.create_cache({PROP_NAME: unique('discovery'), PROP_BACKUPS_NUMBER: 0,
                                     PROP_CACHE_MODE: CacheMode.PARTITIONED})
        # the leaving node's copies must live on: every node holds every key of this one
        safe = client.create_cache({
            PROP_NAME: unique('discovery-safe'), PROP_BACKUPS_NUMBER: 3,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC})
        three = {str(c.uuid) for c in client._session.nodes}
        _routed_to_primaries(client, cache, events, three)

        # a fourth node joins: the client connects to it and routes its keys there
        ignite_cluster.start_node(JOINER)
        joiner_port = ignite_cluster.slot_ports[JOINER]
        try:
            wait_until(client, lambda: cache.get(0) == 0 and joiner_port in _ports(client),
                       what='a connection to the node that joined')
            joiner = str(next(c.uuid for c in client._session.nodes if c.port == joiner_port))
            _routed_to_primaries(client, cache, events, three | {joiner})
            safe.put_all({k: -k for k in range(60)})
        finally:
            ignite_cluster.stop_node(JOINER)
        # the node left: it is dropped, and the calls meanwhile all succeed
        events.clear()

        def dropped():
            assert [safe.get(k) for k in range(60)] == [-k for k in range(60)]
            return joiner_port not in [c.port for c in client._session.nodes]
        wait_until(client, dropped, what='the connection to the node that left dropped')
        assert [e.port for e in events.of('node_left')] == [joiner_port]
        assert not events.of('query_fail') or all(
            e.op_name == 'OP_CACHE_GET' for e in events.of('query_fail'))
        _routed_to_primaries(client, cache, events, three)
        cache.destroy()
        safe.destroy()
    finally:
        client.close()


@pytest.mark.parametrize('kwargs', [
    {'cluster_discovery': False},
    {'address_filter': lambda host, port: False},
    {'partition_aware': False},
], ids=['discovery off', 'filter refuses all', 'not partition aware'])
def test_the_client_keeps_to_the_given_node(connect, ignite_cluster, kwargs):
    client = connect.new(**kwargs)
    client.connect(ignite_cluster.host, ignite_cluster.client_ports[0])
    try:
        assert [c.port for c in client._session.nodes] == ignite_cluster.client_ports[:1]
        assert client.get_cache_names() is not None
    finally:
        client.close()


def test_address_filter_sees_the_reported_addresses(connect, ignite_cluster):
    asked = []

    def only_second(host, port):
        asked.append((host, port))
        return port == ignite_cluster.client_ports[1]
    client = connect.new(address_filter=only_second)
    client.connect(ignite_cluster.host, ignite_cluster.client_ports[0])
    try:
        assert _ports(client) == ignite_cluster.client_ports[:2]
        assert {port for _, port in asked} == set(ignite_cluster.client_ports[1:3])
        assert (ignite_cluster.host, ignite_cluster.client_ports[2]) in asked
    finally:
        client.close()
