"""Services: calling a method of a service deployed in the cluster (OP_SERVICE_INVOKE),
their descriptions (OP_SERVICE_GET_DESCRIPTORS, OP_SERVICE_GET_DESCRIPTOR) and where
their instances run (OP_SERVICE_GET_TOPOLOGY).

With the service topology feature (bit 16) and connections to several nodes, a call goes
straight to a node that hosts an instance (one of the cluster group's, if the call is
limited to a group): the server would otherwise forward it there. The topology of a
service is asked for on its first call and again after :data:`TOPOLOGY_TTL` seconds or a
failed call.
"""
import random
import struct
from typing import TYPE_CHECKING, Any, List, Mapping, NamedTuple, Optional, Sequence, Tuple
from uuid import UUID

from .._codec import structs as S
from .._codec.decoder import Data, read, read_str_or_none
from .._codec.encoder import write, write_string
from .._protocol.opcodes import (
    OP_SERVICE_GET_DESCRIPTOR, OP_SERVICE_GET_DESCRIPTORS, OP_SERVICE_GET_TOPOLOGY,
    OP_SERVICE_INVOKE,
)
from .._protocol.request import Request
from .._protocol.wire import (
    FEATURE_GET_SERVICE_DESCRIPTORS, FEATURE_SERVICE_INVOKE, FEATURE_SERVICE_INVOKE_CALLCTX,
    FEATURE_SERVICE_TOPOLOGY,
)
from ..exceptions import NotSupportedByClusterError, ParameterError, ParseError, ServiceError
from . import cluster_group
from .binary_types import decode
from .common import Operation
from .features import require
from .prepare import prepare

if TYPE_CHECKING:
    from .common import Session

__all__ = ['ServiceDescriptor', 'ServiceRef', 'TOPOLOGY_TTL', 'check_name', 'call',
           'descriptors', 'descriptor', 'topology']

#: seconds a service's topology is trusted for routing
TOPOLOGY_TTL = 30.0
_M64 = (1 << 64) - 1
_LONG_MAX = (1 << 63) - 1
_unpack_i = S.INT.unpack_from
_unpack_QQ = S.QQ.unpack_from
_unpack_ii = struct.Struct('<ii').unpack_from


class ServiceDescriptor(NamedTuple):
    """A deployed service, as the server describes it.

    :ivar name: its name,
    :ivar service_class: the name of its Java (or .NET) class,
    :ivar total_count: how many instances the cluster runs at most (0: no limit),
    :ivar max_per_node_count: how many instances a node runs at most (0: no limit),
    :ivar cache_name: the cache it is bound to by affinity, or None,
    :ivar origin_node_id: the node that deployed it,
    :ivar platform: ``'java'`` or ``'dotnet'``,
    :ivar node_ids: the nodes that run an instance, or None when the server does not
     tell (before Ignite 2.16).
    """

    name: str
    service_class: str
    total_count: int
    max_per_node_count: int
    cache_name: Optional[str]
    origin_node_id: Optional[UUID]
    platform: str
    node_ids: Optional[List[UUID]] = None


class ServiceRef:
    """What a service proxy knows of its service: the name and, for routing, the nodes
    that host it and when that was learnt."""

    __slots__ = ('name', 'hosts', 'learnt')

    def __init__(self, name: str) -> None:
        self.name = name
        self.hosts: Optional[List[UUID]] = None
        self.learnt = 0.0


def check_name(name: Any) -> str:
    """:raises ParameterError: ``name`` is not a non-empty str."""
    if not isinstance(name, str) or not name:
        raise ParameterError('a service name must be a non-empty str, not {!r}'.format(name))
    return name


def check_call(timeout: Any, call_context: Any) -> int:
    """Refuse bad proxy parameters; return the timeout in ms (0: none).

    :raises ParameterError: a bad timeout or call context.
    """
    millis = 0
    if timeout is not None:
        if timeout.__class__ is bool or not isinstance(timeout, (int, float)) \
                or not 0 < timeout < _LONG_MAX // 1000:
            raise ParameterError('timeout must be a positive number of seconds or None, not '
                                 '{!r}'.format(timeout))
        millis = max(1, int(timeout * 1000))
    if call_context is not None and (
            not isinstance(call_context, Mapping)
            or not all(isinstance(k, str) for k in call_context)):
        raise ParameterError('call_context must be a dict of str attribute names to values, '
                             'not {!r}'.format(call_context))
    return millis


def _write_ids(buf: bytearray, ids: Sequence[UUID]) -> None:
    buf += S.INT.pack(len(ids))
    for node_id in ids:
        n = node_id.int
        buf += S.QQ.pack(n >> 64, n & _M64)


def _read_ids(data: Data, pos: int) -> List[UUID]:
    try:
        count = _unpack_i(data, pos)[0]
        pos += 4
        ids = []
        for _ in range(max(count, 0)):
            hi, lo = _unpack_QQ(data, pos)
            pos += 16
            ids.append(UUID(int=(hi << 64) | lo))
    except struct.error:
        raise ParseError('malformed list of node ids') from None
    return ids


def topology(session: 'Session', name: str) -> Operation:
    """:return: the ids of the nodes that run an instance of the service ``name`` (empty
    when the server does not know)."""
    req = Request(OP_SERVICE_GET_TOPOLOGY, ServiceError)
    write_string(req.buf, name)
    resp = yield req
    return _read_ids(resp.data, resp.pos)


