"""A blocking connection to one node, safe to share between threads.

Theory of operation
-------------------
Each socket a :class:`Connection` opens gets its own :class:`_Stream`: the
socket, the bytes received but not consumed yet, the requests waiting for a
reply and the error that broke it, if any. Reconnecting makes a new stream, so
a thread still busy with the old one can never touch the new one's state.

Sending: a thread writes its whole frame with one ``sendall`` under the
stream's send lock, so frames never interleave.

Receiving: requests from many threads may be in flight at once. The first
thread that needs a reply becomes the *reader*: it reads frames and hands each
one to the thread waiting for that request id, waking only that thread, until
its own reply arrives; then it wakes one other waiting thread to take over
reading. A thread that finds nothing else in flight (the usual case) takes the
reader's role before it sends, and needs no condition variable. Which frame
goes where is decided by the stream's frame buffer and inbox, shared with the
asyncio client (:mod:`pyignite._session`): a reply for a request given up on
(it timed out) is dropped, or closes the server resource the request opened;
server notifications go to their listeners. A frame that arrives whole in one
read is copied once out of a buffer the stream reuses.

Notifications: a thread reads only while it waits for a reply, but server pushes
(continuous query events) come when they like. So while the stream has subscribers
(:meth:`Connection.subscribe`), a daemon *listening thread* takes the reader's role
whenever no request thread holds it: it sorts frames like any reader (handing replies to
their waiters, notifications to their listeners), in polls of :data:`_LISTEN_POLL` seconds,
and ends when the last subscriber leaves or the stream ends. Request threads then wait for
their replies on their conditions; a stream without subscribers never has this thread.

TLS: OpenSSL forbids using one SSL object from two threads at once, which a
reader blocked in ``recv`` while another thread sends would do. So TLS runs
over memory BIOs: the socket carries ciphertext, and the SSL object is only
touched under a short lock, never while blocked on the network.

Failures: an I/O error, a frame that makes no sense or an interrupted send
leave the stream position unknown, so the stream is closed; the thread that
hit the problem raises it, every other waiting thread gets a
:class:`ConnectionError` whose ``__cause__`` is that error, and the client
reconnects on a later call.

Timeouts: ``handshake_timeout`` bounds connecting, TLS and the handshake
together; when it passes :meth:`Connection.connect` raises ``socket.timeout``.
``timeout`` (None or 0: no limit) bounds each request, counted from before it
is sent; when it passes the request raises ``socket.timeout`` (both are the built-in
:class:`TimeoutError` on Python 3.10+; always an :class:`OSError`), by the rule
of :mod:`pyignite._session.timeouts`: the stream is closed if the node sent no
whole frame meanwhile, otherwise only that request is given up. After the handshake
the socket itself has no timeout where the platform can send without waiting: reads
poll by deadline, sends wait only when the send buffer is full (see
:meth:`_Stream.limit_sends`), so a request costs a send, a poll and a receive.

Thread safety: :meth:`Connection.request`, :meth:`Connection.close` and
:meth:`Connection.connect` may be called from any thread at any time; a
``close()`` that overtakes a ``connect()`` in progress makes it give up.
"""
import errno
import select
import socket
import ssl
import threading
from collections import deque
from functools import partial
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Optional, Tuple, Union

from .._protocol import wire as P
from .._ops.handshake import handshake
from .._session.frames import FrameBuffer
from .._session.inbox import Inbox
from .._session.timeouts import expiry
from ..exceptions import HandshakeError, ParseError
from .base import NodeConnection, Owner
from .ssl_context import make_ssl_context

if TYPE_CHECKING:  # pragma: no cover
    from .._protocol.request import Request

__all__ = ['Connection']

_parse_header = P.parse_response_header

#: bytes asked of one ``recv`` when no big frame is being read, and the most ever asked
_RECV = 1 << 16
_RECV_MAX = 1 << 20
#: plaintext asked of the TLS object per call
_TLS_READ = 1 << 17
#: the shortest reply frame: request id and flags (protocol 1.4.0+) or status (before)
_MIN_REPLY = {True: 10, False: 12}
#: the listening thread reads in polls this long (seconds), so it notices within that
#: time that its last subscriber left; and naps this long while a request thread reads
_LISTEN_POLL = 0.2
_LISTEN_NAP = 0.01


