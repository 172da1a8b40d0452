"""Scans of one partition against a real three-node cluster.

The cache has no backups, so a partition lives on its primary node only, and a local
scan of a partition (``scan(partitions=p, local=True)``) finds its entries only on that
node: elsewhere the server refuses it ("No queryable nodes for partition"). A
partition-aware client must therefore send it to the partition's primary node.
"""

import pytest

from pyignite import AioClient, Client
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME
from pyignite.exceptions import CacheError

from cluster_util import unique

#: partitions of a PARTITIONED cache with the default affinity function
PARTITIONS = 1024
N = 2000
ENTRIES = {k: 'v{}'.format(k) for k in range(N)}


@pytest.fixture(scope='module')
def scan_cache(client):
    cache = client.create_cache({PROP_NAME: unique('scan'), PROP_CACHE_MODE: CacheMode.PARTITIONED,
                                 PROP_BACKUPS_NUMBER: 0})
    cache.put_all(ENTRIES)
    yield cache
    cache.destroy()


def scan_each_partition(cache, local: bool, page_size: int) -> list:
    """The entries of every partition's scan, in one list (duplicates kept)."""
    found = []
    for p in range(PARTITIONS):
        with cache.scan(page_size=page_size, partitions=p, local=local) as cursor:
            found.extend(cursor)
    return found


def assert_every_entry_once(found):
    keys = [k for k, _ in found]
    assert len(keys) == len(set(keys)), 'some keys were found in two partitions'
    assert dict(found) == ENTRIES


def test_local_scans_of_all_partitions_find_every_entry(client, scan_cache):
    assert client.partition_aware
    # one entry per page: later pages must follow the cursor to the same node
    assert_every_entry_once(scan_each_partition(scan_cache, local=True, page_size=1))


def test_partition_scans_find_every_entry(client, scan_cache):
    assert_every_entry_once(scan_each_partition(scan_cache, local=False, page_size=100))


async def test_async_local_scans_of_all_partitions(ignite_cluster, scan_cache):
    # a new client: it has no partition map yet, so the first scan must fetch it
    client = AioClient()
    async with client.connect(ignite_cluster.endpoints):
        assert client.partition_aware
        cache = await client.get_cache(scan_cache.name)
        found = []
        for p in range(PARTITIONS):
            async with cache.scan(page_size=100, partitions=p, local=True) as cursor:
                found.extend([entry async for entry in cursor])
    assert_every_entry_once(found)


def test_not_partition_aware_client_scans_every_partition(ignite_cluster, scan_cache):
    client = Client(partition_aware=False)
    with client.connect(ignite_cluster.endpoints):
        assert not client.partition_aware
        cache = client.get_cache(scan_cache.name)
        # not local: the node the client talks to asks the partition's owner
        assert_every_entry_once(scan_each_partition(cache, local=False, page_size=100))


@pytest.mark.parametrize('local', [False, True], ids=['distributed', 'local'])
@pytest.mark.parametrize('partition', [PARTITIONS, 5000, 2 ** 31 - 1])
def test_partition_out_of_range_is_refused(client, scan_cache, partition, local):
    with pytest.raises(CacheError, match='Invalid partition number: {}'.format(partition)):
        scan_cache.scan(partitions=partition, local=local)
    # the connection is still in step
    assert scan_cache.get(7) == ENTRIES[7]
    with scan_cache.scan(page_size=500) as cursor:
        assert dict(cursor) == ENTRIES


def test_not_partition_aware_local_scan_elsewhere_is_refused(ignite_cluster, scan_cache):
    """What routing avoids: a local scan reaching a node that does not own the partition."""
    client = Client(partition_aware=False)
    with client.connect(ignite_cluster.endpoints):
        cache = client.get_cache(scan_cache.name)
        found, refused = [], 0
        for p in range(PARTITIONS):
            try:
                with cache.scan(page_size=100, partitions=p, local=True) as cursor:
                    found.extend(cursor)
            except CacheError as e:
                assert 'No queryable nodes for partition {} '.format(p) in str(e)
                refused += 1
        # the connected node is primary for about a third of the partitions
        assert 0 < refused < PARTITIONS
        assert found and dict(found).items() < ENTRIES.items()
        assert len(found) == len(dict(found))
        assert cache.get(7) == ENTRIES[7]
