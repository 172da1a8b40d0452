"""Compute tasks: starting one (OP_COMPUTE_TASK_EXECUTE), reading its result from the
OP_COMPUTE_TASK_FINISHED notification, cancelling it (OP_RESOURCE_CLOSE).

A task is a server resource on the connection that started it: the reply to the start
request tells its id, and its result comes later on that connection as a notification
tagged with the id. The server sends that notification only after the reply, but
another thread may still be reading the reply when it comes; the connection's inbox keeps
such early results until :func:`start_task` subscribes (see
:mod:`pyignite._session.inbox`). Waiting for the notification is all the drivers do
differently; what it says is decided here (:func:`decode_result`).
"""
import math
import struct
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple

from .._codec import structs as S
from .._codec.decoder import read, read_str_or_none
from .._codec.encoder import write, write_string
from .._protocol.opcodes import OP_COMPUTE_TASK_EXECUTE, OP_COMPUTE_TASK_FINISHED
from .._protocol.request import RELEASE_FROM_REPLY, Request
from .._protocol.wire import FEATURE_EXECUTE_TASK_BY_NAME, FLAG_ERROR
from ..exceptions import (
    CacheError, ComputeError, ComputeTaskCancelledError, ParameterError, ParseError,
)
from . import cluster_group
from ..binary import GenericObjectMeta
from .binary_types import read_fetching_types, register_java_class_name
from .common import Operation
from .features import require
from .prepare import prepare
from .resources import close_request, conn_session

if TYPE_CHECKING:
    from .common import Session

__all__ = ['FINISHED', 'TaskHandle', 'check_params', 'start_task', 'decode_result',
           'cancel_task', 'forget']

FINISHED = OP_COMPUTE_TASK_FINISHED
FLAG_NO_FAILOVER = 0x01
FLAG_NO_RESULT_CACHE = 0x02
#: the server's message for a cancelled task
CANCELLED = 'Task was cancelled'
STATUS_FUNCTIONALITY_DISABLED = 100
STATUS_TOO_MANY_COMPUTE_TASKS = 1030
_LONG_MAX = (1 << 63) - 1
#: where the payload of a notification frame starts: resource id, flags, op code
_PAYLOAD = 12
_unpack_q = S.LONG.unpack_from
_unpack_h = S.SHORT.unpack_from
_unpack_i = S.INT.unpack_from
_M64 = (1 << 64) - 1


class TaskHandle:
    """Where a started task lives.

    :ivar task_id: the server's resource id, or None before the task started,
    :ivar conn: the connection that carries it,
    :ivar opened_in: what identified that connection's session when the task started.
    """

    __slots__ = ('task_id', 'conn', 'opened_in')

    def __init__(self) -> None:
        self.task_id: Optional[int] = None
        self.conn: Any = None
        self.opened_in: Any = None


def check_params(task_name: Any, timeout: Any, no_failover: Any,
                 no_result_cache: Any) -> Tuple[int, int]:
    """Refuse bad parameters before anything is sent; return ``(flags, timeout in ms)``.

    :param timeout: seconds (an int or a float > 0), or None for no timeout.
    :raises ParameterError: a parameter is of the wrong type or out of range.
    """
    if not isinstance(task_name, str) or not task_name:
        raise ParameterError('task_name must be a non-empty str (a Java ComputeTask class '
                             'name deployed on the server), not {!r}'.format(task_name))
    millis = timeout_ms(timeout)
    for name, value in (('no_failover', no_failover), ('no_result_cache', no_result_cache)):
        if value.__class__ is not bool:
            raise ParameterError('{} must be a bool, not {!r}'.format(name, value))
    flags = (FLAG_NO_FAILOVER if no_failover else 0) | (
        FLAG_NO_RESULT_CACHE if no_result_cache else 0)
    return flags, millis


def timeout_ms(timeout: Any) -> int:
    """A timeout in seconds (None: none) as the protocol's milliseconds (0: none).

    :raises ParameterError: not None nor a positive number.
    """
    if timeout is None:
        return 0
    if timeout.__class__ is bool or not isinstance(timeout, (int, float)) \
            or not 0 < timeout < _LONG_MAX // 1000 or math.isnan(timeout):
        raise ParameterError('timeout must be a positive number of seconds or None, not '
                             '{!r}'.format(timeout))
    return max(1, int(timeout * 1000))


