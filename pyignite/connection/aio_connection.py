"""An asyncio connection to one Ignite node.

Theory of operation: one :class:`_FrameProtocol` per transport feeds the bytes
as they arrive to the shared frame buffer and inbox (:mod:`pyignite._session`),
which hand each reply to the future waiting for its request id and each server
notification to its listener. Any number of requests may be in flight. A request
frame is never split: the first one of an event loop iteration is written at
once, the ones that follow in the same iteration (``asyncio.gather`` of many
requests) are joined into one ``transport.write`` at its end. The stream never
depends on who is still waiting: a reply for a request given up on (a cancelled
task, a timeout) is dropped, or closes the server resource the request opened,
so cancelling a request can neither desynchronise the connection nor leak a
cursor. When the transport goes away every waiter gets an :class:`OSError` (a
frame that makes no sense: :class:`~pyignite.exceptions.ParseError`) and the
connection is marked dead; reconnecting is the client's job.

Timeouts raise :data:`TimeoutError`, an :class:`OSError` that on every Python
version is also an :class:`asyncio.TimeoutError`. ``handshake_timeout`` bounds
opening the socket (and TLS) plus the handshake; the connection is closed and
stays dead. The request ``timeout`` and the per-call limit of the
:class:`~pyignite.aio_cache.AioCache` methods follow the rule of
:mod:`pyignite._session.timeouts`, the same as the blocking client's.
"""
import asyncio
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple, Union

from .._protocol import wire as P
from .._ops.handshake import handshake
from .._session.frames import FrameBuffer
from .._session.inbox import Inbox
from .._session.timeouts import expiry
from ..exceptions import HandshakeError, ParseError
from .base import NodeConnection, Owner
from .ssl_context import make_ssl_context

if TYPE_CHECKING:  # pragma: no cover
    import ssl

    from .._protocol.request import Request

__all__ = ['AioConnection', 'TimeoutError']

_parse_header = P.parse_response_header
#: the shortest reply frame: request id and flags (protocol 1.4.0+) or status (before)
_MIN_REPLY = {True: 10, False: 12}

if issubclass(asyncio.TimeoutError, OSError):  # Python 3.11+: they are one class
    TimeoutError = TimeoutError
else:  # pragma: no cover - older Pythons
    # (mypy takes both branches: the name is defined twice, the base given twice)
    class TimeoutError(  # type: ignore[no-redef,misc]  # noqa: A001
            TimeoutError, asyncio.TimeoutError):
        """A timeout: the built-in ``TimeoutError`` that is also ``asyncio.TimeoutError``."""


def _expire(fut: 'asyncio.Future[bytes]', conn: 'AioConnection', proto: '_FrameProtocol',
            completed_before: int, call_timeout: Optional[float] = None) -> None:
    """A limit on a request passed: fail it, and close a connection gone silent."""
    if fut.done():
        return
    error, close = expiry(conn, proto.frames.completed == completed_before, call_timeout,
                          TimeoutError)
    fut.set_exception(error)
    if close:
        lost = ConnectionError('connection to {}:{} closed: no frame from the node within '
                               '{}s'.format(conn.host, conn.port, conn.timeout))
        lost.__cause__ = error
        proto._broken(lost)


def _lost_error(conn: 'AioConnection', exc: Optional[BaseException]) -> OSError:
    """The error for the requests of a transport that went away: of the class of the
    transport's own OSError (a ConnectionResetError stays one, as with the blocking
    client), else a ConnectionError."""
    message = 'Connection to {}:{} lost{}'.format(conn.host, conn.port,
                                                  ': {}'.format(exc) if exc else '.')
    error: OSError = ConnectionError(message)
    if isinstance(exc, OSError) and exc.errno is not None:
        try:
            error = exc.__class__(exc.errno, message)
        except Exception:  # an OSError subclass built otherwise: keep the ConnectionError
            pass
    error.__cause__ = exc
    return error


#: the write window is open and holds nothing (no list made for a lone request)
_WINDOW_OPEN: Tuple[()] = ()


