"""The routing and failover policy, fed fake partition maps and fake connections (no server)."""
import struct
import uuid

import pytest

from pyignite._codec import structs as S
from pyignite._routing.affinity import AffinityGroup, partition_for_hash
from pyignite._codec.ids import entity_id
from pyignite._ops.affinity import refresh_partitions
from pyignite._protocol.request import Request, Response
from pyignite._routing.router import Router, RetrySchedule, metadata_accessors, pick_long
from pyignite._ops.exchange import server_error
from pyignite._session.session import Session
from pyignite.exceptions import (
    AuthenticationError, CacheError, ClusterError, ParameterError, ReconnectError,
)
from pyignite.monitoring import ConnectionLostEvent, QueryFailEvent, QueryStartEvent
from pyignite.transaction import AioTransaction

CACHE = 1234
A, B, C = (uuid.UUID(int=i) for i in (1, 2, 3))


class FakeConn:
    def __init__(self, node, alive=True, port=10800):
        self.uuid = node
        self.alive = alive
        self.host = '127.0.0.1'
        self.port = port
        self.protocol_context = None


def int_key(v):
    return b'\x03' + struct.pack('<i', v)


def owners_by_partition(parts, nodes):
    return [nodes[p % len(nodes)] for p in range(parts)]


def group(parts=1024, nodes=(A, B, C), key_fields=None, cache_id=CACHE):
    return AffinityGroup(True, (cache_id,), key_fields or {},
                         owners_by_partition(parts, list(nodes)), parts)


def router_with(conns, groups=None, version=(3, 0)):
    router = Router(conns)
    router.on_topology_change(version)
    router.update(version, groups if groups is not None else [group()], [CACHE])
    return router


def request_for(key_bytes, cache_id=CACHE):
    req = Request(1000)
    req.cache_id = cache_id
    req.key_pos = len(req.buf)
    req.buf += key_bytes
    return req


class Registry:
    pending = ()


def session_with(conns, router=None):
    session = Session()
    session.nodes = list(conns)
    session.current = conns[0] if conns else None
    session.router = router
    return session


def connects(plan, outcome):
    """Run a connection plan: ``outcome(conn)`` is what each attempt returns (an error or
    None, and then the connection is alive); return ``(attempts, the plan's result)``."""
    attempts = []
    try:
        batch = plan.send(None)
        while True:
            errors = []
            for conn in batch:
                attempts.append(conn)
                errors.append(outcome(conn))
                conn.alive = errors[-1] is None
            batch = plan.send(errors)
    except StopIteration as done:
        return attempts, done.value


# --- Router -----------------------------------------------------------------------------

def test_routes_to_the_primary_connection():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    router = router_with(conns)
    for v in range(50):
        expected = conns[partition_for_hash(v, 1024) % 3]
        assert router.connection_for(Registry(), CACHE, int_key(v), 0) is expected


def test_non_power_of_two_partitions():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    router = router_with(conns, [group(parts=1000)])
    for v in (-1, -1000, 999, 2 ** 31 - 1, -2 ** 31):
        part = abs(v) % 1000  # Java: safeAbs(h % parts), a truncating remainder
        assert router.connection_for(Registry(), CACHE, int_key(v), 0) is conns[part % 3]


def test_default_routing_when_unsure():
    conns = [FakeConn(A), FakeConn(B, alive=False), FakeConn(C)]
    router = router_with(conns)
    registry = Registry()
    key_on_b = next(v for v in range(100) if partition_for_hash(v, 1024) % 3 == 1)
    assert router.connection_for(registry, CACHE, int_key(key_on_b), 0) is None  # owner down
    assert router.connection_for(registry, 999, int_key(0), 0) is None  # cache without a map
    assert router.connection_for(registry, CACHE, b'\x0c\x01\x00\x00\x00\x07', 0) is None
    # an owner the client has no connection to
    router = router_with([FakeConn(A)], [group(nodes=(B,))])
    assert router.connection_for(registry, CACHE, int_key(0), 0) is None