def _host_connection(session: 'Session', hosts: Sequence[UUID],
                     allowed: Optional[Sequence[UUID]]) -> Any:
    """A live connection to a node among ``hosts`` (and ``allowed``), or None."""
    conns = [c for c in session.nodes if c.alive and c.uuid in hosts
             and (allowed is None or c.uuid in allowed)]
    return random.choice(conns) if conns else None


def call(session: 'Session', ref: ServiceRef, steps: Optional[Tuple[Any, ...]],
         method: str, args: Sequence[Any], millis: int,
         call_context: Optional[Mapping[str, Any]], now: float) -> Operation:
    """Call ``method(*args)`` of the service ``ref.name``; return what it returns.

    :param steps: the cluster group whose instances may serve the call, or None for any,
    :param millis: the call's timeout in ms, 0 for none,
    :param call_context: attributes the service reads from its call context, or None,
    :param now: the monotonic time (to know when the service's topology is old),
    :raises ServiceError: the call failed on the server,
    :raises NotSupportedByClusterError: the server has no thin-client services, or no
     call contexts and one was given.
    """
    require(session, FEATURE_SERVICE_INVOKE, 'service calls')
    ctx = session.protocol_context
    features = ctx.features if ctx is not None else frozenset()
    with_context = FEATURE_SERVICE_INVOKE_CALLCTX in features
    if call_context is not None and not with_context:
        raise NotSupportedByClusterError('a service call context needs a server that '
                                         'negotiates feature {} (Ignite 2.13 or later)'
                                         .format(FEATURE_SERVICE_INVOKE_CALLCTX))
    ids: Optional[List[UUID]] = None
    if steps:
        ids = yield from cluster_group.resolve(session, steps, False)
        if not ids:
            raise ServiceError('the cluster group has no nodes to call the service on')
    conn = None
    if FEATURE_SERVICE_TOPOLOGY in features and sum(c.alive for c in session.nodes) > 1:
        if ref.hosts is None or now - ref.learnt > TOPOLOGY_TTL:
            ref.hosts = yield from topology(session, ref.name)
            ref.learnt = now
        conn = _host_connection(session, ref.hosts, ids)
    req = Request(OP_SERVICE_INVOKE, ServiceError)
    buf = req.buf
    ctx_binary = session.binary
    write_string(buf, ref.name)
    buf.append(0)  # flags: arguments and result deserialized on the server
    buf += S.LONG.pack(millis)
    _write_ids(buf, ids or ())
    write_string(buf, method)
    buf += S.INT.pack(len(args))
    for arg in args:
        write(buf, arg, None, ctx_binary)
    if with_context:
        if call_context is None:
            buf.append(0x65)
        else:
            write(buf, dict(call_context), None, ctx_binary)
    if session.needs_prepare(req):
        yield from prepare(session, req)
    req.conn = conn
    try:
        resp = yield req
    except BaseException:
        ref.hosts = None  # maybe the instance moved: ask again next time
        raise
    return (yield from decode(session, read, resp.data, resp.pos))


def _read_descriptor(data: Data, pos: int, ctx: Any) -> Tuple[ServiceDescriptor, int]:
    try:
        name, pos = read_str_or_none(data, pos)
        cls, pos = read_str_or_none(data, pos)
        total, per_node = _unpack_ii(data, pos)
        pos += 8
        cache_name, pos = read_str_or_none(data, pos)
        origin, pos = read(data, pos, ctx)
        platform = data[pos]
        pos += 1
    except (IndexError, struct.error):
        raise ParseError('malformed service descriptor') from None
    return ServiceDescriptor(name or '', cls or '', total, per_node, cache_name, origin,
                             'dotnet' if platform == 1 else 'java'), pos


def _read_descriptors(data: Data, pos: int, ctx: Any) -> Tuple[List[ServiceDescriptor], int]:
    count = _unpack_i(data, pos)[0]
    pos += 4
    if not 0 <= count <= len(data) - pos:
        raise ParseError('malformed service descriptors: {}'.format(count))
    found = []
    for _ in range(count):
        desc, pos = _read_descriptor(data, pos, ctx)
        found.append(desc)
    return found, pos


def _with_nodes(session: 'Session', desc: ServiceDescriptor) -> Operation:
    ctx = session.protocol_context
    if ctx is None or FEATURE_SERVICE_TOPOLOGY not in ctx.features:
        return desc
    ids = yield from topology(session, desc.name)
    return desc._replace(node_ids=ids)


def descriptors(session: 'Session') -> Operation:
    """:return: the descriptions of every deployed service (:class:`ServiceDescriptor`)."""
    require(session, FEATURE_GET_SERVICE_DESCRIPTORS, 'service descriptors')
    resp = yield Request(OP_SERVICE_GET_DESCRIPTORS, ServiceError)
    found = yield from decode(session, _read_descriptors, resp.data, resp.pos)
    result = []
    for desc in found:
        result.append((yield from _with_nodes(session, desc)))
    return result


def descriptor(session: 'Session', name: str) -> Operation:
    """:return: the description of the service ``name``,
    :raises ServiceError: there is no such service."""
    require(session, FEATURE_GET_SERVICE_DESCRIPTORS, 'service descriptors')
    req = Request(OP_SERVICE_GET_DESCRIPTOR, ServiceError)
    write_string(req.buf, check_name(name))
    resp = yield req
    desc = yield from decode(session, _read_descriptor, resp.data, resp.pos)
    return (yield from _with_nodes(session, desc))
