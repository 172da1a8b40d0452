"""Cluster groups and node descriptions on the shared three-node cluster, with both
client APIs.

What the server says is checked against what the client knows independently: the node
id each connection's handshake reported, the client port it connected to, and the
launcher's names (each node's consistent id is ``<cluster name>-<slot>``; the fixture
starts slots 0, 1, 2 in that order, so slot 0 is the oldest node).
"""
import uuid

import pytest
from _aio_adapter import unwrap

from pyignite._protocol.wire import ProtocolContext
from pyignite.cluster_group import AioClusterGroup, ClusterGroup, ClusterNode, NodeVersion
from pyignite.datatypes import IntObject
from pyignite.exceptions import NotSupportedByClusterError, ParameterError

pytestmark = pytest.mark.both_apis

PORT_ATTRIBUTE = 'clientListenerPort'  # the thin-client port, a node attribute (an int)


@pytest.fixture(scope='module')
def slots(client, ignite_cluster):
    """slot -> node id (from the handshake on that slot's port), for the running slots."""
    by_port = {conn.port: conn.uuid for conn in client._session.nodes if conn.alive}
    return {ignite_cluster.slot_ports.index(port): node_id for port, node_id in by_port.items()}


def ids(nodes):
    return sorted(str(node.id) for node in nodes)


def test_nodes_describe_the_cluster(client, ignite_cluster, slots):
    nodes = client.get_cluster().nodes()
    assert len(nodes) == 3
    assert ids(nodes) == sorted(str(u) for u in slots.values())
    for node in nodes:
        assert isinstance(node, ClusterNode)
        slot = next(s for s, node_id in slots.items() if node_id == node.id)
        assert node.consistent_id == '{}-{}'.format(ignite_cluster.name, slot)
        assert node.attributes[PORT_ATTRIBUTE] == ignite_cluster.slot_ports[slot]
        assert ignite_cluster.host in node.addresses
        assert node.is_client is False
        assert isinstance(node.version, NodeVersion)
        assert node.attributes['org.apache.ignite.build.ver'].startswith(str(node.version))
        assert isinstance(node.order, int) and node.order > 0
    # the oldest node has the smallest join order
    assert [slot for slot, _ in sorted(slots.items(), key=lambda s: next(
        n.order for n in nodes if n.id == s[1]))] == [0, 1, 2]
    assert client.get_cluster().node_ids() == [node.id for node in nodes]


def test_projections_are_groups_of_the_client_kind(client, api):
    group = client.get_cluster().for_servers()
    assert isinstance(unwrap(group), {'sync': ClusterGroup, 'async': AioClusterGroup}[api])


def test_servers_and_clients(client, slots):
    cluster = client.get_cluster()
    assert ids(cluster.for_servers().nodes()) == sorted(str(u) for u in slots.values())
    assert cluster.for_clients().nodes() == []
    assert cluster.for_clients().node_ids() == []
    assert cluster.for_clients().node() is None


def test_oldest_and_youngest(client, slots):
    cluster = client.get_cluster()
    assert cluster.for_oldest().node_ids() == [slots[0]]
    assert [n.id for n in cluster.for_youngest().nodes()] == [slots[2]]
    assert cluster.for_servers().for_oldest().node().id == slots[0]
    # steps apply in order: the youngest of the nodes other than slot 2's is slot 1's
    others = cluster.for_node_ids([slots[0], slots[1]])
    assert others.for_youngest().node_ids() == [slots[1]]
    assert others.for_oldest().for_node_ids([slots[1]]).node_ids() == []


def test_for_node_ids(client, slots):
    cluster = client.get_cluster()
    one = cluster.for_node_ids([slots[1]])
    assert one.node_ids() == [slots[1]]
    [node] = one.nodes()
    assert node.id == slots[1]
    # str ids and node descriptions do as well
    assert cluster.for_node_ids([str(slots[2])]).node_ids() == [slots[2]]
    assert cluster.for_nodes([node]).node_ids() == [slots[1]]
    assert sorted(map(str, cluster.for_node_ids(slots.values()).node_ids())) == sorted(
        str(u) for u in slots.values())
    assert cluster.for_node_ids([uuid.uuid4()]).node_ids() == []
    assert cluster.for_node_ids([]).nodes() == []
    assert cluster.node(slots[2]).id == slots[2]
    assert cluster.node(str(slots[2])).id == slots[2]
    assert cluster.node(uuid.uuid4()) is None
    assert one.node(slots[2]) is None


