"""Benchmark (not a test): bytecode instructions the blocking client runs per get and put.

Timings on these machines swing by 15-20% between runs of the same code, which hides a
change worth a few percent. The number of bytecode instructions the interpreter executes
for one call does not swing at all, so it shows such a change at once, and where it
lands (by function). It is not time: a C call counts as one instruction whatever it
costs, so read it beside the timed benchmarks, never instead of them.

No node is involved: ``socket.create_connection`` is replaced, while the client connects,
by an in-memory peer that answers the handshake, then every request with a fixed reply
under the request's id (an empty payload, a short string, or the bytes of the complex
object put first). Any checkout's client can be counted the same way, so two commits
compare side by side::

    python3 bench/micro/bench_opcodes.py                      # this checkout
    PYTHONPATH=/path/to/other/tree python3 bench/micro/bench_opcodes.py
    python3 bench/micro/bench_opcodes.py --by-function --only put
"""
import argparse
import collections
import os
import socket
import struct
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from clients import api  # noqa: E402

_LEN = struct.Struct('<i')
_OP_GET_BINARY_TYPE = 3002
_STRING_VALUE = b'\x09' + _LEN.pack(5) + b'value'


class _Peer:
    """A socket stand-in: what the client sends is answered at once, in memory."""

    def __init__(self) -> None:
        self.payload = b''
        self.pending = b''
        self.handshaken = False
        #: the last frame sent, when asked to keep it
        self.keep = False
        self.last = b''

    def sendall(self, data, *flags) -> None:
        if self.keep:
            self.last = bytes(data)
        if not self.handshaken:
            node = uuid.UUID(int=1).bytes
            body = b'\x01\x0c' + _LEN.pack(0) + b'\x0a' + node[7::-1] + node[:7:-1]
            self.pending = _LEN.pack(len(body)) + body
            self.handshaken = True
            return
        op = struct.unpack_from('<h', data, 4)[0]
        # a binary type the client asks for is unknown here (the complex class is the
        # client's own, registered by its first put)
        payload = b'\x00' if op == _OP_GET_BINARY_TYPE else self.payload
        self.pending = _LEN.pack(10 + len(payload)) + bytes(data[6:14]) + b'\x00\x00' + payload

    def send(self, data, *flags) -> int:
        self.sendall(data)
        return len(data)

    def recv(self, size: int) -> bytes:
        data, self.pending = self.pending, b''
        return data

    def recv_into(self, buf, *args) -> int:
        data, self.pending = self.pending, b''
        buf[:len(data)] = data
        return len(data)

    def setsockopt(self, *args) -> None:
        pass

    def settimeout(self, timeout) -> None:
        pass

    def fileno(self) -> int:
        return 1 << 20  # never polled: the client has no request timeout here

    def shutdown(self, how) -> None:
        pass

    def close(self) -> None:
        pass


def _connect():
    from pyignite import Client
    peer = _Peer()
    dial = socket.create_connection
    socket.create_connection = lambda *args, **kwargs: peer
    try:
        client = Client(partition_aware=False)
        client.connect('127.0.0.1', 10800)
    finally:
        socket.create_connection = dial
    return client, peer


def _workloads(client, peer):
    """name -> (payload of the reply, the call)."""
    cache = client.get_cache('bench_opcodes')
    cls = api.complex_class('BenchOpcodesComplex')
    obj = api.complex_object(cls, 11)
    peer.keep = True
    cache.put(1, obj)  # registers the class; the frame holds the object's bytes
    peer.keep = False
    # length, op code, request id, cache id, flags, the key (a long): then the object
    complex_bytes = peer.last[4 + 2 + 8 + 4 + 1 + 9:]
    return {
        'get': (_STRING_VALUE, lambda: cache.get(1)),
        'put': (b'', lambda: cache.put(1, 'value')),
        'complex_get': (complex_bytes, lambda: cache.get(1)),
        'complex_put': (b'', lambda: cache.put(1, obj)),
    }


def count(call):
    """Bytecode instructions run by ``call()``, by (file, function)."""
    counts: collections.Counter = collections.Counter()

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == 'opcode':
            code = frame.f_code
            counts[(os.path.basename(code.co_filename), code.co_name)] += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--only', help='comma-separated workloads: get, put, complex_get, '
                        'complex_put')
    parser.add_argument('--by-function', action='store_true',
                        help='also list the instructions of each function')
    args = parser.parse_args()
    import pyignite
    client, peer = _connect()
    print('client: {}'.format(os.path.dirname(pyignite.__file__)))
    wanted = args.only.split(',') if args.only else None
    for name, (payload, call) in _workloads(client, peer).items():
        if wanted and name not in wanted:
            continue
        peer.payload = payload
        call()
        call()  # warm: types known, caches filled
        counts = count(call)
        here = os.path.basename(__file__)
        # the stand-in peer and this script's own lambda are not the client's work
        ours = {k: v for k, v in counts.items() if k[0] != here}
        print('{:12s} {:6d} instructions'.format(name, sum(ours.values())))
        if args.by_function:
            for (filename, function), n in sorted(ours.items(), key=lambda kv: -kv[1]):
                print('    {:6d}  {}:{}'.format(n, filename, function))
    client.close()


if __name__ == '__main__':
    main()
