"""What a client reports about its connections and requests: log records and the
:mod:`pyignite.monitoring` events, in one place for both clients.

Connections call the ``handshake_*`` and ``connection_closed`` hooks; the
:class:`~pyignite._ops.exchange.Exchange` calls ``query_started`` and
``query_finished`` around each request while :attr:`Events.observing` says someone
listens.
"""
import logging
from functools import partial
from time import perf_counter
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from .._protocol import wire as P
from .._protocol.opcodes import OP_NAMES, OP_QUERY_CONTINUOUS
from ..exceptions import AuthenticationError
from ..monitoring import (
    AuthenticationFailedEvent, ConnectionClosedEvent, ConnectionEventListener, ConnectionLostEvent,
    ContinuousQueryListenerFailEvent, HandshakeFailedEvent, HandshakeStartEvent,
    HandshakeSuccessEvent, HeartbeatFailedEvent, NodeJoinedEvent, NodeLeftEvent,
    QueryEventListener, QueryFailEvent, QueryRetryEvent, QueryStartEvent, QuerySuccessEvent,
)

__all__ = ['Events', 'log', 'qlog']

log = logging.getLogger('pyignite.connection')
qlog = logging.getLogger('pyignite.queries')
_query_debug = qlog.isEnabledFor


def _always() -> bool:
    return True


#: what every handshake offers, as reported by handshake start and failure events
_OFFERED = P.ProtocolContext(P.LATEST, frozenset(P.CLIENT_FEATURES))


