"""Continuous queries: opening one, reading its event notifications, closing it.

A continuous query is a server resource on one connection (see
:func:`pyignite._session.session.Session.continuous_query_home` for which): the server
pushes its events on that connection as notifications (op 2007, tagged with the query id)
until the query is closed with OP_RESOURCE_CLOSE or the connection ends. There is no
initial query on the wire: the facades run one as an ordinary scan or SQL query after
:func:`open_query` returned, so that no change in between is missed.

The server may send the first events right behind the reply that tells the query id, and
the transport may sort them before the opener reads that reply; so the connection keeps
event notifications for unknown ids while a query is being opened
(:meth:`~pyignite._session.inbox.Inbox.hold`), and :func:`open_query` subscribes before
it lets go.
"""
import struct
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple

from .._codec import structs as S
from .._codec.encoder import write
from .._protocol.opcodes import OP_QUERY_CONTINUOUS, OP_QUERY_CONTINUOUS_EVENT_NOTIFICATION
from .._protocol.request import RELEASE_FROM_REPLY, cache_request
from .._protocol.wire import FLAG_ERROR, STATUS_RESOURCE_DOES_NOT_EXIST
from ..datatypes.cache_events import CacheEntryEvent, EventType
from ..exceptions import CacheError, ParameterError, ParseError
from ..binary import GenericObjectMeta
from .binary_types import read_fetching_types, register_java_class_name
from .common import Operation
from .prepare import prepare
from .query import read_values
from .resources import close_request, conn_session

if TYPE_CHECKING:
    from .common import CacheRef, Session

__all__ = ['EVENTS', 'PLATFORM_JAVA', 'QueryHandle', 'check_params', 'close_query',
           'decode_events', 'open_query', 'read_events']

EVENTS = OP_QUERY_CONTINUOUS_EVENT_NOTIFICATION
#: the filter platform byte of a Java filter (or filter factory)
PLATFORM_JAVA = 1
_INT_MAX = (1 << 31) - 1
_LONG_MAX = (1 << 63) - 1
_PARAMS = struct.Struct('<iq?')
_unpack_q = S.LONG.unpack_from
_unpack_i = S.INT.unpack_from
_unpack_h = S.SHORT.unpack_from
_TYPES = tuple(EventType)
#: where the payload of a notification frame starts: resource id, flags, op code
_PAYLOAD = 12


class QueryHandle:
    """Where a continuous query lives: its id and connection.

    :ivar query_id: the server's resource id, or None before it is open,
    :ivar conn: the connection that carries it,
    :ivar opened_in: what identified that connection's session when it was opened.
    """

    __slots__ = ('query_id', 'conn', 'opened_in')

    def __init__(self, conn: Any) -> None:
        self.query_id: Optional[int] = None
        self.conn = conn
        self.opened_in: Any = None


def check_params(buffer_size: Any, time_interval: Any, include_expired: Any,
                 remote_filter: Any) -> None:
    """Refuse bad parameters before anything is sent.

    :raises ParameterError: a parameter is out of range or of the wrong type.
    """
    if buffer_size.__class__ is bool or not isinstance(buffer_size, int) \
            or not 1 <= buffer_size <= _INT_MAX:
        raise ParameterError('buffer_size must be an int in 1..{}, not {!r}'.format(
            _INT_MAX, buffer_size))
    if time_interval.__class__ is bool or not isinstance(time_interval, int) \
            or not 0 <= time_interval <= _LONG_MAX:
        raise ParameterError('time_interval must be an int of milliseconds >= 0, not '
                             '{!r}'.format(time_interval))
    if include_expired.__class__ is not bool:
        raise ParameterError('include_expired must be a bool, not {!r}'.format(include_expired))
    if remote_filter is not None and not isinstance(type(remote_filter), GenericObjectMeta):
        raise ParameterError('remote_filter must be a complex object (an instance of a '
                             'GenericObjectMeta class named after a Java filter factory '
                             'deployed on the server), not {!r}'.format(remote_filter))


