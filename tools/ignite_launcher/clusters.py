"""Clusters of nodes on this machine (start, kill, restart, stop, wait until ready), the
predefined layouts of the port plan, and an externally started node."""
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .common import (
    DEFAULT_PASSWORD, DEFAULT_USERNAME, HOST, MARKER_PROPERTY, LauncherError, NodeStartError,
    ProtocolError, _java_tool, _note, default_run_dir, fcntl,
)
from .configs import SSL_MODES, render_config
from .libs import IgniteLibs, resolve_libs
from .probe import (
    STATE_ACTIVE, STATUS_AUTH_FAILED, HandshakeResult, RawConnection, handshake,
)
from .processes import (
    JAVA_OPENS, JVM_OPTIONS, MAIN_CLASS, _die_with_parent_hook, _kill_group, _port_open,
    _register, _unregister,
)
from .testjar import server_test_jar
from .tls import client_ssl_context, ensure_ssl_material

START_TIMEOUT = 90.0
STOP_GRACE = 10.0
STARTED_LINE = 'Ignite node started OK'
FAILED_LINE = 'Failed to start grid'
_TOPOLOGY_RE = re.compile(r'Topology snapshot \[ver=\d+, [^\]]*?servers=(\d+)')


@dataclass(frozen=True)
class Layout:
    """A predefined cluster: ports, size and security.

    :ivar nodes: nodes started by ``start()``.
    :ivar slots: nodes the port plan has room for (``start_node(i)`` for ``i < slots``).
    """

    name: str
    description: str
    client_port: int
    discovery_port: int
    communication_port: int
    nodes: int = 1
    slots: int = 1
    discovery_range: int = 10
    ssl: Optional[str] = None
    auth: bool = False
    compact_footer: bool = True
    tx_aware_queries: bool = False
    persistence: bool = False
    idle_timeout: int = 0


_LAYOUTS = (
    Layout('single', 'one in-memory node (examples, most tests)',
           client_port=10800, discovery_port=47500, communication_port=47100),
    Layout('cluster', 'in-memory cluster: 3 nodes started, a 4th slot for failover tests',
           client_port=10801, discovery_port=47600, communication_port=47200,
           nodes=3, slots=4, discovery_range=20),
    Layout('ssl', 'TLS on the client connector, no client certificate needed',
           client_port=10810, discovery_port=47700, communication_port=47300, ssl='server'),
    Layout('ssl-client-auth', 'TLS, client certificate required',
           client_port=10811, discovery_port=47710, communication_port=47310, ssl='client-auth'),
    Layout('auth', 'authentication (ignite/ignite), persistent, activated',
           client_port=10820, discovery_port=47720, communication_port=47320, auth=True),
    Layout('auth-ssl', 'authentication + TLS (no client certificate needed)',
           client_port=10821, discovery_port=47730, communication_port=47330,
           ssl='server', auth=True),
    Layout('full-footer', 'one in-memory node writing full schema footers (compactFooter=false)',
           client_port=10830, discovery_port=47740, communication_port=47340,
           compact_footer=False),
    Layout('tx-sql', 'one in-memory node with transaction-aware SQL '
           '(TransactionConfiguration.txAwareQueriesEnabled)',
           client_port=10870, discovery_port=47770, communication_port=47370,
           tx_aware_queries=True),
    Layout('persistent', 'one persistent node, activated (WAL control)',
           client_port=10880, discovery_port=47780, communication_port=47380, persistence=True),
    Layout('idle-timeout', 'one in-memory node that drops client connections idle for 2 s',
           client_port=10885, discovery_port=47790, communication_port=47390,
           idle_timeout=2000),
)


def layouts() -> Dict[str, Layout]:
    """The predefined layouts by name (a fresh dict)."""
    return {layout.name: layout for layout in _LAYOUTS}