class _Expired(Exception):
    """A deadline passed while waiting for bytes (internal)."""


def _lost(stream: '_Stream') -> ConnectionError:
    """A fresh error for a thread whose request died with the stream."""
    error = ConnectionError('connection to {}:{} lost: {!r}'.format(
        stream.host, stream.port, stream.error))
    error.__cause__ = stream.error
    return error


class _Waiter:
    """A request waiting for its reply; ``cond`` is made only if the thread must sleep."""

    __slots__ = ('reply', 'cond')

    def __init__(self) -> None:
        self.reply: Optional[bytes] = None
        self.cond: Optional[threading.Condition] = None


class _Sent:
    """A request :meth:`Connection.submit` sent, whose reply is still to collect."""

    __slots__ = ('stream', 'rid', 'release', 'waiter', 'deadline', 'completed')

    def __init__(self, stream: '_Stream', rid: int, release: Optional[int], waiter: _Waiter,
                 deadline: Optional[float], completed: int) -> None:
        self.stream = stream
        self.rid = rid
        self.release = release
        self.waiter = waiter
        self.deadline = deadline
        self.completed = completed


#: the inbox slot of a request whose own thread reads the stream: nobody needs waking
_READER = _Waiter()

#: the flag of a send that never waits (0 where the platform has none, e.g. Windows)
_DONTWAIT: int = getattr(socket, 'MSG_DONTWAIT', 0)


def sendall_within(sock: socket.socket, timeout: float, data: Union[bytes, bytearray]) -> None:
    """``sock.sendall(data)`` within ``timeout`` seconds, on a socket that blocks.

    The bytes are offered at once without waiting (``MSG_DONTWAIT``); only a full send
    buffer makes it wait, in ``poll``, for as long as the time left allows. A socket with
    a timeout would poll before every send instead, one system call more per request.

    :raises socket.timeout: the time ran out with bytes still unsent (some may be out).
    """
    try:
        sent = sock.send(data, _DONTWAIT)
    except BlockingIOError:
        sent = 0
    if sent == len(data):
        return  # the usual case: the frame fits in the send buffer
    deadline = monotonic() + timeout
    view = memoryview(data)[sent:]
    poller = select.poll()
    poller.register(sock, select.POLLOUT)
    try:
        while view:
            remaining = deadline - monotonic()
            if remaining <= 0 or not poller.poll(int(remaining * 1000) + 1):
                raise socket.timeout('timed out')
            try:
                view = view[sock.send(view, _DONTWAIT):]
            except BlockingIOError:
                pass
    finally:
        # a traceback holding the view would keep the request's buffer from resizing
        view.release()


def _closed_under_us(stream: '_Stream', e: OSError) -> OSError:
    """An error from a socket another thread closed: the documented ConnectionError."""
    if e.errno == errno.EBADF or stream.sock.fileno() < 0:
        error = ConnectionError('connection to {}:{} closed'.format(stream.host, stream.port))
        error.__cause__ = e
        return error
    return e


