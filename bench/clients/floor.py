"""The floor: what any Python client could reach on the same node.

For the end-to-end workloads: a minimal loop over a raw socket that sends request frames
encoded before the clock starts and reads the replies without decoding them (ping-pong for
sync work; all requests of an async batch pipelined on one connection). For the codec
micro-benchmarks: a minimal plain-Python codec specialised for nothing but the wire format
(type code dispatch, ``struct``, no classes), i.e. the least work a pure-Python decoder does.
"""
import asyncio
import itertools
import struct
from typing import List

import golden
import spec
import wire
from clients._common import NotAvailable, WrongResult, expect, registry, workload

NAME = 'floor'
VERSION = '-'
WORKLOADS = registry()

_RECV = 1 << 20
_I32 = struct.Struct('<i')
_I64 = struct.Struct('<q')
_F64 = struct.Struct('<d')
_unpack_i = _I32.unpack_from
_wires: List[wire.Wire] = []


def close() -> None:
    for conn in _wires:
        conn.close()
    _wires.clear()


def _connect(host: str, port: int):
    conn = wire.Wire(host, port)
    _wires.append(conn)
    # the first reply after a handshake carries the topology flag: take it now
    conn.cache_size(spec.KV_CACHE)
    return conn.sock


def _sock(env):
    return _connect(env['host'], env['port'])


def _roundtrip(sock):
    """``call(frame) -> reply`` for one request in flight (ping-pong).

    Replies are read into one reused buffer (``recv_into``: no allocation per read); the
    reply is a memoryview of it, valid until the next call.
    """
    sendall, recv_into = sock.sendall, sock.recv_into
    buf = bytearray(_RECV)
    view = memoryview(buf)

    def call(frame):
        nonlocal buf, view
        sendall(frame)
        n = recv_into(view)
        while n < 4:
            n += _more(recv_into, view, n)
        size = _unpack_i(buf, 0)[0] + 4
        if size > len(buf):
            view.release()
            buf = buf + bytearray(size)
            view = memoryview(buf)
        while n < size:
            n += _more(recv_into, view[n:size], 0)
        return view[:size]
    return call


def _more(recv_into, view, offset: int) -> int:
    got = recv_into(view[offset:])
    if not got:
        raise ConnectionError('connection closed by the server')
    return got


def _checked(reply: bytes) -> bytes:
    """The reply, after making sure it is not an error (raises ProtocolError)."""
    wire.payload_pos(reply[4:])
    return reply


# --- end to end, one node ---------------------------------------------------------------------

def _frames(op: int, payloads):
    return [wire.frame(op, p) for p in payloads]


@workload(WORKLOADS, 'put')
def put(units, env):
    call = _roundtrip(_sock(env))
    prefix = wire.cache_prefix(spec.KV_CACHE)
    frames = _frames(wire.OP_CACHE_PUT, [prefix + wire.v_long(i) + wire.v_str(spec.small_value(i))
                                         for i in range(spec.KV_KEYS)])
    _checked(call(frames[0]))
    it = itertools.cycle(frames)
    return lambda: call(next(it))


@workload(WORKLOADS, 'get')
def get(units, env):
    call = _roundtrip(_sock(env))
    prefix = wire.cache_prefix(spec.KV_CACHE)
    frames = _frames(wire.OP_CACHE_GET, [prefix + wire.v_long(i) for i in range(spec.KV_KEYS)])
    body = _checked(call(frames[17]))[4:]
    expect('raw get(17)', body[wire.payload_pos(body):], wire.v_str(spec.small_value(17)))
    it = itertools.cycle(frames)
    return lambda: call(next(it))


@workload(WORKLOADS, 'get_all')
def get_all(units, env):
    call = _roundtrip(_sock(env))
    payload = wire.cache_prefix(spec.KV_CACHE) + wire.I32.pack(units) + b''.join(
        wire.v_long(i) for i in range(units))
    frame = wire.frame(wire.OP_CACHE_GET_ALL, payload)
    body = _checked(call(frame))[4:]
    expect('raw get_all count', _unpack_i(body, wire.payload_pos(body))[0], units)
    return lambda: call(frame)


@workload(WORKLOADS, 'put_all')
def put_all(units, env):
    call = _roundtrip(_sock(env))
    payload = wire.cache_prefix(spec.KV_CACHE) + wire.I32.pack(units) + b''.join(
        wire.v_long(spec.PUT_ALL_BASE + i) + wire.v_str(spec.small_value(i))
        for i in range(units))
    frame = wire.frame(wire.OP_CACHE_PUT_ALL, payload)
    _checked(call(frame))
    return lambda: call(frame)


