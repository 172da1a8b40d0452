"""Connection and query events, and the standard loggers."""
import logging

import pytest
from cluster_util import Recorder, unique

from pyignite import Client
from pyignite._protocol.wire import ProtocolContext
from pyignite.exceptions import AuthenticationError, CacheError, ReconnectError
from pyignite.monitoring import (
    AuthenticationFailedEvent, ConnectionClosedEvent, ConnectionEventListener, ConnectionLostEvent,
    HandshakeFailedEvent, HandshakeStartEvent, HandshakeSuccessEvent, QueryEventListener,
    QueryFailEvent, QueryStartEvent, QuerySuccessEvent,
)


class Connections(ConnectionEventListener):
    def __init__(self):
        self.events = []

    def on_handshake_start(self, event):
        self.events.append(('start', event))

    def on_handshake_success(self, event):
        self.events.append(('success', event))

    def on_handshake_fail(self, event):
        self.events.append(('fail', event))

    def on_authentication_fail(self, event):
        self.events.append(('auth', event))

    def on_connection_closed(self, event):
        self.events.append(('closed', event))

    def on_connection_lost(self, event):
        self.events.append(('lost', event))

    def of(self, kind):
        return [e for k, e in self.events if k == kind]


def test_connection_events(ignite_cluster):
    listener = Connections()
    host = ignite_cluster.host
    dead_port = ignite_cluster.slot_ports[3]  # the fourth slot does not run
    endpoints = ignite_cluster.endpoints + [(host, dead_port)]
    client = Client(event_listeners=[listener])
    client.connect(endpoints)
    nodes = {conn.port: str(conn.uuid) for conn in client._session.nodes if conn.alive}

    starts = listener.of('start')
    assert [(e.host, e.port) for e in starts] == endpoints
    assert all(isinstance(e, HandshakeStartEvent) for e in starts)
    assert isinstance(starts[0].protocol_context, ProtocolContext)

    successes = listener.of('success')
    assert all(isinstance(e, HandshakeSuccessEvent) for e in successes)
    assert {e.port: e.node_uuid for e in successes} == nodes and len(nodes) == 3
    assert all(e.protocol_context.version == (1, 7, 0) for e in successes)

    [fail] = listener.of('fail')
    assert isinstance(fail, HandshakeFailedEvent)
    assert (fail.host, fail.port) == (host, dead_port)
    assert 'ConnectionRefusedError' in fail.error_msg

    client.close()
    closed = listener.of('closed')
    assert sorted(e.port for e in closed) == sorted(nodes)
    assert all(type(e) is ConnectionClosedEvent and e.node_uuid == nodes[e.port]
               for e in closed)
    assert not listener.of('lost') and not listener.of('auth')


def test_authentication_failed_event(auth_node):
    listener = Connections()
    client = Client(username='ignite', password='wrong', event_listeners=[listener])
    with pytest.raises(AuthenticationError):
        client.connect(auth_node.host, auth_node.port)
    [event] = listener.of('auth')
    assert isinstance(event, AuthenticationFailedEvent)
    assert isinstance(event, HandshakeFailedEvent)
    assert (event.host, event.port) == (auth_node.host, auth_node.port)
    assert 'AuthenticationError' in event.error_msg
    assert not listener.of('fail') and not listener.of('success')


def test_query_events(client, recorder):
    cache = client.create_cache(unique('events'))
    try:
        recorder.clear()
        cache.put(1, 'one')
        assert cache.get(1) == 'one'
        kv_ops = ('OP_CACHE_PUT', 'OP_CACHE_GET')  # also sent: the partition map request
        [start_put, start_get] = [e for e in recorder.started if e.op_name in kv_ops]
        [ok_put, ok_get] = [e for e in recorder.succeeded if e.op_name in kv_ops]
        assert not recorder.failed
        assert len(recorder.started) == len(recorder.succeeded)
        for start, ok, code, name in ((start_put, ok_put, 1001, 'OP_CACHE_PUT'),
                                      (start_get, ok_get, 1000, 'OP_CACHE_GET')):
            assert type(start) is QueryStartEvent and type(ok) is QuerySuccessEvent
            conn = [c for c in client._session.nodes if str(c.uuid) == start.node_uuid][0]
            assert (start.host, start.port) == (conn.host, conn.port)
            assert (start.op_code, start.op_name) == (code, name)
            for field in ('host', 'port', 'node_uuid', 'query_id', 'op_code', 'op_name'):
                assert getattr(ok, field) == getattr(start, field)
            assert isinstance(start.query_id, int) and start.query_id > 0
            assert isinstance(ok.duration, float) and ok.duration >= 0
    finally:
        cache.destroy()

    recorder.clear()
    with pytest.raises(CacheError) as raised:
        cache.get(1)  # destroyed
    [fail] = recorder.failed
    assert type(fail) is QueryFailEvent
    assert fail.op_name == 'OP_CACHE_GET' and fail.duration >= 0
    assert fail.err_msg == str(raised.value) and 'does not exist' in fail.err_msg


def test_events_are_immutable(client, recorder):
    recorder.clear()
    client.get_cache_names()
    event = recorder.started[0]
    with pytest.raises(TypeError):
        event.port = 1
    with pytest.raises(TypeError):
        event.extra = 1
    with pytest.raises(TypeError):
        del event.host
    assert 'OP_CACHE_GET_NAMES' in repr(event)
    event = ConnectionLostEvent('h', 1, None, 'err')
    assert isinstance(event, ConnectionClosedEvent) and event.error_msg == 'err'


def test_failing_listener_does_not_break_the_client(ignite_cluster):
    class Broken(QueryEventListener, ConnectionEventListener):
        def on_query_start(self, event):
            raise RuntimeError('listener bug')

        def on_handshake_success(self, event):
            raise RuntimeError('listener bug')

    recorder = Recorder()
    client = Client(event_listeners=[Broken(), object(), recorder])
    with client.connect(ignite_cluster.endpoints):
        assert client.get_cache_names() is not None
        assert len(recorder.started) == len(recorder.succeeded) >= 1


def test_loggers(ignite_cluster, caplog):
    caplog.set_level(logging.DEBUG, logger='pyignite')
    client = Client()
    with client.connect(ignite_cluster.endpoints[:1]):
        client.get_cache_names()
    host, port = ignite_cluster.endpoints[0]
    connection = [r.getMessage() for r in caplog.records if r.name == 'pyignite.connection']
    queries = [r.getMessage() for r in caplog.records if r.name == 'pyignite.queries']
    assert any(m.startswith('Connecting to node(address={}, port={})'.format(host, port))
               for m in connection)
    assert any(m.startswith('Connected to node(') for m in connection)
    assert any(m.startswith('Connection closed to node(') for m in connection)
    assert any('OP_CACHE_GET_NAMES' in m and m.startswith('Query started(') for m in queries)
    assert any('OP_CACHE_GET_NAMES' in m and m.startswith('Query succeeded(') for m in queries)

    caplog.clear()
    caplog.set_level(logging.INFO, logger='pyignite')
    with pytest.raises(ReconnectError):
        Client().connect(host, ignite_cluster.slot_ports[3])
    assert any(r.levelno == logging.ERROR and r.getMessage().startswith(
        'Failed to perform handshake') for r in caplog.records)
