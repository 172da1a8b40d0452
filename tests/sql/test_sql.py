"""SQL through Client.sql and Cache.select_row, on a real node."""
import gc
import threading
from decimal import Decimal

import pytest

from pyignite import Client
from pyignite.datatypes import DecimalObject, IntObject, ShortObject
from pyignite.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES, PROP_SQL_SCHEMA
from pyignite.datatypes.sql import StatementType
from pyignite.exceptions import CursorError, ParameterError, ReconnectError, SQLError

BIG_ROWS = 100_000
#: the server's default limit of open cursors per connection
CURSOR_LIMIT = 128


@pytest.fixture(scope='module')
def big_table(ignite_node):
    """A table of 100,000 rows of (BIGINT, VARCHAR, DOUBLE, INT, VARCHAR), loaded in one
    INSERT ... SELECT from the H2 SYSTEM_RANGE table function.

    A sync client of its own loads it once for the module: the tests read it in both API
    modes.
    """
    loader = Client()
    with loader.connect(ignite_node.host, ignite_node.port):
        loader.sql('DROP TABLE IF EXISTS SQL_TEST_BIG')
        loader.sql('CREATE TABLE SQL_TEST_BIG (id BIGINT PRIMARY KEY, name VARCHAR, '
                   'v DOUBLE, n INT, city VARCHAR)')
        [[count]] = loader.sql(
            "INSERT INTO SQL_TEST_BIG (id, name, v, n, city) SELECT x, CONCAT('name ', x), "
            "x * 0.25, CAST(MOD(x, 1000) AS INT), CONCAT('city-', MOD(x, 97)) "
            "FROM system_range(1, {})".format(BIG_ROWS))
        assert count == BIG_ROWS
        yield 'SQL_TEST_BIG'
        loader.sql('DROP TABLE SQL_TEST_BIG')


def expected_row(i):
    return [i, 'name {}'.format(i), i * 0.25, i % 1000, 'city-{}'.format(i % 97)]


@pytest.fixture
def people(client, table):
    client.sql('CREATE TABLE {} (id INT PRIMARY KEY, name VARCHAR, age SMALLINT, '
               'score DECIMAL(6, 2))'.format(table))
    for i in range(10):
        client.sql('INSERT INTO {} (id, name, age, score) VALUES (?, ?, ?, ?)'.format(table),
                   query_args=[(i, IntObject), 'person {}'.format(i), (20 + i, ShortObject),
                               (Decimal('{}.25'.format(i)), DecimalObject)])
    return table


# 100,000 round trips at page size 1, 14,286 at 7: the async client reads at 1024 only
@pytest.mark.parametrize('page_size', [
    pytest.param(1, marks=pytest.mark.sync_only('heavy: one 100,000-row read runs async')),
    pytest.param(7, marks=pytest.mark.sync_only('heavy: one 100,000-row read runs async')),
    1024,
])
def test_big_table_reads_the_same_whatever_the_page_size(client, big_table, page_size):
    rows = list(client.sql('SELECT id, name, v, n, city FROM {} ORDER BY id'.format(big_table),
                           page_size=page_size))
    assert len(rows) == BIG_ROWS
    assert rows[0] == expected_row(1) and rows[-1] == expected_row(BIG_ROWS)
    assert all(row == expected_row(i) for i, row in enumerate(rows, 1))


def test_page_size_one_async_sized(client, big_table):
    """Page size 1 over the first 2,000 rows, so the async client gets it too."""
    query = 'SELECT id, name, v, n, city FROM {} WHERE id <= 2000 ORDER BY id'.format(
        big_table)
    rows = list(client.sql(query, page_size=1))
    assert rows == list(client.sql(query, page_size=1024))
    assert rows == [expected_row(i) for i in range(1, 2001)]


