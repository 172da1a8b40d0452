"""Golden bytes for the scalar codecs, from the worked examples of the protocol reference,
and round trips through the encoder and decoder without a server."""
import math
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite._codec.decoder import read
from pyignite._codec.encoder import write
from pyignite._protocol.wire import (
    ProtocolContext, handshake_request, next_version, parse_handshake_response,
    parse_response_header,
)
from pyignite.datatypes import (
    BoolArrayObject, ByteArrayObject, ByteObject, CharArrayObject, CharObject, CollectionObject,
    DateArrayObject, DateObject, DecimalArrayObject, DecimalObject, DoubleArrayObject, DoubleObject,
    EnumObject, FloatArrayObject, FloatObject, IntArrayObject, IntObject, LongArrayObject,
    LongObject, MapObject, Null, ShortArrayObject, ShortObject, String, StringArrayObject,
    TimeArrayObject, TimeObject, TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)
from pyignite.exceptions import ParameterError, ParseError


def encode(value, hint=None):
    buf = bytearray()
    write(buf, value, hint)
    return bytes(buf)


def decode(data):
    value, end = read(data, 0)
    assert end == len(data), 'decoder did not consume the whole value'
    return value


GOLDEN = [
    ('key', None, '09 03 00 00 00 6b 65 79'),
    (42, IntObject, '03 2a 00 00 00'),
    (UUID('00112233-4455-6677-8899-aabbccddeeff'), None,
     '0a 77 66 55 44 33 22 11 00 ff ee dd cc bb aa 99 88'),
    (UUID('123e4567-e89b-12d3-a456-426614174000'), None,
     '0a d3 12 9b e8 67 45 3e 12 00 40 17 14 66 42 56 a4'),
    (Decimal('12.34'), None, '1e 02 00 00 00 02 00 00 00 04 d2'),
    (Decimal('-0.5'), None, '1e 01 00 00 00 01 00 00 00 85'),
    (Decimal('128'), None, '1e 00 00 00 00 02 00 00 00 00 80'),
    (Decimal('-128'), None, '1e 00 00 00 00 02 00 00 00 80 80'),
    (Decimal('0'), None, '1e 00 00 00 00 01 00 00 00 00'),
    (Decimal('1E+3'), None, '1e fd ff ff ff 01 00 00 00 01'),
    (Decimal('1.0'), None, '1e 01 00 00 00 01 00 00 00 0a'),
    (Decimal('-12345678901234567890.123'), None,
     '1e 03 00 00 00 0a 00 00 00 82 9d 42 b6 4e 76 71 42 44 cb'),
    (datetime(2020, 1, 1), None, '0b 00 e8 66 5e 6f 01 00 00'),
    ((datetime(2020, 1, 1, 0, 0, 0, 123000), 456789), TimestampObject,
     '21 7b e8 66 5e 6f 01 00 00 55 f8 06 00'),
    (None, None, '65'),
    (True, None, '08 01'),
    (False, None, '08 00'),
    (-1, ByteObject, '01 ff'),
    (-2, ShortObject, '02 fe ff'),
    (1, None, '04 01 00 00 00 00 00 00 00'),
    (1.5, FloatObject, '05 00 00 c0 3f'),
    (1.5, None, '06 00 00 00 00 00 00 f8 3f'),
    ('a', CharObject, '07 61 00'),
    (b'\x01\x02', None, '0c 02 00 00 00 01 02'),
    ([1, 2], IntArrayObject, '0e 02 00 00 00 01 00 00 00 02 00 00 00'),
    (['a', None], None, '14 02 00 00 00 09 01 00 00 00 61 65'),
    ((2, ['x']), None, '18 01 00 00 00 02 09 01 00 00 00 78'),
    ({1: 'a'}, None, '19 01 00 00 00 01 04 01 00 00 00 00 00 00 00 09 01 00 00 00 61'),
    ((7, 3), EnumObject, '1c 07 00 00 00 03 00 00 00'),
    (timedelta(milliseconds=5), None, '24 05 00 00 00 00 00 00 00'),
]


