"""What may have to happen before a request goes out: the steps behind
:meth:`~pyignite._session.session.Session.needs_prepare`."""
from typing import Any, Generator

from .._protocol.request import Request, Response
from .affinity import refresh_partitions
from .binary_types import decode, put_pending_types
from .common import Operation
from .resources import close_abandoned

__all__ = ['finish', 'prepare']


def finish(session: Any, req: Request, reader: Any) -> Operation:
    """A :class:`Call` as an operation: prepare, send ``req``, decode its reply."""
    if session.needs_prepare(req):
        yield from prepare(session, req)
    resp = yield req
    if reader is None:
        return None
    return (yield from decode(session, reader, resp.data, resp.pos))


def prepare(session: Any, req: Request) -> Generator[Request, Response, None]:
    """Close cursors dropped while open, register pending binary types and refresh a stale
    partition map, then return (see :meth:`~pyignite._session.session.Session.needs_prepare`)."""
    if session.abandoned:
        yield from close_abandoned(session)
    if req.buf.pending:
        yield from put_pending_types(session, req.buf)
    if req.key_pos >= 0 and session.stale(req.cache_id):
        yield from refresh_partitions(session, req.cache_id)