def test_ddl_and_dml_run_without_iterating(client, table):
    client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR)'.format(table))
    assert 'SQL_PUBLIC_' + table in client.get_cache_names()
    insert = 'INSERT INTO {} (id, v) VALUES (?, ?)'.format(table)
    for i in range(3):
        client.sql(insert, query_args=[i, 'v{}'.format(i)])
    assert list(client.sql('SELECT COUNT(*) FROM {}'.format(table))) == [[3]]
    assert list(client.sql('UPDATE {} SET v = ? WHERE id > ?'.format(table),
                           query_args=['new', 0])) == [[2]]
    assert list(client.sql('DELETE FROM {} WHERE id = 0'.format(table))) == [[1]]
    assert list(client.sql('SELECT id, v FROM {} ORDER BY id'.format(table))) == [
        [1, 'new'], [2, 'new']]
    client.sql('DROP TABLE {}'.format(table))
    assert 'SQL_PUBLIC_' + table not in client.get_cache_names()


def test_query_args_with_hints(client, people):
    rows = list(client.sql('SELECT name, age, score FROM {} WHERE id = ? AND age = ?'.format(
        people), query_args=[(3, IntObject), (23, ShortObject)]))
    assert rows == [['person 3', 23, Decimal('3.25')]]
    rows = list(client.sql('SELECT id FROM {} WHERE name IN (?, ?) ORDER BY id'.format(people),
                           query_args=('person 1', 'person 7')))
    assert rows == [[1], [7]]


def test_include_field_names(client, people):
    with client.sql('SELECT id AS ident, name FROM {} ORDER BY id'.format(people),
                    include_field_names=True, page_size=3) as cursor:
        assert next(cursor) == ['IDENT', 'NAME']
        assert next(cursor) == [0, 'person 0']
        assert len(list(cursor)) == 9


def test_include_field_names_of_an_empty_result(client, people):
    rows = list(client.sql('SELECT id FROM {} WHERE id < 0'.format(people),
                           include_field_names=True))
    assert rows == [['ID']]


@pytest.mark.parametrize('max_rows, page_size, expected', [
    (3, 1024, 3), (3, 2, 3), (5, 5, 5), (10, 4, 10), (50, 4, 10), (-1, 4, 10), (0, 4, 10),
])
def test_max_rows(client, people, max_rows, page_size, expected, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {} ORDER BY id'.format(people), max_rows=max_rows,
                        page_size=page_size)
    conn, cursor_id = cursor.connection, cursor.cursor_id
    assert list(cursor) == [[i] for i in range(expected)]
    assert not server_holds_cursor(conn, cursor_id)


def test_max_rows_with_field_names(client, people):
    rows = list(client.sql('SELECT id FROM {} ORDER BY id'.format(people), max_rows=2,
                           include_field_names=True))
    assert rows == [['ID'], [0], [1]]


def test_statement_type(client, people, sql_engine):
    """H2 refuses a statement of another type than the one declared (SQLSTATE 42000);
    Calcite does not check it and runs the statement."""
    select = 'SELECT COUNT(*) FROM {}'.format(people)
    update = 'UPDATE {} SET age = 1 WHERE id = 1'.format(people)
    assert list(client.sql(select, statement_type=StatementType.SELECT)) == [[10]]
    assert list(client.sql(update, statement_type=StatementType.UPDATE)) == [[1]]
    if sql_engine == 'h2':
        with pytest.raises(SQLError, match='^42000: .*statement type does not match') as e:
            client.sql(select, statement_type=StatementType.UPDATE)
        assert e.value.status == 1
        with pytest.raises(SQLError, match='^42000: .*statement type does not match'):
            client.sql(update, statement_type=StatementType.SELECT)
    else:
        assert list(client.sql(select, statement_type=StatementType.UPDATE)) == [[10]]
        update = 'UPDATE {} SET age = 2 WHERE id = 2'.format(people)
        assert list(client.sql(update, statement_type=StatementType.SELECT)) == [[1]]
        assert list(client.sql('SELECT age FROM {} WHERE id = 2'.format(people))) == [[2]]
    with pytest.raises(ParameterError, match='statement_type'):
        client.sql(select, statement_type=3)


def test_sql_errors_carry_the_server_message(client, people):
    """Status 1 (failed) and the server's message, which starts with the SQLSTATE; the rest
    of the text is the server's own (the engines, and versions of one engine, word it
    differently)."""
    with pytest.raises(SQLError, match='^42000: ') as e:
        client.sql('SELEC * FROM {}'.format(people))
    assert e.value.status == 1
    with pytest.raises(SQLError, match='^42000: .*NO_SUCH_TABLE') as e:
        client.sql('SELECT * FROM no_such_table')
    assert e.value.status == 1
    with pytest.raises(SQLError, match='^23000: ') as e:
        client.sql('INSERT INTO {} (id, name) VALUES (1, ?)'.format(people),
                   query_args=['duplicate key'])
    assert e.value.status == 1
    # the connection carries on
    assert list(client.sql('SELECT COUNT(*) FROM {}'.format(people))) == [[10]]


