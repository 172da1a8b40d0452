#!/usr/bin/env python3
"""Start and stop real Apache Ignite 2.x server nodes for pyignite's tests, examples and benchmarks.

The module is importable (``IgniteCluster``, ``layouts()``, ``handshake()``) and a command line
tool::

    python tools/ignite_server.py libs                      # resolve the jars, print their folder
    python tools/ignite_server.py layouts                   # print the predefined port plan
    python tools/ignite_server.py start --layout single     # run nodes until Ctrl-C
    python tools/ignite_server.py run --layout single -- CMD ARGS...
    python tools/ignite_server.py cleanup [--check]         # kill stray nodes left by any run

It depends on the standard library only: it must work while the ``pyignite`` package itself does
not, so the readiness probe speaks the thin-client handshake over a raw socket.

Environment:

* ``IGNITE_VERSION`` -- Ignite version fetched from Maven (default ``DEFAULT_IGNITE_VERSION``).
  Nodes of 2.18.0 and later run the Calcite SQL engine (``ignite-calcite``), older ones H2
  (``ignite-indexing``);
* ``IGNITE_HOME`` -- use the jars of an unpacked binary release instead of Maven (``libs/``
  and its sub-folders, as the release's ``bin/ignite.sh`` does);
* ``PYIGNITE_IT_CACHE`` -- where resolved jars are kept (default ``~/.cache/pyignite-it``);
* ``PYIGNITE_IT_RUN_DIR`` -- logs, configs, work dirs, TLS material, pidfiles
  (default ``.ignite-run/net-<network namespace id>/`` in the checkout; git-ignored);
* ``PYIGNITE_IT_START_TIMEOUT`` -- seconds one node may take to become ready (default 90);
* ``PYIGNITE_IT_JVM_OPTS`` -- extra JVM options appended to every node's command line;
* ``MVN`` -- the Maven executable (default ``mvn``).
"""
import argparse
import atexit
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape as _xml_escape

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux; locking is then best effort
    fcntl = None

__all__ = [
    'DEFAULT_IGNITE_VERSION', 'FALLBACK_IGNITE_VERSION', 'MARKER_PROPERTY', 'HOST',
    'KEYSTORE_PASSWORD', 'CLIENT_KEY_PASSWORD', 'DEFAULT_USERNAME', 'DEFAULT_PASSWORD',
    'LauncherError', 'LibsError', 'NodeStartError', 'ProtocolError',
    'IgniteLibs', 'resolve_libs', 'libs_from_home', 'engine_for_version', 'detect_engine',
    'version_tuple', 'cache_root', 'default_run_dir',
    'Layout', 'layouts', 'cluster_for_layout', 'IgniteCluster', 'ExternalNode',
    'render_config', 'ensure_ssl_material', 'client_ssl_context',
    'HandshakeResult', 'RawConnection', 'handshake',
    'find_marked_processes', 'cleanup', 'main',
]

DEFAULT_IGNITE_VERSION = '2.18.0'
# The newest version with the H2 SQL engine, selectable with IGNITE_VERSION.
FALLBACK_IGNITE_VERSION = '2.17.0'
# From this version on, nodes from Maven get the Calcite engine: ignite-indexing (H2) is not
# published for 2.18.0.
CALCITE_SINCE = (2, 18)
ENGINE_MODULES = {'calcite': 'ignite-calcite', 'h2': 'ignite-indexing'}
ENGINE_NAMES = {'calcite': 'Calcite', 'h2': 'H2'}
H2_VERSION = '1.4.197'
DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1'

MARKER_PROPERTY = 'pyignite.it.node'
HOST = '127.0.0.1'
KEYSTORE_PASSWORD = '123456'
CLIENT_KEY_PASSWORD = '654321'
DEFAULT_USERNAME = 'ignite'
DEFAULT_PASSWORD = 'ignite'

START_TIMEOUT = 90.0
STOP_GRACE = 10.0
MAIN_CLASS = 'org.apache.ignite.startup.cmdline.CommandLineStartup'
STARTED_LINE = 'Ignite node started OK'
FAILED_LINE = 'Failed to start grid'
_TOPOLOGY_RE = re.compile(r'Topology snapshot \[ver=\d+, [^\]]*?servers=(\d+)')

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

