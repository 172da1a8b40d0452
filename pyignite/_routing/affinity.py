"""Partition awareness: pure code, no I/O.

* :func:`key_hash` gives the Java ``hashCode()`` the server uses for an encoded key;
* :func:`partition_for_hash` is ``RendezvousAffinityFunction.partition``;
* :func:`parse_cache_partitions` reads an OP_CACHE_PARTITIONS (1101) response;
* :class:`PartitionMaps` keeps the partition maps and says which node owns a key
  and when the maps must be fetched again.

A wrong guess only costs a hop (the server forwards the request), so anything the
client cannot compute exactly gives ``None`` and the caller routes by default.
"""

import struct
import uuid
from collections import ChainMap
from typing import (
    Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, TypeVar, Union,
)

from .._codec.ids import i32, java_string_hash_utf8

__all__ = [
    'key_hash', 'partition_for_hash', 'AffinityGroup', 'parse_cache_partitions',
    'PartitionMaps', 'pick', 'TopologyVersion', 'SchemaFields',
]

ByteData = Union[bytes, bytearray, memoryview]
TopologyVersion = Tuple[int, int]
#: ``(type_id, schema_id) -> field ids in footer order``, or ``None`` if unknown.
SchemaFields = Callable[[int, int], Optional[Sequence[int]]]
T = TypeVar('T')

_MASK32 = 0xFFFFFFFF

# (typed here: struct's unpackers return tuples of Any)
_Unpack1 = Callable[[ByteData, int], Tuple[int]]
_Unpack2 = Callable[[ByteData, int], Tuple[int, int]]
_I8: _Unpack1 = struct.Struct('<b').unpack_from
_I16: _Unpack1 = struct.Struct('<h').unpack_from
_U16: _Unpack1 = struct.Struct('<H').unpack_from
_I32: _Unpack1 = struct.Struct('<i').unpack_from
_U32: _Unpack1 = struct.Struct('<I').unpack_from
_U32X2: _Unpack2 = struct.Struct('<II').unpack_from
_U32X4: Callable[[ByteData, int], Tuple[int, int, int, int]] = struct.Struct('<IIII').unpack_from
_I32X2: _Unpack2 = struct.Struct('<ii').unpack_from
_U64X2: _Unpack2 = struct.Struct('<QQ').unpack_from
# flags, type id, hash, length, schema id, schema offset: header bytes 2..23
_OBJ_HEADER: Callable[[ByteData, int], Tuple[int, int, int, int, int, int]] = struct.Struct(
    '<Hiiiii').unpack_from
_TOPOLOGY: Callable[[ByteData, int], Tuple[int, int, int]] = struct.Struct('<qii').unpack_from

_NULL = 0x65
_HANDLE = 0x66
_OBJ = 0x67
_WRAPPED = 0x1B
_UUID = 0x0A

_FLAG_HAS_SCHEMA = 0x0002
_FLAG_HAS_RAW = 0x0004
_FLAG_OFFSET_1 = 0x0008
_FLAG_OFFSET_2 = 0x0010
_FLAG_COMPACT = 0x0020


# -- Java hashCode of simple values; p is the position just after the type code ---------

def _hash_byte(data: ByteData, p: int) -> int:
    return _I8(data, p)[0]


def _hash_short(data: ByteData, p: int) -> int:
    return _I16(data, p)[0]


def _hash_int(data: ByteData, p: int) -> int:
    return _I32(data, p)[0]


def _hash_long(data: ByteData, p: int) -> int:
    # Long.hashCode: (int)(v ^ (v >>> 32)), i.e. low word ^ high word.
    lo, hi = _U32X2(data, p)
    return i32(lo ^ hi)


def _hash_float(data: ByteData, p: int) -> int:
    bits = _U32(data, p)[0]
    if bits & 0x7F800000 == 0x7F800000 and bits & 0x007FFFFF:
        return 0x7FC00000  # floatToIntBits folds every NaN into one
    return i32(bits)


