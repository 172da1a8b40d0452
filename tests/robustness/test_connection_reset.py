"""A node that resets the connection: both clients raise ConnectionResetError.

A scripted peer handshakes and then answers the first request with a TCP reset (no Ignite
node can be made to reset on cue). The caller must see the operating system's own error
class, a :class:`ConnectionResetError`, with either client, as pyignite 0.6.1 does.
"""
import asyncio
import socket
import struct
import threading
import uuid

import pytest

from pyignite import AioClient, Client

from .doubles import handshake_reply, recv_frame

NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000003')


class ResettingNode:
    def __init__(self):
        self._listener = socket.create_server(('127.0.0.1', 0))
        self.host, self.port = self._listener.getsockname()[:2]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            sock, _ = self._listener.accept()
        except OSError:
            return
        try:
            recv_frame(sock)
            sock.sendall(handshake_reply(NODE))
            recv_frame(sock)
        except (ConnectionError, OSError):
            pass
        # linger 0: close() sends RST instead of FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        sock.close()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def resetting_node():
    node = ResettingNode()
    yield node
    node.close()


def test_the_sync_client_raises_the_reset(resetting_node):
    client = Client()
    with client.connect(resetting_node.host, resetting_node.port):
        with pytest.raises(ConnectionResetError):
            client.get_cache_names()


def test_the_async_client_raises_the_reset(resetting_node):
    async def scenario():
        client = AioClient()
        async with client.connect(resetting_node.host, resetting_node.port):
            with pytest.raises(ConnectionResetError) as raised:
                await client.get_cache_names()
            assert str(resetting_node.port) in str(raised.value)

    asyncio.run(scenario())
