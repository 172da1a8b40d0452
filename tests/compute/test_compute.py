"""Compute tasks on real nodes (the Java tasks of tools/java): results of every basic type
and of a complex object, failures, timeout, cancellation, failover, cluster groups, and
many tasks at once; both clients unless a test says why not.
"""
import asyncio
import datetime
import decimal
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import CancelledError

import ignite_server  # tools/, put on sys.path by tests/conftest.py
import pytest

from pyignite import AioClient, Client, GenericObjectMeta
from pyignite.datatypes import String
from pyignite.exceptions import (
    ComputeError, ComputeTaskCancelledError, NotSupportedByClusterError, ParameterError,
)
from pyignite.monitoring import QueryEventListener

from .conftest import JAVA

ECHO = JAVA + 'EchoTask'
NODE_IDS = JAVA + 'NodeIdsTask'
POINT = JAVA + 'PointTask'
FAILING = JAVA + 'FailingTask'
SLEEP = JAVA + 'SleepTask'
FAILOVER = JAVA + 'FailoverTask'

VALUES = [
    None, True, False, 0, -1, 2 ** 40, -2 ** 63, 1.5, -0.0, 'text', 'ünïcödé ✓', '',
    b'\x00\x01\xff', uuid.UUID('12345678-1234-5678-1234-567812345678'),
    decimal.Decimal('-12.3450'), datetime.datetime(2024, 2, 29, 12, 30, 15),
]
#: containers come back as pyignite reads Java collections: (Java type code, items)
CONTAINERS = [([1, 'two', 3.0], (1, [1, 'two', 3.0])),
              ({'a': 1, 'b': 'two'}, (1, {'a': 1, 'b': 'two'}))]