def _hash_double(data: ByteData, p: int) -> int:
    lo, hi = _U32X2(data, p)
    if hi & 0x7FF00000 == 0x7FF00000 and (hi & 0x000FFFFF or lo):
        return 0x7FF80000  # doubleToLongBits NaN 0x7FF8000000000000, folded
    return i32(lo ^ hi)


def _hash_char(data: ByteData, p: int) -> int:
    return _U16(data, p)[0]


def _hash_bool(data: ByteData, p: int) -> int:
    # The Java reader takes only 0x01 as true.
    return 1231 if data[p] == 1 else 1237


def _hash_string(data: ByteData, p: int) -> Optional[int]:
    n = _I32(data, p)[0]
    if n < 0 or p + 4 + n > len(data):
        return None
    return java_string_hash_utf8(data[p + 4:p + 4 + n])


def _hash_uuid(data: ByteData, p: int) -> int:
    # UUID.hashCode: hilo = msb ^ lsb; (int)(hilo >> 32) ^ (int)hilo.
    msb_lo, msb_hi, lsb_lo, lsb_hi = _U32X4(data, p)
    return i32(msb_lo ^ msb_hi ^ lsb_lo ^ lsb_hi)


def _hash_decimal(data: ByteData, p: int) -> Optional[int]:
    scale, n = _I32X2(data, p)
    if n < 0 or p + 8 + n > len(data):
        return None
    mag = bytes(data[p + 8:p + 8 + n])
    value = int.from_bytes(mag, 'big')
    negative = n > 0 and mag[0] & 0x80
    if negative:
        value &= ~(0x80 << (8 * (n - 1)))
    # BigInteger.hashCode: fold the magnitude's 32-bit words, most significant first,
    # then apply the sign; BigDecimal.hashCode is 31 * that + scale.
    if value <= _MASK32:
        h = value
    else:
        words = (value.bit_length() + 31) >> 5
        h = 0
        for w in struct.unpack('>%dI' % words, value.to_bytes(words * 4, 'big')):
            h = (31 * h + w) & _MASK32
    if negative:
        h = -h
    return i32(31 * h + scale)


def _hash_enum(data: ByteData, p: int) -> Optional[int]:
    type_id = _I32(data, p)[0]
    if type_id == 0:
        return None  # unregistered: a class name follows and the Java side hashes a Java enum
    return i32(31 * type_id + _I32(data, p + 4)[0])


_SIMPLE: List[Optional[Callable[[ByteData, int], Optional[int]]]] = [None] * 256
_SIMPLE[0x01] = _hash_byte
_SIMPLE[0x02] = _hash_short
_SIMPLE[0x03] = _hash_int
_SIMPLE[0x04] = _hash_long
_SIMPLE[0x05] = _hash_float
_SIMPLE[0x06] = _hash_double
_SIMPLE[0x07] = _hash_char
_SIMPLE[0x08] = _hash_bool
_SIMPLE[0x09] = _hash_string
_SIMPLE[0x0A] = _hash_uuid
_SIMPLE[0x0B] = _hash_long  # Date: Long hash of the millis
_SIMPLE[0x1C] = _hash_enum
_SIMPLE[0x1E] = _hash_decimal
_SIMPLE[0x21] = _hash_long  # Timestamp: Date.hashCode of the millis, nanos ignored
_SIMPLE[0x24] = _hash_long  # Time: Date.hashCode of the millis
_SIMPLE[0x26] = _hash_enum


# -- keys -------------------------------------------------------------------------------

