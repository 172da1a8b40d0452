"""The command line: ``python tools/ignite_server.py libs|layouts|start|run|cleanup``."""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from .clusters import IgniteCluster, cluster_for_layout, layouts
from .common import LauncherError, _note
from .libs import DEFAULT_IGNITE_VERSION, resolve_libs
from .processes import cleanup


def _start_layouts(names: Sequence[str], run_dir: Optional[Path], nodes: Optional[int],
                   out: Callable[[str], None]) -> List[IgniteCluster]:
    clusters = []
    try:
        for name in names:
            overrides = {'run_dir': run_dir}
            if nodes is not None:
                slots = layouts()[name].slots if name in layouts() else nodes
                overrides.update(nodes=nodes, slots=max(nodes, slots))
            cluster = cluster_for_layout(name, **overrides)
            clusters.append(cluster)
            cluster.start()
            times = ', '.join(f'{t:.1f}' for t in cluster.start_times.values())
            out(f'{name}: ports {cluster.client_ports} ready (start seconds per node: {times}); '
                f'{cluster.libs.describe()}; logs {cluster.log_path(0).parent}')
    except BaseException:
        for cluster in clusters:
            cluster.stop(grace=0)
        raise
    return clusters


def _cmd_libs(args) -> int:
    libs = resolve_libs(args.version)
    _note(libs.describe())
    print(libs.dirs[0] if len(libs.dirs) == 1 else libs.classpath)
    return 0


def _cmd_layouts(args) -> int:
    print(f'{"layout":16} {"client ports":14} {"discovery":12} {"comm":12} '
          f'{"nodes":6} {"ssl":12} {"auth":5} description')
    for lay in layouts().values():
        ports = f'{lay.client_port}' if lay.slots == 1 else \
            f'{lay.client_port}..{lay.client_port + lay.slots - 1}'
        disc = f'{lay.discovery_port}..{lay.discovery_port + lay.discovery_range - 1}'
        comm = f'{lay.communication_port}..{lay.communication_port + lay.discovery_range - 1}'
        print(f'{lay.name:16} {ports:14} {disc:12} {comm:12} {f"{lay.nodes}/{lay.slots}":6} '
              f'{lay.ssl or "-":12} {"yes" if lay.auth else "-":5} {lay.description}')
    return 0


def _cmd_start(args) -> int:
    clusters = _start_layouts(args.layout or ['single'], args.run_dir, args.nodes, print)
    print('nodes are running; press Ctrl-C to stop', flush=True)
    try:
        while True:
            time.sleep(1.0)
            for cluster in clusters:
                if len(cluster.running_nodes) < cluster.nodes:
                    _note(f'{cluster.name}: running nodes now {cluster.running_nodes}')
    except KeyboardInterrupt:
        pass
    finally:
        for cluster in clusters:
            cluster.stop()
    return 0


def _cmd_run(args) -> int:
    command = list(args.command)
    if command and command[0] == '--':
        command = command[1:]
    if not command:
        print('run: give the command after "--"', file=sys.stderr)
        return 2
    names = args.layout or ['single']
    clusters = _start_layouts(names, args.run_dir, args.nodes, lambda s: _note(s))
    env = dict(os.environ)
    if 'single' in names:
        # A pytest run inside uses this node instead of starting its own on the same port.
        env['PYIGNITE_IT_EXTERNAL'] = '1'
    try:
        return subprocess.call(command, env=env)
    except FileNotFoundError:
        print(f'run: command not found: {command[0]}', file=sys.stderr)
        return 127
    finally:
        for cluster in clusters:
            cluster.stop()


def _cmd_cleanup(args) -> int:
    found = cleanup(args.run_dir, everything=args.all)
    for pid, marker in found:
        print(f'killed stray Ignite node pid {pid} ({marker})')
    if args.check and found:
        print(f'FAIL: {len(found)} Ignite node(s) were left running', file=sys.stderr)
        return 1
    if not found:
        print('no stray Ignite nodes')
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """CLI entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog='ignite_server.py',
        description='Start and stop real Apache Ignite 2.x server nodes for pyignite\'s tests.')
    sub = parser.add_subparsers(dest='cmd', required=True)

    p = sub.add_parser('libs', help='resolve the Ignite jars and print their folder')
    p.add_argument('--version', help='Ignite version (default $IGNITE_VERSION or '
                   f'{DEFAULT_IGNITE_VERSION})')
    p.set_defaults(func=_cmd_libs)

    p = sub.add_parser('layouts', help='print the predefined layouts (port plan)')
    p.set_defaults(func=_cmd_layouts)

    for name, func, text in (('start', _cmd_start, 'start layouts, stay in the foreground'),
                             ('run', _cmd_run, 'start layouts, run a command, stop')):
        p = sub.add_parser(name, help=text)
        p.add_argument('--layout', action='append', choices=list(layouts()),
                       help='layout to start (repeatable; default single)')
        p.add_argument('--nodes', type=int, help='override the number of nodes started')
        p.add_argument('--run-dir', type=Path,
                       help='default $PYIGNITE_IT_RUN_DIR or .ignite-run/ in the checkout')
        if name == 'run':
            p.add_argument('command', nargs=argparse.REMAINDER, help='-- CMD ARGS...')
        p.set_defaults(func=func)

    p = sub.add_parser('cleanup', help='kill stray nodes (their launcher process is gone)')
    p.add_argument('--check', action='store_true', help='exit 1 if any were found')
    p.add_argument('--all', action='store_true',
                   help='kill every marked node, even those of live launchers')
    p.add_argument('--run-dir', type=Path, help='run dir whose pidfiles to drop')
    p.set_defaults(func=_cmd_cleanup)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except LauncherError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
