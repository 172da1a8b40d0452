"""Just enough of the thin-client protocol, over a raw socket, for readiness probes and cluster
activation: the launcher must work while the ``pyignite`` package itself does not."""
import socket
import ssl
import struct
from dataclasses import dataclass
from typing import Optional, Tuple

from .common import MB, ProtocolError

OP_CLUSTER_GET_STATE = 5000
OP_CLUSTER_CHANGE_STATE = 5001
STATE_INACTIVE, STATE_ACTIVE, STATE_ACTIVE_READ_ONLY = 0, 1, 2
STATUS_AUTH_FAILED = 2000
_MAX_FRAME = 64 * MB

_INT = struct.Struct('<i')
_REQ_HEADER = struct.Struct('<hq')
_RESP_HEADER = struct.Struct('<qh')


@dataclass
class HandshakeResult:
    """Outcome of a handshake.

    :ivar ok: the server accepted it.
    :ivar status: 0 on success, else the server's status (2000 = authentication failed).
    :ivar message: the server's error message ('' on success).
    :ivar server_version: version named in a failure reply.
    :ivar features: server feature bytes of a success reply.
    :ivar node_id: 16-byte node UUID of a success reply.
    """

    ok: bool
    status: int = 0
    message: str = ''
    server_version: Tuple[int, int, int] = (1, 7, 0)
    features: bytes = b''
    node_id: bytes = b''


def _typed_string(value: str) -> bytes:
    data = value.encode('utf-8')
    return b'\x09' + _INT.pack(len(data)) + data


def _read_typed_string(buf: bytes, off: int) -> Tuple[Optional[str], int]:
    code = buf[off]
    if code == 0x65:
        return None, off + 1
    if code != 0x09:
        raise ProtocolError(f'expected a String (9), got type code {code}')
    (size,) = _INT.unpack_from(buf, off + 1)
    start = off + 5
    return buf[start:start + size].decode('utf-8', 'replace'), start + size


def _handshake_body(username: Optional[str], password: Optional[str]) -> bytes:
    # 1.7.0, thin client, empty feature set: the smallest request every 2.9+ server accepts.
    body = b'\x01' + struct.pack('<hhh', 1, 7, 0) + b'\x02' + b'\x0c' + _INT.pack(0)
    if username is not None:
        body += _typed_string(username) + _typed_string(password or '')
    return body


def _parse_handshake_reply(body: bytes) -> HandshakeResult:
    if not body:
        raise ProtocolError('empty handshake reply')
    if body[0] == 1:
        features, node_id = b'', b''
        if len(body) >= 6 and body[1] == 0x0C:
            (size,) = _INT.unpack_from(body, 2)
            features = body[6:6 + size]
            rest = body[6 + size:]
            if len(rest) >= 17 and rest[0] == 0x0A:  # typed UUID
                node_id = rest[1:17]
        return HandshakeResult(True, features=features, node_id=node_id)
    major, minor, patch = struct.unpack_from('<hhh', body, 1)
    message, off = _read_typed_string(body, 7)
    status = _INT.unpack_from(body, off)[0] if len(body) >= off + 4 else 1
    return HandshakeResult(False, status=status, message=message or '',
                           server_version=(major, minor, patch))


class RawConnection:
    """One thin-client connection speaking protocol 1.7.0 with no features.

    :param host: server address.
    :param port: client connector port.
    :param username: credentials for nodes with authentication (sent only if not ``None``).
    :param password: password for ``username``.
    :param ssl_context: wrap the socket in TLS with this context.
    :param timeout: socket timeout in seconds.
    """

    def __init__(self, host: str, port: int, username: Optional[str] = None,
                 password: Optional[str] = None, ssl_context: Optional[ssl.SSLContext] = None,
                 timeout: float = 10.0):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.sock: Optional[socket.socket] = None
        self._req_id = 0

    def __enter__(self) -> 'RawConnection':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def connect(self) -> HandshakeResult:
        """Open the socket and handshake; the result says whether the server accepted it."""
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        try:
            if self.ssl_context is not None:
                sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
            self.sock = sock
            self._send(_handshake_body(self.username, self.password))
            return _parse_handshake_reply(self._recv())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the socket (idempotent)."""
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def request(self, op_code: int, payload: bytes = b'') -> bytes:
        """Send one request and return the payload of its response.

        :raises ProtocolError: with ``status`` set if the server reports an error.
        """
        self._req_id += 1
        req_id = self._req_id
        self._send(_REQ_HEADER.pack(op_code, req_id) + payload)
        body = self._recv()
        got_id, flags = _RESP_HEADER.unpack_from(body, 0)
        if got_id != req_id:
            raise ProtocolError(f'response id {got_id} does not match request id {req_id}')
        off = _RESP_HEADER.size
        if flags & 0x2:  # affinity topology changed: long major + int minor
            off += 12
        if flags & 0x1:
            (status,) = _INT.unpack_from(body, off)
            message, _ = _read_typed_string(body, off + 4)
            raise ProtocolError(f'op {op_code} failed with status {status}: {message}', status)
        return body[off:]

    def cluster_state(self) -> int:
        """Cluster state: 0 inactive, 1 active, 2 active read-only.

        Without negotiated features the server answers with a bool "active"; both forms are
        one byte and agree on 0 and 1.
        """
        reply = self.request(OP_CLUSTER_GET_STATE)
        if not reply:
            raise ProtocolError('empty OP_CLUSTER_GET_STATE reply')
        return reply[0]

    def set_cluster_state(self, state: int) -> None:
        """Change the cluster state; returns when the server has done it."""
        self.request(OP_CLUSTER_CHANGE_STATE, bytes([state]))

    def _send(self, body: bytes) -> None:
        assert self.sock is not None, 'not connected'
        self.sock.sendall(_INT.pack(len(body)) + body)

    def _recv_exact(self, size: int) -> bytes:
        assert self.sock is not None, 'not connected'
        chunks, left = [], size
        while left:
            chunk = self.sock.recv(left)
            if not chunk:
                raise ConnectionError('connection closed by the server')
            chunks.append(chunk)
            left -= len(chunk)
        return b''.join(chunks)

    def _recv(self) -> bytes:
        (size,) = _INT.unpack(self._recv_exact(4))
        if not 0 < size <= _MAX_FRAME:
            raise ProtocolError(f'bad frame length {size}')
        return self._recv_exact(size)


def handshake(host: str, port: int, username: Optional[str] = None,
              password: Optional[str] = None, ssl_context: Optional[ssl.SSLContext] = None,
              timeout: float = 5.0) -> HandshakeResult:
    """Connect, handshake, disconnect.

    :return: the server's verdict (``ok`` False with ``status`` on a failure reply).
    :raises OSError: when no connection or TLS session can be made.
    """
    with RawConnection(host, port, username, password, ssl_context, timeout) as conn:
        return conn.connect()
