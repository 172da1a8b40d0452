"""Back-references (type code 102) without a server: one decode per referenced value.

However many back-references point at a value of one top-level value, the value is decoded
once for them and they all resolve to the same instance; one pointing out of its top-level
value (the server writes every value detached) is a ParseError.
"""
import struct
from collections import OrderedDict

import pytest

from pyignite import Client, GenericObjectMeta
from pyignite._codec import decoder as _decoder, encoder as _encoder
from pyignite._ops import binary_types
from pyignite._ops.query import fields_page_reader
from pyignite._codec.registry import BinaryRegistry, MissingBinaryType
from pyignite.datatypes import BinaryObject, CollectionObject, IntObject, String
from pyignite.exceptions import ParseError


class Leaf(metaclass=GenericObjectMeta, type_name='BackRefLeaf', schema=OrderedDict([
    ('id', IntObject), ('name', String),
])):
    pass


class Holder(metaclass=GenericObjectMeta, type_name='BackRefHolder', schema=OrderedDict([
    ('id', IntObject), ('ref', CollectionObject), ('child', BinaryObject),
])):
    pass


def registry(*classes) -> BinaryRegistry:
    reg = BinaryRegistry(True)
    for cls in classes:
        reg.class_registered(cls)
    return reg


def int_value(n: int) -> bytes:
    return b'\x03' + struct.pack('<i', n)


def str_value(s: str) -> bytes:
    data = s.encode()
    return b'\x09' + struct.pack('<i', len(data)) + data


def collection_head(n: int) -> bytes:
    return b'\x18' + struct.pack('<ib', n, 1)


def ints(m: int) -> bytes:
    return collection_head(m) + b''.join(int_value(i) for i in range(m))


def handle(at: int, target: int) -> bytes:
    """A back-reference written at offset ``at`` to the value at offset ``target``."""
    return b'\x66' + struct.pack('<i', at - target)


def holder_bytes(start: int, ref_target: int, child_target: int) -> bytes:
    """A compact-footer Holder at offset ``start`` whose ``ref`` and ``child`` fields are
    back-references to the given offsets."""
    body = bytearray(int_value(7))
    offsets = [24]
    offsets.append(24 + len(body))
    body += handle(start + offsets[-1], ref_target)
    offsets.append(24 + len(body))
    body += handle(start + offsets[-1], child_target)
    flags = 0x01 | 0x02 | 0x08 | 0x20
    header = struct.pack('<BBhiiiii', 0x67, 1, flags, Holder.type_id, 0,
                         24 + len(body) + len(offsets), Holder.schema_id, 24 + len(body))
    return header + bytes(body) + bytes(offsets)


def leaf_bytes(reg) -> bytes:
    buf = bytearray()
    _encoder.write(buf, Leaf(1, 'leaf'), None, reg)
    return bytes(buf)


@pytest.fixture
def int_reads():
    """Counts every Int the decoder table reads."""
    count = [0]
    table = _decoder.DECODERS
    plain = table[3]

    def counting(data, pos, ctx):
        count[0] += 1
        return plain(data, pos, ctx)

    table[3] = counting
    yield count
    table[3] = plain


def test_many_back_references_to_one_collection_decode_it_once(int_reads):
    # a top-level collection: a list of 200 ints, then 5000 back-references to it
    m, n = 200, 5000
    buf = bytearray(collection_head(n + 1))
    target = len(buf)
    buf += ints(m)
    for _ in range(n):
        buf += handle(len(buf), target)
    value, end = _decoder.read(bytes(buf), 0, registry())
    assert end == len(buf)
    kind, items = value
    assert items[0] == (1, list(range(m)))
    referenced = items[1:]
    assert all(item is referenced[0] for item in referenced)
    assert referenced[0] == items[0]
    # a few passes over the list, not one per back-reference
    assert int_reads[0] <= 3 * m