def test_stale_map_is_not_used_until_refreshed():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    router = router_with(conns)
    assert not router.is_stale(CACHE)
    assert router.on_topology_change((3, 0)) is False  # same version: nothing new
    assert router.on_topology_change((4, 0)) is True
    assert router.is_stale(CACHE)
    assert router.connection_for(Registry(), CACHE, int_key(1), 0) is None
    router.update((4, 0), [group(nodes=(C,))], [CACHE])
    assert router.connection_for(Registry(), CACHE, int_key(1), 0) is conns[2]
    assert router.is_stale(77)  # never asked for
    assert router.refresh_ids(77) == sorted([CACHE, 77])


def test_partition_routes_to_its_primary_or_by_default():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C, alive=False)]
    router = Router(conns)
    assert router.connection_for_partition(CACHE, 0) is None  # no map yet
    router = router_with(conns)
    assert router.connection_for_partition(CACHE, 0) is conns[0]
    assert router.connection_for_partition(CACHE, 1024 + 1) is None  # not in the map
    assert router.connection_for_partition(CACHE, 4) is conns[1]
    assert router.connection_for_partition(CACHE, 5) is None  # its owner is down
    assert router.connection_for_partition(CACHE + 1, 0) is None  # another cache
    router.on_topology_change((4, 0))
    assert router.connection_for_partition(CACHE, 0) is None  # a stale map


def test_give_up_stops_asking_until_the_topology_changes():
    router = router_with([FakeConn(A)])
    router.give_up([55])
    assert not router.is_stale(55)
    router.on_topology_change((9, 0))
    assert router.is_stale(55)


def test_reconnection_updates_the_node_table():
    old = FakeConn(A)
    router = router_with([old, FakeConn(B)], [group(nodes=(C,))])
    assert router.connection_for(Registry(), CACHE, int_key(0), 0) is None
    old.uuid = C  # reconnected to a node that restarted with a new id
    router.set_connections([old])
    assert router.connection_for(Registry(), CACHE, int_key(0), 0) is old


def test_stale_connection_detection():
    a, b = FakeConn(A), FakeConn(B)
    router = router_with([a, b], [group(nodes=(A, C))])
    # C owns partitions but has no connection; B owns nothing: B may lead to a dead node
    assert router.unreachable_owner()
    assert router.stale(b) and not router.stale(a)
    router = router_with([a, b], [group(nodes=(A,))])
    assert not router.unreachable_owner() and not router.stale(b)


# --- affinity key fields ----------------------------------------------------------------

def _person(id_value: int, compact: bool):
    """Person {id: int, name: String} as Java writes it, header hash 0x1234."""
    fields = [b'\x03' + struct.pack('<i', id_value), b'\x09' + struct.pack('<i', 1) + b'x']
    body = b''.join(fields)
    offsets = [24, 24 + len(fields[0])]
    field_ids = [entity_id('id'), entity_id('name')]
    if compact:
        footer = bytes(offsets)
        flags = 0x01 | 0x02 | 0x08 | 0x20
    else:
        footer = b''.join(struct.pack('<iB', f, o) for f, o in zip(field_ids, offsets))
        flags = 0x01 | 0x02 | 0x08
    length = 24 + len(body) + len(footer)
    header = struct.pack('<BBhiiiii', 0x67, 1, flags, entity_id('Person'), 0x1234, length, 77,
                         24 + len(body))
    return header + body + footer, field_ids


def test_affinity_field_from_cache_key_configuration():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    key_fields = {CACHE: {entity_id('Person'): entity_id('id')}}
    router = router_with(conns, [group(key_fields=key_fields)])
    data, _ = _person(5, compact=False)
    assert router.connection_for(Registry(), CACHE, data, 0) is conns[5 % 3]


