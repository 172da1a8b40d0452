#!/usr/bin/env python3
"""Benchmarks of this client side by side with the reference client (pyignite 0.6.1).

Run ``make bench`` (or ``make bench QUICK=1``), or ``python3 bench/run.py [--quick]``.

What happens:

1. The reference client is installed into its own virtualenv, ``bench/.venv-ref`` (never into
   the project's), and the Ignite jars are resolved; both may need the network.
2. Unless ``--isolate no``, the rest runs in a private network namespace (``tools/isolated``,
   when this user may create one), so the benchmark's nodes cannot meet anybody else's.
3. Three workers are started per phase, each its own process: ``ours`` (this repository's
   ``pyignite``), ``ref`` (the reference, in its venv) and ``floor`` (raw sockets, pre-encoded
   frames). Phases: ``codec`` (no server), ``single`` (one node, started once), ``cluster``
   (three nodes, started once, for partition awareness).
4. Every workload is set up and checked against the stored data in each worker, run once to
   warm up, then measured in several rounds; within a round the clients take turns slice by
   slice, in a rotating order. Medians over the rounds are reported, and the speedup of ours
   over the reference is the median of the per-round ratios.
5. The table is printed and written to ``bench/results/latest.{json,md}`` and
   ``docs/benchmarks.rst``, with the command, date and machine. Where ours misses a target,
   a cProfile of ours on that workload is added.
"""
import argparse
import datetime as dt
import json
import os
import platform
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / 'tools'))

import ignite_server  # noqa: E402
import report  # noqa: E402
import spec  # noqa: E402
import wire  # noqa: E402

REF_PACKAGE = 'pyignite==0.6.1'
REF_VENV = HERE / '.venv-ref'
RESULTS = HERE / 'results'
RAW = RESULTS / 'raw'
DOCS_PAGE = ROOT / 'docs' / 'benchmarks.rst'
README = ROOT / 'README.md'
CLIENTS = ('ours', 'ref', 'floor')
HOST = '127.0.0.1'

# Ports of the benchmark's own nodes: apart from the test layouts, so that a run outside a
# network namespace does not collide with a test run on the default ports.
SINGLE = dict(client_port=10870, discovery_port=47950, communication_port=47850)
CLUSTER = dict(client_port=10871, discovery_port=47960, communication_port=47860)

SQL_INSERT_ROWS = 250
SLICES = 4  # a measurement is taken in this many slices, alternating with the other clients
REPLY_TIMEOUT = 600.0


def note(message: str) -> None:
    print(f'[bench] {message}', file=sys.stderr, flush=True)


# --- preparation (may need the network, so it runs before isolation) --------------------------

def ref_python() -> Path:
    return REF_VENV / 'bin' / 'python'


def ensure_ref_venv() -> None:
    """Create ``bench/.venv-ref`` with the reference client unless it is already there."""
    python = ref_python()
    if python.exists() and _ref_version(python) == REF_PACKAGE.split('==')[1]:
        return
    note(f'installing the reference client ({REF_PACKAGE}) into {REF_VENV}')
    if not python.exists():
        subprocess.run([sys.executable, '-m', 'venv', str(REF_VENV)], check=True)
    subprocess.run([str(python), '-m', 'pip', 'install', '-q', REF_PACKAGE], check=True)
    version = _ref_version(python)
    if version != REF_PACKAGE.split('==')[1]:
        raise SystemExit(f'the reference venv holds pyignite {version}, not {REF_PACKAGE}')


