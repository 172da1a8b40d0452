"""A round trip of every scalar and array type through a real node."""
import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from pyignite.exceptions import CacheError

from pyignite.datatypes import (
    BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharArrayObject, CharObject,
    DateArrayObject, DateObject, DecimalArrayObject, DecimalObject, DoubleArrayObject, DoubleObject,
    EnumObject, BinaryEnumObject, FloatArrayObject, FloatObject, IntArrayObject, IntObject,
    LongArrayObject, LongObject, Null, ShortArrayObject, ShortObject, String, StringArrayObject,
    TimeArrayObject, TimeObject, TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)

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
    (UUID('123e4567-e89b-12d3-a456-426614174000'), UUIDObject), (uuid4(), None),
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
    ([uuid4(), None], UUIDArrayObject), ([datetime(1960, 1, 1), None], DateArrayObject),
    ([(datetime(2000, 1, 1), 5), None], TimestampArrayObject),
    ([timedelta(milliseconds=1), None], TimeArrayObject),
    ([Decimal('1.10'), Decimal('-7'), None], DecimalArrayObject),
]


@pytest.fixture(scope='module')
def types_cache(client):
    cache = client.get_or_create_cache('kv-types')
    yield cache
    cache.destroy()


@pytest.mark.parametrize('value, hint', VALUES, ids=lambda v: repr(v)[:30])
def test_value_round_trip(types_cache, value, hint):
    types_cache.put('value', value, value_hint=hint)
    assert types_cache.get('value') == value


@pytest.mark.parametrize('key, hint', [
    (v, h) for v, h in VALUES
    if v is not None and not isinstance(v, (bytes, list)) and h not in (FloatObject,)
], ids=lambda v: repr(v)[:30])
def test_key_round_trip(types_cache, key, hint):
    types_cache.put(key, 'found', key_hint=hint)
    assert types_cache.get(key, key_hint=hint) == 'found'
    assert types_cache.contains_key(key, key_hint=hint)
    types_cache.remove_key(key, key_hint=hint)


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
