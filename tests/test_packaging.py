"""The package builds (sdist, and a wheel from that sdist) and installs into a fresh venv.

Offline: the build runs without isolation, so setuptools, wheel and build come from the test
environment (requirements/tests.txt), and the wheel is installed without dependencies from a
local file. The sources are copied first, so the check sees only what a checkout holds and
leaves no build artefacts in the working tree.
"""
import base64
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ('pyignite', 'requirements', 'setup.py', 'pyproject.toml', 'MANIFEST.in',
           'README.md', 'LICENSE', 'NOTICE')
PUBLIC_MODULES = (
    'pyignite', 'pyignite.client', 'pyignite.aio_client', 'pyignite.cache', 'pyignite.aio_cache',
    'pyignite.cluster', 'pyignite.aio_cluster', 'pyignite.transaction', 'pyignite.cursors',
    'pyignite.binary', 'pyignite.monitoring', 'pyignite.exceptions', 'pyignite.datatypes',
    'pyignite.datatypes.prop_codes', 'pyignite.datatypes.cache_config',
    'pyignite.dbapi',  # no dependency (pyignite.sqlalchemy needs the extra)
)

pytestmark = pytest.mark.slow


def _source_version() -> str:
    text = (ROOT / 'pyignite' / '__init__.py').read_text(encoding='utf-8')
    return re.search(r"__version__ = '([^']+)'", text).group(1)


def _run(args, cwd=None) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'PYTHONHOME', 'PIP_REQUIRE_VIRTUALENV')}
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, f'{" ".join(map(str, args))} failed:\n{proc.stdout[-4000:]}'
    return proc.stdout


@pytest.fixture(scope='module')
def dists(tmp_path_factory):
    """``(sdist, wheel)`` built from a copy of the sources."""
    for module in ('build', 'setuptools', 'wheel'):
        if importlib.util.find_spec(module) is None:
            pytest.fail(f'{module} is not installed: pip install -r requirements/tests.txt')
    tmp = tmp_path_factory.mktemp('packaging')
    src = tmp / 'src'
    src.mkdir()
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc')
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    out = tmp / 'dist'
    # Without --sdist/--wheel, build makes the sdist and then the wheel from it, which
    # also proves the sdist carries everything setup.py needs.
    _run([sys.executable, '-m', 'build', '--no-isolation', '--outdir', out, src])
    version = _source_version()
    sdists = list(out.glob('pyignite-*.tar.gz'))
    wheels = list(out.glob('pyignite-*.whl'))
    assert [p.name for p in sdists] == [f'pyignite-{version}.tar.gz']
    assert [p.name for p in wheels] == [f'pyignite-{version}-py3-none-any.whl']
    return sdists[0], wheels[0]


def test_wheel_holds_the_package_typing_marker_and_license(dists):
    _, wheel = dists
    names = zipfile.ZipFile(wheel).namelist()
    assert 'pyignite/py.typed' in names
    assert 'pyignite/datatypes/prop_codes.py' in names
    assert any(n.endswith('.dist-info/LICENSE') or '/licenses/LICENSE' in n for n in names)
    assert not [n for n in names if n.startswith(('tests/', 'examples/', 'docs/'))]
    metadata = next(n for n in names if n.endswith('.dist-info/METADATA'))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    # the standard library is all pyignite needs at run time
    assert not re.search(r'^Requires-Dist: (?!.*extra ==).*$', text, re.M)
    assert re.search(r'^Requires-Python: >=3\.8', text, re.M)


def test_sdist_holds_what_a_rebuild_needs(dists):
    sdist, _ = dists
    with tarfile.open(sdist) as tar:
        names = {n.split('/', 1)[1] for n in tar.getnames() if '/' in n}
    for needed in ('setup.py', 'pyproject.toml', 'README.md', 'LICENSE', 'NOTICE',
                   'requirements/install.txt', 'pyignite/__init__.py', 'pyignite/py.typed'):
        assert needed in names


def test_installs_into_a_fresh_venv_and_imports_from_elsewhere(dists, tmp_path):
    _, wheel = dists
    venv = tmp_path / 'venv'
    _run([sys.executable, '-m', 'venv', '--without-pip', venv])
    python = venv / 'bin' / 'python'
    # This environment's pip installs into the venv (quicker than bootstrapping a pip there).
    _run([sys.executable, '-m', 'pip', '--python', python, 'install', '--no-index',
          '--no-deps', '--quiet', wheel])

    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    script = ('import importlib, pyignite\n'
              'print(pyignite.__version__)\n'
              'print(pyignite.__file__)\n'
              f'for name in {PUBLIC_MODULES!r}:\n'
              '    importlib.import_module(name)\n'
              'print(sorted(n for n in ("Client", "AioClient", "GenericObjectMeta") '
              'if hasattr(pyignite, n)))\n')
    version, location, names = _run([python, '-c', script], cwd=elsewhere).splitlines()[-3:]
    assert version == _source_version()
    installed = Path(location).resolve()
    assert str(installed).startswith(str(venv.resolve()) + os.sep)
    assert (installed.parent / 'py.typed').is_file()
    assert names == "['AioClient', 'Client', 'GenericObjectMeta']"