MB = 1024 * 1024
REPO_ROOT = Path(__file__).resolve().parent.parent


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


# --------------------------------------------------------------------------------------------
# Jars
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IgniteLibs:
    """Where the server's jars are.

    :ivar version: Ignite version (``'home'`` when taken from ``IGNITE_HOME``).
    :ivar dirs: folders whose ``*.jar`` make up the classpath.
    :ivar engine: the SQL engine those jars give a node: ``'calcite'``, ``'h2'`` or ``None``
        (no engine module: SQL fails on such a node).
    """

    version: str
    dirs: Tuple[Path, ...]
    engine: Optional[str] = None

    @property
    def classpath(self) -> str:
        """Classpath string for ``java -cp`` (wildcard entries)."""
        return os.pathsep.join(str(d / '*') for d in self.dirs)

    def describe(self) -> str:
        """One line for people: version and SQL engine."""
        engine = ENGINE_NAMES.get(self.engine, 'no SQL engine')
        source = 'IGNITE_HOME ' + str(self.dirs[0].parent) if self.version == 'home' \
            else f'Apache Ignite {self.version}'
        return f'{source}, SQL engine: {engine}'


def version_tuple(version: str) -> Tuple[int, ...]:
    """``'2.18.0'`` -> ``(2, 18, 0)``; anything after the digits (``-SNAPSHOT``) is ignored."""
    parts = []
    for part in version.split('.'):
        digits = re.match(r'\d+', part)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def engine_for_version(version: str) -> str:
    """The SQL engine the launcher gives a node of ``version`` fetched from Maven.

    2.18.0 and later are not published with ``ignite-indexing`` (the H2 engine), so they get
    ``ignite-calcite``; older versions keep H2, the engine their users run by default.
    """
    return 'calcite' if version_tuple(version) >= CALCITE_SINCE else 'h2'


def detect_engine(dirs: Sequence[Path]) -> Optional[str]:
    """The SQL engine a node with these jar folders on its classpath runs.

    With no query engine configured, a node with ``ignite-indexing`` uses H2 (also when
    ``ignite-calcite`` is there too); with only ``ignite-calcite`` it uses Calcite.
    """
    names = [p.name for d in dirs for p in Path(d).glob('*.jar')]
    if any(n.startswith('ignite-indexing-') for n in names):
        return 'h2'
    if any(n.startswith('ignite-calcite-') for n in names):
        return 'calcite'
    return None


def cache_root() -> Path:
    """Folder that keeps resolved jars between runs."""
    env = os.environ.get('PYIGNITE_IT_CACHE')
    return Path(env).expanduser() if env else Path.home() / '.cache' / 'pyignite-it'


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


_POM_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tools/ignite_server.py: only used to let Maven resolve the server's jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.pyignite.it</groupId>
  <artifactId>ignite-server-libs</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>{management}
  <dependencies>
{deps}
  </dependencies>
