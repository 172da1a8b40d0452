"""Retry policies, decided against a real node behind a fault proxy that hangs up instead
of answering (the connection dies with the request on it, as when a node dies).

The client's first node is the proxy, its second the real node (no partition awareness:
one connection at a time, the next node of the list when it breaks). What a user relies
on: by default the caller gets the connection error; a read policy sends reads again on
the next node, never writes; the all policy sends everything again; ``retry_limit`` bounds
it; inside a transaction nothing is sent again.
"""
import pytest

from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.exceptions import ParameterError
from pyignite.retry import (
    ClientOperationType, RetryAllPolicy, RetryNonePolicy, RetryPolicy, RetryReadPolicy,
)
from robustness.doubles import FaultProxy

from .helpers import unique

OP_CACHE_GET = 1000
OP_CACHE_PUT = 1001


def _hang_up(body):
    return b'', True  # swallow the reply, close the connection


@pytest.fixture
def cache_name():
    return unique('retry')


def _client(connect, proxy, node, cache_name, events, **kwargs):
    client = connect.new(partition_aware=False, event_listeners=[events], **kwargs)
    client.connect([(proxy.host, proxy.port), (node.host, node.port)])
    cache = client.get_or_create_cache({PROP_NAME: cache_name,
                                        PROP_CACHE_ATOMICITY_MODE:
                                        CacheAtomicityMode.TRANSACTIONAL})
    cache.put('k', 'v')
    return client, cache


@pytest.fixture
def make(connect, proxy, ignite_node, cache_name, events):
    """``make(**client_kwargs) -> (client, cache)``; the cache is dropped afterwards."""
    made = []

    def factory(**kwargs):
        made.append(_client(connect, proxy, ignite_node, cache_name, events, **kwargs))
        return made[-1]
    yield factory
    proxy.reset()
    for client, cache in made:
        try:
            cache.destroy()
        finally:
            client.close()


@pytest.mark.parametrize('policy', [None, RetryNonePolicy()], ids=['default', 'none'])
def test_the_caller_gets_the_error(make, proxy, events, policy):
    client, cache = make(retry_policy=policy)
    proxy.tamper_next(_hang_up)
    with pytest.raises(ConnectionError):
        cache.get('k')
    assert not events.of('query_retry')
    assert cache.get('k') == 'v'  # the next call goes to the next node


def test_read_policy_sends_reads_again_and_not_writes(make, proxy, events, ignite_node):
    client, cache = make(retry_policy=RetryReadPolicy())
    proxy.tamper_all(_hang_up)
    assert cache.get('k') == 'v'
    [retry] = events.of('query_retry')
    assert (retry.op_name, retry.operation, retry.iteration) == ('OP_CACHE_GET', 'CACHE_GET', 0)
    gets = [e for e in events.of('query_start') if e.op_code == OP_CACHE_GET]
    assert [e.port for e in gets[-2:]] == [proxy.port, ignite_node.port]

    # a put is not sent again: its connection dies and the caller hears of it
    client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)])
    events.clear()
    with pytest.raises(ConnectionError):
        cache.put('k', 'w')
    assert not events.of('query_retry')


def test_all_policy_sends_writes_again(make, proxy, events, ignite_node):
    client, cache = make(retry_policy=RetryAllPolicy())
    proxy.tamper_all(_hang_up)
    cache.put('k', 'w')
    [retry] = events.of('query_retry')
    assert retry.operation == 'CACHE_PUT'
    proxy.reset()
    assert cache.get('k') == 'w'


def test_retry_limit(connect, ignite_node, events, cache_name):
    # two hanging-up nodes and the real one: one retry allowed, so the real node is never
    # reached, and the caller gets the error of the second attempt
    proxies = [FaultProxy(ignite_node.host, ignite_node.port) for _ in range(2)]
    try:
        client, cache = None, None
        client = connect.new(partition_aware=False, event_listeners=[events],
                             retry_policy=RetryAllPolicy(), retry_limit=1)
        client.connect([(p.host, p.port) for p in proxies] +
                       [(ignite_node.host, ignite_node.port)])
        cache = client.get_or_create_cache(cache_name)
        for proxy in proxies:
            proxy.tamper_all(_hang_up)
        events.clear()
        with pytest.raises(ConnectionError):
            cache.get('k')
        assert [e.port for e in events.of('query_start')] == [p.port for p in proxies]
        assert len(events.of('query_retry')) == 1
        for proxy in proxies:
            proxy.reset()
        cache.destroy()
    finally:
        if client is not None:
            client.close()
        for proxy in proxies:
            proxy.close()


class Recording(RetryPolicy):
    def __init__(self, answer):
        self.answer = answer
        self.contexts = []

    def should_retry(self, context):
        self.contexts.append(context)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_a_policy_of_ones_own(make, proxy, events):
    policy = Recording(True)
    client, cache = make(retry_policy=policy)
    proxy.tamper_next(_hang_up)
    assert cache.contains_key('k') is True
    [context] = policy.contexts
    assert context.operation is ClientOperationType.CACHE_CONTAINS_KEY
    assert context.iteration == 0 and isinstance(context.error, ConnectionError)


def test_a_failing_policy_means_no(make, proxy, events):
    client, cache = make(retry_policy=Recording(RuntimeError('policy bug')))
    proxy.tamper_next(_hang_up)
    with pytest.raises(ConnectionError):
        cache.get('k')


@pytest.mark.sync_only('a transaction belongs to the task that started it, and the adapter '
                       'runs each call in a task of its own; tests/smart/test_retry_aio.py '
                       'has the async variant')
def test_nothing_is_sent_again_inside_a_transaction(make, proxy, events):
    client, cache = make(retry_policy=RetryAllPolicy())
    with client.tx_start():
        cache.put('k', 'in tx')
        proxy.tamper_all(_hang_up)
        with pytest.raises(ConnectionError):
            client.get_cache_names()  # not the transaction's, but made inside it
    assert not events.of('query_retry')
    proxy.reset()
    assert cache.get('k') == 'v'  # rolled back with its connection


@pytest.mark.parametrize('kwargs', [
    {'retry_policy': 'all'}, {'retry_limit': -1}, {'retry_limit': 1.5},
    {'heartbeat_interval': -1}, {'heartbeat_interval': 'often'},
    {'user_attributes': {'a': 1}}, {'user_attributes': ['a']},
    {'address_filter': 'localhost'}, {'reconnect_throttling_retries': -2},
    {'reconnect_throttling_period': 0},
])
def test_bad_settings(connect, kwargs):
    with pytest.raises(ParameterError):
        connect.new(**kwargs)
