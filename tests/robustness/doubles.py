"""Test doubles for broken and hostile peers.

No real Ignite node sends garbage, so these tests put a :class:`FaultProxy` between the
client and a real node: it passes bytes through and, when told to, replaces, truncates,
delays or drops the node's replies, or closes the connection. What the client does next
(reconnect, fail over, keep using the connection) is always checked against the real node.
A :class:`SilentServer` accepts TCP connections and never answers. Scripted peers (where
no Ignite node can play the part: pushes nobody subscribed to, a node of an older protocol)
use :func:`recv_frame` and :func:`handshake_reply`.
"""
import socket
import struct
import threading
import time
import uuid
from typing import Callable, Dict, List, Optional, Tuple

from pyignite import Client

_LEN = struct.Struct('<i')
_OP_RID = struct.Struct('<hq')
_RID = struct.Struct('<q')


def _recv_exact(sock: socket.socket, n: int) -> Optional[bytes]:
    chunks = []
    while n:
        try:
            chunk = sock.recv(n)
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b''.join(chunks)


def recv_frame(sock: socket.socket) -> bytes:
    """The body of the next frame the client sends; ConnectionError when it hangs up."""
    head = _recv_exact(sock, 4)
    body = None if head is None else _recv_exact(sock, _LEN.unpack(head)[0])
    if body is None:
        raise ConnectionError('the client went away')
    return body


def handshake_reply(node: uuid.UUID, features: bool = True) -> bytes:
    """A successful handshake reply frame: the feature bytes (protocol 1.7.0 and newer;
    none set) if ``features``, and the node id."""
    body = b'\x01' + (b'\x0c' + _LEN.pack(0) if features else b'')
    return frame(body + b'\x0a' + node.bytes[7::-1] + node.bytes[:7:-1])