class _Stream:
    """One socket's life: its bytes, its waiting requests, its fate.

    :ivar lock: guards the ``inbox``, ``reading`` and ``error``,
    :ivar send_lock: held for a whole frame (and, with TLS, for encrypting it),
    :ivar frames: the frame buffer (only the reading thread touches it),
    :ivar ready: frames cut but not sorted yet (only the reading thread touches it),
    :ivar inbox: where each frame goes; its slots are :class:`_Waiter` objects.
    """

    def __init__(self, sock: socket.socket, host: str, port: int) -> None:
        self.sock = sock
        self.host = host
        self.port = port
        self.frames = FrameBuffer(1, P.MAX_HANDSHAKE_FRAME)
        self.ready: 'deque[bytes]' = deque()
        self.inbox = Inbox()
        self.lock = threading.Lock()
        self.send_lock = threading.Lock()
        self.reading = False
        #: a listening thread runs for this stream (see the module documentation)
        self.listening = False
        self.error: Optional[BaseException] = None
        self.flags_header = True
        #: the request ids of the connection, for the requests the inbox sends
        self.ids: Optional[Iterator[int]] = None
        self._poll: Optional[Callable[[int], List[Any]]] = None
        # frames the reader could not send at once (a sender held the send lock)
        self.unsent: List[bytearray] = []
        self.scratch = memoryview(bytearray(_RECV))
        #: writes bytes to the socket, whole, within the request timeout if any (see
        #: :meth:`limit_sends`)
        self.sendall: Callable[[Union[bytes, bytearray]], None] = sock.sendall
        #: how :meth:`send` writes bytes, under the send lock: straight to the socket, or
        #: through TLS (:meth:`_TlsStream.send_tls`)
        self.write: Callable[[Union[bytes, bytearray]], None] = sock.sendall

    def limit_sends(self, timeout: Optional[float]) -> None:
        """Once the handshake is over: bound each send by ``timeout`` seconds (None: no
        limit). Reads wait by deadline themselves (:meth:`_wait`), whatever the socket.

        Where sends can be offered without waiting, the socket is left blocking and sends
        go through :func:`sendall_within`: with a timeout on the socket, CPython would poll
        before every send and every receive, on top of the reads' own poll (five system
        calls per request instead of three).
        """
        sock = self.sock
        if timeout is None or not _DONTWAIT:
            sock.settimeout(timeout)
            return
        sock.settimeout(None)
        self.sendall = partial(sendall_within, sock, timeout)
        if self.write == sock.sendall:
            self.write = self.sendall

    # --- raw I/O (overridden for TLS) ---------------------------------------------------

    def send(self, data: Union[bytes, bytearray]) -> None:
        # the locks of the request path are taken by hand: ``with`` costs twice as much,
        # and a request takes three
        send_lock = self.send_lock
        send_lock.acquire()
        try:
            if self.unsent:
                self._send_unsent()
            self.write(data)
        except OSError as e:
            raise _closed_under_us(self, e) from None
        finally:
            send_lock.release()

    def send_soon(self, frames: List[bytearray]) -> None:
        """Send frames the inbox asked for, from the reading thread: now if no sender holds
        the send lock (waiting for it could deadlock with a sender blocked on a full socket
        buffer), otherwise with the next request that goes out."""
        if self.send_lock.acquire(blocking=False):
            try:
                self.unsent += frames
                self._send_unsent()
            finally:
                self.send_lock.release()
        else:
            self.unsent += frames

    def _send_unsent(self) -> None:
        frames, self.unsent = self.unsent, []
        self.write(b''.join(frames))

    def receive(self, deadline: Optional[float]) -> List[bytes]:
        """Read what the node sent; return the frames it completes (maybe none)."""
        sock = self.sock
        frames = self.frames
        try:
            if deadline is not None:
                self._wait(sock, deadline)
            if frames.held and frames.want() > _RECV:
                # a big frame on its way: read as much of it as there is room for
                data = memoryview(sock.recv(min(frames.want(), _RECV_MAX)))
                got = len(data)
            else:
                data = self.scratch
                got = sock.recv_into(data)
        except OSError as e:
            raise _closed_under_us(self, e) from None
        if not got:
            raise ConnectionError('connection closed by {}:{}'.format(self.host, self.port))
        return frames.received(data, got)

    def recv(self, size: int, deadline: Optional[float]) -> bytes:
        """Some bytes from the socket; raises at the deadline or the end of the stream."""
        sock = self.sock
        try:
            if deadline is not None:
                self._wait(sock, deadline)
            data = sock.recv(size)
        except OSError as e:
            raise _closed_under_us(self, e) from None
        if not data:
            raise ConnectionError('connection closed by {}:{}'.format(self.host, self.port))
        return data

    def _wait(self, sock: socket.socket, deadline: float) -> None:
        # only one thread reads at a time, so one poll object serves every wait
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise _Expired
        poll = self._poll
        try:
            if poll is None:
                if hasattr(select, 'poll'):
                    poller = select.poll()
                    poller.register(sock, select.POLLIN)
                    self._poll = poll = poller.poll
                else:  # pragma: no cover - Windows
                    self._poll = poll = lambda ms: select.select([sock], [], [], ms / 1000)[0]
            ready = poll(int(remaining * 1000) + 1)
        except ValueError:  # the socket was closed under us
            raise ConnectionError('connection to {}:{} closed'.format(
                self.host, self.port)) from None
        if not ready:
            raise _Expired

    def shutdown(self) -> None:
        """Close the socket, waking a thread blocked reading it."""
        sock = self.sock
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            sock.close()
        except OSError:
            pass

    # --- frames -------------------------------------------------------------------------

    def read_frame(self, deadline: Optional[float]) -> bytes:
        """The next frame body (the buffer checks each length before waiting for it).

        :raises ParseError: a frame length is out of bounds.
        """
        ready = self.ready
        while not ready:
            frames = self.receive(deadline)
            if len(frames) == 1:
                return frames[0]
            ready.extend(frames)
        return ready.popleft()

    def hand_over(self) -> None:
        """Stop being the reader: wake a waiter to take over if any (call under ``lock``)."""
        self.reading = False
        if self.inbox.waiting:
            self.wake_reader()

    def wake_reader(self) -> None:
        """Wake one sleeping waiter to take over reading (call under ``lock``)."""
        for waiter in self.inbox.waiting.values():
            if waiter.reply is None and waiter.cond is not None:
                waiter.cond.notify()
                return


