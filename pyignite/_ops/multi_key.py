"""Multi-key operations split by primary node: ``get_all``, ``put_all``, ``contains_keys``,
``remove_keys`` and ``clear_keys``.

On a partition-aware client, one request with every key would make the node it reaches
fetch or write most of them on the other nodes. Instead, the keys are sorted by the
primary node their partition map names, and each node gets a request with its own keys;
the drivers send them all at once (the sync client pipelines them over the connections,
the async one runs them concurrently) and :meth:`Fanout.result` makes of the replies
what the one request would have answered.

An operation is planned (:func:`plan`) before it is sent: planning may fetch a stale
partition map or the cache's settings, and returns a :class:`Fanout`. No split happens,
and the operation is one request as before, when

* the client is not partition-aware, or has no fresh map for the cache,
* the operation runs in a transaction (its requests must all go to its connection),
* a key is a complex object the server may not know yet (its type is registered with the
  request: keys are then written once, the usual way),
* the operation writes to a TRANSACTIONAL cache: there the server runs the one request as
  an implicit transaction (all or nothing), which requests per node would not be.

When the keys all belong to one node, their one request goes to it. Plain int keys (the
usual ones) are routed from the ints themselves and written once, straight into the
request of their node; other keys are written once into a scratch buffer, routed from
their bytes, and copied into their node's request.

A request per node routes by its first key like any key operation, so a node that went
away fails over as a single ``get`` would. Each request is the same operation on fewer
keys, so the results merge without ambiguity: the dicts of ``get_all`` (a key is only ever
in one part), the ``and`` of ``contains_keys``; the writes answer nothing. If any part
fails, the first error (in node order) is raised once every part is over; the other parts
may have been carried out, as they may when one request fails half-way on the server.
"""
import struct
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, Optional, TypeVar

from .._codec import structs as S
from .._codec.encoder import write
from .._protocol.opcodes import (
    OP_CACHE_CLEAR_KEYS, OP_CACHE_CONTAINS_KEYS, OP_CACHE_GET_ALL, OP_CACHE_PUT_ALL,
    OP_CACHE_REMOVE_KEYS,
)
from .._protocol.request import Frame, cache_request
from ..datatypes.cache_config import CacheAtomicityMode
from ..datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE
from ..exceptions import ParameterError
from .affinity import refresh_partitions
from .common import Operation
from .exchange import Call
from . import key_value as kv
from .key_value import BOOL, NOTHING, read_pairs

if TYPE_CHECKING:
    from .common import CacheRef, Session

__all__ = ['Fanout', 'plan', 'get_all', 'put_all', 'contains_keys', 'remove_keys', 'clear_keys',
           'clear']

Merge = Callable[[List[Any]], Any]
_T = TypeVar('_T')

_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_pack_long = S.TC_LONG.pack
_INTS = {int}


class Fanout:
    """The requests of one multi-key operation and how their results make its result.

    :ivar calls: one :class:`~pyignite._ops.exchange.Call` per node (one in all when the
     operation was not split),
    :ivar merge: ``merge(results)``, the results in the order of ``calls``.
    """

    __slots__ = ('calls', 'merge')

    def __init__(self, calls: List[Call], merge: Merge) -> None:
        self.calls = calls
        self.merge = merge

    def result(self, outcomes: List[Any]) -> Any:
        """The operation's result from what each call gave: its result or the exception it
        raised (then the first one is raised)."""
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return self.merge(outcomes)


