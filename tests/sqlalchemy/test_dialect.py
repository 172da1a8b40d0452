"""The ignite dialect beyond reflection: the URL, DDL with Ignite's WITH options, the
merge() upsert, paging with stream_results, the transaction semantics, and what Ignite
lacks giving clear errors."""
import datetime
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pyignite import dbapi
from pyignite.sqlalchemy import IgniteDialect, merge


def test_url_to_connect_arguments():
    url = sa.engine.make_url('ignite://ignite:secret@node1:10900/MYSCHEMA'
                             '?page_size=50&timeout=2.5&use_ssl=true&ssl_ca_certfile=ca.pem')
    args, kwargs = IgniteDialect().create_connect_args(url)
    assert args == []
    assert kwargs == {'host': 'node1', 'port': 10900, 'schema': 'MYSCHEMA',
                      'username': 'ignite', 'password': 'secret', 'page_size': 50,
                      'timeout': 2.5, 'use_ssl': True, 'ssl_ca_certfile': 'ca.pem'}
    assert IgniteDialect().create_connect_args(sa.engine.make_url('ignite://'))[1] == {
        'host': '127.0.0.1', 'port': 10800}


def test_engine_knows_its_sql_engine(engine, sql_engine):
    with engine.connect():
        pass
    assert engine.dialect.sql_engine == sql_engine


def test_create_table_with_ignite_options(engine):
    meta = sa.MetaData()
    table = sa.Table('opts', meta, sa.Column('id', sa.Integer, primary_key=True),
                     sa.Column('v', sa.String(10), nullable=False, server_default='x'),
                     ignite_with={'template': 'replicated', 'cache_name': 'opts_cache'})
    ddl = str(sa.schema.CreateTable(table).compile(dialect=engine.dialect))
    assert ddl.rstrip().endswith('WITH "template=replicated,cache_name=opts_cache"')
    meta.create_all(engine)
    try:
        assert sa.inspect(engine).has_table('opts')
        with engine.connect() as conn:
            conn.execute(table.insert(), [{'id': 1}])
            assert conn.execute(sa.select(table.c.v)).scalar_one() == 'x'
            # the table lives in the cache the options named
            assert conn.exec_driver_sql(
                "SELECT CACHE_NAME FROM SYS.TABLES WHERE TABLE_NAME = 'OPTS'").scalar_one() == \
                'opts_cache'
    finally:
        meta.drop_all(engine)
    assert not sa.inspect(engine).has_table('opts')
    with pytest.raises(sa.exc.CompileError):
        t = sa.Table('bad', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),
                     ignite_with='a="b"')
        sa.schema.CreateTable(t).compile(dialect=engine.dialect)


def test_constraints_ignite_lacks_are_left_out(engine):
    meta = sa.MetaData()
    parent = sa.Table('parent', meta, sa.Column('id', sa.Integer, primary_key=True),
                      sa.Column('code', sa.String(5), unique=True))
    child = sa.Table('child', meta, sa.Column('id', sa.Integer, primary_key=True),
                     sa.Column('parent_id', sa.ForeignKey('parent.id')),
                     sa.Column('n', sa.Integer, sa.CheckConstraint('n > -5')),
                     sa.CheckConstraint('n > 0'), sa.UniqueConstraint('n'))
    ddl = str(sa.schema.CreateTable(child).compile(dialect=engine.dialect))
    assert 'FOREIGN KEY' not in ddl and 'CHECK' not in ddl and 'UNIQUE' not in ddl
    assert 'PRIMARY KEY (id)' in ddl
    meta.create_all(engine)
    try:
        with engine.connect() as conn:
            # nothing enforces what was left out
            conn.execute(child.insert(), [{'id': 1, 'parent_id': 99, 'n': -1}])
            assert conn.execute(sa.select(sa.func.count()).select_from(child)).scalar() == 1
            conn.execute(parent.insert(), [{'id': 1}])
    finally:
        meta.drop_all(engine)


