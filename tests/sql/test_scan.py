"""Scan queries through Cache.scan, on a real node."""
import pytest

from pyignite import Client
from pyignite.exceptions import CacheError, ParameterError

ENTRIES = 100_000
#: partitions of a cache with the default affinity function
PARTITIONS = 1024


@pytest.fixture(scope='module')
def big_cache_name(ignite_node):
    """A cache of 100,000 int -> short str entries, loaded with put_all in batches of
    10,000 by a sync client of its own, once for the module (both API modes scan it)."""
    loader = Client()
    with loader.connect(ignite_node.host, ignite_node.port):
        cache = loader.create_cache('scan-big')
        for start in range(0, ENTRIES, 10_000):
            cache.put_all({i: 'value {}'.format(i) for i in range(start, start + 10_000)})
        yield cache.name
        cache.destroy()


@pytest.fixture(scope='module')
def big_cache(client, big_cache_name):
    return client.get_cache(big_cache_name)


# the async client scans the 100,000 entries at page size 1024 only
@pytest.mark.parametrize('page_size', [
    pytest.param(100, marks=pytest.mark.sync_only('heavy: one 100,000-entry scan runs async')),
    1024,
])
def test_scan_of_100000_entries(big_cache, page_size):
    with big_cache.scan(page_size=page_size) as cursor:
        entries = list(cursor)
    assert len(entries) == ENTRIES
    assert all(isinstance(entry, tuple) and len(entry) == 2 for entry in entries)
    assert dict(entries) == {i: 'value {}'.format(i) for i in range(ENTRIES)}


def test_scan_by_partition_splits_the_cache(big_cache):
    seen = {}
    sizes = []
    for partition in range(PARTITIONS):
        part = dict(big_cache.scan(page_size=1024, partitions=partition))
        assert not seen.keys() & part.keys()
        seen.update(part)
        sizes.append(len(part))
    assert len(seen) == ENTRIES
    assert max(sizes) < ENTRIES // 100  # each partition holds a small share


def test_scan_of_a_partition_out_of_range(big_cache):
    with pytest.raises(CacheError, match='(?i)partition'):
        big_cache.scan(partitions=PARTITIONS)
    assert big_cache.get(7) == 'value 7'


def test_local_scan_on_a_single_node(kv_cache):
    kv_cache.put_all({i: i * i for i in range(50)})
    assert dict(kv_cache.scan(page_size=7, local=True)) == {i: i * i for i in range(50)}


def test_scan_as_the_docs_show(kv_cache):
    kv_cache.put_all({'key_{}'.format(v): v for v in range(20)})
    with kv_cache.scan() as cursor:
        pairs = [(k, v) for k, v in cursor]
    assert sorted(pairs, key=lambda kv: kv[1]) == [('key_{}'.format(v), v) for v in range(20)]
    with kv_cache.scan() as cursor:
        assert dict(cursor) == {'key_{}'.format(v): v for v in range(20)}


def test_scan_of_an_empty_cache(kv_cache):
    cursor = kv_cache.scan()
    assert list(cursor) == []
    assert not cursor.more


def test_scan_values_of_many_types(kv_cache):
    from decimal import Decimal
    from uuid import UUID
    values = {1: 'text', 2: 2.5, 3: '', 4: True, 5: [1, 2, 3], 6: Decimal('1.50'),
              7: UUID(int=7), 8: b'\x00\x01', 9: 'caf\u00e9 \U0001f600', 10: -(1 << 62)}
    kv_cache.put_all(values)
    assert dict(kv_cache.scan(page_size=3)) == values


def test_scan_of_a_missing_cache(client):
    with pytest.raises(CacheError, match='(?i)cache'):
        client.get_cache('no-such-cache-for-scan').scan()
    assert 'no-such-cache-for-scan' not in client.get_cache_names()


@pytest.mark.parametrize('kwargs, named', [
    ({'page_size': 0}, 'page_size'),
    ({'page_size': -3}, 'page_size'),
    ({'page_size': 2.0}, 'page_size'),
    ({'partitions': 'all'}, 'partitions'),
    ({'partitions': 1 << 31}, 'partitions'),
    ({'local': 'no'}, 'local'),
])
def test_bad_scan_parameters(kv_cache, kwargs, named):
    with pytest.raises(ParameterError, match=named):
        kv_cache.scan(**kwargs)
    kv_cache.put(1, 1)
    assert list(kv_cache.scan()) == [(1, 1)]


def test_abandoned_scan_cursors_are_released(kv_cache, server_holds_cursor):
    kv_cache.put_all({i: i for i in range(10)})
    opened = []
    for _ in range(300):
        cursor = kv_cache.scan(page_size=1)
        next(cursor)
        opened.append((cursor.connection, cursor.cursor_id))
    del cursor
    assert len(list(kv_cache.scan(page_size=1))) == 10
    assert not any(server_holds_cursor(conn, cursor_id) for conn, cursor_id in opened[-3:])


def test_scan_close_and_with(kv_cache, server_holds_cursor):
    kv_cache.put_all({i: i for i in range(10)})
    cursor = kv_cache.scan(page_size=2)
    first = next(cursor)
    assert first in {(i, i) for i in range(10)} and cursor.more
    cursor.close()
    assert list(cursor) == []
    assert not server_holds_cursor(cursor.connection, cursor.cursor_id)
    with kv_cache.scan(page_size=2) as cursor:
        next(cursor)
    assert not server_holds_cursor(cursor.connection, cursor.cursor_id)
