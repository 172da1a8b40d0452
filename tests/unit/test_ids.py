"""Ids and hashes against the reference's worked examples and values computed by JDK 17."""

import json
import os

import pytest

from pyignite._codec.ids import (
    bytes_hash, cache_id, entity_id, i32, java_lower, java_string_hash, java_string_hash_utf8,
    schema_id,
)

with open(os.path.join(os.path.dirname(__file__), 'data', 'java_hashes.json')) as f:
    JAVA = json.load(f)


def _generated(length: int, seed: int) -> bytes:
    # Same formula as the Java generator of the "bytes_hash_generated" rows.
    return bytes((7 * i * i + 13 * i + 101 * seed) & 0xFF for i in range(length))


def test_i32():
    assert i32(0) == 0
    assert i32(0x7FFFFFFF) == 2147483647
    assert i32(0x80000000) == -2147483648
    assert i32(0xFFFFFFFF) == -1
    assert i32(-1) == -1
    assert i32(1 << 40 | 5) == 5
    assert i32(-2147483649) == 2147483647


@pytest.mark.parametrize('s, h', [
    ('', 0), ('key', 106079), ('abc', 96354), ('Hello', 69609650),
    ('\U0001F600', 0xD83D * 31 + 0xDE00),
])
def test_java_string_hash_examples(s, h):
    assert java_string_hash(s) == h


def test_java_string_hash_vs_java():
    rows = JAVA['string'] + JAVA['string_lone_surrogates']
    assert len(rows) > 300
    assert any(any(ord(c) > 0xFFFF for c in s) for s, _ in rows)
    for s, h in rows:
        assert java_string_hash(s) == h, s


def test_java_string_hash_long():
    # Crosses the internal chunking boundaries.
    for n in (159, 160, 161, 320, 321, 5000):
        s = ''.join(chr(0x20 + (i * 7) % 0x5F) for i in range(n))
        h = 0
        for c in s:
            h = (31 * h + ord(c)) & 0xFFFFFFFF
        assert java_string_hash(s) == i32(h)
        s2 = s[:-1] + '\u4e2d'
        assert java_string_hash(s2) == i32(h - ord(s[-1]) + 0x4E2D)


def test_java_string_hash_utf8():
    for s, h in JAVA['string']:
        raw = s.encode('utf-8')
        assert java_string_hash_utf8(raw) == h, s
        assert java_string_hash_utf8(bytearray(raw)) == h
        assert java_string_hash_utf8(memoryview(raw)) == h
    # Modified UTF-8 of a "string serialization ver 2" server: C0 80 is NUL and
    # surrogates are encoded one by one.
    assert java_string_hash_utf8(b'a\xc0\x80b') == java_string_hash('a\x00b')
    raw = b'x\xed\xa0\xbd\xed\xb8\x80'  # U+D83D U+DE00 (U+1F600), CESU-8
    assert java_string_hash_utf8(raw) == java_string_hash('x\U0001F600')
    # Malformed input decodes with U+FFFD, as Java's default decoder does.
    assert java_string_hash_utf8(b'a\xffb') == java_string_hash('a\ufffdb')


def test_cache_id():
    assert cache_id('myCache') == 1482644790
    assert cache_id('key') == 106079
    assert cache_id('SQL_PUBLIC_PERSON') == java_string_hash('SQL_PUBLIC_PERSON')
    assert cache_id('MyCache') != cache_id('mycache')


@pytest.mark.parametrize('name, eid', [
    ('Person', -991716523), ('id', 3355), ('name', 3373707),
    ('org.apache.ignite.examples.Person', -809452212), ('affinityKey', -482343881),
])
def test_entity_id_examples(name, eid):
    assert entity_id(name) == eid


def test_entity_id_vs_java():
    rows = JAVA['entity_id']
    for name, eid in rows:
        assert entity_id(name) == eid, name
        assert entity_id.__wrapped__(name) == eid


def test_java_lower_whole_bmp_vs_java():
    java = {unit: low for unit, low in JAVA['lower_case']}
    wrong = [hex(u) for u in range(0x10000) if java_lower(u) != java.get(u, u)]
    assert wrong == []


def test_entity_id_special_cases():
    assert entity_id('\u0130') == ord('i')  # Python would lower it to two chars
    assert entity_id('\U00010400') == java_string_hash('\U00010400')  # surrogates kept
    assert entity_id('\u212a') == ord('k')  # Kelvin sign


def test_schema_id():
    assert schema_id([]) == 0
    assert schema_id(()) == 0
    assert schema_id([3355, 3373707]) == 970781171
    assert schema_id((entity_id('id'), entity_id('name'))) == 970781171
    for ids, sid in JAVA['schema_id']:
        assert schema_id(ids) == sid, ids


def test_bytes_hash_example():
    body = bytes.fromhex('03 01 00 00 00 09 03 00 00 00 61 62 63')
    assert bytes_hash(body, 0, len(body)) == -88653699
    framed = b'\xff' * 24 + body + b'\x18\x1d'
    assert bytes_hash(framed, 24, 24 + len(body)) == -88653699
    assert bytes_hash(bytearray(framed), 24, 37) == -88653699
    assert bytes_hash(memoryview(framed), 24, 37) == -88653699
    assert bytes_hash(memoryview(framed)[10:], 14, 27) == -88653699


def test_bytes_hash_empty_and_errors():
    assert bytes_hash(b'abc', 1, 1) == 1
    assert bytes_hash(b'', 0, 0) == 1
    with pytest.raises(ValueError):
        bytes_hash(b'abc', 2, 1)
    with pytest.raises(ValueError):
        bytes_hash(b'abc', 1, 5)


def test_bytes_hash_vs_java():
    for hexdata, h in JAVA['bytes_hash']:
        data = bytes.fromhex(hexdata)
        assert bytes_hash(data, 0, len(data)) == h, hexdata
        padded = b'\x80' + data + b'\x7f'
        assert bytes_hash(padded, 1, 1 + len(data)) == h


def test_bytes_hash_large_vs_java():
    rows = JAVA['bytes_hash_generated']
    assert max(n for n, _, _ in rows) >= 100000
    for n, seed, h in rows:
        assert bytes_hash(_generated(n, seed), 0, n) == h, n


def test_bytes_hash_matches_plain_loop():
    data = bytes(range(256)) * 5
    for start, end in [(0, 1), (3, 200), (0, 1024), (1, 1025), (100, 1280), (0, 1280)]:
        h = 1
        for b in data[start:end]:
            h = (31 * h + (b - 256 if b > 127 else b)) & 0xFFFFFFFF
        assert bytes_hash(data, start, end) == i32(h)
