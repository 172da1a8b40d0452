"""Cursor pages and cache configurations decoded and encoded from canned bytes (no server)."""
import struct
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite._codec.decoder import read
from pyignite._codec.encoder import write
from pyignite._ops import cache_config, query
from pyignite._codec.registry import BinaryRegistry
from pyignite.datatypes import (
    BoolObject, ByteObject, CharObject, FloatObject, IntObject, ShortObject, TimestampObject,
)
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_EXPIRY_POLICY, PROP_QUERY_ENTITIES, PROP_READ_FROM_BACKUP,
)
from pyignite.exceptions import ParseError


def encode(values):
    buf = bytearray()
    for value in values:
        write(buf, value)
    return bytes(buf)


VALUES = [
    1, -(1 << 63), 2.5, 'plain', '', 'caf\u00e9 \U0001f600', None, True,
    (7, IntObject), (-3, ShortObject), (5, ByteObject), (1.5, FloatObject), ('x', CharObject),
    (False, BoolObject), Decimal('-12.345'), UUID(int=12345), b'\x00\xff',
    datetime(2020, 1, 2, 3, 4, 5), timedelta(seconds=5), [1, 2], ['a', None],
    ((datetime(2021, 5, 6), 789), TimestampObject),
]

# a String as a server with modified UTF-8 writes NUL: C0 80 is not valid UTF-8
MODIFIED_UTF8 = b'\x09' + struct.pack('<i', 4) + b'a\xc0\x80b'


def page(rows_bytes: bytes, count: int, more: bool) -> bytes:
    return struct.pack('<i', count) + rows_bytes + (b'\x01' if more else b'\x00')


def test_values_decode_as_the_decoder_table_does():
    data = encode(VALUES) + MODIFIED_UTF8
    ctx = BinaryRegistry()
    values, end = query.read_values(data, 0, len(VALUES) + 1, ctx)
    assert end == len(data)
    pos, expected = 0, []
    for _ in range(len(VALUES) + 1):
        value, pos = read(data, pos, ctx)
        expected.append(value)
    assert values == expected
    assert values[-1] == 'a\x00b'


def test_fields_page():
    columns = 3
    rows = [[i, 'name {}'.format(i), i * 0.5] for i in range(10)]
    data = page(encode([v for row in rows for v in row]), 10, True)
    (got, more), end = query.fields_page_reader(columns)(data, 0, BinaryRegistry())
    assert (got, more, end) == (rows, True, len(data))


@pytest.mark.parametrize('columns', [0, 1, 2])
def test_fields_page_of_few_columns(columns):
    rows = [[j for j in range(columns)] for _ in range(4)]
    data = page(encode([v for row in rows for v in row]), 4, False)
    (got, more), _ = query.fields_page_reader(columns)(data, 0, BinaryRegistry())
    assert got == rows and more is False


def test_entry_page():
    pairs = [(i, 'v{}'.format(i)) for i in range(5)]
    data = page(encode([v for pair in pairs for v in pair]), 5, False)
    (got, more), end = query.read_entry_page(data, 0, BinaryRegistry())
    assert got == pairs and more is False and end == len(data)


def test_empty_page():
    (got, more), _ = query.read_entry_page(page(b'', 0, False), 0, BinaryRegistry())
    assert got == [] and more is False


@pytest.mark.parametrize('data', [
    pytest.param(page(encode(['abc', 1]), 1, True)[:-1], id='no end marker'),
    pytest.param(page(encode(['abc']), 1, True)[:-4], id='truncated string'),
    pytest.param(page(b'\x04\x01\x02', 1, True), id='truncated long'),
    pytest.param(page(encode([1, 2]), 1000000, True), id='count beyond the frame'),
    pytest.param(page(encode([1, 2]), -1, True), id='negative count'),
    pytest.param(page(b'\x09' + struct.pack('<i', -5) + b'\x01' * 10, 1, True),
                 id='negative string length'),
    pytest.param(page(b'\xf0\x01', 1, True), id='unknown type code'),
    pytest.param(b'\x01\x00', id='truncated header'),
])
def test_malformed_pages_raise_parse_error(data):
    with pytest.raises(ParseError):
        query.read_entry_page(data, 0, BinaryRegistry())


