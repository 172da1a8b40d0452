"""Shared pytest configuration.

Sections are owned by different parts of the suite: append new fixtures in their own clearly
marked section below instead of editing another one.
"""
import importlib
import os
import sys
from pathlib import Path

import pytest

# =============================================================================================
# Real Apache Ignite servers (tools/ignite_server.py)
#
# Session-scoped and lazy: a server starts the first time a test asks for its fixture and is
# stopped when the session ends. Port plan: `python tools/ignite_server.py layouts`.
# Each fixture yields an `ignite_server.IgniteCluster` (host, port, client_ports, endpoints,
# username/password, ssl_files, ssl_context(), kill_node(i), start_node(i), log_path(i), ...),
# except `ignite_node` under PYIGNITE_IT_EXTERNAL=1, which yields an `ExternalNode`
# (host, port, client_ports, endpoints, username, password, ssl_files).
# =============================================================================================

_TOOLS_DIR = Path(__file__).resolve().parent.parent / 'tools'
if str(_TOOLS_DIR) not in sys.path:
    sys.path.insert(0, str(_TOOLS_DIR))
ignite_server = importlib.import_module('ignite_server')

SERVER_MARKERS = {
    'cluster': 'needs the multi-node Ignite cluster (ports 10801..10804)',
    'ssl': 'needs an Ignite node with TLS on the client connector',
    'auth': 'needs an Ignite node with authentication enabled',
    'examples': 'runs the examples against a real node',
    'slow': 'takes long (select out with -m "not slow")',
}

# Tests using these fixtures get the marker without writing it, so `-m "not cluster"` works.
_FIXTURE_MARKERS = {
    'ignite_cluster': ('cluster',),
    'ssl_node': ('ssl',),
    'ssl_auth_node': ('ssl',),
    'auth_node': ('auth',),
    'auth_ssl_node': ('auth', 'ssl'),
}


def pytest_configure(config):
    for name, text in SERVER_MARKERS.items():
        config.addinivalue_line('markers', f'{name}: {text}')


def pytest_report_header(config):
    try:
        return f'Ignite servers: {ignite_server.resolve_libs().describe()}'
    except ignite_server.LauncherError as exc:
        return f'Ignite servers: jars not available ({exc})'


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in getattr(item, 'fixturenames', ()):
            for marker in _FIXTURE_MARKERS.get(fixture, ()):
                item.add_marker(marker)


def _serve(layout):
    cluster = ignite_server.cluster_for_layout(layout)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope='session')
def ignite_node():
    """The single in-memory node on 127.0.0.1:10800 (or an external one, see module doc)."""
    if os.environ.get('PYIGNITE_IT_EXTERNAL') == '1':
        yield ignite_server.ExternalNode(host=ignite_server.HOST, port=10800)
        return
    yield from _serve('single')


@pytest.fixture(scope='session')
def sql_engine():
    """The SQL engine of the nodes this session's fixtures start: ``'calcite'`` (Ignite 2.18.0
    and later from Maven) or ``'h2'`` (older versions), for the tests that assert what differs
    between the two. The same choice of jars as the nodes' (``IGNITE_VERSION``,
    ``IGNITE_HOME``), so it also holds for ``PYIGNITE_IT_EXTERNAL=1`` under
    ``ignite_server.py run``.
    """
    engine = ignite_server.resolve_libs().engine
    if engine is None:
        pytest.fail('the Ignite jars in use have no SQL engine module')
    return engine


@pytest.fixture(scope='session')
def ignite_cluster():
    """Three in-memory nodes on 10801..10803; slot 3 (port 10804) is free for start_node(3).

    Tests that kill or add nodes must restore the three-node shape before they end.
    """
    yield from _serve('cluster')


@pytest.fixture(scope='session')
def ssl_node():
    """TLS node on 10810 that needs no client certificate."""
    yield from _serve('ssl')


@pytest.fixture(scope='session')
def ssl_auth_node():
    """TLS node on 10811 that requires a client certificate signed by the test CA."""
    yield from _serve('ssl-client-auth')


@pytest.fixture(scope='session')
def auth_node():
    """Node on 10820 with authentication (ignite/ignite), persistent and already active."""
    yield from _serve('auth')


@pytest.fixture(scope='session')
def auth_ssl_node():
    """Node on 10821 with authentication (ignite/ignite) and TLS (no client certificate)."""
    yield from _serve('auth-ssl')


@pytest.fixture(scope='session')
def full_footer_node():
    """In-memory node on 10830 configured with ``compactFooter=false`` (full schema footers)."""
    yield from _serve('full-footer')


@pytest.fixture(scope='session')
def tx_sql_node():
    """In-memory node on 10870 with transaction-aware SQL enabled
    (``TransactionConfiguration.txAwareQueriesEnabled``; Ignite 2.17 and later)."""
    yield from _serve('tx-sql')


# =============================================================================================
# Cluster-smart client (tests/cluster/test_smart_*.py): a persistent node, a node with an idle
# timeout.
# =============================================================================================

@pytest.fixture(scope='session')
def persistent_node():
    """A persistent node on 10880, already active (WAL control)."""
    yield from _serve('persistent')


@pytest.fixture(scope='session')
def idle_timeout_node():
    """An in-memory node on 10885 whose client connector drops connections idle for 2 s."""
    yield from _serve('idle-timeout')


# =============================================================================================
# (Next section: add other fixtures below this line.)
# =============================================================================================


# =============================================================================================
# Examples (tests/test_examples.py runs tools/run_examples.py)
#
# `pytest --examples` also runs every script in examples/ against real nodes. They need
# 127.0.0.1:10800 (10800..10802 for the failover example) and a node in a known state, so the
# examples test stops this session's nodes on those ports: it is moved to the end of the run.
# =============================================================================================

class _ExamplesRunLast:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: item.get_closest_marker('examples') is not None)


def pytest_addoption(parser, pluginmanager):
    parser.addoption('--examples', action='store_true', default=False,
                     help='also run the scripts in examples/ (tests/test_examples.py)')
    # A second pytest_collection_modifyitems cannot live in this module, hence the object.
    pluginmanager.register(_ExamplesRunLast(), 'pyignite-examples-run-last')
