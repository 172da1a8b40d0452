"""Cluster state: OP_CLUSTER_GET_STATE and OP_CLUSTER_CHANGE_STATE; the WAL of a cache:
OP_CLUSTER_CHANGE_WAL_STATE and OP_CLUSTER_GET_WAL_STATE."""
from typing import TYPE_CHECKING, Any, Tuple

from .._codec.encoder import write_string
from .._protocol.opcodes import (
    OP_CLUSTER_CHANGE_STATE, OP_CLUSTER_CHANGE_WAL_STATE, OP_CLUSTER_GET_STATE,
    OP_CLUSTER_GET_WAL_STATE,
)
from .._protocol.request import Request
from ..datatypes.cluster_state import ClusterState
from ..exceptions import ClusterError, NotSupportedByClusterError, ParameterError
from .common import Operation
from .exchange import Call

if TYPE_CHECKING:
    from .common import Session


def _check_supported(session: 'Session') -> None:
    ctx = session.protocol_context
    if ctx is not None and not ctx.is_cluster_api_supported():
        raise NotSupportedByClusterError('the cluster API needs a server that negotiates '
                                         'the cluster states feature')


def state_of(value: Any) -> ClusterState:
    """Validate a cluster state given by the user.

    :raises ValueError: not one of the :class:`ClusterState` values.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError('cluster state must be a ClusterState, not {!r}'.format(value))
    try:
        return ClusterState(value)
    except (ValueError, TypeError):
        raise ValueError('cluster state must be one of {}, not {!r}'.format(
            ', '.join(s.name for s in ClusterState), value)) from None


def get_state(session: 'Session') -> Operation:
    """:return: the cluster state, a :class:`ClusterState`."""
    _check_supported(session)
    resp = yield Request(OP_CLUSTER_GET_STATE, ClusterError)
    raw = resp.data[resp.pos]
    try:
        return ClusterState(raw)
    except ValueError:
        return raw  # a state newer than this client knows


def set_state(session: 'Session', state: Any) -> Operation:
    """Change the cluster state; returns when the change is complete."""
    state = state_of(state)
    _check_supported(session)
    req = Request(OP_CLUSTER_CHANGE_STATE, ClusterError)
    req.buf.append(state)
    yield req


def _read_bool(data: bytes, pos: int, registry: Any) -> Tuple[bool, int]:
    return data[pos] != 0, pos + 1


def _wal_request(op_code: int, cache_name: Any) -> Request:
    if not isinstance(cache_name, str):
        raise ParameterError('the cache name must be a str, not {!r}'.format(cache_name))
    req = Request(op_code, ClusterError)
    write_string(req.buf, cache_name)
    return req


def change_wal_state(session: 'Session', cache_name: Any, enable: bool) -> Call:
    """Enable or disable the WAL of a (persistent) cache.

    :return: whether the state changed (False: it was so already).
    """
    req = _wal_request(OP_CLUSTER_CHANGE_WAL_STATE, cache_name)
    req.buf.append(1 if enable else 0)
    return Call(req, _read_bool)


def get_wal_state(session: 'Session', cache_name: Any) -> Call:
    """:return: whether the WAL of the cache is enabled."""
    return Call(_wal_request(OP_CLUSTER_GET_WAL_STATE, cache_name), _read_bool)