</project>
"""

# ignite-indexing is written against this exact H2; a newer one breaks the SQL engine.
_POM_H2_PIN = """
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.h2database</groupId>
        <artifactId>h2</artifactId>
        <version>{h2}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>"""

_POM_DEPENDENCY = """    <dependency>
      <groupId>org.apache.ignite</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{version}</version>
    </dependency>"""

_LIBS_MEMO: Dict[Tuple[str, str], IgniteLibs] = {}


def resolve_libs(version: Optional[str] = None) -> IgniteLibs:
    """Find or fetch the server jars.

    ``IGNITE_HOME`` (a binary release with ``libs/``) wins; otherwise Maven resolves
    ignite-core, ignite-spring and the SQL engine module of ``version`` (ignite-calcite from
    2.18.0 on, ignite-indexing before) once into the cache folder.

    :param version: Ignite version; default ``IGNITE_VERSION`` or ``DEFAULT_IGNITE_VERSION``.
    :raises LibsError: when nothing usable can be resolved.
    """
    home = os.environ.get('IGNITE_HOME', '')
    requested = version or os.environ.get('IGNITE_VERSION') or DEFAULT_IGNITE_VERSION
    key = (home, requested)
    if key not in _LIBS_MEMO:
        if home and (Path(home) / 'libs').is_dir():
            _LIBS_MEMO[key] = libs_from_home(Path(home))
        else:
            _LIBS_MEMO[key] = _libs_from_maven(requested)
    return _LIBS_MEMO[key]


def libs_from_home(home: Path) -> IgniteLibs:
    """The classpath ``bin/ignite.sh`` of a binary release builds: ``libs/`` and each of its
    sub-folders except ``libs/optional``.

    A release whose default folders hold no SQL engine (the engines may ship as optional
    modules) also gets ``libs/optional/ignite-calcite`` or, failing that,
    ``libs/optional/ignite-indexing``, so SQL works as it does on a node from Maven.
    """
    libs = Path(home) / 'libs'
    dirs = [libs] + sorted(d for d in libs.iterdir() if d.is_dir() and d.name != 'optional')
    if detect_engine(dirs) is None:
        for module in ('ignite-calcite', 'ignite-indexing'):
            optional = libs / 'optional' / module
            if optional.is_dir():
                _note(f'{libs} has no SQL engine; adding {optional}')
                dirs.append(optional)
                break
    dirs = [d.resolve() for d in dirs]
    return IgniteLibs('home', tuple(dirs), detect_engine(dirs))


def _libs_from_maven(version: str) -> IgniteLibs:
    engine = engine_for_version(version)
    # One folder per version and module set, so what is cached for one never hides the other.
    base = cache_root() / f'ignite-{version}-{engine}'
    libs = base / 'libs'
    done = base / '.resolved'
    with _file_lock(base / '.lock'):
        if done.is_file() and detect_engine([libs]) == engine:
            return IgniteLibs(version, (libs.resolve(),), engine)
        mvn = os.environ.get('MVN', 'mvn')
        if shutil.which(mvn) is None:
            raise LibsError(f'Maven ({mvn}) not found: install it or set IGNITE_HOME')
        pom = base / 'pom.xml'
        modules = ('ignite-core', 'ignite-spring', ENGINE_MODULES[engine])
        deps = '\n'.join(_POM_DEPENDENCY.format(artifact=a, version=version) for a in modules)
        pom.write_text(_POM_TEMPLATE.format(
            version=version, deps=deps,
            management=_POM_H2_PIN.format(h2=H2_VERSION) if engine == 'h2' else ''))
        shutil.rmtree(libs, ignore_errors=True)
        cmd = [mvn, '-B', '-q', '-Dstyle.color=never', '-f', str(pom),
               f'{DEPENDENCY_PLUGIN}:copy-dependencies', '-DincludeScope=runtime',
               f'-DoutputDirectory={libs}']
        _note(f'resolving Apache Ignite {version} jars ({", ".join(modules)}) with Maven '
              f'into {libs} ...')
        started = time.monotonic()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
        output = proc.stdout.decode('utf-8', 'replace')
        if proc.returncode != 0:
            absent = sorted(set(re.findall(r'org\.apache\.ignite:([\w.-]+):jar:', output)))
            if absent and ('could not be resolved' in output or 'Could not find' in output):
                raise LibsError(f'not found on Maven: {", ".join(absent)} {version}')
            errors = [ln for ln in output.splitlines() if '[ERROR]' in ln][:3]
            raise LibsError(f'mvn failed with code {proc.returncode}: '
                            + (' | '.join(errors) or output[-2000:]))
        if engine == 'h2':
            h2 = sorted(p.name for p in libs.glob('h2-*.jar'))
            if h2 != [f'h2-{H2_VERSION}.jar']:
                raise LibsError(f'expected h2-{H2_VERSION}.jar in {libs}, found {h2}')
        if detect_engine([libs]) != engine:
            raise LibsError(f'{ENGINE_MODULES[engine]} {version} is missing from {libs}')
        done.write_text(f'{version} {engine}\n')
        count = len(list(libs.glob('*.jar')))
        _note(f'resolved {count} jars in {time.monotonic() - started:.1f} s')
        return IgniteLibs(version, (libs.resolve(),), engine)


# --------------------------------------------------------------------------------------------
# TLS material
# --------------------------------------------------------------------------------------------

_SSL_FILES = {
    'ca': 'ca.crt',
    'ca_key': 'ca.key',
    'server_jks': 'server.jks',
    'trust_jks': 'trust.jks',
    'client_cert': 'client.crt',
    'client_key': 'client.key',
    'client_full': 'client_full.pem',
    'client_key_encrypted': 'client_enc.key',
    'client_with_pass_full': 'client_with_pass_full.pem',
    'untrusted_full': 'untrusted_full.pem',
}

_SERVER_EXT = ('basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n'
               'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n')
_CLIENT_EXT = ('basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n'
               'extendedKeyUsage=clientAuth\n')


def _java_tool(name: str) -> str:
    java_home = os.environ.get('JAVA_HOME')
    if java_home and (Path(java_home) / 'bin' / name).exists():
        return str(Path(java_home) / 'bin' / name)
    return name


def ensure_ssl_material(directory: Path) -> Dict[str, Path]:
    """Create (once) a CA, server and client certificates in ``directory``.

    Server side: ``server.jks`` (key + cert) and ``trust.jks`` (the CA), both with password
    ``KEYSTORE_PASSWORD``. Client side: ``client_full.pem`` (key + cert),
    ``client_with_pass_full.pem`` (key encrypted with ``CLIENT_KEY_PASSWORD`` + cert), ``ca.crt``,
    and ``untrusted_full.pem``, a self-signed key + cert the server must refuse.

    :return: name -> path, see the module's ``_SSL_FILES`` for the names.
    """
    directory = Path(directory)
    paths = {name: directory / fname for name, fname in _SSL_FILES.items()}
    done = directory / '.complete'
    with _file_lock(directory.parent / '.ssl.lock'):
        if done.is_file() and all(p.is_file() for p in paths.values()):
            return paths
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)

        def run(*args: str) -> None:
            proc = subprocess.run(args, cwd=directory, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise LauncherError(f'{shlex.join(args)} failed: '
                                    + proc.stdout.decode('utf-8', 'replace')[-1500:])

        (directory / 'server.ext').write_text(_SERVER_EXT)
        (directory / 'client.ext').write_text(_CLIENT_EXT)
        days = '3650'
        run('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', days,
            '-subj', '/CN=pyignite-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt')
        for name in ('server', 'client'):
            run('openssl', 'req', '-newkey', 'rsa:2048', '-nodes', '-sha256',
                '-subj', f'/CN=pyignite-test-{name}', '-keyout', f'{name}.key',
                '-out', f'{name}.csr')
            run('openssl', 'x509', '-req', '-in', f'{name}.csr',
                '-CA', 'ca.crt', '-CAkey', 'ca.key',
                '-CAcreateserial', '-days', days, '-sha256', '-extfile', f'{name}.ext',
                '-out', f'{name}.crt')
        run('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', days,
            '-subj', '/CN=pyignite-untrusted', '-keyout', 'untrusted.key', '-out', 'untrusted.crt')
        # SslContextFactory unlocks the private key with the keystore password, so they match.
        run('openssl', 'pkcs12', '-export', '-passout', f'pass:{KEYSTORE_PASSWORD}',
            '-name', 'server', '-inkey', 'server.key', '-in', 'server.crt',
            '-certfile', 'ca.crt', '-out', 'server.p12')
        keytool = _java_tool('keytool')
        run(keytool, '-importkeystore', '-noprompt', '-srckeystore', 'server.p12',
            '-srcstoretype', 'PKCS12', '-srcstorepass', KEYSTORE_PASSWORD,
            '-destkeystore', 'server.jks', '-deststoretype', 'JKS',
            '-deststorepass', KEYSTORE_PASSWORD, '-destkeypass', KEYSTORE_PASSWORD)
        run(keytool, '-importcert', '-noprompt', '-trustcacerts', '-alias', 'ca', '-file', 'ca.crt',
            '-keystore', 'trust.jks', '-storetype', 'JKS', '-storepass', KEYSTORE_PASSWORD)
        run('openssl', 'pkey', '-in', 'client.key', '-aes256',
            '-passout', f'pass:{CLIENT_KEY_PASSWORD}', '-out', 'client_enc.key')

        def concat(target: str, *sources: str) -> None:
            (directory / target).write_text(''.join((directory / s).read_text() for s in sources))

        concat('client_full.pem', 'client.key', 'client.crt')
        concat('client_with_pass_full.pem', 'client_enc.key', 'client.crt')
        concat('untrusted_full.pem', 'untrusted.key', 'untrusted.crt')
        done.write_text('ok\n')
        return paths


def client_ssl_context(ssl_files: Dict[str, Path], client_cert: bool = True,
                       verify: bool = True) -> ssl.SSLContext:
    """A client-side TLS context for the test nodes.

    :param client_cert: present ``client_full.pem`` (needed by client-auth nodes).
    :param verify: check the server certificate against the test CA.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # Nodes are reached by IP; the certificate names it, but not every caller uses that name.
    ctx.check_hostname = False
    if verify:
        ctx.load_verify_locations(cafile=str(ssl_files['ca']))
    else:
        ctx.verify_mode = ssl.CERT_NONE
    if client_cert:
        ctx.load_cert_chain(str(ssl_files['client_full']))
    return ctx


