"""Partition awareness against a real three-node cluster.

Every check is made on the server: caches have no backups, so only a key's primary
node holds it, and OP_CACHE_LOCAL_PEEK sent on one node's own connection sees what that
node holds. The node a ``put`` went to is taken from the client's query events.

Routing is decided once, in the session both clients share: the tests marked
``both_apis`` check that each client uses it; the others run with the sync client.
Many requests in flight at once (asyncio) are routed in tests/aio/test_aio_concurrency.py.
"""
import random
import time
import uuid
from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pyignite import Client
from pyignite.binary import GenericObjectMeta
from pyignite.datatypes import (
    BoolObject, ByteObject, CharObject, DateObject, DecimalObject, DoubleObject, FloatObject,
    IntObject, LongObject, ShortObject, String, TimeObject, TimestampObject, UUIDObject,
)
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_KEY_CONFIGURATION, PROP_CACHE_MODE, PROP_NAME,
)
from pyignite.exceptions import ParameterError
from pyignite.monitoring import ConnectionEventListener

from cluster_util import Recorder, connection_of, peek, unique

N = 1000


def _keys(make):
    rnd = random.Random(20240611)
    return [make(rnd, i) for i in range(N)]


def _unicode(rnd, i):
    # ASCII, Latin-1, Cyrillic, CJK and a character outside the BMP (two UTF-16 units)
    alphabet = 'aZ09_ü߷Жя中文😀'
    return 'k{}-'.format(i) + ''.join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))


# (id, hint, key maker); None hint: the Python type's default mapping
KEY_TYPES = [
    ('byte', ByteObject, lambda r, i: i % 256 - 128),
    ('short', ShortObject, lambda r, i: r.randint(-2 ** 15, 2 ** 15 - 1)),
    ('int', IntObject, lambda r, i: r.randint(-2 ** 31, 2 ** 31 - 1)),
    ('long', None, lambda r, i: r.randint(-2 ** 63, 2 ** 63 - 1)),
    ('long-hint', LongObject, lambda r, i: i),
    ('float', FloatObject, lambda r, i: r.uniform(-1e6, 1e6)),
    ('double', None, lambda r, i: r.uniform(-1e12, 1e12) * (1 if i % 2 else 1e-9)),
    ('char', CharObject, lambda r, i: chr(r.choice([r.randint(32, 0xD7FF),
                                                    r.randint(0xE000, 0xFFFF)]))),
    ('bool', BoolObject, lambda r, i: bool(i % 2)),
    ('str', None, _unicode),
    ('str-hint', String, lambda r, i: 'key-{}'.format(i)),
    ('uuid', UUIDObject, lambda r, i: uuid.UUID(int=r.getrandbits(128))),
    ('decimal', DecimalObject, lambda r, i: Decimal(r.randint(-10 ** 30, 10 ** 30))
        .scaleb(-r.randint(0, 20))),
    ('date', DateObject, lambda r, i: datetime(1970, 1, 1) + timedelta(
        milliseconds=r.randint(-2 ** 40, 2 ** 41))),
    ('timestamp', TimestampObject, lambda r, i: (datetime(2000, 1, 1) + timedelta(
        milliseconds=r.randint(0, 2 ** 40)), r.randint(0, 999) * 1000)),
    ('time', TimeObject, lambda r, i: timedelta(milliseconds=r.randint(0, 86400000 - 1))),
]


def check_routing(client, recorder: Recorder, cache, keys, hint=None, tolerate_changes=False):
    """Put each key and check, on the server, that the node it went to is its primary.

    :param tolerate_changes: redo a key whose put raced with a topology change (the map
     is refreshed only when a reply reports the change)
    :return: how many distinct nodes got puts.
    """
    router = client._session.router
    used = set()
    for n, key in enumerate(keys):
        for _ in range(5):
            version = router.affinity.latest_version
            recorder.clear()
            value = 'v{}'.format(n)
            cache.put(key, value, key_hint=hint)
            [node] = recorder.nodes_of('OP_CACHE_PUT')
            held = peek(client, cache, connection_of(client, node), key, hint)
            if held == value or not tolerate_changes or \
                    router.affinity.latest_version == version:
                break
        assert held == value, 'key {!r} was sent to node {}, which is not its primary'.format(
            key, node)
        used.add(node)
    return used


@pytest.mark.parametrize('name, hint, make', KEY_TYPES, ids=[t[0] for t in KEY_TYPES])
def test_put_goes_to_primary(client, recorder, plain_cache, name, hint, make):
    assert client.partition_aware
    keys = _keys(make)
    used = check_routing(client, recorder, plain_cache, keys, hint)
    if len(set(keys)) > 100:
        assert len(used) == 3  # so the router did not just stay on one node


