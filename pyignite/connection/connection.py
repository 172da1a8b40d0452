"""A blocking connection to one node, safe to share between threads.

Requests from many threads may be in flight at once. Each thread sends its
frame under a send lock, then either becomes the reader (one at a time) or
waits on a condition; the reader files frames meant for other threads by
request id and wakes them. A response for an id nobody waits for any more is
dropped. Any I/O error or timeout breaks the connection: its stream position
cannot be trusted afterwards, so every waiter gets the error.
"""
import itertools
import socket
import threading
from typing import Optional

from .. import _protocol as P
from .._ops.handshake import handshake
from ..exceptions import ParseError
from .ssl_context import make_ssl_context

_unpack_i = P.S.INT.unpack_from
_unpack_q = P.S.LONG.unpack_from
_CHUNK = 1 << 20


class Connection:
    """A connection to one Ignite node.

    :param client: the client that owns it,
    :param host: node host,
    :param port: node port,
    :param username: user name for authentication,
    :param password: password for authentication,
    :param timeout: socket timeout for requests, seconds (None blocks),
    :param handshake_timeout: timeout for connecting and the handshake, seconds,
    :param ssl_params: ``use_ssl`` and the other ``ssl_*`` parameters.
    """

    def __init__(self, client, host: str, port: int, username: Optional[str] = None,
                 password: Optional[str] = None, timeout: Optional[float] = None,
                 handshake_timeout: float = 10.0, **ssl_params):
        self.client = client
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.timeout = timeout
        self.handshake_timeout = handshake_timeout
        self.ssl_params = ssl_params
        self.protocol_context: Optional[P.ProtocolContext] = None
        self.uuid = None
        self.alive = False
        self.closed = True
        self._sock = None
        self._flags_header = True
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._cond = threading.Condition(threading.Lock())
        self._reading = False
        self._stash = {}
        self._waiting = set()
        self._error: Optional[BaseException] = None
        self._rbuf = bytearray()

    def __repr__(self):
        return 'Connection({}:{}, {})'.format(
            self.host, self.port, 'alive' if self.alive else 'closed')

    # --- connecting ---------------------------------------------------------------------

    def connect(self) -> None:
        """Open the socket and run the handshake.

        :raises OSError: the node is unreachable, or :class:`HandshakeError`,
        :raises AuthenticationError: the credentials were rejected.
        """
        self.close()
        self.client._emit_handshake_start(self)
        sock = socket.create_connection((self.host, self.port), self.handshake_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            context = make_ssl_context(self.ssl_params)
            if context is not None:
                sock = context.wrap_socket(sock)
            self._sock = sock
            self._rbuf = bytearray()
            steps = handshake(self.username, self.password)
            frame = next(steps)
            while True:
                sock.sendall(frame)
                try:
                    frame = steps.send(self._read_frame())
                except StopIteration as done:
                    version, result = done.value
                    break
        except BaseException as e:
            self._sock = None
            sock.close()
            self.client._emit_handshake_fail(self, e)
            raise
        sock.settimeout(self.timeout)
        self.protocol_context = P.ProtocolContext(version, result.features)
        self._flags_header = version >= (1, 4, 0)
        self.uuid = result.node_uuid
        self._error = None
        self._stash = {}
        self._waiting = set()
        self.alive = True
        self.closed = False
        self.client._emit_handshake_success(self)

    def close(self) -> None:
        """Close the socket; requests still waiting get an error."""
        sock, self._sock = self._sock, None
        was_alive = self.alive
        self.alive = False
        self.closed = True
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
            if was_alive:
                self.client._emit_connection_closed(self, None)
        with self._cond:
            if self._error is None:
                self._error = ConnectionError('Connection closed.')
            self._cond.notify_all()

    def _fail(self, error: BaseException) -> None:
        """Break the connection after an I/O error, keeping the first error for waiters."""
        sock, self._sock = self._sock, None
        was_alive = self.alive
        self.alive = False
        self.closed = True
        with self._cond:
            if self._error is None:
                self._error = error
            self._cond.notify_all()
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        if was_alive:
            self.client._emit_connection_closed(self, error)

    # --- frames -------------------------------------------------------------------------

    def _read_frame(self) -> bytes:
        buf = self._rbuf
        sock = self._sock
        while len(buf) < 4:
            self._fill(sock, buf)
        n = _unpack_i(buf, 0)[0]
        if n <= 0 or n > P.MAX_FRAME:
            raise ParseError('bad frame length {} from {}:{}'.format(n, self.host, self.port))
        end = 4 + n
        while len(buf) < end:
            self._fill(sock, buf, end - len(buf))
        frame = bytes(buf[4:end])
        del buf[:end]
        return frame

    def _fill(self, sock, buf: bytearray, want: int = 0) -> None:
        if sock is None:
            raise ConnectionError('Connection closed.')
        chunk = sock.recv(min(max(want, 65536), _CHUNK))
        if not chunk:
            raise ConnectionError('Connection broken.')
        buf += chunk

    def request(self, req):
        """Send a request; return the reply frame and its parsed header.

        :raises OSError: the connection broke; it is closed and must be reconnected.
        """
        rid = next(self._ids)
        frame = req.finish(rid)
        cond = self._cond
        with cond:
            if self._error is not None or not self.alive:
                raise self._error or ConnectionError('Connection closed.')
            self._waiting.add(rid)
        try:
            with self._send_lock:
                sock = self._sock
                if sock is None:
                    raise ConnectionError('Connection closed.')
                sock.sendall(frame)
            reply = self._receive(rid)
        except (OSError, ParseError) as e:
            self._fail(e)
            raise
        finally:
            self._waiting.discard(rid)
        return reply, P.parse_response_header(reply, self._flags_header)

    def _receive(self, rid: int) -> bytes:
        cond = self._cond
        with cond:
            while True:
                reply = self._stash.pop(rid, None)
                if reply is not None:
                    return reply
                if self._error is not None:
                    raise self._error
                if not self._reading:
                    self._reading = True
                    break
                cond.wait()
        try:
            while True:
                reply = self._read_frame()
                got = _unpack_q(reply, 0)[0]
                if got == rid:
                    return reply
                with cond:
                    # replies for abandoned requests and notifications are dropped
                    if got in self._waiting:
                        self._stash[got] = reply
                        cond.notify_all()
        finally:
            with cond:
                self._reading = False
                cond.notify_all()