# --------------------------------------------------------------------------------------------
# Raw thin-client protocol (just enough for readiness probes and cluster activation)
# --------------------------------------------------------------------------------------------

OP_CLUSTER_GET_STATE = 5000
OP_CLUSTER_CHANGE_STATE = 5001
STATE_INACTIVE, STATE_ACTIVE, STATE_ACTIVE_READ_ONLY = 0, 1, 2
STATUS_AUTH_FAILED = 2000
_MAX_FRAME = 64 * MB

_INT = struct.Struct('<i')
_REQ_HEADER = struct.Struct('<hq')
_RESP_HEADER = struct.Struct('<qh')


@dataclass
class HandshakeResult:
    """Outcome of a handshake.

    :ivar ok: the server accepted it.
    :ivar status: 0 on success, else the server's status (2000 = authentication failed).
    :ivar message: the server's error message ('' on success).
    :ivar server_version: version named in a failure reply.
    :ivar features: server feature bytes of a success reply.
    :ivar node_id: 16-byte node UUID of a success reply.
    """

    ok: bool
    status: int = 0
    message: str = ''
    server_version: Tuple[int, int, int] = (1, 7, 0)
    features: bytes = b''
    node_id: bytes = b''


def _typed_string(value: str) -> bytes:
    data = value.encode('utf-8')
    return b'\x09' + _INT.pack(len(data)) + data