def _wait_for(condition, seconds=60.0):
    """Wait until ``condition()`` is true (a server-side effect that comes later)."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.parametrize('value', VALUES, ids=repr)
def test_result_of_every_basic_type(client, value):
    assert client.compute().execute(ECHO, value) == value


@pytest.mark.parametrize('value, expected', CONTAINERS, ids=repr)
def test_result_is_a_container(client, value, expected):
    assert client.compute().execute(ECHO, value) == expected


def test_result_is_a_complex_object_made_on_the_server(client):
    point = client.compute().execute(POINT, 7)
    assert type(point)._type_name == JAVA + 'Point'
    assert (point.x, point.y, point.label) == (7, 49, 'p7')


def test_failing_task_gives_the_servers_message(client):
    with pytest.raises(ComputeError, match='pyignite test failure: boom'):
        client.compute().execute(FAILING, 'boom')
    # the connection goes on
    assert client.compute().execute(ECHO, 5) == 5


def test_unknown_task_fails_at_once(client):
    with pytest.raises(ComputeError, match='org.pyignite.tests.NoSuchTask'):
        client.compute().execute(JAVA + 'NoSuchTask')


def test_timeout_is_honoured(client):
    tag = uuid.uuid4().hex
    with pytest.raises(ComputeError) as caught:
        client.compute().execute(SLEEP, '60000:' + tag, timeout=0.5)
    assert not isinstance(caught.value, ComputeTaskCancelledError)
    assert 'timed out' in str(caught.value).lower()
    # the server interrupted the job
    cache = client.get_or_create_cache('pyignite_interrupted')
    assert _wait_for(lambda: cache.get(tag) == 'interrupted')


def test_long_task_within_its_timeout_completes(client):
    assert client.compute().execute(SLEEP, '300:x', timeout=60) == 'slept'


@pytest.mark.parametrize('bad', [dict(timeout=0), dict(timeout=-1), dict(timeout='1'),
                                 dict(no_failover=1), dict(no_result_cache=None)],
                         ids=repr)
def test_bad_parameters_are_refused(client, bad):
    with pytest.raises(ParameterError):
        client.compute().execute(ECHO, 1, **bad)


def test_bad_task_name_is_refused(client):
    with pytest.raises(ParameterError):
        client.compute().execute('')


def test_no_result_cache(client):
    # the task's reduce gets no job results then: EchoTask returns None instead of its arg
    assert client.compute().execute(ECHO, 'x') == 'x'
    assert client.compute().execute(ECHO, 'x', no_result_cache=True) is None


def test_group_of_one_node_runs_the_task_only_there(cluster_client):
    cluster = cluster_client.get_cluster()
    ids = sorted(str(i) for i in cluster.node_ids())
    assert len(ids) == 3
    assert cluster_client.compute().execute(NODE_IDS) == ids
    for node_id in ids:
        group = cluster.for_node_ids([node_id])
        assert cluster_client.compute(group).execute(NODE_IDS) == [node_id]
    two = cluster.for_node_ids(ids[:2])
    assert cluster_client.compute(two).execute(NODE_IDS) == ids[:2]


def test_empty_group_is_refused(cluster_client):
    group = cluster_client.get_cluster().for_node_ids([uuid.uuid4()])
    with pytest.raises(ComputeError, match='no nodes'):
        cluster_client.compute(group).execute(NODE_IDS)


def test_group_of_another_client_is_refused(cluster_client, client):
    with pytest.raises(ParameterError):
        cluster_client.compute(client.get_cluster())


def test_no_failover(cluster_client):
    # the job fails on the node it was mapped to: with failover it runs on another one
    ran_on = cluster_client.compute().execute(FAILOVER)
    assert uuid.UUID(ran_on) in cluster_client.get_cluster().node_ids()
    with pytest.raises(ComputeError, match='fail over from'):
        cluster_client.compute().execute(FAILOVER, no_failover=True)


GATED = {
    'compute': (1, lambda c: c.compute().execute(ECHO, 1)),
    'service call': (5, lambda c: c.services().service_proxy('pyignite_counter').get()),
    'service descriptors': (9, lambda c: c.services().descriptors()),
    'invoke': (17, lambda c: c.get_cache('any').invoke(1, _Processor())),
}


class _Processor(metaclass=GenericObjectMeta, type_name=JAVA + 'IncrementProcessor',
                 schema=OrderedDict([('field', String)])):
    pass


@pytest.mark.parametrize('what', sorted(GATED))
def test_feature_missing_is_refused_before_sending(ignite_node, what):
    bit, call = GATED[what]
    sent = []

    class Listener(QueryEventListener):
        def on_query_start(self, event):
            sent.append(event.op_name)

    # a client of a server that does not negotiate the feature: the same node with that
    # bit taken out of what was negotiated (the check is shared by both clients)
    with Client(event_listeners=[Listener()]) as probe:
        probe.connect(ignite_node.host, ignite_node.port)
        for conn in probe._session.nodes:
            ctx = conn.protocol_context
            ctx.features = ctx.features - {bit}
        sent.clear()
        with pytest.raises(NotSupportedByClusterError, match='feature {} '.format(bit)):
            call(probe)
        assert sent == []


# --- sync only ----------------------------------------------------------------------------

@pytest.mark.sync_only('concurrent.futures API of the sync client')
def test_submit_returns_a_future(client):
    future = client.compute().submit(SLEEP, '200:f')
    assert future.result(timeout=60) == 'slept'
    assert client.compute().submit(FAILING, 'f').exception(timeout=60) is not None


@pytest.mark.sync_only('concurrent.futures API of the sync client')
def test_done_callback_may_use_the_client(client, cache):
    future = client.compute().submit(ECHO, 'called back')
    seen = threading.Event()

    def callback(done):
        cache.put('result', done.result())  # a request from the callback's thread
        seen.set()

    future.add_done_callback(callback)
    assert seen.wait(60)
    assert cache.get('result') == 'called back'


@pytest.mark.sync_only('concurrent.futures API of the sync client')
def test_cancel_a_submitted_task(client):
    tag = uuid.uuid4().hex
    future = client.compute().submit(SLEEP, '60000:' + tag)
    assert future.cancel()
    assert future.cancelled()
    with pytest.raises(CancelledError):
        future.result()
    cache = client.get_or_create_cache('pyignite_interrupted')
    assert _wait_for(lambda: cache.get(tag) == 'interrupted')
    # an ended task cannot be cancelled
    done = client.compute().submit(ECHO, 1)
    assert done.result(timeout=60) == 1
    assert not done.cancel()


@pytest.mark.sync_only('threads sharing one sync client')
def test_100_tasks_from_8_threads(cluster_client):
    compute = cluster_client.compute()
    results = {}
    errors = []

    def worker(n):
        try:
            futures = [(i, compute.submit(ECHO, 'task-{}'.format(i)))
                       for i in range(n, 100, 8)]
            for i, future in futures:
                results[i] = future.result(timeout=120)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == {i: 'task-{}'.format(i) for i in range(100)}


# --- async only -----------------------------------------------------------------------------

def test_100_tasks_from_100_asyncio_tasks(ignite_cluster):
    async def main():
        client = AioClient()
        async with client.connect(ignite_cluster.endpoints):
            compute = client.compute()
            results = await asyncio.gather(*(
                compute.execute(ECHO, 'task-{}'.format(i)) for i in range(100)))
            assert results == ['task-{}'.format(i) for i in range(100)]
            points = await asyncio.gather(*(compute.execute(POINT, i) for i in range(10)))
            assert [(p.x, p.y) for p in points] == [(i, i * i) for i in range(10)]

    asyncio.run(main())


def test_cancelling_the_coroutine_cancels_the_task(ignite_node):
    tag = uuid.uuid4().hex

    async def main():
        client = AioClient()
        async with client.connect(ignite_node.host, ignite_node.port):
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.compute().execute(SLEEP, '60000:' + tag), 0.5)
            cache = await client.get_or_create_cache('pyignite_interrupted')
            for _ in range(600):
                if await cache.get(tag) == 'interrupted':
                    return True
                await asyncio.sleep(0.1)
            return False

    assert asyncio.run(main())


def test_cancelled_by_the_server_is_a_cancellation_error():
    error = ComputeTaskCancelledError('Task was cancelled', 1)
    assert isinstance(error, ComputeError) and isinstance(error, CancelledError)


# --- a server that leaves compute off -------------------------------------------------------

@pytest.fixture(scope='module')
def no_compute_node():
    """A node of its own with Ignite's default: no compute for thin clients."""
    cluster = ignite_server.IgniteCluster(
        'pyignite-nocompute', nodes=1, client_port=10860, discovery_port=47960,
        communication_port=47460, thin_compute=False)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def test_compute_disabled_on_the_server_says_what_to_configure(connect, no_compute_node):
    client = connect(no_compute_node)
    with pytest.raises(ComputeError, match='maxActiveComputeTasksPerConnection') as caught:
        client.compute().execute(ECHO, 1)
    assert caught.value.status == 100
    assert client.get_or_create_cache('after').get(1) is None  # the connection goes on


# --- the connection ends while a task runs --------------------------------------------------

def test_closing_the_client_fails_the_pending_future(ignite_node):
    client = Client()
    client.connect(ignite_node.host, ignite_node.port)
    future = client.compute().submit(SLEEP, '60000:' + uuid.uuid4().hex)
    client.close()
    with pytest.raises(ComputeError, match='connection'):
        future.result(timeout=60)


def test_closing_the_client_fails_the_awaited_task(ignite_node):
    async def main():
        started = asyncio.Event()

        class Started(QueryEventListener):
            def on_query_success(self, event):
                if event.op_name == 'OP_COMPUTE_TASK_EXECUTE':
                    started.set()

        client = AioClient(event_listeners=[Started()])
        await client.connect(ignite_node.host, ignite_node.port)
        task = asyncio.create_task(
            client.compute().execute(SLEEP, '60000:' + uuid.uuid4().hex))
        await started.wait()
        await client.close()
        with pytest.raises(ComputeError, match='connection'):
            await task

    asyncio.run(main())
