#!/usr/bin/env python3
"""Run every example in ``examples/`` against real Ignite nodes and check what it prints.

Usage::

    python tools/run_examples.py                  # start the nodes, run everything, stop
    python tools/run_examples.py sql scans        # only these examples
    python tools/run_examples.py --no-server      # use the node already on 127.0.0.1:10800
    python tools/run_examples.py --list           # print the examples and exit

Each ``examples/*.py`` (not ``examples/helpers/``) runs as its own process, from the
``examples`` folder, with the working tree first on ``PYTHONPATH``. An example passes when it
exits with code 0 and its standard output matches ``examples/expected/<name>.txt``:

* by default the file is the exact output (compared line by line, so only the newline at the
  very end is not significant);
* if its first line is ``#unordered``, the other lines are compared with the output as a
  multiset (for scans and other unordered results);
* if its first line is ``#regex``, every other line is a regular expression that must match
  the whole corresponding output line, and the line counts must be equal.

Where the output differs between the SQL engines (Calcite on Ignite 2.18 and later, H2
before), ``examples/expected/<name>.<engine>.txt`` is used for nodes of that engine instead.

An example without an expected file fails.

Nodes: the single-node examples share one fresh in-memory node on 127.0.0.1:10800. The
failover examples (:data:`FAILOVER_EXAMPLES`) get a fresh three-node cluster on
10800..10802, started after that node is stopped: while such an example runs, the runner waits
for its first line of output, then kills the nodes one by one with a pause before each kill,
and expects the example to end by itself once no node is left.

Exit code: 0 when every selected example passed, 1 otherwise, 2 on bad arguments.
"""
import argparse
import collections
import difflib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / 'examples'
EXPECTED_DIR = EXAMPLES_DIR / 'expected'

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ignite_server  # noqa: E402  (the launcher lives next to this file)

HOST = ignite_server.HOST
PORT = 10800
#: examples that need the three-node cluster and the node killer
FAILOVER_EXAMPLES = frozenset({'failover'})
FAILOVER_PORTS = (10800, 10801, 10802)
# Outside every predefined layout of the launcher, so the failover cluster can never merge
# with a cluster of the test suite.
FAILOVER_DISCOVERY_PORT = 47800
FAILOVER_COMMUNICATION_PORT = 47400

DEFAULT_TIMEOUT = 180.0
DEFAULT_PAUSE = 8.0
UNORDERED = '#unordered'
REGEX = '#regex'


# --------------------------------------------------------------------------------------------
# Finding examples and comparing output
# --------------------------------------------------------------------------------------------

def discover(names: Optional[Iterable[str]] = None) -> List[Path]:
    """The example scripts, single-node ones first, failover ones last, each group by name.

    :param names: (optional) only these examples (``sql`` or ``sql.py``),
    :return: paths of the scripts,
    :raises ValueError: a named example does not exist.
    """
    found = {p.stem: p for p in EXAMPLES_DIR.glob('*.py') if not p.name.startswith('_')}
    if names:
        wanted = [Path(n).stem for n in names]
        unknown = [n for n in wanted if n not in found]
        if unknown:
            raise ValueError('no such example: {} (have: {})'.format(
                ', '.join(unknown), ', '.join(sorted(found)) or 'none'))
        found = {n: found[n] for n in wanted}
    return sorted(found.values(), key=lambda p: (p.stem in FAILOVER_EXAMPLES, p.stem))


def expected_path(example: Path, engine: Optional[str] = None) -> Path:
    """Where the expected output of ``example`` lives.

    ``<name>.<engine>.txt`` (``engine`` is ``'calcite'`` or ``'h2'``, by default the SQL engine
    of the nodes the launcher starts) when the example prints what differs between the SQL
    engines, else ``<name>.txt``.
    """
    generic = EXPECTED_DIR / (example.stem + '.txt')
    if not any(EXPECTED_DIR.glob(example.stem + '.*.txt')):
        return generic
    engine = engine or ignite_server.resolve_libs().engine
    specific = EXPECTED_DIR / f'{example.stem}.{engine}.txt'
    return specific if specific.is_file() else generic


