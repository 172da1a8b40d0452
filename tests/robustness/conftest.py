"""Fixtures of the robustness tests (the doubles live in :mod:`.doubles`).

A test that takes ``connect`` (or a fixture that does) runs twice, ``[sync]`` with
:class:`~pyignite.Client` and ``[async]`` with :class:`~pyignite.AioClient` through the
adapter of tests/_aio_adapter.py.
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)
from pyignite import Client

from .doubles import FaultProxy, ScriptedPeer, SilentServer


@pytest.fixture
def proxy(ignite_node):
    proxy = FaultProxy(ignite_node.host, ignite_node.port)
    yield proxy
    proxy.close()


@pytest.fixture
def scripted_peer():
    """``scripted_peer(script)``: a :class:`~.doubles.ScriptedPeer` closed after the test."""
    peers = []

    def make(script):
        peers.append(ScriptedPeer(script))
        return peers[-1]
    yield make
    for peer in peers:
        peer.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def cache_name() -> str:
    return 'robust-' + uuid.uuid4().hex[:12]


@pytest.fixture
def made_cache(ignite_node, cache_name) -> str:
    """The name of a cache made beforehand by a client without time limits (making a
    cache on a cold node can take longer than the short timeouts under test)."""
    with Client().connect(ignite_node.host, ignite_node.port) as client:
        client.create_cache(cache_name)
    yield cache_name
    with Client().connect(ignite_node.host, ignite_node.port) as client:
        client.get_cache(cache_name).destroy()
