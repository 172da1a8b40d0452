"""Cluster groups: which nodes a projection of the cluster holds
(OP_CLUSTER_GROUP_GET_NODE_IDS) and what they are (OP_CLUSTER_GROUP_GET_NODE_INFO).

A group is a tuple of *steps*, applied in order from the whole cluster. The server can
apply two kinds (nodes with an attribute, server or client nodes) and does so while no
other kind came before them; the other kinds (node ids, hosts, a predicate, the
oldest, youngest or a random node) and any step after them are applied here, on the
node ids or, when a step needs them, on the node descriptions. So a group means the same
whatever it is made of, and the server is asked for as little as it can answer.
"""
import random
import struct
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Tuple, Union
from uuid import UUID

from .._codec import structs as S
from .._codec.decoder import Data, read, read_str_or_none
from .._codec.encoder import split_hinted, write, write_string
from .._protocol.opcodes import OP_CLUSTER_GROUP_GET_NODE_IDS, OP_CLUSTER_GROUP_GET_NODE_INFO
from .._protocol.request import Request
from ..datatypes.cluster_node import ClusterNode, NodeVersion
from ..exceptions import ClusterError, NotSupportedByClusterError, ParameterError, ParseError
from .binary_types import decode
from .common import Operation
from .prepare import prepare

if TYPE_CHECKING:
    from .common import Session

__all__ = ['Step', 'attribute', 'node_type', 'node_ids', 'hosts', 'predicate', 'OLDEST',
           'YOUNGEST', 'RANDOM', 'resolve']

# step kinds; the first two are the server's projection codes
_ATTRIBUTE = 1
_NODE_TYPE = 2
_NODE_IDS = 10
_HOSTS = 11
_PREDICATE = 12
_OLDEST = 13
_YOUNGEST = 14
_RANDOM = 15
_SERVER_KINDS = (_ATTRIBUTE, _NODE_TYPE)
# kinds that look at more than the node id
_NEED_DETAILS = (_ATTRIBUTE, _NODE_TYPE, _HOSTS, _PREDICATE, _OLDEST, _YOUNGEST)

#: one step of a group: ``(kind, argument)``
Step = Tuple[int, Any]

OLDEST: Step = (_OLDEST, None)
YOUNGEST: Step = (_YOUNGEST, None)
RANDOM: Step = (_RANDOM, None)

_unpack_qi: Callable[[Data, int], Tuple[int, int]] = S.QI.unpack_from
_unpack_i: Callable[[Data, int], Tuple[int]] = S.INT.unpack_from
_unpack_q: Callable[[Data, int], Tuple[int]] = S.LONG.unpack_from
_unpack_QQ: Callable[[Data, int], Tuple[int, int]] = S.QQ.unpack_from
_NODE_FLAGS = struct.Struct('<q???').unpack_from
_VERSION = struct.Struct('<bbb').unpack_from
_M64 = (1 << 64) - 1


# --- steps, checked as they are made ----------------------------------------------------------

def attribute(name: Any, value: Any = None) -> Step:
    """Nodes whose attribute ``name`` equals ``value`` (any value when it is None); a
    ``(value, hint)`` tuple gives the value's Ignite type."""
    if not isinstance(name, str) or not name:
        raise ParameterError('an attribute name must be a non-empty str, not {!r}'
                             .format(name))
    return _ATTRIBUTE, (name, value)


def node_type(servers: bool) -> Step:
    """Server nodes (``servers``) or client nodes."""
    return _NODE_TYPE, bool(servers)


def _uuid_of(value: Any) -> UUID:
    if isinstance(value, UUID):
        return value
    if isinstance(value, ClusterNode):
        return value.id
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            pass
    raise ParameterError('a node id must be a uuid.UUID, its str or a ClusterNode, not {!r}'
                         .format(value))


