"""pandas on Ignite: ``DataFrame.to_sql`` through the SQLAlchemy dialect and ``read_sql`` on
both an engine and a plain DB-API connection."""
import numpy as np
import pytest

pd = pytest.importorskip('pandas')
sa = pytest.importorskip('sqlalchemy')

from sqlalchemy.dialects import registry  # noqa: E402

from pyignite import dbapi  # noqa: E402

registry.register('ignite', 'pyignite.sqlalchemy', 'IgniteDialect')

ROWS = 100_000


@pytest.fixture(scope='module')
def engine(ignite_node):
    eng = sa.create_engine('ignite://{}:{}/PUBLIC'.format(ignite_node.host, ignite_node.port))
    yield eng
    eng.dispose()


def _frame(n):
    """Five columns: int64 (the key), float64, object (str), bool, datetime64[ms]."""
    ids = np.arange(n, dtype='int64')
    return pd.DataFrame({
        'id': ids,
        'score': ids * 0.25,
        'name': ['name-%d' % i for i in range(n)],
        'flag': ids % 3 == 0,
        'ts': pd.Timestamp('2024-01-01') + pd.to_timedelta(ids, unit='s'),
    })


@pytest.mark.slow
def test_to_sql_then_read_sql_gives_an_equal_frame(engine, ignite_node):
    df = _frame(ROWS)
    df['ts'] = df['ts'].astype('datetime64[ms]')  # Ignite keeps timestamps to the ms
    dtype = {'id': sa.BigInteger}
    with engine.connect() as conn:
        conn.exec_driver_sql('DROP TABLE IF EXISTS frame')
    # Ignite tables need a primary key: the table is created first, then appended to
    meta = sa.MetaData()
    sa.Table('frame', meta, sa.Column('id', sa.BigInteger, primary_key=True),
             sa.Column('score', sa.Double), sa.Column('name', sa.String),
             sa.Column('flag', sa.Boolean), sa.Column('ts', sa.DateTime))
    meta.create_all(engine)
    try:
        written = df.to_sql('frame', engine, if_exists='append', index=False, dtype=dtype)
        assert written == ROWS
        back = pd.read_sql('SELECT id, score, name, flag, ts FROM frame ORDER BY id', engine)
        back.columns = [c.lower() for c in back.columns]
        # timestamps come back as datetime64 of pandas' unit for Python datetimes (us):
        # the values are equal, compared at the unit they were written with
        assert back['ts'].dtype.kind == 'M'
        back['ts'] = back['ts'].astype('datetime64[ms]')
        assert dict(back.dtypes.astype(str)) == {
            'id': 'int64', 'score': 'float64', 'name': df['name'].dtype.name, 'flag': 'bool',
            'ts': 'datetime64[ms]'}
        pd.testing.assert_frame_equal(back, df)
        # and on a plain DB-API connection (pandas warns it is not SQLAlchemy; fine)
        with dbapi.connect(ignite_node.host, ignite_node.port) as conn:
            with pytest.warns(UserWarning):
                raw = pd.read_sql('SELECT id, name FROM frame WHERE id < 1000 ORDER BY id',
                                  conn)
        assert list(raw.columns) == ['ID', 'NAME'] and len(raw) == 1000
        assert raw['ID'].tolist() == list(range(1000))
    finally:
        meta.drop_all(engine)


def test_to_sql_creating_the_table(engine, sql_engine):
    """``to_sql`` on a missing table has pandas write a CREATE TABLE without a primary key:
    the Calcite engine gives such a table a hidden key of its own, the H2 engine refuses it
    with a clear error (create the table first, as above)."""
    df = _frame(10)
    df['ts'] = df['ts'].astype('datetime64[ms]')
    with engine.connect() as conn:
        conn.exec_driver_sql('DROP TABLE IF EXISTS nokey')
    try:
        if sql_engine == 'h2':
            with pytest.raises(sa.exc.DBAPIError, match='(?i)primary key') as info:
                df.to_sql('nokey', engine, index=False)
            assert isinstance(info.value.orig, dbapi.ProgrammingError)
            return
        assert df.to_sql('nokey', engine, index=False) == 10
        back = pd.read_sql('SELECT id, score, name, flag, ts FROM nokey ORDER BY id', engine)
        back.columns = [c.lower() for c in back.columns]
        back['ts'] = back['ts'].astype('datetime64[ms]')
        pd.testing.assert_frame_equal(back, df)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql('DROP TABLE IF EXISTS nokey')
