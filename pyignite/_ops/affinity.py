"""Partition maps (OP_CACHE_PARTITIONS) and the best node for a key."""
from typing import TYPE_CHECKING, Any, Optional

from .._codec import structs as S
from .._routing.affinity import parse_cache_partitions
from .._codec.encoder import write
from .._codec.ids import cache_id as name_to_id
from .._protocol.opcodes import OP_CACHE_GET, OP_CACHE_PARTITIONS
from .._protocol.request import Request
from ..datatypes.base import Hint
from ..exceptions import CacheError, ParameterError, ParseError, ReconnectError
from .common import Operation

if TYPE_CHECKING:
    from .common import Session


def refresh_partitions(session: 'Session', cache_id: int) -> Operation:
    """Fetch the partition maps of every cache the client routes, plus ``cache_id``.

    A server error (e.g. an inactive cluster) is not the caller's problem: the
    caches then route by default until the topology changes.
    """
    router = session.router
    if router is None:
        return
    ids = router.refresh_ids(cache_id)
    req = Request(OP_CACHE_PARTITIONS, CacheError)
    req.buf += S.INT.pack(len(ids))
    for cid in ids:
        req.buf += S.INT.pack(cid)
    try:
        resp = yield req
    except CacheError:
        router.give_up(ids)
        return
    try:
        version, groups, _ = parse_cache_partitions(resp.data, resp.pos)
    except (ValueError, IndexError) as e:
        raise ParseError('bad OP_CACHE_PARTITIONS reply: {}'.format(e)) from None
    router.update(version, groups, ids)
    session.on_affinity_update()


def register_cache(session: 'Session', cache_id: int) -> Operation:
    """Fetch the partition map of a cache now, if it is not fresh already."""
    if isinstance(cache_id, bool) or not isinstance(cache_id, int):
        raise ParameterError('cache_id must be an int')
    if session.stale(cache_id):
        yield from refresh_partitions(session, cache_id)


def cache_id_of(cache: Any) -> int:
    if isinstance(cache, bool):
        raise ParameterError('cache must be a cache object, a name or an id')
    if isinstance(cache, int):
        return cache
    if isinstance(cache, str):
        return name_to_id(cache)
    cid = getattr(cache, 'cache_id', None)
    if isinstance(cid, int):
        return cid
    raise ParameterError('cache must be a cache object, a name or an id, not {}'.format(
        type(cache).__name__))


def best_node(session: 'Session', cache: Any, key: Any = None,
              key_hint: Optional[Hint] = None) -> Operation:
    """The live connection most likely to hold ``key`` (any live one without a key).

    :raises ReconnectError: no connection is alive.
    """
    req = Request(OP_CACHE_GET, CacheError)
    req.cache_id = cache_id_of(cache)
    if key is not None:
        req.key_pos = len(req.buf)
        write(req.buf, key, key_hint, session.binary)
        if session.stale(req.cache_id):
            yield from refresh_partitions(session, req.cache_id)
    conn = session.route(req)
    if conn is None:
        raise ReconnectError('Can not connect.')
    return conn
