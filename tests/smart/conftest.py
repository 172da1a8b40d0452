"""Fixtures of the cluster-smart client tests (discovery, heartbeats, retries, user
attributes, WAL control): each test that takes ``connect`` runs with both clients."""
import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)
from robustness.doubles import FaultProxy

from .helpers import Events


@pytest.fixture
def events():
    return Events()


@pytest.fixture
def proxy(ignite_node):
    """A :class:`~robustness.doubles.FaultProxy` in front of the single node."""
    proxy = FaultProxy(ignite_node.host, ignite_node.port)
    yield proxy
    proxy.close()
