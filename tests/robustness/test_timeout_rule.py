"""One ``timeout`` rule for :class:`Client` and :class:`AioClient`.

A request with no reply in time raises a timeout (an :class:`OSError`). If the node sent no
frame at all while the request waited, it is taken as unresponsive: the connection is
closed, the requests waiting with it fail, and the next call fails over to the next node.
When other replies keep coming, only that request is abandoned (tests in
:mod:`.test_timeouts` and :mod:`.test_aio_robustness`). ``timeout=0`` means no limit.

The tests that take ``connect`` run with both clients, ``[sync]`` and ``[async]``
(tests/_dual_mode.py); requests waiting together are threads for the one, tasks for the
other.
"""
import asyncio
import threading
import time

import pytest

from pyignite import AioClient
from pyignite.monitoring import ConnectionEventListener

from .doubles import client_via, current_port, dropped, elapsed


class _Losses(ConnectionEventListener):
    def __init__(self):
        self.ports = []

    def on_connection_lost(self, event):
        self.ports.append(event.port)


def test_fails_over_from_a_node_that_went_silent(connect, proxy, ignite_node, made_cache):
    losses = _Losses()
    client = connect.new(partition_aware=False, timeout=1.0, event_listeners=[losses])
    client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)])
    try:
        cache = client.get_cache(made_cache)
        cache.put('k', 'first')
        assert current_port(client) == proxy.port
        proxy.tamper_all(dropped)  # the node behind the proxy accepts but never answers
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            cache.put('k', 'second')
        assert 0.9 < elapsed(start) < 6
        assert not client._session.nodes[0].alive
        assert losses.ports == [proxy.port]
        # the proxy is still silent: the next call must go to the next node
        assert cache.get('k') == 'second'
        assert current_port(client) == ignite_node.port
    finally:
        client.close()


def test_sync_requests_waiting_on_a_silent_node_all_fail_then_fail_over(
        proxy, ignite_node, made_cache):
    client = client_via(proxy, ignite_node, timeout=1.5)
    try:
        cache = client.get_cache(made_cache)
        cache.put_all({i: i for i in range(4)})
        proxy.tamper_all(dropped)
        errors = []

        def get(i):
            try:
                cache.get(i)
            except BaseException as e:  # noqa: B902 - checked below
                errors.append(e)

        threads = [threading.Thread(target=get, args=(i,)) for i in range(4)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert elapsed(start) < 8
        assert len(errors) == 4 and all(isinstance(e, OSError) for e in errors), errors
        assert cache.get_all(list(range(4))) == {i: i for i in range(4)}
        assert current_port(client) == ignite_node.port
    finally:
        client.close()


async def test_aio_requests_waiting_on_a_silent_node_all_fail_then_fail_over(
        proxy, ignite_node, made_cache):
    client = AioClient(partition_aware=False, timeout=1.5)
    await client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)])
    try:
        cache = await client.get_cache(made_cache)
        await cache.put_all({i: i for i in range(4)})
        proxy.tamper_all(dropped)
        start = time.monotonic()
        results = await asyncio.gather(*[cache.get(i) for i in range(4)],
                                       return_exceptions=True)
        assert elapsed(start) < 8
        assert all(isinstance(r, OSError) for r in results), results
        assert await cache.get_all(list(range(4))) == {i: i for i in range(4)}
        assert client._session.current.port == ignite_node.port
    finally:
        await client.close()


def test_timeout_zero_means_no_limit(api, connect, ignite_node, made_cache):
    client = connect.new(timeout=0)
    with client.connect(ignite_node.host, ignite_node.port):
        cache = client.get_cache(made_cache)
        cache.put('zero', api)
        assert cache.get('zero') == api
