"""A round trip of every scalar and array type through a real node, with the async client."""
import asyncio
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
    IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject, ObjectArrayObject,
    ShortArrayObject, ShortObject, String, StringArrayObject, TimeArrayObject, TimeObject,
    TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)

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

CASES = SCALARS + ARRAYS


@pytest.fixture(scope='module')
async def types_cache(client):
    cache = await client.get_or_create_cache('aio-types')
    yield cache
    await cache.destroy()


@pytest.mark.parametrize('value, hint', CASES, ids=lambda v: repr(v)[:30])
async def test_value_round_trip(types_cache, value, hint):
    await types_cache.put('value', value, value_hint=hint)
    assert await types_cache.get('value') == value
    assert await types_cache.get_and_put('value', 'next') == value


async def test_all_values_concurrently(types_cache):
    """Values written and read by concurrent requests on one connection come back each
    to its own request."""
    await asyncio.gather(*[types_cache.put(i, value, value_hint=hint)
                           for i, (value, hint) in enumerate(CASES)])
    got = await asyncio.gather(*[types_cache.get(i) for i in range(len(CASES))])
    assert got == [value for value, _ in CASES]
    assert await types_cache.get_all(list(range(len(CASES)))) == {
        i: value for i, (value, _) in enumerate(CASES)}


@pytest.mark.parametrize('key, hint', [
    (v, h) for v, h in SCALARS if v is not None and h is not FloatObject
], ids=lambda v: repr(v)[:30])
async def test_key_round_trip(types_cache, key, hint):
    await types_cache.put(key, 'found', key_hint=hint)
    assert await types_cache.get(key, key_hint=hint) == 'found'
    assert await types_cache.contains_key(key, key_hint=hint) is True
    assert await types_cache.remove_key(key, key_hint=hint) is True
    assert await types_cache.contains_key(key, key_hint=hint) is False


async def test_nan(types_cache):
    await types_cache.put('nan', math.nan)
    assert math.isnan(await types_cache.get('nan'))
    await types_cache.put('nanf', math.nan, value_hint=FloatObject)
    assert math.isnan(await types_cache.get('nanf'))


async def test_default_python_mapping(types_cache):
    # what a value is read back as tells which Ignite type it was stored as
    await types_cache.put('date', date(2024, 2, 29))
    assert await types_cache.get('date') == datetime(2024, 2, 29)
    await types_cache.put('dict', {'k': 'v'})
    assert await types_cache.get('dict') == (MapObject.HASH_MAP, {'k': 'v'})
    await types_cache.put('mixed', [1, 'a'])
    assert await types_cache.get('mixed') == (CollectionObject.ARR_LIST, [1, 'a'])
    await types_cache.put('bytearray', bytearray(b'xy'))
    assert await types_cache.get('bytearray') == b'xy'
