"""Reflection of the documentation's SQL example tables (City, Country, CountryLanguage),
created by the same DDL as ``examples/sql.py``."""
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import types as st

from pyignite.sqlalchemy import TINYINT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'examples'))
from helpers.sql_helper import Query  # noqa: E402

DDL = [Query.COUNTRY_CREATE_TABLE, Query.CITY_CREATE_TABLE, Query.LANGUAGE_CREATE_TABLE,
       Query.CITY_CREATE_INDEX, Query.LANGUAGE_CREATE_INDEX]


@pytest.fixture(scope='module')
def world(engine):
    with engine.connect() as conn:
        for name in ('City', 'CountryLanguage', 'Country'):
            conn.exec_driver_sql('DROP TABLE IF EXISTS ' + name)
        for sql in DDL:
            conn.exec_driver_sql(sql)
    yield sa.inspect(engine)
    with engine.connect() as conn:
        for name in ('City', 'CountryLanguage', 'Country'):
            conn.exec_driver_sql('DROP TABLE ' + name)


def _types(inspector, table):
    return {c['name']: c for c in inspector.get_columns(table)}


def test_tables_and_schemas(world):
    assert {'city', 'country', 'countrylanguage'} <= set(world.get_table_names())
    assert {'public', 'sys'} <= set(world.get_schema_names())
    assert world.has_table('city') and world.has_table('CITY')
    assert not world.has_table('no_such_table')


def test_city_columns_keys_and_index(world):
    columns = world.get_columns('city')
    assert [c['name'] for c in columns] == ['id', 'name', 'countrycode', 'district',
                                            'population']
    by = {c['name']: c for c in columns}
    assert isinstance(by['id']['type'], st.INTEGER)
    # Ignite keeps CHAR(n) as a string of at most n characters
    assert isinstance(by['name']['type'], st.VARCHAR) and by['name']['type'].length == 35
    assert by['countrycode']['type'].length == 3
    assert isinstance(by['population']['type'], st.INTEGER)
    assert world.get_pk_constraint('city')['constrained_columns'] == ['id', 'countrycode']
    assert world.get_foreign_keys('city') == []
    indexes = {i['name']: i for i in world.get_indexes('city')}
    assert indexes['idx_country_code']['column_names'] == ['countrycode']
    assert indexes['idx_country_code']['unique'] is False


def test_country_types(world):
    by = _types(world, 'country')
    assert world.get_pk_constraint('country')['constrained_columns'] == ['code']
    assert isinstance(by['surfacearea']['type'], st.DECIMAL)
    assert (by['surfacearea']['type'].precision, by['surfacearea']['type'].scale) == (10, 2)
    assert (by['lifeexpectancy']['type'].precision, by['lifeexpectancy']['type'].scale) == (3, 1)
    assert isinstance(by['indepyear']['type'], st.SMALLINT)
    assert isinstance(by['capital']['type'], st.INTEGER)
    assert by['code2']['type'].length == 2
    assert by['code']['nullable'] is False
    assert by['name']['nullable'] is True


def test_country_language(world):
    by = _types(world, 'countrylanguage')
    assert isinstance(by['isofficial']['type'], st.BOOLEAN)
    assert (by['percentage']['type'].precision, by['percentage']['type'].scale) == (4, 1)
    assert world.get_pk_constraint('countrylanguage')['constrained_columns'] == [
        'countrycode', 'language']
    assert [i['column_names'] for i in world.get_indexes('countrylanguage')] == [
        ['countrycode']]


def test_reflected_table_queries(engine, world):
    meta = sa.MetaData()
    city = sa.Table('city', meta, autoload_with=engine)
    country = sa.Table('country', meta, autoload_with=engine)
    with engine.connect() as conn:
        conn.execute(country.insert(), [{'code': 'NLD', 'name': 'Netherlands',
                                         'surfacearea': Decimal('41526.00')}])
        conn.execute(city.insert(), [
            {'id': 5, 'name': 'Amsterdam', 'countrycode': 'NLD', 'population': 731200},
            {'id': 6, 'name': 'Rotterdam', 'countrycode': 'NLD', 'population': 593321}])
        rows = conn.execute(
            sa.select(city.c.name, country.c.surfacearea)
            .join(country, city.c.countrycode == country.c.code)
            .order_by(city.c.population.desc())).all()
    assert rows == [('Amsterdam', Decimal('41526.00')), ('Rotterdam', Decimal('41526.00'))]


def test_every_type_round_trips(engine):
    """Types both ways: what a Table declares is what reflection gives back."""
    meta = sa.MetaData()
    sa.Table(
        't_types', meta, sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('ti', TINYINT), sa.Column('si', sa.SmallInteger), sa.Column('bi', sa.BigInteger),
        sa.Column('r', sa.REAL), sa.Column('d', sa.Double), sa.Column('n', sa.Numeric(12, 3)),
        sa.Column('b', sa.Boolean), sa.Column('s', sa.String(40)), sa.Column('t', sa.Text),
        sa.Column('dt', sa.Date), sa.Column('tm', sa.Time), sa.Column('ts', sa.DateTime),
        sa.Column('u', sa.Uuid), sa.Column('bin', sa.LargeBinary))
    meta.create_all(engine)
    try:
        got = {c['name']: c['type'] for c in sa.inspect(engine).get_columns('t_types')}
    finally:
        meta.drop_all(engine)
    expected = {'id': st.INTEGER, 'ti': TINYINT, 'si': st.SMALLINT, 'bi': st.BIGINT,
                'r': st.REAL, 'd': st.DOUBLE, 'n': st.DECIMAL, 'b': st.BOOLEAN,
                's': st.VARCHAR, 't': st.VARCHAR, 'dt': st.DATE, 'tm': st.TIME,
                'ts': st.TIMESTAMP, 'u': st.UUID, 'bin': st.VARBINARY}
    assert {k: type(v) for k, v in got.items()} == expected
    assert (got['n'].precision, got['n'].scale, got['s'].length) == (12, 3, 40)