def node_ids(ids: Iterable[Any]) -> Step:
    """Nodes of the given ids (UUIDs, their str, or :class:`ClusterNode` objects)."""
    if isinstance(ids, (str, bytes, UUID, ClusterNode)) or not hasattr(ids, '__iter__'):
        raise ParameterError('node ids must be given as an iterable of ids, not {!r}'
                             .format(ids))
    return _NODE_IDS, frozenset(_uuid_of(i) for i in ids)


def hosts(names: Iterable[Any]) -> Step:
    """Nodes that have one of ``names`` among their host names or addresses (a
    :class:`ClusterNode` stands for its own host names and addresses)."""
    wanted = set()
    for name in names:
        if isinstance(name, ClusterNode):
            wanted.update(name.host_names)
            wanted.update(name.addresses)
        elif isinstance(name, str) and name:
            wanted.add(name)
        else:
            raise ParameterError('a host must be a non-empty str or a ClusterNode, not {!r}'
                                 .format(name))
    if not wanted:
        raise ParameterError('for_host needs at least one host')
    return _HOSTS, frozenset(wanted)


def predicate(test: Callable[[ClusterNode], Any]) -> Step:
    """Nodes for which ``test(node)`` is true."""
    if not callable(test):
        raise ParameterError('a node predicate must be callable, not {!r}'.format(test))
    return _PREDICATE, test


# --- resolving a group ------------------------------------------------------------------------

def _check_supported(session: 'Session') -> None:
    ctx = session.protocol_context
    if ctx is not None and not ctx.is_cluster_groups_supported():
        raise NotSupportedByClusterError('cluster groups need a server that negotiates the '
                                         'cluster groups feature (Ignite 2.9 or later)')


def _ids_request(session: 'Session', server_steps: List[Step]) -> Request:
    req = Request(OP_CLUSTER_GROUP_GET_NODE_IDS, ClusterError)
    buf = req.buf
    # topology version 0: nothing known, so the reply always holds the ids
    buf += S.LONG.pack(0)
    buf += S.INT.pack(len(server_steps))
    for kind, arg in server_steps:
        buf += S.SHORT.pack(kind)
        if kind == _ATTRIBUTE:
            name, value = arg
            write_string(buf, name)
            write(buf, *split_hinted(value), ctx=session.binary)
        else:
            buf.append(arg)
    return req


def _read_ids(data: Data, pos: int) -> List[UUID]:
    if not data[pos]:
        return []  # "not changed": never for version 0, but a server may say so
    _, n = _unpack_qi(data, pos + 1)
    pos += 13
    if n < 0 or pos + 16 * n > len(data):
        raise ParseError('bad node id count {}'.format(n))
    ids = []
    for _ in range(n):
        msb, lsb = _unpack_QQ(data, pos)
        ids.append(UUID(int=(msb << 64) | lsb))
        pos += 16
    return ids


def _items(value: Any) -> List[Any]:
    # a typed Collection reads as (kind, items); a null one as None
    return [] if value is None else list(value[1])


def read_nodes(data: Data, pos: int, ctx: Any) -> Tuple[List[ClusterNode], int]:
    """The node descriptions of an OP_CLUSTER_GROUP_GET_NODE_INFO reply."""
    n = _unpack_i(data, pos)[0]
    pos += 4
    if n < 0 or n > len(data):
        raise ParseError('bad node count {}'.format(n))
    nodes = []
    for _ in range(n):
        node_id, pos = read(data, pos, ctx)
        count = _unpack_i(data, pos)[0]
        pos += 4
        if count < 0 or count > len(data):
            raise ParseError('bad attribute count {}'.format(count))
        attributes = {}
        for _ in range(count):
            name, pos = read_str_or_none(data, pos)
            if name is None:
                raise ParseError('a node attribute without a name')
            attributes[name], pos = read(data, pos, ctx)
        addresses, pos = read(data, pos, ctx)
        host_names, pos = read(data, pos, ctx)
        order, _local, _daemon, is_client = _NODE_FLAGS(data, pos)
        pos += 11
        consistent_id, pos = read(data, pos, ctx)
        major, minor, maintenance = _VERSION(data, pos)
        stage, pos = read_str_or_none(data, pos + 3)
        revision_timestamp = _unpack_q(data, pos)[0]
        revision_hash, pos = read(data, pos + 8, ctx)
        if not isinstance(node_id, UUID):
            raise ParseError('a node id that is not a UUID: {!r}'.format(node_id))
        nodes.append(ClusterNode(
            node_id, consistent_id, _items(addresses), _items(host_names), attributes, order,
            NodeVersion(major, minor, maintenance, stage, revision_timestamp, revision_hash),
            is_client))
    return nodes, pos


