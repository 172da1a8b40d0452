"""The receive path both transports share, fed bytes directly: no server involved.

The same byte streams (replies out of order, notifications in between, late replies to
requests given up on, bad lengths) go through :class:`FrameBuffer` and :class:`Inbox`
on their own, cut byte by byte and in random chunks, and then through each transport:
the asyncio protocol's ``data_received`` and the blocking stream's reader over a socket
pair.
"""
import asyncio
import random
import socket
import struct
import threading

import pytest

from pyignite._protocol import wire as P
from pyignite._protocol.opcodes import OP_RESOURCE_CLOSE
from pyignite._protocol.request import RELEASE_FROM_REPLY
from pyignite._session.frames import FrameBuffer
from pyignite._session.inbox import MAX_EARLY, OP_COMPUTE_TASK_FINISHED, Inbox
from pyignite.connection.aio_connection import _FrameProtocol
from pyignite.connection.connection import Connection, _Stream, _Waiter
from pyignite.exceptions import ParseError

CQ_EVENT = 2007


def reply(rid: int, payload: bytes = b'', flags: int = 0) -> bytes:
    body = struct.pack('<qh', rid, flags) + payload
    return struct.pack('<i', len(body)) + body


def error_reply(rid: int, status: int) -> bytes:
    message = b'failed'
    body = struct.pack('<qhi', rid, P.FLAG_ERROR, status) + b'\x09' + struct.pack(
        '<i', len(message)) + message
    return struct.pack('<i', len(body)) + body


def notification(resource_id: int, op: int, payload: bytes = b'') -> bytes:
    body = struct.pack('<qhh', resource_id, P.FLAG_NOTIFICATION, op) + payload
    return struct.pack('<i', len(body)) + body


def chunked(data: bytes, how):
    if how == 'bytewise':
        return [data[i:i + 1] for i in range(len(data))]
    if how == 'whole':
        return [data]
    if how == 'frames':  # one frame per read, as a request and its reply usually go
        chunks, pos = [], 0
        while pos < len(data):
            end = pos + 4 + struct.unpack_from('<i', data, pos)[0]
            chunks.append(data[pos:end])
            pos = end
        return chunks
    rng = random.Random(how)
    chunks, pos = [], 0
    while pos < len(data):
        step = rng.randint(1, 40)
        chunks.append(data[pos:pos + step])
        pos += step
    return chunks


CUTS = ['bytewise', 'whole', 'frames', 1, 2, 3, 4, 5]

# A session's worth of traffic: replies in any order, notifications between them, a
# reply to a request given up on (id 50, its cursor 777), and one nobody ever asked for.
STREAM = b''.join([
    reply(3, b'three'),
    notification(9, CQ_EVENT, b'event-1'),
    reply(1, b'one'),
    reply(50, struct.pack('<q', 777) + b'page'),
    notification(9, CQ_EVENT, b'event-2'),
    notification(12, OP_COMPUTE_TASK_FINISHED, b'result'),
    reply(99, b'nobody'),
    reply(2, b'two' * 100),
    notification(404, CQ_EVENT, b'unknown query'),
])
WAITED = {1: b'one', 2: b'two' * 100, 3: b'three'}


def sorted_inbox():
    inbox = Inbox()
    for rid in WAITED:
        inbox.expect(rid, rid)
    inbox.expect(50, 'given up')
    inbox.give_up(50, RELEASE_FROM_REPLY)
    events = []
    inbox.subscribe(CQ_EVENT, 9, events.append)
    return inbox, events


def check_outcome(inbox, events, delivered):
    assert {rid: frame[10:] for rid, frame in delivered.items()} == WAITED
    assert [frame[12:] for frame in events] == [b'event-1', b'event-2']
    # the compute result came before anyone listened: kept, and handed over on subscribe
    results = []
    inbox.subscribe(OP_COMPUTE_TASK_FINISHED, 12, results.append)
    assert [frame[12:] for frame in results] == [b'result']
    # the late reply of the request given up on became a close of its cursor
    assert [(req.op_code, bytes(req.buf[14:])) for req in inbox.outbox] == [
        (OP_RESOURCE_CLOSE, struct.pack('<q', 777))]
    assert inbox.waiting == {} and inbox.abandoned == {}


