"""Multi-key operations split by primary node, on the three-node cluster, both client APIs.

``get_all``, ``put_all``, ``contains_keys``, ``remove_keys`` and ``clear_keys`` of a
partition-aware client send each node its own keys, all at once. What they answer and
what they leave in the cache must be what one request through one node gives (a client
without partition awareness is the reference), with missing and repeated keys; inside a
transaction everything stays on the transaction's connection, and writes to a
TRANSACTIONAL cache outside one stay one request (the server makes it one implicit
transaction).
"""
import pytest
from cluster_util import create_tx_cache

pytestmark = pytest.mark.both_apis

KEYS = 600


@pytest.fixture(scope='module')
def reference(connect, ignite_cluster):
    """A client without partition awareness: every operation is one request to one node."""
    return connect.cluster(ignite_cluster, partition_aware=False)


@pytest.fixture
def cache(client, plain_cache):
    plain_cache.clear()
    # the first call may fetch the partition map: the tests count requests after it
    plain_cache.put_all({-1: 'warm', -2: 'warm'})
    plain_cache.clear()
    return plain_cache


def nodes_of(recorder, op_name):
    nodes = recorder.nodes_of(op_name)
    return len(nodes), len(set(nodes))


def test_put_all_and_get_all_go_to_every_node_at_once(client, recorder, reference, cache):
    pairs = {k: 'v{}'.format(k) for k in range(KEYS)}
    pairs.update({'key {}'.format(k): float(k) for k in range(100)})
    recorder.clear()
    cache.put_all(pairs)
    assert nodes_of(recorder, 'OP_CACHE_PUT_ALL') == (3, 3)
    # keys missing, repeated, of several types, in no order
    asked = (list(range(KEYS + 40, -40, -1)) + [5, 5, 'key 7', 'key 7', 'absent']
             + ['key {}'.format(k) for k in range(100)])
    recorder.clear()
    got = cache.get_all(asked)
    assert nodes_of(recorder, 'OP_CACHE_GET_ALL') == (3, 3)
    assert got == pairs
    assert got == reference.get_cache(cache.name).get_all(asked)
    # each key went to a node that stores it under its primary: every one reads back
    assert all(cache.get(k) == v for k, v in pairs.items())


def test_contains_keys_is_the_and_of_every_node(client, recorder, reference, cache):
    cache.put_all({k: k for k in range(KEYS)})
    one = reference.get_cache(cache.name)
    recorder.clear()
    assert cache.contains_keys(list(range(KEYS))) is True
    assert nodes_of(recorder, 'OP_CACHE_CONTAINS_KEYS') == (3, 3)
    for missing in (0, KEYS // 2, KEYS - 1):
        keys = [k for k in range(KEYS) if k != missing] + [KEYS + missing]
        assert cache.contains_keys(keys) is False
        assert one.contains_keys(keys) is False
    # repeated keys: whatever the server says of them, the same as through one node
    for keys in ([3, 3, 3], list(range(KEYS)) + [3, 300], [3, 300]):
        assert cache.contains_keys(keys) is one.contains_keys(keys)


@pytest.mark.parametrize('method', ['remove_keys', 'clear_keys', 'clear'])
def test_removing_keys_on_every_node(client, recorder, reference, cache, method):
    cache.put_all({k: k for k in range(KEYS)})
    gone = list(range(0, KEYS, 3)) + [KEYS + 5, 0]
    recorder.clear()
    getattr(cache, method)(gone)
    op_name = 'OP_CACHE_REMOVE_KEYS' if method == 'remove_keys' else 'OP_CACHE_CLEAR_KEYS'
    assert nodes_of(recorder, op_name) == (3, 3)
    left = {k: k for k in range(KEYS) if k % 3}
    assert reference.get_cache(cache.name).get_all(list(range(KEYS + 10))) == left
    assert cache.get_size() == len(left)


def test_a_transaction_keeps_its_one_connection(client, recorder, reference):
    cache = create_tx_cache(client)
    try:
        pairs = {k: k * 2 for k in range(200)}
        recorder.clear()
        with client.tx_start() as tx:
            cache.put_all(pairs)
            assert cache.get_all(list(pairs)) == pairs
            assert cache.contains_keys(list(pairs)) is True
            tx.rollback()
        assert nodes_of(recorder, 'OP_CACHE_PUT_ALL') == (1, 1)
        assert nodes_of(recorder, 'OP_CACHE_GET_ALL') == (1, 1)
        assert nodes_of(recorder, 'OP_CACHE_CONTAINS_KEYS') == (1, 1)
        # rolled back: no part of the writes escaped the transaction
        assert reference.get_cache(cache.name).get_all(list(pairs)) == {}
        with client.tx_start() as tx:
            cache.put_all(pairs)
            tx.commit()
        assert reference.get_cache(cache.name).get_all(list(pairs)) == pairs
    finally:
        cache.destroy()


def test_writes_to_a_transactional_cache_stay_one_request(client, recorder, reference):
    """Outside a transaction the server runs a put_all on a TRANSACTIONAL cache as one
    implicit transaction: splitting it would give that up. Reads still split."""
    cache = create_tx_cache(client)
    try:
        pairs = {k: str(k) for k in range(KEYS)}
        cache.put_all(pairs)
        recorder.clear()
        cache.put_all(pairs)
        cache.remove_keys([1, 2, 3, 400, 500])
        assert nodes_of(recorder, 'OP_CACHE_PUT_ALL') == (1, 1)
        assert nodes_of(recorder, 'OP_CACHE_REMOVE_KEYS') == (1, 1)
        for k in (1, 2, 3, 400, 500):
            del pairs[k]
        assert cache.get_all(list(range(KEYS))) == pairs
        assert nodes_of(recorder, 'OP_CACHE_GET_ALL') == (3, 3)
    finally:
        cache.destroy()


def test_few_keys_and_no_keys(client, recorder, reference, cache):
    cache.put_all({1: 'a'})
    assert cache.get_all([1]) == {1: 'a'}
    assert cache.get_all([]) == {}
    assert cache.contains_keys([]) == reference.get_cache(cache.name).contains_keys([])
    cache.put_all({})
    cache.remove_keys([])
    assert cache.get_all([1, 2]) == {1: 'a'}


@pytest.mark.parametrize('keys', [
    [0, 1, -1, 7, 2 ** 31, -2 ** 31 - 5, 2 ** 40 + 3, -2 ** 40, 2 ** 63 - 1, -2 ** 63] + list(
        range(1000, 1200)),
    ['key {}'.format(k) for k in range(200)],
], ids=['ints', 'strings'])
def test_keys_of_one_node_go_to_it(client, recorder, cache, keys):
    """The node a multi-key request goes to is the one a single-key request of the same
    key goes to; keys that all belong to one node are one request to it."""
    owner = {}
    for key in keys:
        recorder.clear()
        cache.get(key)
        owner[key] = recorder.nodes_of('OP_CACHE_GET')[0]
    assert len(set(owner.values())) == 3  # the keys make every node a case
    for node in set(owner.values()):
        mine = {key: 'v {}'.format(key) for key in keys if owner[key] == node}
        recorder.clear()
        cache.put_all(mine)
        assert recorder.nodes_of('OP_CACHE_PUT_ALL') == [node]
        recorder.clear()
        assert cache.get_all(list(mine)) == mine
        assert recorder.nodes_of('OP_CACHE_GET_ALL') == [node]