def _ref_version(python: Path) -> Optional[str]:
    # -I: the repository must not shadow the reference package
    proc = subprocess.run([str(python), '-I', '-c', 'import pyignite; print(pyignite.__version__)'],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd='/',
                          text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def ours_python(choice: Optional[str]) -> str:
    if choice:
        # absolute, but not resolved: a venv's python is a symlink to the base interpreter
        return os.path.abspath(choice)
    venv = ROOT / '.venv' / 'bin' / 'python'
    return str(venv) if venv.exists() else sys.executable


def can_isolate() -> bool:
    isolated = ROOT / 'tools' / 'isolated'
    return (hasattr(os, 'geteuid') and os.geteuid() == 0 and isolated.exists()
            and shutil.which('unshare') is not None and shutil.which('ip') is not None)


# --- workers ---------------------------------------------------------------------------------

class WorkerProcess:
    """A worker of one client, driven by JSON lines; a dead or stuck worker answers errors."""

    def __init__(self, client: str, python: str, log_path: Path):
        self.client = client
        self.dead: Optional[str] = None
        env = dict(os.environ)
        if client == 'ours':
            args = [python, str(HERE / 'worker.py'), client]
            env['PYTHONPATH'] = str(ROOT) + os.pathsep + env.get('PYTHONPATH', '')
        elif client == 'ref':
            # isolated mode: no PYTHONPATH, no user site, no script dir on sys.path
            args = [str(ref_python()), '-I', str(HERE / 'worker.py'), client]
        else:
            args = [sys.executable, '-I', str(HERE / 'worker.py'), client]
        self.log = open(log_path, 'w')
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, cwd='/', text=True, bufsize=1)

    def call(self, msg: dict, timeout: float = REPLY_TIMEOUT) -> dict:
        if self.dead:
            return {'error': self.dead}
        try:
            self.proc.stdin.write(json.dumps(msg) + '\n')
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            line = self.proc.stdout.readline() if ready else None
        except (BrokenPipeError, OSError) as exc:
            line, why = None, f'worker pipe broke ({exc})'
        else:
            why = f'no reply within {timeout:.0f} s' if not ready else 'worker exited'
        if not line:
            self.kill()
            self.dead = f'{self.client} worker failed: {why} (see {self.log.name})'
            return {'error': self.dead}
        reply = json.loads(line)
        if 'fatal' in reply:
            self.dead = f'{self.client} client did not load: {reply["fatal"]}'
            return {'error': self.dead}
        return reply

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        if not self.dead:
            self.call({'cmd': 'bye'}, timeout=60)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()


def _check_package(client: str, info: dict) -> None:
    """Make sure each worker benchmarks the package it is meant to (both are 'pyignite')."""
    where = {'ours': ROOT / 'pyignite', 'ref': REF_VENV}.get(client)
    package = info.get('package')
    if where is None or 'error' in info:
        return
    if not package or not (Path(package) == where or where in Path(package).parents):
        raise SystemExit(f'the {client} worker imported pyignite from {package}, not {where}')


# --- data ------------------------------------------------------------------------------------

def load_single(port: int, quick: bool) -> None:
    """Create the caches and the SQL table the single-node workloads read."""
    started = time.monotonic()
    conn = wire.Wire(HOST, port)
    try:
        conn.get_or_create_cache(spec.KV_CACHE)
        for base in range(0, spec.KV_KEYS, spec.BATCH):
            conn.put_all(spec.KV_CACHE, [(wire.v_long(i), wire.v_str(spec.small_value(i)))
                                         for i in range(base, base + spec.BATCH)])
        scan_n = spec.sizes(spec.BY_NAME['scan'], quick)[0]
        conn.destroy_cache(spec.SCAN_CACHE)
        conn.get_or_create_cache(spec.SCAN_CACHE)
        for base in range(0, scan_n, spec.BATCH):
            conn.put_all(spec.SCAN_CACHE, [(wire.v_long(i), wire.v_str(spec.small_value(i)))
                                           for i in range(base, min(base + spec.BATCH, scan_n))])
        sql_n = spec.sizes(spec.BY_NAME['sql'], quick)[0]
        conn.sql(f'DROP TABLE IF EXISTS {spec.SQL_TABLE}')
        conn.sql(spec.SQL_CREATE)
        insert = (f'INSERT INTO {spec.SQL_TABLE} (id, name, score, qty, note) VALUES '
                  + ','.join(['(?, ?, ?, ?, ?)'] * SQL_INSERT_ROWS))
        for base in range(0, sql_n, SQL_INSERT_ROWS):
            rows = [spec.sql_row(i) for i in range(base, base + SQL_INSERT_ROWS)]
            if base + SQL_INSERT_ROWS > sql_n:
                rows = rows[:sql_n - base]
                insert = (f'INSERT INTO {spec.SQL_TABLE} (id, name, score, qty, note) VALUES '
                          + ','.join(['(?, ?, ?, ?, ?)'] * len(rows)))
            args = []
            for a, b, c, d, e in rows:
                args += [wire.v_long(a), wire.v_str(b), wire.v_double(c), wire.v_int(d),
                         wire.v_str(e)]
            conn.sql(insert, args)
        if conn.cache_size(spec.SCAN_CACHE) != scan_n:
            raise SystemExit('loading the scan cache failed')
    finally:
        conn.close()
    note(f'data loaded in {time.monotonic() - started:.1f} s '
         f'({scan_n} scan entries, {sql_n} SQL rows)')


