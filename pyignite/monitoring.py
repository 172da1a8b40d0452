"""Events of connections and requests, for monitoring.

Subclass :class:`ConnectionEventListener` and/or :class:`QueryEventListener`,
override the handlers you need and pass instances to the client::

    client = Client(event_listeners=[MyConnectionListener(), MyQueryListener()])

Handlers run synchronously in the thread or task that caused the event, so keep
them short. An exception raised by a handler is logged and swallowed; the other
listeners still get the event. Objects that are neither kind of listener are
ignored.

A continuous query whose listener raises is reported to the query listeners with
:class:`ContinuousQueryListenerFailEvent` (the query goes on).

Query events cover every request the client sends (key-value operations, SQL,
cursor pages, binary type and partition map requests...): ``query_id`` is the
request id, unique per connection.

The same happenings are logged on the standard loggers ``pyignite.connection``
(DEBUG: connecting, connected, closed; INFO: connection lost; ERROR: handshake
or authentication failed) and ``pyignite.queries`` (DEBUG: start, success and
failure of each request; ERROR: a continuous query listener raised).
"""
from typing import Any, List, Optional

from ._protocol.wire import ProtocolContext

__all__ = [
    'ConnectionEventListener', 'QueryEventListener',
    'HandshakeStartEvent', 'HandshakeSuccessEvent', 'HandshakeFailedEvent',
    'AuthenticationFailedEvent', 'ConnectionClosedEvent', 'ConnectionLostEvent',
    'QueryStartEvent', 'QuerySuccessEvent', 'QueryFailEvent', 'QueryRetryEvent',
    'ContinuousQueryListenerFailEvent', 'NodeJoinedEvent', 'NodeLeftEvent', 'HeartbeatFailedEvent',
]