def test_affinity_field_from_binary_metadata():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    router = router_with(conns)
    data, field_ids = _person(5, compact=True)
    whole = conns[partition_for_hash(0x1234, 1024) % 3]

    registry = Registry()  # knows nothing: the whole object's hash
    assert router.connection_for(registry, CACHE, data, 0) is whole

    registry.affinity_key_fields = {entity_id('Person'): entity_id('id')}
    registry.schema_fields = lambda type_id, schema_id: field_ids
    assert metadata_accessors(registry) == (registry.affinity_key_fields,
                                            registry.schema_fields)
    assert router.connection_for(registry, CACHE, data, 0) is conns[5 % 3]

    registry.schema_fields = lambda type_id, schema_id: None  # unknown schema: unsure
    assert router.connection_for(registry, CACHE, data, 0) is None


# --- Session decisions ---------------------------------------------------------------

def test_route():
    conns = [FakeConn(A), FakeConn(B), FakeConn(C)]
    session = session_with(conns, router_with(conns))
    key_on_c = next(v for v in range(100) if partition_for_hash(v, 1024) % 3 == 2)
    assert session.route(request_for(int_key(key_on_c))) is conns[2]
    # no key: the current connection, while it lives
    assert {session.route(Request(1050)) for _ in range(3)} == {conns[0]}
    conns[0].alive = False
    assert session.route(Request(1050)) is conns[1]
    assert session.current is conns[1]
    pinned = Request(1050)
    pinned.conn = conns[0]
    assert session.route(pinned) is conns[0]  # a cursor's page: its own connection
    for conn in conns:
        conn.alive = False
    assert session.route(request_for(int_key(key_on_c))) is None


def test_reconnect_tries_the_dead_nodes_starting_after_the_current_one():
    conns = [FakeConn(A, alive=False), FakeConn(B, alive=False), FakeConn(C, alive=False),
             FakeConn(None, alive=False)]
    session = session_with(conns)
    session.current = conns[1]
    attempts, got = connects(session.reconnect(),
                             lambda c: None if c is conns[0] else ConnectionError())
    assert attempts == [conns[2], conns[3], conns[0]]
    assert got is conns[0] and session.current is conns[0]
    for conn in conns:
        conn.alive = False
    with pytest.raises(ReconnectError):
        connects(session.reconnect(), lambda c: ConnectionRefusedError())


def test_reconnect_stops_at_an_error_that_is_not_about_the_connection():
    conns = [FakeConn(A, alive=False), FakeConn(B, alive=False)]
    session = session_with(conns)
    with pytest.raises(ParameterError):
        connects(session.reconnect(), lambda c: ParameterError('bad ssl_* settings'))


def test_open_without_partition_awareness_takes_the_first_node_that_answers():
    conns = [FakeConn(A, alive=False), FakeConn(B, alive=False), FakeConn(C, alive=False)]
    session = Session(partition_aware=False)
    attempts, _ = connects(session.open(conns),
                           lambda c: ConnectionRefusedError() if c is conns[0] else None)
    assert attempts == conns[:2]
    assert session.current is conns[1] and session.nodes == conns
    assert session.router is None


def test_open_fails_with_the_error_of_a_lone_node_that_refused_the_session():
    session = Session()
    with pytest.raises(AuthenticationError):
        connects(session.open([FakeConn(A, alive=False)]),
                 lambda c: AuthenticationError('bad password'))
    assert session.nodes == []
    with pytest.raises(ReconnectError):
        connects(session.open([FakeConn(A, alive=False), FakeConn(B, alive=False)]),
                 lambda c: AuthenticationError('bad password'))
    assert session.nodes == []


def test_topology_change_schedules_a_retry_of_dead_nodes():
    conns = [FakeConn(A), FakeConn(B, alive=False)]
    session = session_with(conns, router_with(conns))
    clock = [100.0]
    session.retry = RetrySchedule(clock=lambda: clock[0])
    session.on_topology_change(conns[0], (3, 0))  # not newer: nothing
    assert not session.retry.due()
    session.on_topology_change(conns[0], (4, 0))
    assert session.retry.due()
    plan = session.retry_dead()
    assert plan.send(None) == [conns[1]]
    assert not session.retry.due()  # the attempt is under way
    with pytest.raises(StopIteration):
        plan.send([ConnectionRefusedError()])
    clock[0] += RetrySchedule().interval
    assert session.retry.due()  # B is still dead: tried again later
    attempts, _ = connects(session.retry_dead(), lambda c: None)
    assert attempts == [conns[1]] and conns[1].alive
    assert session.retry.at is None


