"""Partition awareness: key hashes, partitions, OP_CACHE_PARTITIONS parsing and routing."""

import json
import os
import struct
import uuid

import pytest

from pyignite._routing.affinity import (
    AffinityGroup, PartitionMaps, key_hash, parse_cache_partitions, partition_for_hash, pick,
)
from pyignite._codec.ids import cache_id, entity_id, schema_id
from pyignite._routing.router import Router

with open(os.path.join(os.path.dirname(__file__), 'data', 'java_hashes.json')) as f:
    JAVA = json.load(f)

PERSON = entity_id('Person')
ID, NAME = entity_id('id'), entity_id('name')


# -- encoders written independently of the client's codec --------------------------------

def enc_byte(v):
    return b'\x01' + struct.pack('<b', v)


def enc_short(v):
    return b'\x02' + struct.pack('<h', v)


def enc_int(v):
    return b'\x03' + struct.pack('<i', v)


def enc_long(v):
    return b'\x04' + struct.pack('<q', v)


def enc_float_bits(bits):
    return b'\x05' + struct.pack('<i', bits)


def enc_double_bits(bits):
    return b'\x06' + struct.pack('<q', bits)


def enc_char(unit):
    return b'\x07' + struct.pack('<H', unit)


def enc_bool(v):
    return b'\x08' + (b'\x01' if v else b'\x00')


def enc_string(s):
    raw = s.encode('utf-8')
    return b'\x09' + struct.pack('<i', len(raw)) + raw


def enc_uuid(msb, lsb):
    return b'\x0a' + struct.pack('<qq', msb, lsb)


def enc_date(ms):
    return b'\x0b' + struct.pack('<q', ms)


def enc_timestamp(ms, nanos):
    return b'\x21' + struct.pack('<qi', ms, nanos)


def enc_time(ms):
    return b'\x24' + struct.pack('<q', ms)