def cluster_for_layout(name: str, **overrides) -> 'IgniteCluster':
    """An (unstarted) :class:`IgniteCluster` for a predefined layout.

    :param overrides: keyword arguments of :class:`IgniteCluster` to change (e.g. ``run_dir``).
    """
    try:
        layout = layouts()[name]
    except KeyError:
        raise ValueError(f'unknown layout {name!r}; known: {", ".join(layouts())}') from None
    kwargs = dict(nodes=layout.nodes, slots=layout.slots, client_port=layout.client_port,
                  discovery_port=layout.discovery_port, discovery_range=layout.discovery_range,
                  communication_port=layout.communication_port, ssl=layout.ssl, auth=layout.auth,
                  compact_footer=layout.compact_footer, tx_aware_queries=layout.tx_aware_queries,
                  persistence=layout.persistence, idle_timeout=layout.idle_timeout)
    kwargs.update(overrides)
    return IgniteCluster(name, **kwargs)


class _Node:
    """One node slot of a cluster (process handle, paths, timing)."""

    def __init__(self, cluster: 'IgniteCluster', idx: int):
        self.idx = idx
        self.name = f'{cluster.name}-{idx}'
        self.client_port = cluster.client_port + idx
        self.home = cluster.run_dir / 'nodes' / self.name
        self.work_dir = self.home / 'work'
        self.config_path = self.home / 'config.xml'
        self.log_path = cluster.run_dir / 'logs' / f'{self.name}.log'
        self.proc: Optional[subprocess.Popen] = None
        self.log_offset = 0
        self.start_seconds: Optional[float] = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def new_log(self) -> str:
        """Log text written since this node's latest start."""
        try:
            with open(self.log_path, 'rb') as handle:
                handle.seek(self.log_offset)
                return handle.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def log_tail(self, lines: int = 40) -> str:
        return '\n'.join(self.new_log().splitlines()[-lines:])