def test_timeout_cancels_a_long_query(fresh_client, sql_engine):
    """A positive timeout is applied (with the legacy timeout semantics the server only
    applies positive values; 0 is sent as the largest int, i.e. no timeout).

    A query that fails while the server writes its first page stays registered as an open
    cursor on the server until the connection closes, hence a client of its own. H2 reports a
    cancelled query; Calcite a timed-out one (SQLSTATE 57014 when the time ran out while it
    planned the query).
    """
    stopped = '(?i)cancel' if sql_engine == 'h2' else '(?i)^57014: |timed out'
    with pytest.raises(SQLError, match=stopped):
        list(fresh_client.sql('SELECT COUNT(*) FROM system_range(1, 100000) a, '
                              'system_range(1, 100000) b', timeout=300))
    assert list(fresh_client.sql('SELECT 1', timeout=0)) == [[1]]


@pytest.mark.parametrize('kwargs, named', [
    ({'page_size': 0}, 'page_size'),
    ({'page_size': 1 << 31}, 'page_size'),
    ({'page_size': '5'}, 'page_size'),
    ({'timeout': -1}, 'timeout'),
    ({'timeout': 1 << 31}, 'timeout'),
    ({'timeout': 1.5}, 'timeout'),
    ({'max_rows': 'all'}, 'max_rows'),
    ({'schema': 5}, 'schema'),
    ({'lazy': 'yes'}, 'lazy'),
    ({'query_args': 5}, 'query_args'),
    ({'query_args': 'abc'}, 'query_args'),
    ({'query_args': [object()]}, 'query_args'),
    ({'query_args': [(1 << 40, IntObject)]}, 'query_args'),
    ({'cache': 1.5}, 'cache'),
])
def test_bad_parameters_are_refused_before_sending(client, people, kwargs, named):
    with pytest.raises(ParameterError, match=named):
        client.sql('SELECT COUNT(*) FROM {}'.format(people), **kwargs)
    assert list(client.sql('SELECT COUNT(*) FROM {}'.format(people))) == [[10]]


def test_query_str_must_be_a_str(client):
    with pytest.raises(ParameterError, match='query_str'):
        client.sql(b'SELECT 1')


def test_cache_by_name_id_or_object_sets_the_schema(client, cache_names):
    name = cache_names('sqlcache')
    cache = client.create_cache({
        PROP_NAME: name,
        PROP_SQL_SCHEMA: 'CACHE_SCHEMA',
        PROP_QUERY_ENTITIES: [{
            'table_name': 'NUMBERS', 'key_type_name': 'java.lang.Integer',
            'value_type_name': 'java.lang.String', 'key_field_name': 'NUM',
            'value_field_name': 'WORD',
            'query_fields': [
                {'name': 'NUM', 'type_name': 'java.lang.Integer', 'is_key_field': True},
                {'name': 'WORD', 'type_name': 'java.lang.String'},
            ],
        }],
    })
    cache.put_all({(i, IntObject): 'word {}'.format(i) for i in range(5)})
    query = 'SELECT num, word FROM numbers WHERE num >= ? ORDER BY num'
    expected = [[3, 'word 3'], [4, 'word 4']]
    # the schema argument is ignored when a cache is given
    for by in (name, cache.cache_id, cache):
        assert list(client.sql(query, query_args=[3], cache=by, schema='PUBLIC')) == expected
    assert list(client.sql(query, query_args=[3], schema='CACHE_SCHEMA')) == expected
    with pytest.raises(SQLError):
        client.sql(query, query_args=[3])  # PUBLIC has no such table
    with pytest.raises(SQLError, match='(?i)cache'):
        client.sql(query, cache='no-such-cache')


