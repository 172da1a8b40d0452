"""IgniteSet operations (9010-9023): a distributed set of Ignite values, found by name.

After OP_SET_GET_OR_CREATE, every request names the set by its identity: the name, the id
of the cache that holds it and whether it is colocated (what the server replied). Items
are sent and read as binary values (keepBinary), as everything else this client stores.
"""
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Tuple

from .._codec import structs as S
from .._codec.decoder import Data, read
from .._codec.encoder import write, write_string
from .._protocol.opcodes import (
    OP_SET_CLEAR, OP_SET_CLOSE, OP_SET_EXISTS, OP_SET_GET_OR_CREATE, OP_SET_ITERATOR_GET_PAGE,
    OP_SET_ITERATOR_START, OP_SET_SIZE, OP_SET_VALUE_ADD, OP_SET_VALUE_ADD_ALL,
    OP_SET_VALUE_CONTAINS, OP_SET_VALUE_CONTAINS_ALL, OP_SET_VALUE_REMOVE,
    OP_SET_VALUE_REMOVE_ALL, OP_SET_VALUE_RETAIN_ALL,
)
from .._protocol.request import Request
from ..datatypes.structures import CollectionConfiguration
from ..exceptions import CacheError, ParameterError, ParseError
from .binary_types import decode
from .common import Operation
from .resources import conn_session
from .structures import send, write_name

if TYPE_CHECKING:
    from .common import Session

__all__ = ['SetRef', 'IteratorState', 'get_or_create', 'add', 'remove', 'contains', 'add_all',
           'remove_all', 'contains_all', 'retain_all', 'size',
           'clear', 'close', 'exists', 'iterate_start', 'iterate_next', 'check_page_size']

_WHAT = 'IgniteSet'
_BOOL, _INT, _NOTHING = 'bool', 'int', None


class SetRef:
    """The identity of a set, as the server gave it.

    :ivar name: the set's name,
    :ivar cache_id: the cache holding it,
    :ivar colocated: whether it lives on one node.
    """

    __slots__ = ('name', 'cache_id', 'colocated', 'prefix')

    def __init__(self, name: str, cache_id: int, colocated: bool) -> None:
        self.name = name
        self.cache_id = cache_id
        self.colocated = colocated
        prefix = bytearray()
        write_name(prefix, name)
        prefix += S.INT.pack(cache_id)
        prefix.append(1 if colocated else 0)
        self.prefix = bytes(prefix)


class IteratorState:
    """An iteration over a set under way: what :func:`~pyignite._ops.resources.abandon`
    needs to close its server iterator when the caller stops early.

    :ivar more: whether the server holds more pages,
    :ivar conn: the connection the iterator lives on,
    :ivar opened_in: that connection's session when the iterator was opened,
    :ivar cursor_id: the server's resource id of the iterator.
    """

    __slots__ = ('more', 'conn', 'opened_in', 'cursor_id')

    def __init__(self) -> None:
        self.more = False
        self.conn: Any = None
        self.opened_in: Any = None
        self.cursor_id = 0


def check_page_size(value: Any) -> int:
    """:raises ParameterError: not a positive int."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1 << 31:
        raise ParameterError('page_size must be a positive int, not {!r}'.format(value))
    return value


def get_or_create(session: 'Session', name: str, create: bool,
                  config: Optional[CollectionConfiguration]) -> Operation:
    """The identity of the set ``name`` (a :class:`SetRef`), creating it with ``config``
    if ``create`` and it is missing; None if it is missing and not created."""
    if config is not None and not isinstance(config, CollectionConfiguration):
        raise ParameterError('config must be a CollectionConfiguration or None')
    req = Request(OP_SET_GET_OR_CREATE, CacheError)
    buf = req.buf
    write_name(buf, name)
    if create:
        config = config or CollectionConfiguration()
        buf.append(1)
        buf.append(config.atomicity_mode)
        buf.append(config.cache_mode)
        buf += S.INT.pack(config.backups)
        write_string(buf, config.group_name)
        buf.append(1 if config.colocated else 0)
    else:
        buf.append(0)
    resp = yield from send(session, req, _WHAT)
    data, pos = resp.data, resp.pos
    if not data[pos]:
        return None
    return SetRef(name, S.INT.unpack_from(data, pos + 2)[0], data[pos + 1] != 0)


def _request(op_code: int, ref: SetRef) -> Request:
    req = Request(op_code, CacheError)
    req.buf += ref.prefix
    return req


def _reply(session: 'Session', req: Request, kind: Optional[str]) -> Operation:
    resp = yield from send(session, req, _WHAT)
    if kind is _BOOL:
        return resp.data[resp.pos] != 0
    if kind is _INT:
        return S.INT.unpack_from(resp.data, resp.pos)[0]
    return None


def item_op(session: 'Session', ref: SetRef, op_code: int, item: Any) -> Operation:
    """VALUE_ADD, VALUE_REMOVE or VALUE_CONTAINS of one item: the server's bool."""
    if item is None:
        raise ParameterError('an IgniteSet item must not be None')
    req = _request(op_code, ref)
    req.buf.append(1)  # keepBinary
    write(req.buf, item, None, session.binary)
    return (yield from _reply(session, req, _BOOL))


