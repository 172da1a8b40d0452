"""Just enough of the Ignite thin-client protocol, in plain Python, for the benchmarks.

The runner loads the data sets with it, the floor loops send its pre-encoded frames, and the
codec micro-benchmarks decode the reply frames it builds. It depends on the standard library
only (plus the project's launcher for the handshake), so it works in every interpreter the
benchmark starts and whatever state either client is in.
"""
import socket
import struct
import sys
from pathlib import Path

_TOOLS = Path(__file__).resolve().parent.parent / 'tools'
if str(_TOOLS) not in sys.path:
    sys.path.insert(0, str(_TOOLS))

from ignite_server import ProtocolError, RawConnection  # noqa: E402

__all__ = [
    'ProtocolError', 'Wire', 'cache_id', 'type_id', 'schema_id', 'frame', 'reply_frame',
    'v_long', 'v_int', 'v_double', 'v_bool', 'v_str', 'v_null', 'cache_prefix',
    'scan_payload', 'sql_payload', 'complex_object', 'read_frame', 'payload_pos',
]

I32 = struct.Struct('<i')
I64 = struct.Struct('<q')
F64 = struct.Struct('<d')
_REQ = struct.Struct('<ihq')
_REPLY = struct.Struct('<iqh')

OP_RESOURCE_CLOSE = 0
OP_CACHE_GET = 1000
OP_CACHE_PUT = 1001
OP_CACHE_GET_ALL = 1003
OP_CACHE_PUT_ALL = 1004
OP_CACHE_GET_SIZE = 1020
OP_CACHE_LOCAL_PEEK = 1021
OP_CACHE_GET_OR_CREATE_WITH_NAME = 1052
OP_CACHE_DESTROY = 1056
OP_QUERY_SCAN = 2000
OP_QUERY_SCAN_CURSOR_GET_PAGE = 2001
OP_QUERY_SQL_FIELDS = 2004
OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE = 2005


def _i32(h: int) -> int:
    h &= 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def cache_id(name: str) -> int:
    """Java ``String.hashCode()`` of an ASCII cache name."""
    h = 0
    for ch in name:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return _i32(h)


def type_id(name: str) -> int:
    """Type or field id: the hash of the lower-cased (ASCII) name."""
    return cache_id(name.lower())


def schema_id(field_ids) -> int:
    """FNV-1 over the field ids, least significant byte first."""
    h = 0x811C9DC5
    for fid in field_ids:
        for shift in (0, 8, 16, 24):
            h ^= (fid >> shift) & 0xFF
            h = (h * 0x01000193) & 0xFFFFFFFF
    return _i32(h)


def _bytes_hash(data: bytes) -> int:
    h = 1
    for b in data:
        h = (31 * h + (b - 256 if b > 127 else b)) & 0xFFFFFFFF
    return _i32(h)


# --- values (full values: type code first) ---------------------------------------------------

def v_long(v: int) -> bytes:
    return b'\x04' + I64.pack(v)


def v_int(v: int) -> bytes:
    return b'\x03' + I32.pack(v)


def v_double(v: float) -> bytes:
    return b'\x06' + F64.pack(v)


def v_bool(v: bool) -> bytes:
    return b'\x08\x01' if v else b'\x08\x00'


def v_str(s: str) -> bytes:
    raw = s.encode('utf-8')
    return b'\x09' + I32.pack(len(raw)) + raw


def v_null() -> bytes:
    return b'\x65'


def complex_object(type_name: str, fields) -> bytes:
    """A complex object with a full (non-compact) footer, readable without metadata.

    :param fields: ``(name, encoded full value)`` pairs in schema order.
    """
    body = bytearray()
    footer = bytearray()
    ids = []
    for name, value in fields:
        fid = type_id(name)
        ids.append(fid)
        footer += I32.pack(fid) + I32.pack(24 + len(body))
        body += value
    flags = 0x0001 | 0x0002  # user type, has schema; 4-byte offsets
    length = 24 + len(body) + len(footer)
    header = struct.pack('<BBhiiiii', 0x67, 1, flags, type_id(type_name), _bytes_hash(body),
                         length, schema_id(ids), 24 + len(body))
    return header + bytes(body) + bytes(footer)


# --- requests --------------------------------------------------------------------------------

def frame(op_code: int, payload: bytes = b'', request_id: int = 1) -> bytes:
    """A whole request frame, length prefix included."""
    return _REQ.pack(10 + len(payload), op_code, request_id) + payload


