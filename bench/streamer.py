"""Bulk loading into a 3-node cluster: the data streamer against ``put_all`` loops.

Loads the same N entries (int keys, short str values) into a fresh PARTITIONED cache, one
way after the other, in one run against the same nodes, and prints entries/s and ratios:

* ``streamer``: ours, ``Client.data_streamer`` (sync) with its defaults;
* ``streamer async``: ours, ``AioClient.data_streamer``;
* ``put_all``: ours, ``Cache.put_all`` of 1,000-entry dicts in a loop;
* ``ref put_all``: the reference pyignite 0.6.1 (``bench/.venv-ref``, made by
  ``make bench``), the same loop, in its own process;
* ``floor``: raw sockets sending streamer batches encoded before the clock starts (by our
  encoder, routed by our partition maps), with as many in flight per node as ours: the
  least work any client does for this load.

Targets (issue 19): streamer >= 3x our ``put_all`` loop, and within 30% of the floor
(streamer/floor >= 0.7). Speed is reported, never asserted.

Run it from the checkout, with the cluster the launcher starts::

    tools/isolated python3 tools/ignite_server.py run --layout cluster -- \\
        python3 bench/streamer.py [-n 200000] [--rounds 3] [--out bench/results/streamer.md]
        [--ref-python PATH]
"""
import argparse
import asyncio
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'bench'))

import wire  # noqa: E402

from pyignite import AioClient, Client  # noqa: E402
from pyignite._ops.streamer import (  # noqa: E402
    DEFAULT_BUFFER_SIZE, DEFAULT_PARALLEL_OPERATIONS, StreamerState,
)

NODES = [('127.0.0.1', 10801), ('127.0.0.1', 10802), ('127.0.0.1', 10803)]
#: the reference client's interpreter (``make bench`` makes that venv); --ref-python overrides
REF_PYTHON = ROOT / 'bench' / '.venv-ref' / 'bin' / 'python'
BATCH = 1000
#: streamer options of the ``streamer`` ways and the floor (--buffer-size, --parallel)
OPTIONS = {}

REF_SCRIPT = '''
import sys, time
from pyignite import Client
n, name = int(sys.argv[1]), sys.argv[2]
nodes = [('127.0.0.1', p) for p in (10801, 10802, 10803)]
client = Client(partition_aware=True)
with client.connect(nodes):
    cache = client.get_or_create_cache(name)
    t = time.perf_counter()
    for start in range(0, n, {batch}):
        cache.put_all({{i: 'value-%d' % i for i in range(start, min(n, start + {batch}))}})
    print(time.perf_counter() - t)
    assert cache.get_size() == n
'''.format(batch=BATCH)


def value(i):
    return 'value-%d' % i


def fresh(client, name):
    if name in client.get_cache_names():
        client.get_cache(name).destroy()
    return client.create_cache(name)


def run_put_all(client, n, name):
    cache = fresh(client, name)
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        cache.put_all({i: value(i) for i in range(start, min(n, start + BATCH))})
    elapsed = time.perf_counter() - t
    assert cache.get_size() == n
    return elapsed


def run_streamer(client, n, name):
    cache = fresh(client, name)
    t = time.perf_counter()
    with client.data_streamer(cache, **OPTIONS) as streamer:
        for i in range(n):
            streamer.add(i, value(i))
    elapsed = time.perf_counter() - t
    assert cache.get_size() == n
    return elapsed


def run_streamer_async(client, n, name):
    fresh(client, name)

    async def load():
        aio = AioClient()
        async with aio.connect(NODES):
            t = time.perf_counter()
            async with aio.data_streamer(name, **OPTIONS) as streamer:
                for i in range(n):
                    await streamer.add(i, value(i))
            return time.perf_counter() - t
    elapsed = asyncio.run(load())
    assert client.get_cache(name).get_size() == n
    return elapsed


def run_ref_put_all(client, n, name):
    if not Path(REF_PYTHON).exists():
        return None
    fresh(client, name)
    out = subprocess.run([str(REF_PYTHON), '-I', '-c', REF_SCRIPT, str(n), name],
                         check=True, capture_output=True, text=True, cwd='/')
    return float(out.stdout.strip().splitlines()[-1])