def _pipeline(sock, count: int):
    """``call(batch) -> None`` for ``count`` requests sent at once.

    The server answers from a thread pool, so replies come in any order: count them.
    ``call.seen``, when set to a list, collects the request id of every reply.
    """
    sendall, recv_into = sock.sendall, sock.recv_into
    buf = bytearray(_RECV)
    view = memoryview(buf)
    size = len(buf)

    def call(batch):
        sendall(batch)
        filled = pos = 0
        left = count
        seen = call.seen
        while left:
            if size - filled < 65536:  # move the partial frame to the front
                buf[:filled - pos] = buf[pos:filled]
                filled -= pos
                pos = 0
            filled += _more(recv_into, view, filled)
            # walk the complete frames in what has arrived
            while left and filled - pos >= 4:
                end = pos + 4 + _unpack_i(buf, pos)[0]
                if end > filled:
                    break
                if seen is not None:
                    seen.append(_I64.unpack_from(buf, pos + 4)[0])
                left -= 1
                pos = end
    call.seen = None
    return call


@workload(WORKLOADS, 'async_gather')
def async_gather(units, env):
    sock = _sock(env)
    prefix = wire.cache_prefix(spec.KV_CACHE)
    batch = b''.join(wire.frame(wire.OP_CACHE_GET, prefix + wire.v_long(i), request_id=i + 1)
                     for i in range(units))
    call = _pipeline(sock, units)
    call.seen = []
    call(batch)
    expect('ids of the pipelined replies', sorted(call.seen), list(range(1, units + 1)))
    call.seen = None
    return lambda: call(batch)


def _cursor_loop(sock, first_frame: bytes, page_op: int):
    """Open a cursor and fetch every page; the last byte of a page says whether more follow."""
    call = _roundtrip(sock)

    def run():
        reply = call(first_frame)
        body = reply[4:]
        pos = wire.payload_pos(body)
        cursor = _I64.unpack_from(body, pos)[0]
        pages = 1
        if reply[-1]:
            page = wire.frame(page_op, _I64.pack(cursor))
            while True:
                reply = call(page)
                pages += 1
                if (reply[12] & 1) or not reply[-1]:  # error flag, or the last page
                    break
            _checked(reply)
        return pages
    return run