def _read_typed_string(buf: bytes, off: int) -> Tuple[Optional[str], int]:
    code = buf[off]
    if code == 0x65:
        return None, off + 1
    if code != 0x09:
        raise ProtocolError(f'expected a String (9), got type code {code}')
    (size,) = _INT.unpack_from(buf, off + 1)
    start = off + 5
    return buf[start:start + size].decode('utf-8', 'replace'), start + size


def _handshake_body(username: Optional[str], password: Optional[str]) -> bytes:
    # 1.7.0, thin client, empty feature set: the smallest request every 2.9+ server accepts.
    body = b'\x01' + struct.pack('<hhh', 1, 7, 0) + b'\x02' + b'\x0c' + _INT.pack(0)
    if username is not None:
        body += _typed_string(username) + _typed_string(password or '')
    return body


def _parse_handshake_reply(body: bytes) -> HandshakeResult:
    if not body:
        raise ProtocolError('empty handshake reply')
    if body[0] == 1:
        features, node_id = b'', b''
        if len(body) >= 6 and body[1] == 0x0C:
            (size,) = _INT.unpack_from(body, 2)
            features = body[6:6 + size]
            rest = body[6 + size:]
            if len(rest) >= 17 and rest[0] == 0x0A:  # typed UUID
                node_id = rest[1:17]
        return HandshakeResult(True, features=features, node_id=node_id)
    major, minor, patch = struct.unpack_from('<hhh', body, 1)
    message, off = _read_typed_string(body, 7)
    status = _INT.unpack_from(body, off)[0] if len(body) >= off + 4 else 1
    return HandshakeResult(False, status=status, message=message or '',
                           server_version=(major, minor, patch))