@pytest.mark.parametrize('name, hint, make', KEY_TYPES, ids=[t[0] for t in KEY_TYPES])
def test_put_goes_to_primary_with_1000_partitions(client, recorder, parts1000_cache, name,
                                                  hint, make):
    parts1000_cache.get(0)  # the map is fetched with the first keyed request
    group = client._session.router.affinity.group(parts1000_cache.cache_id)
    assert group is not None and group.parts == 1000
    keys = _keys(make)
    used = check_routing(client, recorder, parts1000_cache, keys, hint)
    if len(set(keys)) > 100:
        assert len(used) == 3


def _key_class(type_name):
    return GenericObjectMeta(type_name, (), {}, type_name=type_name, schema=OrderedDict([
        ('id', IntObject), ('name', String), ('score', DoubleObject)]))


def _objects(cls):
    rnd = random.Random(11)
    return [cls(id=rnd.randint(-2 ** 31, 2 ** 31 - 1), name=_unicode(rnd, i),
                score=rnd.random()) for i in range(N)]


def test_complex_object_keys(client, recorder, plain_cache, parts1000_cache):
    """The whole object's hash (no affinity key field)."""
    keys = _objects(_key_class(unique('PaKey')))
    assert len(check_routing(client, recorder, plain_cache, keys)) == 3
    assert len(check_routing(client, recorder, parts1000_cache, keys[:300])) == 3


def test_affinity_key_field_from_binary_metadata(client, recorder, plain_cache):
    """Keys that differ only outside the affinity field all go to one node."""
    cls = _key_class(unique('PaAffKey'))
    client.register_binary_type(cls, affinity_key_field='name')
    keys = _objects(cls)
    assert len(check_routing(client, recorder, plain_cache, keys)) == 3
    same_name = [cls(id=i, name='one name', score=i / 7) for i in range(50)]
    assert len(check_routing(client, recorder, plain_cache, same_name)) == 1


def test_affinity_key_field_from_cache_key_configuration(client, recorder):
    type_name = unique('PaCfgKey')
    cache = client.create_cache({
        PROP_NAME: unique('pa-keycfg'), PROP_BACKUPS_NUMBER: 0,
        PROP_CACHE_KEY_CONFIGURATION: [
            {'type_name': type_name, 'affinity_key_field_name': 'id'}],
    })
    try:
        cls = _key_class(type_name)
        keys = _objects(cls)
        assert len(check_routing(client, recorder, cache, keys)) == 3
        same_id = [cls(id=42, name='n{}'.format(i), score=0.5) for i in range(50)]
        assert len(check_routing(client, recorder, cache, same_id)) == 1
    finally:
        cache.destroy()


def test_every_single_key_operation_is_routed(client, recorder, plain_cache):
    """Not only put: each single-key method goes to the primary node."""
    cache = plain_cache
    keys = list(range(10_000, 10_060))
    cache.put_all({k: k for k in keys})
    owner = {}
    for k in keys:
        for conn in client._session.nodes:
            if peek(client, cache, conn, k, None) == k:
                owner[k] = str(conn.uuid)
    assert len(owner) == len(keys) and len(set(owner.values())) == 3
    calls = [
        ('OP_CACHE_GET', lambda k: cache.get(k)),
        ('OP_CACHE_CONTAINS_KEY', lambda k: cache.contains_key(k)),
        ('OP_CACHE_REPLACE', lambda k: cache.replace(k, k)),
        ('OP_CACHE_GET_AND_PUT', lambda k: cache.get_and_put(k, k)),
        ('OP_CACHE_GET_AND_REPLACE', lambda k: cache.get_and_replace(k, k)),
        ('OP_CACHE_PUT_IF_ABSENT', lambda k: cache.put_if_absent(k, k)),
        ('OP_CACHE_GET_AND_PUT_IF_ABSENT', lambda k: cache.get_and_put_if_absent(k, k)),
        ('OP_CACHE_REPLACE_IF_EQUALS', lambda k: cache.replace_if_equals(k, k, k)),
        ('OP_CACHE_REMOVE_IF_EQUALS', lambda k: cache.remove_if_equals(k, -1)),
        ('OP_CACHE_CLEAR_KEY', lambda k: cache.clear_key(k)),
        ('OP_CACHE_GET_AND_REMOVE', lambda k: cache.get_and_remove(k)),
        ('OP_CACHE_REMOVE_KEY', lambda k: cache.remove_key(k)),
    ]
    for op_name, call in calls:
        recorder.clear()
        for k in keys:
            call(k)
        assert recorder.nodes_of(op_name) == [owner[k] for k in keys], op_name


def test_replicated_cache_routes_by_default(client, recorder):
    cache = client.create_cache({PROP_NAME: unique('repl'), PROP_CACHE_MODE: CacheMode.REPLICATED})
    try:
        cache.get(1)
        group = client._session.router.affinity.group(cache.cache_id)
        assert group is not None and not group.applicable
        recorder.clear()
        for k in range(50):
            cache.put(k, k)
            assert cache.get(k) == k
        # all on the default connection, none guessed: a get on another node than the
        # put's could read the old value (PRIMARY_SYNC updates the other copies later)
        assert len(set(recorder.nodes_of('OP_CACHE_PUT'))) == 1
    finally:
        cache.destroy()


