"""Complex objects against a node configured with ``compactFooter=false``.

Such a node (layout ``full-footer``) writes every binary object with a full schema footer
(field id and offset per field), SQL rows included. A client left at ``compact_footer=None``
must learn that before it sends its first object: a key is found by its bytes, so a key the
client writes with another footer than the server's is another key.
"""
import uuid
from collections import OrderedDict, namedtuple
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import encoder as _encoder
from pyignite._codec.ids import entity_id
from pyignite.datatypes import (
    BoolObject, DoubleObject, IntArrayObject, IntObject, LongObject, String, StringArrayObject,
    TimestampObject, UUIDObject,
)

from ._helpers import raw_get, sql, unique, unwrap_raw

COMPACT_FOOTER = 0x20
HAS_SCHEMA = 0x02
OFFSET_ONE_BYTE = 0x08
OFFSET_TWO_BYTES = 0x10

Table = namedtuple('Table', 'name cache_name Key Value')


def footer(obj: bytes) -> list:
    """``(field id, offset)`` pairs of a complex object's full footer, read straight from
    its header (protocol data format 2.1-2.4); fails on a compact footer."""
    assert obj[0] == 0x67, obj[:1]
    flags = int.from_bytes(obj[2:4], 'little')
    assert flags & HAS_SCHEMA, hex(flags)
    assert not flags & COMPACT_FOOTER, 'compact footer, flags {:#x}'.format(flags)
    length = int.from_bytes(obj[12:16], 'little')
    start = int.from_bytes(obj[20:24], 'little')
    width = 1 if flags & OFFSET_ONE_BYTE else 2 if flags & OFFSET_TWO_BYTES else 4
    entries = obj[start:length]
    assert len(entries) % (4 + width) == 0, (len(entries), width)
    return [(int.from_bytes(entries[i:i + 4], 'little', signed=True),
             int.from_bytes(entries[i + 4:i + 4 + width], 'little'))
            for i in range(0, len(entries), 4 + width)]


def field_ids(obj: bytes) -> list:
    return [field_id for field_id, _ in footer(obj)]


def ids_of(*names) -> list:
    return [entity_id(name) for name in names]


def plain(value):
    """A complex object as ``(type name, ((field, value), ...))``, nested ones too: a client
    builds its own class for a type it did not write, and objects of two classes never
    compare equal."""
    if isinstance(type(value), GenericObjectMeta):
        return value.type_name, tuple((name, plain(getattr(value, name)))
                                      for name in type(value)._field_names)
    return value


def plain_items(mapping: dict) -> dict:
    return {plain(key): plain(value) for key, value in mapping.items()}


@pytest.fixture(scope='module')
def ff_client(connect, full_footer_node):
    """A client of the full-footer node for set-up and for reading what others wrote."""
    client = connect(full_footer_node)
    yield client
    client.close()


@pytest.fixture
def fresh(connect, full_footer_node):
    """A client of its own, ``compact_footer=None``: it has not asked the server anything."""
    client = connect(full_footer_node)
    yield client
    client.close()


@pytest.fixture
def forced(connect, full_footer_node):
    """``forced(mode)``: a client of the node with ``compact_footer=mode``."""
    clients = []

    def make(mode):
        clients.append(connect(full_footer_node, compact_footer=mode))
        return clients[-1]
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def cache(ff_client):
    cache = ff_client.create_cache(unique('ff-cache'))
    yield cache
    cache.destroy()


@pytest.fixture
def table(ff_client):
    """A SQL table with a composite primary key (a, b) and key/value classes that match it."""
    suffix = uuid.uuid4().hex[:10].upper()
    name, key_type, value_type = 'FF_' + suffix, 'FFKey_' + suffix, 'FFValue_' + suffix
    sql(ff_client, 'CREATE TABLE {} (a INT, b VARCHAR, v VARCHAR, PRIMARY KEY (a, b)) WITH '
                   '"key_type={},value_type={}"'.format(name, key_type, value_type))
    # SQL upper-cases unquoted names: the fields are A, B and V
    key = GenericObjectMeta('FFKey', (), {}, type_name=key_type,
                            schema=OrderedDict([('A', IntObject), ('B', String)]))
    value = GenericObjectMeta('FFValue', (), {}, type_name=value_type,
                              schema=OrderedDict([('V', String)]))
    yield Table(name, 'SQL_PUBLIC_' + name, key, value)
    sql(ff_client, 'DROP TABLE {}'.format(name))


