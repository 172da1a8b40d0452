"""Complex objects without a server: golden bytes, every footer form, handles, classes."""
import struct
import uuid
from collections import OrderedDict

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import objects as _binary_codec, decoder as _decoder, encoder as _encoder
from pyignite._ops.binary_types import read_type_body, write_type_body
from pyignite._codec.registry import BinaryRegistry, BinaryTypeInfo, MissingBinaryType
from pyignite._protocol.request import Frame
from pyignite.binary import sanitize_class_name
from pyignite.datatypes import (
    BinaryObject, BoolObject, ByteObject, CharObject, CollectionObject, DoubleObject, FloatObject,
    IntObject, LongObject, MapObject, ObjectArrayObject, ShortObject, String, UUIDObject,
)
from pyignite.exceptions import ParameterError, ParseError

# --- an independent model of Java's output, for building expected bytes ---------------------


def java_id(name: str) -> int:
    h = 0
    for ch in name.lower():
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def java_array_hash(data: bytes) -> int:
    h = 1
    for b in data:
        h = (31 * h + (b - 256 if b > 127 else b)) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def fnv1(field_ids) -> int:
    if not field_ids:
        return 0
    h = 0x811C9DC5
    for f in field_ids:
        for shift in (0, 8, 16, 24):
            h = ((h ^ ((f >> shift) & 0xFF)) * 0x01000193) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def java_object(type_name: str, fields, compact: bool, raw: bytes = b'',
                class_name: bool = False) -> bytes:
    """A complex object as Java writes it: ``fields`` are ``(name, full value bytes)``."""
    prefix = b''
    if class_name:
        encoded = type_name.encode()
        prefix = b'\x09' + struct.pack('<i', len(encoded)) + encoded
    body = bytearray(prefix)
    offsets = []
    for _, value in fields:
        offsets.append(24 + len(body))
        body += value
    body += raw
    flags = 0x0001 | (0x0020 if compact else 0)
    ids = [java_id(name) for name, _ in fields]
    footer = b''
    if fields:
        flags |= 0x0002
        last = offsets[-1]
        width, code = (1, 'B') if last < 0x100 else (2, 'H') if last < 0x10000 else (4, 'i')
        flags |= {1: 0x08, 2: 0x10, 4: 0}[width]
        for field_id, offset in zip(ids, offsets):
            footer += (b'' if compact else struct.pack('<i', field_id)) + \
                struct.pack('<' + code, offset)
    if raw:
        flags |= 0x0004
    raw_offset = 24 + len(body) - len(raw)
    tail = struct.pack('<i', raw_offset) if raw and fields else b''
    length = 24 + len(body) + len(footer) + len(tail)
    schema_offset = 24 + len(body) if fields else (raw_offset if raw else 0)
    header = struct.pack('<BBhiiiii', 0x67, 1, flags,
                         0 if class_name else java_id(type_name),
                         java_array_hash(bytes(body[len(prefix):])), length, fnv1(ids),
                         schema_offset)
    return header + bytes(body) + footer + tail


def int_value(n: int) -> bytes:
    return b'\x03' + struct.pack('<i', n)


def str_value(s: str) -> bytes:
    data = s.encode()
    return b'\x09' + struct.pack('<i', len(data)) + data


def encode(value, registry=None) -> bytes:
    buf = bytearray()
    _encoder.write(buf, value, None, registry)
    return bytes(buf)


def decode(data: bytes, registry):
    value, end = _decoder.read(data, 0, registry)
    assert end == len(data)
    return value


def registry(compact=True, *classes) -> BinaryRegistry:
    reg = BinaryRegistry(compact)
    for cls in classes:
        reg.class_registered(cls)
    return reg


class Person(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('id', IntObject), ('name', String),
])):
    pass


class Empty(metaclass=GenericObjectMeta):
    pass


# --- worked examples 7.6 and 7.7 of the reference -------------------------------------------

PERSON_COMPACT = bytes.fromhex(
    '67 01 2b 00 55 9b e3 c4 7d 40 b7 fa 27 00 00 00 f3 f1 dc 39 25 00 00 00'
    '03 01 00 00 00 09 03 00 00 00 61 62 63 18 1d')
