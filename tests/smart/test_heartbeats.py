"""Heartbeats against a node whose client connector drops connections idle for 2 s.

What a user relies on: without heartbeats an idle connection is dropped by the server and
the next call pays a reconnect; with them the connection survives a long idle time and the
next call goes through on it.
"""
import pytest

from pyignite._protocol.opcodes import OP_GET_IDLE_TIMEOUT, OP_HEARTBEAT
from pyignite.retry import RetryAllPolicy

from .helpers import idle, unique

pytestmark = pytest.mark.slow


def _prepared(connect, node, events, **kwargs):
    client = connect.new(event_listeners=[events], **kwargs)
    client.connect(node.host, node.port)
    cache = client.get_or_create_cache(unique('idle'))
    cache.put(1, 'one')
    return client, cache


def test_without_heartbeats_an_idle_connection_is_dropped(connect, idle_timeout_node,
                                                          events):
    # a request sent on the dropped connection is sent again after reconnecting (the
    # preparation too may find its connection dropped, on a slow machine)
    client, cache = _prepared(connect, idle_timeout_node, events,
                              retry_policy=RetryAllPolicy())
    try:
        handshakes = len(events.of('handshake_success'))
        # the server looks for idle connections periodically, not the moment the 2 s pass
        # (CI once saw a connection idle for 4 s survive): idle well beyond the timeout
        idle(client, 8)
        assert cache.get(1) == 'one'
        assert len(events.of('handshake_success')) == handshakes + 1  # the reconnect
        assert events.of('connection_lost')
        cache.destroy()
    finally:
        client.close()


def test_heartbeats_keep_an_idle_connection(connect, idle_timeout_node, events):
    client, cache = _prepared(connect, idle_timeout_node, events, heartbeat_interval=30)
    try:
        conn = client._session.nodes[0]
        idle(client, 10)
        assert cache.get(1) == 'one'
        assert client._session.nodes[0] is conn and conn.alive
        assert len(events.of('handshake_success')) == 1
        assert not events.of('connection_lost') and not events.of('heartbeat_fail')
        sent = [e.op_code for e in events.of('query_start')]
        # asked the server's idle timeout once, then a heartbeat about every 2/3 s
        assert sent.count(OP_GET_IDLE_TIMEOUT) == 1
        assert sent.count(OP_HEARTBEAT) >= 5
        cache.destroy()
    finally:
        client.close()
    heartbeats = len([e for e in events.of('query_start') if e.op_code == OP_HEARTBEAT])
    idle(client, 2)
    assert len([e for e in events.of('query_start') if e.op_code == OP_HEARTBEAT]) == heartbeats


def test_heartbeats_find_a_silent_node(connect, proxy, events):
    """A node that stops answering (a proxy swallows its replies) is found dead by its
    heartbeat going unanswered: the connection is closed before the next call, which
    reconnects instead of waiting on it."""
    client = connect.new(event_listeners=[events], heartbeat_interval=1)
    client.connect(proxy.host, proxy.port)
    try:
        assert client.get_cache_names() is not None
        proxy.tamper_all(lambda body: (b'', False))  # swallow every reply from now on
        idle(client, 6)
        assert events.of('heartbeat_fail')
        assert not client._session.nodes[0].alive
        proxy.reset()
        assert client.get_cache_names() is not None  # a new connection
        assert len(events.of('handshake_success')) == 2
    finally:
        client.close()