def load_cluster(port: int) -> None:
    conn = wire.Wire(HOST, port)
    try:
        conn.get_or_create_cache(spec.PA_CACHE)
        for base in range(0, spec.PA_KEYS, spec.BATCH):
            conn.put_all(spec.PA_CACHE, [(wire.v_long(i), wire.v_str(spec.small_value(i)))
                                         for i in range(base, min(base + spec.BATCH,
                                                                  spec.PA_KEYS))])
        conn.get_or_create_cache(spec.KV_CACHE)  # the floor's connections probe it
        conn.get_or_create_cache(spec.PA_SCAN_CACHE)
        if conn.cache_size(spec.PA_SCAN_CACHE) != spec.PA_SCAN_KEYS:
            for base in range(0, spec.PA_SCAN_KEYS, spec.BATCH):
                conn.put_all(spec.PA_SCAN_CACHE, [
                    (wire.v_long(i), wire.v_str(spec.small_value(i)))
                    for i in range(base, min(base + spec.BATCH, spec.PA_SCAN_KEYS))])
    finally:
        conn.close()


# --- measuring -------------------------------------------------------------------------------

class Run:
    """One benchmark run: its options, workers, nodes and collected numbers."""

    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.rounds = args.rounds or (2 if self.quick else 5)
        # shortest measurement, by phase: the codec rows need less, having no I/O
        self.min_time = {'codec': 0.15, None: 0.2} if self.quick else {'codec': 0.3, None: 0.5}
        self.selected = [w for w in spec.WORKLOADS
                         if not args.only or w.name in args.only or w.phase in args.only]
        self.results: Dict[str, dict] = {}
        self.workers_info: Dict[str, dict] = {}
        self.ignite_version = '?'
        self.phase_seconds: Dict[str, float] = {}
        self.batch: Dict[tuple, int] = {}
        self.started = time.time()

    def execute(self) -> None:
        RAW.mkdir(parents=True, exist_ok=True)
        for phase in spec.PHASES:
            workloads = [w for w in self.selected if w.phase == phase]
            if workloads:
                t0 = time.monotonic()
                self.phase(phase, workloads)
                self.phase_seconds[phase] = round(time.monotonic() - t0, 1)

    def phase(self, phase: str, workloads: List[spec.Workload]) -> None:
        cluster = None
        env: dict = {}
        run_dir = Path(os.environ.get('TMPDIR', '/tmp')) / 'pyignite-bench'
        if phase != 'codec':
            ports = SINGLE if phase == 'single' else CLUSTER
            cluster = ignite_server.IgniteCluster(
                f'bench-{phase}', nodes=1 if phase == 'single' else 3, run_dir=run_dir,
                **ports)
            note(f'starting {cluster.nodes} Ignite node(s) for the {phase} phase')
            cluster.start()
            self.ignite_version = cluster.libs.version
            if phase == 'single':
                env = {'host': HOST, 'port': ports['client_port']}
                load_single(ports['client_port'], self.quick)
            else:
                env = {'nodes': [[HOST, p] for p in cluster.client_ports]}
                load_cluster(ports['client_port'])
        workers = {}
        try:
            for client in CLIENTS:
                python = ours_python(self.args.python) if client == 'ours' else None
                workers[client] = WorkerProcess(client, python,
                                                RAW / f'{phase}-{client}.log')
                info = workers[client].call({'cmd': 'hello'})
                _check_package(client, info)
                self.workers_info.setdefault(client, info)
            self.measure(phase, workloads, workers, env)
        finally:
            for worker in workers.values():
                worker.close()
            if cluster is not None:
                cluster.stop()

    def measure(self, phase, workloads, workers, env) -> None:
        ready = {}
        for w in workloads:
            units, iters = spec.sizes(w, self.quick)
            entry = self.results.setdefault(w.name, {
                'units': units, 'iters': iters, 'clients': {}})
            for client in CLIENTS:
                reply = workers[client].call({'cmd': 'setup', 'workload': w.name,
                                              'units': units, 'env': env})
                slot = entry['clients'].setdefault(client, {'rounds': []})
                if reply.get('ok'):
                    ready[(w.name, client)] = 'warm' if reply.get('warmed') else 'cold'
                    if reply.get('info'):
                        slot['info'] = reply['info']
                else:
                    slot['status'] = 'n/a' if 'na' in reply else 'error'
                    slot['reason'] = reply.get('na') or reply.get('error')
                    note(f'{w.name} / {client}: {slot["status"]}: {slot["reason"]}')
        note(f'{phase}: warming up')
        for w in workloads:
            for client in CLIENTS:
                state = ready.get((w.name, client))
                if state:
                    self.calibrate(workers[client], w, client, warm_up=state == 'cold')
        for r in range(self.rounds):
            note(f'{phase}: round {r + 1} of {self.rounds}')
            for w in workloads:
                clients = [c for c in CLIENTS if ready.get((w.name, c))]
                self.one_round(workers, w, clients[r % 3:] + clients[:r % 3])
        for w in workloads:
            if ready.get((w.name, 'ours')) and self.results[w.name]['clients']['ours'][
                    'rounds'] and (self.args.profile == 'all' or (
                    self.args.profile == 'missed'
                    and not report.meets_targets(w, self.results[w.name]))):
                self.profile(workers['ours'], w)

    def _run(self, worker: WorkerProcess, w: spec.Workload, client: str,
             iters: int) -> Optional[dict]:
        reply = worker.call({'cmd': 'run', 'workload': w.name, 'iters': iters})
        if 'error' in reply:
            slot = self.results[w.name]['clients'][client]
            slot['status'], slot['reason'] = 'error', reply['error']
            note(f'{w.name} / {client}: error: {reply["error"]}')
            return None
        return reply

    def calibrate(self, worker: WorkerProcess, w: spec.Workload, client: str,
                  warm_up: bool) -> None:
        """Warm up (unless setup already ran a full iteration) and size the slices."""
        iters = self.results[w.name]['iters']
        self.batch[(w.name, client)] = iters
        if not warm_up:
            return
        reply = self._run(worker, w, client, iters)
        if reply is not None:
            per_iter = max(reply['wall'], 1e-9) / iters
            slice_time = self.min_time.get(w.phase, self.min_time[None]) / SLICES
            self.batch[(w.name, client)] = max(1, int(slice_time / per_iter))

    def one_round(self, workers: dict, w: spec.Workload, clients: List[str]) -> None:
        """Measure every client once, in slices taken in turns.

        Each client runs batches of about a SLICES-th of the shortest measurement, the
        clients alternating, until each has run long enough. So a burst of other work on
        the machine lands on all of them alike rather than on one whole measurement.
        """
        entry = self.results[w.name]
        min_time = self.min_time.get(w.phase, self.min_time[None])
        acc = {c: [0, 0.0, 0.0] for c in clients}
        left = [c for c in clients if not entry['clients'][c].get('status')]
        turn = 0
        while left:
            for client in left[turn % len(left):] + left[:turn % len(left)]:
                iters = self.batch[(w.name, client)]
                reply = self._run(workers[client], w, client, iters)
                if reply is None:
                    acc.pop(client)
                    continue
                total = acc[client]
                total[0] += iters
                total[1] += reply['wall']
                total[2] += reply['cpu']
            left = [c for c in left if c in acc and acc[c][1] < min_time]
            turn += 1
        for client, (done, wall, cpu) in acc.items():
            per = 1e6 / (done * entry['units'])
            entry['clients'][client]['rounds'].append(
                {'wall_us': wall * per, 'cpu_us': cpu * per, 'iters': done})

    def profile(self, worker: WorkerProcess, w: spec.Workload) -> None:
        entry = self.results[w.name]
        units = entry['units']
        # about a second of work, whatever the workload's unit
        us = statistics.median(r['wall_us'] for r in entry['clients']['ours']['rounds'])
        iters = max(1, int(1e6 / max(us * units, 1e-3)))
        note(f'profiling ours on {w.name} ({iters} iterations)')
        reply = worker.call({'cmd': 'profile', 'workload': w.name, 'iters': iters, 'top': 15})
        entry['profile'] = reply.get('text') or reply.get('error')
        entry['profile_iters'] = iters


