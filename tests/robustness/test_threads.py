"""One sync :class:`Client` shared by many threads.

Thread safety (documented in :mod:`pyignite.connection.connection`): a ``Client``, its
connections and ``Cache`` objects may be shared; every request gets its own reply, whatever
thread reads it off the socket. Not safe to share: one cursor object between threads (its
position is not locked), and a transaction, which belongs to the thread that started it.
"""
import random
import threading
import time

import pytest

from pyignite import Client
from pyignite.exceptions import ReconnectError

from .doubles import client_via, current_port, delayed, dropped

THREADS = 16
ROUNDS = 40


def _value(tid: int, i: int) -> str:
    return 't{}-r{}'.format(tid, i)


def _worker(cache, client, tid: int, errors: list, use_sql: bool) -> None:
    rnd = random.Random(tid)
    try:
        mine = ['own-{}-{}'.format(tid, k) for k in range(5)]
        for i in range(ROUNDS):
            key = mine[i % len(mine)]
            value = _value(tid, i)
            cache.put(key, value)
            assert cache.get(key) == value
            assert cache.contains_key(key)
            batch = {k: _value(tid, -j) for j, k in enumerate(mine)}
            cache.put_all(batch)
            assert cache.get_all(mine) == batch
            assert cache.replace(key, value + '!')
            assert cache.get_and_put(key, value) == value + '!'
            assert cache.remove_key(key)
            assert not cache.contains_key(key)
            assert cache.get(key) is None
            # shared keys: any thread may have written them, but never a torn value
            shared = 'shared-{}'.format(rnd.randrange(4))
            previous = cache.get_and_put(shared, value)
            assert previous is None or previous.startswith('t')
            seen = cache.get(shared)
            assert seen is not None and seen.startswith('t') and '-r' in seen
            # a value that encodes the thread id in a number and in a byte string
            cache.put('n-{}'.format(tid), tid * 1000 + i)
            assert cache.get('n-{}'.format(tid)) == tid * 1000 + i
            blob = bytes([tid]) * (1 + i * 97)
            cache.put(key + '-blob', blob)
            assert cache.get(key + '-blob') == blob
            if use_sql and i % 8 == 0:
                with client.sql('SELECT ?, ?', query_args=[tid, value]) as cursor:
                    assert list(cursor) == [[tid, value]]
    except BaseException as e:  # noqa: B902 - reported by the test
        errors.append((tid, e))


def _run_threads(client, cache, n: int, use_sql: bool = True) -> list:
    errors: list = []
    threads = [threading.Thread(target=_worker, args=(cache, client, tid, errors, use_sql))
               for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), 'a thread hangs'
    return errors


def _sql_works(client) -> bool:
    try:
        with client.sql('SELECT 1') as cursor:
            return list(cursor) == [[1]]
    except Exception:
        return False


def test_sixteen_threads_share_one_client(ignite_node, cache_name):
    with Client().connect(ignite_node.host, ignite_node.port) as client:
        cache = client.get_or_create_cache(cache_name)
        try:
            errors = _run_threads(client, cache, THREADS, _sql_works(client))
            assert errors == []
            # every thread's last numbers are where it left them
            assert cache.get_all(['n-{}'.format(t) for t in range(THREADS)]) == \
                {'n-{}'.format(t): t * 1000 + ROUNDS - 1 for t in range(THREADS)}
        finally:
            cache.destroy()


def test_threads_share_one_tls_client(ssl_node, cache_name):
    """With TLS the SSL object is never used by two threads at once (OpenSSL forbids it)."""
    client = Client(use_ssl=True)
    with client.connect(ssl_node.host, ssl_node.port):
        cache = client.get_or_create_cache(cache_name)
        try:
            assert _run_threads(client, cache, 8, use_sql=False) == []
        finally:
            cache.destroy()


def test_broken_connection_fails_every_waiting_thread(proxy, ignite_node, cache_name):
    """Threads waiting for replies when the node drops the connection all get an OSError
    promptly (no timeout set), and the client then serves them from the next node."""
    client = client_via(proxy, ignite_node)
    try:
        cache = client.get_or_create_cache(cache_name)
        cache.put('k', 'v')
        proxy.tamper_all(dropped)
        outcomes = []
        started = threading.Barrier(9)

        def wait_for_reply(i):
            started.wait()
            try:
                outcomes.append(cache.get('k'))
            except BaseException as e:  # noqa: B902 - checked below
                outcomes.append(e)

        threads = [threading.Thread(target=wait_for_reply, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        started.wait()
        # all eight requests are in flight and unanswered; now the node goes away
        _until(lambda: _in_flight(client) == 8)
        proxy.close()
        for thread in threads:
            thread.join(20)
        assert not any(thread.is_alive() for thread in threads), 'a thread hangs'
        assert len(outcomes) == 8
        assert all(isinstance(o, ConnectionError) for o in outcomes), outcomes
        assert cache.get('k') == 'v'
        assert current_port(client) == ignite_node.port
        cache.destroy()
    finally:
        client.close()


def test_closing_the_client_releases_waiting_threads(proxy, ignite_node, cache_name):
    client = client_via(proxy, ignite_node)
    cache = client.get_or_create_cache(cache_name)
    proxy.tamper_all(dropped)
    outcomes = []

    def wait_for_reply():
        try:
            outcomes.append(cache.get('k'))
        except BaseException as e:  # noqa: B902 - checked below
            outcomes.append(e)

    threads = [threading.Thread(target=wait_for_reply) for _ in range(4)]
    for thread in threads:
        thread.start()
    _until(lambda: _in_flight(client) == 4)
    client.close()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads), 'a thread hangs'
    assert len(outcomes) == 4 and all(isinstance(o, OSError) for o in outcomes), outcomes
    proxy.tamper_all(None)
    with client.connect(ignite_node.host, ignite_node.port):
        client.get_cache(cache_name).destroy()


def _in_flight(client) -> int:
    """Requests sent and not answered (the reading thread's own included)."""
    return len(client._session.current._stream.inbox.waiting)


def _until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail('condition not reached in {}s'.format(seconds))
        time.sleep(0.01)


def test_closing_the_client_while_it_connects(proxy, ignite_node):
    """close() from another thread during a slow handshake: connect() gives up and no
    connection is left open behind the closed client."""
    proxy.tamper_handshake(delayed(1.0))
    client = Client(handshake_timeout=10)
    outcome = []

    def connect():
        try:
            client.connect(proxy.host, proxy.port)
            outcome.append(None)
        except BaseException as e:  # noqa: B902 - checked below
            outcome.append(e)

    thread = threading.Thread(target=connect)
    thread.start()
    _until(lambda: client._session.nodes and proxy.connections == 1)
    nodes = list(client._session.nodes)
    client.close()
    thread.join(20)
    assert isinstance(outcome[0], ReconnectError)
    assert isinstance(outcome[0].__cause__, ConnectionError)
    assert not any(conn.alive for conn in nodes)
    proxy.tamper_handshake(None)
    with client.connect(ignite_node.host, ignite_node.port):
        assert isinstance(client.get_cache_names(), list)
