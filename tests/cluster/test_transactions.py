"""Transactions on TRANSACTIONAL caches of the three-node cluster, with both client APIs.

A transaction belongs to the thread (sync client) or the task (async client) that started
it. Through the test adapter a thread of the test is a task of its own
(tests/_aio_adapter.py), so "another thread" below is another thread or another task.
"""
import threading
import time

import pytest
from _aio_adapter import unwrap
from cluster_util import create_tx_cache, unique

from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.datatypes.transactions import TransactionConcurrency, TransactionIsolation
from pyignite.exceptions import CacheError
from pyignite.transaction import AioTransaction, Transaction

pytestmark = pytest.mark.both_apis

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


def test_commit_is_visible(client, api, cache):
    with client.tx_start() as tx:
        assert isinstance(unwrap(tx), {'sync': Transaction, 'async': AioTransaction}[api])
        assert tx.tx_id is not None
        assert (tx.concurrency, tx.isolation, tx.timeout, tx.label) == (
            PESSIMISTIC, REPEATABLE_READ, 0, None)
        cache.put('a', 1)
        cache.put_all({'b': 2, 'c': 3})
        # not committed yet: outside the transaction nothing shows ...
        assert in_thread(cache.get, 'a') is None
        # ... and what is done outside does not join it: it applies at once
        in_thread(cache.put, 'outside', 1)
        assert in_thread(cache.get, 'outside') == 1
        assert cache.get('a') == 1
        tx.commit()
        assert tx.closed
    assert cache.get_all(['a', 'b', 'c', 'outside']) == {'a': 1, 'b': 2, 'c': 3, 'outside': 1}
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


@pytest.mark.sync_only('a writer thread waits for the lock while this thread goes on: two '
                       'threads cannot drive the one event loop of the adapter at once')
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