def test_for_attribute(client, ignite_cluster, slots):
    cluster = client.get_cluster()
    port1 = ignite_cluster.slot_ports[1]
    # the server compares Java objects: the attribute is an Integer, a Python int a Long
    assert cluster.for_attribute(PORT_ATTRIBUTE, (port1, IntObject)).node_ids() == [slots[1]]
    assert cluster.for_attribute(PORT_ATTRIBUTE, port1).node_ids() == []
    assert len(cluster.for_attribute(PORT_ATTRIBUTE).node_ids()) == 3  # has it at all
    assert cluster.for_attribute('no.such.attribute').node_ids() == []
    version = cluster.node().attributes['org.apache.ignite.build.ver']
    assert len(cluster.for_attribute('org.apache.ignite.build.ver', version).nodes()) == 3
    # after a step the server can't take, the attribute is compared here
    assert cluster.for_oldest().for_attribute(
        PORT_ATTRIBUTE, (port1, IntObject)).node_ids() == []
    assert cluster.for_youngest().for_attribute(PORT_ATTRIBUTE).node_ids() == [slots[2]]
    assert cluster.for_node_ids([slots[1], slots[2]]).for_attribute(
        PORT_ATTRIBUTE, ignite_cluster.slot_ports[2]).node_ids() == [slots[2]]


def test_for_host_predicate_and_random(client, ignite_cluster, slots):
    cluster = client.get_cluster()
    assert len(cluster.for_host(ignite_cluster.host).nodes()) == 3
    assert cluster.for_host('192.0.2.1', 'no-such-host.invalid').nodes() == []
    node = cluster.node(slots[0])
    assert len(cluster.for_host(node).node_ids()) == 3  # one host for the three
    port0 = ignite_cluster.slot_ports[0]
    assert cluster.for_predicate(
        lambda n: n.attributes[PORT_ATTRIBUTE] != port0).for_oldest().node_ids() == [slots[1]]
    for _ in range(5):
        [picked] = cluster.for_random().node_ids()
        assert picked in slots.values()
    assert cluster.for_node_ids([slots[2]]).for_random().node_ids() == [slots[2]]


@pytest.mark.parametrize('make', [
    lambda c: c.for_node_ids('not a list'),
    lambda c: c.for_node_ids(['not-a-uuid']),
    lambda c: c.for_node_ids([5]),
    lambda c: c.for_attribute(''),
    lambda c: c.for_attribute(None),
    lambda c: c.for_host(5),
    lambda c: c.for_host(''),
    lambda c: c.for_predicate('yes'),
], ids=['ids-str', 'ids-bad-str', 'ids-int', 'attr-empty', 'attr-none', 'host-int',
        'host-empty', 'predicate'])
def test_bad_projections(client, make):
    with pytest.raises(ParameterError):
        make(client.get_cluster())
    assert len(client.get_cluster().node_ids()) == 3  # nothing was sent, nothing broke


def test_unwritable_attribute_value_is_refused_before_sending(client):
    group = client.get_cluster().for_attribute('a', object())
    with pytest.raises(ParameterError):
        group.nodes()
    assert len(client.get_cluster().node_ids()) == 3


def test_not_supported_without_the_feature(client):
    # a server that did not negotiate cluster groups (Ignite before 2.9)
    saved = [conn.protocol_context for conn in client._session.nodes]
    for conn in client._session.nodes:
        conn.protocol_context = ProtocolContext((1, 7, 0), frozenset({2}))
    try:
        with pytest.raises(NotSupportedByClusterError):
            client.get_cluster().nodes()
        with pytest.raises(NotSupportedByClusterError):
            client.get_cluster().for_servers().node_ids()
    finally:
        for conn, ctx in zip(client._session.nodes, saved):
            conn.protocol_context = ctx