PERSON_FULL = bytes.fromhex(
    '67 01 0b 00 55 9b e3 c4 7d 40 b7 fa 2f 00 00 00 f3 f1 dc 39 25 00 00 00'
    '03 01 00 00 00 09 03 00 00 00 61 62 63 1b 0d 00 00 18 8b 7a 33 00 1d')
# as Java writes it: schema id 0x811C9DC5 (the FNV-1 basis), schema offset 24
EMPTY_COMPACT = bytes.fromhex('67 01 21 00 4d 85 c2 05 01 00 00 00 18 00 00 00 c5 9d 1c 81'
                              '18 00 00 00')


def test_person_ids():
    assert (Person.type_id, Person.schema_id) == (-991716523, 970781171)
    assert (Empty.type_id, Empty.schema_id) == (96634189, 0)


@pytest.mark.parametrize('compact, expected', [(True, PERSON_COMPACT), (False, PERSON_FULL)])
def test_person_golden_bytes(compact, expected):
    assert encode(Person(1, 'abc'), registry(compact)) == expected
    assert decode(expected, registry(not compact, Person)) == Person(1, 'abc')


def test_person_without_a_client_is_compact():
    assert encode(Person(1, 'abc')) == PERSON_COMPACT


def test_empty_object_golden_bytes():
    assert encode(Empty(), registry(True)) == EMPTY_COMPACT
    full = bytearray(EMPTY_COMPACT)
    full[2] = 0x01
    assert encode(Empty(), registry(False)) == bytes(full)
    assert decode(EMPTY_COMPACT, registry(True, Empty)) == Empty()
    assert decode(bytes(full), registry(True, Empty)) == Empty()


def test_wrapped_person():
    wrapped = b'\x1b' + struct.pack('<i', len(PERSON_COMPACT)) + PERSON_COMPACT + bytes(4)
    assert decode(wrapped, registry(True, Person)) == Person(1, 'abc')


# --- offset widths ----------------------------------------------------------------------------


class Wide(metaclass=GenericObjectMeta, schema=OrderedDict([('text', String), ('n', IntObject)])):
    pass


# the second field starts at 29 + len(text): 255, 256, 65535, 65536
@pytest.mark.parametrize('length, width_flag', [
    (0, 0x08), (226, 0x08), (227, 0x10), (65506, 0x10), (65507, 0), (70000, 0)])
@pytest.mark.parametrize('compact', [True, False])
def test_offset_widths(length, width_flag, compact):
    value = Wide('x' * length, 7)
    expected = java_object('Wide', [('text', str_value(value.text)), ('n', int_value(7))],
                           compact)
    data = encode(value, registry(compact))
    assert data == expected
    flags = struct.unpack_from('<h', data, 2)[0]
    assert flags & 0x18 == width_flag
    assert decode(data, registry(True, Wide)) == value


# --- reading what Java may send ---------------------------------------------------------------


def type_info(type_name, fields, schemas=None) -> BinaryTypeInfo:
    by_id = {java_id(name): (name, code) for name, code in fields}
    if schemas is None:
        ids = tuple(java_id(name) for name, _ in fields)
        schemas = {fnv1(ids): ids}
    return BinaryTypeInfo(java_id(type_name), type_name, None, by_id, schemas, False, {})


def test_unknown_type_raises_missing_then_decodes_from_metadata():
    data = java_object('org.acme.Point', [('x', int_value(1)), ('y', int_value(2))], True)
    reg = registry(True)
    with pytest.raises(MissingBinaryType) as caught:
        decode(data, reg)
    assert caught.value.type_id == java_id('org.acme.Point')
    assert isinstance(caught.value, ParseError)
    reg.type_fetched(type_info('org.acme.Point', [('x', 3), ('y', 3)]))
    point = decode(data, reg)
    assert point.__class__.__name__ == 'OrgAcmePoint'
    assert (point.type_name, point.x, point.y) == ('org.acme.Point', 1, 2)
    assert point.schema == OrderedDict([('x', IntObject), ('y', IntObject)])
    # the plan is made once: the next value of the schema finds it
    assert (point.type_id, point.schema_id) in reg.plans
    assert decode(data, reg).__class__ is point.__class__


