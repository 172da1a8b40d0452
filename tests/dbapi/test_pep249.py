"""PEP 249 conformance of pyignite.dbapi against a real node: module globals, connect,
Connection, Cursor, the exception hierarchy, type objects and constructors, and the honest
transaction semantics."""
import datetime
import threading
import uuid
from decimal import Decimal

import pytest

from pyignite import Client, dbapi
from pyignite.dbapi import _statements


# --- module interface -----------------------------------------------------------------------

def test_module_globals():
    assert dbapi.apilevel == '2.0'
    assert dbapi.threadsafety == 2
    assert dbapi.paramstyle == 'qmark'


def test_exception_hierarchy():
    e = dbapi
    assert issubclass(e.Warning, Exception) and issubclass(e.Error, Exception)
    assert not issubclass(e.Warning, e.Error)
    assert issubclass(e.InterfaceError, e.Error) and issubclass(e.DatabaseError, e.Error)
    for name in ('DataError', 'OperationalError', 'IntegrityError', 'InternalError',
                 'ProgrammingError', 'NotSupportedError'):
        assert issubclass(getattr(e, name), e.DatabaseError)
        assert getattr(e.Connection, name) is getattr(e, name)  # the optional extension


def test_type_objects_and_constructors():
    assert dbapi.Date(2024, 2, 29) == datetime.date(2024, 2, 29)
    assert dbapi.Time(12, 30, 1) == datetime.time(12, 30, 1)
    assert dbapi.Timestamp(2024, 2, 29, 12) == datetime.datetime(2024, 2, 29, 12)
    assert dbapi.Binary(b'ab') == b'ab'
    ticks = 1700000000
    assert dbapi.TimestampFromTicks(ticks) == datetime.datetime.fromtimestamp(ticks)
    assert dbapi.DateFromTicks(ticks) == datetime.date.fromtimestamp(ticks)
    assert dbapi.TimeFromTicks(ticks) == datetime.datetime.fromtimestamp(ticks).time()
    assert dbapi.STRING == 'VARCHAR' and dbapi.NUMBER == 'BIGINT' and dbapi.NUMBER != 'VARCHAR'
    assert dbapi.DATETIME == 'TIMESTAMP' and dbapi.BINARY == 'VARBINARY'
    assert dbapi.ROWID != 'INTEGER'


# --- connect --------------------------------------------------------------------------------

def test_connect_and_close(ignite_node):
    conn = dbapi.connect(ignite_node.host, ignite_node.port, schema='PUBLIC', page_size=10,
                         timeout=30)
    assert conn.autocommit is True
    with conn.cursor() as cur:
        cur.execute('SELECT 1')
        assert cur.fetchall() == [[1]]
    conn.close()
    conn.close()  # twice is allowed
    assert conn.closed
    with pytest.raises(dbapi.InterfaceError):
        conn.cursor()
    with pytest.raises(dbapi.InterfaceError):
        cur.execute('SELECT 1')


def test_connect_to_a_node_list_and_an_existing_client(ignite_node):
    with dbapi.connect(nodes=[(ignite_node.host, 1), (ignite_node.host, ignite_node.port)],
                       partition_aware=False) as conn:
        cur = conn.cursor()
        cur.execute('SELECT 2')
        assert cur.fetchone() == [2]
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        conn = dbapi.connect(client=client)
        assert conn.client is client
        conn.close()
        # the client was the caller's: it stays open
        assert list(client.sql('SELECT 3')) == [[3]]
        with pytest.raises(dbapi.ProgrammingError, match='timeout'):
            dbapi.connect(client=client, timeout=5)


def test_connect_failures(ignite_node):
    with pytest.raises(dbapi.OperationalError):
        dbapi.connect(ignite_node.host, 1, handshake_timeout=2)
    with pytest.raises(dbapi.ProgrammingError):
        dbapi.connect(ignite_node.host, ignite_node.port, no_such_option=1)
    with pytest.raises(dbapi.ProgrammingError):
        dbapi.connect(ignite_node.host, ignite_node.port, page_size=0)


def test_context_manager_closes(ignite_node):
    with dbapi.connect(ignite_node.host, ignite_node.port) as conn:
        cur = conn.cursor()
    assert conn.closed
    with pytest.raises(dbapi.InterfaceError):
        cur.fetchall()


# --- transactions: honest semantics ---------------------------------------------------------

def test_autocommit_false_is_refused(ignite_node, conn):
    with pytest.raises(dbapi.NotSupportedError, match='feature 18'):
        dbapi.connect(ignite_node.host, ignite_node.port, autocommit=False)
    with pytest.raises(dbapi.NotSupportedError):
        conn.autocommit = False
    conn.autocommit = True
    assert conn.autocommit is True


