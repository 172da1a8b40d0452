"""Values the codecs refuse: a ParameterError naming the problem, never a silent change,
and the connection keeps working (real node, both clients: ``[sync]`` and ``[async]``, see
tests/kv/conftest.py).
"""
import uuid
from collections import OrderedDict
from decimal import Decimal

import pytest

from pyignite.binary import GenericObjectMeta
from pyignite.datatypes import (
    BoolArrayObject, BoolObject, CharArrayObject, CollectionObject, DecimalObject, IntObject,
    String, StringArrayObject,
)
from pyignite.exceptions import ParameterError

LONE = ['\ud800', '\udc00', 'a\udbffb', '\ud83d\ude00'[::-1], 'y\ud800']


def _still_works(cache):
    cache.put('ok', 1)
    assert cache.get('ok') == 1


# --- lone surrogates (issue 13, defect 4) ---------------------------------------------------


def test_two_lone_surrogate_keys_never_collide(cache):
    cache.put('?', 'question mark')
    for key in ('\ud800', '\udc00'):
        with pytest.raises(ParameterError, match=r'lone surrogate \(U\+{:04X} at index 0\)'
                           .format(ord(key))):
            cache.put(key, key)
        with pytest.raises(ParameterError, match='lone surrogate'):
            cache.get(key)
    # neither became '?': the one key there is the one put as '?'
    assert cache.get('?') == 'question mark'
    assert cache.get_size() == 1
    _still_works(cache)


@pytest.mark.parametrize('text', LONE)
def test_lone_surrogate_values_are_refused(cache, text):
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put('k', text)
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put('k', text, value_hint=String)
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put('k', ['x', text])
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put('k', [text, None], value_hint=StringArrayObject)
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put('k', {text: 1})
    with pytest.raises(ParameterError, match='lone surrogate'):
        cache.put_all({'a': 'fine', 'b': text})
    assert cache.get_all(['k', 'a', 'b']) == {}
    _still_works(cache)


def test_surrogate_pairs_and_char_arrays_still_round_trip(cache):
    # a real non-BMP character is a surrogate pair in Java: exact in UTF-8
    cache.put('\U0001F600', 'smile \U0001F600')
    assert cache.get('\U0001F600') == 'smile \U0001F600'
    # char[] holds UTF-16 units, lone surrogates included, exactly as Java does
    cache.put('chars', '\ud800x', value_hint=CharArrayObject)
    assert cache.get('chars') == ['\ud800', 'x']


def test_lone_surrogate_in_a_complex_object_field(cache):
    class Doc(metaclass=GenericObjectMeta, type_name='Doc' + uuid.uuid4().hex,
              schema=OrderedDict([('id', IntObject), ('title', String)])):
        pass

    with pytest.raises(ParameterError, match=r'Doc\.title: .*lone surrogate \(U\+DC00 at '
                                             r'index 2\)'):
        cache.put(1, Doc(1, 'ab\udc00'))
    with pytest.raises(ParameterError, match=r'Doc\.title: .*lone surrogate'):
        cache.put(1, Doc(1, '\udfff'))
    assert cache.get(1) is None
    cache.put(1, Doc(1, 'ab'))
    assert cache.get(1) == Doc(1, 'ab')


def test_lone_surrogate_in_type_and_field_names(cache):
    class BadType(metaclass=GenericObjectMeta, type_name='T\ud800' + uuid.uuid4().hex,
                  schema=OrderedDict([('id', IntObject)])):
        pass

    class BadField(metaclass=GenericObjectMeta, type_name='F' + uuid.uuid4().hex,
                   schema=OrderedDict([('id\udfff', IntObject)])):
        pass

    for obj in (BadType(1), BadField(1)):
        with pytest.raises(ParameterError, match='lone surrogate'):
            cache.put('obj', obj)
    assert cache.get('obj') is None
    _still_works(cache)


def test_lone_surrogate_in_cache_names_and_sql(client, cache):
    with pytest.raises(ParameterError, match='lone surrogate'):
        client.get_or_create_cache('cache\ud800')
    with pytest.raises(ParameterError, match='lone surrogate'):
        client.create_cache('x\udc00')
    assert not any('\ufffd' in name or '?' in name for name in client.get_cache_names())
    with pytest.raises(ParameterError, match='lone surrogate'):
        list(client.sql('SELECT ?', query_args=['\ud800']))
    with pytest.raises(ParameterError, match='lone surrogate'):
        list(client.sql("SELECT '\udc00'"))
    assert list(client.sql('SELECT ?', query_args=['\U0001F600'])) == [['\U0001F600']]
    _still_works(cache)


# --- values too deep to write, and decimals that are no numbers (issue 13, defect 5) --------


def _nested(depth):
    value = 'leaf'
    for _ in range(depth):
        value = [value, 1]
    return value


def _self_containing_list():
    value = [1]
    value.append(value)
    return value


def _self_containing_dict():
    value = {'a': 1}
    value['self'] = value
    return value


