"""What every part of the launcher shares: fixed names and ports, errors, messages, locks."""
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux; locking is then best effort
    fcntl = None  # type: ignore[assignment]

MARKER_PROPERTY = 'pyignite.it.node'
HOST = '127.0.0.1'
KEYSTORE_PASSWORD = '123456'
CLIENT_KEY_PASSWORD = '654321'
DEFAULT_USERNAME = 'ignite'
DEFAULT_PASSWORD = 'ignite'

MB = 1024 * 1024
# The checkout: tools/ignite_launcher/common.py -> the repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]


class LauncherError(RuntimeError):
    """Base class of the launcher's errors."""


class LibsError(LauncherError):
    """The Ignite jars could not be resolved."""


class NodeStartError(LauncherError):
    """A node did not become ready; the message ends with the tail of its log."""


class ProtocolError(LauncherError):
    """A raw thin-client exchange failed.

    :ivar status: Ignite status code when the server sent one, else ``None``.
    """

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        self.status = status


def _note(message: str) -> None:
    print(f'[ignite_server] {message}', file=sys.stderr, flush=True)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise work on ``path`` between processes (two pytest runs, ``run`` + inner pytest)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'a') as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _java_tool(name: str) -> str:
    java_home = os.environ.get('JAVA_HOME')
    if java_home and (Path(java_home) / 'bin' / name).exists():
        return str(Path(java_home) / 'bin' / name)
    return name


def default_run_dir() -> Path:
    """Folder for logs, configs, work dirs and TLS material.

    ``$PYIGNITE_IT_RUN_DIR``, else ``.ignite-run/net-<id>/`` in the checkout. The network
    namespace id is part of the name because ports are per namespace: sandboxes sharing one
    checkout (and one process table) can each run the same layouts without touching the
    other's files, exactly as their ports don't collide.
    """
    env = os.environ.get('PYIGNITE_IT_RUN_DIR')
    if env:
        return Path(env).expanduser()
    try:
        netns = re.sub(r'\D', '', os.readlink('/proc/self/ns/net'))
    except OSError:
        netns = ''
    return REPO_ROOT / '.ignite-run' / (f'net-{netns}' if netns else 'local')