def test_compact_footer_of_unknown_schema_is_missing():
    reg = registry(True)
    reg.type_fetched(type_info('Pair', [('a', 3), ('b', 3)], schemas={}))
    data = java_object('Pair', [('a', int_value(1)), ('b', int_value(2))], True)
    with pytest.raises(MissingBinaryType):
        decode(data, reg)


def test_full_footer_of_unknown_schema_decodes_from_field_list():
    reg = registry(True)
    reg.type_fetched(type_info('Pair', [('a', 3), ('b', 3)], schemas={}))
    data = java_object('Pair', [('b', int_value(2)), ('a', int_value(1))], False)
    pair = decode(data, reg)
    assert (pair.a, pair.b) == (1, 2)
    assert list(pair.schema) == ['b', 'a']


def test_raw_data_is_skipped():
    data = java_object('Person', [('id', int_value(5)), ('name', str_value('r'))], True,
                       raw=b'RAWBYTES')
    assert struct.unpack_from('<h', data, 2)[0] & 0x0004
    assert decode(data, registry(True, Person)) == Person(5, 'r')


def test_unregistered_type_id_zero_with_class_name():
    data = java_object('Person', [('id', int_value(6)), ('name', str_value('z'))], False,
                       class_name=True)
    assert struct.unpack_from('<i', data, 4)[0] == 0
    assert decode(data, registry(True, Person)) == Person(6, 'z')


def test_schema_flag_with_empty_footer():
    # what pyignite 0.6.1 writes for an object with no fields
    data = bytearray(EMPTY_COMPACT)
    data[2] |= 0x02
    data[16:20] = bytes(4)  # its schema id for no fields
    data[20] = 24  # the footer starts, and ends, after the header
    assert decode(bytes(data), registry(True, Empty)) == Empty()
    data[20] = 0
    with pytest.raises(ParseError, match='schema offset'):
        decode(bytes(data), registry(True, Empty))


def test_field_count_mismatch_is_a_parse_error():
    data = bytearray(PERSON_COMPACT)
    data[-1:] = b''  # one offset fewer
    data[12] -= 1
    with pytest.raises(ParseError):
        decode(bytes(data), registry(True, Person))


def test_bad_header_is_a_parse_error():
    data = bytearray(PERSON_COMPACT)
    data[1] = 2  # version
    with pytest.raises(ParseError):
        decode(bytes(data), registry(True, Person))
    with pytest.raises(ParseError):
        decode(PERSON_COMPACT[:30], registry(True, Person))


# --- handles ----------------------------------------------------------------------------------


class Node(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('name', String), ('next', BinaryObject), ('items', CollectionObject),
])):
    pass


def handle(distance: int) -> bytes:
    return b'\x66' + struct.pack('<i', distance)


def node_bytes(name: str, next_value: bytes, items: bytes) -> bytes:
    return java_object('Node', [('name', str_value(name)), ('next', next_value),
                                ('items', items)], True)


def test_handle_to_itself_is_the_same_instance():
    # next = handle to the object itself: the handle sits at 24 + len(name value)
    name = str_value('loop')
    data = node_bytes('loop', handle(24 + len(name)), b'\x65')
    node = decode(data, registry(True, Node))
    assert node.next is node
    assert repr(node) == "Node(name='loop', next=..., items=None, version=1)"


def test_handles_to_a_shared_object_and_from_a_collection():
    inner = node_bytes('inner', b'\x65', b'\x65')
    name = str_value('outer')
    inner_pos = 24 + len(name)  # where the inner object starts in the outer one
    items_pos = inner_pos + len(inner)
    # items: a collection holding a handle to the inner object, then one to the outer one
    first_handle = items_pos + 6
    items = b'\x18' + struct.pack('<ib', 2, 1) + handle(first_handle - inner_pos) + \
        handle(first_handle + 5)
    data = node_bytes('outer', inner, items)
    outer = decode(data, registry(True, Node))
    kind, elements = outer.items
    assert kind == 1 and elements[0] is outer.next and elements[1] is outer
    assert outer.next.name == 'inner'