# --- the shared pieces on their own ---------------------------------------------------------


@pytest.mark.parametrize('cut', CUTS)
def test_frame_buffer_cuts_the_same_frames_however_bytes_arrive(cut):
    buffer = FrameBuffer(10, P.MAX_FRAME)
    frames = []
    for chunk in chunked(STREAM, cut):
        frames += buffer.feed(memoryview(bytearray(chunk)))  # a view the caller reuses
    assert b''.join(struct.pack('<i', len(f)) + f for f in frames) == STREAM
    assert len(buffer) == 0


@pytest.mark.parametrize('cut', CUTS)
def test_frame_buffer_reads_only_the_fresh_part_of_a_reused_buffer(cut):
    # as the blocking transport reads: each chunk lands at the start of one buffer, whose
    # tail still holds the bytes of earlier, longer reads
    buffer = FrameBuffer(10, P.MAX_FRAME)
    scratch = memoryview(bytearray(b'\xff' * 4096))
    frames = []
    for chunk in chunked(STREAM, cut):
        scratch[:len(chunk)] = chunk
        frames += buffer.received(scratch, len(chunk))
    assert b''.join(struct.pack('<i', len(f)) + f for f in frames) == STREAM
    assert all(type(f) is bytes for f in frames)
    assert len(buffer) == 0


@pytest.mark.parametrize('cut', CUTS)
def test_inbox_sorts_replies_notifications_and_late_replies(cut):
    buffer = FrameBuffer(10, P.MAX_FRAME)
    inbox, events = sorted_inbox()
    delivered = {}
    for chunk in chunked(STREAM, cut):
        for frame in buffer.feed(chunk):
            slot = inbox.sort(frame)
            if slot is not None:
                delivered[slot] = frame
    check_outcome(inbox, events, delivered)


@pytest.mark.parametrize('length', [-1, 0, 9, P.MAX_FRAME + 1, 2 ** 31 - 1])
def test_a_bad_length_fails_before_its_body_is_awaited(length):
    buffer = FrameBuffer(10, P.MAX_FRAME)
    assert buffer.feed(reply(1)) == [reply(1)[4:]]
    with pytest.raises(ParseError, match='bad frame length'):
        buffer.feed(struct.pack('<i', length))  # nothing but the length is in yet


@pytest.mark.parametrize('how', ['feed', 'received'])
@pytest.mark.parametrize('length', [0, 9, 2 ** 20 + 1])
def test_a_whole_frame_of_a_bad_length_is_refused_too(how, length):
    # the one-frame shortcut checks the bounds as the general path does
    buffer = FrameBuffer(10, 2 ** 20)
    chunk = struct.pack('<i', length) + bytes(length)
    with pytest.raises(ParseError, match='bad frame length'):
        if how == 'feed':
            buffer.feed(chunk)
        else:
            buffer.received(memoryview(bytearray(chunk)), len(chunk))


def test_want_says_how_much_of_a_frame_is_missing():
    buffer = FrameBuffer(10, P.MAX_FRAME)
    assert buffer.want() == 4
    data = reply(1, b'x' * 100)
    buffer.feed(data[:2])
    assert buffer.want() == 2
    buffer.feed(data[2:30])
    assert buffer.want() == len(data) - 30
    assert buffer.feed(data[30:]) == [data[4:]]


def test_a_reply_that_came_as_its_caller_gave_up_is_released_at_once():
    inbox = Inbox()
    inbox.expect(5, 'slot')
    inbox.give_up(5, RELEASE_FROM_REPLY, reply(5, struct.pack('<q', 41))[4:])
    assert [bytes(req.buf[14:]) for req in inbox.outbox] == [struct.pack('<q', 41)]
    assert inbox.waiting == {} and inbox.abandoned == {}


