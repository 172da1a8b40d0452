"""Stepping one operation: what both drivers do between sending a request and the next.

An operation is a generator (:mod:`pyignite._ops`): it yields a
:class:`~pyignite._request.Request`, receives a :class:`~pyignite._request.Response`
(or has the error thrown in), and returns its result. A one-request operation may
instead be a :class:`~pyignite._ops.common.Call`, which the exchange runs without a
generator when nothing has to be prepared first: the common get and put cost a request
and a reply, nothing more. Either way, the driver's loop is the same::

    ex = session.exchange(op)
    req = ex.req
    while req is not None:
        conn = session.route(req) or <reconnect>
        try:
            reply, header = <conn.request(req, ex.request_id(conn))>
        except BaseException as e:
            req = ex.failed(e)
        else:
            req = ex.replied(conn, reply, header)
    return ex.result
"""
from typing import Any, Optional

from .._ops.binary_types import decode
from .._ops.common import Call
from .._ops.prepare import finish
from .._registry import MissingBinaryType
from .._request import Request, Response
from ..exceptions import CacheError

__all__ = ['Exchange', 'server_error']


def server_error(cls: type, message: str, status: int) -> BaseException:
    """The exception for an error status: CacheError and its kin keep the status."""
    if issubclass(cls, CacheError):
        return cls(message, status)
    return cls(message)


class Exchange:
    """One operation under way.

    :ivar req: the request to send next, or None when the operation is over,
    :ivar result: the operation's result, once ``req`` is None.
    """

    __slots__ = ('session', 'op', 'req', 'reader', 'result', 'observing', 'started')

    def __init__(self, session: Any, op: Any):
        self.session = session
        self.result: Any = None
        self.observing = session.events.observing()
        self.started: Optional[tuple] = None
        if op.__class__ is Call and not session.needs_prepare(op.req):
            self.op = None  # sent as it is, its reply read by ``reader``
            self.reader = op.reader
            self.req: Optional[Request] = op.req
            return
        if op.__class__ is Call:
            op = finish(session, op.req, op.reader)
        self.op = op
        self._step(op.send, None)

    def _step(self, method: Any, value: Any) -> Optional[Request]:
        try:
            self.req = method(value)
        except StopIteration as done:
            self.req = None
            self.result = done.value
        return self.req

    def request_id(self, conn: Any) -> Optional[int]:
        """The id to send the request with (reported to the listeners), or None for any.

        Call it once per request, right before sending it on ``conn``.
        """
        if not self.observing:
            return None
        rid, started = self.session.events.query_started(conn, self.req.op_code)
        self.started = (conn, rid, started)
        return rid

    def _report(self, failure: Optional[str]) -> None:
        conn, rid, started = self.started
        self.started = None
        self.session.events.query_finished(conn, self.req.op_code, rid, started, failure)

    def failed(self, error: BaseException) -> Optional[Request]:
        """Sending the request or waiting for its reply raised ``error``; return the next
        request (the operation may handle it), or raise."""
        if self.started is not None:
            self._report(repr(error))
        if self.op is None:
            raise error
        return self._step(self.op.throw, error)

    def replied(self, conn: Any, reply: bytes, header: Any) -> Optional[Request]:
        """The reply to the request came; return the next request, or None when done."""
        session = self.session
        if header.topology is not None:
            session.on_topology_change(conn, header.topology)
        if self.started is not None:
            self._report(header.message if header.status else None)
        req = self.req
        op = self.op
        if header.status:
            error = server_error(req.error, header.message, header.status)
            if op is None:
                raise error
            return self._step(op.throw, error)
        if op is not None:
            return self._step(op.send, Response(reply, header.payload_pos, conn))
        # a Call sent as it is
        reader = self.reader
        self.req = None
        if reader is not None:
            try:
                self.result = reader(reply, header.payload_pos, session.binary)[0]
            except MissingBinaryType:
                # types to fetch first: the rest is an ordinary operation
                self.op = op = decode(session, reader, reply, header.payload_pos)
                return self._step(op.send, None)
        return None