def run_floor(client, n, name):
    """Pre-encoded batches, pipelined on raw sockets, replies read but not decoded."""
    cache = fresh(client, name)
    state = StreamerState(client._session, cache,
                          buffer_size=OPTIONS.get('per_node_buffer_size', DEFAULT_BUFFER_SIZE),
                          parallel=OPTIONS.get('per_node_parallel_operations',
                                               DEFAULT_PARALLEL_OPERATIONS))
    client._run(state.open_op())
    batches = []
    for i in range(n):
        batch = state.add(i, value(i))
        if batch is not None:
            batches.append(batch)
    batches += state.take_all()
    by_port = {conn.port: conn for conn in client._session.nodes}
    wires = {port: wire.Wire('127.0.0.1', port) for port in by_port}
    queues = {port: [] for port in wires}
    for rid, batch in enumerate(batches, 1):
        port = batch.conn.port if batch.conn is not None else NODES[0][1]
        queues[port].append(bytes(state.call(batch).req.finish(rid)))
    parallel = state.parallel
    sel = selectors.DefaultSelector()
    for port, w in wires.items():
        w.sock.setblocking(True)
        sel.register(w.sock, selectors.EVENT_READ, port)
    pending = {port: 0 for port in wires}
    left = sum(len(q) for q in queues.values())
    t = time.perf_counter()
    for port, q in queues.items():
        while q and pending[port] < parallel:
            wires[port].sock.sendall(q.pop(0))
            pending[port] += 1
    while left:
        for key, _ in sel.select():
            port = key.data
            wire.read_frame(key.fileobj)
            pending[port] -= 1
            left -= 1
            q = queues[port]
            if q:
                wires[port].sock.sendall(q.pop(0))
                pending[port] += 1
    elapsed = time.perf_counter() - t
    for w in wires.values():
        w.close()
    assert cache.get_size() == n
    return elapsed


WAYS = [
    ('streamer', run_streamer),
    ('streamer async', run_streamer_async),
    ('put_all', run_put_all),
    ('ref put_all', run_ref_put_all),
    ('floor', run_floor),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=200_000, help='entries per load')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=50_000,
                        help='entries each way loads once, untimed, before the rounds (the '
                             "servers' JIT and caches warm up: the first load is much slower)")
    parser.add_argument('--out', help='also write the table here (Markdown)')
    parser.add_argument('--ref-python', help='python of a venv with pyignite 0.6.1 '
                        '(default: bench/.venv-ref)')
    parser.add_argument('--buffer-size', type=int,
                        help='per_node_buffer_size of the streamers and the floor')
    parser.add_argument('--parallel', type=int,
                        help='per_node_parallel_operations of the streamers and the floor')
    args = parser.parse_args()
    if args.buffer_size:
        OPTIONS['per_node_buffer_size'] = args.buffer_size
    if args.parallel:
        OPTIONS['per_node_parallel_operations'] = args.parallel
    if args.ref_python:
        global REF_PYTHON
        REF_PYTHON = Path(args.ref_python)
    client = Client()
    times = {way: [] for way, _ in WAYS}
    with client.connect(NODES):
        if args.warmup:
            for way, func in WAYS:
                func(client, args.warmup, 'bench-load')
        for _ in range(args.rounds):
            for way, func in WAYS:
                elapsed = func(client, args.n, 'bench-load')
                if elapsed is not None:
                    times[way].append(elapsed)
        client.get_cache('bench-load').destroy()
    rate = {way: args.n / statistics.median(ts) for way, ts in times.items() if ts}
    lines = ['| way | entries/s (median of {}) | vs our put_all | vs floor |'.format(args.rounds),
             '|---|---|---|---|']
    for way, _ in WAYS:
        if way not in rate:
            lines.append('| {} | n/a (no bench/.venv-ref) | | |'.format(way))
            continue
        lines.append('| {} | {:,.0f} | {:.2f}x | {:.2f} |'.format(
            way, rate[way], rate[way] / rate['put_all'], rate[way] / rate['floor']))
    lines.append('')
    lines.append('{:,} entries per load, 3 nodes on one machine; targets: streamer >= 3x '
                 'put_all ({:.2f}x), streamer >= 0.7 of the floor ({:.2f}).'.format(
                     args.n, rate['streamer'] / rate['put_all'],
                     rate['streamer'] / rate['floor']))
    table = '\n'.join(lines)
    print(table)
    if args.out:
        Path(args.out).write_text(table + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