def test_a_page_given_up_on_closes_its_cursor_and_a_failed_open_closes_nothing():
    inbox = Inbox()
    inbox.give_up(6, 1234)  # a cursor page: the cursor id is known beforehand
    inbox.give_up(7, RELEASE_FROM_REPLY)
    inbox.give_up(8, None)  # a plain get: nothing to release
    for data in (reply(8, b'v'), error_reply(7, 1010), reply(6, b'late page')):
        assert inbox.sort(data[4:]) is None
    assert [bytes(req.buf[14:]) for req in inbox.outbox] == [struct.pack('<q', 1234)]


def test_early_notifications_are_bounded_and_cq_events_without_listener_dropped():
    inbox = Inbox()
    for i in range(MAX_EARLY + 10):
        inbox.sort(notification(i, OP_COMPUTE_TASK_FINISHED, b'r')[4:])
        inbox.sort(notification(i, CQ_EVENT, b'e')[4:])
    assert sum(map(len, inbox.early.values())) == MAX_EARLY
    got = []
    inbox.subscribe(OP_COMPUTE_TASK_FINISHED, 0, got.append)
    assert got == []  # the oldest went first
    inbox.subscribe(OP_COMPUTE_TASK_FINISHED, MAX_EARLY + 9, got.append)
    assert len(got) == 1
    inbox.unsubscribe(OP_COMPUTE_TASK_FINISHED, MAX_EARLY + 9)
    inbox.sort(notification(MAX_EARLY + 9, OP_COMPUTE_TASK_FINISHED)[4:])
    assert len(got) == 1


def test_cq_events_are_kept_while_a_query_is_being_opened():
    """The first events of a query may come right behind the reply with its id: they are
    kept while an opener holds the op code, and what nobody claimed goes when it lets go."""
    inbox = Inbox()
    inbox.hold(CQ_EVENT)
    inbox.hold(CQ_EVENT)  # two queries being opened at once
    for rid in (5, 6, 5, 9):
        inbox.sort(notification(rid, CQ_EVENT, bytes([rid]))[4:])
    got = []
    inbox.subscribe(CQ_EVENT, 5, got.append)
    assert [f[12:] for f in got] == [b'\x05', b'\x05']
    inbox.unhold(CQ_EVENT)
    inbox.subscribe(CQ_EVENT, 6, got.append)
    assert [f[12:] for f in got] == [b'\x05', b'\x05', b'\x06']
    inbox.unhold(CQ_EVENT)
    assert inbox.early == {} and inbox.holding == {}  # id 9 was never claimed: dropped
    inbox.sort(notification(9, CQ_EVENT)[4:])
    assert inbox.early == {}  # and with no opener, events for unknown ids are dropped


def test_the_end_of_a_session_is_told_to_the_subscribers_still_there():
    inbox = Inbox()
    ended = []
    inbox.subscribe(CQ_EVENT, 1, [].append, ended.append)
    inbox.subscribe(CQ_EVENT, 2, [].append, ended.append)
    inbox.unsubscribe(CQ_EVENT, 2)
    error = ConnectionResetError('gone')
    inbox.close(error)
    assert ended == [error]
    inbox.subscribe(CQ_EVENT, 3, [].append, ended.append)
    inbox.close()  # a deliberate close: a ConnectionError says so
    assert len(ended) == 2 and isinstance(ended[1], ConnectionError)


def test_a_truncated_notification_is_a_parse_error():
    with pytest.raises(ParseError):
        Inbox().sort(struct.pack('<qh', 1, P.FLAG_NOTIFICATION))


# --- through each transport ------------------------------------------------------------------