@workload(WORKLOADS, 'scan')
def scan(units, env):
    first = wire.frame(wire.OP_QUERY_SCAN, wire.scan_payload(spec.SCAN_CACHE, spec.PAGE_SIZE))
    run = _cursor_loop(_sock(env), first, wire.OP_QUERY_SCAN_CURSOR_GET_PAGE)
    pages = run()
    if pages < -(-units // spec.PAGE_SIZE):
        raise WrongResult(f'scan returned {pages} pages for {units} entries')
    run.warmed = True
    return run


@workload(WORKLOADS, 'sql')
def sql(units, env):
    first = wire.frame(wire.OP_QUERY_SQL_FIELDS, wire.sql_payload(spec.SQL_QUERY,
                                                                  spec.PAGE_SIZE))
    run = _cursor_loop(_sock(env), first, wire.OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE)
    pages = run()
    if pages < -(-units // spec.PAGE_SIZE):
        raise WrongResult(f'SQL returned {pages} pages for {units} rows')
    run.warmed = True
    return run


def _complex_frames(op: int):
    prefix = wire.cache_prefix(spec.COMPLEX_CACHE[NAME])
    if op == wire.OP_CACHE_GET:
        return _frames(op, [prefix + wire.v_long(i) for i in range(spec.COMPLEX_KEYS)])
    encoders = {'long': wire.v_long, 'string': wire.v_str, 'double': wire.v_double,
                'int': wire.v_int, 'bool': wire.v_bool}
    payloads = []
    for i in range(spec.COMPLEX_KEYS):
        values = spec.complex_values(i)
        obj = wire.complex_object(spec.COMPLEX_TYPE[NAME], [
            (name, encoders[kind](values[name])) for name, kind in spec.COMPLEX_FIELDS.items()])
        payloads.append(prefix + wire.v_long(i) + obj)
    return _frames(op, payloads)


def _complex_setup(env):
    sock = _sock(env)
    _wires[-1].get_or_create_cache(spec.COMPLEX_CACHE[NAME])
    call = _roundtrip(sock)
    for frame in _complex_frames(wire.OP_CACHE_PUT):
        _checked(call(frame))
    return call


@workload(WORKLOADS, 'complex_put')
def complex_put(units, env):
    call = _complex_setup(env)
    it = itertools.cycle(_complex_frames(wire.OP_CACHE_PUT))
    return lambda: call(next(it))


@workload(WORKLOADS, 'complex_get')
def complex_get(units, env):
    call = _complex_setup(env)
    frames = _complex_frames(wire.OP_CACHE_GET)
    body = _checked(call(frames[11]))[4:]
    if body[wire.payload_pos(body)] not in (0x67, 0x1B):
        raise WrongResult('complex get did not return an object')
    it = itertools.cycle(frames)
    return lambda: call(next(it))


# --- end to end, three nodes ------------------------------------------------------------------

class AioFloor(asyncio.Protocol):
    """The asyncio floor's protocol: cuts frames and resolves the future waiting in
    ``waiting`` under each reply's request id."""

    def __init__(self):
        self.buf = bytearray()
        self.waiting = {}
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        buf = self.buf
        buf += data
        pos, size = 0, len(buf)
        while size - pos >= 4:
            end = pos + 4 + _unpack_i(buf, pos)[0]
            if end > size:
                break
            self.waiting.pop(_I64.unpack_from(buf, pos + 4)[0]).set_result(
                bytes(buf[pos:end]))
            pos = end
        del buf[:pos]


def aio_floor(sock, count: int):
    """The asyncio floor over ``sock`` (past the handshake): ``(loop, protocol, get,
    frames)``, where ``get(rid, frame)`` is the coroutine that writes a pre-encoded frame and
    waits for its reply, and ``frames`` the get requests of keys 0.. ``count - 1`` (request
    ids 1..)."""
    sock.setblocking(False)
    loop = asyncio.new_event_loop()
    prefix = wire.cache_prefix(spec.KV_CACHE)
    frames = [wire.frame(wire.OP_CACHE_GET, prefix + wire.v_long(i), request_id=i + 1)
              for i in range(count)]
    _, proto = loop.run_until_complete(loop.create_connection(AioFloor, sock=sock))

    async def get(rid, frame):
        fut = loop.create_future()
        proto.waiting[rid] = fut
        proto.transport.write(frame)
        return await fut
    return loop, proto, get, frames


@workload(WORKLOADS, 'async_gather_aio')
def async_gather_aio(units, env):
    """The asyncio floor: the gather of ``async_gather`` written with nothing but asyncio:
    a protocol that cuts frames and resolves one future per request, each request
    pre-encoded and written by its own coroutine. What asyncio itself costs per request."""
    loop, proto, get, frames = aio_floor(_sock(env), units)

    async def gather():
        return await asyncio.gather(*[get(i + 1, f) for i, f in enumerate(frames)])

    def step():
        return loop.run_until_complete(gather())
    replies = step()
    expect('replies', len(replies), units)
    expect('ids of the replies', [_I64.unpack_from(r, 4)[0] for r in replies],
           list(range(1, units + 1)))
    step.cleanup = lambda: (proto.transport.close(), loop.close())
    return step


def _owners(env, cache_name: str, keys):
    """For each key, a ping-pong caller on the node that holds it (found by local peek)."""
    conns = [wire.Wire(host, port) for host, port in env['nodes']]
    _wires.extend(conns)
    calls = [_roundtrip(conn.sock) for conn in conns]
    owners = []
    for key in keys:
        holders = [i for i, conn in enumerate(conns)
                   if conn.local_peek_found(cache_name, wire.v_long(key))]
        if len(holders) != 1:
            raise WrongResult(f'key {key} is held by nodes {holders}; expected exactly one')
        owners.append(calls[holders[0]])
    spread = {i: sum(1 for c in owners if c is call) for i, call in enumerate(calls)}
    return owners, spread


@workload(WORKLOADS, 'pa_put')
def pa_put(units, env):
    prefix = wire.cache_prefix(spec.PA_CACHE)
    owners, spread = _owners(env, spec.PA_CACHE, range(spec.PA_KEYS))
    work = itertools.cycle([
        (owners[i], wire.frame(wire.OP_CACHE_PUT, prefix + wire.v_long(i)
                               + wire.v_str(spec.small_value(i))))
        for i in range(spec.PA_KEYS)])

    def step():
        call, frame = next(work)
        call(frame)
    step.info = {'keys_per_node': spread}
    return step


@workload(WORKLOADS, 'pa_get')
def pa_get(units, env):
    prefix = wire.cache_prefix(spec.PA_CACHE)
    owners, spread = _owners(env, spec.PA_CACHE, range(spec.PA_KEYS))
    work = itertools.cycle([
        (owners[i], wire.frame(wire.OP_CACHE_GET, prefix + wire.v_long(i)))
        for i in range(spec.PA_KEYS)])

    def step():
        call, frame = next(work)
        call(frame)
    step.info = {'keys_per_node': spread}
    return step


# --- minimal codecs (no server) ---------------------------------------------------------------

_MIN_ENC = {
    int: lambda v: b'\x04' + _I64.pack(v),
    str: lambda v: (lambda raw: b'\x09' + _I32.pack(len(raw)) + raw)(v.encode()),
}


def _r_long(data, pos):
    return _I64.unpack_from(data, pos)[0], pos + 8


def _r_int(data, pos):
    return _unpack_i(data, pos)[0], pos + 4


def _r_double(data, pos):
    return _F64.unpack_from(data, pos)[0], pos + 8


def _r_str(data, pos):
    end = pos + 4 + _unpack_i(data, pos)[0]
    return str(data[pos + 4:end], 'utf-8'), end


_MIN_DEC = [None] * 256
_MIN_DEC[3], _MIN_DEC[4], _MIN_DEC[6], _MIN_DEC[9] = _r_int, _r_long, _r_double, _r_str
_REQ = struct.Struct('<ihq')


def _header_end(body) -> int:
    flags = body[8]
    if flags & 1:
        raise WrongResult('error reply')
    return 22 if flags & 2 else 10


@workload(WORKLOADS, 'codec_encode_put')
def codec_encode_put(units, env):
    prefix = wire.cache_prefix(spec.KV_CACHE)
    enc = _MIN_ENC
    key, value = 12345, spec.small_value(12345)

    def step():
        payload = prefix + enc[key.__class__](key) + enc[value.__class__](value)
        return _REQ.pack(10 + len(payload), wire.OP_CACHE_PUT, 1) + payload
    expect('put frame', step(), wire.frame(wire.OP_CACHE_PUT, prefix + wire.v_long(key)
                                           + wire.v_str(value)))
    return step


@workload(WORKLOADS, 'codec_decode_get')
def codec_decode_get(units, env):
    body = golden.reply_body(golden.get_reply())
    dec = _MIN_DEC

    def step():
        pos = _header_end(body)
        return dec[body[pos]](body, pos + 1)[0]
    expect('decoded get', step(), spec.small_value(7))
    return step


def _page(body, columns: int, pairs: bool = False):
    """Decode a page into row lists (or ``(key, value)`` tuples with ``pairs``): the common
    types inline, others through the table."""
    dec = _MIN_DEC
    unpack_i, unpack_q, unpack_d = _unpack_i, _I64.unpack_from, _F64.unpack_from

    def step():
        pos = _header_end(body)
        n = unpack_i(body, pos)[0] * columns
        pos += 4
        values = [None] * n
        for i in range(n):
            code = body[pos]
            if code == 9:
                end = pos + 5 + unpack_i(body, pos + 1)[0]
                values[i] = str(body[pos + 5:end], 'utf-8')
                pos = end
            elif code == 4:
                values[i] = unpack_q(body, pos + 1)[0]
                pos += 9
            elif code == 3:
                values[i] = unpack_i(body, pos + 1)[0]
                pos += 5
            elif code == 6:
                values[i] = unpack_d(body, pos + 1)[0]
                pos += 9
            else:
                values[i], pos = dec[code](body, pos + 1)
        if pairs:
            return list(zip(values[0::2], values[1::2]))
        return [values[i:i + columns] for i in range(0, n, columns)]
    return step


@workload(WORKLOADS, 'codec_sql_page')
def codec_sql_page(units, env):
    step = _page(golden.reply_body(golden.sql_page(units)), 5)
    expect('decoded SQL page', step(), [spec.sql_row(i) for i in range(units)])
    return step


@workload(WORKLOADS, 'codec_scan_page')
def codec_scan_page(units, env):
    step = _page(golden.reply_body(golden.scan_page(units)), 2, pairs=True)
    expect('decoded scan page', step(), [(i, spec.small_value(i)) for i in range(units)])
    return step


@workload(WORKLOADS, 'codec_complex_encode')
def codec_complex_encode(units, env):
    raise NotAvailable('no minimal complex-object codec')


@workload(WORKLOADS, 'codec_complex_decode')
def codec_complex_decode(units, env):
    raise NotAvailable('no minimal complex-object codec')