def point_classes():
    Point = GenericObjectMeta('Point', (), {}, type_name=unique('FFPoint'),
                              schema=OrderedDict([('x', IntObject), ('label', String)]))
    Thing = GenericObjectMeta('Thing', (), {}, type_name=unique('FFThing'),
                              schema=OrderedDict([('n', IntObject), ('s', String),
                                                  ('at', Point)]))
    return Point, Thing


# --- (a) the client learns the server's setting and writes what the server writes --------

def test_first_write_learns_full_footers(fresh, ff_client, forced, cache):
    Point, Thing = point_classes()
    assert fresh._session.binary.server_compact_footer is None
    fresh_cache = fresh.get_cache(cache.name)
    # the first complex-object operation of this client: the key and value were encoded
    # before the client knew the server's setting
    fresh_cache.put(Point(x=1, label='key'), Thing(n=1, s='one', at=Point(x=2, label='in')))
    assert fresh._session.binary.server_compact_footer is False
    # the property reports the setting asked for (None: follow the server), not the
    # setting learned
    assert fresh.compact_footer is None

    fresh_cache.put(7, Thing(n=7, s='seven', at=Point(x=8, label='inner')))
    stored = unwrap_raw(raw_get(ff_client, cache, 7))
    assert field_ids(stored) == ids_of('n', 's', 'at')
    inner_at = dict(footer(stored))[entity_id('at')]
    assert field_ids(stored[inner_at:]) == ids_of('x', 'label')

    # the stored key is the full-footer form: only a client writing full footers finds it
    key, value = Point(x=1, label='key'), Thing(n=1, s='one', at=Point(x=2, label='in'))
    assert plain(forced(False).get_cache(cache.name).get(key)) == plain(value)
    assert forced(True).get_cache(cache.name).get(key) is None


def test_first_put_all_rewrites_every_guessed_object(fresh, ff_client, forced, cache):
    """Several objects (keys, values, an object inside an object) in the first request."""
    Point, Thing = point_classes()
    pairs = {Point(x=i, label='k{}'.format(i)): Thing(n=i, s='v' * i, at=Point(x=-i, label=''))
             for i in range(1, 6)}
    pairs[100] = Thing(n=100, s=None, at=Point(x=100, label='nested'))
    fresh.get_cache(cache.name).put_all(pairs)
    assert fresh._session.binary.server_compact_footer is False

    stored = unwrap_raw(raw_get(ff_client, cache, 100))
    assert field_ids(stored) == ids_of('n', 's', 'at')
    assert field_ids(stored[dict(footer(stored))[entity_id('at')]:]) == ids_of('x', 'label')
    assert plain_items(forced(False).get_cache(cache.name).get_all(list(pairs))) == \
        plain_items(pairs)
    assert forced(True).get_cache(cache.name).get_all([k for k in pairs if k != 100]) == {}


# --- (b) a round trip ----------------------------------------------------------------------