def test_merge_upserts_by_primary_key(engine, sql_engine):
    meta = sa.MetaData()
    table = sa.Table('kv', meta, sa.Column('k', sa.Integer, primary_key=True),
                     sa.Column('v', sa.String(20)), sa.Column('n', sa.Integer))
    meta.create_all(engine)
    try:
        with engine.connect() as conn:
            conn.execute(table.insert(), [{'k': 1, 'v': 'one', 'n': 1}])
            stmt = merge(table).values(k=1, v='uno', n=10)
            sql = str(stmt.compile(dialect=engine.dialect))
            assert sql.startswith('MERGE INTO')
            assert ('USING' in sql) == (sql_engine == 'calcite')
            assert conn.execute(stmt).rowcount == 1
            result = conn.execute(merge(table), [{'k': 2, 'v': 'two', 'n': 2},
                                                 {'k': 1, 'v': 'eins', 'n': 100}])
            assert result.rowcount == 2
            rows = conn.execute(sa.select(table).order_by(table.c.k)).all()
        assert rows == [(1, 'eins', 100), (2, 'two', 2)]
    finally:
        meta.drop_all(engine)
    with pytest.raises(NotImplementedError):
        str(merge(table).values(k=1))  # the default dialect has no MERGE


def test_stream_results_reads_a_page_at_a_time(ignite_node):
    engine = sa.create_engine('ignite://{}:{}/PUBLIC?page_size=100'.format(
        ignite_node.host, ignite_node.port))
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql('DROP TABLE IF EXISTS paged')
            conn.exec_driver_sql('CREATE TABLE paged (id INT PRIMARY KEY, v VARCHAR)')
            conn.exec_driver_sql('INSERT INTO paged (id, v) VALUES (?, ?)',
                                 [(i, 'v') for i in range(1, 1001)])
            result = conn.execute(sa.text('SELECT id FROM paged ORDER BY id'),
                                  execution_options={'stream_results': True,
                                                     'max_row_buffer': 10})
            first = result.fetchmany(5)
            server_side = result.cursor._result
            assert len(server_side._state.rows) <= 101  # one page in memory, not 1,000 rows
            assert server_side.more  # the rest is still on the server
            rest = result.fetchall()
            assert [r[0] for r in first + rest] == list(range(1, 1001))
            conn.exec_driver_sql('DROP TABLE paged')
    finally:
        engine.dispose()


def test_values_round_trip_through_core(engine):
    meta = sa.MetaData()
    table = sa.Table('vals', meta, sa.Column('id', sa.Integer, primary_key=True),
                     sa.Column('n', sa.Numeric(10, 3)), sa.Column('d', sa.Date),
                     sa.Column('t', sa.Time), sa.Column('ts', sa.DateTime),
                     sa.Column('u', sa.Uuid), sa.Column('b', sa.Boolean),
                     sa.Column('bin', sa.LargeBinary))
    meta.create_all(engine)
    value = {'id': 1, 'n': Decimal('12.345'), 'd': datetime.date(2024, 2, 29),
             't': datetime.time(23, 59, 58), 'ts': datetime.datetime(2024, 2, 29, 12, 1, 2, 3000),
             'u': uuid.UUID(int=7), 'b': True, 'bin': b'\x00\xff'}
    try:
        with engine.connect() as conn:
            conn.execute(table.insert(), [value])
            row = conn.execute(sa.select(table)).mappings().one()
            assert dict(row) == value
            assert conn.execute(sa.select(table.c.id).where(table.c.d == value['d'])
                                .where(table.c.u == value['u'])).scalar_one() == 1
    finally:
        meta.drop_all(engine)


def test_autocommit_only(engine):
    with engine.connect() as conn:
        assert conn.get_isolation_level() == 'AUTOCOMMIT'
        with pytest.raises(sa.exc.ArgumentError):
            conn.execution_options(isolation_level='SERIALIZABLE').get_isolation_level()
    with pytest.raises(dbapi.NotSupportedError):
        engine.raw_connection().dbapi_connection.autocommit = False


def test_what_ignite_lacks_is_a_clear_error(engine):
    table = sa.Table('x', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True))
    with pytest.raises(sa.exc.CompileError, match='FOR UPDATE'):
        str(sa.select(table).with_for_update().compile(dialect=engine.dialect))
    with pytest.raises(sa.exc.CompileError, match='sequences'):
        str(sa.select(sa.Sequence('s').next_value()).compile(dialect=engine.dialect))
