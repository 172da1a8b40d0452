"""Fixtures of the cluster tests (partition awareness, failover, transactions, expiry,
cluster state, monitoring).

Most tests use the shared three-node ``ignite_cluster``. Tests that kill every node or
deactivate a cluster use ``own_cluster``: three more nodes on ports of their own, started
once per session, so the shared fixtures keep their caches.

Both client APIs: a test marked ``both_apis`` (or every test of a module with
``pytestmark = pytest.mark.both_apis``) runs twice, ``[sync]`` with
:class:`~pyignite.Client` and ``[async]`` with :class:`~pyignite.AioClient` through the
adapter of tests/_aio_adapter.py, in its ``client`` and ``connect`` fixtures;
``@pytest.mark.sync_only(reason)`` keeps one of them to the sync client. The other tests
get the sync client only (what they check is routing inside the session both clients
share, written once).
"""
import ignite_server  # tools/, put on sys.path by tests/conftest.py
import pytest
from _aio_adapter import MODES, Connector, deselect_sync_only, register_marker
from cluster_util import (
    OWN_CLIENT_PORT, OWN_COMMUNICATION_PORT, OWN_DISCOVERY_PORT, Recorder, unique,
)

from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME


def pytest_configure(config):
    register_marker(config)
    config.addinivalue_line(
        'markers', 'both_apis: run with the sync and the async client (tests/cluster)')


def pytest_generate_tests(metafunc):
    if 'api' in metafunc.fixturenames and metafunc.definition.get_closest_marker('both_apis'):
        metafunc.parametrize('api', MODES, indirect=True, scope='module')


def pytest_collection_modifyitems(config, items):
    deselect_sync_only(config, items)


@pytest.fixture(scope='module')
def api(request):
    """The client API under test: 'sync', or 'async' as well for ``both_apis`` tests."""
    return getattr(request, 'param', 'sync')


@pytest.fixture(scope='module')
def connect(api):
    """``connect(node, **client_kwargs)`` or ``connect.cluster(cluster, **client_kwargs)``:
    a connected client of the API under test."""
    connector = Connector(api)
    yield connector
    connector.close()


@pytest.fixture(scope='module')
def recorder():
    return Recorder()


@pytest.fixture(scope='module')
def client(connect, ignite_cluster, recorder):
    """A partition-aware client connected to the three running nodes of ``ignite_cluster``."""
    return connect.cluster(ignite_cluster, event_listeners=[recorder])


@pytest.fixture(scope='session')
def own_cluster():
    """Three in-memory nodes (ports 10840..10842, slot 10843 free) for destructive tests.

    Tests may kill, restart and deactivate it; each must leave nodes 0..2 running and the
    cluster active when it ends.
    """
    cluster = ignite_server.IgniteCluster(
        'pyignite-own', nodes=3, slots=4, client_port=OWN_CLIENT_PORT,
        discovery_port=OWN_DISCOVERY_PORT, communication_port=OWN_COMMUNICATION_PORT,
        discovery_range=10)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope='module')
def plain_cache(client):
    """A PARTITIONED cache of 1024 partitions (the default, a power of two), no backups:
    only a key's primary node holds it."""
    cache = client.create_cache({PROP_NAME: unique('pa'), PROP_CACHE_MODE: CacheMode.PARTITIONED,
                                 PROP_BACKUPS_NUMBER: 0})
    yield cache
    cache.destroy()


@pytest.fixture(scope='module')
def parts1000_cache(client):
    """1000 partitions, no backups: the node config has a template ``parts1000*`` (see the
    launcher)."""
    cache = client.get_or_create_cache(unique('parts1000'))
    yield cache
    cache.destroy()
