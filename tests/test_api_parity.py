"""The sync and the async facades must not drift apart.

For each pair of classes below, the public methods and properties (and the constructor)
must have the same names and the same parameters: names, kinds and defaults (annotations
may differ: ``Cache`` vs ``AioCache``). Where the sync side blocks, the async side must be a
coroutine; the few plain methods and the documented differences are listed here, explicitly.
"""
import inspect

import pytest

from pyignite.aio_cache import AioCache
from pyignite.aio_client import AioClient
from pyignite.atomic_long import AioAtomicLong, AtomicLong
from pyignite.aio_cluster import AioCluster
from pyignite.cache import Cache
from pyignite.client import Client
from pyignite.cluster import Cluster
from pyignite.cluster_group import AioClusterGroup, ClusterGroup
from pyignite.compute import AioCompute, Compute
from pyignite.continuous_query import AioContinuousQuery, ContinuousQuery
from pyignite.cursors import (
    AioIndexQueryCursor, AioScanCursor, AioSqlFieldsCursor, IndexQueryCursor, ScanCursor,
    SqlFieldsCursor,
)
from pyignite.data_streamer import AioDataStreamer, DataStreamer
from pyignite.services import AioServiceProxy, AioServices, ServiceProxy, Services
from pyignite.transaction import AioTransaction, Transaction

PAIRS = [
    (Client, AioClient),
    (Cache, AioCache),
    (ScanCursor, AioScanCursor),
    (SqlFieldsCursor, AioSqlFieldsCursor),
    (IndexQueryCursor, AioIndexQueryCursor),
    (Cluster, AioCluster),
    (ClusterGroup, AioClusterGroup),
    (Transaction, AioTransaction),
    (DataStreamer, AioDataStreamer),
    (AtomicLong, AioAtomicLong),
    (ContinuousQuery, AioContinuousQuery),
    (Compute, AioCompute),
    (Services, AioServices),
    (ServiceProxy, AioServiceProxy),
]

#: public names only the sync class has
SYNC_ONLY = {
    (Cache, 'select_row'),  # the deprecated SQL query API is not offered by AioCache
    # a concurrent.futures.Future of a task: the async side awaits execute() in a task
    (Compute, 'submit'),
}

#: parameters the async side makes optional (with this default): an async continuous query
#: without a listener is an async iterator of its events, a sync one needs the listener
ASYNC_OPTIONAL = {
    (AioCache, 'continuous_query', 'listener'): None,
}

#: sync properties that are coroutine methods on the async side (they may do I/O)
PROPERTY_BECOMES_COROUTINE = {
    (Cache, 'settings'),
    (Client, 'random_node'),
}

#: async methods that are not coroutines: they return an object that is awaited or
#: entered with ``async with`` later (or do no I/O at all)
PLAIN_ASYNC_METHODS = {
    (AioClient, 'connect'),  # awaitable and async context manager
    (AioClient, 'sql'),  # returns an AioSqlFieldsCursor
    (AioClient, 'get_cluster'),
    (AioClient, 'tx_start'),  # returns an AioTransaction
    (AioClient, 'data_streamer'),  # returns an AioDataStreamer, entered with async with
    (AioCache, 'scan'),  # returns an AioScanCursor
    (AioCache, 'index_query'),  # returns an AioIndexQueryCursor
    (AioCache, 'with_expire_policy'),
    (AioClient, 'compute'),  # an AioCompute: nothing is sent
    (AioClient, 'services'),  # an AioServices: nothing is sent
    (AioServices, 'service_proxy'),  # a proxy: nothing is sent until a method is called
} | {
    # cluster group projections describe a narrower group: nothing is sent
    (cls, name) for cls in (AioCluster, AioClusterGroup) for name in (
        'for_servers', 'for_clients', 'for_attribute', 'for_node_ids', 'for_nodes',
        'for_host', 'for_predicate', 'for_oldest', 'for_youngest', 'for_random')
}

#: every coroutine method of AioCache takes this extra keyword-only parameter
AIO_CACHE_TIMEOUT = inspect.Parameter('timeout', inspect.Parameter.KEYWORD_ONLY, default=None)

