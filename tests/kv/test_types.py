"""A round trip of every scalar and array type through a real node, with both clients
(``[sync]`` and ``[async]``, see tests/kv/conftest.py). tests/aio/test_aio_types.py sends
all of them at once, concurrently, on one async connection.
"""
import math
from collections import OrderedDict
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite.datatypes import (
    BinaryEnumObject, BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharArrayObject,
    CharObject, CollectionObject, DateArrayObject, DateObject, DecimalArrayObject, DecimalObject,
    DoubleArrayObject, DoubleObject, EnumArrayObject, EnumObject, FloatArrayObject, FloatObject,
    IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject, Null, ObjectArrayObject,
    ShortArrayObject, ShortObject, String, StringArrayObject, TimeArrayObject, TimeObject,
    TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)
from pyignite.exceptions import CacheError

# (value, type hint or None) pairs; a fixed UUID where a random one stood, so test ids are
# the same from run to run
VALUES = [
    (-128, ByteObject), (127, ByteObject),
    (-32768, ShortObject), (32767, ShortObject),
    (-2 ** 31, IntObject), (2 ** 31 - 1, IntObject),
    (-2 ** 63, LongObject), (2 ** 63 - 1, None), (0, None),
    (math.inf, FloatObject), (-math.inf, DoubleObject), (1.25, FloatObject),
    (-1e308, None), (5e-324, None),
    ('a', CharObject), ('\uffff', CharObject),
    (True, BoolObject), (False, None),
    ('', None), ('plain', String), ('NUL\x00inside', None), ('non-BMP 😀𝄞 and ещё', None),
    (UUID('123e4567-e89b-12d3-a456-426614174000'), UUIDObject),
    (UUID('0cfc40f5-9f7b-4a52-963a-2ad1e4d3c7b8'), None),
    (datetime(1969, 7, 20, 20, 17, 40), DateObject), (datetime(1600, 1, 1), None),
    (datetime(2038, 1, 19, 3, 14, 8, 123000), None),
    ((datetime(1950, 1, 1, 0, 0, 0, 1000), 999_999), TimestampObject),
    (timedelta(hours=23, minutes=59, seconds=59, milliseconds=999), TimeObject),
    (Decimal('-12345678901234567890.123456789012345678901234567890'), DecimalObject),
    (Decimal('1E+30'), None), (Decimal('0.00'), None), (Decimal('-0.5'), None),
    ((1, 2), EnumObject), ((3, 4), BinaryEnumObject),
    (b'', None), (bytes(range(256)), ByteArrayObject),
    ([-32768, 0, 32767], ShortArrayObject), ([-2 ** 31, 2 ** 31 - 1], IntArrayObject),
    ([-2 ** 63, 2 ** 63 - 1], LongArrayObject), ([1.5, -0.0], FloatArrayObject),
    ([math.inf, 1e-300], DoubleArrayObject), (['a', 'я', '\uffff'], CharArrayObject),
    ([True, False], BoolArrayObject), (['x', None, '😀'], StringArrayObject),
    ([UUID('bad151bd-39d7-46b1-b972-5a0d81f3e6a4'), None], UUIDArrayObject),
    ([datetime(1960, 1, 1), None], DateArrayObject),
    ([(datetime(2000, 1, 1), 5), None], TimestampArrayObject),
    ([timedelta(milliseconds=1), None], TimeArrayObject),
    ([Decimal('1.10'), Decimal('-7'), None], DecimalArrayObject),
]

SCALARS = [
    (-128, ByteObject), (127, ByteObject),
    (-32768, ShortObject), (32767, ShortObject),
    (-2 ** 31, IntObject), (2 ** 31 - 1, IntObject),
    (-2 ** 63, LongObject), (2 ** 63 - 1, None), (0, None), (-1, None),
    (0.5, FloatObject), (-math.inf, FloatObject), (1e300, DoubleObject), (5e-324, None),
    ('z', CharObject), ('\u044f', CharObject), ('\uffff', CharObject),
    (True, BoolObject), (False, None),
    ('', None), ('text', String), ('zero\x00byte and \u00e9\u00e8 \U0001f600', None),
    (UUID('6f1c2b4e-0000-4a5b-8c7d-ffffffffffff'), UUIDObject),
    (UUID(int=0), None),
    (datetime(2021, 3, 4, 5, 6, 7, 8000), DateObject), (datetime(1901, 12, 13), None),
    ((datetime(1999, 12, 31, 23, 59, 59, 999000), 999_999), TimestampObject),
    ((datetime(1970, 1, 1, 0, 0, 1), 0), TimestampObject),
    (timedelta(0), TimeObject), (timedelta(hours=12, milliseconds=345), None),
    (Decimal('3.14159265358979323846264338327950288'), DecimalObject),
    (Decimal('-1E-20'), None), (Decimal('12345678901234567890'), None),
    ((7, 3), EnumObject), ((-5, 0), BinaryEnumObject),
]