def test_new_maps_with_an_unreachable_owner_schedule_a_retry():
    a, b = FakeConn(A), FakeConn(B)
    session = session_with([a, b], router_with([a, b], [group(nodes=(A, C))]))
    session.on_affinity_update()
    assert session.retry.due()
    assert session.retry_dead().send(None) == [b]  # alive, but its node owns nothing now


def test_retry_schedule():
    clock = [0.0]
    schedule = RetrySchedule(interval=5.0, min_interval=1.0, clock=lambda: clock[0])
    assert not schedule.due()
    schedule.node_lost()
    assert not schedule.due()
    clock[0] = 5.0
    assert schedule.due()
    schedule.attempted(still_dead=True)
    schedule.soon()  # a topology change right after an attempt waits min_interval
    assert not schedule.due()
    clock[0] = 6.0
    assert schedule.due()
    schedule.attempted(still_dead=False)
    assert schedule.at is None
    schedule.node_lost()
    schedule.clear()
    assert not schedule.due()


def test_server_errors_keep_their_status_when_they_can():
    error = server_error(CacheError, 'boom', 1000)
    assert (str(error), error.status) == ('boom', 1000)
    error = server_error(ClusterError, 'boom', 1)
    assert str(error) == 'boom'


# --- OP_CACHE_PARTITIONS ----------------------------------------------------------------

def _partitions_reply(version, owners):
    body = bytearray(struct.pack('<qii', version[0], version[1], 1))
    body += b'\x01' + struct.pack('<i', 1) + struct.pack('<ii', CACHE, 0)
    body += struct.pack('<i', len(owners))
    for node, parts in owners.items():
        body += b'\x0a' + S.QQ.pack(node.int >> 64, node.int & (2 ** 64 - 1))
        body += struct.pack('<i', len(parts)) + struct.pack('<%di' % len(parts), *parts)
    return bytes(body)


def test_refresh_partitions_operation():
    conns = [FakeConn(A), FakeConn(B)]
    router = Router(conns)
    session = session_with(conns, router)
    router.on_topology_change((5, 1))
    op = refresh_partitions(session, CACHE)
    req = op.send(None)
    assert req.op_code == 1101
    assert bytes(req.buf[14:]) == struct.pack('<ii', 1, CACHE)
    reply = _partitions_reply((5, 1), {A: list(range(0, 4)), B: list(range(4, 8))})
    with pytest.raises(StopIteration):
        op.send(Response(reply, 0, conns[0]))
    assert router.affinity.topology_version == (5, 1)
    assert router.affinity.group(CACHE).parts == 8
    assert router.connection_for(Registry(), CACHE, int_key(5), 0) is conns[1]

    # a refusal (e.g. an inactive cluster) routes by default instead of failing the request
    router.on_topology_change((6, 0))
    op = refresh_partitions(session, CACHE)
    op.send(None)
    with pytest.raises(StopIteration):
        op.throw(CacheError('inactive', 1))
    assert not router.is_stale(CACHE)
    assert router.connection_for(Registry(), CACHE, int_key(5), 0) is None


# --- events and transaction parameters --------------------------------------------------

def test_events():
    event = QueryStartEvent('h', 1, A, 7, 1000, 'OP_CACHE_GET')
    assert event.node_uuid == str(A)
    with pytest.raises(TypeError):
        event.query_id = 8
    assert event == QueryStartEvent('h', 1, A, 7, 1000, 'OP_CACHE_GET')
    assert 'query_id=7' in repr(event)
    fail = QueryFailEvent('h', 1, A, 7, 1000, 'OP_CACHE_GET', 1.5, 'boom')
    assert (fail.duration, fail.err_msg) == (1.5, 'boom')
    assert not isinstance(fail, QueryStartEvent)
    lost = ConnectionLostEvent('h', 1, None, 'err')
    assert lost.node_uuid is None


