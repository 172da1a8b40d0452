"""The asyncio connection's framing, fed bytes directly: no server involved."""
import asyncio
import struct

import pytest

from pyignite._protocol import wire as P
from pyignite.connection.aio_connection import _FrameProtocol
from pyignite.exceptions import ParseError


class FakeConnection:
    host, port = 'test', 1

    def __init__(self):
        self.lost = []

    def _lost(self, proto, error):
        self.lost.append(error)


class FakeTransport:
    def __init__(self):
        self.written = []
        self.aborted = False

    def write(self, data):
        self.written.append(bytes(data))

    def is_closing(self):
        return self.aborted

    def abort(self):
        self.aborted = True


def reply(rid: int, payload: bytes = b'', flags: int = 0) -> bytes:
    body = struct.pack('<qh', rid, flags) + payload
    return struct.pack('<i', len(body)) + body


def protocol():
    proto = _FrameProtocol(FakeConnection())
    proto.connection_made(FakeTransport())
    proto.handshaking = False
    proto.frames.shortest = 10
    proto.frames.limit = P.MAX_FRAME
    proto.inbox.flags_header = True
    return proto


def expect(proto, *rids):
    loop = asyncio.get_running_loop()
    futures = {rid: loop.create_future() for rid in rids}
    proto.inbox.waiting.update(futures)
    return futures


async def test_frames_split_anywhere_reach_their_waiters():
    stream = b''.join(reply(rid, bytes([rid]) * rid) for rid in range(1, 30))
    for chunk_size in (1, 2, 3, 7, 64, len(stream)):
        proto = protocol()
        futures = expect(proto, *range(1, 30))
        for i in range(0, len(stream), chunk_size):
            proto.data_received(stream[i:i + chunk_size])
        for rid, fut in futures.items():
            assert fut.result() == reply(rid, bytes([rid]) * rid)[4:]
        assert proto.inbox.waiting == {} and not len(proto.frames)


async def test_replies_nobody_waits_for_are_dropped():
    proto = protocol()
    futures = expect(proto, 2, 4)
    cancelled = expect(proto, 3)[3]
    cancelled.cancel()
    proto.data_received(reply(1) + reply(3) + reply(4, b'four') + reply(5) + reply(2, b'two'))
    assert futures[2].result().endswith(b'two')
    assert futures[4].result().endswith(b'four')
    assert proto.inbox.waiting == {}


async def test_notifications_are_skipped():
    proto = protocol()
    fut = expect(proto, 7)[7]
    proto.data_received(reply(7, b'push', flags=P.FLAG_NOTIFICATION))
    assert not fut.done()
    proto.data_received(reply(7, b'reply'))
    assert fut.result().endswith(b'reply')


@pytest.mark.parametrize('length', [-1, 0, 9, P.MAX_FRAME + 1, 2 ** 31 - 1])
async def test_bad_frame_length_fails_every_waiter_without_buffering(length):
    proto = protocol()
    futures = expect(proto, 1, 2)
    proto.data_received(struct.pack('<i', length) + b'\x00' * 16)
    assert proto.transport.aborted
    assert isinstance(proto.conn.lost[0], ParseError)  # dead at once: the next call reconnects
    for fut in futures.values():
        with pytest.raises(ParseError):
            fut.result()
    assert len(proto.frames) <= 20  # nothing sized after the claimed length


async def test_connection_lost_fails_waiters_with_an_oserror():
    proto = protocol()
    futures = expect(proto, 1, 2)
    proto.data_received(reply(1)[:6])  # half a frame
    proto.connection_lost(ConnectionResetError('reset by peer'))
    for fut in futures.values():
        with pytest.raises(ConnectionError) as raised:
            fut.result()
        assert isinstance(raised.value.__cause__, ConnectionResetError)
    assert isinstance(proto.conn.lost[0], OSError)


async def test_a_burst_of_frames_is_joined_into_one_write():
    proto = protocol()
    for i in range(5):
        proto.send(bytearray([i]))
    assert proto.transport.written == [b'\x00']  # the first goes out at once
    await asyncio.sleep(0)
    assert proto.transport.written == [b'\x00', b'\x01\x02\x03\x04']
    proto.send(b'\x05')
    assert proto.transport.written[-1] == b'\x05'


async def test_requests_awaited_one_by_one_are_written_at_once():
    proto = protocol()
    for rid in range(1, 4):
        fut = expect(proto, rid)[rid]
        proto.send(bytes([rid]))
        assert proto.transport.written[-1] == bytes([rid])  # no wait for a flush
        proto.data_received(reply(rid))
        assert fut.done()
    assert len(proto.transport.written) == 3
