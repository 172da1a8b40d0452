"""Protocol version fallback against a peer that hangs up after refusing a version.

A node that does not speak the client's newest protocol version answers the handshake
with a refusal naming its own version, and may close the connection then. The client must
offer the older version on a new connection. A scripted peer plays such a node (no Ignite
release in reach speaks only an older version).
"""
import struct
import uuid

import pytest

from .doubles import frame, handshake_reply, recv_frame

SERVER_VERSION = (1, 6, 0)
NODE = uuid.UUID('0a0b0c0d-0000-4000-8000-000000000002')


def _old_node(offered: list):
    """Refuse every version but 1.6.0 and hang up after each refusal, as a node may; note
    the version each connection offered in ``offered``."""
    def script(sock):
        version = struct.unpack_from('<hhh', recv_frame(sock), 1)
        offered.append(version)
        if version != SERVER_VERSION:
            message = b'Unsupported version.'
            sock.sendall(frame(b'\x00' + struct.pack('<hhh', *SERVER_VERSION) + b'\x09'
                               + struct.pack('<i', len(message)) + message
                               + struct.pack('<i', 1)))
            return
        sock.sendall(handshake_reply(NODE, features=False))
        while recv_frame(sock):  # the session stays open until the client leaves
            pass
    return script


@pytest.fixture
def old_node(scripted_peer):
    offered: list = []
    node = scripted_peer(_old_node(offered))
    node.offered = offered
    return node


def test_the_client_offers_the_older_version_on_a_new_connection(connect, old_node):
    client = connect.new()
    with client.connect(old_node.host, old_node.port):
        assert client.protocol_context.version == SERVER_VERSION
        assert client.random_node.uuid == NODE
    assert old_node.offered[0] > SERVER_VERSION and old_node.offered[-1] == SERVER_VERSION
