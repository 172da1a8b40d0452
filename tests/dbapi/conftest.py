"""Fixtures of the DB-API tests: connections to the single test node."""
import pytest

from pyignite import dbapi


@pytest.fixture(scope='module')
def conn(ignite_node):
    connection = dbapi.connect(ignite_node.host, ignite_node.port)
    yield connection
    connection.close()


@pytest.fixture
def cur(conn):
    cursor = conn.cursor()
    yield cursor
    cursor.close()


@pytest.fixture
def table(cur):
    """A fresh table ``t (id INT PRIMARY KEY, name VARCHAR, score DOUBLE)``."""
    cur.execute('DROP TABLE IF EXISTS t')
    cur.execute('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, score DOUBLE)')
    yield 't'
    cur.execute('DROP TABLE IF EXISTS t')
