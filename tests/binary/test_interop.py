"""Byte compatibility with Java: objects written by the server's SQL engine (Java's binary
writer) against objects written by this client.
"""
import uuid
from collections import OrderedDict
from datetime import date

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import encoder as _encoder
from pyignite.datatypes import IntObject, SqlDate, String

from ._helpers import raw_get, sql, unique, unwrap_raw

COMPACT = 0x20


@pytest.fixture
def table(client):
    """A table with a composite primary key, and its key and value type names."""
    suffix = uuid.uuid4().hex[:10].upper()
    name = 'T_' + suffix
    key_type, value_type = 'TKey_' + suffix, 'TVal_' + suffix
    sql(client, 'CREATE TABLE {} (a INT, b VARCHAR, v VARCHAR, PRIMARY KEY (a, b)) WITH '
                '"key_type={},value_type={}"'.format(name, key_type, value_type))
    yield name, key_type, value_type
    sql(client, 'DROP TABLE {}'.format(name))


def key_class(key_type):
    # SQL upper-cases unquoted names: the fields are A and B
    return GenericObjectMeta('TKey', (), {}, type_name=key_type,
                             schema=OrderedDict([('A', IntObject), ('B', String)]))


def value_class(value_type):
    return GenericObjectMeta('TVal', (), {}, type_name=value_type,
                             schema=OrderedDict([('V', String)]))


def test_java_row_reencodes_to_identical_bytes(client, sql_engine):
    """A row written by Java, decoded and encoded again, gives Java's bytes (hash included)."""
    name, value_type = 'TYPES_' + uuid.uuid4().hex[:10].upper(), unique('TypesVal')
    sql(client, 'CREATE TABLE {} (id INT PRIMARY KEY, b TINYINT, s SMALLINT, i INT, l BIGINT, '
                'r REAL, d DOUBLE, bo BOOLEAN, v VARCHAR, u UUID, dec DECIMAL(10, 3), dt DATE, '
                'tm TIME, ts TIMESTAMP, bin VARBINARY, ch CHAR(3)) WITH "value_type={}"'.format(
                    name, value_type))
    try:
        sql(client, "INSERT INTO {} VALUES (1, -3, 300, 70000, 123456789012, 1.5, -2.25, TRUE, "
                    "'héllo', '123e4567-e89b-12d3-a456-426614174000', 12.345, '2020-01-02', "
                    "'03:04:05', '2020-01-02 03:04:05.123456789', X'00ff10', 'abc')".format(name))
        sql(client, 'INSERT INTO {} (id, v) VALUES (2, NULL)'.format(name))
        cache = client.get_cache('SQL_PUBLIC_' + name)
        for key in (1, 2):
            java_bytes = unwrap_raw(raw_get(client, cache, key, IntObject))
            value = cache.get(key, key_hint=IntObject)
            assert value.type_name == value_type
            ours = bytearray()
            _encoder.write(ours, value, None, client._session.binary)
            assert bytes(ours) == java_bytes
        row = cache.get(1, key_hint=IntObject)
        # H2 keeps the nanoseconds of a TIMESTAMP, Calcite only the milliseconds
        nanos = 456789 if sql_engine == 'h2' else 0
        assert (row.L, row.V, row.TS[1], row.BIN) == (123456789012, 'héllo', nanos, b'\0\xff\x10')
        # a SQL DATE is a java.sql.Date (written by Java's optimized marshaller): a date
        assert isinstance(row.DT, SqlDate) and row.DT == date(2020, 1, 2)
        # writing the row back keeps it readable by SQL, DATE included
        row.V = 'changed'
        cache.put(1, row, key_hint=IntObject)
        assert sql(client, 'SELECT v, dt, ts FROM {} WHERE id = 1'.format(name))[0][:1] == \
            ['changed']
        assert str(sql(client, 'SELECT CAST(dt AS VARCHAR) FROM {} WHERE id = 1'.format(
            name))[0][0]) == '2020-01-02'
    finally:
        sql(client, 'DROP TABLE {}'.format(name))


def test_sql_insert_then_get_by_key_object(client, table):
    name, key_type, value_type = table
    sql(client, "INSERT INTO {} (a, b, v) VALUES (1, 'x', 'from sql')".format(name))
    cache = client.get_cache('SQL_PUBLIC_' + name)
    TKey = key_class(key_type)
    got = cache.get(TKey(A=1, B='x'))
    assert got.type_name == value_type and got.V == 'from sql'
    assert cache.get(TKey(A=1, B='y')) is None