class Events:
    """The listeners of one client and what they are told.

    :param listeners: :mod:`pyignite.monitoring` listeners (others are ignored).
    """

    __slots__ = ('listeners', 'connection_listeners', 'query_listeners', '_failed_attempts',
                 'observing')

    def __init__(self, listeners: Optional[Sequence[Any]] = None):
        self.listeners = list(listeners or ())
        self.connection_listeners = tuple(
            x for x in self.listeners if isinstance(x, ConnectionEventListener))
        self.query_listeners = tuple(
            x for x in self.listeners if isinstance(x, QueryEventListener))
        #: (host, port) -> connection attempts that failed in a row
        self._failed_attempts: Dict[Tuple[str, int], int] = {}
        #: whether requests must be reported now: always with query listeners, else while
        #: DEBUG logging is on (asked once per request, so it is a ready-made callable,
        #: the logger's own check when there are no listeners)
        self.observing: Callable[[], bool] = (
            _always if self.query_listeners else partial(_query_debug, logging.DEBUG))

    @staticmethod
    def _emit(listeners: Sequence[Any], method: str, event: Any) -> None:
        for listener in listeners:
            try:
                getattr(listener, method)(event)
            except Exception:  # a listener must never break the client
                log.exception('event listener %r failed in %s', listener, method)

    # --- connections --------------------------------------------------------------------

    def handshake_started(self, conn: Any) -> None:
        log.debug('Connecting to node(address=%s, port=%d)', conn.host, conn.port)
        if self.connection_listeners:
            self._emit(self.connection_listeners, 'on_handshake_start',
                       HandshakeStartEvent(conn.host, conn.port, _OFFERED))

    def handshake_succeeded(self, conn: Any) -> None:
        self._failed_attempts.pop((conn.host, conn.port), None)
        log.debug('Connected to node(address=%s, port=%d, node_uuid=%s) with protocol %s',
                  conn.host, conn.port, conn.uuid, conn.protocol_context)
        if self.connection_listeners:
            self._emit(self.connection_listeners, 'on_handshake_success',
                       HandshakeSuccessEvent(conn.host, conn.port, conn.protocol_context,
                                             conn.uuid))

    def handshake_failed(self, conn: Any, error: BaseException) -> None:
        # a node that stays down is retried again and again: say so once, loudly, and
        # then only at DEBUG until it has been reached again
        node = (conn.host, conn.port)
        attempt = self._failed_attempts[node] = self._failed_attempts.get(node, 0) + 1
        level = logging.DEBUG if attempt > 1 else logging.ERROR
        if isinstance(error, AuthenticationError):
            log.log(level, 'Authentication failed while connecting to node(address=%s, '
                    'port=%d): %s', conn.host, conn.port, error)
            if self.connection_listeners:
                self._emit(self.connection_listeners, 'on_authentication_fail',
                           AuthenticationFailedEvent(conn.host, conn.port, _OFFERED,
                                                     repr(error)))
            return
        # ERROR the first time, as 0.6.1 logs it (tools watching for it keep working)
        log.log(level, 'Failed to perform handshake, connection to node(address=%s, '
                'port=%d) failed: %r%s', conn.host, conn.port, error,
                ' (again: attempt {})'.format(attempt) if attempt > 1 else
                ' (later failures to reach it are logged at DEBUG)')
        if self.connection_listeners:
            self._emit(self.connection_listeners, 'on_handshake_fail',
                       HandshakeFailedEvent(conn.host, conn.port, _OFFERED, repr(error)))

    def connection_closed(self, conn: Any, error: Optional[BaseException]) -> None:
        """A connection closed: on purpose (``error`` None) or lost."""
        if error is None:
            log.debug('Connection closed to node(address=%s, port=%d)', conn.host, conn.port)
            if self.connection_listeners:
                self._emit(self.connection_listeners, 'on_connection_closed',
                           ConnectionClosedEvent(conn.host, conn.port, conn.uuid))
            return
        log.info('Connection lost with node(address=%s, port=%d): %r',
                 conn.host, conn.port, error)
        if self.connection_listeners:
            self._emit(self.connection_listeners, 'on_connection_lost',
                       ConnectionLostEvent(conn.host, conn.port, conn.uuid, repr(error)))

    # --- the cluster: discovery, heartbeats ---------------------------------------------

    def nodes_joined(self, conns: Sequence[Any]) -> None:
        for conn in conns:
            log.info('Discovered node(address=%s, port=%d, node_uuid=%s): connected',
                     conn.host, conn.port, conn.uuid)
            if self.connection_listeners:
                self._emit(self.connection_listeners, 'on_node_joined',
                           NodeJoinedEvent(conn.host, conn.port, conn.uuid))

    def nodes_left(self, conns: Sequence[Any]) -> None:
        for conn in conns:
            log.info('Node(address=%s, port=%d, node_uuid=%s) left the cluster: connection '
                     'dropped', conn.host, conn.port, conn.uuid)
            if self.connection_listeners:
                self._emit(self.connection_listeners, 'on_node_left',
                           NodeLeftEvent(conn.host, conn.port, conn.uuid))

    def heartbeat_failed(self, conn: Any, error: BaseException) -> None:
        log.info('Heartbeat to node(address=%s, port=%d) failed: %r', conn.host, conn.port,
                 error)
        if self.connection_listeners:
            self._emit(self.connection_listeners, 'on_heartbeat_fail',
                       HeartbeatFailedEvent(conn.host, conn.port, conn.uuid, repr(error)))

    # --- requests -----------------------------------------------------------------------

    def retrying(self, context: Any) -> None:
        """A request is sent again after its connection broke (``context``: a
        :class:`pyignite.retry.RetryPolicyContext`)."""
        op_name = OP_NAMES.get(context.op_code, str(context.op_code))
        qlog.debug('Query retried(op=%s, iteration=%d, error=%r)', op_name, context.iteration,
                   context.error)
        if self.query_listeners:
            self._emit(self.query_listeners, 'on_query_retry', QueryRetryEvent(
                context.op_code, op_name, context.operation.name, context.iteration,
                repr(context.error)))

    def query_started(self, conn: Any, op_code: int) -> Tuple[int, float]:
        """Report a request about to go out; return ``(request id, start time)``.

        The request must be sent with that id.
        """
        rid = conn.new_request_id()
        op_name = OP_NAMES.get(op_code, str(op_code))
        qlog.debug('Query started(query_id=%d, op=%s, address=%s, port=%d, node_uuid=%s)',
                   rid, op_name, conn.host, conn.port, conn.uuid)
        if self.query_listeners:
            self._emit(self.query_listeners, 'on_query_start', QueryStartEvent(
                conn.host, conn.port, conn.uuid, rid, op_code, op_name))
        return rid, perf_counter()

    def query_finished(self, conn: Any, op_code: int, rid: int, started: float,
                       failure: Optional[str] = None) -> None:
        """Report the outcome of a request: success, or the ``failure`` message."""
        duration = (perf_counter() - started) * 1000.0
        op_name = OP_NAMES.get(op_code, str(op_code))
        if failure is None:
            qlog.debug('Query succeeded(query_id=%d, op=%s, address=%s, port=%d, '
                       'node_uuid=%s, duration=%.3f ms)',
                       rid, op_name, conn.host, conn.port, conn.uuid, duration)
            if self.query_listeners:
                self._emit(self.query_listeners, 'on_query_success', QuerySuccessEvent(
                    conn.host, conn.port, conn.uuid, rid, op_code, op_name, duration))
            return
        qlog.debug('Query failed(query_id=%d, op=%s, address=%s, port=%d, node_uuid=%s, '
                   'duration=%.3f ms, error=%s)',
                   rid, op_name, conn.host, conn.port, conn.uuid, duration, failure)
        if self.query_listeners:
            self._emit(self.query_listeners, 'on_query_fail', QueryFailEvent(
                conn.host, conn.port, conn.uuid, rid, op_code, op_name, duration, failure))

    # --- continuous queries -------------------------------------------------------------

    def listener_failed(self, conn: Any, query_id: int, error: BaseException) -> None:
        """The listener of the continuous query ``query_id`` on ``conn`` raised ``error``
        (call from the ``except`` block, so that the log has the traceback)."""
        qlog.error('Continuous query listener failed(query_id=%d, address=%s, port=%d, '
                   'node_uuid=%s): %r', query_id, conn.host, conn.port, conn.uuid, error,
                   exc_info=error)
        if self.query_listeners:
            self._emit(self.query_listeners, 'on_continuous_query_listener_fail',
                       ContinuousQueryListenerFailEvent(
                           conn.host, conn.port, conn.uuid, query_id, OP_QUERY_CONTINUOUS,
                           OP_NAMES[OP_QUERY_CONTINUOUS], repr(error)))