def _merge_dicts(parts: List[Dict[Any, Any]]) -> Dict[Any, Any]:
    if len(parts) == 1:
        return parts[0]
    merged: Dict[Any, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


def _all(parts: List[bool]) -> bool:
    return all(parts)


def _nothing(parts: List[Any]) -> None:
    return None


def _atomic(settings: Optional[Dict[int, Any]]) -> bool:
    mode = (settings or {}).get(PROP_CACHE_ATOMICITY_MODE, CacheAtomicityMode.ATOMIC)
    return bool(mode == CacheAtomicityMode.ATOMIC)


def plan(session: 'Session', cache: 'CacheRef', op_code: int, reader: Any, merge: Merge,
         keys: Iterable[Any], values: Optional[Mapping[Any, Any]] = None,
         writes: bool = False) -> Operation:
    """Plan a multi-key operation: return its :class:`Fanout`.

    :param op_code: the operation,
    :param reader: the reader of each reply's payload (see :class:`Call`),
    :param merge: what makes the results of the parts one result,
    :param keys: the keys (each may be a ``(key, hint)`` tuple),
    :param values: for ``put_all``, the dict the keys come from (each key is followed by
     its value),
    :param writes: the operation writes (split on ATOMIC caches only).
    """
    keys = list(keys)
    req = cache_request(op_code, cache)
    router = session.router
    if router is not None and req.conn is None and len(keys) > 1:
        cache_id = req.cache_id
        if session.stale(cache_id):
            yield from refresh_partitions(session, cache_id)
        if writes and cache._settings is None:
            from .cache_config import get_settings
            cache._settings = yield from get_settings(session, cache)
        if not writes or _atomic(cache._settings):
            calls = _split(session, cache, op_code, reader, keys, values)
            if calls is not None:
                return Fanout(calls, merge)
    _write_all(req.buf, keys, values, session.binary)
    return Fanout([Call(req, reader)], merge)


def _write_all(buf: Frame, keys: List[Any], values: Optional[Mapping[Any, Any]],
               ctx: Any) -> None:
    buf += S.INT.pack(len(keys))
    if values is None:
        if keys and set(map(type, keys)) == _INTS:
            # plain ints (no bools, no hints), the usual keys: packed straight, ~4x faster
            # than a write() per key; one out of the long range is left to write() to refuse
            try:
                buf += b''.join([_pack_long(4, key) for key in keys])
                return
            except struct.error:
                pass
        for key in keys:
            write(buf, key, None, ctx)
    else:
        for key in keys:
            write(buf, key, None, ctx)
            write(buf, values[key], None, ctx)


def _split(session: 'Session', cache: 'CacheRef', op_code: int, reader: Any, keys: List[Any],
           values: Optional[Mapping[Any, Any]]) -> Optional[List[Call]]:
    """A call per primary node; or None when the keys should go in one request, routed by
    default."""
    router = session.router
    assert router is not None
    ctx = session.binary
    cache_id = cache._cache_id
    if (all(key.__class__ is int for key in keys)
            and _LONG_MIN <= min(keys) and max(keys) <= _LONG_MAX):
        # the usual keys: routed from the ints, each written once, straight into its request
        conns = router.connections_for_longs(cache_id, keys)
        if conns is not None:
            return [_call(op_code, cache, reader, group, [_pack_long(4, key) for key in group],
                          values, ctx)
                    for group in _groups(conns, keys)]
    # every key written once, one after the other; then routed in one pass
    scratch = Frame()
    bounds = []
    for key in keys:
        bounds.append(len(scratch))
        write(scratch, key, None, ctx)
    if scratch.pending or scratch.guessed:
        return None  # a complex key to register first: one request does it once
    bounds.append(len(scratch))
    conns = router.connections_for(ctx, cache_id, scratch, bounds[:-1])
    if conns is None:
        return None
    view = memoryview(scratch)
    calls = [_call(op_code, cache, reader, [keys[i] for i in indexes],
                   [view[bounds[i]:bounds[i + 1]] for i in indexes], values, ctx)
             for indexes in _groups(conns, range(len(keys)))]
    view.release()
    return calls


def _groups(conns: List[Any], items: Iterable[_T]) -> List[List[_T]]:
    """``items`` (the keys or their indexes) grouped by their connection in ``conns``
    (None: the client's default)."""
    groups: Dict[Any, List[_T]] = {}
    for item, conn in zip(items, conns):
        group = groups.get(conn)
        if group is None:
            groups[conn] = [item]
        else:
            group.append(item)
    return list(groups.values())


def _call(op_code: int, cache: 'CacheRef', reader: Any, keys: List[Any], written: List[Any],
          values: Optional[Mapping[Any, Any]], ctx: Any) -> Call:
    """The request of one node: ``keys`` (``written``: the bytes of each), and their
    values."""
    req = cache_request(op_code, cache)
    buf = req.buf
    buf += S.INT.pack(len(keys))
    # the request goes where its first key goes, like a one-key request
    req.key_pos = len(buf)
    if values is None:
        buf += b''.join(written)
    else:
        for key, key_bytes in zip(keys, written):
            buf += key_bytes
            write(buf, values[key], None, ctx)
    return Call(req, reader)


# --- the operations -----------------------------------------------------------------------


def get_all(session: 'Session', cache: 'CacheRef', keys: Iterable[Any]) -> Operation:
    """Values of the keys present, as a dict keyed by the bare keys."""
    return plan(session, cache, OP_CACHE_GET_ALL, read_pairs, _merge_dicts, keys)


def put_all(session: 'Session', cache: 'CacheRef', pairs: Mapping[Any, Any]) -> Operation:
    """Write a dict of key-value pairs; keys and values may be ``(item, hint)`` tuples."""
    if not hasattr(pairs, 'items'):
        raise ParameterError('put_all takes a dict of key-value pairs')
    return plan(session, cache, OP_CACHE_PUT_ALL, NOTHING, _nothing, pairs, pairs, True)


def contains_keys(session: 'Session', cache: 'CacheRef', keys: Iterable[Any]) -> Operation:
    """Whether every key is in the cache."""
    return plan(session, cache, OP_CACHE_CONTAINS_KEYS, BOOL, _all, keys)


def remove_keys(session: 'Session', cache: 'CacheRef', keys: Iterable[Any]) -> Operation:
    return plan(session, cache, OP_CACHE_REMOVE_KEYS, NOTHING, _nothing, keys, None, True)


def clear_keys(session: 'Session', cache: 'CacheRef', keys: Iterable[Any]) -> Operation:
    # (clearing is not transactional on the server: it splits on any cache)
    return plan(session, cache, OP_CACHE_CLEAR_KEYS, NOTHING, _nothing, keys)


def clear(session: 'Session', cache: 'CacheRef', keys: Optional[Iterable[Any]] = None) -> Operation:
    """Clear the given keys, or the whole cache for none."""
    if keys:
        return (yield from clear_keys(session, cache, keys))
    return Fanout([kv.clear(session, cache)], _nothing)
