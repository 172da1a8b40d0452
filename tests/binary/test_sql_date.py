"""SQL ``DATE`` values (issue 15, item 4): a node sends a ``java.sql.Date`` as a Java
object in its optimized marshaller's format (type code -2), which the client reads as a
:class:`~pyignite.datatypes.SqlDate` (a ``datetime.date``) and writes back unchanged.
Real node (H2 on 2.17, Calcite on 2.18), both client APIs; the bytes' layout is in
pyignite/datatypes/java_objects.py. Days before 15 October 1582 are left out of the node
tests: H2 shows them in the Julian calendar, Calcite and this client in the Gregorian one.
"""
import struct
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import decoder as _decoder, encoder as _encoder
from pyignite.datatypes import IntObject, OptimizedObject, SqlDate

from ._helpers import raw_get, sql, unique, unwrap_raw


def java_sql_date(ms: int) -> bytes:
    """A java.sql.Date as the server writes it: type byte 102 (SERIALIZABLE), the type id
    "java.sql.Date".hashCode(), the checksum (short) serialVersionUID, the milliseconds."""
    payload = struct.pack('<bihq', 102, 1087757882, 0x6697, ms)
    return b'\xfe' + struct.pack('<i', len(payload)) + payload


def decode(data: bytes):
    value, end = _decoder.read(data, 0)
    assert end == len(data)
    return value


def encode(value, hint=None) -> bytes:
    buf = bytearray()
    _encoder.write(buf, value, hint)
    return bytes(buf)


@pytest.fixture
def dates(client):
    table = 'DATES_' + uuid.uuid4().hex[:10].upper()
    sql(client, 'CREATE TABLE {} (id INT PRIMARY KEY, d DATE)'.format(table))
    yield table
    sql(client, 'DROP TABLE {}'.format(table))


def test_date_columns_read_as_dates(client, dates):
    texts = ['2020-01-02', '1969-12-31', '1582-10-15', '1600-02-29', '9999-12-31']
    for i, text in enumerate(texts, 1):
        sql(client, "INSERT INTO {} VALUES ({}, DATE '{}')".format(dates, i, text))
    sql(client, 'INSERT INTO {} (id) VALUES ({})'.format(dates, len(texts) + 1))
    rows = sql(client, 'SELECT d, CAST(d AS VARCHAR) FROM {} ORDER BY id'.format(dates))
    assert [row[0] for row in rows] == [date.fromisoformat(text) for text in texts] + [None]
    for value, text in rows[:-1]:
        assert type(value) is SqlDate
        assert value.isoformat() == text
    today = datetime.now(timezone.utc).date()
    assert sql(client, 'SELECT CURRENT_DATE')[0][0] in (today - timedelta(1), today,
                                                        today + timedelta(1))


def test_date_arguments(client, dates):
    # a plain date goes as a java.util.Date (midnight UTC), a SqlDate as a java.sql.Date
    sql(client, 'INSERT INTO {} VALUES (?, ?)'.format(dates), [1, date(2021, 3, 4)])
    sql(client, 'INSERT INTO {} VALUES (?, ?)'.format(dates), [2, SqlDate(1600, 2, 29)])
    assert sql(client, 'SELECT id FROM {} WHERE d = ?'.format(dates), [date(2021, 3, 4)]) \
        == [[1]]
    assert sql(client, 'SELECT id FROM {} WHERE d = ?'.format(dates), [SqlDate(2021, 3, 4)]) \
        == [[1]]
    assert sql(client, 'SELECT CAST(d AS VARCHAR) FROM {} ORDER BY id'.format(dates)) == [
        ['2021-03-04'], ['1600-02-29']]
    read = sql(client, 'SELECT d FROM {} WHERE id = 2'.format(dates))[0][0]
    assert (type(read), read) == (SqlDate, date(1600, 2, 29))


def test_sql_date_in_a_cache_and_in_a_row_object(client, dates):
    sql(client, "INSERT INTO {} VALUES (1, DATE '2020-01-02')".format(dates))
    table_cache = client.get_cache('SQL_PUBLIC_' + dates)
    java_row = unwrap_raw(raw_get(client, table_cache, 1, IntObject))
    row = table_cache.get(1, key_hint=IntObject)
    assert row.D == date(2020, 1, 2)
    buf = bytearray()
    _encoder.write(buf, row, None, client._session.binary)
    assert bytes(buf) == java_row  # the java.sql.Date goes back as the same bytes

    other = client.create_cache('dates-' + uuid.uuid4().hex)
    try:
        other.put('d', row.D)
        assert raw_get(client, other, 'd') == java_sql_date(1577923200000)
        got = other.get('d')
        assert (type(got), got) == (SqlDate, date(2020, 1, 2))
        other.put('later', got + timedelta(days=1))
        assert other.get('later') == date(2020, 1, 3)
    finally:
        other.destroy()


def test_a_class_with_a_date_field_written_by_the_client(client):
    """A row this client writes with a SqlDate field reads in SQL as that DATE."""
    table, value_type = 'BORN_' + uuid.uuid4().hex[:10].upper(), unique('Born')
    sql(client, 'CREATE TABLE {} (id INT PRIMARY KEY, born DATE) WITH "value_type={}"'
        .format(table, value_type))
    try:
        sql(client, "INSERT INTO {} VALUES (1, DATE '1990-05-06')".format(table))
        cache = client.get_cache('SQL_PUBLIC_' + table)
        Born = GenericObjectMeta('Born', (), {}, type_name=value_type,
                                 schema=type(cache.get(1, key_hint=IntObject)).schema)
        cache.put(2, Born(BORN=SqlDate(2001, 2, 3)), key_hint=IntObject)
        assert sql(client, 'SELECT id, born FROM {} ORDER BY id'.format(table)) == [
            [1, date(1990, 5, 6)], [2, date(2001, 2, 3)]]
    finally:
        sql(client, 'DROP TABLE {}'.format(table))


# --- no server: the layout ------------------------------------------------------------------


def test_layout_and_the_nearest_midnight():
    assert decode(java_sql_date(1577923200000)) == date(2020, 1, 2)
    # a server in another time zone writes its own midnight: 2020-01-02 in UTC+9, UTC-5
    assert decode(java_sql_date(1577923200000 - 9 * 3600_000)) == date(2020, 1, 2)
    assert decode(java_sql_date(1577923200000 + 5 * 3600_000)) == date(2020, 1, 2)
    assert encode(SqlDate(2020, 1, 2)) == java_sql_date(1577923200000)
    # Gregorian days back before 1582 (H2 would show this one as 1582-10-01)
    assert decode(java_sql_date(-12219638400000)) == date(1582, 10, 11)
    assert encode(SqlDate(1, 1, 1)) == java_sql_date(-62135596800000)
    assert decode(java_sql_date(-62135596800000)) == date(1, 1, 1)


def test_what_python_dates_cannot_hold_stays_an_optimized_object():
    for data in (java_sql_date(-62135596800000 - 86400_000),  # the day before 0001-01-01
                 java_sql_date(253402300800000)):  # the day after 9999-12-31
        value = decode(data)
        assert type(value) is OptimizedObject
        assert encode(value) == data


def test_unknown_payloads_stay_optimized_objects():
    for payload in (b'\x66\x00\x00\x00\x00', struct.pack('<bihq', 102, 1, 0x6697, 0),
                    struct.pack('<bihq', 102, 1087757882, 0x1234, 0)):
        data = b'\xfe' + struct.pack('<i', len(payload)) + payload
        value = decode(data)
        assert type(value) is OptimizedObject and value == payload
        assert encode(value) == data