def test_put_by_key_object_then_select(client, table):
    name, key_type, value_type = table
    cache = client.get_cache('SQL_PUBLIC_' + name)
    TKey, TVal = key_class(key_type), value_class(value_type)
    cache.put(TKey(A=7, B='seven'), TVal(V='from kv'))
    assert sql(client, 'SELECT a, b, v FROM {}'.format(name)) == [[7, 'seven', 'from kv']]
    # the same logical key from SQL hits the same entry
    sql(client, "UPDATE {} SET v = 'updated' WHERE a = 7 AND b = 'seven'".format(name))
    assert cache.get(TKey(A=7, B='seven')) == TVal(V='updated')
    assert cache.get_size() == 1


@pytest.mark.parametrize('length', [226, 227, 65506, 65507, 70000])
def test_offset_width_thresholds_match_java(client, length):
    """The footer width follows the LAST field's offset with Java's thresholds: the key's
    second field starts at 29 + length, i.e. 255/256 (1 or 2 bytes), 65535/65536 (2 or 4).
    """
    suffix = uuid.uuid4().hex[:10].upper()
    name, key_type = 'W_' + suffix, 'WKey_' + suffix
    sql(client, 'CREATE TABLE {} (b VARCHAR, a INT, v INT, PRIMARY KEY (b, a)) WITH '
                '"key_type={}"'.format(name, key_type))
    try:
        text = 'k' * length
        sql(client, 'INSERT INTO {} (b, a, v) VALUES (?, ?, ?)'.format(name), [text, 1, 42])
        WKey = GenericObjectMeta('WKey', (), {}, type_name=key_type,
                                 schema=OrderedDict([('B', String), ('A', IntObject)]))
        cache = client.get_cache('SQL_PUBLIC_' + name)
        assert cache.get(WKey(B=text, A=1)).V == 42
    finally:
        sql(client, 'DROP TABLE {}'.format(name))


def test_full_footer_key_is_another_key(client, table, ignite_node, connect):
    """What the server does with a full-footer key (Client(compact_footer=False)) for a row
    whose key SQL wrote with a compact footer: the bytes differ, so the cache sees another
    key. A get misses, and a put adds a second cache entry for the same (a, b), while the SQL
    primary-key index keeps one row, the latest written.
    """
    name, key_type, value_type = table
    sql(client, "INSERT INTO {} (a, b, v) VALUES (1, 'x', 'compact')".format(name))
    TKey, TVal = key_class(key_type), value_class(value_type)
    full = connect(ignite_node, compact_footer=False)
    try:
        full_cache = full.get_cache('SQL_PUBLIC_' + name)
        assert full_cache.get(TKey(A=1, B='x')) is None
        assert not full_cache.contains_key(TKey(A=1, B='x'))
        full_cache.put(TKey(A=1, B='x'), TVal(V='full'))
        assert full_cache.get(TKey(A=1, B='x')) == TVal(V='full')
        cache = client.get_cache('SQL_PUBLIC_' + name)
        assert cache.get(TKey(A=1, B='x')).V == 'compact'
        assert cache.get_size() == 2
        assert sql(client, 'SELECT a, b, v FROM {}'.format(name)) == [[1, 'x', 'full']]
        # a full-footer key written and read by full-footer clients works on its own
        full_cache.put(TKey(A=2, B='y'), TVal(V='two'))
        assert full_cache.get(TKey(A=2, B='y')) == TVal(V='two')
        assert sql(client, 'SELECT v FROM {} WHERE a = 2'.format(name)) == [['two']]
    finally:
        full.close()


@pytest.mark.parametrize('setting, compact', [(None, True), (True, True), (False, False)])
def test_compact_footer_setting(ignite_node, client, cache, setting, compact, connect):
    """None follows the server (compact by default), True/False force the footer mode."""
    Thing = GenericObjectMeta('Thing', (), {}, type_name=unique('Thing'),
                              schema={'n': IntObject, 's': String})
    writer = connect(ignite_node, compact_footer=setting)
    try:
        assert writer.compact_footer is setting
        writer.get_cache(cache.name).put(1, Thing(5, 'five'))
        if setting is None:
            assert writer._session.binary.server_compact_footer is True
    finally:
        writer.close()
    stored = unwrap_raw(raw_get(client, cache, 1))
    flags = int.from_bytes(stored[2:4], 'little')
    assert bool(flags & COMPACT) is compact
    # every client reads either form
    got = cache.get(1)
    assert got.type_name == Thing.type_name and (got.n, got.s) == (5, 'five')
