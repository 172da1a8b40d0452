"""Protocol version fallback against a peer that hangs up after refusing a version.

A node that does not speak the client's newest protocol version answers the handshake
with a refusal naming its own version, and may close the connection then. The client must
offer the older version on a new connection. A scripted peer plays such a node (no Ignite
release in reach speaks only an older version).
"""
import asyncio
import socket
import struct
import threading
import uuid

import pytest

from pyignite import AioClient, Client

from .doubles import frame, handshake_reply, recv_frame

SERVER_VERSION = (1, 6, 0)
NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000002')


class OldNode:
    """Refuses every version but 1.6.0 and hangs up after each refusal; notes the version
    each connection offered."""

    def __init__(self):
        self._listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self.offered = []
        self._held = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            try:
                body = recv_frame(sock)
            except (ConnectionError, OSError):
                sock.close()
                continue
            version = struct.unpack_from('<hhh', body, 1)
            self.offered.append(version)
            if version == SERVER_VERSION:
                sock.sendall(handshake_reply(NODE, features=False))
                self._held.append(sock)  # the session stays open
                continue
            message = b'Unsupported version.'
            sock.sendall(frame(b'\x00' + struct.pack('<hhh', *SERVER_VERSION) + b'\x09'
                               + struct.pack('<i', len(message)) + message
                               + struct.pack('<i', 1)))
            sock.close()  # and hang up, as a node may

    def close(self) -> None:
        self._listener.close()
        for sock in self._held:
            sock.close()


@pytest.fixture
def old_node():
    node = OldNode()
    yield node
    node.close()


def test_the_sync_client_offers_the_older_version_on_a_new_connection(old_node):
    client = Client()
    with client.connect(old_node.host, old_node.port):
        assert client.protocol_context.version == SERVER_VERSION
        assert client.random_node.uuid == NODE
    assert old_node.offered[0] > SERVER_VERSION and old_node.offered[-1] == SERVER_VERSION


def test_the_async_client_offers_the_older_version_on_a_new_connection(old_node):
    async def scenario():
        client = AioClient()
        async with client.connect(old_node.host, old_node.port):
            assert client.protocol_context.version == SERVER_VERSION
            assert (await client.random_node()).uuid == NODE

    asyncio.run(scenario())
    assert old_node.offered[0] > SERVER_VERSION and old_node.offered[-1] == SERVER_VERSION