class RawConnection:
    """One thin-client connection speaking protocol 1.7.0 with no features.

    :param host: server address.
    :param port: client connector port.
    :param username: credentials for nodes with authentication (sent only if not ``None``).
    :param password: password for ``username``.
    :param ssl_context: wrap the socket in TLS with this context.
    :param timeout: socket timeout in seconds.
    """

    def __init__(self, host: str, port: int, username: Optional[str] = None,
                 password: Optional[str] = None, ssl_context: Optional[ssl.SSLContext] = None,
                 timeout: float = 10.0):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.sock: Optional[socket.socket] = None
        self._req_id = 0

    def __enter__(self) -> 'RawConnection':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def connect(self) -> HandshakeResult:
        """Open the socket and handshake; the result says whether the server accepted it."""
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        try:
            if self.ssl_context is not None:
                sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
            self.sock = sock
            self._send(_handshake_body(self.username, self.password))
            return _parse_handshake_reply(self._recv())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the socket (idempotent)."""
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def request(self, op_code: int, payload: bytes = b'') -> bytes:
        """Send one request and return the payload of its response.

        :raises ProtocolError: with ``status`` set if the server reports an error.
        """
        self._req_id += 1
        req_id = self._req_id
        self._send(_REQ_HEADER.pack(op_code, req_id) + payload)
        body = self._recv()
        got_id, flags = _RESP_HEADER.unpack_from(body, 0)
        if got_id != req_id:
            raise ProtocolError(f'response id {got_id} does not match request id {req_id}')
        off = _RESP_HEADER.size
        if flags & 0x2:  # affinity topology changed: long major + int minor
            off += 12
        if flags & 0x1:
            (status,) = _INT.unpack_from(body, off)
            message, _ = _read_typed_string(body, off + 4)
            raise ProtocolError(f'op {op_code} failed with status {status}: {message}', status)
        return body[off:]

    def cluster_state(self) -> int:
        """Cluster state: 0 inactive, 1 active, 2 active read-only.

        Without negotiated features the server answers with a bool "active"; both forms are
        one byte and agree on 0 and 1.
        """
        reply = self.request(OP_CLUSTER_GET_STATE)
        if not reply:
            raise ProtocolError('empty OP_CLUSTER_GET_STATE reply')
        return reply[0]

    def set_cluster_state(self, state: int) -> None:
        """Change the cluster state; returns when the server has done it."""
        self.request(OP_CLUSTER_CHANGE_STATE, bytes([state]))

    def _send(self, body: bytes) -> None:
        assert self.sock is not None, 'not connected'
        self.sock.sendall(_INT.pack(len(body)) + body)

    def _recv_exact(self, size: int) -> bytes:
        assert self.sock is not None, 'not connected'
        chunks, left = [], size
        while left:
            chunk = self.sock.recv(left)
            if not chunk:
                raise ConnectionError('connection closed by the server')
            chunks.append(chunk)
            left -= len(chunk)
        return b''.join(chunks)

    def _recv(self) -> bytes:
        (size,) = _INT.unpack(self._recv_exact(4))
        if not 0 < size <= _MAX_FRAME:
            raise ProtocolError(f'bad frame length {size}')
        return self._recv_exact(size)


def handshake(host: str, port: int, username: Optional[str] = None,
              password: Optional[str] = None, ssl_context: Optional[ssl.SSLContext] = None,
              timeout: float = 5.0) -> HandshakeResult:
    """Connect, handshake, disconnect.

    :return: the server's verdict (``ok`` False with ``status`` on a failure reply).
    :raises OSError: when no connection or TLS session can be made.
    """
    with RawConnection(host, port, username, password, ssl_context, timeout) as conn:
        return conn.connect()


# --------------------------------------------------------------------------------------------
# Spring XML configuration
# --------------------------------------------------------------------------------------------

_CONFIG_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tools/ignite_server.py for node {node}; rewritten on every start. -->
<beans xmlns="http://www.springframework.org/schema/beans"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:schemaLocation="http://www.springframework.org/schema/beans
                           http://www.springframework.org/schema/beans/spring-beans.xsd">
  <bean class="org.apache.ignite.configuration.IgniteConfiguration">
    <property name="igniteInstanceName" value="{node}"/>
    <property name="consistentId" value="{node}"/>
    <property name="localHost" value="{host}"/>
    <property name="workDirectory" value="{work_dir}"/>
    <property name="metricsLogFrequency" value="0"/>
    <property name="failureDetectionTimeout" value="{failure_detection_timeout}"/>
    <property name="systemWorkerBlockedTimeout" value="{worker_blocked_timeout}"/>
    <property name="connectorConfiguration"><null/></property>{auth}{binary}
    <property name="clientConnectorConfiguration">
      <bean class="org.apache.ignite.configuration.ClientConnectorConfiguration">
        <property name="host" value="{host}"/>
        <property name="port" value="{client_port}"/>
        <property name="portRange" value="0"/>
        <property name="threadPoolSize" value="100"/>{ssl}
      </bean>
    </property>
    <property name="cacheConfiguration">
      <list>
        <!-- Template (name ends in *): caches created by a name starting with "parts1000"
             get 1000 partitions, for partition-awareness tests of a non-power-of-2 count. -->
        <bean class="org.apache.ignite.configuration.CacheConfiguration">
          <property name="name" value="parts1000*"/>
          <property name="affinity">
            <bean class="org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction">
              <property name="partitions" value="1000"/>
            </bean>
          </property>
        </bean>
      </list>
    </property>
    <property name="discoverySpi">
      <bean class="org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi">
        <property name="localAddress" value="{host}"/>
        <property name="localPort" value="{discovery_port}"/>
        <property name="localPortRange" value="{discovery_port_range}"/>
        <property name="ipFinder">
          <bean class="org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder">
            <property name="addresses">
              <list><value>{host}:{discovery_port}..{discovery_last}</value></list>
            </property>
          </bean>
        </property>
      </bean>
    </property>
    <property name="communicationSpi">
      <bean class="org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi">
        <property name="localAddress" value="{host}"/>
        <property name="localPort" value="{communication_port}"/>
        <property name="localPortRange" value="{communication_port_range}"/>
      </bean>
    </property>
    <property name="dataStorageConfiguration">
      <bean class="org.apache.ignite.configuration.DataStorageConfiguration">{wal}
        <property name="defaultDataRegionConfiguration">
          <bean class="org.apache.ignite.configuration.DataRegionConfiguration">
            <property name="name" value="default"/>
            <property name="maxSize" value="{default_region_size}"/>{persistence}
          </bean>
        </property>
        <property name="dataRegionConfigurations">
          <list>
            <bean class="org.apache.ignite.configuration.DataRegionConfiguration">
              <property name="name" value="SmallDataRegion"/>
              <property name="initialSize" value="{small_region_size}"/>
              <property name="maxSize" value="{small_region_size}"/>
            </bean>
          </list>
        </property>
      </bean>
    </property>
  </bean>
</beans>
"""

