"""The life of a continuous query against real nodes, through both clients: closing it
(on the server too), losing its node, and a listener that raises."""
import asyncio
import logging
import threading

import pytest
from cq_util import MARKER, Heard, live, run, unique, until_true

from pyignite import Client
from pyignite.aio_cache import AioCache
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.monitoring import ContinuousQueryListenerFailEvent, QueryEventListener

OP_RESOURCE_CLOSE = 0


class Requests(QueryEventListener):
    """Keeps the op code of every request the client sends, and listener failures."""

    def __init__(self):
        self.ops = []
        self.failures = []

    def on_query_start(self, event):
        self.ops.append(event.op_code)

    def on_continuous_query_listener_fail(self, event):
        self.failures.append(event)


@pytest.fixture
def observer(ignite_node):
    """A client of its own that reads the node's system views."""
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        yield client


def server_queries(observer, cache_name):
    """The continuous queries the node runs on ``cache_name`` (SYS.CONTINUOUS_QUERIES)."""
    return list(observer.sql('SELECT ROUTINE_ID FROM SYS.CONTINUOUS_QUERIES WHERE '
                             'CACHE_NAME = ?', query_args=[cache_name]))


async def test_close_sends_resource_close_and_the_server_forgets_the_query(
        ignite_node, make_client, observer):
    requests = Requests()
    client = await make_client(ignite_node, event_listeners=[requests])
    name = unique('cq-close')
    cache = await run(client.get_or_create_cache(name))
    cq = await run(cache.continuous_query(Heard()))
    assert len(server_queries(observer, name)) == 1
    requests.ops.clear()
    await run(cq.close())
    assert cq.closed
    assert requests.ops == [OP_RESOURCE_CLOSE]
    assert server_queries(observer, name) == []
    await run(cq.close())  # again: nothing more is sent
    assert requests.ops == [OP_RESOURCE_CLOSE]
    # the sync client's threads of the query end with it (the query's own thread is
    # joined; the connection's listening thread sees within its poll that nobody listens)
    assert await threads_end('pyignite-')


async def threads_end(prefix, limit=10.0):
    """Whether every thread whose name starts with ``prefix`` ends within ``limit`` s."""
    for _ in range(int(limit * 100)):
        if not [t for t in threading.enumerate() if t.name.startswith(prefix)]:
            return True
        await asyncio.sleep(0.01)
    return False


async def test_200_open_close_cycles_leave_no_query_on_the_server(
        ignite_node, make_client, observer):
    client = await make_client(ignite_node)
    name = unique('cq-cycles')
    cache = await run(client.get_or_create_cache(name))
    for i in range(200):
        if i % 2:
            cq = await run(cache.continuous_query(Heard()))
            await run(cq.close())
        elif isinstance(cache, AioCache):
            async with await cache.continuous_query(Heard()):
                pass
        else:
            with cache.continuous_query(Heard()):
                pass
    assert server_queries(observer, name) == []
    # the client is fine, and a query still works
    heard = Heard()
    cq = await run(cache.continuous_query(heard))
    await live(cache, heard)
    await run(cache.put(1, 1))
    assert [(e.key, e.value) for e in await heard.until(1)] == [(1, 1)]
    await run(cq.close())


async def test_a_raising_listener_is_reported_and_nothing_else_stops(
        ignite_node, make_client, caplog):
    requests = Requests()
    client = await make_client(ignite_node, event_listeners=[requests])
    name = unique('cq-raise')
    cache = await run(client.get_or_create_cache(name))
    calls = Heard()

    def bad(events):
        calls(events)
        if all(e.key == MARKER for e in events):
            return
        raise ValueError('listener bug {}'.format(events[0].key))

    good = Heard()
    cq_bad = await run(cache.continuous_query(bad))
    cq_good = await run(cache.continuous_query(good))
    await live(cache, calls, good)
    with caplog.at_level(logging.ERROR, logger='pyignite.queries'):
        for k in range(10):
            await run(cache.put(k, k))
        await good.until(10)
        await calls.until(10)  # called for every batch: the raises stopped nothing
        # (each failure is reported right after its raise)
        await until_true(lambda: len(requests.failures) == 10)
    assert len(calls.batches) == 10
    assert [e.err_msg for e in requests.failures] == [
        repr(ValueError('listener bug {}'.format(k))) for k in range(10)]
    assert all(isinstance(e, ContinuousQueryListenerFailEvent) for e in requests.failures)
    assert {e.query_id for e in requests.failures} == {cq_bad.query_id}
    logged = [r for r in caplog.records if r.name == 'pyignite.queries'
              and r.levelno == logging.ERROR]
    assert len(logged) == 10 and 'listener bug 0' in logged[0].getMessage()
    assert logged[0].exc_info is not None  # with the traceback
    # both queries still hear, and the client still works
    await run(cache.put(100, 100))
    await good.until(11)
    await calls.until(11)
    await until_true(lambda: len(requests.failures) == 11)
    assert await run(cache.get(100)) == 100
    await run(cq_bad.close())
    await run(cq_good.close())


@pytest.mark.cluster
@pytest.mark.slow
async def test_losing_the_node_of_the_query_calls_on_disconnect_once(cq_cluster, make_client):
    client = await make_client(cq_cluster.endpoints)
    name = unique('cq-lost')
    cache = await run(client.get_or_create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 1}))
    heard, lost = Heard(), []
    cq = await run(cache.continuous_query(heard, on_disconnect=lost.append))
    await live(cache, heard)
    await run(cache.put(1, 1))
    await heard.until(1)
    conn = cq._handle.conn
    killed = cq_cluster.client_ports.index(conn.port)
    try:
        cq_cluster.kill_node(killed)
        for _ in range(600):
            if lost:
                break
            await heard.quiet(0.1)
        await heard.quiet(1.0)
        assert len(lost) == 1 and isinstance(lost[0], OSError)
        assert cq.closed
        # the client goes on over the other node
        for attempt in range(3):
            try:
                await run(cache.put(2, 2))
                break
            except OSError:
                if attempt == 2:
                    raise
        assert await run(cache.get(2)) == 2
        assert await run(cache.get(1)) == 1
        await run(cq.close())  # a no-op now, and harmless
        assert len(lost) == 1
    finally:
        if not cq_cluster.is_running(killed):
            cq_cluster.start_node(killed)