#: protocols: the sync dunder and the async one that must exist in its place
PROTOCOLS = {
    '__enter__': '__aenter__',
    '__exit__': '__aexit__',
    '__iter__': '__aiter__',
    '__next__': '__anext__',
}


def _public(cls) -> set:
    return {name for name in dir(cls) if not name.startswith('_')}


def _params(func) -> list:
    """What a caller sees of a signature: names, kinds and defaults."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


def _ids(pair):
    return '{}-{}'.format(pair[0].__name__, pair[1].__name__)


@pytest.mark.parametrize('sync_cls, aio_cls', PAIRS, ids=[_ids(p) for p in PAIRS])
def test_same_public_names(sync_cls, aio_cls):
    expected = _public(sync_cls) - {name for cls, name in SYNC_ONLY if cls is sync_cls}
    assert _public(aio_cls) == expected


@pytest.mark.parametrize('sync_cls, aio_cls', PAIRS, ids=[_ids(p) for p in PAIRS])
def test_same_constructor(sync_cls, aio_cls):
    assert _params(aio_cls.__init__) == _params(sync_cls.__init__)


@pytest.mark.parametrize('sync_cls, aio_cls', PAIRS, ids=[_ids(p) for p in PAIRS])
def test_same_parameters_and_async_where_sync_blocks(sync_cls, aio_cls):
    for name in sorted(_public(aio_cls)):
        sync_attr = inspect.getattr_static(sync_cls, name)
        aio_attr = inspect.getattr_static(aio_cls, name)
        where = '{}.{}'.format(aio_cls.__name__, name)
        if isinstance(sync_attr, property):
            if (sync_cls, name) in PROPERTY_BECOMES_COROUTINE:
                assert inspect.iscoroutinefunction(aio_attr), where
                assert _params(aio_attr)[0][0] == 'self', where
                rest = _params(aio_attr)[1:]
                assert rest in ([], [_params_of(AIO_CACHE_TIMEOUT)]), where
            else:
                assert isinstance(aio_attr, property), where
                assert (sync_attr.fset is None) == (aio_attr.fset is None), where
            continue
        assert callable(sync_attr) and callable(aio_attr), where
        expected = _params(sync_attr)
        if (aio_cls, name) in PLAIN_ASYNC_METHODS:
            assert not inspect.iscoroutinefunction(aio_attr), where
        else:
            assert inspect.iscoroutinefunction(aio_attr), where
            if aio_cls is AioCache:
                expected.append(_params_of(AIO_CACHE_TIMEOUT))
        expected = [(n, kind, ASYNC_OPTIONAL.get((aio_cls, name, n), default))
                    for n, kind, default in expected]
        assert _params(aio_attr) == expected, where


@pytest.mark.parametrize('sync_cls, aio_cls', PAIRS, ids=[_ids(p) for p in PAIRS])
def test_async_protocols_replace_sync_ones(sync_cls, aio_cls):
    for sync_name, aio_name in PROTOCOLS.items():
        if hasattr(sync_cls, sync_name):
            assert hasattr(aio_cls, aio_name), '{} lacks {}'.format(aio_cls.__name__, aio_name)


def test_exceptions_listed_here_are_real():
    """A stale exception would hide a difference: each must still describe the classes."""
    for cls, name in SYNC_ONLY:
        assert name in _public(cls)
    for cls, name in PROPERTY_BECOMES_COROUTINE:
        assert isinstance(inspect.getattr_static(cls, name), property)
    for cls, name in PLAIN_ASYNC_METHODS:
        assert name in _public(cls)


def _params_of(param: inspect.Parameter) -> tuple:
    return param.name, param.kind, param.default


@pytest.mark.parametrize('sync_cls, aio_cls', PAIRS, ids=[_ids(p) for p in PAIRS])
def test_every_public_method_documented_on_both_sides(sync_cls, aio_cls):
    """``help()`` and the API pages show a docstring for each public name, also for the
    methods written once for both facades."""
    for cls in (sync_cls, aio_cls):
        undocumented = [name for name in sorted(_public(cls))
                        if not inspect.getdoc(inspect.getattr_static(cls, name))]
        assert not undocumented, '{}: {}'.format(cls.__name__, undocumented)
