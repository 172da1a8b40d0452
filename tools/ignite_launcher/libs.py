"""The server's jars: resolved by Maven (cached per version and SQL engine) or taken from the
``libs/`` folders of an unpacked binary release (``IGNITE_HOME``)."""
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from .common import LibsError, _file_lock, _note

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