def compare_output(expected: str, actual: str) -> List[str]:
    """Check an example's output against its expected file.

    :param expected: the expected file's text,
    :param actual: what the example printed,
    :return: human-readable problems; empty when the output matches.
    """
    want = expected.splitlines()
    got = actual.splitlines()
    mode = want[0].rstrip() if want else ''
    if mode == UNORDERED:
        return _compare_unordered(want[1:], got)
    if mode == REGEX:
        return _compare_regex(want[1:], got)
    if want == got:
        return []
    diff = difflib.unified_diff(want, got, 'expected', 'printed', lineterm='')
    return ['output differs:\n' + '\n'.join(diff)]


def _compare_unordered(want: List[str], got: List[str]) -> List[str]:
    missing = collections.Counter(want) - collections.Counter(got)
    extra = collections.Counter(got) - collections.Counter(want)
    problems = []
    if missing:
        problems.append('expected lines not printed:\n' + _counted(missing))
    if extra:
        problems.append('unexpected lines printed:\n' + _counted(extra))
    return problems


def _counted(counter: collections.Counter) -> str:
    return '\n'.join('  {!r}{}'.format(line, f' (x{n})' if n > 1 else '')
                     for line, n in sorted(counter.items()))


def _compare_regex(patterns: List[str], got: List[str]) -> List[str]:
    problems = []
    for lineno, (pattern, line) in enumerate(zip(patterns, got), start=1):
        try:
            matched = re.fullmatch(pattern, line) is not None
        except re.error as exc:
            problems.append(f'line {lineno}: bad regular expression {pattern!r}: {exc}')
            continue
        if not matched:
            problems.append(f'line {lineno}: {line!r} does not match {pattern!r}')
    if len(patterns) != len(got):
        problems.append(f'expected {len(patterns)} lines, printed {len(got)}:\n'
                        + '\n'.join('  ' + line for line in got))
    return problems


# --------------------------------------------------------------------------------------------
# Running one example
# --------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one example did and whether it passed.

    :ivar problems: why it failed; empty when it passed,
    :ivar skipped: why it was not run, or None.
    """

    name: str
    returncode: Optional[int] = None
    stdout: str = ''
    stderr: str = ''
    seconds: float = 0.0
    problems: List[str] = field(default_factory=list)
    skipped: Optional[str] = None

    @property
    def passed(self) -> bool:
        return self.skipped is None and not self.problems

    def report(self) -> str:
        """A multi-line description of a failure (or the one-line status otherwise)."""
        if self.skipped is not None:
            return f'SKIP {self.name}: {self.skipped}'
        if self.passed:
            return f'PASS {self.name} ({self.seconds:.1f} s)'
        lines = [f'FAIL {self.name} ({self.seconds:.1f} s)']
        lines += ['  ' + text.replace('\n', '\n  ') for text in self.problems]
        if self.stderr.strip():
            tail = self.stderr.strip().splitlines()[-25:]
            lines.append('  stderr (last lines):')
            lines += ['    ' + line for line in tail]
        return '\n'.join(lines)


def example_env() -> Dict[str, str]:
    """The environment of an example process: the working tree's ``pyignite`` comes first."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [str(ROOT), env.get('PYTHONPATH')]))
    env['PYTHONUNBUFFERED'] = '1'  # the failover killer reacts to lines as they are printed
    env['PYTHONIOENCODING'] = 'utf-8'
    return env


def _start(example: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, example.name], cwd=str(example.parent), env=example_env(),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding='utf-8', errors='replace')


class _Reader(threading.Thread):
    """Collects a pipe's lines as they arrive, so the caller can wait for one."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self._stream = stream
        self.lines: List[str] = []
        self._cond = threading.Condition()

    def run(self) -> None:
        for line in self._stream:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for_lines(self, count: int, timeout: float) -> bool:
        """Wait until at least ``count`` lines arrived or the stream ended."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.lines) < count and self.is_alive():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return len(self.lines) >= count

    @property
    def text(self) -> str:
        with self._cond:
            return ''.join(self.lines)


