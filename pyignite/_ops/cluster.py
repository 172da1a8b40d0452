"""Cluster state: OP_CLUSTER_GET_STATE and OP_CLUSTER_CHANGE_STATE."""
from typing import TYPE_CHECKING, Any

from .._protocol.opcodes import OP_CLUSTER_CHANGE_STATE, OP_CLUSTER_GET_STATE
from .._protocol.request import Request
from ..datatypes.cluster_state import ClusterState
from ..exceptions import ClusterError, NotSupportedByClusterError
from .common import Operation

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