def key_hash(
    data: ByteData,
    pos: int,
    key_fields: Optional[Mapping[int, int]] = None,
    schema_fields: Optional[SchemaFields] = None,
) -> Optional[int]:
    """Java ``hashCode()`` the server uses for the key encoded at ``data[pos]`` (type code first).

    :param key_fields: ``type_id -> affinity field id``; a complex key of such a type
        hashes as the value of that field (the whole object if the field is missing or null)
    :param schema_fields: ``(type_id, schema_id) -> field ids``, needed to find a field
        in an object with a compact footer
    :return: the hash, or ``None`` when it cannot be computed on the client (arrays,
        collections, maps, null, unknown schema, malformed data)
    """
    try:
        code = data[pos]
        if code == _OBJ:
            return _object_hash(data, pos, key_fields, schema_fields)
        if code == _WRAPPED:
            n = _I32(data, pos + 1)[0]
            start = _I32(data, pos + 5 + n)[0]
            if n < 0 or not 0 <= start < n:
                return None
            return key_hash(data, pos + 5 + start, key_fields, schema_fields)
        if code == _HANDLE:
            back = _I32(data, pos + 1)[0]
            if not 0 < back <= pos:
                return None
            return key_hash(data, pos - back, key_fields, schema_fields)
        fn = _SIMPLE[code]
        return None if fn is None else fn(data, pos + 1)
    except (struct.error, IndexError):
        return None


def _object_hash(
    data: ByteData,
    pos: int,
    key_fields: Optional[Mapping[int, int]],
    schema_fields: Optional[SchemaFields],
) -> Optional[int]:
    if data[pos + 1] != 1:
        return None  # unknown header version
    flags, type_id, obj_hash, length, schema, footer = _OBJ_HEADER(data, pos + 2)
    field_id = key_fields.get(type_id) if key_fields else None
    if field_id is None:
        return obj_hash
    if not flags & _FLAG_HAS_SCHEMA:
        return obj_hash  # no named fields: the affinity field is missing
    footer_end = length - 4 if flags & _FLAG_HAS_RAW else length
    if flags & _FLAG_OFFSET_1:
        width, read = 1, _read_u8
    elif flags & _FLAG_OFFSET_2:
        width, read = 2, _read_u16
    else:
        width, read = 4, _read_i32
    offset: Optional[int]
    if flags & _FLAG_COMPACT:
        ids = schema_fields(type_id, schema) if schema_fields is not None else None
        if ids is None:
            return None  # the field may well be there; we cannot tell where
        try:
            index = ids.index(field_id)
        except ValueError:
            return obj_hash
        if footer + (index + 1) * width > footer_end:
            return None  # schema does not match this footer
        offset = read(data, pos + footer + index * width)
    else:
        offset = None
        step = 4 + width
        for entry in range(pos + footer, pos + footer_end - step + 1, step):
            if _I32(data, entry)[0] == field_id:
                offset = read(data, entry + 4)
                break
        if offset is None:
            return obj_hash
    value_pos = pos + offset
    if data[value_pos] == _NULL:
        return obj_hash
    # The field's value hashes as itself: a nested object by its own header hash.
    return key_hash(data, value_pos, None, schema_fields)


def _read_u8(data: ByteData, p: int) -> int:
    return data[p]


def _read_u16(data: ByteData, p: int) -> int:
    return _U16(data, p)[0]


def _read_i32(data: ByteData, p: int) -> int:
    return _I32(data, p)[0]


def partition_for_hash(h: int, parts: int) -> int:
    """``RendezvousAffinityFunction`` partition of key hash ``h`` (a Java int) among ``parts``."""
    if parts <= 0:
        raise ValueError('partition count must be positive')
    if parts & (parts - 1) == 0:
        return (h ^ ((h & _MASK32) >> 16)) & (parts - 1)
    # safeAbs(h % parts) with Java's truncating %: that is |h| mod parts.
    return abs(i32(h)) % parts


# -- OP_CACHE_PARTITIONS ----------------------------------------------------------------