def enc_decimal(unscaled, scale):
    mag = abs(unscaled)
    b = bytearray(mag.to_bytes(mag.bit_length() // 8 + 1, 'big'))
    if unscaled < 0:
        b[0] |= 0x80
    return b'\x1e' + struct.pack('<ii', scale, len(b)) + bytes(b)


def enc_enum(type_id, ordinal, code=0x1C):
    return bytes([code]) + struct.pack('<ii', type_id, ordinal)


def array_hash(data):
    h = 1
    for b in data:
        h = (31 * h + (b - 256 if b > 127 else b)) & 0xFFFFFFFF
    return h - (1 << 32) if h > 0x7FFFFFFF else h


def enc_object(type_id, fields, compact=True, raw=b'', width=None):
    """A complex object as Java writes it (reference §2.6); fields: [(field id, full value)]."""
    body = bytearray()
    offsets = []
    for fid, value in fields:
        offsets.append((fid, 24 + len(body)))
        body += value
    raw_off = 24 + len(body)
    body += raw
    flags = 0x0001
    if compact:
        flags |= 0x0020
    footer = bytearray()
    if fields:
        last = offsets[-1][1]
        if width is None:
            width = 1 if last < 0x100 else 2 if last < 0x10000 else 4
        flags |= 0x0002 | {1: 0x0008, 2: 0x0010, 4: 0}[width]
        fmt = {1: '<B', 2: '<H', 4: '<i'}[width]
        for fid, off in offsets:
            if not compact:
                footer += struct.pack('<i', fid)
            footer += struct.pack(fmt, off)
        sch_off = 24 + len(body)
        sid = schema_id([fid for fid, _ in fields])
    else:
        sch_off = raw_off if raw else 0
        sid = 0
    if raw:
        flags |= 0x0004
        if fields:
            footer += struct.pack('<i', raw_off)
    length = 24 + len(body) + len(footer)
    h = array_hash(bytes(body))
    header = struct.pack('<BBHiiiii', 0x67, 1, flags, type_id, h, length, sid, sch_off)
    return header + bytes(body) + bytes(footer)


def person(pid=1, name='abc', compact=True):
    return enc_object(PERSON, [(ID, enc_int(pid)), (NAME, enc_string(name))], compact)


def schemas(type_id, sid):
    known = {(PERSON, schema_id([ID, NAME])): [ID, NAME]}
    return known.get((type_id, sid))


def kh(data, *args, **kwargs):
    """key_hash at offset 0 and inside a larger buffer, which must agree."""
    h = key_hash(data, 0, *args, **kwargs)
    framed = b'\xaa' * 7 + data + b'\xbb' * 3
    assert key_hash(framed, 7, *args, **kwargs) == h
    assert key_hash(memoryview(framed), 7, *args, **kwargs) == h
    return h


# -- worked examples of the reference -----------------------------------------------------

def test_person_bytes_match_reference():
    compact = bytes.fromhex(
        '67 01 2b 00 55 9b e3 c4 7d 40 b7 fa 27 00 00 00 f3 f1 dc 39 25 00 00 00'
        '03 01 00 00 00 09 03 00 00 00 61 62 63 18 1d')
    full = bytes.fromhex(
        '67 01 0b 00 55 9b e3 c4 7d 40 b7 fa 2f 00 00 00 f3 f1 dc 39 25 00 00 00'
        '03 01 00 00 00 09 03 00 00 00 61 62 63 1b 0d 00 00 18 8b 7a 33 00 1d')
    assert person() == compact
    assert person(compact=False) == full


@pytest.mark.parametrize('data, h, p1024, p1000', [
    (enc_string('key'), 106079, 606, 79),
    (enc_int(42), 42, 42, 42),
    (enc_int(-1), -1, 0, 1),
    (enc_int(-2147483648), -2147483648, 0, 648),
    (enc_string('abc'), 96354, 99, 354),
    (person(), -88653699, 714, 699),
    (person(compact=False), -88653699, 714, 699),
    (enc_uuid(*struct.unpack('>qq', uuid.UUID('123e4567-e89b-12d3-a456-426614174000').bytes)),
     1256478162, 822, None),
    (enc_long(1234567890123), 1912276436, 47, None),
    (enc_string('Hello'), 69609650, 148, None),
])
def test_worked_examples(data, h, p1024, p1000):
    assert kh(data) == h
    assert partition_for_hash(h, 1024) == p1024
    if p1000 is not None:
        assert partition_for_hash(h, 1000) == p1000


@pytest.mark.parametrize('data, h', [
    (enc_decimal(1234, 2), 38256),
    (enc_decimal(-5, 1), -154),
    (enc_decimal(12345678901234567890123, 3), 647166417),
    (enc_decimal(10, 1), 311),
    (enc_decimal(100, 2), 3102),
    (enc_long((1 << 32) | 5), 4),
    (enc_long(-1), 0),
    (enc_double_bits(struct.unpack('<q', struct.pack('<d', 1.5))[0]), 1073217536),
    (enc_float_bits(struct.unpack('<i', struct.pack('<f', 1.5))[0]), 1069547520),
    (enc_date(1577836800000), 1583802735),
    (enc_timestamp(1577836800123, 456789), 1583802644),
    (enc_uuid(*struct.unpack('>qq', uuid.UUID('00112233-4455-6677-8899-aabbccddeeff').bytes)), 0),
])
def test_hash_examples(data, h):
    assert kh(data) == h


def test_reference_byte_layouts_hash():
    assert kh(bytes.fromhex('1e 03 00 00 00 0a 00 00 00 82 9d 42 b6 4e 76 71 42 44 cb')) == \
        kh(enc_decimal(-12345678901234567890123, 3))
    assert kh(bytes.fromhex('21 7b e8 66 5e 6f 01 00 00 55 f8 06 00')) == 1583802644
    assert kh(bytes.fromhex('0b 00 e8 66 5e 6f 01 00 00')) == 1583802735
    assert kh(bytes.fromhex('1e 00 00 00 00 02 00 00 00 80 80')) == kh(enc_decimal(-128, 0))


# -- every simple type against JDK 17 -----------------------------------------------------

@pytest.mark.parametrize('section, encode', [
    ('int', enc_int), ('long', enc_long), ('short', enc_short), ('byte', enc_byte),
    ('bool', enc_bool), ('char', enc_char), ('float', enc_float_bits),
    ('double', enc_double_bits), ('string', enc_string), ('date', enc_date), ('time', enc_time),
])
def test_simple_types_vs_java(section, encode):
    rows = JAVA[section]
    assert rows
    for value, h in rows:
        assert kh(encode(value)) == h, (section, value)


def test_uuid_vs_java():
    for msb, lsb, h in JAVA['uuid']:
        assert kh(enc_uuid(msb, lsb)) == h


def test_timestamp_vs_java():
    for ms, nanos, h in JAVA['timestamp']:
        assert kh(enc_timestamp(ms, nanos)) == h


def test_decimal_vs_java():
    rows = JAVA['decimal']
    assert any(len(u) > 40 for u, _, _ in rows) and any(s < 0 for _, s, _ in rows)
    for unscaled, scale, h in rows:
        assert kh(enc_decimal(int(unscaled), scale)) == h, (unscaled, scale)


def test_decimal_non_minimal_magnitude():
    # Readers must accept extra leading zero bytes: same value, same hash.
    padded = b'\x1e' + struct.pack('<ii', 2, 4) + b'\x00\x00\x04\xd2'
    assert kh(padded) == 38256
    negative = b'\x1e' + struct.pack('<ii', 1, 3) + b'\x80\x00\x05'
    assert kh(negative) == -154


def test_enum_vs_java():
    for type_id, ordinal, h in JAVA['enum']:
        assert kh(enc_enum(type_id, ordinal)) == h
        assert kh(enc_enum(type_id, ordinal, 0x26)) == h


def test_unregistered_enum_not_computed():
    assert kh(b'\x1c' + struct.pack('<i', 0) + enc_string('a.B') + struct.pack('<i', 1)) is None


def test_float_nan_and_signed_zero():
    assert kh(enc_float_bits(0x7F800001)) == 0x7FC00000
    assert kh(enc_float_bits(-0x00400000)) == 0x7FC00000  # 0xFFC00000, a negative NaN
    assert kh(enc_float_bits(-0x80000000)) == -0x80000000  # -0.0
    assert kh(enc_double_bits(0x7FF0000000000001)) == 0x7FF80000
    assert kh(enc_double_bits(-0x8000000000000000)) == -0x80000000  # -0.0


def test_partition_vs_java():
    rows = JAVA['partition']
    assert {p for _, p, _ in rows} >= {1024, 1000, 100, 7, 65000}
    for h, parts, p in rows:
        assert partition_for_hash(h, parts) == p, (h, parts)
        assert partition_for_hash(h & 0xFFFFFFFF, parts) == p  # unsigned input too


def test_partition_bad_count():
    with pytest.raises(ValueError):
        partition_for_hash(1, 0)


def test_not_computable():
    for data in [
        b'\x65',                                   # null
        b'\x0c' + struct.pack('<i', 1) + b'\x01',  # byte[]
        b'\x0e' + struct.pack('<i', 0),            # int[]
        b'\x18' + struct.pack('<ib', 0, 1),        # collection
        b'\x19' + struct.pack('<ib', 0, 1),        # map
        b'\x17' + struct.pack('<ii', -1, 0),       # Object[]
        b'\xfe' + struct.pack('<i', 0),            # optimized marshaller
        b'\x03\x01\x00',                           # truncated int
        b'\x09' + struct.pack('<i', 10) + b'ab',   # truncated string
        b'\x67\x02' + b'\x00' * 22,                # unknown object version
        b'',
    ]:
        assert key_hash(data, 0) is None, data


# -- complex objects and affinity key fields ------------------------------------------------

def test_object_without_key_fields_uses_header_hash():
    obj = person(7, 'xyz')
    h = struct.unpack_from('<i', obj, 8)[0]
    assert kh(obj) == h
    assert kh(obj, {}) == h
    assert kh(obj, {PERSON + 1: ID}) == h  # another type's config does not apply


def test_affinity_field_full_footer():
    obj = person(2, 'abc', compact=False)
    assert kh(obj, {PERSON: ID}) == 2
    assert kh(obj, {PERSON: NAME}) == 96354
    assert kh(obj, {PERSON: entity_id('missing')}) == struct.unpack_from('<i', obj, 8)[0]


def test_affinity_field_compact_footer():
    obj = person(1, 'abc')
    assert kh(obj, {PERSON: ID}, schemas) == 1
    assert partition_for_hash(kh(obj, {PERSON: ID}, schemas), 1024) == 1
    assert kh(obj, {PERSON: NAME}, schemas) == 96354
    assert kh(obj, {PERSON: entity_id('missing')}, schemas) == -88653699
    # Without the schema the field cannot be found: let the caller route by default.
    assert kh(obj, {PERSON: ID}) is None
    assert kh(obj, {PERSON: ID}, lambda t, s: None) is None
    # A schema that does not fit the footer is not trusted.
    assert kh(obj, {PERSON: ID}, lambda t, s: [NAME, 1, 2, ID]) is None


def test_affinity_field_null_or_empty_object():
    obj = enc_object(PERSON, [(ID, b'\x65'), (NAME, enc_string('n'))], compact=False)
    assert kh(obj, {PERSON: ID}) == struct.unpack_from('<i', obj, 8)[0]
    empty = enc_object(PERSON, [])
    assert len(empty) == 24
    assert kh(empty, {PERSON: ID}, schemas) == 1


@pytest.mark.parametrize('pad, width', [(300, 2), (70000, 4), (300, 4), (10, 2)])
def test_affinity_field_wide_offsets(pad, width):
    fields = [(NAME, enc_string('x' * pad)), (ID, enc_long(5 << 32 | 1))]
    for compact in (True, False):
        obj = enc_object(PERSON, fields, compact, width=width)
        flags = struct.unpack_from('<H', obj, 2)[0]
        assert bool(flags & 0x18) == (width != 4)

        def sch(t, s):
            return [NAME, ID] if (t, s) == (PERSON, schema_id([NAME, ID])) else None

        assert kh(obj, {PERSON: ID}, sch) == 4
        assert kh(obj) == array_hash(obj[24:struct.unpack_from('<i', obj, 20)[0]])


def test_affinity_field_with_raw_data():
    fields = [(ID, enc_int(-1)), (NAME, enc_string('abc'))]
    for compact in (True, False):
        obj = enc_object(PERSON, fields, compact, raw=b'\x01\x02\x03\x04\x05')
        assert struct.unpack_from('<H', obj, 2)[0] & 0x0004
        assert kh(obj, {PERSON: NAME}, schemas) == 96354
        assert kh(obj, {PERSON: ID}, schemas) == -1
        assert kh(obj) == array_hash(obj[24:24 + 5 + 8 + 5])


def test_affinity_field_is_nested_object():
    org = enc_object(entity_id('Org'), [(NAME, enc_string('acme'))])
    org_hash = struct.unpack_from('<i', org, 8)[0]
    key_type = entity_id('PersonKey')
    org_id = entity_id('org')
    obj = enc_object(key_type, [(ID, enc_int(3)), (org_id, org)], compact=False)
    # The nested object hashes by its own header, even if its type has a key config.
    assert kh(obj, {key_type: org_id, entity_id('Org'): NAME}) == org_hash
    wrapped_org = b'\x1b' + struct.pack('<i', len(org)) + org + struct.pack('<i', 0)
    obj2 = enc_object(key_type, [(ID, enc_int(3)), (org_id, wrapped_org)], compact=False)
    assert kh(obj2, {key_type: org_id}) == org_hash


def test_affinity_field_is_handle():
    org = enc_object(entity_id('Org'), [(NAME, enc_string('acme'))])
    org_hash = struct.unpack_from('<i', org, 8)[0]
    a, b = entity_id('a'), entity_id('b')
    # Field b refers back to field a's object (offset 24 from the start).
    handle = b'\x66' + struct.pack('<i', len(org))
    obj = enc_object(PERSON, [(a, org), (b, handle)], compact=False)
    assert kh(obj, {PERSON: b}) == org_hash


def test_wrapped_object():
    obj = person(2, 'abc')
    h = struct.unpack_from('<i', obj, 8)[0]
    wrapped = b'\x1b' + struct.pack('<i', len(obj)) + obj + struct.pack('<i', 0)
    assert kh(wrapped) == h
    assert kh(wrapped, {PERSON: ID}, schemas) == 2
    prefix = enc_string('skip me')
    inner = prefix + obj
    wrapped2 = b'\x1b' + struct.pack('<i', len(inner)) + inner + struct.pack('<i', len(prefix))
    assert kh(wrapped2, {PERSON: NAME}, schemas) == 96354
    bad = b'\x1b' + struct.pack('<i', len(obj)) + obj + struct.pack('<i', len(obj))
    assert kh(bad) is None


# -- OP_CACHE_PARTITIONS --------------------------------------------------------------------

NODE_A = uuid.UUID('f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f')  # high bits set in both halves
NODE_B = uuid.UUID('123e4567-e89b-12d3-a456-426614174000')
CACHE_1, CACHE_2 = cache_id('persons'), cache_id('orders')
CACHE_3, CACHE_4 = cache_id('replicated'), cache_id('filtered')


def enc_node(node, parts):
    return (b'\x0a' + struct.pack('<QQ', node.int >> 64, node.int & (2 ** 64 - 1))
            + struct.pack('<i%di' % len(parts), len(parts), *parts))


def partitions_payload(version=(7, 2), parts=1000, holes=()):
    out = struct.pack('<qii', version[0], version[1], 2)
    out += b'\x01' + struct.pack('<i', 2)
    out += struct.pack('<ii', CACHE_1, 2) + struct.pack('<iiii', PERSON, ID, 1234, 5678)
    out += struct.pack('<ii', CACHE_2, 0)
    even = [p for p in range(0, parts, 2) if p not in holes]
    odd = [p for p in range(parts - 1, 0, -2) if p not in holes]  # any order
    out += struct.pack('<i', 2) + enc_node(NODE_A, even) + enc_node(NODE_B, odd)
    out += b'\x00' + struct.pack('<iii', 2, CACHE_3, CACHE_4)
    return out


def test_enc_node_is_java_uuid_layout():
    # Reference §1.4: each 8-byte half reversed.
    node = uuid.UUID('00112233-4455-6677-8899-aabbccddeeff')
    assert enc_node(node, [])[:17] == bytes.fromhex(
        '0a 77 66 55 44 33 22 11 00 ff ee dd cc bb aa 99 88')


def test_parse_cache_partitions():
    payload = partitions_payload()
    data = b'\x00' * 5 + payload + b'trailer'
    version, groups, end = parse_cache_partitions(data, 5)
    assert version == (7, 2)
    assert end == 5 + len(payload)
    assert len(groups) == 2
    g, ng = groups
    assert isinstance(g, AffinityGroup)
    assert g.applicable and g.cache_ids == (CACHE_1, CACHE_2)
    assert g.key_fields == {CACHE_1: {PERSON: ID, 1234: 5678}}
    assert g.parts == 1000 and len(g.partition_owners) == 1000
    assert g.partition_owners[0] == NODE_A and g.partition_owners[1] == NODE_B
    assert g.partition_owners[998] == NODE_A and g.partition_owners[999] == NODE_B
    assert not ng.applicable and ng.cache_ids == (CACHE_3, CACHE_4)
    assert ng.partition_owners == [] and ng.parts == 0 and ng.key_fields == {}
    assert parse_cache_partitions(memoryview(data), 5)[1] == groups


def test_parse_cache_partitions_holes_and_empty():
    version, groups, _ = parse_cache_partitions(partitions_payload(parts=10, holes=(5, 9)), 0)
    g = groups[0]
    assert g.parts == 9 and g.partition_owners[5] is None
    empty = struct.pack('<qii', 1, 0, 0)
    assert parse_cache_partitions(empty, 0) == ((1, 0), [], 16)
    no_nodes = struct.pack('<qii', 1, 0, 1) + b'\x01' + struct.pack('<iiii', 1, 5, 0, 0)
    (_, [g], end) = parse_cache_partitions(no_nodes, 0)
    assert g.parts == 0 and g.partition_owners == [] and end == len(no_nodes)


def test_parse_cache_partitions_rejects_bad_node():
    bad = struct.pack('<qii', 1, 0, 1) + b'\x01' + struct.pack('<iiii', 1, 5, 0, 1) + b'\x65'
    with pytest.raises(ValueError):
        parse_cache_partitions(bad, 0)


# -- routing --------------------------------------------------------------------------------

def routed_router(version=(7, 2), **kwargs):
    router = PartitionMaps()
    v, groups, _ = parse_cache_partitions(partitions_payload(version, **kwargs), 0)
    router.update(v, groups, requested=[CACHE_1, CACHE_3, 999])
    return router


def test_router_empty():
    router = PartitionMaps()
    assert router.topology_version is None and router.latest_version is None
    assert not router.is_stale()
    assert router.node_for_key(CACHE_1, enc_int(1), 0) is None
    assert router.refresh_ids(CACHE_1) == [CACHE_1]
    # First response after a handshake always reports the version.
    assert router.invalidate((7, 2)) is True
    assert router.is_stale()


def test_router_routes_keys():
    router = routed_router()
    assert router.topology_version == (7, 2)
    # 1000 partitions (not a power of two): even ones on A, odd ones on B.
    assert router.node_for_key(CACHE_1, enc_string('key'), 0) == NODE_B  # 106079 -> 79
    assert router.node_for_key(CACHE_1, enc_int(42), 0) == NODE_A
    assert router.node_for_key(CACHE_1, enc_int(-1), 0) == NODE_B       # Java: 1, not 999
    assert router.node_for_key(CACHE_1, b'\x00' + enc_int(-2), 1) == NODE_A
    # Key config of CACHE_1 hashes Person by id; CACHE_2 has none: whole object.
    obj = person(2, 'xyz')
    whole = struct.unpack_from('<i', obj, 8)[0]
    assert partition_for_hash(whole, 1000) % 2 == 1
    assert router.node_for_key(CACHE_1, obj, 0, schemas) == NODE_A
    assert router.node_for_key(CACHE_1, obj, 0) is None  # compact footer, no schema
    assert router.node_for_key(CACHE_2, obj, 0) == NODE_B
    # Affinity field from binary metadata applies where the cache config has none.
    assert router.node_for_key(CACHE_2, obj, 0, schemas, {PERSON: ID}) == NODE_A
    assert router.node_for_key(CACHE_1, obj, 0, schemas, {PERSON: NAME}) == NODE_A
    # Not applicable, unknown or uncomputable: default routing.
    assert router.node_for_key(CACHE_3, enc_int(42), 0) is None
    assert router.node_for_key(999, enc_int(42), 0) is None
    assert router.node_for_key(cache_id('other'), enc_int(42), 0) is None
    assert router.node_for_key(CACHE_1, b'\x0c\x00\x00\x00\x00', 0) is None


def test_router_tells_which_maps_to_fetch_before_routing():
    router = Router()
    assert router.is_stale(CACHE_1)  # no maps yet
    version, groups, _ = parse_cache_partitions(partitions_payload((7, 2)), 0)
    router.update(version, groups, [CACHE_1, CACHE_3, 999])
    assert not router.is_stale(CACHE_1)
    assert not router.is_stale(CACHE_2)  # came with CACHE_1's group
    assert not router.is_stale(CACHE_3)  # not routed by key, but known
    assert not router.is_stale(999)      # asked for, does not exist
    assert router.is_stale(cache_id('other'))
    router.on_topology_change((7, 1))    # older: nothing changes
    assert not router.is_stale(CACHE_1)
    router.on_topology_change((7, 3))
    assert router.is_stale(CACHE_1) and router.is_stale(999)
    version, groups, _ = parse_cache_partitions(partitions_payload((7, 3)), 0)
    router.update(version, groups, [CACHE_1])
    assert not router.is_stale(CACHE_1) and not router.is_stale(CACHE_2)
    assert router.is_stale(999)  # the new maps were not asked for it


def test_router_partition_hole():
    router = routed_router(parts=10, holes=(2,))
    assert router.group(CACHE_1).parts == 10
    assert router.node_for_key(CACHE_1, enc_int(2), 0) is None
    assert router.node_for_key(CACHE_1, enc_int(4), 0) == NODE_A


def test_router_staleness():
    router = routed_router()
    assert router.invalidate((7, 2)) is False  # same version: nothing changed
    assert router.invalidate((7, 1)) is False
    assert router.is_stale((7, 3)) and router.is_stale((8, 0)) and not router.is_stale((7, 2))
    assert not router.is_stale()
    assert router.invalidate((7, 3)) is True
    assert router.latest_version == (7, 3)
    assert router.is_stale()
    assert router.node_for_key(CACHE_1, enc_int(42), 0) is None  # stale maps are not used
    assert router.group(CACHE_1) is not None
    assert router.refresh_ids(cache_id('new')) == sorted(
        {CACHE_1, CACHE_2, CACHE_3, CACHE_4, 999, cache_id('new')})
    # The reply for the new version replaces the maps.
    v, groups, _ = parse_cache_partitions(partitions_payload((7, 3)), 0)
    router.update(v, groups[:1], requested=[CACHE_1])
    assert router.topology_version == (7, 3) and not router.is_stale()
    assert router.node_for_key(CACHE_1, enc_int(42), 0) == NODE_A
    assert CACHE_3 not in router.refresh_ids()  # dropped with the old maps
    assert 999 not in router.refresh_ids()
    # Same version: merged in.
    router.update(v, groups[1:], requested=[CACHE_3])
    assert {CACHE_1, CACHE_3} <= set(router.refresh_ids())


def test_router_ignores_older_reply():
    router = routed_router((7, 2))
    v, groups, _ = parse_cache_partitions(partitions_payload((7, 1), parts=16), 0)
    router.update(v, groups)
    assert router.topology_version == (7, 2) and router.group(CACHE_1).parts == 1000


def test_router_reply_older_than_reported_version_stays_stale():
    router = PartitionMaps()
    router.invalidate((9, 0))
    v, groups, _ = parse_cache_partitions(partitions_payload((8, 5)), 0)
    router.update(v, groups, [CACHE_1])
    assert router.topology_version == (8, 5) and router.latest_version == (9, 0)
    assert router.node_for_key(CACHE_1, enc_int(42), 0) is None
    v, groups, _ = parse_cache_partitions(partitions_payload((9, 0)), 0)
    router.update(v, groups, [CACHE_1])
    assert router.node_for_key(CACHE_1, enc_int(42), 0) == NODE_A


def test_pick():
    live = {NODE_A: 'conn-a'}
    calls = []

    def fallback():
        calls.append(1)
        return 'any'

    assert pick(NODE_A, live, fallback) == 'conn-a'
    assert pick(NODE_B, live, fallback) == 'any'
    assert pick(None, live, fallback) == 'any'
    assert len(calls) == 2
