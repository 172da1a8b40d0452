"""Benchmark (not a test): 1,000 gets with ``asyncio.gather`` against awaiting them one by one.

Run against a real node, e.g. ``tools/isolated python3 tools/ignite_server.py run --layout
single -- python3 bench/micro/bench_gather.py``; ``--profile`` prints a cProfile of the
gathered gets.
"""
import argparse
import asyncio
import cProfile
import pstats
import statistics
import time

from pyignite import AioClient, Client


async def _bench(host: str, port: int, n: int, rounds: int, profile: bool) -> None:
    client = AioClient(partition_aware=False)
    async with client.connect(host, port):
        cache = await client.get_or_create_cache('bench-aio')
        await cache.put_all({i: 'value-{}'.format(i) for i in range(n)})
        await asyncio.gather(*[cache.get(i) for i in range(n)])  # warm up

        gathered, sequential, gathered_cpu, sequential_cpu = [], [], [], []
        for _ in range(rounds):
            start, cpu = time.perf_counter(), time.process_time()
            values = await asyncio.gather(*[cache.get(i) for i in range(n)])
            gathered.append(time.perf_counter() - start)
            gathered_cpu.append(time.process_time() - cpu)
            assert values == ['value-{}'.format(i) for i in range(n)]
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                await cache.get(i)
            sequential.append(time.perf_counter() - start)
            sequential_cpu.append(time.process_time() - cpu)
        print('{} gets, best/median of {} rounds (wall), client CPU per get'.format(n, rounds))
        _report('asyncio.gather', gathered, gathered_cpu, n)
        _report('one by one', sequential, sequential_cpu, n)

        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                await asyncio.gather(*[cache.get(i) for i in range(n)])
            profiler.disable()
            pstats.Stats(profiler).sort_stats('tottime').print_stats(25)
        await cache.destroy()


def _report(label: str, wall: list, cpu: list, n: int) -> None:
    print('  {:15s}: {:7.1f} ms / {:7.1f} ms  ({:6.1f} us per get, CPU {:5.1f} us)'.format(
        label, min(wall) * 1e3, statistics.median(wall) * 1e3, min(wall) / n * 1e6,
        statistics.median(cpu) / n * 1e6))


def _bench_sync(host: str, port: int, n: int, rounds: int) -> None:
    client = Client(partition_aware=False)
    with client.connect(host, port):
        cache = client.get_or_create_cache('bench-sync')
        cache.put_all({i: 'value-{}'.format(i) for i in range(n)})
        times, cpu_times = [], []
        for _ in range(rounds):
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                cache.get(i)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu)
        _report('sync Client', times, cpu_times, n)
        cache.destroy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=10800)
    parser.add_argument('-n', type=int, default=1000)
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--profile', action='store_true')
    parser.add_argument('--uvloop', action='store_true')
    args = parser.parse_args()
    if args.uvloop:
        import uvloop
        uvloop.install()
    asyncio.run(_bench(args.host, args.port, args.n, args.rounds, args.profile))
    _bench_sync(args.host, args.port, args.n, args.rounds)


if __name__ == '__main__':
    main()