def start_task(session: 'Session', handle: TaskHandle, steps: Optional[Tuple[Any, ...]],
               task_name: str, arg: Any, flags: int, millis: int,
               listener: Callable[[bytes], None],
               on_end: Callable[[BaseException], None]) -> Operation:
    """Start the task ``task_name`` with ``arg`` and subscribe ``listener`` to its result
    notification and ``on_end`` to the end of its connection.

    :param steps: the cluster group the task may use (see
     :mod:`pyignite._ops.cluster_group`), or None for every server node,
    :param flags: from :func:`check_params`,
    :param millis: the task's timeout in ms, 0 for none,
    :raises NotSupportedByClusterError: the server runs no tasks for thin clients,
    :raises ComputeError: the group is empty, the server refused the task, or it failed
     at once.
    """
    require(session, FEATURE_EXECUTE_TASK_BY_NAME, 'compute tasks')
    ids: Any = ()
    if steps:
        ids = yield from cluster_group.resolve(session, steps, False)
        if not ids:
            raise ComputeError('the cluster group has no nodes to run the task on')
    req = Request(OP_COMPUTE_TASK_EXECUTE, ComputeError)
    buf = req.buf
    buf += S.INT.pack(len(ids))
    for node_id in ids:
        n = node_id.int
        buf += S.QQ.pack(n >> 64, n & _M64)
    buf.append(flags)
    buf += S.LONG.pack(millis)
    write_string(buf, task_name)
    write(buf, arg, None, session.binary)
    if isinstance(type(arg), GenericObjectMeta):
        # the node deserializes the argument into the Java class of its type name
        yield from register_java_class_name(session, arg.__class__)
    if session.needs_prepare(req):
        yield from prepare(session, req)
    # given up before its reply is read, the task is cancelled by the inbox
    req.release = RELEASE_FROM_REPLY
    try:
        resp = yield req
    except CacheError as e:
        raise _start_error(e) from None
    try:
        task_id = _unpack_q(resp.data, resp.pos)[0]
    except struct.error:
        raise ParseError('malformed compute task reply') from None
    conn = resp.conn
    handle.task_id = task_id
    handle.conn = conn
    handle.opened_in = conn_session(conn)
    conn.subscribe(FINISHED, task_id, listener, on_end)
    return task_id


def _start_error(e: CacheError) -> ComputeError:
    if e.status == STATUS_FUNCTIONALITY_DISABLED:
        return ComputeError(
            'the server does not let thin clients run compute tasks: set '
            'ThinClientConfiguration.maxActiveComputeTasksPerConnection to a number above '
            '0 in the ClientConnectorConfiguration of the server nodes (server said: '
            '{})'.format(e), e.status)
    if e.status == STATUS_TOO_MANY_COMPUTE_TASKS:
        return ComputeError(
            'too many compute tasks running on this connection: wait for some to end, or '
            'raise ThinClientConfiguration.maxActiveComputeTasksPerConnection on the server '
            'nodes (server said: {})'.format(e), e.status)
    if isinstance(e, ComputeError):
        return e
    return ComputeError(str(e), e.status)


def _error_of(frame: bytes) -> Optional[ComputeError]:
    """The error a result notification reports, or None."""
    if not _unpack_h(frame, 8)[0] & FLAG_ERROR:
        return None
    try:
        status = _unpack_i(frame, _PAYLOAD)[0]
        message = read_str_or_none(frame, _PAYLOAD + 4)[0] or ''
    except (IndexError, struct.error):
        raise ParseError('malformed compute task notification') from None
    if message == CANCELLED:
        return ComputeTaskCancelledError(message, status)
    return ComputeError(message, status)


def decode_result(session: 'Session', frame: bytes) -> Operation:
    """The result a notification frame holds, fetching binary types first if needed.

    :raises ComputeError: the task failed (:class:`ComputeTaskCancelledError`: it was
     cancelled).
    """
    error = _error_of(frame)
    if error is not None:
        raise error
    return (yield from read_fetching_types(session, read, frame, _PAYLOAD))[0]


def cancel_task(session: 'Session', handle: TaskHandle) -> Operation:
    """Cancel the task on the server (OP_RESOURCE_CLOSE), if its connection is still the
    one it started on; its result notification then says it was cancelled (unless it
    ended first). A task that already ended is not an error."""
    conn, task_id = handle.conn, handle.task_id
    if task_id is None or conn is None or not conn.alive \
            or conn_session(conn) is not handle.opened_in:
        return
    try:
        yield close_request(conn, task_id)
    except CacheError:
        pass  # the task ended meanwhile (resource does not exist): nothing to cancel


def forget(handle: TaskHandle) -> None:
    """Stop listening for the task's result (it came, or nobody waits any more)."""
    conn, task_id = handle.conn, handle.task_id
    if conn is not None and task_id is not None:
        conn.unsubscribe(FINISHED, task_id)