def test_timeout_zero_means_no_timeout():
    assert query._timeout(0) == 2 ** 31 - 1
    assert query._timeout(1500) == 1500


@pytest.mark.parametrize('name, table_name', [
    ('java.lang.String', 'String'), ('SQL_PUBLIC_CITY_5a7c_1', 'SQL_PUBLIC_CITY_5a7c_1'),
    ('org.acme.Outer$Inner', 'Inner'), ('Acme.Outer+Inner', 'Inner'), ('[B[]', '[B_array'),
])
def test_sql_type_name(name, table_name):
    assert query.sql_type_name(name) == table_name


def test_config_request_layout():
    entity = {
        'table_name': 'T', 'key_type_name': 'java.lang.Integer', 'value_type_name': 'V',
        'query_fields': [{'name': 'A', 'type_name': 'java.lang.Integer', 'default_value': 3}],
        'query_indexes': [{'index_name': 'I', 'fields': [{'name': 'A', 'is_descending': True}]}],
    }
    data = cache_config.build_config('c', {PROP_BACKUPS_NUMBER: 2, PROP_READ_FROM_BACKUP: False,
                                           PROP_QUERY_ENTITIES: [entity]},
                                     BinaryRegistry(), (1, 7, 0))

    def s(text):
        return b'\x09' + struct.pack('<i', len(text)) + text.encode()

    body = (struct.pack('<hh', 4, 0) + s('c')
            + struct.pack('<hi', 3, 2) + struct.pack('<hb', 6, 0)
            + struct.pack('<hi', 200, 1)
            + s('java.lang.Integer') + s('V') + s('T') + b'\x65\x65'
            + struct.pack('<i', 1) + s('A') + s('java.lang.Integer') + b'\x00\x00'
            + b'\x03' + struct.pack('<i', 3)  # the default value as the field's Java type
            + struct.pack('<ii', -1, -1)
            + struct.pack('<i', 0)
            + struct.pack('<i', 1) + s('I') + b'\x00' + struct.pack('<ii', -1, 1) + s('A')
            + b'\x01')
    assert data == struct.pack('<i', len(body)) + body
    # protocol 1.1: query fields have no precision and scale
    short = cache_config.build_config('c', {PROP_QUERY_ENTITIES: [entity]}, BinaryRegistry(),
                                      (1, 1, 0))
    assert len(short) == len(data) - 8 - 6 - 3


def test_config_reply_round_trip():
    """What the server sends for OP_CACHE_GET_CONFIGURATION, built by hand."""
    def s(text):
        return b'\x65' if text is None else (
            b'\x09' + struct.pack('<i', len(text)) + text.encode())

    body = (struct.pack('<iii', 1, 2, 2) + b'\x01' + s('SmallDataRegion') + b'\x01\x00'
            + s(None) + struct.pack('<qii', 0, 500, 1024) + s('name') + b'\x00'
            + struct.pack('<iii', 4, 0, 1) + b'\x01'
            + struct.pack('<iqqiiqq', 524288, 3, 0, 1, 0, 0, 10000)
            + b'\x00' + struct.pack('<i', -1) + s(None) + struct.pack('<i', 2)
            + struct.pack('<i', 1) + s('K') + s('F')
            + struct.pack('<i', 0)
            + b'\x01' + struct.pack('<qqq', -1, 1000, -2))
    data = struct.pack('<i', len(body)) + body
    settings, end = cache_config.parse_config(data, 0, BinaryRegistry(), (1, 7, 0))
    assert end == len(data)
    assert settings[PROP_BACKUPS_NUMBER] == 2
    assert settings[PROP_EXPIRY_POLICY].update == 1000
    assert settings[PROP_QUERY_ENTITIES] == []
    assert len(settings) == 31
    # the settings are creation input again
    cache_config.build_config('name', settings, BinaryRegistry(), (1, 7, 0))
