"""Every key-value method of the caches against a real node, with both clients: the tests
that take a client run ``[sync]`` with :class:`~pyignite.Client` and ``[async]`` with
:class:`~pyignite.AioClient` (tests/_aio_adapter.py). What only the async API has (per-call
``timeout=``, ``async with``, ``settings()`` as a coroutine) is tested in
tests/aio/test_aio_cache_methods.py.
"""
import time

import pytest

from _aio_adapter import call_with, unwrap
from pyignite import Client, aio_cache, cache as sync_cache
from pyignite.aio_cache import AioCache
from pyignite.cache import Cache
from pyignite.datatypes import CharObject, IntObject, ShortObject
from pyignite.datatypes.expiry_policy import ExpiryPolicy
from pyignite.datatypes.key_value import PeekModes
from pyignite.datatypes.prop_codes import PROP_NAME
from pyignite.exceptions import CacheError, ParameterError

#: The cache class and the module of cache factory functions of each API.
CACHE_CLASS = {'sync': Cache, 'async': AioCache}
FACTORIES = {'sync': sync_cache, 'async': aio_cache}


def test_put_get_and_missing_key(cache):
    assert cache.put('my key', 42) is None
    assert cache.get('my key') == 42
    assert cache.get('non-existent key') is None


def test_get_all_and_put_all(cache):
    cache.put_all({'a': 1, 'b': 'two', ('c', CharObject): (3, ShortObject)})
    assert cache.get_all(['a', 'b', 'missing']) == {'a': 1, 'b': 'two'}
    assert cache.get_all([('c', CharObject)]) == {'c': 3}
    assert cache.get_all([]) == {}


def test_get_all_of_int_keys(cache):
    # int keys are Longs; a bool among them stays a Boolean key, another key than 1
    cache.put_all({i: 'v%d' % i for i in range(1, 6)})
    cache.put(True, 'bool')
    assert cache.get_all(list(range(7))) == {i: 'v%d' % i for i in range(1, 6)}
    # (True == 1 in a dict: the values tell the two keys apart)
    assert list(cache.get_all([True]).values()) == ['bool']
    assert list(cache.get_all([1]).values()) == ['v1']
    assert cache.contains_keys([1, 5, -(1 << 63)]) is False
    with pytest.raises(ParameterError, match='64-bit long'):
        cache.get_all([1, 1 << 63])


def test_hinted_keys_are_distinct_keys(cache):
    cache.put('a', 1)
    cache.put('a', 2, key_hint=CharObject)
    assert cache.get('a') == 1
    assert cache.get('a', key_hint=CharObject) == 2
    cache.remove_keys(['a', ('a', CharObject)])
    assert cache.get_size() == 0


def test_replace(cache):
    assert cache.replace('k', 1) is False
    assert cache.get('k') is None
    cache.put('k', 0)
    assert cache.replace('k', 1) is True
    assert cache.get('k') == 1


def test_clear_variants(cache):
    cache.put_all({i: i for i in range(10)})
    cache.clear_key(0)
    assert cache.get(0) is None
    cache.clear_keys([1, 2])
    assert cache.get_all([1, 2, 3]) == {3: 3}
    cache.clear([3, 4])
    assert cache.get_size() == 5
    cache.clear()
    assert cache.get_size() == 0


def test_contains(cache):
    cache.put(1, 'x', key_hint=IntObject)
    assert cache.contains_key(1, key_hint=IntObject) is True
    # a Long 1 is another key than an Int 1
    assert cache.contains_key(1) is False
    cache.put(2, 'y')
    assert cache.contains_keys([2, (1, IntObject)]) is True
    assert cache.contains_keys([2, 3]) is False


def test_get_and_put_family(cache):
    assert cache.get_and_put('k', 1) is None
    assert cache.get_and_put('k', 2) == 1
    assert cache.get_and_put_if_absent('k', 3) == 2
    assert cache.get_and_put_if_absent('new', 4) is None
    assert cache.get('new') == 4
    assert cache.put_if_absent('k', 5) is False
    assert cache.put_if_absent('other', 6) is True
    assert cache.get_and_replace('k', 7) == 2
    assert cache.get_and_replace('absent', 8) is None
    assert cache.get('absent') is None
    assert cache.get_and_remove('k') == 7
    assert cache.get_and_remove('k') is None