@pytest.mark.sync_only('select_row is sync-only API: AioCache has none')
def test_select_row(client, cache_names, sql_engine):
    """select_row is the server's SqlQuery API, which only the H2 engine (ignite-indexing)
    implements: a node with Calcite alone refuses it."""
    name = cache_names('rows')
    cache = client.create_cache({
        PROP_NAME: name,
        PROP_QUERY_ENTITIES: [{
            'table_name': 'WORDS', 'key_type_name': 'java.lang.Integer',
            'value_type_name': 'java.lang.String', 'query_fields': [],
        }],
    })
    cache.put_all({(i, IntObject): 'word {}'.format(i) for i in range(10)})
    if sql_engine == 'calcite':
        with pytest.raises(SQLError, match='^50000: ') as e:
            cache.select_row('_key < ?', query_args=[4])
        assert e.value.status == 1
        assert cache.get_size() == 10  # the connection carries on
        return
    rows = sorted(cache.select_row('_key < ?', query_args=[4]))
    assert rows == [(i, 'word {}'.format(i)) for i in range(4)]
    with cache.select_row('_val LIKE ?', page_size=3, query_args=['word %']) as cursor:
        assert len(list(cursor)) == 10


@pytest.mark.sync_only('select_row is sync-only API: AioCache has none')
def test_select_row_needs_a_query_entity(client, kv_cache):
    with pytest.raises(SQLError, match='Value type is unknown'):
        kv_cache.select_row('_key > 0')


@pytest.mark.sync_only('select_row is sync-only API: AioCache has none')
def test_select_row_over_an_sql_table(client, people, sql_engine):
    """Rows of a table created with DDL decode as complex objects (H2 only, see
    test_select_row)."""
    cache = client.get_cache('SQL_PUBLIC_' + people)
    if sql_engine == 'calcite':
        with pytest.raises(SQLError, match='^50000: '):
            cache.select_row('id = ?', query_args=[(4, IntObject)])
        return
    [(key, value)] = list(cache.select_row('id = ?', query_args=[(4, IntObject)]))
    assert key == 4
    assert (value.NAME, value.AGE, value.SCORE) == ('person 4', 24, Decimal('4.25'))


# --- cursors: iteration, closing and abandoning --------------------------------------------

def test_cursor_protocol(client, people):
    cursor = client.sql('SELECT id FROM {} ORDER BY id'.format(people), page_size=4)
    assert iter(cursor) is cursor
    assert [next(cursor) for _ in range(10)] == [[i] for i in range(10)]
    with pytest.raises(StopIteration):
        next(cursor)
    with pytest.raises(StopIteration):
        next(cursor)
    assert not cursor.more


def test_loops_left_early_resume_where_they_stopped(client, people):
    # every row once, in order, however the reading is split up (within and across pages)
    cursor = client.sql('SELECT id FROM {} ORDER BY id'.format(people), page_size=4)
    seen = []
    for row in cursor:
        seen.append(row[0])
        if len(seen) == 3:
            break
    seen.append(next(cursor)[0])
    for row in cursor:
        seen.append(row[0])
        if len(seen) == 6:
            break
    seen.extend(row[0] for row in cursor)
    assert seen == list(range(10))


