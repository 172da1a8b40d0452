"""Cursors ask for their next page before they decode the current one (prefetch).

On a real node, through both clients: every row comes once and in order whatever the
page size (pages that end the result exactly, pages of one row, one page for all),
``max_rows`` still cuts where it should, no page is asked for past the last one nor more
than one page ahead, and a cursor left early leaves no cursor on the server.
"""
import gc
import uuid

import pytest

from _aio_adapter import unwrap
from pyignite import Client
from pyignite._protocol.opcodes import (
    OP_QUERY_SCAN_CURSOR_GET_PAGE, OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE,
)
from pyignite.monitoring import QueryEventListener

ROWS = 57
#: one row a page, two, pages that end the result exactly (3 x 19), one row short of a
#: single page, exactly one page, more than one page
PAGE_SIZES = [1, 2, 19, 56, 57, 1024]
PAGE_OPS = (OP_QUERY_SCAN_CURSOR_GET_PAGE, OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE)


def expected_rows():
    return [[i, 'v{}'.format(i)] for i in range(ROWS)]


@pytest.fixture(scope='module')
def numbers(client):
    """A table of ROWS rows ``(id, 'v<id>')`` and a cache of ROWS entries ``id -> id * 3``."""
    name = 'PF_' + uuid.uuid4().hex[:10].upper()
    client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR)'.format(name))
    for i in range(ROWS):
        client.sql('INSERT INTO {} (id, v) VALUES (?, ?)'.format(name),
                   query_args=[i, 'v{}'.format(i)])
    cache = client.create_cache('pf-' + uuid.uuid4().hex[:10])
    cache.put_all({i: i * 3 for i in range(ROWS)})
    yield name, cache
    cache.destroy()
    client.sql('DROP TABLE IF EXISTS {}'.format(name))


def server_cursors(node) -> int:
    """Scan and SQL cursors the node holds open, by its system views (asked on a
    connection of its own)."""
    with Client().connect(node.host, node.port) as client:
        scans = list(client.sql('SELECT COUNT(*) FROM SYS.SCAN_QUERIES'))[0][0]
        sqls = [row[0] for row in client.sql('SELECT SQL FROM SYS.SQL_QUERIES')]
    return scans + sum(1 for text in sqls
                       if 'SYS.' not in text.upper().replace('`', '').replace('"', ''))


class PageRequests(QueryEventListener):
    """Counts the page requests a client sends."""

    def __init__(self):
        self.count = 0

    def on_query_start(self, event):
        if event.op_code in PAGE_OPS:
            self.count += 1


@pytest.mark.parametrize('page_size', PAGE_SIZES)
def test_sql_rows_come_once_and_in_order(client, numbers, page_size):
    table, _ = numbers
    rows = list(client.sql('SELECT id, v FROM {} ORDER BY id'.format(table),
                           page_size=page_size))
    assert rows == expected_rows()


@pytest.mark.parametrize('page_size', PAGE_SIZES)
def test_scan_entries_come_once(client, numbers, page_size):
    _, cache = numbers
    entries = list(cache.scan(page_size=page_size))
    assert sorted(entries) == [(i, i * 3) for i in range(ROWS)]


@pytest.mark.parametrize('page_size, max_rows', [
    (1, 1), (5, 5), (5, 6), (19, 38), (19, 40), (19, 57), (10, 100), (1024, 3)])
def test_max_rows_cuts_across_pages(client, numbers, page_size, max_rows):
    table, _ = numbers
    rows = list(client.sql('SELECT id, v FROM {} ORDER BY id'.format(table),
                           page_size=page_size, max_rows=max_rows, include_field_names=True))
    assert rows == [['ID', 'V']] + expected_rows()[:max_rows]


@pytest.mark.parametrize('page_size', [5, 19])
@pytest.mark.parametrize('kind', ['sql', 'scan'])
def test_never_more_than_one_page_ahead_nor_past_the_end(connect, ignite_node, numbers,
                                                         page_size, kind):
    table, cache = numbers
    pages = PageRequests()
    client = connect(ignite_node, event_listeners=[pages])
    if kind == 'sql':
        cursor = client.sql('SELECT id, v FROM {} ORDER BY id'.format(table),
                            page_size=page_size)
    else:
        cursor = client.get_cache(cache.name).scan(page_size=page_size)
    rows = [next(cursor)]
    # page 2 was asked for with page 1, page 3 is not asked for until page 2 is taken
    assert pages.count == 1
    rows += [next(cursor) for _ in range(page_size - 1)]
    assert pages.count == 1
    rows.append(next(cursor))
    assert pages.count == 2
    rows += list(cursor)
    assert len(rows) == ROWS
    # one request for each page after the first, and none after the last one
    assert pages.count == -(-ROWS // page_size) - 1
    if kind == 'sql':
        assert rows == expected_rows()
    else:
        assert sorted(rows) == [(i, i * 3) for i in range(ROWS)]


@pytest.mark.parametrize('how', ['close', 'with', 'drop'])
@pytest.mark.parametrize('read', [0, 1, 5, 6, 10])
def test_leaving_early_leaves_no_server_cursor(client, ignite_node, numbers, how, read):
    """Page size 5: leaving after 0 rows (page 2 asked for ahead), inside page 1, right at
    its end, just into page 2 (page 3 asked for ahead), at the end of page 2."""
    table, cache = numbers
    before = server_cursors(ignite_node)
    for kind in ('sql', 'scan'):
        if kind == 'sql':
            cursor = client.sql('SELECT id, v FROM {} ORDER BY id'.format(table), page_size=5)
        else:
            cursor = cache.scan(page_size=5)
        if how == 'with':
            with cursor:
                rows = [next(cursor) for _ in range(read)]
        else:
            rows = [next(cursor) for _ in range(read)]
            if how == 'close':
                cursor.close()
            else:
                del cursor
                gc.collect()
                assert cache.get(0) == 0  # the next operation releases a dropped cursor
        if kind == 'sql':
            assert rows == expected_rows()[:read]
        else:
            assert len(set(rows)) == read
    assert server_cursors(ignite_node) <= before
    # and the client goes on
    assert len(list(cache.scan(page_size=5))) == ROWS


def test_closing_waits_for_the_page_asked_for_ahead(client, numbers):
    """A cursor closed with a page on its way: the connection stays in step, and a
    cursor closed after its last page was asked for ahead needs no close at all."""
    table, cache = numbers
    for _ in range(50):
        cursor = client.sql('SELECT id FROM {} ORDER BY id'.format(table), page_size=56)
        assert next(cursor) == [0]
        cursor.close()
        assert not unwrap(cursor).more
        assert list(client.sql('SELECT COUNT(*) FROM {}'.format(table))) == [[ROWS]]
