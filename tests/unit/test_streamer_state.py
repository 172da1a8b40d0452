"""The data streamer's decisions, without a server: which failed batch is sent again and
which is given up on (and counted), per-node flow control, buffering."""
import pytest

from pyignite._codec.registry import BinaryRegistry
from pyignite._ops import streamer
from pyignite._ops.streamer import MAX_ATTEMPTS, StreamerState
from pyignite.exceptions import CacheError, DataStreamerError, ReconnectError


class Affinity:
    latest_version = (1, 0)


class Router:
    def __init__(self, conns):
        self.affinity = Affinity()
        self.conns = conns

    def connection_for(self, registry, cache_id, data, pos):
        return self.conns[data[pos + 1] % len(self.conns)]  # by the key's low byte

    def long_route(self, cache_id):
        return None  # int keys too are routed by their bytes (connection_for)


class Conn:
    def __init__(self, name):
        self.name = name
        self.alive = True
        self.uuid = name


class Session:
    def __init__(self, router=None):
        self.binary = BinaryRegistry()
        self.router = router

    def stale(self, cache_id):
        return False


def opened(session, **kwargs):
    state = StreamerState(session, 'cache', **kwargs)
    op = state.open_op()
    with pytest.raises(StopIteration):
        next(op)
    return state


def full_batch(state, key=0):
    for i in range(state.buffer_size):
        batch = state.add(key + i * 2, i)
    assert batch is not None
    return batch


def test_entries_are_buffered_per_node_and_full_batches_handed_out():
    a, b = Conn('a'), Conn('b')
    state = opened(Session(Router([a, b])), buffer_size=3)
    assert state.add(0, 'x') is None and state.add(1, 'y') is None
    assert state.add(2, 'z') is None
    batch = state.add(4, 'w')  # the third even key: a's batch is full
    assert batch is not None and batch.conn is a and batch.count == 3
    rest = state.take_all()
    assert [(b.conn, b.count) for b in rest] == [(b, 1)]


def test_a_node_with_as_many_batches_in_flight_as_allowed_blocks():
    a = Conn('a')
    state = opened(Session(Router([a])), buffer_size=1, parallel=2)
    first, second, third = (state.add(k, k) for k in (0, 1, 2))
    state.sent(first, 'h1')
    assert state.blocking(second) is None
    state.sent(second, 'h2')
    assert state.blocking(third) is first  # the oldest is waited for
    state.done(first)
    assert state.blocking(third) is None
    assert state.acknowledged == 1 and state.per_node == {'a': 1}


@pytest.mark.parametrize('error, again', [
    (ConnectionError('lost'), True),
    (OSError('timed out'), True),
    (CacheError('node stopping', 10), True),
    (CacheError('cache does not exist', 1000), False),
    (CacheError('something', 1), False),
    (ReconnectError('out of nodes'), False),
])
def test_which_failures_are_sent_again(error, again):
    state = opened(Session(), buffer_size=2)
    batch = full_batch(state)
    state.sent(batch, None)
    assert (state.failed_with(batch, error) is batch) == again
    assert state.failed == (0 if again else 2)


def test_a_server_error_after_a_topology_change_is_sent_again():
    router = Router([Conn('a')])
    state = opened(Session(router), buffer_size=1)
    batch = state.add(0, 0)
    state.sent(batch, None)
    router.affinity.latest_version = (2, 0)  # a node left or joined meanwhile
    assert state.failed_with(batch, CacheError('topology changed', 1)) is batch


def test_a_batch_is_given_up_after_so_many_attempts_and_reported():
    a = Conn('a')
    state = opened(Session(Router([a])), buffer_size=2)
    batch = full_batch(state)
    for attempt in range(MAX_ATTEMPTS):
        state.sent(batch, None)
        a.alive = False
        again = state.failed_with(batch, ConnectionError('lost'))
        if attempt < MAX_ATTEMPTS - 1:
            assert again is batch and batch.conn is None  # to any live node now
            assert 0 < batch.delay <= 2.0
    assert again is None and state.failed == 2
    with pytest.raises(DataStreamerError, match='2 entries') as info:
        state.outcome()
    assert info.value.failed == 2 and len(info.value.errors) == 1


