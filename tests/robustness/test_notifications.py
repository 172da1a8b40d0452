"""Server notifications between replies, through both clients, with a scripted peer.

No Ignite feature pushes anything to a client that has not subscribed, so a peer that
speaks the protocol from a script stands in for the node: it answers two requests out of
order with a notification frame between the replies. Each client must hand the
notification to the listener registered for its (op code, resource id), drop one nobody
listens to, and still give each caller its own reply.
"""
import asyncio
import struct
import threading
import uuid

import pytest

from pyignite import AioClient, Client

from .doubles import frame, handshake_reply, recv_frame

CQ_EVENT = 2007
RESOURCE = 77
NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000001')


def _names_reply(rid: int) -> bytes:
    """A reply to OP_CACHE_GET_NAMES naming one cache after the request id."""
    name = 'for-{}'.format(rid).encode()
    payload = struct.pack('<i', 1) + b'\x09' + struct.pack('<i', len(name)) + name
    return frame(struct.pack('<qh', rid, 0) + payload)


def _notification(resource_id: int, op: int, payload: bytes) -> bytes:
    return frame(struct.pack('<qhh', resource_id, 0x0004, op) + payload)


def _script(requests: list):
    """Handshake at protocol 1.7.0; then, for every two requests, send the second one's
    reply, two notifications (one for ``RESOURCE``, one for a resource nobody subscribed
    to) and the first one's reply, in one write. The op codes go to ``requests``."""
    def script(sock):
        recv_frame(sock)  # the handshake
        sock.sendall(handshake_reply(NODE))
        while True:
            pair = []
            for _ in range(2):
                op, rid = struct.unpack_from('<hq', recv_frame(sock))
                requests.append(op)
                pair.append(rid)
            sock.sendall(_names_reply(pair[1])
                         + _notification(RESOURCE, CQ_EVENT, b'event-1')
                         + _notification(RESOURCE + 1, CQ_EVENT, b'nobody')
                         + _names_reply(pair[0]))
    return script


@pytest.fixture
def peer(scripted_peer):
    requests: list = []
    peer = scripted_peer(_script(requests))
    peer.requests = requests
    return peer


def test_the_sync_client_delivers_a_notification_between_two_replies(peer):
    heard = []
    client = Client()
    with client.connect(peer.host, peer.port):
        client.random_node.subscribe(CQ_EVENT, RESOURCE, heard.append)
        results = [None, None]
        go = threading.Barrier(2)

        def call(i: int) -> None:
            go.wait()
            results[i] = client.get_cache_names()

        threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(name for names in results for name in names) == ['for-1', 'for-2']
    assert peer.requests == [1050, 1050]
    assert [bytes(f[12:]) for f in heard] == [b'event-1']


async def test_the_async_client_delivers_a_notification_between_two_replies(peer):
    heard = []

    client = AioClient()
    async with client.connect(peer.host, peer.port):
        (await client.random_node()).subscribe(CQ_EVENT, RESOURCE, heard.append)
        first, second = await asyncio.gather(client.get_cache_names(),
                                             client.get_cache_names())
        # each caller gets the reply to its own request, though they came reversed
        assert (first, second) == (['for-1'], ['for-2'])

    assert peer.requests == [1050, 1050]
    assert [bytes(f[12:]) for f in heard] == [b'event-1']
