"""Partition-aware routing and the schedule of reconnection attempts. No I/O.

:class:`Router` sits between a client's connections and the partition maps kept
by :class:`~pyignite._routing.affinity.PartitionMaps`: it turns "the primary node of
this key is node X" into "send it on that connection" and falls back to the
client's default connection whenever it cannot tell (no map yet, stale map,
unhashable key, the owner is not one of our nodes or its connection is down).
A wrong guess costs only a hop: the server forwards the request.

Affinity key fields come from two places, as on the server: the cache key
configuration (carried by the partition map) and binary type metadata. The
metadata is read through an optional accessor of the client's binary registry
(see :func:`metadata_accessors`); without it, complex keys whose affinity field
is only known from metadata route by the whole object's hash.

:class:`RetrySchedule` says when dead connections should be tried again: a
partition-aware client keeps one connection per node, and a node that comes
back must be used again without a background thread, so the drivers make an
attempt before an operation once the schedule says so.
"""
import struct
import threading
import time
from collections import ChainMap
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence,
    Set, Tuple,
)
from uuid import UUID

from .affinity import (
    _SIMPLE, AffinityGroup, PartitionMaps, ByteData, SchemaFields, TopologyVersion, key_hash,
)

if TYPE_CHECKING:
    from ..connection.base import NodeConnection

__all__ = ['Router', 'RetrySchedule', 'metadata_accessors', 'pick_long']

#: seconds between attempts to reconnect dead nodes while nothing else happens
RETRY_INTERVAL = 5.0
#: the shortest time between two attempts, even when topology changes come in bursts
RETRY_MIN_INTERVAL = 1.0

# complex object, wrapped object, back-reference: the keys affinity key fields apply to
_COMPLEX_CODES = frozenset((0x67, 0x1B, 0x66))
_WORDS = struct.Struct('<II').unpack_from


def metadata_accessors(registry: Any) -> Tuple[Optional[Mapping[int, int]], Optional[SchemaFields]]:
    """What the binary registry knows that matters for routing complex keys.

    The registry may offer (both optional, looked up by name so routing degrades
    gracefully while it does not):

    * ``affinity_key_fields``: a mapping ``type_id -> field id`` of the affinity key
      field named in binary type metadata (``register_binary_type(affinity_key_field=)``,
      ``put_binary_type`` or metadata fetched from the server);
    * ``schema_fields(type_id, schema_id)``: the field ids of a schema in footer
      order, or None if unknown (needed to find a field in a compact-footer object).

    :param registry: the client's binary registry,
    :return: ``(affinity key fields or None, schema fields callable or None)``.
    """
    fields = getattr(registry, 'affinity_key_fields', None)
    schema_fields = getattr(registry, 'schema_fields', None)
    return (fields or None), schema_fields


