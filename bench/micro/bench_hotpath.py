"""Benchmark (not a test): the client CPU of one get or put, against the raw-socket floor.

Wall time per request on a busy machine mostly measures the node and the scheduler; what the
client adds to it is its own CPU time per request, which this script measures (process CPU,
so other load barely skews it) for the sync and the async client, side by side with the
floor of ``bench/clients/floor.py`` (pre-encoded frames over a raw socket, ping-pong).

Run against a real node, e.g. ``tools/isolated python3 tools/ignite_server.py run --layout
single -- python3 bench/micro/bench_hotpath.py``; ``--profile get`` (or ``put``,
``complex_get``, ``aio_get``, ``aio_put``) prints a cProfile of that workload instead.
"""
import argparse
import asyncio
import cProfile
import itertools
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import spec  # noqa: E402
import wire  # noqa: E402
from clients import api, floor  # noqa: E402

from pyignite import AioClient  # noqa: E402

N = 3_000


def _measure(step, n: int, rounds: int):
    """Median (wall, CPU) per call of ``step`` over ``rounds`` rounds of ``n`` calls."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            step()
        walls.append((time.perf_counter() - wall) / n * 1e6)
        cpus.append((time.process_time() - cpu) / n * 1e6)
    return statistics.median(walls), statistics.median(cpus)


def _floor_steps(host: str, port: int):
    env = {'host': host, 'port': port}
    return {'get': floor.get(1, env), 'put': floor.put(1, env)}


def _sync_steps(host: str, port: int):
    env = {'host': host, 'port': port, 'client': 'ours'}
    return {'get': api.get(1, env), 'put': api.put(1, env),
            'complex_get': api.complex_get(1, env), 'complex_put': api.complex_put(1, env)}


def _aio_steps(host: str, port: int, loop):
    client = AioClient(partition_aware=False)
    loop.run_until_complete(client.connect(host, port))
    cache = loop.run_until_complete(client.get_or_create_cache(spec.KV_CACHE))
    keys = itertools.cycle(range(spec.KV_KEYS))
    pairs = itertools.cycle([(i, spec.small_value(i)) for i in range(spec.KV_KEYS)])

    async def gets(n):
        get = cache.get
        for _ in range(n):
            await get(next(keys))

    async def puts(n):
        put = cache.put
        for _ in range(n):
            k, v = next(pairs)
            await put(k, v)

    async def gather(n):
        get = cache.get
        await asyncio.gather(*[get(i) for i in range(n)])
    return client, {'aio_get': gets, 'aio_put': puts, 'aio_gather': gather}


def _measure_aio(loop, run, n: int, rounds: int):
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        loop.run_until_complete(run(n))
        walls.append((time.perf_counter() - wall) / n * 1e6)
        cpus.append((time.process_time() - cpu) / n * 1e6)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=10800)
    parser.add_argument('-n', type=int, default=N)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--profile', default=None)
    args = parser.parse_args()
    wire.Wire(args.host, args.port).get_or_create_cache(spec.KV_CACHE)
    conn = wire.Wire(args.host, args.port)
    conn.put_all(spec.KV_CACHE, [(wire.v_long(i), wire.v_str(spec.small_value(i)))
                                 for i in range(spec.KV_KEYS)])
    sync = _sync_steps(args.host, args.port)
    loop = asyncio.new_event_loop()
    aio_client, aio = _aio_steps(args.host, args.port, loop)
    if args.profile:
        profiler = cProfile.Profile()
        if args.profile in aio:
            run = aio[args.profile]
            profiler.enable()
            loop.run_until_complete(run(args.n))
        else:
            step = sync[args.profile]
            profiler.enable()
            for _ in range(args.n):
                step()
        profiler.disable()
        pstats.Stats(profiler).sort_stats('tottime').print_stats(25)
        return
    low = _floor_steps(args.host, args.port)
    # ours and the floor in alternating short rounds, so both see the same load
    print('{:12s} {:>9s} {:>9s} {:>9s} {:>9s} {:>8s} {:>8s}'.format(
        'workload', 'wall', 'floor', 'CPU', 'floor', 'wall +', 'CPU +'))
    rows = [('get', 'get'), ('put', 'put'), ('complex_get', 'get'), ('complex_put', 'put'),
            ('aio_get', 'get'), ('aio_put', 'put')]
    n = max(args.n // 10, 1)
    for name, base in rows:
        ours, floors = [], []
        for _ in range(args.rounds * 4):
            floors.append(_measure(low[base], n, 1))
            if name in sync:
                ours.append(_measure(sync[name], n, 1))
            else:
                ours.append(_measure_aio(loop, aio[name], n, 1))
        w, c = (statistics.median(x) for x in zip(*ours))
        fw, fc = (statistics.median(x) for x in zip(*floors))
        print('{:12s} {:9.1f} {:9.1f} {:9.1f} {:9.1f} {:+7.0f}% {:+7.0f}%'.format(
            name, w, fw, c, fc, (w / fw - 1) * 100, (c / fc - 1) * 100))
    loop.run_until_complete(aio_client.close())
    api.close()
    floor.close()


if __name__ == '__main__':
    main()