class ScriptedPeer:
    """A node played from a script: ``script(sock)`` runs for every connection the client
    opens, each in a thread of its own, until it returns (the connection is then closed)
    or the client goes away (ConnectionError or OSError end it quietly).
    """

    def __init__(self, script: Callable[[socket.socket], None]):
        self._script = script
        self._listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self._sockets: List[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self._sockets.append(sock)
            threading.Thread(target=self._run, args=(sock,), daemon=True).start()

    def _run(self, sock: socket.socket) -> None:
        try:
            self._script(sock)
        except (ConnectionError, OSError):
            pass
        sock.close()

    def close(self) -> None:
        _close(self._listener)
        for sock in self._sockets:
            _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class SilentServer:
    """Accepts connections, reads and discards what arrives, never sends a byte."""

    def __init__(self):
        self._listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self.accepted: List[socket.socket] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self.accepted.append(sock)
            threading.Thread(target=self._drain, args=(sock,), daemon=True).start()

    @staticmethod
    def _drain(sock: socket.socket) -> None:
        while True:
            try:
                if not sock.recv(65536):
                    return
            except OSError:
                return

    def close(self) -> None:
        self._stop = True
        _close(self._listener)
        for sock in self.accepted:
            _close(sock)


#: what a tamper hook returns: bytes to send instead of the reply (may be empty), and
#: whether to close the client's connection afterwards
Action = Tuple[bytes, bool]


def frame(body: bytes) -> bytes:
    """A length-prefixed frame."""
    return _LEN.pack(len(body)) + body


class FaultProxy:
    """A TCP proxy in front of a real node that can tamper with the node's replies.

    Replies are cut into frames; the handshake reply passes unless
    :meth:`tamper_handshake` was called. For the frames after it, a hook set with
    :meth:`tamper_next` (applies once) or :meth:`tamper_all` gets the frame body and
    returns ``(bytes to send instead, close afterwards)``.
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self._listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self._lock = threading.Lock()
        self._next: List[Callable[[bytes], Action]] = []
        self._all: Optional[Callable[[bytes], Action]] = None
        self._handshake: Optional[Callable[[bytes], Action]] = None
        self.connections = 0
        #: (op code, request id, payload) of every request after the handshake, in order
        self.requests: List[Tuple[int, int, bytes]] = []
        #: request id -> op code (ids are per connection: meant for one connection)
        self.request_ops: Dict[int, int] = {}
        self._sockets: List[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # --- control ------------------------------------------------------------------------

    def tamper_next(self, hook: Callable[[bytes], Action]) -> None:
        with self._lock:
            self._next.append(hook)

    def tamper_all(self, hook: Optional[Callable[[bytes], Action]]) -> None:
        with self._lock:
            self._all = hook

    def tamper_handshake(self, hook: Optional[Callable[[bytes], Action]]) -> None:
        with self._lock:
            self._handshake = hook

    def reset(self) -> None:
        with self._lock:
            self._next.clear()
            self._all = None
            self._handshake = None

    def close(self) -> None:
        _close(self._listener)
        for sock in list(self._sockets):
            _close(sock)

    # --- pumping ------------------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, 10)
            except OSError:
                _close(client)
                continue
            self.connections += 1
            self._sockets += [client, server]
            threading.Thread(target=self._upstream, args=(client, server), daemon=True).start()
            threading.Thread(target=self._downstream, args=(client, server),
                             daemon=True).start()

    def _upstream(self, client: socket.socket, server: socket.socket) -> None:
        pending = bytearray()
        handshake = True
        while True:
            try:
                data = client.recv(65536)
                if not data:
                    break
                pending += data
                # note each whole request before the node can answer it
                while len(pending) >= 4 and len(pending) >= 4 + _LEN.unpack_from(pending)[0]:
                    end = 4 + _LEN.unpack_from(pending)[0]
                    if not handshake:
                        op, rid = _OP_RID.unpack_from(pending, 4)
                        with self._lock:
                            self.requests.append((op, rid, bytes(pending[14:end])))
                            self.request_ops[rid] = op
                    handshake = False
                    del pending[:end]
                server.sendall(data)
            except OSError:
                break
        _close(server)

    def sent(self, op: int) -> List[bytes]:
        """The payloads of the requests with op code ``op`` the client sent so far."""
        with self._lock:
            return [payload for code, _, payload in self.requests if code == op]

    def _hook(self, handshake: bool):
        with self._lock:
            if handshake:
                return self._handshake
            if self._next:
                return self._next.pop(0)
            return self._all

    def _downstream(self, client: socket.socket, server: socket.socket) -> None:
        first = True
        send_lock = threading.Lock()
        while True:
            head = _recv_exact(server, 4)
            if head is None:
                break
            body = _recv_exact(server, _LEN.unpack(head)[0])
            if body is None:
                break
            hook = self._hook(first)
            first = False
            data, close = (head + body, False) if hook is None else hook(body)
            if callable(data):  # a delayed reply: the hook hands us a sender
                data(lambda raw: self._send(client, send_lock, raw))
                continue
            if data and not self._send(client, send_lock, data):
                break
            if close:
                break
        _close(client)
        _close(server)

    @staticmethod
    def _send(client: socket.socket, lock: threading.Lock, data: bytes) -> bool:
        with lock:
            try:
                client.sendall(data)
                return True
            except OSError:
                return False


def delayed(seconds: float) -> Callable[[bytes], Action]:
    """A hook that sends the reply unchanged, ``seconds`` later, while others pass."""
    def hook(body: bytes):
        def later(send):
            timer = threading.Timer(seconds, send, args=(frame(body),))
            timer.daemon = True
            timer.start()
        return later, False
    return hook


def delayed_if(marker: bytes, seconds: float) -> Callable[[bytes], Action]:
    """A hook that delays the replies holding ``marker`` and passes the others."""
    late = delayed(seconds)

    def hook(body: bytes):
        return late(body) if marker in body else (frame(body), False)
    return hook


def delayed_replies_to(proxy: 'FaultProxy', op: int,
                       seconds: float) -> Callable[[bytes], Action]:
    """A hook that delays the replies to requests with op code ``op``, passing the others."""
    late = delayed(seconds)

    def hook(body: bytes):
        with proxy._lock:
            request_op = proxy.request_ops.get(_RID.unpack_from(body)[0])
        return late(body) if request_op == op else (frame(body), False)
    return hook


def dropped(body: bytes) -> Action:
    """A hook that swallows the reply."""
    return b'', False


def client_via(proxy: FaultProxy, node, **kwargs) -> Client:
    """A client whose first node is the proxy and whose second is the real node.

    Partition awareness is off, so the client talks to one node at a time and goes to the
    next one in the list when the current connection breaks.
    """
    client = Client(partition_aware=False, **kwargs)
    client.connect([(proxy.host, proxy.port), (node.host, node.port)])
    return client


def current_port(client: Client) -> int:
    """The port of the node the client's next request goes to."""
    return client._session.current.port


def elapsed(start: float) -> float:
    return time.monotonic() - start