def items_op(session: 'Session', ref: SetRef, op_code: int, items: Iterable[Any]) -> Operation:
    """VALUE_ADD_ALL, VALUE_REMOVE_ALL, VALUE_CONTAINS_ALL or VALUE_RETAIN_ALL: the
    server's bool (whether the set changed; for CONTAINS_ALL, whether it holds them all)."""
    if isinstance(items, (str, bytes)) or not hasattr(items, '__iter__'):
        raise ParameterError('items must be an iterable of values, not {!r}'.format(items))
    items = list(items)
    if any(item is None for item in items):
        raise ParameterError('an IgniteSet item must not be None')
    req = _request(op_code, ref)
    buf = req.buf
    buf.append(1)  # keepBinary
    buf += S.INT.pack(len(items))
    for item in items:
        write(buf, item, None, session.binary)
    return (yield from _reply(session, req, _BOOL))


def add(session: 'Session', ref: SetRef, item: Any) -> Operation:
    """Add an item; return whether it was not there."""
    return (yield from item_op(session, ref, OP_SET_VALUE_ADD, item))


def remove(session: 'Session', ref: SetRef, item: Any) -> Operation:
    """Remove an item; return whether it was there."""
    return (yield from item_op(session, ref, OP_SET_VALUE_REMOVE, item))


def contains(session: 'Session', ref: SetRef, item: Any) -> Operation:
    return (yield from item_op(session, ref, OP_SET_VALUE_CONTAINS, item))


def add_all(session: 'Session', ref: SetRef, items: Iterable[Any]) -> Operation:
    """Add items; return whether the set changed."""
    return (yield from items_op(session, ref, OP_SET_VALUE_ADD_ALL, items))


def remove_all(session: 'Session', ref: SetRef, items: Iterable[Any]) -> Operation:
    """Remove items; return whether the set changed."""
    return (yield from items_op(session, ref, OP_SET_VALUE_REMOVE_ALL, items))


def contains_all(session: 'Session', ref: SetRef, items: Iterable[Any]) -> Operation:
    return (yield from items_op(session, ref, OP_SET_VALUE_CONTAINS_ALL, items))


def retain_all(session: 'Session', ref: SetRef, items: Iterable[Any]) -> Operation:
    """Keep only the given items; return whether the set changed."""
    return (yield from items_op(session, ref, OP_SET_VALUE_RETAIN_ALL, items))


def size(session: 'Session', ref: SetRef) -> Operation:
    return (yield from _reply(session, _request(OP_SET_SIZE, ref), _INT))


def clear(session: 'Session', ref: SetRef) -> Operation:
    return (yield from _reply(session, _request(OP_SET_CLEAR, ref), _NOTHING))


def close(session: 'Session', ref: SetRef) -> Operation:
    """Remove the set from the cluster (nothing happens if it is gone already)."""
    return (yield from _reply(session, _request(OP_SET_CLOSE, ref), _NOTHING))


def exists(session: 'Session', ref: SetRef) -> Operation:
    return (yield from _reply(session, _request(OP_SET_EXISTS, ref), _BOOL))


def _read_page(data: Data, pos: int, ctx: Any) -> Tuple[Tuple[List[Any], bool], int]:
    """A page of items: ``int n``, n values, ``bool more``."""
    count = S.INT.unpack_from(data, pos)[0]
    if count < 0:
        raise ParseError('malformed IgniteSet page: {} items'.format(count))
    pos += 4
    items = []
    for _ in range(count):
        item, pos = read(data, pos, ctx)
        items.append(item)
    return (items, data[pos] != 0), pos + 1


def _read_first_page(data: Data, pos: int,
                     ctx: Any) -> Tuple[Tuple[List[Any], bool, int], int]:
    """The first page, then the iterator's id if more pages wait."""
    (items, more), pos = _read_page(data, pos, ctx)
    if not more:
        return (items, False, 0), pos
    return (items, True, S.LONG.unpack_from(data, pos)[0]), pos + 8


def iterate_start(session: 'Session', ref: SetRef, state: IteratorState,
                  page_size: int) -> Operation:
    """The first page of items; ``state`` notes the server iterator if more pages wait."""
    req = _request(OP_SET_ITERATOR_START, ref)
    req.buf += S.INT.pack(check_page_size(page_size))
    resp = yield from send(session, req, _WHAT)
    items, more, state.cursor_id = yield from decode(session, _read_first_page, resp.data,
                                                     resp.pos)
    if more:
        state.conn = resp.conn
        state.opened_in = conn_session(resp.conn)
    state.more = more
    return items


def iterate_next(session: 'Session', state: IteratorState, page_size: int) -> Operation:
    """The next page of items (the server drops its iterator after the last page)."""
    req = Request(OP_SET_ITERATOR_GET_PAGE, CacheError)
    req.buf += S.LONG.pack(state.cursor_id) + S.INT.pack(check_page_size(page_size))
    req.conn = state.conn  # the iterator lives on the connection that opened it
    try:
        resp = yield from send(session, req, _WHAT)
    except BaseException:
        state.more = False
        raise
    items, state.more = yield from decode(session, _read_page, resp.data, resp.pos)
    return items