class _TlsStream(_Stream):
    """A stream whose bytes go through an :class:`ssl.SSLObject` over memory BIOs."""

    def __init__(self, sock: socket.socket, host: str, port: int,
                 context: ssl.SSLContext) -> None:
        super().__init__(sock, host, port)
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=False,
                                    server_hostname=host or None)
        self.tls_lock = threading.Lock()
        self.write = self.send_tls

    def tls_handshake(self, deadline: float) -> None:
        tls = self.tls
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.sock.sendall(self.outgoing.read())
                self.incoming.write(self.recv(_RECV, deadline))
        self.sock.sendall(self.outgoing.read())

    def send_tls(self, data: Union[bytes, bytearray]) -> None:
        """Encrypt and write bytes under the send lock (held by the caller)."""
        view = memoryview(data)
        with self.tls_lock:
            written = 0
            while written < len(view):
                written += self.tls.write(view[written:])
            out = self.outgoing.read()
        self.sendall(out)

    def receive(self, deadline: Optional[float]) -> List[bytes]:
        buf = bytearray()
        size = min(max(self.frames.want(), _RECV), _RECV_MAX)
        while True:
            raw = self.recv(size, deadline)
            with self.tls_lock:
                self.incoming.write(raw)
                try:
                    while True:
                        data = self.tls.read(_TLS_READ)
                        if not data:
                            break
                        buf += data
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLZeroReturnError:
                    raise ConnectionError('connection closed by {}:{} (TLS close_notify)'.format(
                        self.host, self.port)) from None
                reply_pending = self.outgoing.pending
            if reply_pending:
                self._flush()
            if buf:
                return self.frames.feed(buf)

    def _flush(self) -> None:
        # TLS records the SSL object produced while reading (a key update, an alert) go
        # out now unless a sender holds the lock; that sender, or the next, sends them
        if self.send_lock.acquire(blocking=False):
            try:
                with self.tls_lock:
                    out = self.outgoing.read()
                self.sendall(out)
            finally:
                self.send_lock.release()