def run_example(example: Path, timeout: float = DEFAULT_TIMEOUT,
                while_running: Optional[Callable[[subprocess.Popen, _Reader], None]] = None
                ) -> Outcome:
    """Run one example and check its exit code and output.

    :param example: the script,
    :param timeout: seconds it may take before it is killed (and fails),
    :param while_running: (optional) called with the process and its stdout reader while
     the example runs (the failover node killer),
    :return: the outcome.
    """
    outcome = Outcome(example.stem)
    expected_file = expected_path(example)
    started = time.monotonic()
    proc = _start(example)
    out, err = _Reader(proc.stdout), _Reader(proc.stderr)
    out.start()
    err.start()
    try:
        if while_running is not None:
            while_running(proc, out)
        proc.wait(timeout=max(0.0, started + timeout - time.monotonic()))
    except subprocess.TimeoutExpired:
        outcome.problems.append(f'did not finish within {timeout:.0f} s (killed)')
    except BaseException as exc:
        outcome.problems.append(f'runner error while the example ran: {exc!r}')
        if not isinstance(exc, Exception):
            raise
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        out.join(10)
        err.join(10)
        outcome.seconds = time.monotonic() - started
    outcome.returncode = proc.returncode
    outcome.stdout, outcome.stderr = out.text, err.text
    if proc.returncode != 0 and not outcome.problems:
        outcome.problems.append(f'exit code {proc.returncode}')
    if not expected_file.is_file():
        outcome.problems.append(
            f'no expected output file {expected_file.relative_to(ROOT)}; it printed:\n'
            + outcome.stdout)
    else:
        outcome.problems += compare_output(expected_file.read_text(encoding='utf-8'),
                                           outcome.stdout)
    return outcome


# --------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------