def test_objects_in_a_collection_share_what_their_siblings_hold(int_reads):
    reg = registry(Leaf, Holder)
    leaf = leaf_bytes(reg)
    holders = 50
    buf = bytearray(collection_head(2 + holders))
    list_at = len(buf)
    buf += ints(100)
    leaf_at = len(buf)
    buf += leaf
    for _ in range(holders):
        buf += holder_bytes(len(buf), list_at, leaf_at)
    (_, items), end = _decoder.read(bytes(buf), 0, reg)
    assert end == len(buf)
    numbers, first_leaf, decoded = items[0], items[1], items[2:]
    assert first_leaf == Leaf(1, 'leaf')
    assert all(h.child is first_leaf for h in decoded)
    assert all(h.ref is decoded[0].ref for h in decoded)
    assert decoded[0].ref == numbers
    assert int_reads[0] <= 3 * 100 + 2 * (1 + holders) + 10


def test_an_object_pointing_at_itself_is_still_the_same_instance():
    reg = registry(Leaf, Holder)
    leaf = leaf_bytes(reg)
    # a Holder whose ref is a collection [that leaf, a back-reference to the holder]
    body = bytearray(int_value(7))
    ref_at = 24 + len(body)
    items = bytearray(collection_head(2))
    items += leaf
    items += handle(ref_at + len(items), 0)
    body += items
    child_at = 24 + len(body)
    body += handle(child_at, ref_at + len(collection_head(2)))
    header = struct.pack('<BBhiiiii', 0x67, 1, 0x01 | 0x02 | 0x08 | 0x20, Holder.type_id, 0,
                         24 + len(body) + 3, Holder.schema_id, 24 + len(body))
    data = header + bytes(body) + bytes([24, ref_at, child_at])
    holder, end = _decoder.read(data, 0, reg)
    assert end == len(data)
    kind, (inner_leaf, again) = holder.ref
    assert again is holder
    assert holder.child is inner_leaf and inner_leaf == Leaf(1, 'leaf')


def test_a_back_reference_out_of_its_top_level_value_is_a_parse_error():
    first = ints(3)
    second = collection_head(1) + handle(len(first) + 6, 0)
    data = first + second
    assert _decoder.read(data, 0, registry()) == ((1, [0, 1, 2]), len(first))
    with pytest.raises(ParseError, match='before its value'):
        _decoder.read(data, len(first), registry())


def test_page_cells_resolve_their_own_back_references_only():
    reader = fields_page_reader(1)
    # a cell [[0, 1], back-reference to that list], after the page's 4-byte row count
    good_cell = bytearray(collection_head(2))
    good_cell += ints(2)
    good_cell += handle(4 + len(good_cell), 4 + len(collection_head(2)))
    page = struct.pack('<i', 1) + bytes(good_cell) + b'\x00'
    (rows, more), end = reader(page, 0, registry())
    assert end == len(page) and not more
    assert rows == [[(1, [(1, [0, 1]), (1, [0, 1])])]]

    # a second row whose cell points back into the first row
    stray = collection_head(1) + handle(4 + len(good_cell) + 6, 4)
    page = struct.pack('<i', 2) + bytes(good_cell) + stray + b'\x00'
    with pytest.raises(ParseError, match='before its value'):
        reader(page, 0, registry())


def test_an_unknown_type_behind_back_references_is_fetched_then_decoded():
    reg = registry(Leaf)
    buf = bytearray(collection_head(3))
    list_at = len(buf)
    buf += ints(4)
    leaf_at = len(buf)
    buf += leaf_bytes(reg)
    buf += holder_bytes(len(buf), list_at, leaf_at)
    data = bytes(buf)
    with pytest.raises(MissingBinaryType) as missing:
        _decoder.read(data, 0, reg)
    assert missing.value.type_id == Holder.type_id
    reg.class_registered(Holder)  # what fetching the type does
    (_, (numbers, leaf, holder)), _ = _decoder.read(data, 0, reg)
    assert holder.child is leaf and holder.ref == numbers


def test_unwrap_binary_lets_an_object_point_before_its_offset():
    client = Client()
    client._session.binary.class_registered(Leaf)
    client._session.binary.class_registered(Holder)
    buf = bytearray(ints(2))
    leaf_at = len(buf)
    buf += leaf_bytes(client._session.binary)
    offset = len(buf)
    buf += holder_bytes(offset, 0, leaf_at)
    steps = binary_types.unwrap_binary(client._session, (bytes(buf), offset))
    with pytest.raises(StopIteration) as done:
        next(steps)
    holder = done.value.value
    assert holder.ref == (1, [0, 1]) and holder.child == Leaf(1, 'leaf')
