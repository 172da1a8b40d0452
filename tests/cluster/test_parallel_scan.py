"""Partition-parallel scans (``cache.scan(..., parallel=True)``) on the three-node cluster,
both client APIs: every entry once (backups included nowhere), each node scanned on its own
connection, every node at once, and no cursor left on any node when the scan is left
early."""
import pytest
from cluster_util import unique

from pyignite import Client
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME
from pyignite.exceptions import ParameterError

pytestmark = pytest.mark.both_apis

ENTRIES = 3000


@pytest.fixture(scope='module')
def filled(client, plain_cache):
    plain_cache.put_all({k: 'v{}'.format(k) for k in range(ENTRIES)})
    return plain_cache


def server_scans(cluster) -> int:
    """Scan cursors open on the nodes, by each node's system view."""
    total = 0
    for host, port in cluster.endpoints[:3]:
        with Client().connect(host, port) as client:
            total += list(client.sql('SELECT COUNT(*) FROM SYS.SCAN_QUERIES', local=True))[0][0]
    return total


@pytest.mark.parametrize('page_size', [7, 1024])
def test_every_entry_once_from_every_node(client, recorder, filled, page_size):
    recorder.clear()
    entries = list(filled.scan(page_size=page_size, parallel=True))
    assert len(entries) == ENTRIES
    assert sorted(entries) == sorted((k, 'v{}'.format(k)) for k in range(ENTRIES))
    # one local scan of each node
    opens = recorder.nodes_of('OP_QUERY_SCAN')
    assert len(opens) == 3 and len(set(opens)) == 3


def test_backups_are_not_read_twice(client):
    cache = client.create_cache({PROP_NAME: unique('bk'), PROP_CACHE_MODE: CacheMode.PARTITIONED,
                                 PROP_BACKUPS_NUMBER: 2})
    try:
        cache.put_all({k: -k for k in range(ENTRIES)})
        entries = list(cache.scan(page_size=64, parallel=True))
        assert len(entries) == ENTRIES
        assert sorted(entries) == sorted((k, -k) for k in range(ENTRIES))
    finally:
        cache.destroy()


def test_leaving_early_leaves_no_cursor(client, ignite_cluster, filled):
    before = server_scans(ignite_cluster)
    for read in (0, 1, 50):
        cursor = filled.scan(page_size=5, parallel=True)
        with cursor:
            rows = [next(cursor) for _ in range(read)]
        assert len(set(rows)) == read
        assert server_scans(ignite_cluster) <= before
    assert len(list(filled.scan(page_size=100, parallel=True))) == ENTRIES


def test_a_replicated_cache_scans_as_usual(client):
    cache = client.create_cache({PROP_NAME: unique('repl'), PROP_CACHE_MODE: CacheMode.REPLICATED})
    try:
        cache.put_all({k: k for k in range(100)})
        assert sorted(cache.scan(page_size=9, parallel=True)) == [(k, k) for k in range(100)]
    finally:
        cache.destroy()


def test_bad_parameters(client, filled):
    for kwargs in ({'partitions': 3}, {'local': True}, {'page_size': 0}):
        with pytest.raises(ParameterError):
            filled.scan(parallel=True, **kwargs)
