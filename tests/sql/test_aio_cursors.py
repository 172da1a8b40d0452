"""Async scan and SQL cursors (AioClient.sql, AioCache.scan), on a real node."""
import asyncio
import gc
import uuid

import pytest

from pyignite.aio_client import AioClient
from pyignite.cursors import AioScanCursor, AioSqlFieldsCursor
from pyignite.exceptions import CacheError, ParameterError, SQLError


@pytest.fixture
async def client(ignite_node):
    """A connected AioClient of the test's own (this module is async only: it replaces the
    sync-or-async ``client`` of tests/sql/conftest.py)."""
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        yield client


def _name(prefix):
    return '{}_{}'.format(prefix, uuid.uuid4().hex[:10]).upper()


async def test_ddl_dml_and_select(client):
    table = _name('AIO_T')

    created = await client.sql('CREATE TABLE {} (id INT PRIMARY KEY, s VARCHAR)'.format(
        table))
    assert isinstance(created, AioSqlFieldsCursor)
    insert = 'INSERT INTO {} (id, s) VALUES (?, ?)'.format(table)
    counts = await asyncio.gather(*[
        client.sql(insert, query_args=[i, 's{}'.format(i)]) for i in range(30)])
    # a loop, not nested comprehensions: Python < 3.11 refuses an async comprehension
    # inside a sync one
    results = []
    for cursor in counts:
        results.append([row async for row in cursor])
    assert results == [[[1]]] * 30
    async with client.sql('SELECT id, s FROM {} ORDER BY id'.format(table), page_size=4,
                          include_field_names=True) as cursor:
        assert await cursor.__anext__() == ['ID', 'S']
        assert await cursor.__anext__() == [0, 's0']
        rest = [row async for row in cursor]
    assert rest == [[i, 's{}'.format(i)] for i in range(1, 30)]
    rows = [row async for row in client.sql('SELECT id FROM {} ORDER BY id'.format(table),
                                            page_size=7, max_rows=10)]
    assert rows == [[i] for i in range(10)]
    await client.sql('DROP TABLE {}'.format(table))
    assert 'SQL_PUBLIC_' + table not in await client.get_cache_names()


async def test_async_for_without_awaiting_first(client):
    rows = [row async for row in client.sql(
        'SELECT x FROM system_range(1, 25)', page_size=4)]
    assert rows == [[i] for i in range(1, 26)]


async def test_sql_errors(client):
    with pytest.raises(SQLError, match='^42000: ') as e:
        await client.sql('SELEC 1')
    assert e.value.status == 1
    with pytest.raises(ParameterError, match='page_size'):
        await client.sql('SELECT 1', page_size=0)
    async with client.sql('SELECT 1') as cursor:
        assert [row async for row in cursor] == [[1]]


async def test_scan(client):
    cache = await client.create_cache('aio-scan-' + uuid.uuid4().hex[:8])
    try:
        await cache.put_all({'key_{}'.format(i): i for i in range(50)})
        cursor = cache.scan(page_size=8)
        assert isinstance(cursor, AioScanCursor)
        async with cursor:
            pairs = [pair async for pair in cursor]
        assert all(isinstance(pair, tuple) for pair in pairs)
        assert dict(pairs) == {'key_{}'.format(i): i for i in range(50)}
        one = dict([pair async for pair in cache.scan(page_size=100, partitions=0)])
        assert one.items() <= dict(pairs).items()
        with pytest.raises(CacheError, match='(?i)partition'):
            await cache.scan(partitions=5000)
    finally:
        await cache.destroy()


async def test_close_and_abandon(client):
    cache = await client.create_cache('aio-abandon-' + uuid.uuid4().hex[:8])
    try:
        await cache.put_all({i: i for i in range(10)})
        cursor = await cache.scan(page_size=1)
        await cursor.__anext__()
        assert cursor.more
        await cursor.close()
        assert not cursor.more
        assert [pair async for pair in cursor] == []
        # more abandoned cursors than the server's per-connection limit of 128
        for _ in range(300):
            cursor = await cache.scan(page_size=1)
            await cursor.__anext__()
            del cursor
        gc.collect()
        assert len([pair async for pair in cache.scan(page_size=1)]) == 10
        await cache.get(1)
        assert client._session.abandoned == []
    finally:
        await cache.destroy()