def test_removes(cache):
    cache.put_all({'a': 1, 'b': 2, 'c': 3})
    assert cache.remove_key('a') is True
    assert cache.remove_key('a') is False
    assert cache.remove_if_equals('b', 99) is False
    assert cache.remove_if_equals('b', 2) is True
    cache.remove_keys(['c'])
    assert cache.get_size() == 0
    cache.put_all({i: i for i in range(5)})
    cache.remove_all()
    assert cache.get_size() == 0


def test_replace_if_equals(cache):
    cache.put('k', 'old')
    assert cache.replace_if_equals('k', 'other', 'new') is False
    assert cache.replace_if_equals('k', 'old', 'new') is True
    assert cache.get('k') == 'new'
    cache.put('s', 1, value_hint=ShortObject)
    # the sample compares as its Ignite type: a Long 1 is not a Short 1
    assert cache.replace_if_equals('s', 1, 2) is False
    assert cache.replace_if_equals('s', 1, 2, sample_hint=ShortObject) is True


def test_get_size_with_peek_modes(cache):
    cache.put_all({i: i for i in range(7)})
    assert cache.get_size() == 7
    assert cache.get_size(PeekModes.PRIMARY) == 7
    assert cache.get_size([PeekModes.PRIMARY, PeekModes.BACKUP]) == 7
    assert cache.get_size(PeekModes.BACKUP) == 0
    with pytest.raises(ParameterError):
        cache.get_size(42)


def test_scan(cache):
    cache.put_all({i: str(i) for i in range(25)})
    with cache.scan(page_size=7) as cursor:
        rows = [tuple(row) for row in cursor]
    assert sorted(rows) == [(i, str(i)) for i in range(25)]


def test_expiry_policy_view(api, cache):
    expiring = cache.with_expire_policy(create=1)  # 1 ms to live
    assert isinstance(unwrap(expiring), CACHE_CLASS[api])
    assert expiring.expiry_policy == ExpiryPolicy(create=1)
    assert cache.expiry_policy is None
    cache.put('kept', 1)
    expiring.put('gone', 1)
    time.sleep(0.1)
    assert cache.get('gone') is None
    assert cache.get('kept') == 1


def test_cache_identity(api, client, cache):
    assert isinstance(unwrap(cache), CACHE_CLASS[api])
    assert unwrap(cache.client) is unwrap(client)
    assert cache.name.startswith('kv-')
    # the cache id is the Java hash code of the name
    assert CACHE_CLASS[api](unwrap(client), 'myCache').cache_id == 1482644790


def test_cache_factories(api, client):
    factories = FACTORIES[api]
    name = 'factories-test'
    created = client.create_cache(name)
    try:
        assert name in client.get_cache_names()
        with pytest.raises(CacheError):
            client.create_cache(name)
        assert call_with(client, factories.get_or_create_cache, {PROP_NAME: name}).name == name
        assert client.get_or_create_cache(name).cache_id == created.cache_id
        assert call_with(client, factories.get_cache, name).name == name
        assert client.get_cache(name).cache_id == created.cache_id
        with pytest.raises(ParameterError):
            client.get_cache({PROP_NAME: name, 1: 2})
        with pytest.raises(ParameterError):
            client.get_cache({})
    finally:
        created.destroy()
    assert name not in client.get_cache_names()
    other = call_with(client, factories.create_cache, name + '2')
    other.destroy()
    with pytest.raises(CacheError):
        other.get(1)


def test_connect_forms(ignite_node):
    for args in [(ignite_node.host, ignite_node.port), ([(ignite_node.host, ignite_node.port)],)]:
        client = Client()
        with client.connect(*args) as connected:
            assert connected is client
            assert client.get_cache_names() is not None
    with pytest.raises(ParameterError):
        Client().connect('host-only')
    with pytest.raises(ParameterError):
        Client(no_such_option=1)
