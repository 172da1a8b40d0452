"""The server-side test code: the Java sources in ``tools/java/src`` compiled into a jar on
the test nodes' classpath (see ``tools/java/README.md``).

The jar is built with ``javac`` against the jars the nodes run, once per source set and
Ignite version, and kept next to the resolved jars: its name holds the Ignite version and a
hash of the sources, so an edited source or another Ignite version gets a jar of its own.
"""
import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, List, Optional

from .common import REPO_ROOT, LibsError, _file_lock, _java_tool, _note
from .libs import IgniteLibs, cache_root

SOURCE_DIR = REPO_ROOT / 'tools' / 'java' / 'src'
# the oldest Java Ignite 2.x runs on, so the jar loads on any JVM a node may use
JAVA_RELEASE = '8'

_JAR_MEMO: Dict[str, Optional[Path]] = {}


def _sources() -> List[Path]:
    return sorted(SOURCE_DIR.rglob('*.java'))


def _ignite_version(libs: IgniteLibs) -> str:
    """The Ignite version, also for nodes from ``IGNITE_HOME`` (read off ignite-core's
    jar name there, so two releases don't share a jar)."""
    if libs.version != 'home':
        return libs.version
    for folder in libs.dirs:
        for jar in sorted(Path(folder).glob('ignite-core-*.jar')):
            return 'home-' + jar.stem[len('ignite-core-'):]
    return 'home'


def source_hash(sources: List[Path]) -> str:
    """A digest of the sources' paths and contents (what the jar is keyed by)."""
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(SOURCE_DIR)).encode() + b'\0')
        digest.update(path.read_bytes() + b'\0')
    return digest.hexdigest()[:16]


def server_test_jar(libs: IgniteLibs) -> Optional[Path]:
    """The test jar for nodes running ``libs``, built if it is not cached yet; None when
    there are no sources, or no ``javac`` (said once: nodes then start without it, and only
    the tests that call its classes fail).

    :raises LibsError: the sources do not compile.
    """
    sources = _sources()
    if not sources:
        return None
    version = _ignite_version(libs)
    jar = cache_root() / 'test-jars' / f'pyignite-tests-{version}-{source_hash(sources)}.jar'
    key = f'{jar}|{libs.classpath}'
    if key not in _JAR_MEMO:
        _JAR_MEMO[key] = _build(libs, sources, jar)
    return _JAR_MEMO[key]


def _build(libs: IgniteLibs, sources: List[Path], jar: Path) -> Optional[Path]:
    javac = _java_tool('javac')
    with _file_lock(jar.parent / '.lock'):
        if jar.is_file():
            return jar
        if shutil.which(javac) is None:
            _note(f'javac ({javac}) not found: the nodes start without the test jar '
                  f'(tools/java); install a JDK or set JAVA_HOME')
            return None
        with tempfile.TemporaryDirectory(prefix='pyignite-tests-') as tmp:
            classes = Path(tmp) / 'classes'
            cmd = [javac, '--release', JAVA_RELEASE, '-Xlint:-options', '-nowarn',
                   '-encoding', 'UTF-8', '-cp', libs.classpath, '-d', str(classes),
                   *map(str, sources)]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise LibsError('the test sources in tools/java do not compile against '
                                f'{libs.describe()}:\n'
                                + proc.stdout.decode('utf-8', 'replace')[-3000:])
            partial = jar.with_name(jar.name + '.part')
            with zipfile.ZipFile(partial, 'w', zipfile.ZIP_DEFLATED) as out:
                out.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\r\n\r\n')
                for path in sorted(classes.rglob('*.class')):
                    out.write(path, path.relative_to(classes).as_posix())
            os.replace(partial, jar)
        _note(f'built {jar.name} ({len(sources)} sources)')
        return jar