class Router:
    """Routing state of one partition-aware client.

    For speed, each mappable cache gets a table ``partition -> connection`` (built when
    maps or connections change), so routing a key costs a hash, a partition and a list
    index; binary metadata is consulted only for complex-object keys.

    :ivar affinity: the partition maps (:class:`~pyignite._routing.affinity.PartitionMaps`).
    """

    __slots__ = ('affinity', '_by_node', '_owners', '_tables', '_known', '_fresh', '_lock')

    def __init__(self, connections: Iterable['NodeConnection'] = ()) -> None:
        self.affinity = PartitionMaps()
        self._by_node: Mapping[UUID, 'NodeConnection'] = {}
        #: every node that is primary for some partition in the current maps
        self._owners: FrozenSet[UUID] = frozenset()
        #: cache id -> (group, partition mask or -1, partition -> connection or None)
        self._tables: Dict[int, Tuple[AffinityGroup, int, List[Optional['NodeConnection']]]] = {}
        #: every cache id the maps cover, routed by key or not (:meth:`is_stale` asks it
        #: before every keyed request: a set lookup, not a walk through the maps)
        self._known: FrozenSet[int] = frozenset()
        #: False while a newer topology than the maps' has been seen
        self._fresh = True
        # the last rebuild must see both the latest maps and the latest connections
        self._lock = threading.Lock()
        self.set_connections(connections)

    def set_connections(self, connections: Iterable['NodeConnection']) -> None:
        """(Re)build the node id -> connection table, e.g. after a reconnection.

        A restarted node has a new node id, so this must follow every handshake.
        """
        self._by_node = {conn.uuid: conn for conn in connections if conn.uuid is not None}
        self._rebuild()

    def _rebuild(self) -> None:
        with self._lock:
            self._rebuild_locked()

    def _rebuild_locked(self) -> None:
        affinity = self.affinity
        by_node = self._by_node
        built: Dict[int, Tuple[AffinityGroup, int, List[Optional['NodeConnection']]]] = {}
        tables = {}
        owners: Set[Optional[UUID]] = set()
        known = affinity.refresh_ids()
        for cid in known:
            group = affinity.group(cid)
            if group is None or not group.parts:
                continue
            entry = built.get(id(group))
            if entry is None:
                parts = group.parts
                mask = parts - 1 if parts & (parts - 1) == 0 else -1
                conns = [None if node is None else by_node.get(node)
                         for node in group.partition_owners]
                entry = built[id(group)] = (group, mask, conns)
                owners.update(group.partition_owners)
            tables[cid] = entry
        owners.discard(None)
        self._tables = tables
        self._owners = frozenset(owners)  # type: ignore[arg-type]  # None discarded above
        self._known = frozenset(known)
        self._fresh = not affinity.is_stale()

    def connection_for(self, registry: Any, cache_id: int, data: ByteData,
                       key_pos: int) -> Optional['NodeConnection']:
        """The live connection to the primary node of the key at ``data[key_pos]``.

        :param registry: the client's binary registry (see :func:`metadata_accessors`),
        :return: a connection, or None to route by default.
        """
        entry = self._tables.get(cache_id)
        if entry is None or not self._fresh:
            return None  # no map (yet), a cache that routes by default, or a stale map
        group, mask, conns = entry
        if data[key_pos] in _COMPLEX_CODES:
            type_fields, schema_fields = metadata_accessors(registry)
            key_fields: Optional[Mapping[int, int]] = group.key_fields.get(cache_id)
            if type_fields:
                # ChainMap is typed for mutable maps; it is only read here
                key_fields = (ChainMap(key_fields, type_fields)  # type: ignore[arg-type]
                              if key_fields else type_fields)
            h = key_hash(data, key_pos, key_fields, schema_fields)
        else:
            h = key_hash(data, key_pos)
        if h is None:
            return None
        if mask >= 0:
            part = (h ^ ((h & 0xFFFFFFFF) >> 16)) & mask
        else:
            part = abs(h) % group.parts  # Java's safeAbs(h % parts); h is a Java int
        conn = conns[part]
        if conn is not None and conn.alive:
            return conn
        return None

    def connection_for_partition(self, cache_id: int,
                                 partition: int) -> Optional['NodeConnection']:
        """The live connection to the primary node of a partition (e.g. for a scan of it).

        :param cache_id: the cache the partition belongs to,
        :param partition: the partition number,
        :return: a connection, or None to route by default (no map or a stale one, a
         partition the map does not have, or an owner we are not connected to).
        """
        entry = self._tables.get(cache_id)
        if entry is None or not self._fresh:
            return None
        conns = entry[2]
        if not 0 <= partition < len(conns):
            return None  # the server judges the number; any node will do to hear it
        conn = conns[partition]
        if conn is not None and conn.alive:
            return conn
        return None

    def connections_for(self, registry: Any, cache_id: int, data: ByteData,
                        positions: List[int]) -> Optional[List[Optional['NodeConnection']]]:
        """:meth:`connection_for` of many keys of one cache at once (a multi-key request
        split by node): the connection of the key at each position, None for a key to
        route by default; or None (all by default) without a fresh map.
        """
        entry = self._tables.get(cache_id)
        if entry is None or not self._fresh:
            return None
        _, mask, conns = entry
        parts = len(conns)
        simple = _SIMPLE
        out: List[Optional['NodeConnection']] = []
        append = out.append
        words = _WORDS
        for pos in positions:
            code = data[pos]
            if code == 4 and mask >= 0:
                # a long, the usual key: Long.hashCode is low word ^ high word, whose
                # sign does not matter to the masked partition
                lo, hi = words(data, pos + 1)
                h = lo ^ hi
                conn = conns[(h ^ (h >> 16)) & mask]
                append(conn if conn is not None and conn.alive else None)
                continue
            fn = simple[code] if code not in _COMPLEX_CODES else None
            if fn is None:
                append(self.connection_for(registry, cache_id, data, pos))
                continue
            try:
                h = fn(data, pos + 1)
            except (struct.error, IndexError):
                h = None
            if h is None:
                append(None)
                continue
            if mask >= 0:
                part = (h ^ ((h & 0xFFFFFFFF) >> 16)) & mask
            else:
                part = abs(h) % parts
            conn = conns[part]
            append(conn if conn is not None and conn.alive else None)
        return out

    def long_route(self, cache_id: int) -> Optional[Tuple[int, List[Optional['NodeConnection']]]]:
        """What routes plain int keys (written as longs) of a cache from the ints
        themselves, with no bytes to read: ``(mask, connection of each partition)`` for
        :func:`pick_long`; None without a fresh map or when the cache's partition count
        is not a power of two (then route by their bytes)."""
        entry = self._tables.get(cache_id)
        if entry is None or not self._fresh or entry[1] < 0:
            return None
        return entry[1], entry[2]

    def connections_for_longs(self, cache_id: int,
                              keys: Sequence[int]) -> Optional[List[Optional['NodeConnection']]]:
        """:meth:`connections_for` of keys that are all plain ints written as longs (see
        :meth:`long_route`), or None."""
        route = self.long_route(cache_id)
        if route is None:
            return None
        mask, conns = route
        out = [conns[_long_partition(k, mask)] for k in keys]
        dead = [conn for conn in set(out) if conn is not None and not conn.alive]
        if dead:
            out = [None if conn in dead else conn for conn in out]
        return out

    def partition_connections(self, cache_id: int) -> Optional[List[Optional['NodeConnection']]]:
        """The connection to the primary node of each partition of a cache (None where it
        is unknown or dead), or None without a fresh map."""
        entry = self._tables.get(cache_id)
        if entry is None or not self._fresh:
            return None
        return [conn if conn is not None and conn.alive else None for conn in entry[2]]

    def node_for_key(self, registry: Any, cache_id: int, data: ByteData,
                     key_pos: int) -> Optional[UUID]:
        """The primary node id of a key, or None if it cannot be told."""
        type_fields, schema_fields = metadata_accessors(registry)
        return self.affinity.node_for_key(cache_id, data, key_pos, schema_fields, type_fields)

    def is_stale(self, cache_id: int) -> bool:
        """Whether the map of ``cache_id`` must be fetched before routing a key of it: the
        maps do not cover it, or a newer topology than theirs was seen."""
        return not self._fresh or cache_id not in self._known

    def refresh_ids(self, cache_id: int) -> List[int]:
        """Cache ids to ask OP_CACHE_PARTITIONS for: every known cache and ``cache_id``."""
        return self.affinity.refresh_ids(cache_id)

    def update(self, version: TopologyVersion, groups: Sequence[AffinityGroup],
               requested: Sequence[int]) -> None:
        """Store a parsed OP_CACHE_PARTITIONS reply."""
        self.affinity.update(version, groups, requested)
        self._rebuild()

    def give_up(self, requested: Sequence[int]) -> None:
        """The server refused the map request: route these caches by default until the
        topology changes, rather than asking again before every request.
        """
        version = self.affinity.latest_version or (0, 0)
        self.affinity.update(version, (), requested)
        self._rebuild()

    def on_topology_change(self, version: TopologyVersion) -> bool:
        """Note a topology version from a response header; return whether it is new."""
        before = self.affinity.latest_version
        self.affinity.invalidate(version)
        self._fresh = not self.affinity.is_stale()
        return self.affinity.latest_version != before

    def unreachable_owner(self) -> bool:
        """Whether some node of the maps has no live connection (a node came back with a
        new id, or one we lost still owns partitions)."""
        by_node = self._by_node
        for node in self._owners:
            conn = by_node.get(node)
            if conn is None or not conn.alive:
                return True
        return False

    def stale(self, conn: 'NodeConnection') -> bool:
        """Whether a connection that looks alive may lead to a node that left: its node
        owns nothing while some owner has no connection. (A killed node's socket is only
        found dead when used, and the maps no longer send anything its way.)"""
        owners = self._owners
        return bool(owners) and conn.uuid not in owners and self.unreachable_owner()