def test_close_releases_the_server_cursor(client, people, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {} ORDER BY id'.format(people), page_size=2)
    assert next(cursor) == [0]
    assert cursor.more
    conn, cursor_id = cursor.connection, cursor.cursor_id
    cursor.close()
    assert list(cursor) == []
    cursor.close()  # twice is fine
    assert not server_holds_cursor(conn, cursor_id)


def test_with_block_releases_the_server_cursor(client, people, server_holds_cursor):
    with client.sql('SELECT id FROM {} ORDER BY id'.format(people), page_size=2) as cursor:
        next(cursor)
        conn, cursor_id = cursor.connection, cursor.cursor_id
    assert not server_holds_cursor(conn, cursor_id)


def test_exhausted_cursor_is_released_by_the_server(client, people, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {}'.format(people), page_size=3)
    conn, cursor_id = cursor.connection, cursor.cursor_id
    assert len(list(cursor)) == 10
    assert not server_holds_cursor(conn, cursor_id)


def test_open_cursors_count_against_the_server_limit(fresh_client, people):
    query = 'SELECT id FROM {}'.format(people)
    held = [fresh_client.sql(query, page_size=1) for _ in range(CURSOR_LIMIT)]
    with pytest.raises(SQLError) as raised:
        fresh_client.sql(query, page_size=1)
    assert raised.value.status == 1010
    for cursor in held:
        cursor.close()
    assert len(list(fresh_client.sql(query, page_size=1))) == 10


def test_abandoned_cursors_are_released(client, people, server_holds_cursor):
    """More cursors than the server allows per connection, each dropped after one row:
    every new query first closes the ones dropped before it."""
    query = 'SELECT id FROM {}'.format(people)
    opened = []
    for _ in range(CURSOR_LIMIT * 2):
        cursor = client.sql(query, page_size=1)
        next(cursor)
        opened.append((cursor.connection, cursor.cursor_id))
        del cursor
    assert len(list(client.sql(query, page_size=1))) == 10
    conn, cursor_id = opened[-1]
    assert not server_holds_cursor(conn, cursor_id)


def test_abandoned_cursor_is_released_by_a_key_value_operation(
        client, people, kv_cache, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {}'.format(people), page_size=1)
    conn, cursor_id = cursor.connection, cursor.cursor_id
    del cursor
    kv_cache.put(1, 1)
    assert client._session.abandoned == []
    assert not server_holds_cursor(conn, cursor_id)


def test_cursor_dropped_in_another_thread_and_in_a_cycle(client, people, server_holds_cursor):
    query = 'SELECT id FROM {}'.format(people)
    cursors = [client.sql(query, page_size=1) for _ in range(2)]
    ids = [(c.connection, c.cursor_id) for c in cursors]
    holder = {'cursor': cursors.pop()}
    holder['self'] = holder  # only the cycle collector frees this one
    del holder
    thread = threading.Thread(target=cursors.clear)
    thread.start()
    thread.join()
    gc.collect()
    assert list(client.sql('SELECT 1')) == [[1]]
    for conn, cursor_id in ids:
        assert not server_holds_cursor(conn, cursor_id)


def test_page_error_surfaces_as_sql_error(client, people, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {}'.format(people), page_size=1)
    # make the server forget the cursor, then ask it for the next page
    assert server_holds_cursor(cursor.connection, cursor.cursor_id)
    next(cursor)
    with pytest.raises(SQLError):
        # page 2 was asked for ahead, with page 1: it may have come before the close
        next(cursor)
        next(cursor)
    assert not cursor.more
    # the rest of the rows are lost: the cursor says so on every later call, never ends
    for _ in range(2):
        with pytest.raises(CursorError) as raised:
            next(cursor)
        assert isinstance(raised.value.__cause__, SQLError)


def test_close_after_the_server_dropped_the_cursor(client, people, server_holds_cursor):
    cursor = client.sql('SELECT id FROM {}'.format(people), page_size=1)
    assert server_holds_cursor(cursor.connection, cursor.cursor_id)
    cursor.close()  # the server answers RESOURCE_DOES_NOT_EXIST, which close() ignores
    assert list(client.sql('SELECT 1')) == [[1]]


def test_cursor_does_not_survive_a_reconnect(fresh_client, people):
    """Resource ids restart with every session: a cursor must never fetch pages of a
    cursor of the new session that happens to get its id."""
    query = 'SELECT id FROM {} ORDER BY id'.format(people)
    cursor = fresh_client.sql(query, page_size=1)
    assert next(cursor) == [0]
    conn = cursor.connection
    conn.close()
    conn.connect()  # the same connection object, a new session
    others = [fresh_client.sql(query, page_size=1) for _ in range(3)]
    assert cursor.cursor_id in {other.cursor_id for other in others} | {cursor.cursor_id}
    # the page asked for ahead may have come before the reconnect: it is the old cursor's
    # (row 1); whatever the next page would be raises
    got = []
    with pytest.raises(ConnectionError):
        while True:
            got.append(next(cursor))
    assert got in ([], [[1]])
    cursor.close()
    assert [len(list(other)) for other in others] == [10, 10, 10]


def test_cursor_of_a_closed_client(fresh_client, people):
    cursor = fresh_client.sql('SELECT id FROM {}'.format(people), page_size=1)
    next(cursor)
    fresh_client.close()
    with pytest.raises(ReconnectError, match='not connected'):
        next(cursor)
    cursor.close()  # the server dropped the cursor with the connection: nothing to do
