"""What a cluster-smart client asks about its connections: the cluster's node endpoints
(OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS, feature CLUSTER_GROUP_GET_NODES_ENDPOINTS), heartbeats
(OP_HEARTBEAT) and the server's idle timeout (OP_GET_IDLE_TIMEOUT, feature HEARTBEAT).

Each is a one-request operation pinned to a connection: the answer is about that node (or
asked of it), so it is never routed elsewhere nor sent again on another one.
"""
import struct
from typing import Any, List, NamedTuple, Tuple
from uuid import UUID

from .._codec import structs as S
from .._codec.decoder import read_str_or_none
from .._protocol.opcodes import (
    OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS, OP_GET_IDLE_TIMEOUT, OP_HEARTBEAT,
)
from .._protocol.request import Request
from ..exceptions import ClusterError, ParseError
from .exchange import Call

__all__ = ['Endpoint', 'node_endpoints', 'heartbeat', 'idle_timeout']

_START_END = struct.Struct('<qq')
#: "unknown" as a topology version: ask for the whole list, as of now
_UNKNOWN = -1


class Endpoint(NamedTuple):
    """A server node with a client connector, as the cluster reports it."""
    node_id: UUID
    port: int
    #: its addresses, then its host names, as the node reports them
    addresses: Tuple[str, ...]


def _pinned(req: Request, conn: Any) -> Request:
    req.conn = conn
    return req


def _read_endpoints(data: bytes, pos: int,
                    registry: Any) -> Tuple[Tuple[int, List[Endpoint]], int]:
    try:
        version, count = S.QI.unpack_from(data, pos)
        pos += 12
        nodes = []
        for _ in range(count):
            msb, lsb, port, n = struct.unpack_from('<QQii', data, pos)
            pos += 24
            addresses = []
            for _ in range(n):
                address, pos = read_str_or_none(data, pos)
                if address:
                    addresses.append(address)
            nodes.append(Endpoint(UUID(int=(msb << 64) | lsb), port, tuple(addresses)))
        # the ids of nodes that left follow; a whole-list request gets none
        return (version, nodes), pos
    except (IndexError, struct.error) as e:
        raise ParseError('malformed node endpoints reply: {}'.format(e)) from None


def node_endpoints(conn: Any) -> Call:
    """The server nodes of the cluster with a client connector, asked of ``conn``'s node.

    :return: ``(topology version, [Endpoint, ...])``.
    """
    req = _pinned(Request(OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS, ClusterError), conn)
    req.buf += _START_END.pack(_UNKNOWN, _UNKNOWN)
    return Call(req, _read_endpoints)


def heartbeat(conn: Any) -> Call:
    """An empty request that keeps ``conn`` from the server's idle timeout."""
    return Call(_pinned(Request(OP_HEARTBEAT, ClusterError), conn), None)


def _read_long(data: bytes, pos: int, registry: Any) -> Tuple[int, int]:
    return S.LONG.unpack_from(data, pos)[0], pos + 8


def idle_timeout(conn: Any) -> Call:
    """The idle timeout of ``conn``'s node, milliseconds (0: none)."""
    return Call(_pinned(Request(OP_GET_IDLE_TIMEOUT, ClusterError), conn), _read_long)