class IgniteCluster:
    """A set of Ignite server nodes on this machine, sharing one discovery port range.

    Node ``i`` (0-based) listens for thin clients on ``client_port + i``. Use as a context
    manager or call :meth:`start` / :meth:`stop`.

    :param name: cluster name; node ``i`` is called ``<name>-<i>`` (instance name,
        consistent id, log and work dir names).
    :param nodes: nodes started by :meth:`start`.
    :param slots: nodes the cluster may have (``start_node(i)`` accepts ``i < slots``);
        default ``nodes``.
    :param client_port: thin-client port of node 0.
    :param discovery_port: first discovery port; the cluster owns ``discovery_range`` ports
        from there, so clusters with disjoint ranges never merge.
    :param discovery_range: see ``discovery_port``; default ``max(10, slots)``.
    :param communication_port: first communication port (same range size).
    :param ssl: ``None``, ``'server'`` (TLS on the client connector) or ``'client-auth'``
        (TLS, client certificate required).
    :param auth: authentication with user ignite/ignite; the cluster is persistent and is
        activated by :meth:`start`.
    :param compact_footer: False: the nodes write binary objects with full schema footers.
    :param tx_aware_queries: SQL may run inside client transactions (Ignite 2.17 and later).
    :param persistence: a persistent default region (the cluster is activated by
        :meth:`start`, as with ``auth``).
    :param idle_timeout: the client connector's idle timeout, ms (0: none).
    :param run_dir: folder for logs, configs, work dirs, TLS material and pidfiles.
    :param version: Ignite version (see :func:`resolve_libs`).
    :param failure_detection_timeout: ms; 5000 instead of Ignite's 10000 so failover tests
        wait less for a killed node to leave, yet well above GC or scheduling stalls of an
        idle node with a 768 MB heap on two shared cores.
    :param start_timeout: seconds one node may take to become ready.
    :param jvm_options: extra JVM options (after the defaults and ``PYIGNITE_IT_JVM_OPTS``).
    :param die_with_parent: on Linux, have the kernel SIGKILL each JVM when the thread that
        started it ends (so even a SIGKILLed test run leaves no node behind); turn off when
        starting nodes from a short-lived thread.
    :param thin_compute: thin clients may run compute tasks (False: Ignite's default,
        compute disabled for them).
    """

    def __init__(self, name: str, nodes: int = 1, *, slots: Optional[int] = None,
                 client_port: int = 10800, discovery_port: int = 47500,
                 discovery_range: Optional[int] = None, communication_port: int = 47100,
                 ssl: Optional[str] = None, auth: bool = False, compact_footer: bool = True,
                 tx_aware_queries: bool = False, persistence: bool = False,
                 idle_timeout: int = 0,
                 run_dir: Optional[os.PathLike] = None, version: Optional[str] = None,
                 failure_detection_timeout: int = 5000, start_timeout: Optional[float] = None,
                 jvm_options: Sequence[str] = (), die_with_parent: bool = True,
                 thin_compute: bool = True):
        if not re.fullmatch(r'[A-Za-z0-9_.-]+', name):
            raise ValueError(f'cluster name {name!r}: use letters, digits, ".", "_", "-"')
        if ssl not in SSL_MODES:
            raise ValueError(f'ssl must be one of {SSL_MODES}, not {ssl!r}')
        self.name = name
        self.nodes = nodes
        self.slots = max(nodes, slots or nodes)
        self.client_port = client_port
        self.discovery_port = discovery_port
        self.discovery_range = discovery_range or max(10, self.slots)
        if self.discovery_range < self.slots:
            raise ValueError('discovery_range must cover every slot')
        self.communication_port = communication_port
        self.ssl = ssl
        self.auth = auth
        self.compact_footer = compact_footer
        self.tx_aware_queries = tx_aware_queries
        self.thin_compute = thin_compute
        self.persistence = persistence
        self.idle_timeout = idle_timeout
        self.run_dir = Path(run_dir or default_run_dir()).resolve()
        self.version = version
        self.failure_detection_timeout = failure_detection_timeout
        env_timeout = os.environ.get('PYIGNITE_IT_START_TIMEOUT')
        self.start_timeout = start_timeout or (float(env_timeout) if env_timeout else START_TIMEOUT)
        self.jvm_options = tuple(shlex.split(os.environ.get('PYIGNITE_IT_JVM_OPTS', ''))) \
            + tuple(jvm_options)
        self.die_with_parent = die_with_parent and sys.platform.startswith('linux')
        self.host = HOST
        self.username = DEFAULT_USERNAME if auth else None
        self.password = DEFAULT_PASSWORD if auth else None
        self.libs: Optional[IgniteLibs] = None
        #: the server-side test code (``tools/java``), on every node's classpath
        self.test_jar: Optional[Path] = None
        self._ssl_files: Dict[str, Path] = {}
        self._nodes = [_Node(self, i) for i in range(self.slots)]
        self._lock = threading.RLock()
        self._claim_file = None

    def __repr__(self) -> str:
        return (f'IgniteCluster({self.name!r}, ports={self.slot_ports}, ssl={self.ssl!r}, '
                f'auth={self.auth}, running={self.running_nodes})')

    def __enter__(self) -> 'IgniteCluster':
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ---- facts -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """Thin-client port of the first running node (node 0's port when none runs)."""
        ports = self.client_ports
        return ports[0] if ports else self.client_port

    @property
    def client_ports(self) -> List[int]:
        """Thin-client ports of the nodes running now."""
        return [n.client_port for n in self._nodes if n.running]

    @property
    def slot_ports(self) -> List[int]:
        """Thin-client ports of every slot, running or not."""
        return [n.client_port for n in self._nodes]

    @property
    def endpoints(self) -> List[Tuple[str, int]]:
        """``(host, port)`` of the nodes running now."""
        return [(self.host, p) for p in self.client_ports]

    @property
    def running_nodes(self) -> List[int]:
        """Indexes of the nodes running now."""
        return [n.idx for n in self._nodes if n.running]

    @property
    def ssl_files(self) -> Dict[str, Path]:
        """TLS material (CA, client PEMs, server stores); created on first use."""
        if not self._ssl_files:
            self._ssl_files = ensure_ssl_material(self.run_dir / 'ssl')
        return dict(self._ssl_files)

    @property
    def start_times(self) -> Dict[int, float]:
        """Seconds each node took (latest start) from spawn to a successful handshake."""
        return {n.idx: n.start_seconds for n in self._nodes if n.start_seconds is not None}

    def log_path(self, idx: int) -> Path:
        """The node's log (stdout + stderr of its JVM; kept after :meth:`stop`)."""
        return self._node(idx).log_path

    def work_dir(self, idx: int) -> Path:
        """The node's Ignite work directory (wiped by :meth:`stop`)."""
        return self._node(idx).work_dir

    def config_path(self, idx: int) -> Path:
        """The node's generated Spring XML."""
        return self._node(idx).config_path

    def pid(self, idx: int) -> Optional[int]:
        """The node's JVM pid while it runs."""
        node = self._node(idx)
        return node.proc.pid if node.running else None

    def is_running(self, idx: int) -> bool:
        """Whether the node's JVM is alive."""
        return self._node(idx).running

    def ssl_context(self, client_cert: bool = True,
                    verify: bool = True) -> Optional[ssl.SSLContext]:
        """Client TLS context for this cluster (``None`` without TLS)."""
        if not self.ssl:
            return None
        return client_ssl_context(self.ssl_files, client_cert=client_cert, verify=verify)

    def probe(self, idx: int = 0, username: Optional[str] = None, password: Optional[str] = None,
              timeout: float = 5.0) -> HandshakeResult:
        """Raw handshake with node ``idx`` (the cluster's own credentials by default)."""
        if username is None and password is None:
            username, password = self.username, self.password
        return handshake(self.host, self._node(idx).client_port, username, password,
                         self.ssl_context(), timeout)

    def connect_raw(self, idx: int = 0) -> RawConnection:
        """A handshaken :class:`RawConnection` to node ``idx`` (caller closes it)."""
        conn = RawConnection(self.host, self._node(idx).client_port, self.username,
                             self.password, self.ssl_context())
        result = conn.connect()
        if not result.ok:
            raise ProtocolError(f'handshake with {self._node(idx).name} failed: '
                                f'{result.message}', result.status)
        return conn

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> 'IgniteCluster':
        """Wipe old state, start ``nodes`` nodes one by one, activate an auth cluster.

        :raises NodeStartError: (after stopping what was started) if a node fails.
        """
        with self._lock:
            if self.running_nodes:
                raise LauncherError(f'cluster {self.name} is already running')
            self._claim()
            try:
                for node in self._nodes[:self.nodes]:
                    self._check_port_free(node)
                self.libs = resolve_libs(self.version)
                self.test_jar = server_test_jar(self.libs)
                if self.ssl:
                    self._ssl_files = ensure_ssl_material(self.run_dir / 'ssl')
            except BaseException:
                self._release()
                raise
            for node in self._nodes:
                shutil.rmtree(node.home, ignore_errors=True)
                node.log_path.parent.mkdir(parents=True, exist_ok=True)
                node.log_path.write_bytes(b'')
            _register(self)
            try:
                for idx in range(self.nodes):
                    self._start_node(idx)
                if self.auth or self.persistence:
                    self.activate()
            except BaseException:
                self.stop(grace=0)
                raise
            return self

    def start_node(self, idx: int) -> None:
        """Start (or restart after :meth:`kill_node`) node ``idx`` and wait until it is ready."""
        with self._lock:
            if self._node(idx).running:
                raise LauncherError(f'node {self._node(idx).name} is already running')
            self._claim()
            if self.libs is None:
                self.libs = resolve_libs(self.version)
                self.test_jar = server_test_jar(self.libs)
            if self.ssl and not self._ssl_files:
                self._ssl_files = ensure_ssl_material(self.run_dir / 'ssl')
            _register(self)
            self._start_node(idx)
            if self.auth or self.persistence:
                self.activate()

    def kill_node(self, idx: int) -> None:
        """SIGKILL node ``idx`` (a crash, for failover tests); its work dir stays."""
        with self._lock:
            node = self._node(idx)
            if node.proc is not None:
                _kill_group(node.proc.pid, signal.SIGKILL)
                node.proc.wait()
            self._write_pidfile()

    def stop_node(self, idx: int, grace: float = STOP_GRACE) -> None:
        """Stop node ``idx`` gracefully (SIGTERM, then SIGKILL after ``grace`` seconds)."""
        with self._lock:
            self._terminate([self._node(idx)], grace)
            self._write_pidfile()

    def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop every node (SIGTERM, SIGKILL after ``grace`` s) and wipe the work dirs.

        Logs stay. Safe to call more than once.
        """
        with self._lock:
            self._terminate(self._nodes, grace)
            for node in self._nodes:
                shutil.rmtree(node.home, ignore_errors=True)
            (self.run_dir / 'pids' / f'{self.name}.pids').unlink(missing_ok=True)
            _unregister(self)
            self._release()

    def activate(self, timeout: Optional[float] = None) -> None:
        """Make the cluster ACTIVE (a persistent cluster starts INACTIVE) and wait for it."""
        deadline = time.monotonic() + (timeout or self.start_timeout)
        idx = self.running_nodes[0]
        with self.connect_raw(idx) as conn:
            if conn.cluster_state() == STATE_ACTIVE:
                return
            conn.set_cluster_state(STATE_ACTIVE)
            while conn.cluster_state() != STATE_ACTIVE:
                if time.monotonic() > deadline:
                    raise LauncherError(f'cluster {self.name} did not become active')
                time.sleep(0.2)

    # ---- internals -------------------------------------------------------------------------

    def _node(self, idx: int) -> _Node:
        if not 0 <= idx < self.slots:
            raise IndexError(f'cluster {self.name} has node slots 0..{self.slots - 1}, not {idx}')
        return self._nodes[idx]

    def _claim(self) -> None:
        """Own this cluster name in this run dir, so no other process wipes our work dirs."""
        if self._claim_file is not None:
            return
        path = self.run_dir / 'locks' / f'{self.name}.lock'
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, 'a+')
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                owner = handle.read().strip() or '?'
                handle.close()
                raise LauncherError(f'cluster {self.name} in {self.run_dir} is in use by process '
                                    f'{owner}; stop it or use another run_dir') from None
        handle.seek(0)
        handle.truncate()
        handle.write(f'{os.getpid()}\n')
        handle.flush()
        self._claim_file = handle

    def _release(self) -> None:
        if self._claim_file is not None:
            self._claim_file.close()  # closing drops the flock
            self._claim_file = None

    def _check_port_free(self, node: _Node) -> None:
        if _port_open(self.host, node.client_port):
            raise NodeStartError(f'{node.name}: port {node.client_port} is already in use '
                                 f'(a node of another run? see `ignite_server.py cleanup`)')

    def _java(self) -> str:
        return _java_tool('java')

    def _command(self, node: _Node) -> List[str]:
        assert self.libs is not None
        marker = f'{node.name}@{os.getpid()}'
        classpath = self.libs.classpath
        if self.test_jar is not None:
            classpath += os.pathsep + str(self.test_jar)
        return [self._java(), *JAVA_OPENS, *JVM_OPTIONS,
                f'-DIGNITE_HOME={node.home}', f'-D{MARKER_PROPERTY}={marker}',
                *self.jvm_options,
                '-cp', classpath, MAIN_CLASS, str(node.config_path)]

    def _start_node(self, idx: int) -> None:
        node = self._node(idx)
        self._check_port_free(node)
        node.work_dir.mkdir(parents=True, exist_ok=True)
        node.config_path.write_text(render_config(
            node.name, node.work_dir, node.client_port, self.discovery_port,
            self.discovery_range, self.communication_port, ssl_mode=self.ssl,
            ssl_files=self._ssl_files or None, auth=self.auth,
            failure_detection_timeout=self.failure_detection_timeout,
            compact_footer=self.compact_footer, tx_aware_queries=self.tx_aware_queries,
            thin_compute=self.thin_compute, services=self.test_jar is not None,
            persistence=self.persistence, idle_timeout=self.idle_timeout))
        node.log_path.parent.mkdir(parents=True, exist_ok=True)
        node.log_offset = node.log_path.stat().st_size if node.log_path.exists() else 0
        env = dict(os.environ)
        # Lower priority than workDirectory anyway, but don't let a stray value confuse anyone.
        env.pop('IGNITE_WORK_DIR', None)
        env.pop('IGNITE_HOME', None)
        started = time.monotonic()
        with open(node.log_path, 'ab') as log:
            node.proc = subprocess.Popen(
                self._command(node), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=str(node.home), env=env,
                start_new_session=True,
                preexec_fn=_die_with_parent_hook() if self.die_with_parent else None)
        self._write_pidfile()
        try:
            self._wait_ready(node, started + self.start_timeout)
        except BaseException:
            if node.proc.poll() is None:
                _kill_group(node.proc.pid, signal.SIGKILL)
                node.proc.wait()
            self._write_pidfile()
            raise
        node.start_seconds = time.monotonic() - started

    def _fail(self, node: _Node, why: str) -> NodeStartError:
        return NodeStartError(f'{node.name} (client port {node.client_port}) {why}; '
                              f'log {node.log_path}:\n{node.log_tail()}')

    def _wait_ready(self, node: _Node, deadline: float) -> None:
        assert node.proc is not None
        # 1. The node says it started (or that it could not).
        while True:
            text = node.new_log()
            if FAILED_LINE in text:
                raise self._fail(node, 'failed to start')
            if node.proc.poll() is not None:
                raise self._fail(node, f'exited with code {node.proc.returncode} while starting')
            if STARTED_LINE in text:
                break
            if time.monotonic() > deadline:
                raise self._fail(node, f'did not start within {self.start_timeout:.0f} s')
            time.sleep(0.1)
        # 2. It answers a real handshake (the port alone opens before the node has joined).
        ssl_context = self.ssl_context()
        while True:
            try:
                result = handshake(self.host, node.client_port, self.username, self.password,
                                   ssl_context, timeout=5.0)
                if result.ok:
                    break
                last = f'handshake refused: status {result.status} {result.message}'
                if result.status == STATUS_AUTH_FAILED:
                    raise self._fail(node, last)
            except (OSError, ProtocolError) as exc:
                last = f'handshake error: {exc!r}'
            if node.proc.poll() is not None:
                raise self._fail(node, f'exited with code {node.proc.returncode}')
            if time.monotonic() > deadline:
                raise self._fail(node, f'not ready within {self.start_timeout:.0f} s ({last})')
            time.sleep(0.2)
        # 3. It sees every server we believe is running (a lone node would happily form its
        #    own cluster if discovery were misconfigured).
        expected = len(self.running_nodes)
        while True:
            counts = [int(m) for m in _TOPOLOGY_RE.findall(node.new_log())]
            if counts and counts[-1] >= expected:
                return
            if node.proc.poll() is not None:
                raise self._fail(node, f'exited with code {node.proc.returncode}')
            if time.monotonic() > deadline:
                raise self._fail(node, f'topology shows {counts[-1] if counts else "no"} '
                                       f'servers, expected {expected}')
            time.sleep(0.2)

    def _terminate(self, nodes: Sequence[_Node], grace: float) -> None:
        live = [n for n in nodes if n.running]
        for node in live:
            _kill_group(node.proc.pid, signal.SIGTERM if grace > 0 else signal.SIGKILL)
        deadline = time.monotonic() + grace
        for node in live:
            try:
                node.proc.wait(timeout=max(0.0, deadline - time.monotonic()) if grace > 0 else None)
            except subprocess.TimeoutExpired:
                _note(f'{node.name} ignored SIGTERM for {grace:.0f} s; killing it')
                _kill_group(node.proc.pid, signal.SIGKILL)
                node.proc.wait()

    def _write_pidfile(self) -> None:
        pid_dir = self.run_dir / 'pids'
        pid_dir.mkdir(parents=True, exist_ok=True)
        lines = [f'{n.proc.pid} {n.name}\n' for n in self._nodes if n.running]
        pidfile = pid_dir / f'{self.name}.pids'
        if lines:
            pidfile.write_text(''.join(lines))
        else:
            pidfile.unlink(missing_ok=True)


@dataclass
class ExternalNode:
    """A node somebody else started (``PYIGNITE_IT_EXTERNAL=1``): address facts only."""

    host: str = HOST
    port: int = 10800
    username: Optional[str] = None
    password: Optional[str] = None
    ssl_files: Dict[str, Path] = field(default_factory=dict)

    @property
    def client_ports(self) -> List[int]:
        return [self.port]

    @property
    def endpoints(self) -> List[Tuple[str, int]]:
        return [(self.host, self.port)]

    def probe(self, timeout: float = 5.0) -> HandshakeResult:
        """Raw handshake with the node."""
        return handshake(self.host, self.port, self.username, self.password, timeout=timeout)
