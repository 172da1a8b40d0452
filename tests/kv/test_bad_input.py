"""Bad input gets a documented exception and leaves the client working."""
import pytest

from pyignite import Client
from pyignite.datatypes import BinaryEnumObject, ByteObject, EnumObject, IntObject, String
from pyignite.exceptions import ParameterError, ReconnectError


class NotAnIgniteValue:
    pass


@pytest.mark.parametrize('key, value, kwargs', [
    ('k', NotAnIgniteValue(), {}),
    ('k', 'text', {'value_hint': IntObject}),
    ('k', 300, {'value_hint': ByteObject}),
    ('k', 2 ** 64, {}),
    (NotAnIgniteValue(), 1, {}),
    ('k', 1, {'value_hint': int}),
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


def test_closed_client(ignite_node):
    client = Client()
    client.connect(ignite_node.host, ignite_node.port)
    cache = client.get_or_create_cache('kv-closed')
    client.close()
    with pytest.raises(ReconnectError):
        cache.get(1)
    client.connect(ignite_node.host, ignite_node.port)
    cache.put(1, 1)
    assert cache.get(1) == 1
    cache.destroy()
    client.close()


def test_unreachable_node():
    with pytest.raises(ReconnectError):
        Client(handshake_timeout=2).connect('127.0.0.1', 1)
