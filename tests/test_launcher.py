"""The test-server launcher itself (tools/ignite_server.py) against a real, throwaway node."""
import importlib
import os
import socket
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from pyignite import Client

_TOOLS_DIR = Path(__file__).resolve().parent.parent / 'tools'
if str(_TOOLS_DIR) not in sys.path:
    sys.path.insert(0, str(_TOOLS_DIR))
ignite_server = importlib.import_module('ignite_server')

# Outside every predefined layout, so it can run next to the session fixtures.
CLIENT_PORT = 10890
DISCOVERY_PORT = 47900
COMMUNICATION_PORT = 47390


def _port_closed(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((ignite_server.HOST, port), timeout=1.0):
                pass
        except OSError:
            return True
        time.sleep(0.1)
    return False


def test_throwaway_node_lifecycle(tmp_path):
    cluster = ignite_server.IgniteCluster(
        'launcher-test', nodes=1, client_port=CLIENT_PORT, discovery_port=DISCOVERY_PORT,
        discovery_range=10, communication_port=COMMUNICATION_PORT, run_dir=tmp_path)
    with cluster:
        assert cluster.client_ports == [CLIENT_PORT]
        result = ignite_server.handshake(cluster.host, cluster.port)
        assert result.ok, result
        assert len(result.node_id) == 16

        pid = cluster.pid(0)
        assert (pid, f'launcher-test-0@{os.getpid()}') in \
            ignite_server.find_marked_processes()
        work_dir = cluster.work_dir(0)
        assert work_dir.is_dir()

        cluster.kill_node(0)
        assert not cluster.is_running(0)
        assert pid not in [p for p, _ in ignite_server.find_marked_processes()]
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert _port_closed(CLIENT_PORT)
        assert cluster.client_ports == []

    assert not work_dir.exists()
    assert 'Ignite node started OK' in cluster.log_path(0).read_text()
    assert not (tmp_path / 'pids' / 'launcher-test.pids').exists()


@pytest.mark.parametrize('ssl_mode, auth', [(None, False), ('client-auth', False),
                                            ('server', True)])
def test_rendered_config_is_wellformed(tmp_path, ssl_mode, auth):
    ssl_files = {'server_jks': tmp_path / 's.jks', 'trust_jks': tmp_path / 't.jks'}
    xml = ignite_server.render_config(
        'n-0', tmp_path / 'work', 10899, 47990, 10, 47490, ssl_mode=ssl_mode,
        ssl_files=ssl_files if ssl_mode else None, auth=auth)
    root = ET.fromstring(xml.encode())
    props = {p.get('name'): p.get('value') for p in root.iter(
        '{http://www.springframework.org/schema/beans}property')}
    assert props['port'] == '10899'
    assert props['portRange'] == '0'
    assert props['localPortRange'] in ('9', '10')
    assert props['name'] == 'SmallDataRegion'
    assert props.get('sslClientAuth') == {None: None, 'server': 'false',
                                          'client-auth': 'true'}[ssl_mode]
    assert props.get('authenticationEnabled') == ('true' if auth else None)
    assert props.get('persistenceEnabled') == ('true' if auth else None)
    assert '127.0.0.1:47990..47999' in xml


def test_layouts_do_not_overlap():
    spans = []
    for layout in ignite_server.layouts().values():
        spans.append(('client', layout.client_port, layout.client_port + layout.slots))
        spans.append(('disc', layout.discovery_port,
                      layout.discovery_port + layout.discovery_range))
        spans.append(('comm', layout.communication_port,
                      layout.communication_port + layout.discovery_range))
    spans.sort(key=lambda s: s[1])
    for (kind_a, start_a, end_a), (kind_b, start_b, _) in zip(spans, spans[1:]):
        assert end_a <= start_b, f'{kind_a} {start_a}..{end_a} overlaps {kind_b} {start_b}'
    assert ignite_server.layouts()['single'].client_port == 10800


# --- which jars, which SQL engine ------------------------------------------------------------

def test_engine_follows_the_version():
    assert ignite_server.engine_for_version('2.18.0') == 'calcite'
    assert ignite_server.engine_for_version('2.19.0-SNAPSHOT') == 'calcite'
    assert ignite_server.engine_for_version('2.17.0') == 'h2'
    assert ignite_server.engine_for_version('2.14.0') == 'h2'
    assert ignite_server.engine_for_version('2.9.1') == 'h2'
    assert ignite_server.version_tuple('2.18.0') == (2, 18, 0)


def _jar(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b'')


@pytest.mark.parametrize('engine_dir, engine', [
    ('ignite-indexing', 'h2'), ('ignite-calcite', 'calcite'), (None, None)])
def test_home_classpath_is_what_ignite_sh_builds(tmp_path, engine_dir, engine):
    """libs/ and each sub-folder except optional/; an engine in the default folders wins over
    the optional ones."""
    libs = tmp_path / 'libs'
    _jar(libs, 'ignite-core-2.99.0.jar')
    _jar(libs / 'ignite-spring', 'ignite-spring-2.99.0.jar')
    _jar(libs / 'ignite-rest-http', 'ignite-rest-http-2.99.0.jar')
    _jar(libs / 'optional' / 'ignite-calcite', 'ignite-calcite-2.99.0.jar')
    _jar(libs / 'optional' / 'ignite-zookeeper', 'ignite-zookeeper-2.99.0.jar')
    if engine_dir:
        _jar(libs / engine_dir, engine_dir + '-2.99.0.jar')
    got = ignite_server.libs_from_home(tmp_path)
    names = [d.relative_to(libs.resolve()).as_posix() for d in got.dirs]
    expected = ['.', 'ignite-rest-http', 'ignite-spring'] + ([engine_dir] if engine_dir else [])
    if engine is None:  # no engine by default: the optional Calcite module is added
        expected.append('optional/ignite-calcite')
        engine = 'calcite'
    assert sorted(names) == sorted(expected)
    assert got.engine == engine
    assert got.version == 'home' and 'SQL engine: ' + {'h2': 'H2', 'calcite': 'Calcite'}[
        engine] in got.describe()


_SPRING_JARS = ('spring-', 'ignite-spring-', 'commons-logging-')
_CORE_JARS = ('ignite-core-', 'ignite-commons-', 'ignite-binary-', 'ignite-grid-unsafe-',
              'cache-api-', 'annotations-')


def _release_like_home(home, maven_libs, engine_in_optional):
    """A folder laid out like a binary release, of links to the jars Maven resolved: core in
    libs/, Spring in libs/ignite-spring/, the SQL engine module and what it needs in
    libs/<module>/ or libs/optional/<module>/."""
    module = ignite_server.ENGINE_MODULES[maven_libs.engine]
    engine_dir = home / 'libs' / ('optional' if engine_in_optional else '') / module
    for jar in sorted(maven_libs.dirs[0].glob('*.jar')):
        if jar.name.startswith(_CORE_JARS):
            folder = home / 'libs'
        elif jar.name.startswith(_SPRING_JARS):
            folder = home / 'libs' / 'ignite-spring'
        else:
            folder = engine_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / jar.name).symlink_to(jar)


