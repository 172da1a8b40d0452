"""Transactions on TRANSACTIONAL caches of the three-node cluster, sync and async."""
import asyncio
import threading
import time

import pytest
from cluster_util import create_tx_cache, unique

from pyignite import AioClient
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.datatypes.transactions import TransactionConcurrency, TransactionIsolation
from pyignite.exceptions import CacheError
from pyignite.transaction import AioTransaction, Transaction

OPTIMISTIC = TransactionConcurrency.OPTIMISTIC
PESSIMISTIC = TransactionConcurrency.PESSIMISTIC
READ_COMMITTED = TransactionIsolation.READ_COMMITTED
REPEATABLE_READ = TransactionIsolation.REPEATABLE_READ
SERIALIZABLE = TransactionIsolation.SERIALIZABLE


@pytest.fixture(scope='module')
def cache(client):
    cache = create_tx_cache(client)
    yield cache
    cache.destroy()


def in_thread(fn, *args):
    """Run ``fn`` in another thread (another transaction context); return its result."""
    result = []

    def target():
        try:
            result.append((True, fn(*args)))
        except BaseException as e:
            result.append((False, e))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    ok, value = result[0]
    if not ok:
        raise value
    return value


def test_commit_is_visible(client, cache):
    with client.tx_start() as tx:
        assert isinstance(tx, Transaction)
        assert (tx.concurrency, tx.isolation, tx.timeout, tx.label) == (
            PESSIMISTIC, REPEATABLE_READ, 0, None)
        cache.put('a', 1)
        cache.put_all({'b': 2, 'c': 3})
        # not committed yet: outside the transaction nothing shows
        assert in_thread(cache.get, 'a') is None
        assert cache.get('a') == 1
        tx.commit()
        assert tx.closed
    assert cache.get_all(['a', 'b', 'c']) == {'a': 1, 'b': 2, 'c': 3}
    assert in_thread(cache.get, 'a') == 1


def test_rollback_is_invisible(client, cache):
    cache.put('r', 'before')
    tx = client.tx_start()
    cache.put('r', 'during')
    cache.remove_key('r2')
    tx.rollback()
    assert cache.get('r') == 'before'
    # leaving the block without commit rolls back
    with client.tx_start():
        cache.put('r', 'during')
    assert cache.get('r') == 'before'
    # and so does an exception, which propagates
    with pytest.raises(KeyError):
        with client.tx_start():
            cache.put('r', 'during')
            raise KeyError('boom')
    assert cache.get('r') == 'before'


def test_after_the_transaction_operations_are_plain(client, cache):
    with client.tx_start() as tx:
        cache.put('p', 1)
        tx.commit()
    cache.put('p', 2)  # no transaction any more: applied at once
    assert in_thread(cache.get, 'p') == 2


def test_requests_go_to_the_transaction_connection(client, recorder, cache):
    recorder.clear()
    with client.tx_start() as tx:
        for k in range(30):  # keys of every node
            cache.put(k, k)
        tx.commit()
    nodes = {e.node_uuid for e in recorder.started}
    assert nodes == {str(tx.conn.uuid)}
    recorder.clear()
    for k in range(30):
        cache.put(k, k)
    assert len(set(recorder.nodes_of('OP_CACHE_PUT'))) == 3  # routed again


@pytest.mark.parametrize('concurrency', list(TransactionConcurrency))
@pytest.mark.parametrize('isolation', list(TransactionIsolation))
def test_every_mode_commits(client, cache, concurrency, isolation):
    key = 'mode-{}-{}'.format(concurrency.name, isolation.name)
    with client.tx_start(concurrency, isolation, timeout=10000, label=key) as tx:
        assert (tx.concurrency, tx.isolation, tx.label) == (concurrency, isolation, key)
        cache.put(key, 1)
        assert cache.get_and_replace(key, 2) == 1
        tx.commit()
    assert cache.get(key) == 2


def test_timeout(client, cache):
    tx = client.tx_start(timeout=200, label='short-tx')
    try:
        cache.put('t', 1)
        time.sleep(0.6)
        with pytest.raises(CacheError, match='timed out'):
            cache.put('t2', 2)
            tx.commit()
    finally:
        tx.close()
    assert tx.closed
    assert cache.get('t') is None and cache.get('t2') is None