def cache_prefix(cache_name: str) -> bytes:
    return I32.pack(cache_id(cache_name)) + b'\x00'


def scan_payload(cache_name: str, page_size: int) -> bytes:
    # no filter, all partitions, not local
    return cache_prefix(cache_name) + v_null() + I32.pack(page_size) + I32.pack(-1) + b'\x00'


def sql_payload(sql: str, page_size: int = 1024, schema: str = 'PUBLIC', args=()) -> bytes:
    """OP_QUERY_SQL_FIELDS as sent by a client with no feature bits.

    :param args: the arguments, each already encoded as a full value.
    """
    return (I32.pack(0) + b'\x00' + v_str(schema) + I32.pack(page_size) + I32.pack(-1)
            + v_str(sql) + I32.pack(len(args)) + b''.join(args)
            + b'\x00'             # statement type ANY
            + b'\x00' * 6         # distributed joins, local, replicated only, enforce join
                                  # order, collocated, lazy
            + I64.pack(0)         # timeout
            + b'\x00')            # include field names


def reply_frame(payload: bytes, request_id: int = 1) -> bytes:
    """A successful reply frame (protocol >= 1.4: flags 0), length prefix included."""
    return _REPLY.pack(10 + len(payload), request_id, 0) + payload


# --- replies ---------------------------------------------------------------------------------

def read_frame(sock: socket.socket) -> bytes:
    """One reply body (after the length prefix)."""
    head = _recv_exact(sock, 4)
    return _recv_exact(sock, I32.unpack(head)[0])


def _recv_exact(sock, n: int) -> bytes:
    parts = []
    while n:
        chunk = sock.recv(n)
        if not chunk:
            raise ConnectionError('connection closed by the server')
        parts.append(chunk)
        n -= len(chunk)
    return b''.join(parts)


def payload_pos(body: bytes) -> int:
    """Where the payload of a reply body starts; raise on an error reply."""
    flags = struct.unpack_from('<h', body, 8)[0]
    pos = 10 + (12 if flags & 0x2 else 0)
    if flags & 0x1:
        status = I32.unpack_from(body, pos)[0]
        n = I32.unpack_from(body, pos + 5)[0]
        message = bytes(body[pos + 9:pos + 9 + n]).decode('utf-8', 'replace')
        raise ProtocolError(f'status {status}: {message}', status)
    return pos


class Wire(RawConnection):
    """A raw connection (protocol 1.7.0, no features) with the requests the runner needs."""

    def __init__(self, host: str, port: int, timeout: float = 120.0):
        super().__init__(host, port, timeout=timeout)
        result = self.connect()
        if not result.ok:
            raise ProtocolError(f'handshake refused: {result.message}', result.status)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get_or_create_cache(self, name: str) -> None:
        self.request(OP_CACHE_GET_OR_CREATE_WITH_NAME, v_str(name))

    def destroy_cache(self, name: str) -> None:
        try:
            self.request(OP_CACHE_DESTROY, I32.pack(cache_id(name)))
        except ProtocolError as exc:
            if exc.status != 1000:  # cache does not exist
                raise

    def cache_size(self, name: str) -> int:
        return I64.unpack(self.request(OP_CACHE_GET_SIZE, cache_prefix(name) + I32.pack(0)))[0]

    def put(self, cache_name: str, key: bytes, value: bytes) -> None:
        self.request(OP_CACHE_PUT, cache_prefix(cache_name) + key + value)

    def put_all(self, cache_name: str, pairs) -> None:
        """:param pairs: a list of (encoded key, encoded value)."""
        body = b''.join(k + v for k, v in pairs)
        self.request(OP_CACHE_PUT_ALL, cache_prefix(cache_name) + I32.pack(len(pairs)) + body)

    def local_peek_found(self, cache_name: str, key: bytes) -> bool:
        """Whether this node holds ``key`` (primary or backup): a non-null local peek."""
        return self.request(OP_CACHE_LOCAL_PEEK, cache_prefix(cache_name) + key)[0] != 0x65

    def sql(self, sql: str, args=()) -> None:
        """Run a statement (DDL or DML) and drop its result.

        :param args: encoded arguments (full values).
        """
        reply = self.request(OP_QUERY_SQL_FIELDS, sql_payload(sql, args=args))
        cursor = I64.unpack_from(reply, 0)[0]
        if reply[-1]:  # more pages: the server keeps the cursor until closed
            self.request(OP_RESOURCE_CLOSE, I64.pack(cursor))