@pytest.mark.parametrize('text_length, width', [(10, 1), (300, 2), (70000, 4)])
def test_round_trip(fresh, ff_client, cache, text_length, width):
    """Offsets of every width (the last field's offset decides it)."""
    Row = GenericObjectMeta('Row', (), {}, type_name=unique('FFRow'), schema=OrderedDict([
        ('id', LongObject), ('text', String), ('ok', BoolObject), ('ratio', DoubleObject),
        ('uid', UUIDObject), ('ts', TimestampObject), ('ints', IntArrayObject),
        ('tags', StringArrayObject), ('last', IntObject),
    ]))
    row = Row(id=1 << 40, text='ж' * text_length, ok=True, ratio=-0.25,
              uid=UUID('123e4567-e89b-12d3-a456-426614174000'),
              ts=(datetime(2021, 3, 4, 5, 6, 7, 8000), 999), ints=[1, -2, 3],
              tags=['a', None, 'é'], last=42)
    fresh_cache = fresh.get_cache(cache.name)
    fresh_cache.put('row', row)
    assert fresh_cache.get('row') == row

    stored = unwrap_raw(raw_get(ff_client, cache, 'row'))
    flags = int.from_bytes(stored[2:4], 'little')
    assert {1: OFFSET_ONE_BYTE, 2: OFFSET_TWO_BYTES, 4: 0}[width] == \
        flags & (OFFSET_ONE_BYTE | OFFSET_TWO_BYTES)
    assert field_ids(stored) == ids_of(*Row._field_names)
    # a client that never saw the class reads it from the footer's field ids
    got = ff_client.get_cache(cache.name).get('row')
    assert plain(got) == plain(row)


# --- (c) keys written by SQL and by the client are the same keys ----------------------------

def test_sql_row_found_by_client_key(fresh, ff_client, table):
    sql(ff_client, "INSERT INTO {} (a, b, v) VALUES (1, 'x', 'one x'), (2, 'y', 'two y')"
                   .format(table.name))
    rows = fresh.get_cache(table.cache_name)
    # the first complex-object operation of this client is this get
    got = rows.get(table.Key(A=1, B='x'))
    assert got.type_name == table.Value.type_name and got.V == 'one x'
    assert fresh._session.binary.server_compact_footer is False
    assert rows.contains_key(table.Key(A=2, B='y'))
    assert rows.get(table.Key(A=1, B='y')) is None
    assert plain_items(rows.get_all([table.Key(A=1, B='x'), table.Key(A=2, B='y')])) == \
        plain_items({table.Key(A=1, B='x'): table.Value(V='one x'),
                     table.Key(A=2, B='y'): table.Value(V='two y')})


def test_client_row_seen_by_sql(fresh, ff_client, table):
    rows = fresh.get_cache(table.cache_name)
    rows.put(table.Key(A=7, B='seven'), table.Value(V='from kv'))
    assert sql(ff_client, 'SELECT a, b, v FROM {}'.format(table.name)) == \
        [[7, 'seven', 'from kv']]
    sql(ff_client, "UPDATE {} SET v = 'updated' WHERE a = 7 AND b = 'seven'".format(
        table.name))
    assert rows.get(table.Key(A=7, B='seven')) == table.Value(V='updated')
    assert rows.get_size() == 1
    # the value the UPDATE wrote is Java's, with a full footer
    assert field_ids(unwrap_raw(raw_get(fresh, rows, table.Key(A=7, B='seven')))) == ids_of('V')
    sql(ff_client, 'DELETE FROM {} WHERE a = 7'.format(table.name))
    assert rows.get(table.Key(A=7, B='seven')) is None
    assert rows.get_size() == 0


def test_forced_compact_key_is_another_key(fresh, ff_client, forced, table):
    """What the server does with a compact-footer key (``Client(compact_footer=True)``) for
    a row SQL wrote with a full footer: the bytes differ, so the cache sees another key. A
    get misses; a put adds a second cache entry for the same (a, b), while the SQL primary
    key index keeps one row, the latest written.
    """
    sql(ff_client, "INSERT INTO {} (a, b, v) VALUES (1, 'x', 'from sql')".format(table.name))
    compact = forced(True).get_cache(table.cache_name)
    key = table.Key(A=1, B='x')
    assert compact.get(key) is None
    assert not compact.contains_key(key)

    compact.put(key, table.Value(V='compact put'))
    assert compact.get(key) == table.Value(V='compact put')
    following = fresh.get_cache(table.cache_name)
    assert following.get(key).V == 'from sql'
    assert following.get_size() == 2
    assert sql(ff_client, 'SELECT a, b, v FROM {}'.format(table.name)) == \
        [[1, 'x', 'compact put']]