@pytest.mark.parametrize('kwargs', [
    {'concurrency': 2}, {'isolation': -1}, {'isolation': 'SERIALIZABLE'},
    {'concurrency': False}, {'timeout': -5}, {'timeout': 0.5}, {'label': 1},
])
def test_transaction_parameters(kwargs):
    with pytest.raises(ValueError):
        AioTransaction(object(), **kwargs)


def test_transaction_defaults():
    tx = AioTransaction(object(), concurrency=0, isolation=2, timeout=10, label='x')
    assert (tx.concurrency.name, tx.isolation.name, tx.timeout, tx.label) == (
        'OPTIMISTIC', 'SERIALIZABLE', 10, 'x')
    tx = AioTransaction(object())
    assert (tx.concurrency.name, tx.isolation.name, tx.tx_id, tx.closed) == (
        'PESSIMISTIC', 'REPEATABLE_READ', None, False)


@pytest.mark.parametrize('parts', [1024, 1000])
def test_routing_many_keys_at_once_matches_one_at_a_time(parts):
    """Router.connections_for (multi-key requests split by node) routes every key where
    connection_for routes it alone: longs (its fast path) of every sign and size, ints,
    strings, floats, and keys it can't hash."""
    from pyignite._codec.encoder import write
    from pyignite._codec.registry import BinaryRegistry
    from pyignite._protocol.request import Frame
    conns = [FakeConn(A), FakeConn(B), FakeConn(C, alive=False)]
    router = router_with(conns, [group(parts)])
    registry = BinaryRegistry()
    keys = (list(range(-300, 300)) + [2 ** 40 + 7, -(2 ** 63), 2 ** 63 - 1, 2 ** 31, -2 ** 31 - 1]
            + ['k{}'.format(i) for i in range(200)] + [0.5, -1.25, None, [1, 2], b'\x00\x01'])
    data = Frame()
    positions = []
    for key in keys:
        positions.append(len(data))
        write(data, key, None, registry)
    many = router.connections_for(registry, CACHE, data, positions)
    one = [router.connection_for(registry, CACHE, data, pos) for pos in positions]
    assert many == one
    assert {conn.uuid for conn in many if conn is not None} == {A, B}
    assert None in many  # the dead node's keys, and those that can't be hashed


@pytest.mark.parametrize('parts', [1024, 1000])
def test_routing_int_keys_from_the_ints_matches_their_bytes(parts):
    """Router.connections_for_longs (plain int keys of a multi-key request, hashed from the
    ints) and pick_long (one key, the streamer's) route every key where connection_for
    routes its bytes; with a partition count that is not a power of two they decline (the
    bytes are routed then)."""
    from pyignite._codec.encoder import write
    from pyignite._codec.registry import BinaryRegistry
    from pyignite._protocol.request import Frame
    conns = [FakeConn(A), FakeConn(B), FakeConn(C, alive=False)]
    router = router_with(conns, [group(parts)])
    registry = BinaryRegistry()
    keys = list(range(-300, 300)) + [2 ** 40 + 7, -(2 ** 63), 2 ** 63 - 1, 2 ** 31,
                                     -2 ** 31 - 1, 2 ** 32, -2 ** 32, 0x7FFF_FFFF_0000_FFFF]
    routed = router.connections_for_longs(CACHE, keys)
    if parts & (parts - 1):
        assert routed is None and router.long_route(CACHE) is None
        return
    assert [pick_long(router.long_route(CACHE), key) for key in keys] == routed
    one = []
    for key in keys:
        data = Frame()
        write(data, key, None, registry)
        one.append(router.connection_for(registry, CACHE, data, 0))
    assert routed == one
    assert {conn.uuid for conn in routed if conn is not None} == {A, B}
    assert None in routed  # the dead node's keys