class AffinityGroup(NamedTuple):
    """Caches that share one partition map.

    ``partition_owners[p]`` is the primary node of partition ``p`` (``None`` if no
    node claims it); ``parts`` is the highest partition id + 1, as the Java client
    derives it.  A group that is not ``applicable`` (replicated cache, node filter,
    custom affinity) has no map and routes by default.
    """

    applicable: bool
    cache_ids: Tuple[int, ...]
    #: ``cache_id -> {key type id: affinity field id}``; caches without key configs absent
    key_fields: Dict[int, Dict[int, int]]
    partition_owners: List[Optional[uuid.UUID]]
    parts: int


def parse_cache_partitions(
    data: ByteData, pos: int,
) -> Tuple[TopologyVersion, List[AffinityGroup], int]:
    """Read an OP_CACHE_PARTITIONS response payload (feature bit 13 not negotiated).

    :return: ``((major, minor) topology version, groups, position after the payload)``
    """
    major, minor, group_count = _TOPOLOGY(data, pos)
    pos += 16
    groups = []
    for _ in range(group_count):
        applicable = data[pos] != 0
        cache_count = _I32(data, pos + 1)[0]
        pos += 5
        if not applicable:
            cache_ids = struct.unpack_from('<%di' % cache_count, data, pos)
            pos += 4 * cache_count
            groups.append(AffinityGroup(False, cache_ids, {}, [], 0))
            continue
        ids = []
        key_fields = {}
        for _ in range(cache_count):
            cid, cfg_count = _I32X2(data, pos)
            pos += 8
            ids.append(cid)
            if cfg_count:
                pairs = struct.unpack_from('<%di' % (2 * cfg_count), data, pos)
                pos += 8 * cfg_count
                key_fields[cid] = dict(zip(pairs[0::2], pairs[1::2]))
        node_count = _I32(data, pos)[0]
        pos += 4
        owned = []
        size = 0
        for _ in range(node_count):
            if data[pos] != _UUID:
                raise ValueError('OP_CACHE_PARTITIONS: node id is not a UUID value')
            msb, lsb = _U64X2(data, pos + 1)
            part_count = _I32(data, pos + 17)[0]
            part_ids = struct.unpack_from('<%di' % part_count, data, pos + 21)
            pos += 21 + 4 * part_count
            if part_ids:
                if min(part_ids) < 0:
                    raise ValueError('OP_CACHE_PARTITIONS: negative partition id')
                size = max(size, max(part_ids) + 1)
            owned.append((uuid.UUID(int=(msb << 64) | lsb), part_ids))
        owners: List[Optional[uuid.UUID]] = [None] * size
        for node, part_ids in owned:
            for part in part_ids:
                owners[part] = node
        groups.append(AffinityGroup(True, tuple(ids), key_fields, owners, size))
    return (major, minor), groups, pos


# -- routing ----------------------------------------------------------------------------