def test_autocommit_off_runs_statements_in_a_transaction(tx_sql_node, sql_engine):
    """On a server with transaction-aware queries, autocommit=False means a real
    transaction: another connection sees nothing until commit, rollback and close undo.
    The H2 engine (2.17) refuses SQL in transactions: a clear error, no fake commit."""
    table = 'DBAPI_TX_' + uuid.uuid4().hex[:8].upper()
    admin = dbapi.connect(tx_sql_node.host, tx_sql_node.port)
    seen = admin.cursor()

    def visible():
        seen.execute('SELECT id FROM {} ORDER BY id'.format(table))
        return [row[0] for row in seen.fetchall()]

    try:
        seen.execute('CREATE TABLE {} (id INT PRIMARY KEY, name VARCHAR) '
                     'WITH "ATOMICITY=TRANSACTIONAL"'.format(table))
        conn = dbapi.connect(tx_sql_node.host, tx_sql_node.port, autocommit=False)
        assert conn.autocommit is False
        cur = conn.cursor()
        insert = 'INSERT INTO {} (id, name) VALUES (?, ?)'.format(table)
        if sql_engine == 'h2':
            with pytest.raises(dbapi.NotSupportedError, match='not supported'):
                cur.execute(insert, [1, 'a'])
            conn.close()
            assert visible() == []
            return
        cur.execute(insert, [1, 'a'])
        cur.execute('SELECT id FROM {}'.format(table))
        assert [row[0] for row in cur.fetchall()] == [1]  # its own writes, inside
        assert visible() == []
        conn.rollback()
        assert visible() == []
        cur.execute(insert, [2, 'b'])
        cur.executemany(insert, [[3, 'c'], [4, 'd']])
        assert visible() == []
        conn.commit()
        assert visible() == [2, 3, 4]
        cur.execute(insert, [5, 'e'])
        conn.autocommit = True  # turning it back on commits what is pending
        assert visible() == [2, 3, 4, 5]
        cur.execute(insert, [6, 'f'])  # autocommit: at once
        assert visible() == [2, 3, 4, 5, 6]
        conn.autocommit = False
        cur.execute(insert, [7, 'g'])
        conn.close()  # closing without a commit rolls back
        assert visible() == [2, 3, 4, 5, 6]
    finally:
        seen.execute('DROP TABLE IF EXISTS {}'.format(table))
        admin.close()


def test_commit_and_rollback_have_nothing_pending(conn, cur, table):
    cur.execute('INSERT INTO t (id, name) VALUES (1, ?)', ['a'])
    conn.rollback()  # the insert committed when it ran: nothing to undo
    conn.commit()
    cur.execute('SELECT name FROM t')
    assert cur.fetchall() == [['a']]


# --- cursor: execute, description, rowcount --------------------------------------------------

def test_dml_rowcount_and_no_description(cur, table):
    assert cur.rowcount == -1 and cur.description is None
    cur.execute('INSERT INTO t (id, name, score) VALUES (?, ?, ?), (?, ?, ?)',
                [1, 'a', 1.5, 2, 'b', 2.5])
    assert cur.rowcount == 2 and cur.description is None
    cur.execute('UPDATE t SET score = score + 1 WHERE id > ?', (0,))
    assert cur.rowcount == 2
    cur.execute('DELETE FROM t WHERE id = 2')
    assert cur.rowcount == 1
    cur.execute('DELETE FROM t WHERE id = 99')
    assert cur.rowcount == 0
    with pytest.raises(dbapi.ProgrammingError):
        cur.fetchone()  # no result set
    assert cur.lastrowid is None


def test_ddl_has_neither_rowcount_nor_description(cur, table):
    cur.execute('CREATE INDEX t_name ON t (name)')
    assert cur.rowcount == -1 and cur.description is None


