"""One client's side of a benchmark run: a long-lived process the runner drives.

Usage: ``PYTHON bench/worker.py {ours,ref,floor}``. The runner writes one JSON command per
line on stdin and reads one JSON reply per line; the replies go to the original stdout, and
anything the client code prints is sent to stderr so it cannot corrupt them.

Commands: ``hello``; ``setup`` (build a workload and check one result); ``run`` (time
``iters`` iterations: wall clock and this process's CPU time); ``profile`` (cProfile of
``iters`` iterations); ``bye``.
"""
import cProfile
import gc
import importlib
import io
import json
import os
import platform
import pstats
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # spec, wire, golden, clients (never the repo root: see run.py)


def _short(exc: BaseException) -> str:
    return f'{type(exc).__name__}: {exc}'.strip()[:500]


class Worker:
    def __init__(self, client: str):
        from clients._common import NotAvailable, WrongResult
        self.client = client
        self.module = importlib.import_module(f'clients.{client}')
        self.not_available, self.wrong = NotAvailable, WrongResult
        self.steps = {}

    def hello(self, msg):
        info = {'client': self.client, 'python': platform.python_version(),
                'version': getattr(self.module, 'VERSION', '?'), 'pid': os.getpid()}
        pkg = sys.modules.get('pyignite')
        if pkg is not None:
            info['package'] = os.path.dirname(getattr(pkg, '__file__', '') or '')
        return info

    def setup(self, msg):
        name, units, env = msg['workload'], msg['units'], dict(msg['env'], client=self.client)
        factory = self.module.WORKLOADS.get(name)
        if factory is None:
            return {'na': f'no {name} workload for {self.client}'}
        try:
            step = factory(units, env)
        except self.not_available as exc:
            return {'na': str(exc)}
        except ImportError as exc:
            return {'na': f'import failed: {_short(exc)}'}
        except self.wrong as exc:
            return {'error': f'wrong result: {exc}'}
        except Exception as exc:
            traceback.print_exc()
            return {'error': _short(exc)}
        self.steps[name] = step
        return {'ok': True, 'info': getattr(step, 'info', None),
                'warmed': getattr(step, 'warmed', False)}

    def run(self, msg):
        step = self.steps[msg['workload']]
        iters = msg['iters']
        gc.collect()
        try:
            wall0, cpu0 = time.perf_counter(), time.process_time()
            for _ in range(iters):
                step()
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        except Exception as exc:
            traceback.print_exc()
            return {'error': _short(exc)}
        return {'wall': wall, 'cpu': cpu}

    def profile(self, msg):
        step = self.steps.get(msg['workload'])
        if step is None:
            return {'error': 'workload not set up'}
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(msg['iters']):
            step()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats('tottime').print_stats(msg.get('top', 15))
        lines = [ln.rstrip() for ln in out.getvalue().splitlines() if ln.strip()]
        # keep the table (header + rows), drop pstats' preamble
        start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith('ncalls')), 0)
        root = str(HERE.parent) + os.sep
        return {'text': '\n'.join(ln.replace(root, '') for ln in lines[start:])}

    def bye(self, msg):
        for step in self.steps.values():
            cleanup = getattr(step, 'cleanup', None)
            if cleanup is not None:
                try:
                    cleanup()
                except Exception:
                    traceback.print_exc()
        self.module.close()
        return {'ok': True}


def main() -> int:
    client = sys.argv[1]
    replies = os.fdopen(os.dup(1), 'w', buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        worker = Worker(client)
    except Exception as exc:
        traceback.print_exc()
        replies.write(json.dumps({'fatal': _short(exc)}) + '\n')
        return 1
    for line in sys.stdin:
        msg = json.loads(line)
        handler = getattr(worker, msg['cmd'])
        try:
            reply = handler(msg)
        except Exception as exc:
            traceback.print_exc()
            reply = {'error': _short(exc)}
        replies.write(json.dumps(reply) + '\n')
        if msg['cmd'] == 'bye':
            break
    return 0


if __name__ == '__main__':
    sys.exit(main())
