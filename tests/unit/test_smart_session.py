"""The decisions of the cluster-smart client that need no server: which requests a retry
policy is asked about, reconnect throttling, what a heartbeat tick sends. (Their effects on
real nodes are tested in tests/smart and tests/cluster/test_smart_failover.py.)"""
import socket
import uuid

import pytest

from pyignite._protocol import wire as P
from pyignite._protocol.opcodes import (
    OP_CACHE_GET, OP_CACHE_PUT, OP_GET_IDLE_TIMEOUT, OP_HEARTBEAT, OP_QUERY_SQL_FIELDS,
    OP_TX_START,
)
from pyignite._protocol.request import Request, current_tx, enter_tx
from pyignite._session.session import HEARTBEAT_FLOOR, Session
from pyignite.retry import (
    ClientOperationType, RetryAllPolicy, RetryNonePolicy, RetryPolicyContext, RetryReadPolicy,
    operation_type,
)


class Conn:
    def __init__(self, port=10800, features=(P.FEATURE_HEARTBEAT,)):
        self.host, self.port = '127.0.0.1', port
        self.uuid = uuid.uuid4()
        self.alive = True
        self.protocol_context = P.ProtocolContext((1, 7, 0), features)
        self.sent = 0

    def requests_sent(self):
        return self.sent


def session(**kwargs):
    s = Session(**kwargs)
    s.nodes = [Conn(10800), Conn(10801)]
    s.current = s.nodes[0]
    return s


def test_operation_types():
    assert operation_type(OP_CACHE_GET) is ClientOperationType.CACHE_GET
    assert operation_type(OP_QUERY_SQL_FIELDS) is ClientOperationType.QUERY_SQL_FIELDS
    assert operation_type(OP_TX_START) is ClientOperationType.TRANSACTION
    assert operation_type(6000) is ClientOperationType.COMPUTE_TASK_EXECUTE
    assert operation_type(12345) is ClientOperationType.OTHER


@pytest.mark.parametrize('policy, get, put, sql', [
    (RetryNonePolicy(), False, False, False),
    (RetryReadPolicy(), True, False, False),
    (RetryAllPolicy(), True, True, True),
])
def test_policies(policy, get, put, sql):
    error = ConnectionResetError()
    assert [policy.should_retry(RetryPolicyContext(op, 0, error))
            for op in (OP_CACHE_GET, OP_CACHE_PUT, OP_QUERY_SQL_FIELDS)] == [get, put, sql]


def test_rules_every_policy_keeps():
    s = session(retry_policy=RetryAllPolicy())
    lost = ConnectionResetError('reset')
    assert s.should_retry(Request(OP_CACHE_PUT), lost, 0)
    assert s.should_retry(Request(OP_CACHE_PUT), lost, 1)
    assert not s.should_retry(Request(OP_CACHE_PUT), lost, 2)  # once per known node
    pinned = Request(OP_CACHE_GET)
    pinned.conn = s.nodes[0]
    assert not s.should_retry(pinned, lost, 0)
    assert not s.should_retry(Request(OP_CACHE_GET), socket.timeout('late'), 0)
    assert not s.should_retry(Request(OP_CACHE_GET), ValueError('bad input'), 0)

    class Tx:
        closed = False
    token = enter_tx(Tx())
    try:
        assert not s.should_retry(Request(OP_CACHE_GET), lost, 0)
    finally:
        current_tx.reset(token)
    limited = session(retry_policy=RetryAllPolicy(), retry_limit=5)
    assert limited.should_retry(Request(OP_CACHE_PUT), lost, 4)
    assert not limited.should_retry(Request(OP_CACHE_PUT), lost, 5)


def test_reconnect_throttling():
    s = session(reconnect_throttling_retries=2, reconnect_throttling_period=60.0)
    a, b = s.nodes
    assert [s.throttled(a) for _ in range(3)] == [False, False, True]
    assert not s.throttled(b)  # per address
    assert not any(session().throttled(a) for _ in range(10))  # off by default


def test_heartbeat_ticks():
    assert session().heartbeat_period() is None  # off by default
    s = session(heartbeat_interval=30.0)
    a, b = s.nodes
    b.protocol_context = P.ProtocolContext((1, 7, 0), ())  # no HEARTBEAT feature: skipped
    aborted, ops = s.heartbeat_tick()
    assert aborted == [] and [op.req.op_code for op in ops] == [OP_GET_IDLE_TIMEOUT]
    assert ops[0].req.conn is a
    assert s.heartbeat_period() == HEARTBEAT_FLOOR  # the idle timeout is being asked
    ops[0].reader((2000).to_bytes(8, 'little'), 0, None)  # the reply: 2 s
    a.sent += 1
    s.heartbeat_done(a, 2000)
    assert s.heartbeat_period() == pytest.approx(2 / 3)
    aborted, ops = s.heartbeat_tick()  # nothing sent since: a heartbeat
    assert [op.req.op_code for op in ops] == [OP_HEARTBEAT]
    a.sent += 1
    s.heartbeat_done(a, None)
    a.sent += 5  # the user's requests
    assert s.heartbeat_tick() == ([], [])  # not idle
    aborted, ops = s.heartbeat_tick()
    assert [op.req.op_code for op in ops] == [OP_HEARTBEAT]
    assert s.heartbeat_tick() == ([], [])  # no reply yet: one tick is all right
    aborted, ops = s.heartbeat_tick()  # no reply within two: taken as dead
    assert aborted == [a] and ops == []
    assert isinstance(s.heartbeat_aborted(a), ConnectionError)