# --- (d) objects the server wrote decode into the right values -----------------------------

def test_server_written_objects_decode(fresh, ff_client, forced, sql_engine):
    suffix = uuid.uuid4().hex[:10].upper()
    name, key_type, value_type = 'FFT_' + suffix, 'FFTKey_' + suffix, 'FFTVal_' + suffix
    sql(ff_client, 'CREATE TABLE {} (k1 INT, k2 VARCHAR, b TINYINT, s SMALLINT, i INT, '
                   'l BIGINT, r REAL, d DOUBLE, bo BOOLEAN, v VARCHAR, u UUID, '
                   'dec DECIMAL(10, 3), tm TIME, ts TIMESTAMP, bin VARBINARY, ch CHAR(3), '
                   'PRIMARY KEY (k1, k2)) WITH "key_type={},value_type={}"'.format(
                       name, key_type, value_type))
    try:
        sql(ff_client, "INSERT INTO {} VALUES (1, 'one', -3, 300, 70000, 123456789012, 1.5, "
                       "-2.25, TRUE, 'héllo', '123e4567-e89b-12d3-a456-426614174000', "
                       "12.345, '03:04:05', '2020-01-02 03:04:05.123456789', X'00ff10', "
                       "'abc')".format(name))
        sql(ff_client, "INSERT INTO {} (k1, k2, v) VALUES (2, 'two', NULL)".format(name))
        Key = GenericObjectMeta('Key', (), {}, type_name=key_type,
                                schema=OrderedDict([('K1', IntObject), ('K2', String)]))
        cache = fresh.get_cache('SQL_PUBLIC_' + name)
        row = cache.get(Key(K1=1, K2='one'))
        assert row.type_name == value_type
        expected = dict(
            B=-3, S=300, I=70000, L=123456789012, R=1.5, D=-2.25, BO=True, V='héllo',
            U=UUID('123e4567-e89b-12d3-a456-426614174000'), DEC=Decimal('12.345'),
            TM=timedelta(hours=3, minutes=4, seconds=5),
            # H2 keeps the nanoseconds of a TIMESTAMP, Calcite only the milliseconds
            TS=(datetime(2020, 1, 2, 3, 4, 5, 123000), 456789 if sql_engine == 'h2' else 0),
            BIN=b'\0\xff\x10', CH='abc')
        assert {field: getattr(row, field) for field in expected} == expected
        empty = cache.get(Key(K1=2, K2='two'))
        # H2 writes only the columns the INSERT names, NULL included; Calcite leaves the
        # NULL out too, so its row is an object with no fields
        fields = (('V', None),) if sql_engine == 'h2' else ()
        assert plain(empty) == (value_type, fields)

        # what the server holds: Java's bytes, with a full footer naming the columns
        java_bytes = unwrap_raw(raw_get(fresh, cache, Key(K1=1, K2='one')))
        assert field_ids(java_bytes) == ids_of(*expected)
        # the learned mode re-encodes the decoded row into exactly Java's bytes
        assert fresh._session.binary.server_compact_footer is False
        ours = bytearray()
        _encoder.write(ours, row, None, fresh._session.binary)
        assert bytes(ours) == java_bytes

        # a scan reads keys and values that Java wrote, with any footer setting of ours
        for reader in (ff_client, forced(True)):
            scanned = {(key.K1, key.K2): value
                       for key, value in reader.get_cache('SQL_PUBLIC_' + name).scan()}
            assert sorted(scanned) == [(1, 'one'), (2, 'two')]
            assert {f: getattr(scanned[1, 'one'], f) for f in expected} == expected
            assert plain(scanned[2, 'two']) == (value_type, fields)
    finally:
        sql(ff_client, 'DROP TABLE {}'.format(name))