class Clock:
    """Stands in for the streamer's ``time`` module: seconds move only when told."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


def carry_out(state, steps, clock, sent):
    """What a facade does with the steps, the server acknowledging every batch."""
    for kind, item in steps:
        if kind == streamer.SLEEP:
            clock.now += item
        elif kind == streamer.SEND:
            state.call(item)
            state.sent(item, None)
            sent.append(item)
        elif kind == streamer.SETTLE:
            state.done(item)


@pytest.mark.parametrize('allow_overwrite', [False, True])
def test_batches_acknowledged_around_a_topology_change_are_sent_again(
        monkeypatch, allow_overwrite):
    clock = Clock()
    monkeypatch.setattr(streamer, 'time', clock)
    router = Router([Conn('a')])
    state = opened(Session(router), buffer_size=1, allow_overwrite=allow_overwrite)
    acked = {}
    retain, settle = streamer.RETAIN_SECONDS, streamer.SETTLE_SECONDS
    for key, after in [('old', 0), ('before', retain), ('after', retain - 1),
                       ('later', 2 * settle)]:
        clock.now += after
        batch = state.add(len(acked), key)
        state.sent(batch, None)
        if key == 'after':
            router.affinity.latest_version = (2, 0)  # a node left: the client sees it now
        state.done(batch)
        acked[key] = batch
    sent = []
    carry_out(state, state.closing(cancel=False), clock, sent)
    state.outcome()
    if allow_overwrite:
        assert sent == []  # the cache's own update path holds what it acknowledged
    else:
        # acknowledged within RETAIN_SECONDS before the change was seen or SETTLE_SECONDS
        # after it: sent again, once the topology had not changed for SETTLE_SECONDS
        assert sent == [acked['before'], acked['after']]
        assert all(b.resent for b in sent) and state.confirmed == 2
    assert state.acknowledged == 4 and state.per_node == {'a': 4}


def test_a_cache_started_elsewhere_sends_nothing_again(monkeypatch):
    """Only the major topology version moves partitions (nodes joining or leaving): a
    cache created or destroyed by another client changes the minor one, and costs nothing."""
    clock = Clock()
    monkeypatch.setattr(streamer, 'time', clock)
    router = Router([Conn('a')])
    state = opened(Session(router), buffer_size=1)
    for key in range(3):
        clock.now += 1
        batch = state.add(key, key)
        state.sent(batch, None)
        router.affinity.latest_version = (1, key + 1)
        state.done(batch)
    sent = []
    carry_out(state, state.closing(cancel=False), clock, sent)
    state.outcome()
    assert sent == [] and state.confirmed == 0 and clock.now == 1003.0  # no wait either
    assert state.acknowledged == 3


def test_entries_whose_topology_never_settles_are_counted_as_failed(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(streamer, 'time', clock)
    router = Router([Conn('a')])
    state = opened(Session(router), buffer_size=2)
    for version in (1, 2):  # the second batch's acknowledgement comes after a change
        router.affinity.latest_version = (version, 0)
        batch = full_batch(state, key=version)
        state.sent(batch, None)
        state.done(batch)
    resends = 0
    with pytest.raises(DataStreamerError, match='4 entries'):
        for kind, item in state.closing(cancel=False):  # close() raises at the end
            if kind == streamer.SLEEP:
                clock.now += item
            elif kind == streamer.SEND:
                state.sent(item, None)
                resends += 1
                router.affinity.latest_version = (3 + resends, 0)  # it changes each time
            elif kind == streamer.SETTLE:
                state.done(item)
    assert resends == 2 * streamer.MAX_CONFIRM_ROUNDS
    assert state.acknowledged == 4 and state.failed == 4 and state.closed
