"""Cluster state (activation) on a cluster of this folder's own, with both client APIs:
deactivating an in-memory cluster drops its caches, so the shared fixtures are not used."""

import pytest
from _aio_adapter import unwrap
from cluster_util import restore, unique

from pyignite._protocol.wire import ProtocolContext
from pyignite.aio_cluster import AioCluster
from pyignite.cluster import Cluster
from pyignite.datatypes.cluster_state import ClusterState
from pyignite.exceptions import CacheError, NotSupportedByClusterError

pytestmark = pytest.mark.both_apis


@pytest.fixture
def client(own_cluster, connect):
    restore(own_cluster)
    client = connect.cluster(own_cluster)
    yield client
    # leave the cluster active whatever happened
    if client.get_cluster().get_state() != ClusterState.ACTIVE:
        client.get_cluster().set_state(ClusterState.ACTIVE)
    client.close()


def test_state_changes(client, api):
    cluster = client.get_cluster()
    assert isinstance(unwrap(cluster), {'sync': Cluster, 'async': AioCluster}[api])
    state = cluster.get_state()
    assert state is ClusterState.ACTIVE

    cache = client.create_cache(unique('state'))
    cache.put(1, 'one')

    cluster.set_state(ClusterState.ACTIVE_READ_ONLY)
    assert cluster.get_state() is ClusterState.ACTIVE_READ_ONLY
    assert cache.get(1) == 'one'
    with pytest.raises(CacheError):
        cache.put(2, 'two')

    cluster.set_state(ClusterState.INACTIVE)
    assert cluster.get_state() is ClusterState.INACTIVE
    with pytest.raises(CacheError):
        cache.get(1)

    cluster.set_state(ClusterState.ACTIVE)
    assert cluster.get_state() is ClusterState.ACTIVE
    # an in-memory cluster drops the data when deactivated (Ignite 2.17 keeps the cache)
    assert cache.get(1) is None and cache.get_size() == 0
    cache.put(3, 'three')
    assert cache.get(3) == 'three'


@pytest.mark.parametrize('bad', [5, -1, 'ACTIVE', None, True, 1.0])
def test_bad_state_is_refused_before_sending(client, bad):
    with pytest.raises(ValueError):
        client.get_cluster().set_state(bad)
    assert client.get_cluster().get_state() is ClusterState.ACTIVE


def test_plain_ints_are_states(client):
    client.get_cluster().set_state(1)
    assert client.get_cluster().get_state() == 1


def test_not_supported_without_the_feature(client):
    # a server that did not negotiate the cluster feature (e.g. protocol 1.6)
    saved = [conn.protocol_context for conn in client._session.nodes]
    for conn in client._session.nodes:
        conn.protocol_context = ProtocolContext((1, 6, 0), frozenset())
    try:
        with pytest.raises(NotSupportedByClusterError):
            client.get_cluster().get_state()
        with pytest.raises(NotSupportedByClusterError):
            client.get_cluster().set_state(ClusterState.ACTIVE)
    finally:
        for conn, ctx in zip(client._session.nodes, saved):
            conn.protocol_context = ctx