def test_handle_to_a_shared_flat_object():
    class Couple(metaclass=GenericObjectMeta, schema=OrderedDict([
        ('first', BinaryObject), ('second', BinaryObject),
    ])):
        pass

    second_at = 24 + len(PERSON_COMPACT)
    data = java_object('Couple', [('first', PERSON_COMPACT), ('second', handle(second_at - 24))],
                       True)
    couple = decode(data, registry(True, Person, Couple))
    assert couple.first == Person(1, 'abc') and couple.second is couple.first


def test_handle_to_a_collection_is_decoded_again():
    # a top-level collection [[1], handle to that inner list]
    inner = b'\x18' + struct.pack('<ib', 1, 1) + int_value(1)
    data = b'\x18' + struct.pack('<ib', 2, 1) + inner + handle(len(inner))
    assert decode(data, registry(True)) == (1, [(1, [1]), (1, [1])])


def test_cycle_through_collections_only_is_a_parse_error():
    # a collection holding a handle to itself
    data = b'\x18' + struct.pack('<ib', 1, 1) + handle(6)
    with pytest.raises(ParseError, match='cyclic'):
        decode(data, registry(True))


def test_handle_inside_wrapped_data():
    name = str_value('w')
    blob = node_bytes('w', handle(24 + len(name)), b'\x65')
    data = b'\x1b' + struct.pack('<i', len(blob)) + blob + bytes(4)
    node = decode(data, registry(True, Node))
    assert node.next is node


def test_bad_handle_is_a_parse_error():
    with pytest.raises(ParseError):
        decode(handle(100), registry(True))
    with pytest.raises(ParseError):
        decode(handle(0), registry(True))


# --- objects inside collections, maps and arrays ----------------------------------------------


def test_objects_in_collections_golden_and_back():
    people = [Person(1, 'abc'), Person(2, None)]
    second = java_object('Person', [('id', int_value(2)), ('name', b'\x65')], True)
    assert encode(people, registry(True)) == \
        b'\x18' + struct.pack('<ib', 2, 1) + PERSON_COMPACT + second
    reg = registry(True, Person)
    assert decode(encode(people, reg), reg) == (1, people)
    mapping = OrderedDict([(people[0], people[1]), ('k', [people[0]])])
    assert decode(encode((MapObject.LINKED_HASH_MAP, mapping), reg), reg) == \
        (MapObject.LINKED_HASH_MAP, OrderedDict([(people[0], people[1]),
                                                 ('k', (1, [people[0]]))]))
    array = bytearray()
    _encoder.write(array, (ObjectArrayObject.OBJECT, people), ObjectArrayObject, reg)
    assert decode(bytes(array), reg) == (-1, people)


def test_nested_object_field():
    class Holder(metaclass=GenericObjectMeta, schema=OrderedDict([
        ('person', Person), ('anything', BinaryObject),
    ])):
        pass

    value = Holder(Person(1, 'abc'), [1, 2])
    data = encode(value, registry(True))
    assert data[24:24 + len(PERSON_COMPACT)] == PERSON_COMPACT
    assert decode(data, registry(True, Person, Holder)) == value


# --- the encoder and the registry -------------------------------------------------------------


def test_a_request_frame_notes_the_classes_the_server_may_not_know():
    reg = registry(True)
    frame = Frame()
    _encoder.write(frame, [Person(1, 'a'), Person(2, 'b')], None, reg)
    assert frame.pending == (Person,)
    reg.class_registered(Person)
    frame = Frame()
    _encoder.write(frame, Person(3, 'c'), None, reg)
    assert frame.pending == ()
    # other buffers are no requests: nothing is noted, whatever thread wrote them
    plain = bytearray()
    _encoder.write(plain, Person(4, "d"), None, registry(True))
    assert not hasattr(plain, 'pending') and Frame.pending == ()


def test_bad_field_value_names_the_field():
    with pytest.raises(ParameterError, match=r'Person\.id'):
        encode(Person('one', 'a'), registry(True))
    with pytest.raises(ParameterError, match=r'Person\.name'):
        encode(Person(1, 2), registry(True))


def test_cyclic_object_is_a_parameter_error():
    node = Node('loop', None, None)
    node.next = node
    with pytest.raises(ParameterError, match='contain itself'):
        encode(node, registry(True))


