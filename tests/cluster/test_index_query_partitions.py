"""Index queries of one partition on the three-node cluster, with both client APIs.

The table has no backups, so a partition lives on its primary node only, and a local
query of a partition finds its entries only there: a partition-aware client must send it
to the partition's primary node, as it does a local scan (tests/cluster/test_scan_partitions.py).
"""
import pytest
from cluster_util import unique

from pyignite.datatypes import IntObject
from pyignite.exceptions import CacheError
from pyignite.index_query import gte

pytestmark = pytest.mark.both_apis

PARTITIONS = 1024
N = 300


@pytest.fixture(scope='module')
def table(client):
    """``(cache name, value type)`` of a table of N rows (AGE = id % 40), indexed on AGE."""
    name = unique('iqp').replace('-', '_').upper()
    value_type = name + '_TYPE'
    client.sql('CREATE TABLE {} (id INT PRIMARY KEY, age INT) WITH "CACHE_NAME={}, '
               'VALUE_TYPE={}, BACKUPS=0"'.format(name, name, value_type))
    client.sql('CREATE INDEX {0}_AGE ON {0} (age)'.format(name))
    for i in range(N):
        client.sql('INSERT INTO {} (id, age) VALUES (?, ?)'.format(name),
                   query_args=[(i, IntObject), (i % 40, IntObject)])
    yield name, value_type
    client.sql('DROP TABLE {}'.format(name))


def query_each_partition(cache, value_type, local):
    found = []
    for p in range(PARTITIONS):
        with cache.index_query(value_type, criteria=[gte('AGE', (20, IntObject))],
                               partition=p, local=local, page_size=3) as cursor:
            found.extend(key for key, _ in cursor)
    return found


def test_local_queries_of_every_partition_find_every_entry(client, table):
    name, value_type = table
    assert client.partition_aware
    found = query_each_partition(client.get_cache(name), value_type, local=True)
    assert sorted(found) == [i for i in range(N) if i % 40 >= 20]  # each once


def test_what_routing_avoids(connect, ignite_cluster, table):
    """A client that is not partition-aware reaches one node: a local query of a
    partition that node does not own is refused."""
    name, value_type = table
    client = connect.cluster(ignite_cluster, partition_aware=False)
    try:
        cache = client.get_cache(name)
        found, refused = [], 0
        for p in range(PARTITIONS):
            try:
                with cache.index_query(value_type, partition=p, local=True) as cursor:
                    found.extend(key for key, _ in cursor)
            except CacheError:
                refused += 1
        assert 0 < refused < PARTITIONS
        assert 0 < len(found) < N and len(set(found)) == len(found)
        # a query that is not local reaches every partition from that one node
        assert sorted(query_each_partition(cache, value_type, local=False)) == [
            i for i in range(N) if i % 40 >= 20]
    finally:
        client.close()