def node_info(session: 'Session', ids: List[UUID]) -> Operation:
    """:return: the descriptions of the nodes ``ids`` (unknown ids are left out)."""
    req = Request(OP_CLUSTER_GROUP_GET_NODE_INFO, ClusterError)
    req.buf += S.INT.pack(len(ids))
    for node_id in ids:
        n = node_id.int
        req.buf += S.QQ.pack(n >> 64, n & _M64)
    resp = yield req
    nodes = yield from decode(session, read_nodes, resp.data, resp.pos)
    # the server lists them in an order of its own: give them in the order asked for
    place = {node_id: i for i, node_id in enumerate(ids)}
    return sorted(nodes, key=lambda node: place.get(node.id, len(place)))


def _apply(step: Step, nodes: List[Any]) -> List[Any]:
    """``nodes`` (ids, or descriptions when the step needs them) the step keeps."""
    kind, arg = step
    if not nodes:
        return nodes
    if kind == _NODE_IDS:
        return [n for n in nodes if (n.id if isinstance(n, ClusterNode) else n) in arg]
    if kind == _RANDOM:
        return [random.choice(nodes)]
    if kind == _OLDEST:
        return [min(nodes, key=lambda n: n.order)]
    if kind == _YOUNGEST:
        return [max(nodes, key=lambda n: n.order)]
    if kind == _HOSTS:
        return [n for n in nodes
                if not (arg.isdisjoint(n.host_names) and arg.isdisjoint(n.addresses))]
    if kind == _PREDICATE:
        return [n for n in nodes if arg(n)]
    if kind == _NODE_TYPE:
        return [n for n in nodes if n.is_client != arg]
    name, value = arg
    value = split_hinted(value)[0]
    return [n for n in nodes
            if name in n.attributes and (value is None or n.attributes[name] == value)]


def resolve(session: 'Session', steps: Tuple[Step, ...], details: bool) -> Operation:
    """The nodes of a group, in the server's order.

    :param steps: the group,
    :param details: return :class:`ClusterNode` descriptions; otherwise node ids (the
     descriptions are fetched only if a step needs them),
    :return: a list of :class:`ClusterNode` or of UUIDs.
    """
    _check_supported(session)
    lead = 0
    while lead < len(steps) and steps[lead][0] in _SERVER_KINDS:
        lead += 1
    req = _ids_request(session, list(steps[:lead]))
    if session.needs_prepare(req):
        yield from prepare(session, req)  # an attribute value of a class new to the server
    resp = yield req
    ids = _read_ids(resp.data, resp.pos)
    rest = steps[lead:]
    selected: List[Union[UUID, ClusterNode]] = list(ids)
    if details or any(kind in _NEED_DETAILS for kind, _ in rest):
        selected = list((yield from node_info(session, ids))) if ids else []
    for step in rest:
        selected = _apply(step, selected)
    if details or not selected or isinstance(selected[0], UUID):
        return selected
    return [node.id for node in selected]  # type: ignore[union-attr]


def node(session: 'Session', steps: Tuple[Step, ...], node_id: Optional[Any]) -> Operation:
    """:return: the node ``node_id`` of the group, or its first node, or None."""
    if node_id is not None:
        steps = steps + (node_ids([node_id]),)
    nodes = yield from resolve(session, steps, True)
    return nodes[0] if nodes else None
