"""Benchmark (not a test): the client's own cost of one get or put, no Ignite node involved.

A canned peer (a process of its own) answers the handshake, then every request at once with
a fixed reply under the request's id. The time measured is the client process's CPU time per
request: its Python work plus the send and receive system calls. The floor does the same
with a pre-encoded frame and a minimal ping-pong loop (as ``bench/clients/floor.py``), against
the same peer; the async rows' floor is the asyncio floor (one future per request, as
``async_gather_aio`` there). Unlike the end-to-end rows of ``make bench`` this barely
depends on the node or on other load on the machine; it prints the median of the rounds
and what ours adds. The wall times are shown too, but they swing with the machine's load.

``python3 bench/micro/bench_request_cpu.py [-n 1000] [--rounds 7] [--profile get]
[--timeout 5]`` (``--timeout``: the clients' request timeout, which changes the system
calls a request makes)
"""
import argparse
import asyncio
import cProfile
import multiprocessing
import os
import pstats
import socket
import statistics
import struct
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import spec  # noqa: E402
import wire  # noqa: E402
from clients import api  # noqa: E402
from clients.floor import _roundtrip, aio_floor  # noqa: E402

from pyignite import AioClient, Client  # noqa: E402

_LEN = struct.Struct('<i')
_REPLY = struct.Struct('<iqh')  # length, request id, flags


def _handshake_reply() -> bytes:
    node = uuid.uuid4().bytes
    body = b'\x01\x0c' + _LEN.pack(0) + b'\x0a' + node[7::-1] + node[:7:-1]
    return _LEN.pack(len(body)) + body


def _serve(listener: socket.socket, payload: bytes) -> None:
    """The canned peer: answer the handshake, then every request with ``payload`` under the
    request's id, as fast as it can."""
    sock, _ = listener.accept()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pending = b''
    handshaken = False
    head = _LEN.pack(10 + len(payload))
    tail = b'\x00\x00' + payload
    while True:
        data = sock.recv(1 << 20)
        if not data:
            return
        pending += data
        out = []
        pos = 0
        while len(pending) - pos >= 4:
            size = _LEN.unpack_from(pending, pos)[0]
            if len(pending) - pos - 4 < size:
                break
            if handshaken:
                out.append(head + pending[pos + 6:pos + 14] + tail)
            else:
                out.append(_handshake_reply())
                handshaken = True
            pos += 4 + size
        pending = pending[pos:]
        if out:
            sock.sendall(b''.join(out))


class CannedPeer:
    """A peer process that answers one connection's requests with the same payload."""

    def __init__(self, payload: bytes):
        listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = listener.getsockname()[:2]
        self.process = multiprocessing.get_context('fork').Process(
            target=_serve, args=(listener, payload), daemon=True)
        self.process.start()
        listener.close()

    def close(self) -> None:
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()