ARRAYS = [
    (b'\x00\xff' * 300, None), (bytes(range(256)), ByteArrayObject), (b'', None),
    ([-32768, 1, 32767], ShortArrayObject), ([0, -2 ** 31], IntArrayObject),
    ([2 ** 63 - 1, -5], LongArrayObject), ([1, 2, 3], None), ([], LongArrayObject),
    ([0.25, -1.5], FloatArrayObject), ([math.pi, -0.0], DoubleArrayObject),
    (['x', '\u0416'], CharArrayObject), ([False, True, True], BoolArrayObject),
    (['one', None, ''], StringArrayObject), (['a', 'b'], None),
    ([UUID(int=1), None], UUIDArrayObject),
    ([datetime(2000, 2, 29), None], DateArrayObject),
    ([(datetime(2010, 1, 1, 1, 1, 1), 1), None], TimestampArrayObject),
    ([timedelta(seconds=1), None], TimeArrayObject),
    ([Decimal('0.1'), None, Decimal('-99')], DecimalArrayObject),
    ((-1, [(1, 2), (1, 3)]), EnumArrayObject),
    ((ObjectArrayObject.OBJECT, [1, 'two', None]), ObjectArrayObject),
    ((CollectionObject.ARR_LIST, [1, 'two', 3.0]), CollectionObject),
    ((MapObject.LINKED_HASH_MAP, OrderedDict([('b', 1), ('a', 2)])), MapObject),
    ((ObjectArrayObject.OBJECT, [None]), ObjectArrayObject),
    ((CollectionObject.LINKED_LIST, [None, 1]), None),
]


def _distinct(cases):
    """``cases`` without repeats (the same value with the same hint), in their order."""
    distinct = {}
    for value, hint in cases:
        distinct.setdefault((repr(value), type(value), hint), (value, hint))
    return list(distinct.values())


#: every (value, hint) case, each once
CASES = _distinct(VALUES + SCALARS + ARRAYS)
KEYS = _distinct([
    (v, h) for v, h in VALUES
    if v is not None and not isinstance(v, (bytes, list)) and h not in (FloatObject,)
] + [(v, h) for v, h in SCALARS if v is not None and h is not FloatObject])


@pytest.fixture(scope='module')
def types_cache(client):
    cache = client.get_or_create_cache('kv-types')
    yield cache
    cache.destroy()


@pytest.mark.parametrize('value, hint', CASES, ids=lambda v: repr(v)[:30])
def test_value_round_trip(types_cache, value, hint):
    types_cache.put('value', value, value_hint=hint)
    assert types_cache.get('value') == value
    assert types_cache.get_and_put('value', 'next') == value


@pytest.mark.parametrize('key, hint', KEYS, ids=lambda v: repr(v)[:30])
def test_key_round_trip(types_cache, key, hint):
    types_cache.put(key, 'found', key_hint=hint)
    assert types_cache.get(key, key_hint=hint) == 'found'
    assert types_cache.contains_key(key, key_hint=hint) is True
    assert types_cache.remove_key(key, key_hint=hint) is True
    assert types_cache.contains_key(key, key_hint=hint) is False


def test_null_value_is_refused_by_the_server(types_cache):
    with pytest.raises(CacheError, match='null'):
        types_cache.put('null', None, value_hint=Null)
    types_cache.put('after', 1)
    assert types_cache.get('after') == 1


def test_nan_round_trip(types_cache):
    types_cache.put('nan', math.nan)
    assert math.isnan(types_cache.get('nan'))
    types_cache.put('nanf', math.nan, value_hint=FloatObject)
    assert math.isnan(types_cache.get('nanf'))


def test_default_python_mapping(types_cache):
    # what a value is read back as tells which Ignite type it was stored as
    types_cache.put('date', date(2020, 2, 29))
    assert types_cache.get('date') == datetime(2020, 2, 29)
    types_cache.put('ints', [1, 2, 3])
    assert types_cache.get('ints') == [1, 2, 3]
    types_cache.put('dict', {'a': 1})
    assert types_cache.get('dict') == (1, {'a': 1})
    types_cache.put('mixed', [1, 'a'])
    assert types_cache.get('mixed') == (1, [1, 'a'])
    types_cache.put('bytes', bytearray(b'ab'))
    assert types_cache.get('bytes') == b'ab'
    types_cache.put('date', date(2024, 2, 29))
    assert types_cache.get('date') == datetime(2024, 2, 29)
    types_cache.put('dict', {'k': 'v'})
    assert types_cache.get('dict') == (MapObject.HASH_MAP, {'k': 'v'})
    types_cache.put('mixed', [1, 'a'])
    assert types_cache.get('mixed') == (CollectionObject.ARR_LIST, [1, 'a'])
    types_cache.put('bytearray', bytearray(b'xy'))
    assert types_cache.get('bytearray') == b'xy'