class RetrySchedule:
    """When to try dead connections again (no background threads: the drivers ask
    :meth:`due` before each operation, which costs one comparison while all is well).

    :param interval: seconds between attempts while connections stay dead,
    :param min_interval: seconds between attempts triggered by topology changes,
    :param clock: a monotonic clock (injectable for tests).
    """

    __slots__ = ('at', 'last', 'interval', 'min_interval', 'clock')

    def __init__(self, interval: float = RETRY_INTERVAL,
                 min_interval: float = RETRY_MIN_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        #: clock time of the next attempt, None while no attempt is needed
        self.at: Optional[float] = None
        self.last = float('-inf')
        self.interval = interval
        self.min_interval = min_interval
        self.clock = clock

    def due(self) -> bool:
        """Whether an attempt should be made now."""
        at = self.at
        return at is not None and self.clock() >= at

    def node_lost(self) -> None:
        """A connection died: try it again after the interval (if not planned sooner)."""
        at = self.clock() + self.interval
        if self.at is None or at < self.at:
            self.at = at

    def soon(self) -> None:
        """Something suggests a node is back (topology change): try as soon as allowed."""
        self.at = max(self.clock(), self.last + self.min_interval)

    def attempted(self, still_dead: bool) -> None:
        """An attempt was made; plan the next one if some connections are still dead."""
        now = self.clock()
        self.last = now
        self.at = now + self.interval if still_dead else None

    def clear(self) -> None:
        """No attempts needed (all connected, or the client closed)."""
        self.at = None


def pick_long(route: Tuple[int, List[Optional['NodeConnection']]],
              key: int) -> Optional['NodeConnection']:
    """The live connection to the primary node of the plain int ``key`` by ``route``
    (:meth:`Router.long_route`), or None to route by default."""
    mask, conns = route
    conn = conns[_long_partition(key, mask)]
    return conn if conn is not None and conn.alive else None


def _long_partition(key: int, mask: int) -> int:
    """The partition of the plain int ``key`` (a Java long) for a power-of-two partition
    count ``mask + 1``: Long.hashCode (low word ^ high word; ``key >> 32`` keeps the sign,
    as the high word), spread as the server's affinity does."""
    h = (key ^ (key >> 32)) & 0xFFFFFFFF
    return (h ^ (h >> 16)) & mask
