"""Values the codecs refuse: a ParameterError naming the problem, never a silent change,
and the connection keeps working (sync client, real node; tests/aio has the async twin).
"""
import uuid
from collections import OrderedDict

import pytest

from pyignite.binary import GenericObjectMeta
from pyignite.datatypes import CharArrayObject, IntObject, String, StringArrayObject
from pyignite.exceptions import ParameterError

LONE = ['\ud800', '\udc00', 'a\udbffb', '\ud83d\ude00'[::-1]]


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