@pytest.mark.parametrize('server_compact', [True, False])
def test_guessed_footers_are_fixed_before_sending(server_compact):
    """Before the server was asked, objects are written compact; if the server turns out to
    use full footers, the objects of the request are rewritten in place.
    """
    reg = BinaryRegistry(None)
    buf = Frame(b'HEAD')
    _encoder.write(buf, Person(1, 'abc'), None, reg)  # a key
    _encoder.write(buf, [Wide('y' * 300, 1), (Person(2, 'x'), BinaryObject)], None, reg)
    assert reg.needs_server_footer and set(buf.pending) == {Person, Wide}
    assert len(buf.guessed) == 3  # the outermost objects only
    reg.set_server_compact_footer(server_compact)
    _binary_codec.fix_guessed_footers(buf, reg)
    expected = bytearray(b'HEAD')
    _encoder.write(expected, Person(1, 'abc'), None, registry(server_compact))
    _encoder.write(expected, [Wide('y' * 300, 1), Person(2, 'x')], None,
                   registry(server_compact))
    assert buf == expected
    # and nothing is left to fix
    _binary_codec.fix_guessed_footers(buf, reg)
    assert buf == expected and buf.guessed == ()


# --- GenericObjectMeta --------------------------------------------------------------------


class Typed(metaclass=GenericObjectMeta, type_name='my.Typed', schema=OrderedDict([
    ('i', IntObject), ('l', LongObject), ('d', DoubleObject), ('b', BoolObject),
    ('c', CharObject), ('s', String), ('u', UUIDObject),
])):
    pass


def test_class_and_instance_properties():
    value = Typed()
    for holder in (Typed, value):
        assert holder.type_name == 'my.Typed'
        assert holder.type_id == java_id('my.Typed')
        assert holder.schema_id == fnv1([java_id(n) for n in 'ildbcsu'])
        assert list(holder.schema) == list('ildbcsu')
    schema = value.schema
    schema['extra'] = String
    assert 'extra' not in Typed.schema and 'extra' not in value.schema


def test_defaults_positional_and_keyword_construction():
    assert Typed() == Typed(0, 0, 0.0, False, '\x00', None, None, 1)
    value = Typed(5, s='text')
    assert (value.i, value.l, value.s, value.version) == (5, 0, 'text', 1)
    assert Typed(version=2).version == 2
    with pytest.raises(TypeError):
        Typed(nope=1)
    with pytest.raises(TypeError):
        Typed(*range(9))


def test_equality_repr_hash_and_attributes():
    a, b = Person(1, 'abc'), Person(1, 'abc')
    assert a == b and hash(a) == hash(b) and a != Person(2, 'abc')
    assert {a: 1}[b] == 1
    assert a != Person(1, 'abc', version=2)
    assert repr(a) == "Person(id=1, name='abc', version=1)"
    a.name = 'changed'
    assert a.name == 'changed' and a != b
    assert Person(1, ['unhashable']) == Person(1, ['unhashable'])
    assert isinstance(hash(Person(1, ['unhashable'])), int)


def test_type_name_defaults_and_extra_keywords():
    class Thing(metaclass=GenericObjectMeta, schema={'a': IntObject}, version=2, whatever=1):
        pass

    assert Thing.type_name == 'Thing'
    assert Thing(3).a == 3


def test_fields_named_like_properties_and_odd_names():
    class Odd(metaclass=GenericObjectMeta, schema=OrderedDict([
        ('schema', String), ('version', IntObject), ('first-name', String), ('class', String),
    ])):
        pass

    value = Odd('s', 3, **{'first-name': 'Ann', 'class': 'c'})
    assert (value.schema, value.version, getattr(value, 'first-name')) == ('s', 3, 'Ann')
    assert list(Odd.schema) == ['schema', 'version', 'first-name', 'class']
    assert repr(value) == "Odd(schema='s', version=3, first-name='Ann', class='c')"
    reg = registry(True, Odd)
    assert decode(encode(value, reg), reg) == value


