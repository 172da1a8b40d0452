"""A node that resets the connection: both clients raise ConnectionResetError.

A scripted peer handshakes and then answers the first request with a TCP reset (no Ignite
node can be made to reset on cue). The caller must see the operating system's own error
class, a :class:`ConnectionResetError`, with either client, as pyignite 0.6.1 does.
"""
import socket
import struct
import uuid

import pytest

from .doubles import handshake_reply, recv_frame

NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000003')


def _reset_at_first_request(sock):
    recv_frame(sock)
    sock.sendall(handshake_reply(NODE))
    recv_frame(sock)
    # linger 0: closing sends a reset instead of the orderly end of the stream
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))


@pytest.fixture
def resetting_node(scripted_peer):
    return scripted_peer(_reset_at_first_request)


def test_the_client_raises_the_reset(api, connect, resetting_node):
    client = connect.new()
    with client.connect(resetting_node.host, resetting_node.port):
        with pytest.raises(ConnectionResetError) as raised:
            client.get_cache_names()
        if api == 'async':
            # the async client's message names the node; the sync one's is the OS text alone
            assert str(resetting_node.port) in str(raised.value)
