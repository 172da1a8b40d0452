"""Server resources (cursors, later queries and tasks) and releasing them."""
from typing import TYPE_CHECKING, Any

from .._codec import structs as S
from .._protocol.opcodes import OP_RESOURCE_CLOSE
from .._protocol.request import Request
from ..exceptions import CacheError
from .common import Operation

if TYPE_CHECKING:
    from .common import Session

__all__ = ['abandon', 'close_abandoned', 'close_request', 'conn_session']

_pack_q = S.LONG.pack


def conn_session(conn: Any) -> Any:
    # a connection object is reused when it reconnects, and resource ids restart with the
    # new session; the protocol context is a new object on every handshake
    return getattr(conn, 'protocol_context', None)


def close_request(conn: Any, cursor_id: int) -> Request:
    req = Request(OP_RESOURCE_CLOSE, CacheError)
    req.buf += _pack_q(cursor_id)
    req.conn = conn
    return req


def abandon(session: 'Session', state: Any) -> None:
    """Queue the cursor of a dropped cursor object to be closed by the next operation.

    Does no I/O and takes no lock, so it is safe from ``__del__`` in any thread.
    """
    if state.more:
        state.more = False
        session.abandoned.append((state.conn, state.opened_in, state.cursor_id))


def close_abandoned(session: 'Session') -> Operation:
    """Close the server-side cursors of cursor objects dropped while still open."""
    pending = session.abandoned
    while pending:
        try:
            conn, opened_in, cursor_id = pending.pop()
        except IndexError:  # another thread took the last one
            return
        if conn is None or not conn.alive or conn_session(conn) is not opened_in:
            continue
        try:
            yield close_request(conn, cursor_id)
        except CacheError:
            pass  # already gone: nothing to release