def open_query(session: 'Session', handle: QueryHandle, cache: 'CacheRef',
               listener: Callable[[bytes], None], on_end: Callable[[BaseException], None],
               buffer_size: int = 1, time_interval: int = 0, include_expired: bool = False,
               remote_filter: Any = None) -> Operation:
    """Open a continuous query (OP_QUERY_CONTINUOUS) on ``handle.conn`` and subscribe
    ``listener`` to its event frames and ``on_end`` to the end of the connection.

    :param buffer_size: the server sends events in batches of this many,
    :param time_interval: ms; the server sends a batch that is not full after this long
     (0: only full batches),
    :param include_expired: deliver EXPIRED events too,
    :param remote_filter: a complex object naming a Java ``Factory`` of a
     ``CacheEntryEventFilter`` on the server, or None.
    """
    check_params(buffer_size, time_interval, include_expired, remote_filter)
    conn = handle.conn
    req = cache_request(OP_QUERY_CONTINUOUS, cache, CacheError, tx_aware=False)
    buf = req.buf
    buf += _PARAMS.pack(buffer_size, time_interval, include_expired)
    if remote_filter is None:
        buf.append(0x65)
    else:
        write(buf, remote_filter, None, session.binary)
        buf.append(PLATFORM_JAVA)
        # the node deserializes the filter (factory) into its Java class
        yield from register_java_class_name(session, remote_filter.__class__)
    if session.needs_prepare(req):
        yield from prepare(session, req)
    req.conn = conn
    # given up before its reply is read, the request's query is closed by the inbox
    req.release = RELEASE_FROM_REPLY
    conn.hold(EVENTS)
    try:
        resp = yield req
        try:
            query_id = _unpack_q(resp.data, resp.pos)[0]
        except struct.error:
            raise ParseError('malformed continuous query reply') from None
        handle.query_id = query_id
        handle.opened_in = conn_session(conn)
        conn.subscribe(EVENTS, query_id, listener, on_end)
    finally:
        conn.unhold(EVENTS)


def read_events(data: Any, pos: int, ctx: Any) -> Tuple[List[CacheEntryEvent], int]:
    """The events of a notification payload: ``(events, next pos)``."""
    try:
        count = _unpack_i(data, pos)[0]
        pos += 4
        if not 0 <= count <= len(data) - pos:
            raise ParseError('malformed event notification: {} events'.format(count))
        events = []
        for _ in range(count):
            (key, old, new), pos = read_values(data, pos, 3, ctx)
            code = data[pos]
            pos += 1
            if code >= len(_TYPES):
                raise ParseError('malformed event notification: event type {}'.format(code))
            events.append(CacheEntryEvent(_TYPES[code], key, new, old))
    except (IndexError, struct.error) as e:
        raise ParseError('malformed event notification: {!r}'.format(e)) from None
    return events, pos


def decode_events(session: 'Session', frame: bytes) -> Operation:
    """The events of a notification frame, fetching binary types first if needed.

    :raises CacheError: the server reported an error instead of events.
    """
    if _unpack_h(frame, 8)[0] & FLAG_ERROR:
        status = _unpack_i(frame, _PAYLOAD)[0]
        raise CacheError('continuous query error notification (status {})'.format(status),
                         status)
    events: List[CacheEntryEvent]
    events, _ = yield from read_fetching_types(session, read_events, frame, _PAYLOAD)
    return events


def close_query(session: 'Session', handle: QueryHandle) -> Operation:
    """Stop delivering the query's events and close it on the server, if its connection
    is still the one it was opened on (else the server dropped it with the old one)."""
    conn, query_id = handle.conn, handle.query_id
    if query_id is None:
        return
    handle.query_id = None
    conn.unsubscribe(EVENTS, query_id)
    if not conn.alive or conn_session(conn) is not handle.opened_in:
        return
    try:
        yield close_request(conn, query_id)
    except CacheError as e:
        if e.status != STATUS_RESOURCE_DOES_NOT_EXIST:
            raise
