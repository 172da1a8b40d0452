"""Retry policies: whether an operation that lost its connection is sent again.

When the connection a request went out on breaks (the node died, the network dropped it,
the server closed it), the request may or may not have been carried out. A retry policy
decides, per request, whether the client sends it again on another connection (to another
node, reconnecting if it must) instead of raising the error::

    from pyignite import Client
    from pyignite.retry import RetryAllPolicy

    client = Client(retry_policy=RetryAllPolicy(), retry_limit=3)

Whatever the policy says, the client never sends a request again

* inside a transaction (the transaction died with its connection: the server rolled it
  back), nor a request pinned to one connection (a cursor's next page, a transaction's
  requests, a heartbeat);
* after a timeout (the node may still be working on it), a server error, or bad input;
* more than ``retry_limit`` times (0: once per node the client knows).

Ship policies: :class:`RetryNonePolicy` (the default, as pyignite 0.6.1: every failure
reaches the caller), :class:`RetryReadPolicy` (only requests that read, which are safe to
repeat) and :class:`RetryAllPolicy` (every request, as the Java thin client's default).
Write your own by subclassing :class:`RetryPolicy`; its :meth:`~RetryPolicy.should_retry`
gets a :class:`RetryPolicyContext`. See the *Failover, retries and discovery* chapter.
"""
from enum import Enum
from typing import Dict, FrozenSet

from ._protocol import opcodes as ops

__all__ = [
    'ClientOperationType', 'RetryPolicyContext', 'RetryPolicy', 'RetryNonePolicy',
    'RetryReadPolicy', 'RetryAllPolicy', 'operation_type',
]


class ClientOperationType(Enum):
    """What a request does, as a retry policy sees it."""

    CACHE_GET = 'cache get'
    CACHE_PUT = 'cache put'
    CACHE_PUT_IF_ABSENT = 'cache put if absent'
    CACHE_GET_ALL = 'cache get all'
    CACHE_PUT_ALL = 'cache put all'
    CACHE_GET_AND_PUT = 'cache get and put'
    CACHE_GET_AND_REPLACE = 'cache get and replace'
    CACHE_GET_AND_REMOVE = 'cache get and remove'
    CACHE_GET_AND_PUT_IF_ABSENT = 'cache get and put if absent'
    CACHE_REPLACE = 'cache replace'
    CACHE_CONTAINS_KEY = 'cache contains key'
    CACHE_CONTAINS_KEYS = 'cache contains keys'
    CACHE_CLEAR = 'cache clear'
    CACHE_REMOVE = 'cache remove'
    CACHE_GET_SIZE = 'cache get size'
    CACHE_LOCAL_PEEK = 'cache local peek'
    CACHE_GET_NAMES = 'cache get names'
    CACHE_CREATE = 'cache create'
    CACHE_GET_OR_CREATE = 'cache get or create'
    CACHE_GET_CONFIGURATION = 'cache get configuration'
    CACHE_DESTROY = 'cache destroy'
    CACHE_PARTITIONS = 'cache partitions'
    QUERY_SCAN = 'scan query'
    QUERY_SQL = 'SQL query'
    QUERY_SQL_FIELDS = 'SQL fields query'
    QUERY_CURSOR_PAGE = 'query cursor page'
    BINARY_TYPE_GET = 'binary type get'
    BINARY_TYPE_PUT = 'binary type put'
    TRANSACTION = 'transaction'
    CLUSTER_GET_STATE = 'cluster get state'
    CLUSTER_CHANGE_STATE = 'cluster change state'
    CLUSTER_GET_WAL_STATE = 'cluster get WAL state'
    CLUSTER_CHANGE_WAL_STATE = 'cluster change WAL state'
    CLUSTER_GROUP_GET_NODES = 'cluster group get nodes'
    COMPUTE_TASK_EXECUTE = 'compute task execute'
    SERVICE_INVOKE = 'service invoke'
    SERVICE_GET_DESCRIPTORS = 'service get descriptors'
    DATA_STREAMER = 'data streamer'
    ATOMIC_LONG = 'atomic long'
    IGNITE_SET = 'ignite set'
    RESOURCE_CLOSE = 'resource close'
    HEARTBEAT = 'heartbeat'
    OTHER = 'other'


_T = ClientOperationType

