"""Values the codecs refuse, through the async client: a ParameterError naming the
problem, never a silent change, and the connection keeps working (real node).
"""
import uuid
from collections import OrderedDict
from decimal import Decimal

import pytest

from pyignite.binary import GenericObjectMeta
from pyignite.datatypes import BoolObject, DecimalObject, IntObject, String
from pyignite.exceptions import ParameterError


async def _still_works(cache):
    await cache.put('ok', 1)
    assert await cache.get('ok') == 1


# --- lone surrogates (issue 13, defect 4) ---------------------------------------------------


async def test_two_lone_surrogate_keys_never_collide(cache):
    await cache.put('?', 'question mark')
    for key in ('\ud800', '\udc00'):
        with pytest.raises(ParameterError, match=r'lone surrogate \(U\+{:04X} at index 0\)'
                           .format(ord(key))):
            await cache.put(key, key)
        with pytest.raises(ParameterError, match='lone surrogate'):
            await cache.get(key)
    assert await cache.get('?') == 'question mark'
    assert await cache.get_size() == 1
    await _still_works(cache)


async def test_lone_surrogates_in_values_objects_and_sql(client, cache):
    class Doc(metaclass=GenericObjectMeta, type_name='Doc' + uuid.uuid4().hex,
              schema=OrderedDict([('id', IntObject), ('title', String)])):
        pass

    with pytest.raises(ParameterError, match='lone surrogate'):
        await cache.put('k', ['x', 'y\ud800'])
    with pytest.raises(ParameterError, match=r'Doc\.title: .*lone surrogate'):
        await cache.put('k', Doc(1, '\udfff'))
    with pytest.raises(ParameterError, match='lone surrogate'):
        await client.get_or_create_cache('cache\ud800')
    with pytest.raises(ParameterError, match='lone surrogate'):
        async with client.sql('SELECT ?', query_args=['\ud800']) as cursor:
            [row async for row in cursor]
    assert await cache.get('k') is None
    await _still_works(cache)


# --- values too deep to write, and decimals that are no numbers (issue 13, defect 5) --------


async def test_nested_too_deep_and_self_containing_values(cache):
    deep = 'leaf'
    for _ in range(400):
        deep = [deep, 1]
    looped = [1]
    looped.append(looped)
    selfish = {}
    selfish['me'] = selfish
    for value in (deep, looped, selfish):
        with pytest.raises(ParameterError, match='nest deeper than the encoder can follow'):
            await cache.put('k', value)
        await _still_works(cache)
    assert await cache.get('k') is None


async def test_decimal_hint_with_a_non_numeric_str(cache):
    with pytest.raises(ParameterError, match='not a decimal number'):
        await cache.put('k', 'twelve', value_hint=DecimalObject)
    with pytest.raises(ParameterError, match='not a decimal number'):
        await cache.get('1,5', key_hint=DecimalObject)
    await cache.put('k', '12.50', value_hint=DecimalObject)
    assert await cache.get('k') == Decimal('12.50')
    await _still_works(cache)


# --- BoolObject takes bools only (issue 13, defect 7) ---------------------------------------


async def test_bool_hint_takes_bools_and_0_or_1_only(cache):
    for value in ('no', 2, 1.0, 'yes'):
        with pytest.raises(ParameterError, match='as BoolObject'):
            await cache.put('k', value, value_hint=BoolObject)
    assert await cache.get('k') is None
    await cache.put('k', 0, value_hint=BoolObject)
    assert await cache.get('k') is False
    await cache.put('k', True, value_hint=BoolObject)
    assert await cache.get('k') is True
