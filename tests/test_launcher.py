"""The test-server launcher itself (tools/ignite_server.py) against a real, throwaway node."""
import importlib
import os
import socket
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

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
