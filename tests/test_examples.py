"""The scripts in examples/, each run as its own process against real nodes.

Skipped unless pytest is given ``--examples``. The work is done by tools/run_examples.py (see
its docstring for the expected-output format); this module only fits it into a test session:

* the examples need 127.0.0.1:10800 (10800..10802 for failover) and a node in a known state,
  so they get fresh nodes of their own; a node of this session on those ports (the
  ``ignite_node`` and ``ignite_cluster`` fixtures) is stopped first. tests/conftest.py moves
  these tests to the end of the run for that reason, and should anything still run after
  them, the stopped nodes are started again;
* with ``PYIGNITE_IT_EXTERNAL=1`` (``tools/ignite_server.py run -- pytest ...``) the outer
  launcher owns port 10800: the single-node examples use that node and the failover example
  is skipped.
"""
import importlib
import os
import sys
from pathlib import Path

import pytest

_TOOLS_DIR = Path(__file__).resolve().parent.parent / 'tools'
if str(_TOOLS_DIR) not in sys.path:
    sys.path.insert(0, str(_TOOLS_DIR))
run_examples = importlib.import_module('run_examples')
ignite_server = importlib.import_module('ignite_server')

EXAMPLES = run_examples.discover()


def _clusters_of_this_process():
    # The launcher keeps every cluster it started (and has not stopped) in this registry;
    # the session fixtures' clusters are among them.
    with ignite_server._ACTIVE_LOCK:
        return list(ignite_server._ACTIVE.values())


def _items_after(request) -> bool:
    """Whether the session runs tests of other modules after this one."""
    items = request.session.items
    mine = [i for i, item in enumerate(items) if item.module is request.module]
    return bool(mine) and any(item.module is not request.module
                              for item in items[mine[-1] + 1:])


@pytest.fixture(scope='module')
def example_servers(request):
    if not request.config.getoption('--examples', default=False):
        pytest.skip('the examples run only with pytest --examples')
    stopped = []

    def make_room(ports):
        for cluster in _clusters_of_this_process():
            if set(cluster.client_ports) & set(ports):
                cluster.stop(grace=2.0)
                stopped.append(cluster)

    servers = run_examples.ExampleServers(
        external=os.environ.get('PYIGNITE_IT_EXTERNAL') == '1', make_room=make_room)
    try:
        yield servers
    finally:
        servers.stop()
        if stopped and _items_after(request):
            for cluster in stopped:
                cluster.start()


@pytest.mark.examples
@pytest.mark.parametrize('example', EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples(example, example_servers):
    outcome = example_servers.run(example)
    if outcome.skipped is not None:
        pytest.skip(outcome.skipped)
    assert outcome.passed, outcome.report()