class _Event:
    """An immutable record: attributes are set once, by the constructor."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError('{} is immutable'.format(type(self).__name__))

    def __delattr__(self, name: str) -> None:
        raise TypeError('{} is immutable'.format(type(self).__name__))

    def _set(self, **fields: Any) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> List[str]:
        names: List[str] = []
        for cls in reversed(type(self).__mro__):
            names.extend(n for n in cls.__dict__.get('__slots__', ()) if n not in names)
        return names

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields())

    # unhashable on purpose; mypy only knows __hash__ as a method, not None
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return '{}({})'.format(type(self).__name__, ', '.join(
            '{}={!r}'.format(n, getattr(self, n)) for n in self._fields()))


class _NodeEvent(_Event):
    __slots__ = ('host', 'port')
    host: str
    port: int

    def __init__(self, host: str, port: int):
        self._set(host=host, port=port)


class HandshakeStartEvent(_NodeEvent):
    """A connection to a node is being opened.

    :ivar host: the node's host,
    :ivar port: the node's port,
    :ivar protocol_context: the protocol version and features offered (a copy), or None.
    """

    __slots__ = ('protocol_context',)
    protocol_context: Optional[ProtocolContext]

    def __init__(self, host: str, port: int, protocol_context: Optional[ProtocolContext] = None):
        super().__init__(host, port)
        self._set(protocol_context=protocol_context.copy() if protocol_context else None)


class HandshakeSuccessEvent(_NodeEvent):
    """A connection to a node is open.

    :ivar host: the node's host,
    :ivar port: the node's port,
    :ivar protocol_context: the negotiated protocol version and features (a copy),
    :ivar node_uuid: the node id, a str.
    """

    __slots__ = ('protocol_context', 'node_uuid')
    protocol_context: Optional[ProtocolContext]
    node_uuid: Optional[str]

    def __init__(self, host: str, port: int, protocol_context: Optional[ProtocolContext],
                 node_uuid: Optional[str]):
        super().__init__(host, port)
        self._set(protocol_context=protocol_context.copy() if protocol_context else None,
                  node_uuid=str(node_uuid) if node_uuid is not None else None)


class HandshakeFailedEvent(_NodeEvent):
    """A connection to a node could not be opened.

    :ivar host: the node's host,
    :ivar port: the node's port,
    :ivar protocol_context: the protocol version and features offered (a copy), or None,
    :ivar error_msg: ``repr`` of the error.
    """

    __slots__ = ('protocol_context', 'error_msg')
    protocol_context: Optional[ProtocolContext]
    error_msg: str

    def __init__(self, host: str, port: int, protocol_context: Optional[ProtocolContext],
                 error_msg: str):
        super().__init__(host, port)
        self._set(protocol_context=protocol_context.copy() if protocol_context else None,
                  error_msg=error_msg)


class AuthenticationFailedEvent(HandshakeFailedEvent):
    """The node rejected the credentials (a kind of :class:`HandshakeFailedEvent`)."""

    __slots__ = ()


class ConnectionClosedEvent(_NodeEvent):
    """A connection was closed by the client.

    :ivar host: the node's host,
    :ivar port: the node's port,
    :ivar node_uuid: the node id, a str (None if the handshake never completed).
    """

    __slots__ = ('node_uuid',)
    node_uuid: Optional[str]

    def __init__(self, host: str, port: int, node_uuid: Optional[str]):
        super().__init__(host, port)
        self._set(node_uuid=str(node_uuid) if node_uuid is not None else None)


class ConnectionLostEvent(ConnectionClosedEvent):
    """A connection broke (a kind of :class:`ConnectionClosedEvent`).

    :ivar error_msg: ``repr`` of the error.
    """

    __slots__ = ('error_msg',)
    error_msg: str

    def __init__(self, host: str, port: int, node_uuid: Optional[str], error_msg: str):
        super().__init__(host, port, node_uuid)
        self._set(error_msg=error_msg)


class NodeJoinedEvent(ConnectionClosedEvent):
    """Endpoint discovery found a node the client had no connection to, and connected it.

    :ivar host: the address the client connected to,
    :ivar port: the node's client port,
    :ivar node_uuid: the node id, a str.
    """

    __slots__ = ()


class NodeLeftEvent(ConnectionClosedEvent):
    """Endpoint discovery says a node the client found by discovery left the cluster; its
    connection is closed and forgotten (same fields as :class:`NodeJoinedEvent`)."""

    __slots__ = ()


class HeartbeatFailedEvent(ConnectionLostEvent):
    """A heartbeat failed, or got no reply within a heartbeat period: the connection is
    closed, and the next call reconnects (same fields as :class:`ConnectionLostEvent`)."""

    __slots__ = ()


class QueryRetryEvent(_Event):
    """A request whose connection broke is sent again, as the retry policy decided.

    :ivar op_code: the operation code,
    :ivar op_name: the operation name, e.g. ``OP_CACHE_GET``,
    :ivar operation: its :class:`pyignite.retry.ClientOperationType` name, e.g. ``CACHE_GET``,
    :ivar iteration: how many times it was sent again before (0 for the first retry),
    :ivar err_msg: ``repr`` of the connection error.
    """

    __slots__ = ('op_code', 'op_name', 'operation', 'iteration', 'err_msg')
    op_code: int
    op_name: str
    operation: str
    iteration: int
    err_msg: str

    def __init__(self, op_code: int, op_name: str, operation: str, iteration: int,
                 err_msg: str):
        self._set(op_code=op_code, op_name=op_name, operation=operation,
                  iteration=iteration, err_msg=err_msg)


class _QueryEvent(_NodeEvent):
    __slots__ = ('node_uuid', 'query_id', 'op_code', 'op_name')
    node_uuid: Optional[str]
    query_id: int
    op_code: int
    op_name: str

    def __init__(self, host: str, port: int, node_uuid: Optional[str], query_id: int,
                 op_code: int, op_name: str):
        super().__init__(host, port)
        self._set(node_uuid=str(node_uuid) if node_uuid is not None else None,
                  query_id=query_id, op_code=op_code, op_name=op_name)


class QueryStartEvent(_QueryEvent):
    """A request is about to be sent.

    :ivar host: the node's host,
    :ivar port: the node's port,
    :ivar node_uuid: the node id, a str,
    :ivar query_id: the request id (unique per connection),
    :ivar op_code: the operation code,
    :ivar op_name: the operation name, e.g. ``OP_CACHE_GET``.
    """

    __slots__ = ()


class QuerySuccessEvent(_QueryEvent):
    """A request succeeded (same fields as :class:`QueryStartEvent`, and more).

    :ivar duration: milliseconds from sending to the reply, a float.
    """

    __slots__ = ('duration',)
    duration: float

    def __init__(self, host: str, port: int, node_uuid: Optional[str], query_id: int,
                 op_code: int, op_name: str, duration: float):
        super().__init__(host, port, node_uuid, query_id, op_code, op_name)
        self._set(duration=duration)


class QueryFailEvent(_QueryEvent):
    """A request failed (same fields as :class:`QueryStartEvent`, and more).

    :ivar duration: milliseconds from sending to the failure, a float,
    :ivar err_msg: the server's error message, or ``repr`` of a connection error.
    """

    __slots__ = ('duration', 'err_msg')
    duration: float
    err_msg: str

    def __init__(self, host: str, port: int, node_uuid: Optional[str], query_id: int,
                 op_code: int, op_name: str, duration: float, err_msg: str):
        super().__init__(host, port, node_uuid, query_id, op_code, op_name)
        self._set(duration=duration, err_msg=err_msg)


class ContinuousQueryListenerFailEvent(_QueryEvent):
    """The listener (or ``on_disconnect``) of a continuous query raised; the query goes on.

    :ivar host: the host of the node the query's connection leads to,
    :ivar port: that node's port,
    :ivar node_uuid: that node's id, a str,
    :ivar query_id: the continuous query's id (its server resource id),
    :ivar op_code: OP_QUERY_CONTINUOUS (2006),
    :ivar op_name: ``OP_QUERY_CONTINUOUS``,
    :ivar err_msg: ``repr`` of the exception.
    """

    __slots__ = ('err_msg',)
    err_msg: str

    def __init__(self, host: str, port: int, node_uuid: Optional[str], query_id: int,
                 op_code: int, op_name: str, err_msg: str):
        super().__init__(host, port, node_uuid, query_id, op_code, op_name)
        self._set(err_msg=err_msg)


class ConnectionEventListener:
    """Base class of connection event listeners: every handler does nothing."""

    def on_handshake_start(self, event: HandshakeStartEvent) -> None:
        """A connection is being opened."""

    def on_handshake_success(self, event: HandshakeSuccessEvent) -> None:
        """A connection is open."""

    def on_handshake_fail(self, event: HandshakeFailedEvent) -> None:
        """A connection could not be opened (not for authentication failures)."""

    def on_authentication_fail(self, event: AuthenticationFailedEvent) -> None:
        """The server rejected the credentials."""

    def on_connection_closed(self, event: ConnectionClosedEvent) -> None:
        """The client closed a connection."""

    def on_connection_lost(self, event: ConnectionLostEvent) -> None:
        """A connection broke."""

    def on_node_joined(self, event: NodeJoinedEvent) -> None:
        """Discovery found a node and the client connected to it."""

    def on_node_left(self, event: NodeLeftEvent) -> None:
        """Discovery says a discovered node left: its connection is dropped."""

    def on_heartbeat_fail(self, event: HeartbeatFailedEvent) -> None:
        """A heartbeat failed: its connection is closed."""


class QueryEventListener:
    """Base class of request event listeners: every handler does nothing."""

    def on_query_start(self, event: QueryStartEvent) -> None:
        """A request is about to be sent."""

    def on_query_success(self, event: QuerySuccessEvent) -> None:
        """A request succeeded."""

    def on_query_fail(self, event: QueryFailEvent) -> None:
        """A request failed (server error or connection error)."""

    def on_continuous_query_listener_fail(self, event: ContinuousQueryListenerFailEvent,
                                          ) -> None:
        """The listener of a continuous query raised."""

    def on_query_retry(self, event: QueryRetryEvent) -> None:
        """A request that failed on a broken connection is sent again (retry policy)."""