class _FrameProtocol(asyncio.Protocol):
    """Frames in, replies to their waiters. One instance per transport.

    :ivar frames: cuts the byte stream into frames (:class:`~pyignite._session.frames.
     FrameBuffer`),
    :ivar inbox: where each frame goes (:class:`~pyignite._session.inbox.Inbox`); its
     slots are the futures of the requests waiting for a reply,
    :ivar raw: during the handshake, the future waiting for the next whole frame.
    """

    def __init__(self, conn: 'AioConnection') -> None:
        self.conn = conn
        # set by connection_made, before anything uses it
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.frames = FrameBuffer(1, P.MAX_HANDSHAKE_FRAME)
        self.inbox = Inbox()
        self.raw: Optional['asyncio.Future[bytes]'] = None
        self.handshaking = True
        self.error: Optional[BaseException] = None
        self._loop = asyncio.get_running_loop()
        self.lost = self._loop.create_future()
        self.paused: Optional['asyncio.Future[None]'] = None
        # None: the write window is closed; _WINDOW_OPEN: open, nothing held; else the
        # frames held for the flush at the end of the loop iteration
        self._out: Union[None, Tuple[()], List[Union[bytes, bytearray]]] = None

    def send(self, frame: Union[bytes, bytearray]) -> None:
        """Write a frame, coalescing bursts.

        A frame sent while no other was sent recently goes out at once, so a lone
        request waits for nothing. It opens a window: frames sent after it (the rest of an
        ``asyncio.gather`` of many requests) are joined into one write at the end of the
        loop iteration, one syscall instead of hundreds. Arriving data closes the window,
        so requests awaited one by one are each written at once, with no extra iteration.
        """
        out = self._out
        if out is None:
            transport = self.transport
            # after an abort, until connection_lost fails the waiters, writes go nowhere
            if not transport.is_closing():
                transport.write(frame)
            self._out = _WINDOW_OPEN
        elif isinstance(out, list):
            out.append(frame)
        else:  # the window is open and holds nothing yet
            self._out = [frame]
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        out, self._out = self._out, None
        if out and not self.transport.is_closing():
            self.transport.write(b''.join(out))

    def send_outbox(self) -> None:
        """Send what the inbox asks for: closes of resources whose opener gave up."""
        outbox = self.inbox.outbox
        ids = self.conn._ids
        while outbox:
            self.send(outbox.pop(0).finish(next(ids)))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # create_connection makes a Transport (asyncio types the parameter as its base)
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        out = self._out
        if out is not None and not out:
            self._out = None  # nothing waits to be flushed: close the write window
        try:
            frames = self.frames.feed(data)
            if self.handshaking:
                for frame in frames:
                    fut, self.raw = self.raw, None
                    if fut is not None and not fut.done():
                        fut.set_result(frame)
                return
            sort = self.inbox.sort
            for frame in frames:
                fut = sort(frame)
                # None: a notification, or the reply to a request given up on
                if fut is not None and not fut.done():
                    fut.set_result(frame)
        except ParseError as e:
            self._broken(ParseError('{} from {}:{}'.format(e, self.conn.host, self.conn.port)))
            return
        if self.inbox.outbox:
            self.send_outbox()

    def _broken(self, error: BaseException) -> None:
        """The stream can't be trusted any more: fail everyone, drop the transport and
        mark the connection dead now, so that the next request reconnects."""
        self._fail_waiters(error)
        self.transport.abort()
        self.conn._lost(self, error)

    def _fail_waiters(self, error: BaseException) -> None:
        if self.error is None:
            self.error = error
        for fut in self.inbox.close(error):
            if not fut.done():
                fut.set_exception(error)
        fut, self.raw = self.raw, None
        if fut is not None and not fut.done():
            fut.set_exception(error)
        paused, self.paused = self.paused, None
        if paused is not None and not paused.done():
            paused.set_result(None)  # the writers waiting on it find their futures failed

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        conn = self.conn
        error = self.error
        if error is None:
            error = _lost_error(conn, exc)
        self._fail_waiters(error)
        if not self.lost.done():
            self.lost.set_result(None)
        conn._lost(self, error)

    def pause_writing(self) -> None:
        if self.paused is None:
            self.paused = self._loop.create_future()

    def resume_writing(self) -> None:
        paused, self.paused = self.paused, None
        if paused is not None and not paused.done():
            paused.set_result(None)


