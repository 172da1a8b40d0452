"""Codec APIs of pyignite 0.6.1 (issue 15, item 7): ``BinaryObject.hashcode()`` and
``hashcode_async()``, ``BinaryEnumArrayObject``, and ``ByteArrayObject`` lists that mix
-128..-1 with 128..255. Real node, both client APIs.
"""
import struct
import uuid
from collections import OrderedDict

import pytest

from _aio_adapter import Synced, unwrap
from pyignite import GenericObjectMeta
from pyignite._codec.ids import entity_id
from pyignite.datatypes import (
    BinaryEnumArrayObject, BinaryObject, ByteArrayObject, EnumArrayObject, IntObject, String,
)
from pyignite.exceptions import ParameterError

from ._helpers import raw_get, sql, unique, unwrap_raw


def hashcode(client, value):
    """``BinaryObject.hashcode`` or, for the async client, ``hashcode_async``."""
    if isinstance(client, Synced):
        return client._loop.run_until_complete(
            BinaryObject.hashcode_async(value, client=unwrap(client)))
    return BinaryObject.hashcode(value, client=client)


def header_hash(data: bytes) -> int:
    return struct.unpack_from('<i', data, 8)[0]


def classes():
    inner = GenericObjectMeta('Inner', (), {}, type_name=unique('Inner'), schema=OrderedDict([
        ('id', IntObject), ('str', String)]))
    outer = GenericObjectMeta('Outer', (), {}, type_name=unique('Outer'), schema=OrderedDict([
        ('id', IntObject), ('str', String), ('internal', BinaryObject)]))
    return inner, outer


def test_hashcode_is_the_hash_the_server_keeps(client, cache):
    Inner, Outer = classes()
    values = [Inner(2, 'lorem ipsum'), Outer(1, 'test_string', Inner(2, 'lorem ipsum')),
              Outer(1, 'юникод', Inner(2, 'ユニコード')), Outer(3, None, None)]
    for i, value in enumerate(values):
        cache.put(i, value, key_hint=IntObject)
        stored = unwrap_raw(raw_get(client, cache, i, IntObject))
        assert hashcode(client, value) == header_hash(stored)
    assert len({hashcode(client, value) for value in values}) == len(values)


def test_hashcode_of_an_object_java_wrote(client):
    table, value_type = 'HASHED_' + uuid.uuid4().hex[:10].upper(), unique('HashedVal')
    sql(client, 'CREATE TABLE {} (id INT PRIMARY KEY, s VARCHAR, n INT) WITH '
                '"value_type={}"'.format(table, value_type))
    try:
        sql(client, "INSERT INTO {} VALUES (1, 'hashed by Java', 42)".format(table))
        cache = client.get_cache('SQL_PUBLIC_' + table)
        java_bytes = unwrap_raw(raw_get(client, cache, 1, IntObject))
        value = cache.get(1, key_hint=IntObject)
        assert hashcode(client, value) == header_hash(java_bytes)
    finally:
        sql(client, 'DROP TABLE {}'.format(table))


def test_hashcode_follows_a_full_footer_server(connect, full_footer_node):
    """Nested objects' footers are in the hashed bytes: a client that has not learnt the
    server's footer mode yet asks for it."""
    Inner, Outer = classes()
    value = Outer(1, 'nested', Inner(2, 'inner'))
    client = connect(full_footer_node)
    assert client._session.binary.write_compact_footer is None
    full_hash = hashcode(client, value)
    assert client._session.binary.write_compact_footer is False
    assert full_hash != BinaryObject.hashcode(value)  # no client: compact footers
    cache = client.create_cache('hash-' + uuid.uuid4().hex)
    try:
        cache.put(1, value, key_hint=IntObject)
        assert full_hash == header_hash(unwrap_raw(raw_get(client, cache, 1, IntObject)))
    finally:
        cache.destroy()


def test_hashcode_of_a_non_object(client):
    for value in (1, 'text', None, [1]):
        with pytest.raises(ParameterError, match='not a complex object'):
            hashcode(client, value)


def test_binary_enum_array_object(client, cache):
    name = unique('Suit')
    client.put_binary_type(name, is_enum=True, schema={'HEARTS': 0, 'SPADES': 1})
    suit = entity_id(name)
    value = (EnumArrayObject.OBJECT, [(suit, 1), None, (suit, 0)])
    cache.put('as binary', value, value_hint=BinaryEnumArrayObject)
    cache.put('as enum', value, value_hint=EnumArrayObject)
    assert cache.get('as binary') == value
    assert raw_get(client, cache, 'as binary') == raw_get(client, cache, 'as enum')
    assert issubclass(BinaryEnumArrayObject, EnumArrayObject)
    assert BinaryEnumArrayObject.type_code == EnumArrayObject.type_code


@pytest.mark.parametrize('items, expected', [
    ([-128, -1, 0, 127, 128, 255], b'\x80\xff\x00\x7f\x80\xff'),
    ([255, -1], b'\xff\xff'),
    ([-2, 200], b'\xfe\xc8'),
])
def test_byte_array_mixing_signed_and_unsigned(cache, items, expected):
    cache.put('bytes', items, value_hint=ByteArrayObject)
    assert cache.get('bytes') == expected


@pytest.mark.parametrize('items', [[-129], [256, -1], [-1, 1.5], [-1, '1']])
def test_byte_array_out_of_range(cache, items):
    with pytest.raises(ParameterError, match='ByteArrayObject'):
        cache.put('bytes', items, value_hint=ByteArrayObject)
    assert cache.get('bytes') is None
    cache.put('bytes', [1, -1], value_hint=ByteArrayObject)
    assert cache.get('bytes') == b'\x01\xff'
