"""Ids and hashes of the Ignite binary protocol: pure functions, no I/O.

Every result is a Java ``int``, i.e. a signed 32-bit Python int.

The polynomial hashes (``String.hashCode``, ``Arrays.hashCode(byte[])``) sit on the
partition-awareness hot path, so they avoid a per-byte Python loop: each byte is
split into two base-31 digits with ``bytes.translate`` and the digit strings are
read back with ``int(digits, 31)``, which makes CPython's C base conversion
evaluate the polynomial at 31.  Measured on CPython 3.11 this is 4-8 times faster
than a dot product with cached powers of 31 and 5-9 times faster than a loop.
"""

import functools
from typing import Sequence, Union

__all__ = [
    'i32', 'java_string_hash', 'java_string_hash_utf8', 'cache_id', 'entity_id',
    'java_lower', 'schema_id', 'bytes_hash',
]

_MASK32 = 0xFFFFFFFF

ByteData = Union[bytes, bytearray, memoryview]


def i32(x: int) -> int:
    """Wrap ``x`` to a signed 32-bit value, as Java ``int`` arithmetic does."""
    return ((x + 0x80000000) & _MASK32) - 0x80000000


# -- polynomial hashing core ------------------------------------------------------------

_DIGITS = b'0123456789abcdefghijklmnopqrstu'
# An unsigned byte u is d0 + 31 * d1 with d0 < 31 and d1 <= 8, both valid base-31 digits.
_U_LO = bytes(_DIGITS[b % 31] for b in range(256))
_U_HI = bytes(_DIGITS[b // 31] for b in range(256))
# Java bytes are signed: s = (b ^ 0x80) - 128, so hash the unsigned b ^ 0x80 and take
# 128 * sum(31**k) off afterwards (folded into _SIGNED_BASE below).
_S_LO = bytes(_DIGITS[(b ^ 0x80) % 31] for b in range(256))
_S_HI = bytes(_DIGITS[(b ^ 0x80) // 31] for b in range(256))

# int(str, 31) is quadratic in the length, so long inputs go in chunks; 160 digits
# measured fastest (and stays far below sys.get_int_max_str_digits(), minimum 640).
_CHUNK = 160
_POW_CHUNK = pow(31, _CHUNK, 1 << 32)


def _poly31(raw: bytes, lo: bytes, hi: bytes) -> int:
    """``sum(u[i] * 31 ** (n - 1 - i))`` modulo 2**32 (maybe unreduced) for non-empty ``raw``.

    ``u`` is each byte mapped through the digit tables ``lo``/``hi``.
    """
    d0 = raw.translate(lo)
    d1 = raw.translate(hi)
    n = len(raw)
    if n <= _CHUNK:
        return int(d0, 31) + 31 * int(d1, 31)
    r = n % _CHUNK or _CHUNK
    acc = int(d0[:r], 31) + 31 * int(d1[:r], 31)
    for i in range(r, n, _CHUNK):
        j = i + _CHUNK
        acc = (acc * _POW_CHUNK + int(d0[i:j], 31) + 31 * int(d1[i:j], 31)) & _MASK32
    return acc


def _signed_base(n: int) -> int:
    # 31**n (Arrays.hashCode starts at 1) minus 128 * (31**n - 1) / 30 (the signed-byte
    # shift); the modulus keeps the division by 30 exact.
    x = pow(31, n, 30 << 32)
    return (x - 128 * ((x - 1) // 30)) & _MASK32


_SIGNED_BASE = [_signed_base(n) for n in range(1025)]


def bytes_hash(data: ByteData, start: int, end: int) -> int:
    """``java.util.Arrays.hashCode(byte[])`` of ``data[start:end]`` (signed bytes, seed 1).

    This is the hash Java stores in a complex object's header.
    """
    n = end - start
    if n <= 0:
        if n < 0:
            raise ValueError('bytes_hash: end before start')
        return 1
    raw = data[start:end]
    if len(raw) != n:
        raise ValueError('bytes_hash: range outside the data')
    if not isinstance(raw, bytes):
        # translate() is missing on memoryview; bytearray would work, but bytes is faster.
        raw = bytes(raw)
    base = _SIGNED_BASE[n] if n < len(_SIGNED_BASE) else _signed_base(n)
    return i32(base + _poly31(raw, _S_LO, _S_HI))


def java_string_hash(s: str) -> int:
    """Java ``String.hashCode()``: over UTF-16 code units, so a non-BMP char counts twice."""
    if not s:
        return 0
    if s.isascii():
        return i32(_poly31(s.encode('ascii'), _U_LO, _U_HI))
    units = s.encode('utf-16-le', 'surrogatepass')
    # unit = low byte + 256 * high byte, and the polynomial is linear in the units.
    return i32(_poly31(units[0::2], _U_LO, _U_HI) + 256 * _poly31(units[1::2], _U_LO, _U_HI))


def java_string_hash_utf8(raw: ByteData) -> int:
    """``String.hashCode()`` of the string a Java server decodes from UTF-8 bytes ``raw``."""
    if not isinstance(raw, bytes):
        raw = bytes(raw)
    if not raw:
        return 0
    if raw.isascii():
        # ASCII bytes are the UTF-16 units already: skip the decode.
        return i32(_poly31(raw, _U_LO, _U_HI))
    try:
        s = raw.decode('utf-8')
    except UnicodeDecodeError:
        s = _decode_java_modified(raw)
    return java_string_hash(s)


def _decode_java_modified(raw: bytes) -> str:
    # Servers with IGNITE_BINARY_MARSHALLER_USE_STRING_SERIALIZATION_VER_2 write NUL as
    # C0 80 and surrogates one by one (CESU-8); their reader turns them back into those
    # UTF-16 units.  Anything else malformed is what a default server replaces by U+FFFD.
    try:
        return raw.replace(b'\xc0\x80', b'\x00').decode('utf-8', 'surrogatepass')
    except UnicodeDecodeError:
        return raw.decode('utf-8', 'replace')


@functools.lru_cache(maxsize=4096)
def cache_id(name: str) -> int:
    """Cache id: the plain, case-sensitive Java hash of the cache name."""
    return java_string_hash(name)


# -- type and field ids -----------------------------------------------------------------

# Where Python's per-character str.lower() differs from Java 17's Character.toLowerCase
# (Unicode 13).  U+0130 lowers to two chars in Python.  The others are case pairs added
# in Unicode 13 (known to Java 17, unknown to Python 3.8) or later (unknown to Java 17,
# known to newer Pythons), pinned so that every Python gives the Java 17 answer.
_JAVA_LOWER_FIXES = {
    0x0130: 0x0069,
    0xA7C7: 0xA7C8, 0xA7C9: 0xA7CA, 0xA7F5: 0xA7F6,
    0x2C2F: 0x2C2F, 0xA7C0: 0xA7C0, 0xA7D0: 0xA7D0, 0xA7D6: 0xA7D6, 0xA7D8: 0xA7D8,
    0x1C89: 0x1C89, 0xA7CB: 0xA7CB, 0xA7CC: 0xA7CC, 0xA7DA: 0xA7DA, 0xA7DC: 0xA7DC,
}


def java_lower(unit: int) -> int:
    """Java 17 ``Character.toLowerCase(char)`` of one UTF-16 code unit."""
    fixed = _JAVA_LOWER_FIXES.get(unit)
    if fixed is not None:
        return fixed
    if 0xD800 <= unit <= 0xDFFF:
        return unit
    low = chr(unit).lower()
    return ord(low) if len(low) == 1 else unit


@functools.lru_cache(maxsize=4096)
def entity_id(name: str) -> int:
    """Type or field id (``BinaryBasicIdMapper``, lower-case mode) of ``name``.

    Java lower-cases each UTF-16 unit on its own, so surrogate pairs (non-BMP chars)
    are left as they are.
    """
    if name.isascii():
        return java_string_hash(name.lower())
    units = name.encode('utf-16-le', 'surrogatepass')
    n = len(units) // 2
    lowered = [java_lower(units[2 * i] | units[2 * i + 1] << 8) for i in range(n)]
    h = 0
    for u in lowered:
        h = (31 * h + u) & _MASK32
    return i32(h)


# -- schema id --------------------------------------------------------------------------

_FNV_BASIS = 0x811C9DC5
_FNV_PRIME = 0x01000193


def schema_id(field_ids: Sequence[int]) -> int:
    """Schema id: FNV-1 over the field ids' bytes, least significant first; 0 if empty."""
    if not field_ids:
        return 0
    h = _FNV_BASIS
    for f in field_ids:
        h = ((h ^ (f & 0xFF)) * _FNV_PRIME) & _MASK32
        h = ((h ^ ((f >> 8) & 0xFF)) * _FNV_PRIME) & _MASK32
        h = ((h ^ ((f >> 16) & 0xFF)) * _FNV_PRIME) & _MASK32
        h = ((h ^ ((f >> 24) & 0xFF)) * _FNV_PRIME) & _MASK32
    return i32(h)