class AioConnection(NodeConnection):
    """An asyncio connection to one Ignite node. Not a stable API.

    :param session: the session of the client that owns it (told of its events),
    :param host: node host,
    :param port: node port,
    :param username: (optional) user name for authentication,
    :param password: (optional) password for authentication,
    :param timeout: (optional) time limit of each request, seconds; None (default) or 0 for
     none. A request over the limit raises :data:`TimeoutError`; if the node sent no frame
     at all meanwhile, the connection is closed too (see the module documentation),
    :param handshake_timeout: (optional) time limit of connecting plus the handshake,
     seconds (10.0 by default); over it, :meth:`connect` raises :data:`TimeoutError`,
    :param ssl_params: ``use_ssl`` and the other ``ssl_*`` parameters of the client.
    """

    def __init__(self, session: Owner, host: str, port: int,
                 username: Optional[str] = None, password: Optional[str] = None,
                 timeout: Optional[float] = None, handshake_timeout: float = 10.0,
                 **ssl_params: Any) -> None:
        super().__init__(session, host, port, username, password, timeout, handshake_timeout,
                         **ssl_params)
        self._proto: Optional[_FrameProtocol] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._flags_header = True

    # --- connecting ---------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the connection (TLS if configured) and run the handshake, closing the old
        connection first.

        :raises OSError: the node is unreachable or the connection broke;
         :data:`TimeoutError` when ``handshake_timeout`` passed,
        :raises HandshakeError: the server refused the session, or its reply is not a
         handshake reply (an OSError),
        :raises AuthenticationError: the server rejected the credentials,
        :raises ParameterError: the ``ssl_*`` parameters are invalid (before any traffic).
        """
        await self.close()
        closes = self._closes
        context = make_ssl_context(self.ssl_params)
        self.session.handshake_started(self)
        try:
            version, result = await self._open_within(context)
            if self._closes != closes or self._proto is None:
                # a close() overtook this connect(), or the node dropped the connection
                # right after the handshake: give up, as the blocking one does
                raise ConnectionError('connection to {}:{} closed while connecting'.format(
                    self.host, self.port))
        except BaseException as e:
            self._drop()
            self.session.handshake_failed(self, e)
            raise
        proto = self._proto
        flags = self._flags_header = version >= (1, 4, 0)
        proto.handshaking = False
        proto.frames.shortest = _MIN_REPLY[flags]
        proto.frames.limit = P.MAX_FRAME
        proto.inbox.flags_header = flags
        self.protocol_context = P.ProtocolContext(version, result.features)
        self.uuid = result.node_uuid
        self.alive = True
        self.closed = False
        self.session.handshake_succeeded(self)

    async def _open_within(self, context: Optional['ssl.SSLContext'],
                           ) -> Tuple[P.Version, P.HandshakeResult]:
        try:
            return await asyncio.wait_for(self._open(context), self.handshake_timeout)
        except asyncio.TimeoutError:
            raise TimeoutError('connecting to {}:{} timed out after {}s'.format(
                self.host, self.port, self.handshake_timeout)) from None
        except ParseError as e:
            # not an Ignite node, or a broken one: a failed handshake (an OSError), so the
            # client goes on to the next node
            raise HandshakeError((), 'the reply of {}:{} is not an Ignite handshake reply: '
                                 '{}'.format(self.host, self.port, e)) from e

    async def _open(self, context: Optional['ssl.SSLContext'],
                    ) -> Tuple[P.Version, P.HandshakeResult]:
        loop = self._loop = asyncio.get_running_loop()
        steps = handshake(self.username, self.password, user_attributes=self.user_attributes)
        frame = next(steps)
        while True:
            transport, proto = await loop.create_connection(
                lambda: _FrameProtocol(self), self.host, self.port, ssl=context)
            self._proto = proto
            proto.raw = fut = loop.create_future()
            transport.write(frame)
            try:
                body = await fut
            except ConnectionError as e:
                raise self.handshake_lost(e, context is not None) from e
            try:
                frame = steps.send(body)
            except StopIteration as done:
                outcome: Tuple[P.Version, P.HandshakeResult] = done.value
                return outcome
            # the version was refused, and a server may hang up after refusing: the next
            # one is offered on a new connection
            self._proto = None
            transport.abort()

    def _drop(self) -> None:
        """Abort the transport at once, failing whatever waits on it."""
        proto, self._proto = self._proto, None
        self.alive = False
        self.closed = True
        if proto is not None:
            proto._fail_waiters(ConnectionError('Connection closed.'))
            if proto.transport is not None:
                proto.transport.abort()

    async def close(self) -> None:
        """Close the connection; requests still waiting get a :class:`ConnectionError`."""
        was_alive = self._mark_closed()
        proto, self._proto = self._proto, None
        if proto is None:
            return
        proto._fail_waiters(ConnectionError('Connection closed.'))
        transport = proto.transport
        if transport is not None:
            transport.close()
            try:
                # a TLS goodbye may hang on a dead peer: don't wait long for it
                await asyncio.wait_for(asyncio.shield(proto.lost), 2.0)
            except asyncio.TimeoutError:
                transport.abort()
            except asyncio.CancelledError:
                transport.abort()
                raise
        if was_alive:
            self.session.connection_closed(self, None)

    def abort(self, error: BaseException) -> None:
        """Close the connection as broken by ``error`` (a heartbeat found the node silent):
        requests waiting on it get that error, the next call reconnects."""
        proto = self._proto
        if proto is not None and proto.transport is not None:
            proto._broken(error)

    def _lost(self, proto: _FrameProtocol, error: BaseException) -> None:
        """The transport of ``proto`` went away (called by the protocol)."""
        if proto is not self._proto:
            return  # an old transport, or one closed on purpose
        self._proto = None
        was_alive = self.alive
        self.alive = False
        self.closed = True
        if was_alive:
            self.session.connection_closed(self, error)

    # --- requests -----------------------------------------------------------------------

    def subscribe(self, op_code: int, resource_id: int, listener: Callable[[bytes], None],
                  on_end: Optional[Callable[[BaseException], None]] = None) -> None:
        """Hand the server notifications ``op_code`` about ``resource_id`` to ``listener``
        (called with each frame body from the event loop's receive path: it must only pass
        the frame on), and call ``on_end(error)`` (likewise) if the connection ends first.
        Resource ids belong to this connection's session: a reconnection forgets the
        subscription.

        :raises ConnectionError: the connection is closed.
        """
        proto = self._live_proto()
        proto.inbox.subscribe(op_code, resource_id, listener, on_end)

    def unsubscribe(self, op_code: int, resource_id: int) -> None:
        """Stop handing out the notifications ``op_code`` about ``resource_id``."""
        proto = self._proto
        if proto is not None:
            proto.inbox.unsubscribe(op_code, resource_id)

    def hold(self, op_code: int) -> None:
        """Keep the ``op_code`` notifications for ids nobody subscribed to yet, until
        :meth:`unhold` (see :meth:`pyignite._session.inbox.Inbox.hold`).

        :raises ConnectionError: the connection is closed.
        """
        self._live_proto().inbox.hold(op_code)

    def unhold(self, op_code: int) -> None:
        """Undo one :meth:`hold`."""
        proto = self._proto
        if proto is not None:
            proto.inbox.unhold(op_code)

    def _live_proto(self) -> _FrameProtocol:
        proto = self._proto
        if proto is None or not self.alive or proto.error is not None:
            raise ConnectionError('Connection to {}:{} is closed.'.format(self.host, self.port))
        return proto

    def new_request_id(self) -> int:
        """A fresh request id, for callers that must know it before :meth:`request`."""
        return next(self._ids)

    async def request(self, req: 'Request', request_id: Optional[int] = None,
                      deadline: Optional[Tuple[float, float]] = None,
                      ) -> Tuple[bytes, P.ResponseHeader]:
        """Send a request; return the reply frame and its parsed header.

        A request given up on (a timeout, a cancelled task) leaves the connection usable:
        its reply is dropped when it comes, or, if the request opened a server resource
        (``req.release``), that resource is closed.

        :param request_id: (optional) an id from :meth:`new_request_id`,
        :param deadline: (optional) ``(loop time, seconds)``: a per-call limit, when it
         passes and how long it was; it never closes the connection,
        :raises OSError: the connection is dead or died (it must be reconnected),
         or :data:`TimeoutError`: no reply within ``timeout`` (the connection is closed if
         the node sent no frame at all meanwhile) or by the ``deadline``.
        """
        proto = self._proto
        if proto is None or not self.alive or proto.error is not None:
            raise ConnectionError('Connection to {}:{} is closed.'.format(self.host, self.port))
        rid = next(self._ids) if request_id is None else request_id
        loop = proto._loop  # the loop the connection was opened in
        fut = loop.create_future()
        inbox = proto.inbox
        inbox.waiting[rid] = fut
        timeout = self.timeout
        handle = None
        sent = False
        try:
            if proto.paused is not None:
                await self._drain(proto)
            completed = proto.frames.completed
            proto.send(req.finish(rid))
            sent = True
            if deadline is not None and (timeout is None or deadline[0] < loop.time() + timeout):
                handle = loop.call_at(deadline[0], _expire, fut, self, proto, completed,
                                      deadline[1])
            elif timeout is not None:
                handle = loop.call_later(timeout, _expire, fut, self, proto, completed)
            reply = await fut
        except BaseException:
            # given up: a reply that came meanwhile (a cancel racing its arrival) is dealt
            # with now, a later one when it comes
            late = None
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                late = fut.result()
            inbox.give_up(rid, req.release if sent else None, late)
            if inbox.outbox and proto.error is None:
                proto.send_outbox()
            raise
        finally:
            if handle is not None:
                handle.cancel()
        try:
            return reply, _parse_header(reply, self._flags_header)
        except ParseError as e:
            proto._broken(e)
            raise

    @staticmethod
    async def _drain(proto: _FrameProtocol) -> None:
        """Wait while the transport's write buffer is over its high-water mark."""
        while proto.paused is not None:
            await asyncio.shield(proto.paused)