class PartitionMaps:
    """Partition maps of one client and the routing decision made from them.

    Protocol: call :meth:`invalidate` with the version from every response header
    that carries AFFINITY_TOPOLOGY_CHANGED; before a keyed operation, if the maps do not
    cover its cache or :meth:`is_stale` (the router asks both at once), send
    OP_CACHE_PARTITIONS for :meth:`refresh_ids` and feed the parsed reply to
    :meth:`update`; then ask :meth:`node_for_key`.

    Like the Java client, stale maps are not used: until fresh ones arrive, keys
    route by default.  The state is swapped whole, so readers in other threads see
    either the old maps or the new ones.
    """

    __slots__ = ('_maps', '_latest')

    def __init__(self) -> None:
        # (version the maps were fetched at, cache id -> group or None if not mappable)
        self._maps: Tuple[Optional[TopologyVersion], Dict[int, Optional[AffinityGroup]]] = (
            None, {})
        self._latest: Optional[TopologyVersion] = None

    @property
    def topology_version(self) -> Optional[TopologyVersion]:
        """Affinity topology version the current maps were fetched at."""
        return self._maps[0]

    @property
    def latest_version(self) -> Optional[TopologyVersion]:
        """Newest affinity topology version seen in any response."""
        return self._latest

    def is_stale(self, topology_version: Optional[TopologyVersion] = None) -> bool:
        """Whether ``topology_version`` (default: the newest seen) is newer than the maps."""
        version = self._latest if topology_version is None else tuple(topology_version)
        if version is None:
            return False
        maps_version = self._maps[0]
        return maps_version is None or version > maps_version

    def refresh_ids(self, cache_id: Optional[int] = None) -> List[int]:
        """Cache ids for the OP_CACHE_PARTITIONS request: all known ones, plus ``cache_id``."""
        ids = set(self._maps[1])
        if cache_id is not None:
            ids.add(cache_id)
        return sorted(ids)

    def invalidate(self, new_topology_version: TopologyVersion) -> bool:
        """Note a version reported by a response header; return whether the maps are now stale."""
        # tuple() keeps the two ints (a list may be given); mypy sees tuple[int, ...]
        version: TopologyVersion = tuple(new_topology_version)  # type: ignore[assignment]
        if self._latest is None or version > self._latest:
            self._latest = version
        return self.is_stale()

    def update(
        self,
        topology_version: TopologyVersion,
        groups: Sequence[AffinityGroup],
        requested: Sequence[int] = (),
    ) -> None:
        """Store a parsed OP_CACHE_PARTITIONS reply.

        :param requested: the cache ids that were asked for; those the server left out
            (no such cache) are remembered as unmappable, so they are not asked again
            until the topology changes
        """
        # tuple() keeps the two ints (a list may be given); mypy sees tuple[int, ...]
        version: TopologyVersion = tuple(topology_version)  # type: ignore[assignment]
        old_version, old_groups = self._maps
        if old_version is not None and version < old_version:
            return  # an older reply overtaken by a newer one
        merged: Dict[int, Optional[AffinityGroup]] = (
            dict(old_groups) if version == old_version else {})
        for cid in requested:
            merged[cid] = None
        for group in groups:
            for cid in group.cache_ids:
                merged[cid] = group
        self._maps = (version, merged)
        if self._latest is None or version > self._latest:
            self._latest = version

    def group(self, cache_id: int) -> Optional[AffinityGroup]:
        """The group holding ``cache_id``, if known (even when stale)."""
        return self._maps[1].get(cache_id)

    def node_for_key(
        self,
        cache_id: int,
        data: ByteData,
        key_pos: int,
        schema_fields: Optional[SchemaFields] = None,
        type_key_fields: Optional[Mapping[int, int]] = None,
    ) -> Optional[uuid.UUID]:
        """Primary node of the key encoded at ``data[key_pos]``, or ``None`` to route by default.

        :param type_key_fields: ``type_id -> affinity field id`` from binary type metadata,
            used (as the server does) for types the cache's key configuration lacks
        """
        version, groups = self._maps
        group = groups.get(cache_id)
        if group is None or not group.parts:
            return None
        latest = self._latest
        # the maps have a version once they hold a group
        if latest is not None and latest > version:  # type: ignore[operator]
            return None
        key_fields: Optional[Mapping[int, int]] = group.key_fields.get(cache_id)
        if type_key_fields:
            # ChainMap is typed for mutable maps; it is only read here
            key_fields = (ChainMap(key_fields, type_key_fields)  # type: ignore[arg-type]
                          if key_fields else type_key_fields)
        h = key_hash(data, key_pos, key_fields, schema_fields)
        if h is None:
            return None
        return group.partition_owners[partition_for_hash(h, group.parts)]


def pick(
    node_uuid: Optional[uuid.UUID], live: Mapping[uuid.UUID, T], fallback: Callable[[], T],
) -> T:
    """The live connection to ``node_uuid``, else whatever ``fallback()`` chooses."""
    if node_uuid is not None:
        conn = live.get(node_uuid)
        if conn is not None:
            return conn
    return fallback()
