"""The JVM processes of the nodes: their command line, the registry of running clusters that
is stopped at exit or on a signal, and finding and killing stray nodes."""
import atexit
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Protocol, Tuple

from .common import MARKER_PROPERTY, _note, default_run_dir


class _Stoppable(Protocol):
    """What the registry of running clusters needs of one (clusters.py imports this module,
    so it is not imported back)."""

    name: str

    def stop(self, grace: float = ...) -> None: ...


MAIN_CLASS = 'org.apache.ignite.startup.cmdline.CommandLineStartup'

# What bin/include/jvmdefaults.sh adds for Java >= 15; Ignite reaches into these JDK internals.
JAVA_OPENS = tuple('--add-opens=' + m + '=ALL-UNNAMED' for m in (
    'java.base/jdk.internal.access',
    'java.base/jdk.internal.misc',
    'java.base/sun.nio.ch',
    'java.base/sun.util.calendar',
    'java.management/com.sun.jmx.mbeanserver',
    'jdk.internal.jvmstat/sun.jvmstat.monitor',
    'java.base/sun.reflect.generics.reflectiveObjects',
    'jdk.management/com.sun.management.internal',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/java.net',
    'java.base/java.util',
    'java.base/java.util.concurrent',
    'java.base/java.util.concurrent.locks',
    'java.base/java.util.concurrent.atomic',
    'java.base/java.lang',
    'java.base/java.lang.invoke',
    'java.base/java.math',
    'java.sql/java.sql',
    'java.base/java.lang.reflect',
    'java.base/java.time',
    'java.base/java.text',
    'java.management/sun.management',
    'java.desktop/java.awt.font',
))

# Logging stays on Ignite's default JUL logger (no ignite-log4j2): in quiet mode it prints a few
# short lines per start, which is all the readiness checks read. IGNITE_ALLOW_ATOMIC_OPS_IN_TX
# is set to false, the default of 2.15 and later (2.14 and older allow atomic operations in a
# transaction by default): transactions in tests use TRANSACTIONAL caches, and a test that
# mixes in an atomic cache fails as it would against a stock current server.
JVM_OPTIONS = (
    '-server', '-Xms256m', '-Xmx768m', '-XX:MaxMetaspaceSize=256m',
    '-Djava.net.preferIPv4Stack=true', '-Dfile.encoding=UTF-8',
    '-DIGNITE_ALLOW_ATOMIC_OPS_IN_TX=false',
    '-DIGNITE_QUIET=true', '-DIGNITE_NO_ASCII=true', '-DIGNITE_UPDATE_NOTIFIER=false',
    '-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true', '-DIGNITE_JVM_PAUSE_DETECTOR_DISABLED=true',
)


_ACTIVE: Dict[int, _Stoppable] = {}
_ACTIVE_LOCK = threading.RLock()
_HOOKS_INSTALLED = False


def _register(cluster: _Stoppable) -> None:
    global _HOOKS_INSTALLED
    with _ACTIVE_LOCK:
        _ACTIVE[id(cluster)] = cluster
        if _HOOKS_INSTALLED:
            return
        _HOOKS_INSTALLED = True
    atexit.register(_stop_all)
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            previous = signal.getsignal(signum)
            if previous in (signal.SIG_IGN, None):  # ignored on purpose, or not set by Python
                continue
            signal.signal(signum, _make_signal_handler(previous))
        except (ValueError, OSError):  # not the main thread: atexit and `cleanup` still cover it
            pass


def _unregister(cluster: _Stoppable) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.pop(id(cluster), None)


def _stop_all() -> None:
    with _ACTIVE_LOCK:
        clusters = list(_ACTIVE.values())
    for cluster in clusters:
        try:
            cluster.stop(grace=0)
        except Exception as exc:  # keep stopping the others
            _note(f'failed to stop {cluster.name}: {exc}')


def _make_signal_handler(previous):
    def handler(signum, frame):
        _stop_all()
        if callable(previous):
            previous(signum, frame)  # e.g. Python's default SIGINT handler raises KeyboardInterrupt
        elif previous == signal.SIG_DFL:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
    return handler