def test_description_names_and_type_codes(cur, table):
    cur.execute('DROP TABLE IF EXISTS typed')
    cur.execute('CREATE TABLE typed (id INT PRIMARY KEY, s VARCHAR, d DECIMAL(10, 2), '
                'ts TIMESTAMP, dt DATE, tm TIME, b BOOLEAN, bi BIGINT, bin VARBINARY, '
                'u UUID, db DOUBLE, n VARCHAR)')
    try:
        u = uuid.uuid4()
        cur.execute('INSERT INTO typed (id, s, d, ts, dt, tm, b, bi, bin, u, db) '
                    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                    [1, 'x', Decimal('1.25'), dbapi.Timestamp(2020, 1, 2, 3, 4, 5, 123000),
                     dbapi.Date(2020, 1, 2), dbapi.Time(3, 4, 5), True, 2 ** 40,
                     dbapi.Binary(b'ab'), u, 2.5])
        cur.execute('SELECT id, s, d, ts, dt, tm, b, bi, bin, u, db, n AS nothing FROM typed')
        desc = cur.description
        assert [d[0] for d in desc] == ['ID', 'S', 'D', 'TS', 'DT', 'TM', 'B', 'BI', 'BIN',
                                        'U', 'DB', 'NOTHING']
        assert all(len(d) == 7 for d in desc)
        codes = [d[1] for d in desc]
        assert codes == ['INTEGER', 'VARCHAR', 'DECIMAL', 'TIMESTAMP', 'DATE', 'TIME',
                         'BOOLEAN', 'BIGINT', 'VARBINARY', 'UUID', 'DOUBLE', 'NULL']
        assert [c == dbapi.NUMBER for c in codes[:3]] == [True, False, True]
        assert codes[3] == dbapi.DATETIME and codes[4] == dbapi.DATETIME
        assert codes[5] == dbapi.DATETIME and codes[8] == dbapi.BINARY
        assert codes[1] == dbapi.STRING
        row = cur.fetchone()
        assert row == [1, 'x', Decimal('1.25'), datetime.datetime(2020, 1, 2, 3, 4, 5, 123000),
                       datetime.date(2020, 1, 2), datetime.time(3, 4, 5), True, 2 ** 40,
                       b'ab', u, 2.5, None]
    finally:
        cur.execute('DROP TABLE typed')


# --- cursor: fetching -----------------------------------------------------------------------

def _fill(cur, n):
    cur.executemany('INSERT INTO t (id, name, score) VALUES (?, ?, ?)',
                    [(i, 'n%d' % i, i / 2) for i in range(n)])


def test_fetchone_fetchmany_fetchall_and_arraysize(conn, table):
    cur = conn.cursor()
    _fill(cur, 25)
    conn.page_size = 4  # many pages
    try:
        cur.execute('SELECT id FROM t ORDER BY id')
        assert cur.fetchone() == [0]
        assert cur.arraysize == 1
        assert cur.fetchmany() == [[1]]
        cur.arraysize = 3
        assert cur.fetchmany() == [[2], [3], [4]]
        assert cur.fetchmany(6) == [[i] for i in range(5, 11)]
        assert cur.fetchall() == [[i] for i in range(11, 25)]
        assert cur.fetchone() is None
        assert cur.fetchmany(5) == [] and cur.fetchall() == []
    finally:
        conn.page_size = 1024


def test_iteration_and_reexecute(cur, table):
    _fill(cur, 5)
    cur.execute('SELECT id FROM t ORDER BY id')
    assert [row[0] for row in cur] == [0, 1, 2, 3, 4]
    cur.execute('SELECT id FROM t WHERE id < ? ORDER BY id', [2])  # a new result set
    assert cur.fetchall() == [[0], [1]]


def test_executemany_batches_and_counts(conn, cur, table):
    rows = [(i, 'n%d' % i, float(i)) for i in range(1000)]
    cur.executemany('INSERT INTO t (id, name, score) VALUES (?, ?, ?)', rows)
    assert cur.rowcount == 1000
    cur.execute('SELECT COUNT(*), SUM(id) FROM t')
    assert cur.fetchone() == [1000, sum(range(1000))]
    # a statement whose parameters are not all in the VALUES row runs row by row
    cur.executemany('UPDATE t SET name = ? WHERE id = ?', [('x', 1), ('y', 2), ('z', 5000)])
    assert cur.rowcount == 2
    cur.executemany('INSERT INTO t (id, name) VALUES (?, ?)', [])
    assert cur.rowcount == 0
    with pytest.raises(dbapi.ProgrammingError, match='2 parameters'):
        cur.executemany('INSERT INTO t (id, name) VALUES (?, ?)', [(1, 'a', 'extra')])


def test_setinputsizes_setoutputsize_and_close(conn):
    cur = conn.cursor()
    cur.setinputsizes([10, None])
    cur.setoutputsize(100)
    cur.setoutputsize(100, 0)
    cur.execute('SELECT 1')
    cur.close()
    cur.close()
    with pytest.raises(dbapi.InterfaceError):
        cur.fetchone()
    with pytest.raises(dbapi.InterfaceError):
        cur.execute('SELECT 1')


