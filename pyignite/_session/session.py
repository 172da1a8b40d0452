"""The per-client core both drivers share: every decision, no I/O.

A :class:`Session` holds what a client knows (its connections, the binary type
registry, partition maps and routing, the reconnection schedule, cursors dropped
while open) and decides what to do next. The drivers (:class:`~pyignite.client.Client`
and :class:`~pyignite.aio_client.AioClient`) only move bytes:

* an operation is a generator of requests (:mod:`pyignite._ops`); the driver steps it
  through an :class:`~pyignite._session.exchange.Exchange` made by :meth:`Session.exchange`,
  sending each request on :meth:`Session.route`'s connection;
* connecting, reconnecting and retrying dead nodes are *plans*: generators that yield
  lists of connections to connect (at once, if the driver can) and receive, for each, the
  exception that made it fail or None. The plans decide the order, the outcome and which
  errors are fatal; the driver only runs ``connect()``.

Operations get the session, never the client: it is all they may touch.
"""
from typing import Any, Generator, List, Optional, Sequence, Tuple

from .._protocol import wire as P
from .._codec.registry import BinaryRegistry
from .._routing.router import RetrySchedule, Router
from ..exceptions import AuthenticationError, HandshakeError, ReconnectError, connection_errors
from .events import Events
from .exchange import Exchange

__all__ = ['Session', 'ConnectPlan']

#: a plan: yields connections to connect, receives the error of each (or None)
ConnectPlan = Generator[List[Any], List[Optional[BaseException]], Any]