def _die_with_parent_hook() -> Optional[Callable[[], None]]:
    """A ``preexec_fn`` that makes Linux SIGKILL the child when its parent thread ends.

    That covers a launcher killed with SIGKILL, where neither atexit nor signal handlers run.
    Everything is looked up here, in the parent: the hook runs between fork and exec, where
    importing or allocating much is unsafe.
    """
    try:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (ImportError, OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig, sigkill = 1, int(signal.SIGKILL)

    def hook() -> None:  # pragma: no cover - runs in the child
        prctl(pr_set_pdeathsig, sigkill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    return hook


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid: int) -> List[str]:
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as handle:
            raw = handle.read()
    except OSError:
        return []
    return [arg.decode('utf-8', 'replace') for arg in raw.split(b'\0') if arg]


def find_marked_processes() -> List[Tuple[int, str]]:
    """Running JVMs started by this launcher (any run): ``(pid, marker)`` pairs.

    Matches a whole argument ``-Dpyignite.it.node=...`` so shells that merely mention the
    marker (``pgrep -f pyignite.it.node``) are not reported.
    """
    prefix = f'-D{MARKER_PROPERTY}='
    found = []
    if os.path.isdir('/proc'):
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                for arg in _cmdline(int(entry)):
                    if arg.startswith(prefix):
                        found.append((int(entry), arg[len(prefix):]))
                        break
        return sorted(found)
    proc = subprocess.run(['ps', '-eo', 'pid=,args='], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout.splitlines():
        pid, _, args = line.strip().partition(' ')
        for arg in args.split():
            if arg.startswith(prefix):
                found.append((int(pid), arg[len(prefix):]))
                break
    return sorted(found)


def _kill_group(pid: int, signum: int) -> None:
    for kill in (lambda: os.killpg(pid, signum), lambda: os.kill(pid, signum)):
        try:
            kill()
            return
        except ProcessLookupError:
            return
        except PermissionError:
            continue


def _parent_pid(pid: int) -> Optional[int]:
    try:
        with open(f'/proc/{pid}/stat') as handle:
            # The command name (2nd field) may contain spaces; the ppid follows its ')'.
            return int(handle.read().rsplit(')', 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _is_orphan(pid: int, marker: str) -> bool:
    """True when the launcher that started ``pid`` (named in its marker) is not its parent."""
    owner = marker.rpartition('@')[2]
    if not owner.isdigit():
        return True
    parent = _parent_pid(pid)
    if parent is None:  # no /proc: fall back to "is the owner alive"
        return not _pid_alive(int(owner))
    return parent != int(owner)


def cleanup(run_dir: Optional[Path] = None, everything: bool = False,
            grace: float = 3.0) -> List[Tuple[int, str]]:
    """Kill stray nodes: JVMs with the launcher's marker whose launcher process is gone.

    :param run_dir: also drop this run dir's stale pidfiles (default run dir if ``None``).
    :param everything: kill every marked JVM, including those of launchers still running
        (other test runs on a shared machine!).
    :return: ``(pid, marker)`` of what was killed.
    """
    found = [(pid, marker) for pid, marker in find_marked_processes()
             if everything or _is_orphan(pid, marker)]
    for pid, _ in found:
        _kill_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_pid_alive(pid) for pid, _ in found):
        time.sleep(0.1)
    for pid, _ in found:
        if _pid_alive(pid):
            _kill_group(pid, signal.SIGKILL)
    pid_dir = Path(run_dir or default_run_dir()) / 'pids'
    for pidfile in (pid_dir.glob('*.pids') if pid_dir.is_dir() else ()):
        try:
            pids = [int(line.split()[0]) for line in pidfile.read_text().splitlines() if line]
        except (OSError, ValueError):
            continue
        if not any(_pid_alive(pid) for pid in pids):
            pidfile.unlink(missing_ok=True)
    return found