@pytest.mark.parametrize('make', [lambda: _nested(400), lambda: _nested(5000),
                                  _self_containing_list, _self_containing_dict],
                         ids=['400-deep', '5000-deep', 'list-in-itself', 'dict-in-itself'])
def test_values_nested_too_deep_are_a_parameter_error(cache, make):
    value = make()
    with pytest.raises(ParameterError, match='nest deeper than the encoder can follow'):
        cache.put('k', value)
    with pytest.raises(ParameterError, match='nest deeper'):
        cache.put(value, 1) if isinstance(value, list) else cache.put('k', {'v': value})
    assert cache.get('k') is None
    _still_works(cache)


def test_a_list_nested_200_deep_still_round_trips(cache):
    cache.put('k', _nested(200))
    value, depth = cache.get('k'), 0
    while value != 'leaf':
        kind, (value, one) = value  # a mixed list comes back as a (kind, items) collection
        assert (kind, one) == (CollectionObject.ARR_LIST, 1)
        depth += 1
    assert depth == 200


def test_object_holding_itself_is_a_parameter_error(cache):
    class Node(metaclass=GenericObjectMeta, type_name='Node' + uuid.uuid4().hex,
               schema=OrderedDict([('id', IntObject), ('kids', CollectionObject)])):
        pass

    node = Node(1, None)
    node.kids = (CollectionObject.ARR_LIST, [node])
    with pytest.raises(ParameterError, match='nest'):
        cache.put('k', node)
    _still_works(cache)


@pytest.mark.parametrize('text', ['abc', '1.2.3', '', '1e', ' ', 'twelve', '1,5'])
def test_decimal_hint_with_a_non_numeric_str(cache, text):
    with pytest.raises(ParameterError, match='DecimalObject: the str is not a decimal number'):
        cache.put('k', text, value_hint=DecimalObject)
    with pytest.raises(ParameterError, match='not a decimal number'):
        cache.put('k', [('1', DecimalObject), (text, DecimalObject)])
    with pytest.raises(ParameterError, match='not a decimal number'):
        cache.get(text, key_hint=DecimalObject)
    assert cache.get('k') is None
    cache.put('k', '-1.50', value_hint=DecimalObject)
    assert cache.get('k') == Decimal('-1.50')
    _still_works(cache)


def test_decimal_with_more_digits_than_int_str_conversion_allows(cache):
    # Python refuses str <-> int past 4300 digits; the encoder must not go through str
    value = Decimal('7' * 5000 + '.5')
    cache.put('big', value)
    assert cache.get('big') == value


# --- BoolObject takes bools only (issue 13, defect 7) ---------------------------------------


@pytest.mark.parametrize('value, expected', [(True, True), (False, False), (1, True),
                                             (0, False)])
def test_bool_hint_takes_bools_and_0_or_1(cache, value, expected):
    cache.put('k', value, value_hint=BoolObject)
    assert cache.get('k') is expected
    cache.put('arr', [value, not expected], value_hint=BoolArrayObject)
    assert cache.get('arr') == [expected, not expected]


@pytest.mark.parametrize('value', ['no', 'false', '', 2, -1, 1.0, 0.0, [], [0], b'\x00',
                                   'yes'])
def test_bool_hint_refuses_everything_else(cache, value):
    with pytest.raises(ParameterError, match='as BoolObject: a bool, or the int 0 or 1'):
        cache.put('k', value, value_hint=BoolObject)
    with pytest.raises(ParameterError, match='as BoolObject'):
        cache.put('k', [True, (value, BoolObject)])
    with pytest.raises(ParameterError, match='as BoolArrayObject: items must be bools'):
        cache.put('k', [True, value], value_hint=BoolArrayObject)
    assert cache.get('k') is None
    _still_works(cache)


def test_bool_field_and_sql_argument_refuse_truthy_strings(client, cache):
    class Flag(metaclass=GenericObjectMeta, type_name='Flag' + uuid.uuid4().hex,
               schema=OrderedDict([('id', IntObject), ('on', BoolObject)])):
        pass

    with pytest.raises(ParameterError, match=r'Flag\.on: .*as BoolObject'):
        cache.put('f', Flag(1, 'no'))
    cache.put('f', Flag(1, 1))
    assert cache.get('f') == Flag(1, True)
    with pytest.raises(ParameterError, match='as BoolObject'):
        list(client.sql('SELECT ?', query_args=[('no', BoolObject)]))
    assert list(client.sql('SELECT ?', query_args=[(0, BoolObject)])) == [[False]]


# --- tuples that look like (kind, items) -----------------------------------------------------


@pytest.mark.parametrize('value', [(1, 2.5), (1, None), (3, 'x', 2.5)])
def test_a_mixed_tuple_is_a_collection_of_its_items(cache, value):
    cache.put('k', value)
    assert cache.get('k') == (CollectionObject.ARR_LIST, list(value))


def test_a_collection_hint_needs_an_iterable_of_items(cache):
    with pytest.raises(ParameterError, match='CollectionObject: a \\(type, iterable\\) tuple'):
        cache.put('k', (1, 2.5), value_hint=CollectionObject)
    _still_works(cache)
