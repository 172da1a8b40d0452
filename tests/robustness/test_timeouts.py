"""``handshake_timeout`` and ``timeout`` against nodes that stop answering.

Documented behaviour (:mod:`pyignite.connection.connection`): both time limits raise
``socket.timeout``, an :class:`OSError` (the built-in :class:`TimeoutError` on Python
3.10+). :meth:`Client.connect` with a single node wraps a connection failure in
:class:`ReconnectError` whose ``__cause__`` is that error. A request that times out on a
node that sent no whole frame meanwhile closes the connection, so the next call reconnects
or fails over; when other replies keep arriving, only that request is abandoned.

The tests that take ``connect`` run with both clients, ``[sync]`` and ``[async]``
(tests/_dual_mode.py); test_aio_robustness.py has the async client's own (tasks instead of
threads).
"""
import socket
import threading
import time
import uuid

import pytest

from pyignite.exceptions import ReconnectError

from .doubles import (
    client_via, current_port, delayed, delayed_if, dropped, elapsed, handshake_reply, recv_frame,
)

NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000014')


def test_silent_server_fails_connect_within_handshake_timeout(connect, silent_server,
                                                              ignite_node):
    client = connect.new(handshake_timeout=0.5)
    start = time.monotonic()
    with pytest.raises(ReconnectError) as info:
        client.connect(silent_server.host, silent_server.port)
    took = elapsed(start)
    assert isinstance(info.value.__cause__, socket.timeout)
    assert isinstance(info.value.__cause__, OSError)
    assert 0.4 < took < 5
    assert silent_server.accepted, 'the TCP connection was made; the handshake timed out'
    # the same client object then works with a real node
    with client.connect(ignite_node.host, ignite_node.port):
        assert isinstance(client.get_cache_names(), list)


def test_silent_server_is_skipped_for_the_next_node(connect, silent_server, ignite_node):
    client = connect.new(handshake_timeout=0.5, partition_aware=False)
    start = time.monotonic()
    with client.connect([(silent_server.host, silent_server.port),
                         (ignite_node.host, ignite_node.port)]):
        assert elapsed(start) < 5
        assert current_port(client) == ignite_node.port
        assert isinstance(client.get_cache_names(), list)


def test_request_timeout_on_a_silent_node_then_the_next_call_fails_over(
        connect, proxy, ignite_node, made_cache):
    client = connect.new(partition_aware=False, timeout=1.0)
    client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)])
    try:
        cache = client.get_cache(made_cache)
        proxy.tamper_all(dropped)  # the node goes silent after the handshake
        start = time.monotonic()
        with pytest.raises(socket.timeout):
            cache.put('k', 'v')
        assert 0.9 < elapsed(start) < 6
        proxy.tamper_all(None)
        # the put reached the node (only its reply was lost); the next call fails over
        assert cache.get('k') == 'v'
        assert current_port(client) == ignite_node.port
    finally:
        client.close()


def test_timeout_of_one_request_while_other_threads_get_replies(
        proxy, ignite_node, made_cache):
    """A slow reply times out its own request only; the others, read by whichever thread
    is the reader at the time, keep flowing on the same connection."""
    client = client_via(proxy, ignite_node, timeout=1.5)
    try:
        cache = client.get_cache(made_cache)
        cache.put('slow', 'slow value')
        for i in range(4):
            cache.put(i, 'value {}'.format(i))
        errors, results = [], []
        stop = threading.Event()

        def busy(i):
            try:
                while not stop.is_set():
                    results.append((i, cache.get(i)))
            except BaseException as e:  # noqa: B902 - reported below
                errors.append(e)

        threads = [threading.Thread(target=busy, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        proxy.tamper_all(delayed_if(b'slow value', 4.0))  # that reply arrives 4 s late
        start = time.monotonic()
        with pytest.raises(socket.timeout):
            cache.get('slow')
        took = elapsed(start)
        time.sleep(3.0)  # let the late reply arrive (and be dropped)
        proxy.tamper_all(None)
        stop.set()
        for thread in threads:
            thread.join(10)
        assert errors == []
        assert took < 5
        assert results and all(value == 'value {}'.format(i) for i, value in results)
        assert proxy.connections == 1, 'the connection must have stayed up'
        assert current_port(client) == proxy.port
        assert cache.get('slow') == 'slow value'
    finally:
        client.close()


def test_handshake_timeout_counts_the_whole_handshake(connect, proxy, ignite_node):
    """A node that answers the handshake too late is given up at the deadline."""
    proxy.tamper_handshake(delayed(3.0))
    client = connect.new(handshake_timeout=0.5)
    start = time.monotonic()
    with pytest.raises(ReconnectError) as info:
        client.connect(proxy.host, proxy.port)
    assert isinstance(info.value.__cause__, socket.timeout)
    assert elapsed(start) < 2.5


def test_request_bigger_than_the_socket_buffers_goes_whole_within_a_timeout(
        connect, ignite_node, made_cache):
    """With a timeout, a frame the send buffer cannot take at once is sent in parts as
    the node reads it, and arrives whole."""
    client = connect.new(partition_aware=False, timeout=60)
    with client.connect(ignite_node.host, ignite_node.port):
        cache = client.get_cache(made_cache)
        big = bytes(range(256)) * (1 << 16)  # 16 MiB: more than loopback buffers hold
        cache.put('big', big)
        assert cache.get('big') == big


def test_request_timeout_when_the_node_stops_reading(connect, scripted_peer):
    """A node that takes the handshake and then reads nothing: a request too big for the
    socket buffers cannot be sent whole, and ``timeout`` ends it with ``socket.timeout``
    (the sync client offers its bytes without a socket timeout and waits by itself, so
    this checks that the wait is bounded)."""
    done = threading.Event()

    def deaf(sock):
        recv_frame(sock)
        sock.sendall(handshake_reply(NODE))
        done.wait(60)  # reads nothing more

    peer = scripted_peer(deaf)
    client = connect.new(partition_aware=False, timeout=1.0)
    try:
        with client.connect(peer.host, peer.port):
            cache = client.get_cache('deaf')
            start = time.monotonic()
            with pytest.raises(socket.timeout):
                cache.put(1, bytes(64 << 20))  # far more than loopback buffers hold
            assert elapsed(start) < 30, 'the send must end at the timeout, not hang'
    finally:
        done.set()