_AUTH_BLOCK = """
    <property name="authenticationEnabled" value="true"/>"""

# Ignite's default is compact footers; this block is only written to switch them off.
_FULL_FOOTER_BLOCK = """
    <property name="binaryConfiguration">
      <bean class="org.apache.ignite.configuration.BinaryConfiguration">
        <property name="compactFooter" value="false"/>
      </bean>
    </property>"""

_WAL_BLOCK = """
        <property name="walSegmentSize" value="{segment}"/>
        <property name="walSegments" value="4"/>""".format(segment=16 * MB)

_PERSISTENCE_BLOCK = """
            <property name="persistenceEnabled" value="true"/>"""

_SSL_BLOCK = """
        <property name="sslEnabled" value="true"/>
        <property name="useIgniteSslContextFactory" value="false"/>
        <property name="sslClientAuth" value="{client_auth}"/>
        <property name="sslContextFactory">
          <bean class="org.apache.ignite.ssl.SslContextFactory">
            <property name="keyStoreFilePath" value="{key_store}"/>
            <property name="keyStorePassword" value="{password}"/>
            <property name="trustStoreFilePath" value="{trust_store}"/>
            <property name="trustStorePassword" value="{password}"/>
          </bean>
        </property>"""

SSL_MODES = (None, 'server', 'client-auth')