_BY_CODE: Dict[int, ClientOperationType] = {
    ops.OP_RESOURCE_CLOSE: _T.RESOURCE_CLOSE,
    ops.OP_HEARTBEAT: _T.HEARTBEAT,
    ops.OP_GET_IDLE_TIMEOUT: _T.HEARTBEAT,
    ops.OP_CACHE_GET: _T.CACHE_GET,
    ops.OP_CACHE_PUT: _T.CACHE_PUT,
    ops.OP_CACHE_PUT_IF_ABSENT: _T.CACHE_PUT_IF_ABSENT,
    ops.OP_CACHE_GET_ALL: _T.CACHE_GET_ALL,
    ops.OP_CACHE_PUT_ALL: _T.CACHE_PUT_ALL,
    ops.OP_CACHE_GET_AND_PUT: _T.CACHE_GET_AND_PUT,
    ops.OP_CACHE_GET_AND_REPLACE: _T.CACHE_GET_AND_REPLACE,
    ops.OP_CACHE_GET_AND_REMOVE: _T.CACHE_GET_AND_REMOVE,
    ops.OP_CACHE_GET_AND_PUT_IF_ABSENT: _T.CACHE_GET_AND_PUT_IF_ABSENT,
    ops.OP_CACHE_REPLACE: _T.CACHE_REPLACE,
    ops.OP_CACHE_REPLACE_IF_EQUALS: _T.CACHE_REPLACE,
    ops.OP_CACHE_CONTAINS_KEY: _T.CACHE_CONTAINS_KEY,
    ops.OP_CACHE_CONTAINS_KEYS: _T.CACHE_CONTAINS_KEYS,
    ops.OP_CACHE_CLEAR: _T.CACHE_CLEAR,
    ops.OP_CACHE_CLEAR_KEY: _T.CACHE_CLEAR,
    ops.OP_CACHE_CLEAR_KEYS: _T.CACHE_CLEAR,
    ops.OP_CACHE_REMOVE_KEY: _T.CACHE_REMOVE,
    ops.OP_CACHE_REMOVE_IF_EQUALS: _T.CACHE_REMOVE,
    ops.OP_CACHE_REMOVE_KEYS: _T.CACHE_REMOVE,
    ops.OP_CACHE_REMOVE_ALL: _T.CACHE_REMOVE,
    ops.OP_CACHE_GET_SIZE: _T.CACHE_GET_SIZE,
    ops.OP_CACHE_LOCAL_PEEK: _T.CACHE_LOCAL_PEEK,
    ops.OP_CACHE_GET_NAMES: _T.CACHE_GET_NAMES,
    ops.OP_CACHE_CREATE_WITH_NAME: _T.CACHE_CREATE,
    ops.OP_CACHE_CREATE_WITH_CONFIGURATION: _T.CACHE_CREATE,
    ops.OP_CACHE_GET_OR_CREATE_WITH_NAME: _T.CACHE_GET_OR_CREATE,
    ops.OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION: _T.CACHE_GET_OR_CREATE,
    ops.OP_CACHE_GET_CONFIGURATION: _T.CACHE_GET_CONFIGURATION,
    ops.OP_CACHE_DESTROY: _T.CACHE_DESTROY,
    ops.OP_CACHE_PARTITIONS: _T.CACHE_PARTITIONS,
    ops.OP_QUERY_SCAN: _T.QUERY_SCAN,
    ops.OP_QUERY_SQL: _T.QUERY_SQL,
    ops.OP_QUERY_SQL_FIELDS: _T.QUERY_SQL_FIELDS,
    ops.OP_QUERY_SCAN_CURSOR_GET_PAGE: _T.QUERY_CURSOR_PAGE,
    ops.OP_QUERY_SQL_CURSOR_GET_PAGE: _T.QUERY_CURSOR_PAGE,
    ops.OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE: _T.QUERY_CURSOR_PAGE,
    ops.OP_GET_BINARY_TYPE_NAME: _T.BINARY_TYPE_GET,
    ops.OP_GET_BINARY_TYPE: _T.BINARY_TYPE_GET,
    ops.OP_GET_BINARY_CONFIGURATION: _T.BINARY_TYPE_GET,
    ops.OP_REGISTER_BINARY_TYPE_NAME: _T.BINARY_TYPE_PUT,
    ops.OP_PUT_BINARY_TYPE: _T.BINARY_TYPE_PUT,
    ops.OP_TX_START: _T.TRANSACTION,
    ops.OP_TX_END: _T.TRANSACTION,
    ops.OP_CLUSTER_GET_STATE: _T.CLUSTER_GET_STATE,
    ops.OP_CLUSTER_CHANGE_STATE: _T.CLUSTER_CHANGE_STATE,
    ops.OP_CLUSTER_GET_WAL_STATE: _T.CLUSTER_GET_WAL_STATE,
    ops.OP_CLUSTER_CHANGE_WAL_STATE: _T.CLUSTER_CHANGE_WAL_STATE,
    ops.OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS: _T.CLUSTER_GROUP_GET_NODES,
}