def _dial(peer: CannedPeer) -> socket.socket:
    """A raw socket to the peer, past the handshake."""
    sock = socket.create_connection((peer.host, peer.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(_LEN.pack(1) + b'\x01')
    sock.recv(1 << 16)
    return sock


def _floor(n: int, rounds: int, payload: bytes):
    """The floor's ping-pong (``bench/clients/floor.py``) against the same peer."""
    peer = CannedPeer(payload)
    sock = _dial(peer)
    call = _roundtrip(sock)
    frame = wire.frame(wire.OP_CACHE_GET, wire.cache_prefix(spec.KV_CACHE) + wire.v_long(7))

    def run(n):
        for _ in range(n):
            call(frame)
    result = _rounds(run, n, rounds, False)
    sock.close()
    peer.close()
    return result


def _aio_floor(n: int, rounds: int, payload: bytes, gather: bool):
    """The asyncio floor (``async_gather_aio`` of ``bench/clients/floor.py``, its protocol):
    one future per request, each request pre-encoded and written by its own coroutine;
    awaited one by one, or gathered."""
    peer = CannedPeer(payload)
    loop, proto, get, frames = aio_floor(_dial(peer), n)

    async def one_by_one(n):
        for i in range(n):
            await get(i + 1, frames[i])

    async def gathered(n):
        await asyncio.gather(*[get(i + 1, frames[i]) for i in range(n)])

    run = gathered if gather else one_by_one
    result = _rounds(lambda n: loop.run_until_complete(run(n)), n, rounds, False)
    proto.transport.close()
    loop.close()
    peer.close()
    return result


def _rounds(run, n: int, rounds: int, profile: bool):
    """Median (CPU, wall) per request of ``rounds`` calls of ``run(n)``; with ``profile``,
    print where the time went."""
    cpus, walls = [], []
    profiler = cProfile.Profile() if profile else None
    for _ in range(rounds):
        if profiler:
            profiler.enable()
        cpu = time.process_time()
        wall = time.perf_counter()
        run(n)
        cpus.append((time.process_time() - cpu) / n * 1e6)
        walls.append((time.perf_counter() - wall) / n * 1e6)
        if profiler:
            profiler.disable()
    if profiler:
        pstats.Stats(profiler).sort_stats('tottime').print_stats(30)
    return statistics.median(cpus), statistics.median(walls)


#: the clients' request ``timeout`` (seconds, None: none), set by ``--timeout``
TIMEOUT = None


def _sync(n: int, rounds: int, payload: bytes, call, profile: bool):
    peer = CannedPeer(payload)
    client = Client(partition_aware=False, compact_footer=True, timeout=TIMEOUT)
    client.connect(peer.host, peer.port)
    call(client, 10)  # warm up
    result = _rounds(lambda n: call(client, n), n, rounds, profile)
    client.close()
    peer.close()
    return result


def _aio(n: int, rounds: int, payload: bytes, call, profile: bool):
    peer = CannedPeer(payload)
    client = AioClient(partition_aware=False, compact_footer=True, timeout=TIMEOUT)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(client.connect(peer.host, peer.port))
    loop.run_until_complete(call(client, 10))  # warm up
    result = _rounds(lambda n: loop.run_until_complete(call(client, n)), n, rounds, profile)
    loop.run_until_complete(client.close())
    loop.close()
    peer.close()
    return result


def _gets(client, n):
    get = client.get_cache(spec.KV_CACHE).get
    for i in range(n):
        get(i)


def _puts(client, n):
    put = client.get_cache(spec.KV_CACHE).put
    value = spec.small_value(1)
    for i in range(n):
        put(i, value)


_CLS = api.complex_class(spec.COMPLEX_TYPE['ours'])


def _complex_payload() -> bytes:
    from pyignite._codec.encoder import write
    ctx = Client(compact_footer=True)._session.binary
    ctx.class_registered(_CLS)
    buf = bytearray()
    write(buf, api.complex_object(_CLS, 42), None, ctx)
    return bytes(buf)


def _complex_gets(client, n):
    registry = client._session.binary
    if _CLS not in registry.known_classes:  # as after the first put of the type
        registry.class_registered(_CLS)
    get = client.get_cache(spec.KV_CACHE).get
    for i in range(n):
        get(i)


async def _aio_gets(client, n):
    get = (await client.get_cache(spec.KV_CACHE)).get
    for i in range(n):
        await get(i)


async def _aio_puts(client, n):
    put = (await client.get_cache(spec.KV_CACHE)).put
    value = spec.small_value(1)
    for i in range(n):
        await put(i, value)


async def _aio_gather(client, n):
    get = (await client.get_cache(spec.KV_CACHE)).get
    await asyncio.gather(*[get(i) for i in range(n)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-n', type=int, default=1000)
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--profile', default=None, help='one workload to profile')
    parser.add_argument('--timeout', type=float, default=None,
                        help="the clients' request timeout, seconds (default: none)")
    args = parser.parse_args()
    global TIMEOUT
    TIMEOUT = args.timeout
    value = wire.v_str(spec.small_value(1))
    rows = [
        ('get', _sync, _gets, value),
        ('put', _sync, _puts, b''),
        ('complex_get', _sync, _complex_gets, _complex_payload()),
        ('aio_get', _aio, _aio_gets, value),
        ('aio_put', _aio, _aio_puts, b''),
        ('aio_gather', _aio, _aio_gather, value),
    ]
    print('client CPU and wall time per request, µs (median of {} rounds of {})'.format(
        args.rounds, args.n))
    print('{:12s} {:>8s} {:>8s} {:>8s} {:>10s} {:>10s} {:>8s}'.format(
        'workload', 'CPU ours', 'floor', 'added', 'wall ours', 'floor', 'added'))
    for name, run, call, payload in rows:
        if args.profile and name != args.profile:
            continue
        if run is _aio:
            low = _aio_floor(args.n, args.rounds, payload, call is _aio_gather)
        else:
            low = _floor(args.n, args.rounds, payload)
        ours = run(args.n, args.rounds, payload, call, args.profile == name)
        print('{:12s} {:8.2f} {:8.2f} {:8.2f} {:10.2f} {:10.2f} {:8.2f}'.format(
            name, ours[0], low[0], ours[0] - low[0], ours[1], low[1], ours[1] - low[1]))


if __name__ == '__main__':
    main()
