"""Side by side: this checkout's benchmarks and those of an earlier commit, in turns.

The committed tables come from different days and machines, and the machines here change
speed by up to 2x from one hour to the next, so a ratio is only comparable with one
measured in the same session. This runs ``bench/run.py`` of a commit (its own harness and
client, in a git worktree) and of this checkout one after the other, ``--repeat`` times,
and prints each workload's ratios against the reference and against the floor (of wall
time, then of the client's CPU time) for every run of both::

    python3 bench/compare.py b1567ee --only put,get,codec_encode_put --repeat 2

Only workloads both harnesses have are run. The reference client and our interpreter are
the ones ``make bench`` set up (``bench/.venv-ref``, ``.venv``).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def workloads(tree: Path) -> List[str]:
    """The workload names of the harness in ``tree`` (its ``bench/spec.py``)."""
    code = ('import sys; sys.path.insert(0, "bench"); import spec; '
            'print(" ".join(w.name for w in spec.WORKLOADS))')
    out = subprocess.run([sys.executable, '-c', code], cwd=tree, check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def run_bench(tree: Path, names: List[str], python: Path, log: Path) -> dict:
    """One partial run of the harness in ``tree``; its results (``bench/results/raw``)."""
    partial = tree / 'bench' / 'results' / 'raw' / 'partial.json'
    partial.unlink(missing_ok=True)
    with open(log, 'w') as out:
        subprocess.run([sys.executable, 'bench/run.py', '--python', str(python), '--only',
                        ','.join(names), '--profile', 'none'], cwd=tree, stdout=out,
                       stderr=subprocess.STDOUT, check=True)
    results: dict = json.loads(partial.read_text())['results']
    return results


def median_of(entry: dict, client: str, what: str) -> Optional[float]:
    """The median over the rounds of ``client`` of ``what`` (``wall_us``, ``cpu_us``)."""
    rounds = (entry.get('clients', {}).get(client) or {}).get('rounds')
    if not rounds:
        return None
    return statistics.median(r[what] for r in rounds)


def row(entry: dict, what: str) -> str:
    ours, ref, floor = (median_of(entry, c, what) for c in ('ours', 'ref', 'floor'))
    vs_ref = '{:.2f}x'.format(ref / ours) if ours and ref else '-'
    vs_floor = '{:+.0f}%'.format((ours / floor - 1) * 100) if ours and floor else '-'
    return '{:>7} {:>6}'.format(vs_ref, vs_floor)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('rev', help='the earlier commit')
    parser.add_argument('--only', help='comma-separated workloads (default: all both have)')
    parser.add_argument('--repeat', type=int, default=2, help='runs of each (default 2)')
    args = parser.parse_args()
    python = ROOT / '.venv' / 'bin' / 'python'
    ref_venv = HERE / '.venv-ref'
    if not python.exists() or not ref_venv.exists():
        print('run `make bench` once first (it sets up .venv and bench/.venv-ref)',
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix='bench-compare-') as tmp:
        old = Path(tmp) / 'tree'
        subprocess.run(['git', 'worktree', 'add', '--detach', str(old), args.rev], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            (old / 'bench' / '.venv-ref').symlink_to(ref_venv)
            names = [n for n in workloads(old) if n in set(workloads(ROOT))]
            if args.only:
                wanted = args.only.split(',')
                names = [n for n in names if n in wanted]
            runs: Dict[str, List[dict]] = {args.rev: [], 'HEAD': []}
            for i in range(args.repeat):
                for label, tree in ((args.rev, old), ('HEAD', ROOT)):
                    log = Path(tmp) / '{}-{}.log'.format(label, i)
                    print('[compare] run {} of {}: {}'.format(i + 1, args.repeat, label),
                          file=sys.stderr, flush=True)
                    runs[label].append(run_bench(tree, names, python, log))
        finally:
            subprocess.run(['git', 'worktree', 'remove', '--force', str(old)], cwd=ROOT,
                           capture_output=True)
    for what, title in (('wall_us', 'median wall time of the rounds: x faster than the '
                                    'reference, ours vs the floor'),
                        ('cpu_us', 'median client CPU time of the rounds: x less than the '
                                   'reference, ours vs the floor')):
        print(title)
        print('{:<32} {}'.format('workload', ' | '.join(
            '{} run {}'.format(label, i + 1).rjust(14) for label in runs
            for i in range(args.repeat))))
        for name in names:
            cells = [row(results[name], what) if name in results else '-'.rjust(14)
                     for label in runs for results in runs[label]]
            print('{:<32} {}'.format(name, ' | '.join(cells)))
        print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