class Connection(NodeConnection):
    """A connection to one Ignite node.

    :param session: the session of the client that owns it (told of its events),
    :param host: node host,
    :param port: node port,
    :param username: user name for authentication,
    :param password: password for authentication,
    :param timeout: time limit of each request, seconds (None or 0: no limit),
    :param handshake_timeout: time limit of connecting plus the handshake, seconds,
    :param ssl_params: ``use_ssl`` and the other ``ssl_*`` parameters.
    """

    def __init__(self, session: Owner, host: str, port: int,
                 username: Optional[str] = None, password: Optional[str] = None,
                 timeout: Optional[float] = None, handshake_timeout: float = 10.0,
                 **ssl_params: Any) -> None:
        super().__init__(session, host, port, username, password, timeout, handshake_timeout,
                         **ssl_params)
        self._stream: Optional[_Stream] = None
        self._connect_lock = threading.Lock()
        # guards swapping ``_stream`` with ``alive``/``closed``; never held during I/O
        self._state_lock = threading.Lock()

    # --- connecting ---------------------------------------------------------------------

    def connect(self) -> None:
        """Open the socket (TLS if configured) and run the handshake, closing the old one.

        :raises OSError: the node is unreachable, the connection broke, or
         ``socket.timeout`` when ``handshake_timeout`` passed,
        :raises HandshakeError: the server refused the session (an OSError),
        :raises AuthenticationError: the server rejected the credentials,
        :raises ParameterError: the ``ssl_*`` parameters are invalid.
        """
        with self._connect_lock:
            self.close()
            closes = self._closes
            context = make_ssl_context(self.ssl_params)
            self.session.handshake_started(self)
            try:
                stream, version, result = self._open(context)
            except BaseException as e:
                self.session.handshake_failed(self, e)
                raise
            with self._state_lock:
                overtaken = self._closes != closes
                if not overtaken:
                    self.protocol_context = P.ProtocolContext(version, result.features)
                    self.uuid = result.node_uuid
                    self._stream = stream
                    self.alive = True
                    self.closed = False
            if overtaken:
                stream.shutdown()
                raise ConnectionError('connection to {}:{} was closed while connecting'.format(
                    self.host, self.port))
        self.session.handshake_succeeded(self)

    def _dial(self, context: Optional[ssl.SSLContext], deadline: float) -> _Stream:
        """A new socket to the node, TLS set up if ``context``, ready for the handshake."""
        try:
            sock = socket.create_connection((self.host, self.port), self.handshake_timeout)
        except socket.timeout:
            raise socket.timeout('connecting to {}:{} timed out after {}s'.format(
                self.host, self.port, self.handshake_timeout)) from None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(max(deadline - monotonic(), 0.001))
            stream: _Stream
            if context is None:
                stream = _Stream(sock, self.host, self.port)
            else:
                stream = _TlsStream(sock, self.host, self.port, context)
                try:
                    stream.tls_handshake(deadline)
                except ConnectionError as e:
                    raise ConnectionError('{} during the TLS handshake; is TLS on at the '
                                          'node?'.format(e)) from e
        except _Expired:
            sock.close()
            raise socket.timeout('handshake with {}:{} timed out after {}s'.format(
                self.host, self.port, self.handshake_timeout)) from None
        except BaseException:
            sock.close()
            raise
        stream.ids = self._ids
        return stream

    def _open(self, context: Optional[ssl.SSLContext],
              ) -> Tuple[_Stream, P.Version, P.HandshakeResult]:
        deadline = monotonic() + self.handshake_timeout
        steps = handshake(self.username, self.password, user_attributes=self.user_attributes)
        frame = next(steps)
        while True:
            stream = self._dial(context, deadline)
            sock = stream.sock
            try:
                stream.send(frame)
                try:
                    body = stream.read_frame(deadline)
                except ConnectionError as e:
                    raise self.handshake_lost(e, context is not None) from e
                try:
                    frame = steps.send(body)
                except StopIteration as done:
                    version, result = done.value
                    break
            except _Expired:
                sock.close()
                raise socket.timeout('handshake with {}:{} timed out after {}s'.format(
                    self.host, self.port, self.handshake_timeout)) from None
            except ParseError as e:
                # not an Ignite node, or a broken one: a failed handshake (an OSError), so
                # the client goes on to the next node
                sock.close()
                raise HandshakeError((), 'the reply of {}:{} is not an Ignite handshake '
                                     'reply: {}'.format(self.host, self.port, e)) from e
            except BaseException:
                sock.close()
                raise
            # the version was refused, and a server may hang up after refusing: the next
            # one is offered on a new connection
            sock.close()
        # from here on a send may block for up to ``timeout``; reads wait by deadline
        stream.limit_sends(self.timeout)
        flags = stream.flags_header = stream.inbox.flags_header = version >= (1, 4, 0)
        stream.frames.shortest = _MIN_REPLY[flags]
        stream.frames.limit = P.MAX_FRAME
        return stream, version, result

    def close(self) -> None:
        """Close the socket; requests still waiting get a :class:`ConnectionError`."""
        with self._state_lock:
            was_alive = self._mark_closed()
            stream, self._stream = self._stream, None
        if stream is None:
            return
        self._end(stream, ConnectionError('connection to {}:{} closed'.format(
            self.host, self.port)))
        if was_alive:
            self.session.connection_closed(self, None)

    def abort(self, error: BaseException) -> None:
        """Close the connection as broken by ``error`` (a heartbeat found the node silent):
        requests waiting on it get a :class:`ConnectionError`, the next call reconnects."""
        stream = self._stream
        if stream is not None:
            self._break(stream, error)

    def _break(self, stream: _Stream, error: BaseException) -> None:
        """Close a stream after ``error`` left its position unknown."""
        # the connection is marked dead before the stream is torn down, so that no new
        # call picks it (and fails at once) in between: it reconnects instead
        with self._state_lock:
            current = self._stream is stream
            if current:
                self._stream = None
                was_alive = self.alive
                self.alive = False
                self.closed = True
        if self._end(stream, error) and current and was_alive:
            self.session.connection_closed(self, error)

    @staticmethod
    def _end(stream: _Stream, error: BaseException) -> bool:
        """Record why ``stream`` ended and wake its waiters; False if it had ended already."""
        with stream.lock:
            if stream.error is not None:
                return False
            stream.error = error
            for waiter in stream.inbox.close(error):
                if waiter.cond is not None:
                    waiter.cond.notify()
        stream.shutdown()
        return True

    # --- requests -----------------------------------------------------------------------

    def subscribe(self, op_code: int, resource_id: int, listener: Callable[[bytes], None],
                  on_end: Optional[Callable[[BaseException], None]] = None) -> None:
        """Hand the server notifications ``op_code`` about ``resource_id`` to ``listener``
        (called with each frame body, in the thread that reads the stream, under its lock:
        it must only pass the frame on), and call ``on_end(error)`` (likewise) if the
        connection ends first. Resource ids belong to this connection's session: a
        reconnection forgets the subscription. Starts the listening thread if need be.

        :raises ConnectionError: the connection is closed.
        """
        stream = self._stream
        if stream is None:
            raise ConnectionError('connection to {}:{} is closed'.format(self.host, self.port))
        with stream.lock:
            if stream.error is not None:
                raise _lost(stream)
            stream.inbox.subscribe(op_code, resource_id, listener, on_end)
            start = not stream.listening
            stream.listening = True
        if start:
            threading.Thread(target=self._listen, args=(stream,), daemon=True,
                             name='pyignite-listen-{}:{}'.format(self.host, self.port)).start()

    def unsubscribe(self, op_code: int, resource_id: int) -> None:
        """Stop handing out the notifications ``op_code`` about ``resource_id``."""
        stream = self._stream
        if stream is not None:
            with stream.lock:
                stream.inbox.unsubscribe(op_code, resource_id)

    def hold(self, op_code: int) -> None:
        """Keep the ``op_code`` notifications for ids nobody subscribed to yet, until
        :meth:`unhold` (see :meth:`pyignite._session.inbox.Inbox.hold`).

        :raises ConnectionError: the connection is closed.
        """
        stream = self._stream
        if stream is None:
            raise ConnectionError('connection to {}:{} is closed'.format(self.host, self.port))
        with stream.lock:
            stream.inbox.hold(op_code)

    def unhold(self, op_code: int) -> None:
        """Undo one :meth:`hold`."""
        stream = self._stream
        if stream is not None:
            with stream.lock:
                stream.inbox.unhold(op_code)

    def _listen(self, stream: _Stream) -> None:
        """The listening thread: read the stream while it has subscribers and no request
        thread reads it."""
        lock = stream.lock
        nobody = _Waiter()  # a slot no frame is for: read until the poll ends
        while True:
            with lock:
                if stream.error is not None or not stream.inbox.listeners:
                    stream.listening = False
                    return
                reader = not stream.reading
                stream.reading = True
            if not reader:
                # a request thread reads, and hands out what comes meanwhile
                sleep(_LISTEN_NAP)
                continue
            try:
                self._read_until(stream, nobody, monotonic() + _LISTEN_POLL)
            except _Expired:
                pass
            except BaseException as e:
                self._break(stream, e)
            finally:
                with lock:
                    stream.hand_over()

    def new_request_id(self) -> int:
        """A fresh request id, for callers that must know it before :meth:`request`."""
        return next(self._ids)

    def request(self, req: 'Request',
                request_id: Optional[int] = None) -> Tuple[bytes, P.ResponseHeader]:
        """Send a request; return the reply frame and its parsed header.

        :param req: a :class:`~pyignite._protocol.request.Request`,
        :param request_id: (optional) an id from :meth:`new_request_id`,
        :return: ``(frame, header)``: the reply body and its
         :class:`~pyignite._protocol.wire.ResponseHeader`,
        :raises OSError: the connection broke (it is closed and reconnects on a later
         call), or ``socket.timeout`` when ``timeout`` passed,
        :raises ParseError: the reply makes no sense (the connection is closed).
        """
        stream, rid, waiter, deadline, completed = self._send(req, request_id, True)
        if waiter is not _READER:
            reply = self._receive(stream, rid, req.release, waiter, deadline, completed)
        else:
            # the reply is this thread's to read (see _send); having it, _read_until hands
            # the reader's role over itself
            try:
                reply = self._read_until(stream, _READER, deadline, True)
            except BaseException as e:
                try:
                    if e.__class__ is _Expired:
                        raise self._expired(stream, rid, req.release, completed) from None
                    # an I/O error, nonsense, or an interruption maybe mid-frame: position
                    # unknown
                    self._break(stream, e)
                    raise
                finally:
                    with stream.lock:
                        stream.hand_over()
        try:
            return reply, _parse_header(reply, stream.flags_header)
        except ParseError as e:
            self._break(stream, e)
            raise

    def submit(self, req: 'Request', request_id: Optional[int] = None) -> '_Sent':
        """Send a request without waiting for its reply: :meth:`collect` waits for it.

        This lets one thread keep several requests in flight on the connection (the data
        streamer's batches): the reply of each is kept for it by whichever thread reads the
        stream meanwhile, :meth:`collect` included. Every request submitted must be
        collected, or the reply waits in memory until the connection closes.

        :raises OSError: the connection broke while sending (it is closed).
        """
        stream, rid, waiter, deadline, completed = self._send(req, request_id, False)
        return _Sent(stream, rid, req.release, waiter, deadline, completed)

    def _send(self, req: 'Request', request_id: Optional[int], may_read: bool,
              ) -> Tuple[_Stream, int, _Waiter, Optional[float], int]:
        """Send ``req`` with a waiting slot for its reply in the inbox; return the stream,
        the request id, the slot, the request's deadline and the stream's count of
        completed frames before it.

        :param may_read: when nothing else is in flight (the usual case), this thread
         becomes the stream's reader and the slot is :data:`_READER`: it must read its own
         reply, and a thread that comes meanwhile waits for it to; else the slot is a
         :class:`_Waiter` of its own.
        """
        rid = next(self._ids) if request_id is None else request_id
        frame = req.finish(rid)
        stream = self._stream
        if stream is None:
            raise ConnectionError('connection to {}:{} is closed'.format(self.host, self.port))
        timeout = self.timeout
        deadline = None if timeout is None else monotonic() + timeout
        waiting = stream.inbox.waiting
        lock = stream.lock
        lock.acquire()
        try:
            if stream.error is not None:
                raise _lost(stream)
            completed = stream.frames.completed
            if may_read and not (stream.reading or waiting):
                stream.reading = True
                waiter = _READER
            else:
                waiter = _Waiter()
            waiting[rid] = waiter
        finally:
            lock.release()
        try:
            stream.send(frame)
        except BaseException as e:
            # part of the frame may be out: the server can no longer parse the stream
            with stream.lock:
                waiting.pop(rid, None)
                if waiter is _READER:
                    stream.reading = False
            self._break(stream, e)
            raise
        return stream, rid, waiter, deadline, completed

    def collect(self, sent: '_Sent',
                clock_from_now: bool = False) -> Tuple[bytes, P.ResponseHeader]:
        """The reply to a request :meth:`submit` sent: ``(frame, header)`` as
        :meth:`request` returns, with its errors.

        :param clock_from_now: count ``timeout`` from now rather than from the send (a page
         a cursor asked for ahead: its reader may have been busy with the rows meanwhile).
        """
        stream = sent.stream
        deadline = sent.deadline
        if clock_from_now and deadline is not None:
            deadline = monotonic() + self.timeout  # type: ignore[operator]
        reply = self._receive(stream, sent.rid, sent.release, sent.waiter, deadline,
                              sent.completed)
        try:
            return reply, _parse_header(reply, stream.flags_header)
        except ParseError as e:
            self._break(stream, e)
            raise

    def _receive(self, stream: _Stream, rid: int, release: Optional[int], waiter: _Waiter,
                 deadline: Optional[float], completed: int) -> bytes:
        lock = stream.lock
        reader = False
        try:
            with lock:
                while True:
                    if waiter.reply is not None:
                        return waiter.reply
                    if stream.error is not None:
                        raise _lost(stream)
                    if not stream.reading:
                        stream.reading = reader = True
                        break
                    if waiter.cond is None:
                        waiter.cond = threading.Condition(lock)
                    if deadline is None:
                        waiter.cond.wait()
                    else:
                        remaining = deadline - monotonic()
                        if remaining <= 0:
                            raise _Expired
                        waiter.cond.wait(remaining)
            return self._read_until(stream, waiter, deadline)
        except _Expired:
            raise self._expired(stream, rid, release, completed) from None
        except BaseException as e:
            if reader:  # an I/O error, nonsense, or interrupted mid-frame: position unknown
                self._break(stream, e)
            else:
                with lock:
                    stream.inbox.give_up(rid, release)
            raise
        finally:
            with lock:
                if reader:
                    stream.reading = False
                if not stream.reading:
                    stream.wake_reader()

    @staticmethod
    def _read_until(stream: _Stream, mine: _Waiter, deadline: Optional[float],
                    hand_over: bool = False) -> bytes:
        """Read frames, handing out the others' replies, until the inbox gives one to
        ``mine``.

        :param hand_over: once it has, stop being the reader (:meth:`_Stream.hand_over`)
         before returning; when it raises, the caller still is.
        """
        lock = stream.lock
        sort = stream.inbox.sort
        outbox = stream.inbox.outbox
        while True:
            frame = stream.read_frame(deadline)
            lock.acquire()
            try:
                slot = sort(frame)
                if slot is not None and slot is not mine:
                    slot.reply = frame
                    if slot.cond is not None:
                        slot.cond.notify()
                if outbox:
                    # the stream has the connection's ids from before its first request
                    sends = [req.finish(next(stream.ids))  # type: ignore[arg-type]
                             for req in outbox]
                    outbox.clear()
                else:
                    sends = None
                    if slot is mine and hand_over:
                        # the usual end: in the same critical section as the sorting
                        stream.hand_over()
                        return frame
            finally:
                lock.release()
            if sends:
                stream.send_soon(sends)
            if slot is mine:
                if hand_over:
                    with lock:
                        stream.hand_over()
                return frame

    def _expired(self, stream: _Stream, rid: int, release: Optional[int],
                 completed: int) -> OSError:
        """Give up on a request whose time ran out; close the stream if it went silent."""
        with stream.lock:
            stream.inbox.give_up(rid, release)
            silent = stream.frames.completed == completed
        error, close = expiry(self, silent, None, socket.timeout)
        if close:
            self._break(stream, error)
        return error