@pytest.mark.parametrize('value, hint, expected', GOLDEN)
def test_golden_bytes(value, hint, expected):
    data = bytes.fromhex(expected)
    assert encode(value, hint) == data
    decoded = decode(data)
    if hint is TimestampObject:
        assert decoded == (datetime(2020, 1, 1, 0, 0, 0, 123000), 456789)
    elif isinstance(value, dict):
        assert decoded == (MapObject.HASH_MAP, value)
    else:
        assert decoded == value


def test_decimal_scale_is_kept():
    for text in ['1.00', '1.0', '1', '-7.000', '1E+5', '123456789012345678901234567890.123456789']:
        value = decode(encode(Decimal(text)))
        assert value.as_tuple() == Decimal(text).as_tuple()
    # Java has no negative zero: -0.000 is written (and read) as 0.000
    assert encode(Decimal('-0.000')) == encode(Decimal('0.000'))
    assert decode(encode(Decimal('-0.000'))).as_tuple() == Decimal('0.000').as_tuple()


ROUND_TRIPS = [
    (-128, ByteObject), (127, ByteObject), (-32768, ShortObject), (32767, ShortObject),
    (-2 ** 31, IntObject), (2 ** 31 - 1, IntObject), (-2 ** 63, LongObject),
    (2 ** 63 - 1, LongObject), (2 ** 63 - 1, None), (-2 ** 63, None),
    (math.inf, None), (-math.inf, FloatObject), (3.4028234663852886e+38, FloatObject),
    (5e-324, DoubleObject), ('\uffff', CharObject), ('\x00', CharObject),
    ('', None), ('\x00 nul', None), ('😀 non-BMP, ещё', String), (None, Null),
    (datetime(1601, 1, 1, 0, 0, 0, 1000), DateObject), (datetime(1969, 12, 31, 23, 59, 59), None),
    (timedelta(days=-1), TimeObject),
    ([], ByteArrayObject), (b'\x00' * 300, None), ([-1, 0, 255 - 256], ByteArrayObject),
    ([-32768, 32767], ShortArrayObject), ([2 ** 31 - 1], IntArrayObject),
    ([-2 ** 63], LongArrayObject), ([1.5, -0.25], FloatArrayObject),
    ([1.5, math.inf], DoubleArrayObject), (['a', '\uffff'], CharArrayObject),
    ([True, False, True], BoolArrayObject), ([None, 'x', ''], StringArrayObject),
    ([UUID(int=1), None], UUIDArrayObject), ([datetime(1950, 5, 5), None], DateArrayObject),
    ([(datetime(1950, 5, 5), 1), None], TimestampArrayObject),
    ([timedelta(seconds=1), None], TimeArrayObject), ([Decimal('-1.5'), None], DecimalArrayObject),
    ((CollectionObject.LINKED_LIST, [1, 'two', 3.0, None]), CollectionObject),
    ((MapObject.LINKED_HASH_MAP, OrderedDict([('b', 1), ('a', 2)])), MapObject),
]


@pytest.mark.parametrize('value, hint', ROUND_TRIPS)
def test_round_trip(value, hint):
    decoded = decode(encode(value, hint))
    if hint is CharArrayObject:
        assert decoded == list(value)
    elif hint is ByteArrayObject:
        assert decoded == bytes(b & 0xff for b in value)
    else:
        assert decoded == value


def test_float_nan_round_trips():
    assert math.isnan(decode(encode(math.nan)))
    assert math.isnan(decode(encode(math.nan, FloatObject)))


def test_aware_datetime_is_written_as_its_instant():
    moment = datetime(2020, 1, 1, 3, 0, tzinfo=timezone(timedelta(hours=3)))
    assert decode(encode(moment)) == datetime(2020, 1, 1)
    assert decode(encode(date(2020, 1, 1))) == datetime(2020, 1, 1)