@pytest.mark.parametrize('engine_in_optional', [False, True], ids=['libs', 'optional'])
def test_node_from_a_release_like_ignite_home_runs_sql(tmp_path, monkeypatch, sql_engine,
                                                       engine_in_optional):
    """IGNITE_HOME with the layout of a binary release (the jars of this session's version):
    the node starts and answers SQL with the engine the launcher names."""
    maven_libs = ignite_server.resolve_libs()
    home = tmp_path / 'home'
    _release_like_home(home, maven_libs, engine_in_optional)
    monkeypatch.setenv('IGNITE_HOME', str(home))
    libs = ignite_server.resolve_libs()
    assert libs.version == 'home' and libs.engine == sql_engine
    assert home.resolve() / 'libs' / 'ignite-spring' in libs.dirs
    cluster = ignite_server.IgniteCluster(
        'launcher-home', nodes=1, client_port=CLIENT_PORT, discovery_port=DISCOVERY_PORT,
        discovery_range=10, communication_port=COMMUNICATION_PORT, run_dir=tmp_path / 'run')
    with cluster:
        assert cluster.libs == libs
        client = Client()
        with client.connect(cluster.host, cluster.port):
            client.sql('CREATE TABLE home_t (id INT PRIMARY KEY, v VARCHAR)')
            # the result column of a DML statement is named by the engine
            header, count = client.sql("INSERT INTO home_t VALUES (1, 'one')",
                                       include_field_names=True)
            assert (header, count) == ({'h2': ['UPDATED'], 'calcite': ['ROWCOUNT']}[
                sql_engine], [1])
            assert list(client.sql('SELECT v FROM home_t WHERE id = ?', query_args=[1])) == \
                [['one']]


def test_the_server_test_code_is_compiled_into_a_jar_on_the_node_classpath(tmp_path):
    libs = ignite_server.resolve_libs()
    jar = ignite_server.server_test_jar(libs)
    assert jar is not None and jar.is_file()
    with zipfile.ZipFile(jar) as archive:
        assert 'org/pyignite/tests/EvenKeysFilterFactory.class' in archive.namelist()
    # the same sources and version give the same cached jar
    assert ignite_server.server_test_jar(libs) == jar
    cluster = ignite_server.IgniteCluster(
        'launcher-jar', client_port=CLIENT_PORT, discovery_port=DISCOVERY_PORT,
        communication_port=COMMUNICATION_PORT, run_dir=tmp_path)
    cluster.libs, cluster.test_jar = libs, jar
    command = cluster._command(cluster._nodes[0])
    assert str(jar) in command[command.index('-cp') + 1].split(os.pathsep)