def render_config(node: str, work_dir: Path, client_port: int, discovery_port: int,
                  discovery_range: int, communication_port: int,
                  communication_range: Optional[int] = None, ssl_mode: Optional[str] = None,
                  ssl_files: Optional[Dict[str, Path]] = None, auth: bool = False,
                  failure_detection_timeout: int = 5000, host: str = HOST,
                  compact_footer: bool = True) -> str:
    """Spring XML for one server node.

    :param node: instance name and consistent id.
    :param discovery_range: number of discovery ports of this cluster, starting at
        ``discovery_port``; disjoint ranges keep clusters apart.
    :param ssl_mode: ``None``, ``'server'`` (TLS) or ``'client-auth'`` (TLS + client certs).
    :param ssl_files: paths from :func:`ensure_ssl_material`, needed with ``ssl_mode``.
    :param auth: authentication, which Ignite allows only with persistence (so the default
        region becomes persistent with a small WAL).
    :param compact_footer: False makes the node write binary objects with full schema
        footers (``BinaryConfiguration.compactFooter``).
    """
    if ssl_mode not in SSL_MODES:
        raise ValueError(f'ssl_mode must be one of {SSL_MODES}, not {ssl_mode!r}')
    ssl_block = ''
    if ssl_mode:
        if not ssl_files:
            raise ValueError('ssl_files are required with ssl_mode')
        ssl_block = _SSL_BLOCK.format(
            client_auth='true' if ssl_mode == 'client-auth' else 'false',
            key_store=_xml_escape(str(Path(ssl_files['server_jks']).resolve())),
            trust_store=_xml_escape(str(Path(ssl_files['trust_jks']).resolve())),
            password=KEYSTORE_PASSWORD)
    return _CONFIG_TEMPLATE.format(
        node=_xml_escape(node),
        host=host,
        work_dir=_xml_escape(str(Path(work_dir).resolve())),
        failure_detection_timeout=failure_detection_timeout,
        # Blocked-worker reports dump every thread into the log; on 2 busy cores that is noise.
        worker_blocked_timeout=max(60000, failure_detection_timeout),
        auth=_AUTH_BLOCK if auth else '',
        binary='' if compact_footer else _FULL_FOOTER_BLOCK,
        client_port=client_port,
        ssl=ssl_block,
        discovery_port=discovery_port,
        # Discovery binds ports localPort..localPort+localPortRange (inclusive).
        discovery_port_range=discovery_range - 1,
        discovery_last=discovery_port + discovery_range - 1,
        communication_port=communication_port,
        communication_port_range=communication_range or discovery_range,
        wal=_WAL_BLOCK if auth else '',
        default_region_size=256 * MB,
        persistence=_PERSISTENCE_BLOCK if auth else '',
        small_region_size=20 * MB,
    )


# --------------------------------------------------------------------------------------------
# Layouts (the port plan shared by fixtures, the CLI and benchmarks)
# --------------------------------------------------------------------------------------------

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
                  compact_footer=layout.compact_footer)
    kwargs.update(overrides)
    return IgniteCluster(name, **kwargs)


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------

_ACTIVE: Dict[int, 'IgniteCluster'] = {}
_ACTIVE_LOCK = threading.RLock()
_HOOKS_INSTALLED = False


def _register(cluster: 'IgniteCluster') -> None:
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


def _unregister(cluster: 'IgniteCluster') -> None:
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
    """

    def __init__(self, name: str, nodes: int = 1, *, slots: Optional[int] = None,
                 client_port: int = 10800, discovery_port: int = 47500,
                 discovery_range: Optional[int] = None, communication_port: int = 47100,
                 ssl: Optional[str] = None, auth: bool = False, compact_footer: bool = True,
                 run_dir: Optional[os.PathLike] = None, version: Optional[str] = None,
                 failure_detection_timeout: int = 5000, start_timeout: Optional[float] = None,
                 jvm_options: Sequence[str] = (), die_with_parent: bool = True):
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
                if self.auth:
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
            if self.ssl and not self._ssl_files:
                self._ssl_files = ensure_ssl_material(self.run_dir / 'ssl')
            _register(self)
            self._start_node(idx)
            if self.auth:
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
        return [self._java(), *JAVA_OPENS, *JVM_OPTIONS,
                f'-DIGNITE_HOME={node.home}', f'-D{MARKER_PROPERTY}={marker}',
                *self.jvm_options,
                '-cp', self.libs.classpath, MAIN_CLASS, str(node.config_path)]

    def _start_node(self, idx: int) -> None:
        node = self._node(idx)
        self._check_port_free(node)
        node.work_dir.mkdir(parents=True, exist_ok=True)
        node.config_path.write_text(render_config(
            node.name, node.work_dir, node.client_port, self.discovery_port,
            self.discovery_range, self.communication_port, ssl_mode=self.ssl,
            ssl_files=self._ssl_files or None, auth=self.auth,
            failure_detection_timeout=self.failure_detection_timeout,
            compact_footer=self.compact_footer))
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


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

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
    parser = argparse.ArgumentParser(prog='ignite_server.py', description=__doc__.split('\n\n')[0])
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


if __name__ == '__main__':
    sys.exit(main())