@pytest.mark.parametrize('value, hint', [
    (128, ByteObject), (-129, ByteObject), (2 ** 15, ShortObject), (2 ** 31, IntObject),
    (2 ** 63, LongObject), (2 ** 63, None), (-2 ** 63 - 1, None), (1.5, IntObject),
    ('ab', CharObject), ('😀', CharObject), ('x', IntObject), (object(), None),
    (Decimal('NaN'), None), ([1, 'a'], IntArrayObject), ([2 ** 40], IntArrayObject),
    ('x', UUIDObject), ('x', DateObject), ((datetime(2020, 1, 1), 10 ** 6), TimestampObject),
    (5, DecimalObject.__mro__[1]),
])
def test_bad_values_raise_parameter_error(value, hint):
    with pytest.raises(ParameterError):
        encode(value, hint)


def test_unknown_type_code_and_truncation_raise_parse_error():
    with pytest.raises(ParseError):
        read(b'\x1a', 0)
    with pytest.raises(ParseError):
        read(b'\x04\x00\x00', 0)
    with pytest.raises(ParseError):
        read(bytes.fromhex('09 ff ff ff 7f 61'), 0)


def test_handshake_request_bytes():
    # version 1.7.0 with the features this client implements (bits 1-11, 14-18)
    assert handshake_request((1, 7, 0)) == bytes.fromhex(
        '10 00 00 00 01 01 00 07 00 00 00 02 0c 03 00 00 00 fe cf 07')
    # user attributes: bit 0 too, and a typed Map (a HashMap) of typed Strings
    assert handshake_request((1, 7, 0), user_attributes={'a': 'b'}) == bytes.fromhex(
        '22 00 00 00 01 01 00 07 00 00 00 02 0c 03 00 00 00 ff cf 07'
        ' 19 01 00 00 00 01 09 01 00 00 00 61 09 01 00 00 00 62')
    # no place for them before 1.7.0
    assert handshake_request((1, 6, 0), user_attributes={'a': 'b'}) == bytes.fromhex(
        '08 00 00 00 01 01 00 06 00 00 00 02')
    assert handshake_request((1, 2, 0), 'ignite', 'ignite') == bytes.fromhex(
        '1e 00 00 00 01 01 00 02 00 00 00 02'
        ' 09 06 00 00 00 69 67 6e 69 74 65 09 06 00 00 00 69 67 6e 69 74 65')


def test_handshake_replies():
    ok = parse_handshake_response(bytes.fromhex(
        '01 0c 01 00 00 00 04 0a 77 66 55 44 33 22 11 00 ff ee dd cc bb aa 99 88'), (1, 7, 0))
    assert ok.success and ok.features == {2}
    assert ok.node_uuid == UUID('00112233-4455-6677-8899-aabbccddeeff')
    msg = 'Unsupported version: 1.8.0'.encode()
    failed = parse_handshake_response(
        bytes.fromhex('00 01 00 07 00 00 00 09') + len(msg).to_bytes(4, 'little') + msg
        + (1).to_bytes(4, 'little'), (1, 8, 0))
    assert not failed.success and failed.server_version == (1, 7, 0)
    assert failed.message == 'Unsupported version: 1.8.0' and failed.status == 1
    assert next_version((1, 7, 0), (1, 6, 0)) == (1, 6, 0)
    assert next_version((1, 7, 0), (1, 7, 0)) is None


def test_response_headers():
    ok = parse_response_header(bytes.fromhex('07 00 00 00 00 00 00 00 02 00'
                                             ' 05 00 00 00 00 00 00 00 01 00 00 00 65'), True)
    assert ok.request_id == 7 and ok.topology == (5, 1) and ok.status == 0
    assert ok.payload_pos == 22
    err = parse_response_header(bytes.fromhex('08 00 00 00 00 00 00 00 01 00 e8 03 00 00'
                                              ' 09 02 00 00 00 6e 6f'), True)
    assert err.status == 1000 and err.message == 'no'
    old = parse_response_header(bytes.fromhex('09 00 00 00 00 00 00 00 00 00 00 00 2a'), False)
    assert old.status == 0 and old.payload_pos == 12
    assert ProtocolContext((1, 7, 0), {2}).is_cluster_api_supported()
