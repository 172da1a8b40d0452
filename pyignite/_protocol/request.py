"""Requests and responses as the operation generators see them.

An operation builds a :class:`Request` (one buffer that already holds room
for the frame header), yields it, and receives a :class:`Response` holding
the reply frame and the offset where the payload starts. The driver fills in
the length and request id, picks the connection and moves the bytes.
"""
import struct
from contextvars import ContextVar, Token
from typing import Any, Optional, Tuple, Type

from .._codec import structs as S
from ..exceptions import CacheError

_HEADER = bytes(14)
# length, op code and request id, filled in together when the request is sent
_pack_header = struct.Struct('<ihq').pack_into

_new_request = object.__new__

#: the transaction of the current thread or task, set by Transaction objects
current_tx: 'ContextVar[Any]' = ContextVar('pyignite_current_tx', default=None)
# set once the first transaction starts: until then no request has a transaction to look up
_tx_seen = False


def enter_tx(tx: Any) -> 'Token[Any]':
    """Make ``tx`` the transaction of the current thread or task; return the reset token."""
    global _tx_seen
    _tx_seen = True
    return current_tx.set(tx)


#: ``Request.release`` of a request whose reply starts with the id of a resource it opened
RELEASE_FROM_REPLY = -1

CACHE_FLAG_TRANSACTIONAL = 0x02
CACHE_FLAG_EXPIRY_POLICY = 0x04


class Frame(bytearray):
    """The bytes of a request under construction, and what writing them left to do before
    they may be sent.

    Writing a complex object notes it here (the request carries its own state, whatever
    thread or task builds it): its class, when the server may not know it yet, and the
    object itself, when it was written before the server's footer mode was known. The
    request then goes through :func:`~pyignite._ops.prepare.prepare` first. The notes are
    class attributes until written: an ordinary request carries none and costs nothing.

    :ivar pending: classes of objects written that the server may not know,
    :ivar guessed: ``(start, end, object)`` of the outermost objects written with a
     guessed footer mode, to rewrite once the mode is known.
    """

    pending: Tuple[Any, ...] = ()
    guessed: Tuple[Tuple[int, int, Any], ...] = ()


class Request:
    """One request frame under construction.

    :ivar buf: the frame (a :class:`Frame`): 14 header bytes, then the payload,
    :ivar error: the exception class for an error status,
    :ivar conn: the connection the request must go to (cursor pages, transactions), or None,
    :ivar cache_id: the cache a key request targets, for partition awareness,
    :ivar key_pos: where the key starts in ``buf``, or -1 when there is no single key,
    :ivar release: what a successful reply leaves open on the server, to be closed if the
     caller gives up before reading it: None (nothing), :data:`RELEASE_FROM_REPLY` (the
     reply starts with the id of a resource it opened: a cursor, a query, a task), or the
     id of a resource the request works on (a cursor page: the cursor can't go on without
     that page). Server resource ids are positive.
    """

    __slots__ = ('buf', 'op_code', 'error', 'conn', 'cache_id', 'key_pos', 'release')

    def __init__(self, op_code: int, error: Type[BaseException] = CacheError):
        self.buf = Frame(_HEADER)
        self.op_code = op_code
        self.error = error
        self.conn: Any = None
        self.cache_id = 0
        self.key_pos = -1
        self.release: Optional[int] = None

    def finish(self, request_id: int) -> bytearray:
        """Fill in the length and the request id; return the frame."""
        buf = self.buf
        _pack_header(buf, 0, len(buf) - 4, self.op_code, request_id)
        return buf


class Response:
    """A successful reply: ``data`` is the frame body, the payload starts at ``pos``."""

    __slots__ = ('data', 'pos', 'conn')

    def __init__(self, data: bytes, pos: int, conn: Any = None):
        self.data = data
        self.pos = pos
        self.conn = conn


def cache_header(cache_id: int, expiry_policy: Any = None) -> bytes:
    """The fixed part of a cache request: cache id, flags and the expiry block.

    Cache objects keep it behind 14 free bytes for the frame header, as ``_frame_prefix``.
    """
    if expiry_policy is None:
        return S.INT_BYTE.pack(cache_id, 0)
    return S.INT_BYTE.pack(cache_id, CACHE_FLAG_EXPIRY_POLICY) + S.LONG.pack(
        expiry_policy.create) + S.LONG.pack(expiry_policy.update) + S.LONG.pack(
        expiry_policy.access)


def cache_request(op_code: int, cache: Any, error: Type[BaseException] = CacheError,
                  tx_aware: bool = True) -> Request:
    """A request with the cache prefix written, joined to the current transaction if any."""
    # the hot path of every key operation: built from the cache's own frame prefix
    req: Request = _new_request(Request)
    req.buf = buf = Frame(cache._frame_prefix)
    req.op_code = op_code
    req.error = error
    req.cache_id = cache._cache_id
    req.key_pos = -1
    req.release = None
    req.conn = None
    if _tx_seen and tx_aware:
        tx = current_tx.get()
        if tx is not None and tx.client is cache._client and not tx.closed:
            buf[18] |= CACHE_FLAG_TRANSACTIONAL
            buf += S.INT.pack(tx.tx_id)
            req.conn = tx.conn
    return req