class _FakeConnection:
    host, port = 'test', 1

    def __init__(self):
        import itertools
        self._ids = itertools.count(1000)
        self.lost = []

    def _lost(self, proto, error):
        self.lost.append(error)


class _FakeTransport:
    def __init__(self):
        self.written = []

    def write(self, data):
        self.written.append(bytes(data))

    def is_closing(self):
        return False

    def abort(self):
        pass


@pytest.mark.parametrize('cut', CUTS)
async def test_the_async_transport_sorts_the_stream(cut):
    proto = _FrameProtocol(_FakeConnection())
    proto.connection_made(_FakeTransport())
    proto.handshaking = False
    proto.frames.shortest = 10
    proto.frames.limit = P.MAX_FRAME
    loop = asyncio.get_running_loop()
    futures = {rid: loop.create_future() for rid in WAITED}
    inbox, events = sorted_inbox()
    for rid, fut in futures.items():
        inbox.waiting[rid] = fut
    proto.inbox = inbox
    for chunk in chunked(STREAM, cut):
        proto.data_received(chunk)
    await asyncio.sleep(0)  # the write window of the close ends
    assert {rid: fut.result()[10:] for rid, fut in futures.items()} == WAITED
    assert [frame[12:] for frame in events] == [b'event-1', b'event-2']
    # the close of cursor 777 went out with an id of the connection
    sent = b''.join(proto.transport.written)
    assert sent[4:6] == struct.pack('<h', OP_RESOURCE_CLOSE)
    assert sent[14:] == struct.pack('<q', 777)


@pytest.mark.parametrize('cut', CUTS)
def test_the_blocking_transport_sorts_the_stream(cut):
    ours, node = socket.socketpair()
    try:
        stream = _Stream(ours, 'test', 1)
        stream.frames.shortest = 10
        stream.frames.limit = P.MAX_FRAME
        stream.ids = iter(range(1000, 2000))
        inbox, events = sorted_inbox()
        waiters = {rid: _Waiter() for rid in (1, 3)}
        mine = _Waiter()
        for rid, waiter in waiters.items():
            inbox.waiting[rid] = waiter
        inbox.waiting[2] = mine  # the reply the reading thread waits for comes last
        stream.inbox = inbox

        def feed():
            for chunk in chunked(STREAM, cut):
                node.sendall(chunk)

        feeder = threading.Thread(target=feed)
        feeder.start()
        frame = Connection._read_until(stream, mine, None)
        feeder.join()
        assert frame[10:] == WAITED[2]
        assert {rid: w.reply[10:] for rid, w in waiters.items()} == {
            1: WAITED[1], 3: WAITED[3]}
        assert [f[12:] for f in events] == [b'event-1', b'event-2']
        node.settimeout(5)
        sent = node.recv(100)
        assert sent[4:6] == struct.pack('<h', OP_RESOURCE_CLOSE)
        assert sent[14:] == struct.pack('<q', 777)
        # what is left (a notification for an unknown query) is read next and dropped
        node.sendall(reply(4, b'four'))
        last = _Waiter()
        inbox.waiting[4] = last
        assert Connection._read_until(stream, last, None)[10:] == b'four'
    finally:
        ours.close()
        node.close()


def test_a_compute_result_ends_its_subscription():
    ended = []
    for early in (False, True):
        inbox = Inbox()
        results = []
        frame = notification(5, OP_COMPUTE_TASK_FINISHED, b'result')[4:]
        if early:
            inbox.sort(frame)
        inbox.subscribe(OP_COMPUTE_TASK_FINISHED, 5, results.append, ended.append)
        if not early:
            inbox.sort(frame)
        # a task has one result: nothing is left to deliver or to tell at the end
        assert [f[12:] for f in results] == [b'result']
        assert inbox.listeners == {} and inbox.on_end == {} and not inbox.early
        inbox.sort(frame)  # a repeat (a confused server) goes nowhere
        assert len(results) == 1
        inbox.close()
    assert ended == []