def _blocked_while(start_writer, check):
    """Start a writer thread, call ``check()`` while the writer may be blocked, return
    whether the writer had finished before ``check`` returned."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (start_writer(), done.set()))
    thread.start()
    time.sleep(0.5)
    finished_early = done.is_set()
    check()
    return thread, done, finished_early


def test_pessimistic_repeatable_read_locks_what_it_read(client, cache):
    cache.put('rr', 0)
    with client.tx_start(PESSIMISTIC, REPEATABLE_READ) as tx:
        assert cache.get('rr') == 0  # takes the lock
        writer, done, early = _blocked_while(lambda: cache.put('rr', 5), lambda: None)
        assert not early  # the writer waits for the lock
        assert cache.get('rr') == 0
        tx.commit()
    writer.join()
    assert done.is_set() and cache.get('rr') == 5


def test_read_committed_sees_other_commits(client, cache):
    cache.put('rc', 0)
    with client.tx_start(PESSIMISTIC, READ_COMMITTED) as tx:
        assert cache.get('rc') == 0  # no lock taken
        in_thread(cache.put, 'rc', 5)
        assert cache.get('rc') == 5
        tx.commit()


def test_optimistic_serializable_conflict(client, cache):
    """Two transactions read then write one key: the second to commit fails."""
    cache.put('os', 0)

    def other():
        with client.tx_start(OPTIMISTIC, SERIALIZABLE) as tx2:
            value = cache.get('os')
            cache.put('os', value + 10)
            tx2.commit()

    with client.tx_start(OPTIMISTIC, SERIALIZABLE) as tx1:
        value = cache.get('os')
        in_thread(other)  # commits first
        cache.put('os', value + 1)
        with pytest.raises(CacheError):
            tx1.commit()
        assert tx1.closed
    assert cache.get('os') == 10


def test_end_from_another_thread(client, cache):
    with client.tx_start() as tx:
        cache.put('x', 1)
        for end in (tx.commit, tx.rollback):
            with pytest.raises(CacheError, match='different thread'):
                in_thread(end)
        assert not tx.closed
        tx.commit()
    assert cache.get('x') == 1


def test_commit_twice(client, cache):
    tx = client.tx_start()
    tx.commit()
    with pytest.raises(CacheError):
        tx.commit()
    tx.rollback()  # harmless
    tx.close()


@pytest.mark.parametrize('kwargs', [
    {'concurrency': 5}, {'concurrency': 'PESSIMISTIC'}, {'isolation': 3},
    {'isolation': True}, {'timeout': -1}, {'timeout': 1.5}, {'timeout': None},
    {'label': 5}, {'label': b'bytes'},
])
def test_bad_parameters(client, kwargs):
    with pytest.raises(ValueError):
        client.tx_start(**kwargs)
    # nothing was started
    with client.tx_start() as tx:
        tx.commit()


def test_atomic_cache_refuses_transactions(client):
    atomic = client.create_cache({PROP_NAME: unique('atomic'),
                                  PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.ATOMIC})
    try:
        with client.tx_start():
            with pytest.raises(CacheError):
                atomic.put(1, 1)
    finally:
        atomic.destroy()


# --- asyncio -----------------------------------------------------------------------------

@pytest.fixture
async def aio_tx(ignite_cluster):
    """``(client, cache)``: an AioClient of its own on the cluster, a transactional cache."""
    client = AioClient()
    async with client.connect(ignite_cluster.endpoints):
        cache = await client.create_cache({
            PROP_NAME: unique('aio-tx'),
            PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL})
        try:
            yield client, cache
        finally:
            await cache.destroy()


async def test_async_commit_and_rollback(aio_tx):
    client, cache = aio_tx
    async with client.tx_start() as tx:
        assert isinstance(tx, AioTransaction) and tx.tx_id is not None
        await cache.put('a', 1)
        await tx.commit()
    assert await cache.get('a') == 1
    async with client.tx_start():
        await cache.put('a', 2)
    assert await cache.get('a') == 1
    tx = await client.tx_start(OPTIMISTIC, READ_COMMITTED, label='awaited')
    await cache.put('b', 1)
    await tx.rollback()
    assert await cache.get('b') is None


async def test_async_transactions_are_per_task(aio_tx):
    client, cache = aio_tx
    started = asyncio.Event()
    release = asyncio.Event()

    async def writer():
        async with client.tx_start() as tx:
            await cache.put('k', 'tx')
            started.set()
            await release.wait()
            await tx.commit()

    task = asyncio.ensure_future(writer())
    await started.wait()
    # this task is outside the transaction: it neither sees nor joins it
    assert await cache.get('k') is None
    await cache.put('other', 1)
    release.set()
    await task
    assert await cache.get('k') == 'tx'
    assert await cache.get('other') == 1


async def test_async_end_from_another_task(aio_tx):
    client, cache = aio_tx
    tx = await client.tx_start()
    try:
        # deliberately a loop of its own in another thread: the commit comes from outside
        # the task (and the thread) that started the transaction
        with pytest.raises(CacheError, match='different thread or coroutine'):
            await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(
                tx.commit()))
    finally:
        await tx.rollback()
    assert tx.closed


async def test_async_timeout(aio_tx):
    client, cache = aio_tx
    async with client.tx_start(timeout=200, label='short-tx') as tx:
        await cache.put('t', 1)
        await asyncio.sleep(0.6)
        with pytest.raises(CacheError, match='timed out'):
            await cache.put('t2', 2)
            await tx.commit()
    assert await cache.get('t') is None