def test_get_best_node(client, plain_cache):
    for k in range(100):
        plain_cache.put(k, k)
        conn = client.get_best_node(plain_cache, k)
        assert peek(client, plain_cache, conn, k, None) == k
        assert client.get_best_node(plain_cache.name, k) is conn
        assert client.get_best_node(plain_cache.cache_id, (k, LongObject)) is conn
    assert client.get_best_node(plain_cache) in client._session.nodes


def test_partition_aware_off_uses_one_node(ignite_cluster, plain_cache):
    recorder = Recorder()
    client = Client(partition_aware=False, event_listeners=[recorder])
    with client.connect(ignite_cluster.endpoints):
        cache = client.get_cache(plain_cache.name)
        for k in range(30):
            cache.put(k, k)
        assert len(set(recorder.nodes_of('OP_CACHE_PUT'))) == 1
        assert sum(conn.alive for conn in client._session.nodes) == 1


def _wait_for_map(client, cache, predicate, timeout=60.0):
    """Make requests (so replies report topology changes) until the map of ``cache`` is
    current and satisfies ``predicate(group)``."""
    deadline = time.monotonic() + timeout
    affinity = client._session.router.affinity
    while True:
        try:
            cache.get(-1)
        except OSError:
            pass  # a connection to a killed node: noticed, later requests go elsewhere
        group = affinity.group(cache.cache_id)
        if group is not None and not affinity.is_stale() and predicate(group):
            return group
        if time.monotonic() > deadline:
            raise AssertionError('the partition map did not settle: {}'.format(group))
        time.sleep(0.2)


@pytest.mark.slow
def test_topology_change(ignite_cluster):
    """A fourth node joins (the client connects to it and routes keys to it), then is killed
    (its keys go to the others); routing is exact after each change."""
    host = ignite_cluster.host
    endpoints = [(host, port) for port in ignite_cluster.slot_ports]  # slot 3 not running
    recorder = Recorder()
    client = Client(event_listeners=[recorder])
    with client.connect(endpoints):
        assert [conn.alive for conn in client._session.nodes] == [True, True, True, False]
        cache = client.create_cache({PROP_NAME: unique('topo'), PROP_BACKUPS_NUMBER: 0})
        try:
            keys = list(range(N))
            assert len(check_routing(client, recorder, cache, keys)) == 3
            ignite_cluster.start_node(3)
            try:
                new_conn = client._session.nodes[3]

                def node3_owns_a_share(group):
                    return new_conn.alive and group.partition_owners.count(
                        new_conn.uuid) > group.parts // 8

                _wait_for_map(client, cache, node3_owns_a_share)
                used = check_routing(client, recorder, cache, keys, tolerate_changes=True)
                assert str(new_conn.uuid) in used and len(used) == 4
            finally:
                ignite_cluster.kill_node(3)
            gone = client._session.nodes[3].uuid

            def node3_gone(group):
                return gone not in group.partition_owners

            _wait_for_map(client, cache, node3_gone)
            used = check_routing(client, recorder, cache, keys, tolerate_changes=True)
            assert len(used) == 3 and str(gone) not in used
        finally:
            cache.destroy()


class Handshakes(ConnectionEventListener):
    def __init__(self):
        self.succeeded = []

    def on_handshake_success(self, event):
        self.succeeded.append(event)


@pytest.mark.both_apis
def test_connects_to_every_node(connect, ignite_cluster):
    handshakes = Handshakes()
    client = connect.cluster(ignite_cluster, event_listeners=[handshakes])
    try:
        assert client.partition_aware
        nodes = {conn.port: str(conn.uuid) for conn in client._session.nodes if conn.alive}
        assert sorted(nodes) == sorted(ignite_cluster.client_ports)
        assert len(set(nodes.values())) == 3
        assert {e.port: e.node_uuid for e in handshakes.succeeded} == nodes
    finally:
        client.close()


@pytest.mark.both_apis
def test_register_cache_fetches_the_partition_map_up_front(client, recorder):
    cache = client.create_cache('pa-register-{}'.format(uuid.uuid4().hex[:8]))
    try:
        recorder.clear()
        client.register_cache(cache.cache_id)
        assert [e.op_name for e in recorder.started] == ['OP_CACHE_PARTITIONS']
        recorder.clear()
        # the map is fresh now: the first put needs no map request and lands on the primary
        cache.put(42, 'v')
        assert [e.op_name for e in recorder.started] == ['OP_CACHE_PUT']
        [node] = recorder.nodes_of('OP_CACHE_PUT')
        conn = next(c for c in client._session.nodes if str(c.uuid) == node)
        assert peek(client, cache, conn, 42, None) == 'v'
        recorder.clear()
        client.register_cache(cache.cache_id)  # still fresh: nothing to fetch
        assert recorder.started == []
        with pytest.raises(ParameterError):
            client.register_cache('not an id')
    finally:
        cache.destroy()
