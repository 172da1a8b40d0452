"""Bad input gets a documented exception and leaves the client working, with both clients
(``[sync]`` and ``[async]``, see tests/kv/conftest.py). What only the async client has (a bad
request among concurrent ones, the handshake timeout of one AioConnection) is tested in
tests/aio/test_aio_bad_input.py.
"""
from types import SimpleNamespace

import pytest

from pyignite import AioClient, Client
from pyignite.datatypes import BinaryEnumObject, ByteObject, EnumObject, IntObject, String
from pyignite.exceptions import CacheError, ParameterError, ReconnectError

CLIENT_CLASS = {'sync': Client, 'async': AioClient}


class NotAnIgniteValue:
    pass


@pytest.mark.parametrize('key, value, kwargs', [
    ('k', NotAnIgniteValue(), {}),
    ('k', 'text', {'value_hint': IntObject}),
    ('k', 300, {'value_hint': ByteObject}),
    ('k', -129, {'value_hint': ByteObject}),
    ('k', 2 ** 31, {'value_hint': IntObject}),
    ('k', 2 ** 64, {}),
    (NotAnIgniteValue(), 1, {}),
    ('k', 1, {'value_hint': int}),
    (5, 1, {'key_hint': String}),
    ('k', 1, {'key_hint': String, 'value_hint': IntObject, 'key': 5}),
    # type id 0 would need the enum's class name: the server drops such a connection
    ('k', 1, {'key_hint': EnumObject, 'key': (0, 5)}),
    ('k', (0, 5), {'value_hint': BinaryEnumObject}),
])
def test_bad_put_raises_and_client_keeps_working(cache, key, value, kwargs):
    kwargs = dict(kwargs)
    key = kwargs.pop('key', key)
    with pytest.raises(ParameterError):
        cache.put(key, value, **kwargs)
    cache.put('ok', 1)
    assert cache.get('ok') == 1
    assert cache.get('k') is None  # nothing half-written


def test_out_of_range_int_with_hint_in_every_position(cache):
    with pytest.raises(ParameterError):
        cache.get(1 << 40, key_hint=IntObject)
    with pytest.raises(ParameterError):
        cache.replace_if_equals('k', 256, 1, sample_hint=ByteObject)
    with pytest.raises(ParameterError):
        cache.put_all({'a': (1 << 15, ByteObject)})
    assert cache.get_size() == 0


def test_bad_items_in_batches(cache):
    with pytest.raises(ParameterError):
        cache.put_all({'a': 1, 'b': NotAnIgniteValue()})
    with pytest.raises(ParameterError):
        cache.put_all([('a', 1)])
    with pytest.raises(ParameterError):
        cache.get_all(['a', NotAnIgniteValue()])
    assert cache.get_all(['a', 'b']) == {}
    cache.put_all({'a': 1})
    assert cache.get_all(['a']) == {'a': 1}


def test_server_refusal_raises_cache_error_and_client_keeps_working(cache):
    with pytest.raises(CacheError):
        cache.put('k', None)  # Ignite stores no null values
    cache.put('k', 'v')
    assert cache.get('k') == 'v'


def test_closed_client(connect, ignite_node):
    client = connect(ignite_node)
    cache = client.get_or_create_cache('kv-closed')
    client.close()
    with pytest.raises(ReconnectError):
        cache.get(1)
    client.connect(ignite_node.host, ignite_node.port)
    cache.put(1, 1)
    assert cache.get(1) == 1
    cache.destroy()
    client.close()


def test_unreachable_node(connect):
    with pytest.raises(ReconnectError) as raised:
        connect(SimpleNamespace(host='127.0.0.1', port=1), handshake_timeout=2)
    assert isinstance(raised.value.__cause__, OSError)


@pytest.mark.parametrize('kwargs', [
    {'handshake_timeout': 0}, {'handshake_timeout': -1}, {'timeout': -1},
    {'partition_awareness': True},
])
def test_bad_client_options(api, kwargs):
    with pytest.raises(ParameterError):
        CLIENT_CLASS[api](**kwargs)