class Session:
    """What one client knows and decides.

    :param compact_footer: write complex objects with compact footers (None: as the server),
    :param partition_aware: route key requests to the nodes that hold the keys,
    :param event_listeners: :mod:`pyignite.monitoring` listeners.

    :ivar binary: the binary type registry (:class:`~pyignite._codec.registry.BinaryRegistry`),
    :ivar nodes: the connections, one per node given to ``connect()``,
    :ivar current: the connection requests go to when routing has no better one,
    :ivar router: partition-aware routing (:class:`~pyignite._routing.router.Router`), or None,
    :ivar retry: when to try dead connections again,
    :ivar abandoned: ``(connection, its session, cursor id)`` of cursors dropped while open,
     to close with the next request (see :func:`pyignite._ops.resources.close_abandoned`),
    :ivar events: the listeners and what they are told.
    """

    def __init__(self, compact_footer: Optional[bool] = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence[Any]] = None):
        self.binary = BinaryRegistry(compact_footer)
        self.partition_aware = partition_aware
        self.events = Events(event_listeners)
        self.nodes: List[Any] = []
        self.current: Any = None
        self.router: Optional[Router] = None
        self.retry = RetrySchedule()
        self.abandoned: List[Tuple[Any, Any, int]] = []

    @property
    def protocol_context(self) -> Optional[P.ProtocolContext]:
        """The negotiated protocol version and features, or None before connecting."""
        for conn in self.nodes:
            ctx: Optional[P.ProtocolContext] = conn.protocol_context
            if ctx is not None:
                return ctx
        return None

    # --- the steps of an operation ----------------------------------------------------

    def exchange(self, op: Any) -> Exchange:
        """Start stepping the operation ``op``.

        :raises ReconnectError: the client is not connected.
        """
        if not self.nodes:
            raise ReconnectError('The client is not connected: call connect() first')
        return Exchange(self, op)

    def needs_prepare(self, req: Any) -> bool:
        """Whether :func:`pyignite._ops.common.prepare` may have work to do before ``req``
        is sent: types to register, dropped cursors to close, a stale partition map.

        The one rule every operation and the one-request path follow. It runs before every
        request, so it only looks at cheap flags.
        """
        if req.buf.pending or self.abandoned:
            return True
        router = self.router
        return router is not None and req.key_pos >= 0 and router.is_stale(req.cache_id)

    def route(self, req: Any) -> Any:
        """The live connection a request goes to, or None if none is alive (reconnect).

        A request pinned to a connection (a cursor's pages, a transaction's requests) goes
        there. With partition awareness, a key goes to its primary node when the maps tell.
        Every other request goes to the current connection. pyignite 0.6.1 sends those to
        a node picked at random instead. That was tried here and withdrawn. A get that
        follows a put to a REPLICATED cache (PRIMARY_SYNC) on another node can read the old
        value. And right after a cache is created, nodes report topology versions out of
        step, so the partition maps keep turning stale.
        """
        conn = req.conn
        if conn is not None:
            return conn
        router = self.router
        if router is not None and req.key_pos >= 0:
            conn = router.connection_for(self.binary, req.cache_id, req.buf, req.key_pos)
            if conn is not None:
                return conn
        conn = self.current
        if conn is not None and conn.alive:
            return conn
        for conn in self.nodes:
            if conn.alive:
                self.current = conn
                return conn
        return None

    def continuous_query_home(self) -> Any:
        """The live connection a new continuous query goes to, or None (reconnect).

        The current connection, the one every request without a key uses. With partition
        awareness a query could live on any node's connection: the server sends it the
        events of every node all the same, so no node is better placed. The current one
        is the connection the client keeps busy and watched anyway, and the one it
        reconnects first; a query on it fails over no worse than on any other.
        """
        conn = self.current
        if conn is not None and conn.alive:
            return conn
        for conn in self.nodes:
            if conn.alive:
                self.current = conn
                return conn
        return None

    def stale(self, cache_id: int) -> bool:
        """Whether the partition map of ``cache_id`` must be fetched before routing a key."""
        router = self.router
        return router is not None and router.is_stale(cache_id)

    def on_affinity_update(self) -> None:
        """New partition maps arrived: reach the owners we cannot reach."""
        router = self.router
        if router is not None and router.unreachable_owner():
            self.retry.soon()

    def on_topology_change(self, conn: Any, topology: Any) -> None:
        """A reply said the cluster's topology changed."""
        router = self.router
        if router is not None and router.on_topology_change(topology):
            # maybe a node we lost is back: try it on the next operation
            if any(not c.alive for c in self.nodes):
                self.retry.soon()

    # --- what connections report ------------------------------------------------------

    def handshake_started(self, conn: Any) -> None:
        self.events.handshake_started(conn)

    def handshake_failed(self, conn: Any, error: BaseException) -> None:
        self.events.handshake_failed(conn, error)

    def handshake_succeeded(self, conn: Any) -> None:
        router = self.router
        if router is not None:
            router.set_connections(self.alive_nodes())
        self.events.handshake_succeeded(conn)

    def connection_closed(self, conn: Any, error: Optional[BaseException]) -> None:
        """A connection closed: on purpose (``error`` None) or lost."""
        if error is not None and self.router is not None:
            self.retry.node_lost()
        self.events.connection_closed(conn, error)

    # --- connecting: the plans the drivers run ------------------------------------------

    def alive_nodes(self) -> List[Any]:
        return [conn for conn in self.nodes if conn.alive]

    def open(self, connections: List[Any]) -> ConnectPlan:
        """Connect a client to ``connections`` (fresh ones, one per node given): all of
        them with partition awareness, else the first that answers.

        :raises AuthenticationError, HandshakeError: the only node refused the session,
        :raises ReconnectError: no node could be reached.
        """
        self.close()
        self.nodes = connections
        if self.partition_aware:
            errors = yield list(connections)
        else:
            errors = []
            for conn in connections:
                errors += (yield [conn])
                if errors[-1] is None or not isinstance(errors[-1], _SKIPPED):
                    break
        for conn, error in zip(connections, errors):
            if error is None:
                if self.current is None:
                    self.current = conn
            elif not isinstance(error, _SKIPPED) or (
                    len(connections) == 1 and isinstance(error, (AuthenticationError,
                                                                 HandshakeError))):
                # a bad parameter, or the only node refused the session: say so as it is
                self.close()
                raise error
        if self.current is None:
            self.close()
            failures = [e for e in errors if e is not None]
            raise ReconnectError('Can not connect.') from (failures[-1] if failures else None)
        self._init_routing()

    def reconnect(self) -> ConnectPlan:
        """Find a live connection after every one broke: the dead ones in turn, starting
        after the last one used; return it.

        :raises ReconnectError: none could be reached.
        """
        for conn in self.nodes:
            if conn.alive:  # another thread or task got there first
                self.current = conn
                return conn
        nodes = self.nodes
        order = nodes
        if self.current in nodes:
            start = nodes.index(self.current) + 1
            order = nodes[start:] + nodes[:start]
        for conn in [c for c in order if not c.alive]:
            error, = yield [conn]
            if error is None:
                if self.nodes is not nodes:
                    break  # the client was closed meanwhile (and closed ``conn`` too)
                self.current = conn
                return conn
            if not isinstance(error, connection_errors):
                raise error
        raise ReconnectError('Can not reconnect: out of nodes.')

    def retry_due(self) -> bool:
        """Whether the driver should run :meth:`retry_dead` before the next operation."""
        return self.retry.at is not None and self.retry.due()

    def retry_dead(self) -> ConnectPlan:
        """Try the connections that are dead, and those that look alive but lead to a node
        that left (partition awareness keeps one connection per node, and a node that
        comes back must be used again). Failures are fine: they are tried again later."""
        self.retry.attempted(True)  # so concurrent callers do not pile up
        router = self.router
        targets = [conn for conn in self.nodes
                   if not conn.alive or (router is not None and router.stale(conn))]
        if targets:
            yield targets
        still_dead = self.router is not None and any(not c.alive for c in self.nodes)
        self.retry.attempted(still_dead)

    def close(self) -> List[Any]:
        """Forget every connection; return them for the driver to close."""
        nodes, self.nodes = self.nodes, []
        self.current = None
        self.router = None
        self.retry.clear()
        return nodes

    def _init_routing(self) -> None:
        """Set up partition-aware routing after connecting, when it applies."""
        self.router = None
        self.retry.clear()
        ctx = self.protocol_context
        if self.partition_aware and len(self.nodes) > 1 and ctx is not None \
                and ctx.is_partition_awareness_supported():
            self.router = Router(self.alive_nodes())
            if any(not c.alive for c in self.nodes):
                self.retry.node_lost()


#: connection failures that make a node skipped rather than the whole connect() fail
_SKIPPED = (AuthenticationError,) + connection_errors
