"""The first events of a continuous query may follow the reply that opens it in the same
packet (the server starts sending them as soon as that reply is written). A scripted peer
does exactly that, so each client must deliver them rather than drop them as events of an
unknown query; it also answers the close."""
import asyncio
import struct
import threading
import uuid

from pyignite import AioClient, Client
from pyignite.continuous_query import CacheEntryEvent, EventType

from .doubles import frame, handshake_reply, recv_frame

NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000002')
QUERY_ID = 42
OP_QUERY_CONTINUOUS = 2006
OP_RESOURCE_CLOSE = 0


def _event(key: int, value: int) -> bytes:
    # key, old value (null), new value, CREATED
    return b'\x03' + struct.pack('<i', key) + b'\x65' + b'\x03' + struct.pack('<i', value) \
        + b'\x00'


def _script(ops: list):
    def script(sock):
        recv_frame(sock)  # the handshake
        sock.sendall(handshake_reply(NODE))
        while True:
            op, rid = struct.unpack_from('<hq', recv_frame(sock))
            ops.append(op)
            if op == OP_QUERY_CONTINUOUS:
                events = struct.pack('<i', 2) + _event(1, 10) + _event(2, 20)
                sock.sendall(frame(struct.pack('<qhq', rid, 0, QUERY_ID))
                             + frame(struct.pack('<qhh', QUERY_ID, 0x0004, 2007) + events))
            else:
                sock.sendall(frame(struct.pack('<qh', rid, 0)))
    return script


EXPECTED = [CacheEntryEvent(EventType.CREATED, 1, 10, None),
            CacheEntryEvent(EventType.CREATED, 2, 20, None)]


def test_the_sync_client_keeps_the_events_that_come_with_the_reply(scripted_peer):
    ops = []
    peer = scripted_peer(_script(ops))
    heard, got = [], threading.Event()

    def listener(events):
        heard.extend(events)
        got.set()

    client = Client()
    with client.connect(peer.host, peer.port):
        with client.get_cache('c').continuous_query(listener) as cq:
            assert got.wait(10)
            assert cq.query_id == QUERY_ID
    assert heard == EXPECTED
    assert ops == [OP_QUERY_CONTINUOUS, OP_RESOURCE_CLOSE]


async def test_the_async_client_keeps_the_events_that_come_with_the_reply(scripted_peer):
    ops = []
    peer = scripted_peer(_script(ops))
    client = AioClient()
    async with client.connect(peer.host, peer.port):
        cache = await client.get_cache('c')
        heard = []

        async def hear(cq):
            async for event in cq:
                heard.append(event)
                if len(heard) == 2:
                    return

        async with await cache.continuous_query() as cq:
            try:
                await asyncio.wait_for(hear(cq), 10)  # only bounds a test that would hang
            except asyncio.TimeoutError:
                pass
    assert heard == EXPECTED
    assert ops == [OP_QUERY_CONTINUOUS, OP_RESOURCE_CLOSE]
