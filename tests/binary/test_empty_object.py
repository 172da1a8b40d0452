"""A complex object with no fields, byte for byte as Java writes it (issue 15, item 3).

``BinaryWriterExImpl.postWrite`` of Ignite 2.17 writes such an object as a bare header:
flags USER_TYPE (| COMPACT_FOOTER), hash 1 (``Arrays.hashCode`` of no bytes), length 24,
schema id 0x811C9DC5 (``BinaryUtils.schemaInitialId()``, the FNV-1 basis) and schema
offset 24. An H2 ``INSERT`` that leaves every value column out makes the server write one.
"""
import struct
import uuid

from pyignite import GenericObjectMeta
from pyignite._codec import decoder as _decoder, encoder as _encoder
from pyignite._codec.ids import entity_id
from pyignite._codec.registry import BinaryRegistry
from pyignite.datatypes import IntObject

from ._helpers import raw_get, sql, unique, unwrap_raw


def empty_class(type_name):
    return GenericObjectMeta('Nothing', (), {}, type_name=type_name)


def java_empty(type_name: str, compact: bool = True) -> bytes:
    """The 24 bytes of Java's empty object, built from the layout above."""
    return struct.pack('<BBhiiiii', 0x67, 1, 0x21 if compact else 0x01, entity_id(type_name),
                       1, 24, -2128831035, 24)


def encode(value, registry) -> bytes:
    buf = bytearray()
    _encoder.write(buf, value, None, registry)
    return bytes(buf)


def test_golden_bytes_compact_and_full():
    Nothing = empty_class('EmptyGolden')  # type id: 'emptygolden'.hashCode() = 0x685c8c96
    assert encode(Nothing(), BinaryRegistry(True)) == bytes.fromhex(
        '67 01 21 00 96 8c 5c 68 01 00 00 00 18 00 00 00 c5 9d 1c 81 18 00 00 00')
    assert encode(Nothing(), BinaryRegistry(True)) == java_empty('EmptyGolden')
    assert encode(Nothing(), BinaryRegistry(False)) == java_empty('EmptyGolden', False)
    # the class keeps the schema id pyignite 0.6.1 gives it
    assert Nothing.schema_id == 0


def test_both_layouts_decode_to_the_class():
    Nothing = empty_class('EmptyDecode')
    registry = BinaryRegistry(True)
    registry.class_registered(Nothing)
    old = bytearray(java_empty('EmptyDecode'))
    old[16:24] = bytes(8)  # what this client wrote before: schema id 0, offset 0
    for data in (java_empty('EmptyDecode'), java_empty('EmptyDecode', False), bytes(old)):
        value, end = _decoder.read(data, 0, registry)
        assert (type(value), end) == (Nothing, 24)


def test_round_trip_as_key_and_value(client, cache):
    Nothing = empty_class(unique('Empty'))
    cache.put('k', Nothing())
    assert cache.get('k') == Nothing()
    assert unwrap_raw(raw_get(client, cache, 'k')) == java_empty(Nothing.type_name)
    cache.put(Nothing(), 'by an empty key')
    assert cache.get(Nothing()) == 'by an empty key'
    assert cache.contains_key(Nothing())


def test_java_written_empty_row_matches_ours(client):
    """The server's own empty object (an H2 row with every value column left out) and this
    client's are the same bytes; each decodes, and SQL reads the one this client wrote."""
    suffix = uuid.uuid4().hex[:10].upper()
    table, value_type = 'EMPTY_' + suffix, 'EmptyVal_' + suffix
    sql(client, 'CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR) WITH "value_type={}"'.format(
        table, value_type))
    try:
        sql(client, 'INSERT INTO {} (id) VALUES (1)'.format(table))
        cache = client.get_cache('SQL_PUBLIC_' + table)
        java_bytes = unwrap_raw(raw_get(client, cache, 1, IntObject))
        assert java_bytes == java_empty(value_type)

        # decoded without a class of ours, written back: Java's bytes
        from_java = cache.get(1, key_hint=IntObject)
        assert from_java.type_name == value_type
        assert encode(from_java, client._session.binary) == java_bytes

        Nothing = empty_class(value_type)
        cache.put(2, Nothing(), key_hint=IntObject)
        assert unwrap_raw(raw_get(client, cache, 2, IntObject)) == java_bytes
        assert sql(client, 'SELECT id, v FROM {} ORDER BY id'.format(table)) == [
            [1, None], [2, None]]
        sql(client, "UPDATE {} SET v = 'set by SQL' WHERE id = 2".format(table))
        assert sql(client, 'SELECT v FROM {} WHERE id = 2'.format(table)) == [['set by SQL']]
    finally:
        sql(client, 'DROP TABLE {}'.format(table))
