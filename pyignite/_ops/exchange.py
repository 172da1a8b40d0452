"""Stepping one operation: what both drivers do between sending a request and the next.

An operation is a generator (:mod:`pyignite._ops`): it yields a
:class:`~pyignite._protocol.request.Request`, receives a
:class:`~pyignite._protocol.request.Response` (or has the error thrown in), and returns
its result. A one-request operation may instead be a :class:`Call`, which is its own
exchange when nothing has to be prepared first: the common get and put cost a request,
a reply and one object, nothing more. Either way, the driver's loop is the same::

    ex = session.exchange(op)
    req = ex.req
    while req is not None:
        conn = session.route(req) or <reconnect>
        try:
            reply, header = <conn.request(req, ex.request_id(conn, req))>
        except BaseException as e:
            req = ex.failed(req, e)
        else:
            req = ex.replied(conn, req, reply, header)
    return ex.result
"""
from typing import Any, Callable, Optional, Tuple, Type

from .._codec.registry import MissingBinaryType
from .._protocol.request import Request, Response
from ..exceptions import CacheError
from .binary_types import decode
from .common import Operation

__all__ = ['Call', 'Exchange', 'server_error']


def server_error(cls: Type[BaseException], message: str, status: int) -> BaseException:
    """The exception for an error status: CacheError and its kin keep the status."""
    if issubclass(cls, CacheError):
        return cls(message, status)
    return cls(message)


class Exchange:
    """One operation under way.

    :ivar req: the request to send next, or None when the operation is over,
    :ivar result: the operation's result, once ``req`` is None.
    """
    # ``observing``: whether the request last sent was reported to the listeners (decided
    # by request_id as it goes out); ``started`` (that report) is only set and read then

    # ``tries`` (requests sent again) is set only once one is: the common path never pays
    __slots__ = ('session', 'op', 'req', 'reader', 'result', 'observing', 'started', 'tries')
    started: Tuple[Any, int, float]

    def __init__(self, session: Any, op: Operation):
        self.session = session
        self.result: Any = None
        self.observing = False
        self.op: Optional[Operation] = op
        self.reader: Any = None
        self.req: Optional[Request] = None
        self._step(op.send, None)

    def _step(self, method: Callable[[Any], Request], value: Any) -> Optional[Request]:
        try:
            self.req = method(value)
        except StopIteration as done:
            self.req = None
            self.result = done.value
        return self.req

    def request_id(self, conn: Any, req: Request) -> Optional[int]:
        """The id to send ``req`` (:attr:`req`) with, reported to the listeners, or None
        for any.

        Call it once per request, right before sending it on ``conn``.
        """
        # decided here, as the request goes out, rather than when the operation starts:
        # the check runs once per request either way, and a request is reported finished
        # exactly when it was reported started
        events = self.session.events
        if not events.observing():
            self.observing = False
            return None
        self.observing = True
        rid: int
        rid, started = events.query_started(conn, req.op_code)
        self.started = (conn, rid, started)
        return rid

    def _report(self, req: Request, failure: Optional[str]) -> None:
        conn, rid, at = self.started
        self.session.events.query_finished(conn, req.op_code, rid, at, failure)

    def failed(self, req: Request, error: BaseException) -> Optional[Request]:
        """Sending ``req`` or waiting for its reply raised ``error``; return the next
        request (``req`` again if the session says to retry it; else the operation may
        handle the error), or raise."""
        if self.observing:
            self._report(req, repr(error))
        tries = getattr(self, 'tries', 0)
        if self.session.should_retry(req, error, tries):
            self.tries = tries + 1
            return req  # the same request, on whatever connection routing gives now
        if self.op is None:
            raise error
        return self._step(self.op.throw, error)

    def replied(self, conn: Any, req: Request, reply: bytes, header: Any) -> Optional[Request]:
        """The reply to ``req`` came; return the next request, or None when done."""
        session = self.session
        if header.topology is not None:
            session.on_topology_change(conn, header.topology)
        if self.observing:
            self._report(req, header.message if header.status else None)
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
        if reader is None:
            self.result = None
            return None
        try:
            self.result = reader(reply, header.payload_pos, session.binary)[0]
        except MissingBinaryType:
            # types to fetch first: the rest is an ordinary operation
            self.op = op = decode(session, reader, reply, header.payload_pos)
            return self._step(op.send, None)
        return None


class Call(Exchange):
    """A one-request operation: ``req`` and the ``reader`` of its reply's payload (a
    function ``(data, pos, registry) -> (value, next pos)``, or None for no value).

    When nothing has to be prepared first (the usual get or put), a call is sent as it is
    and is its own exchange: no generator and no second object per request. Otherwise it
    runs as the operation :func:`~pyignite._ops.prepare.finish` makes of it. Either way
    :meth:`~pyignite._session.session.Session.exchange` starts it. A call runs once.
    """

    __slots__ = ()

    def __init__(self, req: Request, reader: Any):
        self.req = req
        self.reader = reader
        self.op = None

    @property
    def pinned_to(self) -> Any:
        """The connection the call's request must go to (None: any), until it runs."""
        req = self.req
        return None if req is None else req.conn