def test_closing_a_cursor_mid_result_releases_the_server_cursor(conn, table):
    cur = conn.cursor()
    _fill(cur, 50)
    conn.page_size = 5
    try:
        cur.execute('SELECT id FROM t')
        assert len(cur.fetchmany(7)) == 7
        result = cur._result
        assert result.more  # the server holds the rest
        cur.close()
        assert not result.more
    finally:
        conn.page_size = 1024


def test_closing_the_connection_closes_its_cursors(ignite_node):
    conn = dbapi.connect(ignite_node.host, ignite_node.port)
    cur = conn.cursor()
    conn.close()
    with pytest.raises(dbapi.InterfaceError):
        cur.execute('SELECT 1')


# --- errors ---------------------------------------------------------------------------------

def test_server_errors_map_to_pep249_classes(cur, table, sql_engine):
    cur.execute('INSERT INTO t (id, name) VALUES (1, ?)', ['a'])
    with pytest.raises(dbapi.IntegrityError) as info:
        cur.execute('INSERT INTO t (id, name) VALUES (1, ?)', ['dup'])
    assert info.value.sqlstate.startswith('23') and info.value.status is not None
    with pytest.raises(dbapi.ProgrammingError) as info:
        cur.execute('SELECT * FROM no_such_table')
    assert info.value.sqlstate == '42000'
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute('SELEC 1')
    # a wrong parameter count: Calcite says 42000, H2 only its generic 50000
    with pytest.raises(dbapi.ProgrammingError if sql_engine == 'calcite'
                       else dbapi.InternalError, match='(?i)parameters'):
        cur.execute('SELECT * FROM t WHERE id = ?', [])
    with pytest.raises(dbapi.NotSupportedError):
        cur.execute('SELECT 1; SELECT 2')
    # the connection is still good
    cur.execute('SELECT name FROM t')
    assert cur.fetchall() == [['a']]


def test_bad_parameters_are_programming_errors(cur):
    with pytest.raises(dbapi.ProgrammingError, match='qmark'):
        cur.execute('SELECT ?', {'a': 1})
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute('SELECT ?', [object()])
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute(b'SELECT 1')
    with pytest.raises(dbapi.ProgrammingError):
        cur.fetchmany(-1)
    cur.execute('SELECT ?', [5])
    assert cur.fetchall() == [[5]]


def test_translate_keeps_the_cause():
    from pyignite.exceptions import ParseError, SQLError
    err = dbapi.translate(SQLError('22018: bad number', status=1))
    assert type(err) is dbapi.DataError and err.sqlstate == '22018' and err.status == 1
    assert type(dbapi.translate(ParseError('x'))) is dbapi.InterfaceError
    assert type(dbapi.translate(ConnectionResetError())) is dbapi.OperationalError


# --- threads --------------------------------------------------------------------------------

def test_a_connection_is_shared_between_threads(conn, table):
    cur = conn.cursor()
    _fill(cur, 100)
    results, errors = [], []

    def work(start):
        try:
            with conn.cursor() as own:
                for i in range(start, start + 20):
                    own.execute('SELECT name FROM t WHERE id = ?', [i])
                    results.append(own.fetchone()[0] == 'n%d' % i)
        except Exception as e:  # pragma: no cover (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k * 20,)) for k in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and results == [True] * 100


# --- statement classification (no server) ---------------------------------------------------

@pytest.mark.parametrize('sql, kind', [
    ('SELECT 1', 'query'), ('  (SELECT 1)', 'query'), ('/* c */ -- x\n with a as (select 1) '
                                                       'select * from a', 'query'),
    ('insert into t values (1)', 'dml'), ('MERGE INTO t', 'dml'), ('update t set a=1', 'dml'),
    ('CREATE TABLE t', 'other'), ('', 'other'),
])
def test_statement_kind(sql, kind):
    assert _statements.kind(sql) == kind


@pytest.mark.parametrize('sql, expected', [
    ('INSERT INTO t (a, b) VALUES (?, ?)', ('INSERT INTO t (a, b) VALUES ', '(?, ?)', 2)),
    ("insert into t values (?, 'it''s ?', ?);", ('insert into t values ', "(?, 'it''s ?', ?)", 2)),
    ('INSERT INTO t (a) SELECT ? FROM x', None),
    ('INSERT INTO t (a, b) VALUES (?, ?), (?, ?)', None),
    ('UPDATE t SET a = ?', None),
    ('INSERT INTO t (a) VALUES (1)', None),
])
def test_values_template(sql, expected):
    assert _statements.values_template(sql) == expected