# --- environment facts -------------------------------------------------------------------------

def machine() -> dict:
    cpu = '?'
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    mem = '?'
    try:
        for line in Path('/proc/meminfo').read_text().splitlines():
            if line.startswith('MemTotal'):
                mem = f'{int(line.split()[1]) / 1024 / 1024:.1f} GiB'
    except OSError:
        pass
    java = subprocess.run(['java', '-version'], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True).stdout.splitlines()
    return {'nproc': os.cpu_count(), 'cpu': cpu, 'memory': mem, 'os': platform.platform(),
            'java': java[0] if java else '?'}


def git_state() -> str:
    def git(*args):
        return subprocess.run(['git', '-C', str(ROOT), *args], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout.strip()
    head = git('rev-parse', '--short', 'HEAD') or '?'
    dirty = git('status', '--porcelain', '--', 'pyignite')
    return head + (' + uncommitted changes in pyignite/' if dirty else '')


# --- main ------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='fewer rounds, shorter measurements, 20,000-row scan and SQL')
    parser.add_argument('--rounds', type=int, help='measured rounds (default 5, quick 2)')
    parser.add_argument('--only', type=lambda s: set(s.split(',')), default=set(),
                        help='comma-separated workloads or phases (codec, single, cluster)')
    parser.add_argument('--isolate', choices=('auto', 'yes', 'no'), default='auto',
                        help='run in a private network namespace (auto: when possible)')
    parser.add_argument('--python', help="interpreter for our client (default: the project's "
                                         ".venv, else this one)")
    parser.add_argument('--profile', choices=('missed', 'all', 'none'), default='missed',
                        help='cProfile ours on the workloads that miss a target (default), on '
                             'all of them, or on none')
    parser.add_argument('--no-write', action='store_true',
                        help='print the table only; write no results or docs')
    parser.add_argument('--docs', type=Path,
                        help=f'results page to write (default {DOCS_PAGE.relative_to(ROOT)}; '
                             'a quick run writes none unless given)')
    parser.add_argument('--inside', action='store_true', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    unknown = args.only - {w.name for w in spec.WORKLOADS} - set(spec.PHASES)
    if unknown:
        raise SystemExit(f'unknown workloads or phases: {", ".join(sorted(unknown))}')
    if not args.inside:
        ensure_ref_venv()
        ignite_server.resolve_libs()
        if args.isolate == 'yes' or (args.isolate == 'auto' and can_isolate()):
            if not can_isolate():
                raise SystemExit('--isolate yes needs root, unshare and ip')
            note('continuing in a private network namespace (tools/isolated)')
            cmd = [str(ROOT / 'tools' / 'isolated'), sys.executable, str(Path(__file__)),
                   *argv, '--inside']
            os.execv(cmd[0], cmd)
    isolated = args.inside
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    run = Run(args)
    load_start = round(os.getloadavg()[0], 2)
    try:
        run.execute()
    except ignite_server.LauncherError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    shown = [a for a in argv if a != '--inside']
    command = os.environ.get('BENCH_COMMAND') or 'python3 bench/run.py ' + ' '.join(
        shlex.quote(a) for a in shown)
    data = {
        'command': command.strip(),
        'date': dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'duration_s': round(time.time() - run.started),
        'phase_seconds': run.phase_seconds,
        'quick': run.quick,
        'rounds': run.rounds,
        'min_time_s': run.min_time[None],
        'min_time_codec_s': run.min_time['codec'],
        'isolated': isolated,
        'load': [load_start, round(os.getloadavg()[0], 2)],
        'machine': machine(),
        'ignite': run.ignite_version,
        'git': git_state(),
        'workers': run.workers_info,
        'results': run.results,
    }
    print(report.text_table(data))
    if not args.no_write:
        # a quick or partial run must not replace the committed results of a full one
        full = not run.quick and not args.only
        stem = RESULTS / 'latest' if full else RAW / 'partial'
        stem.parent.mkdir(parents=True, exist_ok=True)
        written = [stem.with_suffix('.json'), stem.with_suffix('.md')]
        written[0].write_text(json.dumps(data, indent=1) + '\n')
        written[1].write_text(report.markdown_page(data))
        docs = args.docs or (DOCS_PAGE if full else None)
        if docs is not None:
            docs.parent.mkdir(parents=True, exist_ok=True)
            docs.write_text(report.rst_page(data))
            written.append(docs)
        if full and README.exists() and report.update_readme(README, data):
            written.append(README)
        note('wrote ' + ', '.join(str(p.relative_to(ROOT)) if ROOT in p.parents else str(p)
                                  for p in written))
    return 0


if __name__ == '__main__':
    sys.exit(main())