#: op code ranges of the families this client has no single op code table for
_RANGES = (
    (5100, 5200, _T.CLUSTER_GROUP_GET_NODES),
    (6000, 7000, _T.COMPUTE_TASK_EXECUTE),
    (7000, 7001, _T.SERVICE_INVOKE),
    (7001, 8000, _T.SERVICE_GET_DESCRIPTORS),
    (8000, 9000, _T.DATA_STREAMER),
    (9000, 9010, _T.ATOMIC_LONG),
    (9010, 9100, _T.IGNITE_SET),
    (2006, 2008, _T.QUERY_SCAN),  # continuous query
    (2008, 2010, _T.QUERY_SCAN),  # index query
)


def operation_type(op_code: int) -> ClientOperationType:
    """The operation type of a request op code (``OTHER`` for one not known here)."""
    found = _BY_CODE.get(op_code)
    if found is not None:
        return found
    for low, high, kind in _RANGES:
        if low <= op_code < high:
            return kind
    return _T.OTHER


#: requests that only read: sending one twice changes nothing
READ_OPERATIONS: FrozenSet[ClientOperationType] = frozenset((
    _T.CACHE_GET, _T.CACHE_GET_ALL, _T.CACHE_CONTAINS_KEY, _T.CACHE_CONTAINS_KEYS,
    _T.CACHE_GET_SIZE, _T.CACHE_LOCAL_PEEK, _T.CACHE_GET_NAMES, _T.CACHE_GET_CONFIGURATION,
    _T.CACHE_PARTITIONS, _T.QUERY_SCAN, _T.BINARY_TYPE_GET, _T.CLUSTER_GET_STATE,
    _T.CLUSTER_GET_WAL_STATE, _T.CLUSTER_GROUP_GET_NODES, _T.SERVICE_GET_DESCRIPTORS,
))


class RetryPolicyContext:
    """What a retry policy is told about a request whose connection broke.

    :ivar operation: the request's :class:`ClientOperationType`,
    :ivar op_code: the request's protocol op code,
    :ivar iteration: how many times the request was sent again already (0 the first time),
    :ivar error: the error the request failed with (an :class:`OSError`).
    """

    __slots__ = ('operation', 'op_code', 'iteration', 'error')

    def __init__(self, op_code: int, iteration: int, error: BaseException) -> None:
        self.operation = operation_type(op_code)
        self.op_code = op_code
        self.iteration = iteration
        self.error = error

    def __repr__(self) -> str:
        return 'RetryPolicyContext(operation={}, iteration={}, error={!r})'.format(
            self.operation.name, self.iteration, self.error)


class RetryPolicy:
    """The base of retry policies: subclass it and override :meth:`should_retry`.

    A policy is called in the thread or task of the failed request; it must be quick and
    must not use the client. An exception it raises is logged and taken as "no".
    """

    def should_retry(self, context: RetryPolicyContext) -> bool:
        """Whether to send the request again on another connection.

        :param context: the request and its failure,
        :return: True to send it again.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__ + '()'


class RetryNonePolicy(RetryPolicy):
    """Never send a request again: every connection failure reaches the caller."""

    def should_retry(self, context: RetryPolicyContext) -> bool:
        return False


class RetryReadPolicy(RetryPolicy):
    """Send again only requests that read (gets, contains, sizes, scans, cluster state,
    cache names and configurations, binary types): repeating them changes nothing."""

    def should_retry(self, context: RetryPolicyContext) -> bool:
        return context.operation in READ_OPERATIONS


class RetryAllPolicy(RetryPolicy):
    """Send every request again (within the limits every policy has, see the module).

    A write that reached the node before its connection broke is then carried out twice:
    harmless for a put, but a ``put_if_absent`` or ``replace_if_equals`` sent again may
    answer False about its own first attempt.
    """

    def should_retry(self, context: RetryPolicyContext) -> bool:
        return True