# --- installing next to packages that depend on pyignite -------------------------------------

#: packages on PyPI that depend on pyignite, with their requirement on it (as published)
DOWNSTREAM = {
    'sqlalchemy-ignitex': 'pyignite>=0.5.2',
    'pyignite-migrate': 'pyignite>=0.6.0',
    'langchain-gridgain': 'pyignite>=0.6.1,<0.7',
}
#: the newest pyignite on PyPI, whose API this package keeps
PYPI_VERSION = '0.6.1'


def _stub_wheel(folder: Path, name: str, version: str, requires=(), files=None) -> Path:
    """A minimal wheel: the metadata pip resolves on, plus ``files`` (path -> text)."""
    dist = name.replace('-', '_')
    info = f'{dist}-{version}.dist-info'
    members = dict(files or {})
    members[f'{info}/METADATA'] = ''.join(
        [f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n']
        + [f'Requires-Dist: {r}\n' for r in requires])
    members[f'{info}/WHEEL'] = ('Wheel-Version: 1.0\nGenerator: pyignite-tests\n'
                                'Root-Is-Purelib: true\nTag: py3-none-any\n')
    record = []
    for path, text in members.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{path},sha256={digest},{len(data)}\n')
    record.append(f'{info}/RECORD,,\n')
    members[f'{info}/RECORD'] = ''.join(record)
    wheel = folder / f'{dist}-{version}-py3-none-any.whl'
    with zipfile.ZipFile(wheel, 'w') as archive:
        for path, text in members.items():
            archive.writestr(path, text)
    return wheel


def _version_key(version: str):
    return tuple(int(part) for part in re.findall(r'\d+', version)[:3])


def test_version_is_above_the_api_it_keeps():
    """The version says "0.6.1's API and more": a 0.6.x above 0.6.1, which every
    requirement in DOWNSTREAM accepts."""
    version = _source_version()
    assert _version_key(version)[:2] == (0, 6) and _version_key(version) > (0, 6, 1), version


@pytest.mark.parametrize('downstream', sorted(DOWNSTREAM))
def test_installing_a_dependent_package_keeps_this_one(dists, tmp_path, downstream):
    """pip's resolver, offered PyPI's pyignite 0.6.1 next to a package that requires
    pyignite, keeps the installed pyignite (no network: a --find-links folder of wheels)."""
    _, wheel = dists
    links = tmp_path / 'links'
    links.mkdir()
    _stub_wheel(links, 'pyignite', PYPI_VERSION,
                files={'pyignite/__init__.py': f"__version__ = '{PYPI_VERSION}'\n"})
    _stub_wheel(links, downstream, '1.0.0', requires=[DOWNSTREAM[downstream]])
    venv = tmp_path / 'venv'
    _run([sys.executable, '-m', 'venv', '--without-pip', venv])
    python = venv / 'bin' / 'python'
    pip = [sys.executable, '-m', 'pip', '--python', python, '--disable-pip-version-check']
    _run(pip + ['install', '--no-index', '--no-deps', '--quiet', wheel])
    _run(pip + ['install', '--no-index', '--find-links', links, downstream])
    listed = {d['name']: d['version']
              for d in json.loads(_run(pip + ['list', '--format', 'json']))}
    assert listed[downstream] == '1.0.0'
    assert listed['pyignite'] == _source_version()
    out = _run([python, '-c', 'import pyignite; print(pyignite.__version__)'], cwd=tmp_path)
    assert out.split()[-1] == _source_version()


def test_wheel_registers_the_sqlalchemy_dialect_as_an_extra(dists):
    """``pip install pyignite[sqlalchemy]`` brings SQLAlchemy, and the wheel's entry point
    names the dialect ``ignite``; without the extra nothing more is required."""
    _, wheel = dists
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    entry_points = archive.read(next(n for n in names if n.endswith('.dist-info/entry_points.txt')))
    text = entry_points.decode()
    assert '[sqlalchemy.dialects]' in text
    assert re.search(r'^ignite = pyignite\.sqlalchemy:IgniteDialect$', text, re.M)
    metadata = archive.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
    assert re.search(r'^Provides-Extra: sqlalchemy$', metadata, re.M)
    assert re.search(r'^Requires-Dist: sqlalchemy>=2; extra == "sqlalchemy"$', metadata, re.M)
    assert 'pyignite/dbapi/cursor.py' in names and 'pyignite/sqlalchemy/base.py' in names