def port_in_use(port: int, host: str = HOST) -> bool:
    """Whether something accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def failover_cluster(run_dir: Optional[Path] = None) -> 'ignite_server.IgniteCluster':
    """An unstarted three-node cluster on :data:`FAILOVER_PORTS` for the failover examples."""
    return ignite_server.IgniteCluster(
        'examples-failover', nodes=len(FAILOVER_PORTS), client_port=FAILOVER_PORTS[0],
        discovery_port=FAILOVER_DISCOVERY_PORT, communication_port=FAILOVER_COMMUNICATION_PORT,
        discovery_range=10, run_dir=run_dir)


def single_node(run_dir: Optional[Path] = None) -> 'ignite_server.IgniteCluster':
    """An unstarted single node on 127.0.0.1:10800 for the other examples.

    It uses the failover cluster's discovery ports, so it never joins a test-suite cluster.
    """
    return ignite_server.IgniteCluster(
        'examples', nodes=1, client_port=PORT, discovery_port=FAILOVER_DISCOVERY_PORT,
        communication_port=FAILOVER_COMMUNICATION_PORT, discovery_range=10, run_dir=run_dir)


def kill_nodes_one_by_one(cluster, pause: float = DEFAULT_PAUSE,
                          first_line_timeout: float = 60.0,
                          log: Callable[[str], None] = lambda s: None):
    """A ``while_running`` callback: wait for the example's first line of output, then kill
    the cluster's running nodes one by one, sleeping ``pause`` seconds before each kill.

    Stops early when the example ends by itself.
    """
    def killer(proc: subprocess.Popen, out: _Reader) -> None:
        if not out.wait_for_lines(1, first_line_timeout):
            return  # it never got going; the exit code and output checks report it
        for idx in list(cluster.running_nodes):
            deadline = time.monotonic() + pause
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    return
                time.sleep(0.1)
            log(f'killing node {idx} (port {cluster.slot_ports[idx]})')
            cluster.kill_node(idx)
    return killer


class ExampleServers:
    """Starts and stops the nodes the examples need, one setup at a time.

    :param external: use a node somebody else runs on 127.0.0.1:10800 instead of starting
     one; the failover examples are then skipped,
    :param run_dir: launcher run dir (logs, work dirs); the launcher's default if None,
    :param make_room: (optional) called with ports that are in use before a node is started
     on them; it may free them (the pytest session stops its own nodes there).
    """

    def __init__(self, external: bool = False, run_dir: Optional[Path] = None,
                 make_room: Optional[Callable[[Sequence[int]], None]] = None,
                 log: Callable[[str], None] = lambda s: None):
        self.external = external
        self.run_dir = run_dir
        self.make_room = make_room
        self.log = log
        self._single = None
        self._failover = None

    def _free(self, ports: Sequence[int]) -> None:
        busy = [p for p in ports if port_in_use(p)]
        if busy and self.make_room is not None:
            self.make_room(busy)
            busy = [p for p in ports if port_in_use(p)]
        if busy:
            raise ignite_server.LauncherError(
                f'port(s) {busy} on {HOST} are in use by another process; stop it, or run '
                f'the examples in a private network namespace (tools/isolated)')

    def ensure_single(self) -> None:
        """Make sure a node answers on 127.0.0.1:10800 for the single-node examples."""
        if self.external:
            if not port_in_use(PORT):
                raise ignite_server.LauncherError(f'no node on {HOST}:{PORT} (--no-server)')
            return
        if self._single is not None and self._single.running_nodes:
            return
        self.stop()
        self._free([PORT])
        self.log(f'starting a node on {HOST}:{PORT}')
        self._single = single_node(self.run_dir)
        self._single.start()

    def start_failover(self):
        """Stop the single node and start a fresh three-node cluster on 10800..10802.

        :return: the running cluster.
        """
        self.stop()
        self._free(FAILOVER_PORTS)
        self.log(f'starting a 3-node cluster on {HOST}:{FAILOVER_PORTS[0]}..{FAILOVER_PORTS[-1]}')
        self._failover = failover_cluster(self.run_dir)
        self._failover.start()
        return self._failover

    def stop(self) -> None:
        """Stop every node this object started."""
        for cluster in (self._single, self._failover):
            if cluster is not None:
                cluster.stop(grace=2.0)
        self._single = self._failover = None

    def run(self, example: Path, timeout: float = DEFAULT_TIMEOUT,
            pause: float = DEFAULT_PAUSE) -> Outcome:
        """Run one example on the nodes it needs, starting them if necessary."""
        if example.stem not in FAILOVER_EXAMPLES:
            self.ensure_single()
            return run_example(example, timeout)
        if self.external:
            return Outcome(example.stem, skipped='needs its own 3-node cluster on ports '
                                                 f'{FAILOVER_PORTS}; not run with an external node')
        cluster = self.start_failover()
        try:
            return run_example(example, timeout,
                               kill_nodes_one_by_one(cluster, pause, log=self.log))
        finally:
            self.stop()


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``python tools/run_examples.py``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog='run_examples.py', description=__doc__.split('\n\n')[0],
        epilog='The expected-output format and the node setup are described in the module '
               'docstring of tools/run_examples.py.')
    parser.add_argument('names', nargs='*', metavar='NAME', help='examples to run (default all)')
    parser.add_argument('--no-server', action='store_true',
                        help=f'use the node already running on {HOST}:{PORT}; '
                             'skips the failover examples')
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        help='seconds one example may take (default %(default).0f)')
    parser.add_argument('--pause', type=float, default=DEFAULT_PAUSE,
                        help='failover: seconds before each node kill (default %(default).0f)')
    parser.add_argument('--list', action='store_true', help='print the examples and exit')
    args = parser.parse_args(argv)

    try:
        examples = discover(args.names)
    except ValueError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    if args.list:
        for example in examples:
            mark = '' if expected_path(example).is_file() else '   (no expected output file!)'
            print(example.stem + mark)
        return 0
    if not examples:
        print(f'error: no examples in {EXAMPLES_DIR}', file=sys.stderr)
        return 1

    def log(text: str) -> None:
        print(f'[run_examples] {text}', file=sys.stderr, flush=True)

    servers = ExampleServers(external=args.no_server, log=log)
    outcomes = []
    try:
        for example in examples:
            try:
                outcome = servers.run(example, args.timeout, args.pause)
            except ignite_server.LauncherError as exc:
                outcome = Outcome(example.stem, problems=[f'could not start Ignite: {exc}'])
            outcomes.append(outcome)
            print(outcome.report(), flush=True)
    finally:
        servers.stop()

    failed = [o.name for o in outcomes if not o.passed and o.skipped is None]
    skipped = [o.name for o in outcomes if o.skipped is not None]
    passed = len(outcomes) - len(failed) - len(skipped)
    summary = f'examples: {passed} passed, {len(failed)} failed'
    if skipped:
        summary += f', {len(skipped)} skipped'
    print(summary)
    if failed:
        print('failed: ' + ', '.join(failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