def test_inherited_schema_and_methods():
    class Base(metaclass=GenericObjectMeta, schema={'a': IntObject}):
        def double(self):
            return 2 * self.a

    class Child(Base, type_name='Child'):
        pass

    assert Child.schema == Base.schema and Child.type_name == 'Child'
    assert Child(4).double() == 8


@pytest.mark.parametrize('schema, message', [
    ({'a': int}, 'Wrong binary field type'),
    ({'a': IntObject, 'A': String}, 'same id'),
    ({'': IntObject}, 'non-empty'),
    ([('a', IntObject)], 'mapping'),
])
def test_bad_schemas(schema, message):
    with pytest.raises(ParseError, match=message):
        GenericObjectMeta('Bad', (), {}, schema=schema)


@pytest.mark.parametrize('type_name, expected', [
    ('Person', 'Person'),
    ('Non.Pythonic#type-name$', 'NonPythonicTypeName'),
    ('org.foo.Bar', 'OrgFooBar'),
    ('Outer$Inner', 'OuterInner'),
    ('A+B', 'AB'),
    ('Scala$', 'Scala'),
    ('1st.class', 'StClass'),
    ('class', 'class_'),
    ('$$$', 'BinaryObject'),
    ('SQL_PUBLIC_CITY_9ac8e17a_KEY', 'SQL_PUBLIC_CITY_9ac8e17a_KEY'),
])
def test_sanitize_class_name(type_name, expected):
    assert sanitize_class_name(type_name) == expected


# --- the metadata body ----------------------------------------------------------------------

PERSON_PUT_BODY = bytes.fromhex(
    '55 9b e3 c4 09 06 00 00 00 50 65 72 73 6f 6e 65 02 00 00 00'
    '09 02 00 00 00 69 64 03 00 00 00 1b 0d 00 00'
    '09 04 00 00 00 6e 61 6d 65 09 00 00 00 8b 7a 33 00'
    '00 01 00 00 00 f3 f1 dc 39 02 00 00 00 1b 0d 00 00 8b 7a 33 00')


def test_put_binary_type_body_golden():
    buf = bytearray()
    write_type_body(buf, 'Person', None, [('id', 3), ('name', 9)])
    assert bytes(buf) == PERSON_PUT_BODY
    info, end = read_type_body(PERSON_PUT_BODY, 0)
    assert end == len(PERSON_PUT_BODY)
    assert info == BinaryTypeInfo(-991716523, 'Person', None,
                                  {3355: ('id', 3), 3373707: ('name', 9)},
                                  {970781171: (3355, 3373707)}, False, {})


def test_enum_body_round_trip():
    buf = bytearray()
    write_type_body(buf, 'Color', 'x', [], True, [('RED', 0), ('BLUE', 5)])
    info, _ = read_type_body(bytes(buf), 0)
    assert (info.is_enum, info.enums, info.schemas, info.affinity_key_field) == \
        (True, {'RED': 0, 'BLUE': 5}, {}, 'x')


# --- compiled field readers ---------------------------------------------------------------

class Mixed(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('b', ByteObject), ('s', ShortObject), ('i', IntObject), ('q', LongObject),
    ('f', FloatObject), ('d', DoubleObject), ('flag', BoolObject), ('text', String),
    ('ch', CharObject), ('u', UUIDObject),
])):
    pass


def long_value(n: int) -> bytes:
    return b'\x04' + struct.pack('<q', n)


def test_compiled_reader_decodes_every_inline_type_and_the_rest():
    obj = Mixed(b=-2, s=-300, i=70000, q=-(1 << 40), f=1.5, d=-0.25, flag=True,
                text='héllo', ch='Z', u=uuid.UUID(int=12345))
    reg = registry(True, Mixed)
    assert reg.plans[(Mixed.type_id, Mixed.schema_id)][3] is not None
    assert decode(encode(obj, reg), reg) == obj


def test_compiled_reader_takes_values_of_other_types_and_nulls():
    # a foreign writer may put a long or a null where the class declares an int or a string
    data = java_object('Person', [('id', long_value(1 << 40)), ('name', b'\x65')], True)
    person = decode(data, registry(True, Person))
    assert (person.id, person.name) == (1 << 40, None)


def test_compiled_reader_reads_cesu8_strings():
    # NUL as C0 80, as servers with string serialization v2 write it
    raw = b'a\xc0\x80b'
    data = java_object('Person', [('id', int_value(1)),
                                  ('name', b'\x09' + struct.pack('<i', len(raw)) + raw)], True)
    assert decode(data, registry(True, Person)).name == 'a\x00b'


def test_compiled_reader_rejects_a_string_longer_than_the_frame():
    data = bytearray(java_object('Person', [('id', int_value(1)), ('name', str_value('abc'))],
                                 True))
    at = data.index(b'\x09\x03\x00\x00\x00')
    struct.pack_into('<i', data, at + 1, 1000)
    with pytest.raises(ParseError, match='bad element count 1000'):
        decode(bytes(data), registry(True, Person))
    struct.pack_into('<i', data, at + 1, -1)
    with pytest.raises(ParseError, match='bad element count -1'):
        decode(bytes(data), registry(True, Person))


def test_schemas_past_the_compile_limit_decode_by_the_generic_loop():
    count = _binary_codec.MAX_COMPILED_FIELDS + 1
    Wide = GenericObjectMeta('Wide', (), {}, schema=OrderedDict(
        ('f{}'.format(i), IntObject) for i in range(count)))
    reg = registry(True, Wide)
    assert reg.plans[(Wide.type_id, Wide.schema_id)][3] is None
    obj = Wide(**{'f{}'.format(i): i * 3 for i in range(count)})
    assert decode(encode(obj, reg), reg) == obj


class Scalars(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('b', ByteObject), ('s', ShortObject), ('i', IntObject), ('q', LongObject),
    ('f', FloatObject), ('d', DoubleObject), ('flag', BoolObject), ('text', String),
])):
    pass


def test_compiled_writer_is_made_for_scalar_classes_only():
    assert _binary_codec.compile_field_writer(Scalars._field_type_codes) is not None
    assert _binary_codec.compile_field_writer(Mixed._field_type_codes) is None


def test_compiled_writer_matches_java_bytes_for_declared_types_and_nulls():
    reg = registry(True, Person)
    assert encode(Person(7, 'añb'), reg) == java_object(
        'Person', [('id', int_value(7)), ('name', str_value('añb'))], True)
    assert encode(Person(None, None), reg) == java_object(
        'Person', [('id', b'\x65'), ('name', b'\x65')], True)
    reg = registry(True, Scalars)
    obj = Scalars(b=-2, s=300, i=-70000, q=1 << 40, f=0.5, d=-2.25, flag=False, text='x' * 300)
    text = 'x' * 300
    assert encode(obj, reg) == java_object('Scalars', [
        ('b', b'\x01\xfe'), ('s', b'\x02' + struct.pack('<h', 300)),
        ('i', b'\x03' + struct.pack('<i', -70000)), ('q', long_value(1 << 40)),
        ('f', b'\x05' + struct.pack('<f', 0.5)), ('d', b'\x06' + struct.pack('<d', -2.25)),
        ('flag', b'\x08\x00'), ('text', str_value(text))], True)


def test_compiled_writer_hands_other_values_to_the_generic_writers():
    reg = registry(True, Scalars)
    # an int where a double is declared is converted, as the generic writer does
    obj = Scalars(b=1, s=2, i=3, q=4, f=2, d=7, flag=1, text='t')
    back = decode(encode(obj, reg), reg)
    assert (back.d, back.f, back.flag) == (7.0, 2.0, True)
    assert back.d.__class__ is float


@pytest.mark.parametrize('field, value, message', [
    ('i', 1 << 31, 'Scalars.i'),
    ('b', 128, 'Scalars.b'),
    ('q', 1 << 63, 'Scalars.q'),
    ('f', 1e300, 'Scalars.f'),
    ('text', b'bytes', 'Scalars.text'),
])
def test_compiled_writer_leaves_bad_values_to_the_generic_errors(field, value, message):
    reg = registry(True, Scalars)
    obj = Scalars(b=1, s=2, i=3, q=4, f=1.0, d=7.0, flag=True, text='t')
    setattr(obj, field, value)
    buf = bytearray(b'before')
    with pytest.raises(ParameterError, match=message):
        _encoder.write(buf, obj, None, reg)
