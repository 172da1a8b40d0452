"""The per-client core both drivers share: every decision, no I/O.

A :class:`Session` holds what a client knows (its connections, the binary type
registry, partition maps and routing, the reconnection schedule, cursors dropped
while open) and decides what to do next. The drivers (:class:`~pyignite.client.Client`
and :class:`~pyignite.aio_client.AioClient`) only move bytes:

* an operation is a generator of requests (:mod:`pyignite._ops`); the driver steps it
  through an :class:`~pyignite._ops.exchange.Exchange` made by :meth:`Session.exchange`,
  sending each request on :meth:`Session.route`'s connection;
* connecting, reconnecting and retrying dead nodes are *plans*: generators that yield
  lists of connections to connect (at once, if the driver can) and receive, for each, the
  exception that made it fail or None. The plans decide the order, the outcome and which
  errors are fatal; the driver only runs ``connect()``. A plan may also yield a
  :class:`Closing` list (connections to close: nodes that left the cluster) and an operation
  (asking a node for the cluster's endpoints), which the driver runs and answers with its
  result, or the exception it raised;
* whether a request whose connection broke is sent again (:meth:`Session.should_retry`, by
  the client's :mod:`pyignite.retry` policy), and what a heartbeat timer sends on each tick
  (:meth:`Session.heartbeat_tick`).

Operations get the session, never the client: it is all they may touch.
"""
import socket
import time
from collections import deque
from typing import (
    Any, Callable, Deque, Dict, Generator, List, Mapping, Optional, Sequence, Set, Tuple,
)

from .._ops import discovery
from .._protocol import wire as P
from .._protocol.request import current_tx
from .._codec.registry import BinaryRegistry
from .._ops.exchange import Call, Exchange
from .._ops.prepare import finish
from .._routing.router import RetrySchedule, Router
from ..exceptions import AuthenticationError, HandshakeError, ReconnectError, connection_errors
from ..retry import RetryNonePolicy, RetryPolicyContext
from .events import Events, log

__all__ = ['Session', 'ConnectPlan', 'Closing']

#: a plan: yields connections to connect and receives the error of each (or None); or
#: yields a :class:`Closing` list, or an operation to run and receives its result
ConnectPlan = Generator[Any, Any, Any]

#: the shortest heartbeat period, seconds (as the Java client's floor)
HEARTBEAT_FLOOR = 0.5


class Closing(list):  # type: ignore[type-arg]
    """What a plan yields for connections the driver must close (nodes that left)."""


def _timeout_error(error: BaseException) -> bool:
    # socket.timeout is the built-in TimeoutError from Python 3.10; the asyncio client's
    # TimeoutError derives from both, and asyncio.TimeoutError is the built-in from 3.11
    return isinstance(error, (socket.timeout, TimeoutError))


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
                 event_listeners: Optional[Sequence[Any]] = None,
                 retry_policy: Any = None, retry_limit: int = 0,
                 cluster_discovery: bool = True,
                 address_filter: Optional[Callable[[str, int], bool]] = None,
                 user_attributes: Optional[Mapping[str, str]] = None,
                 heartbeat_interval: Optional[float] = None,
                 reconnect_throttling_period: float = 30.0,
                 reconnect_throttling_retries: int = 0):
        self.binary = BinaryRegistry(compact_footer)
        self.partition_aware = partition_aware
        self.events = Events(event_listeners)
        self.nodes: List[Any] = []
        self.current: Any = None
        self.router: Optional[Router] = None
        self.retry = RetrySchedule()
        self.abandoned: List[Tuple[Any, Any, int]] = []
        self.retry_policy = retry_policy if retry_policy is not None else RetryNonePolicy()
        self.retry_limit = retry_limit
        self.discovery = cluster_discovery
        self.address_filter = address_filter
        self.user_attributes = dict(user_attributes) if user_attributes else None
        self.heartbeat_interval = heartbeat_interval or None
        self.throttling_period = reconnect_throttling_period
        self.throttling_retries = reconnect_throttling_retries
        #: makes a connection of the client's kind to ``(host, port)`` (set by the client)
        self.new_connection: Optional[Callable[[str, int], Any]] = None
        #: called (by :meth:`exchange`) when dead nodes are due to be tried again: the
        #: client's driver runs :meth:`retry_dead` then, or soon (set by the client)
        self.on_retry_due: Optional[Callable[[], None]] = None
        #: the addresses given to ``connect()``: never dropped, whatever discovery says
        self.given: Set[Tuple[str, int]] = set()
        #: a topology change was seen: ask for the endpoints with the next maintenance
        self.discovery_due = False
        #: the newest major topology version seen (from the endpoints or reply headers)
        self.topology_major = -1
        #: (host, port) -> clock times of the latest connection attempts (throttling)
        self._attempts: Dict[Tuple[str, int], Deque[float]] = {}
        #: heartbeat bookkeeping: connection -> requests sent at the last tick; the server's
        #: idle timeout (s, 0 none); the connections whose heartbeat is still out
        self._hb_seen: Dict[Any, int] = {}
        self._hb_idle: Dict[Any, float] = {}
        self._hb_out: Dict[Any, int] = {}

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
        """Start stepping the operation ``op`` (first telling the driver if dead nodes are due
        to be tried again: :attr:`on_retry_due`).

        :raises ReconnectError: the client is not connected.
        """
        retry = self.retry
        # ``at`` first: nearly every operation finds no attempt scheduled, and due() would
        # cost a call (and a clock read when one is)
        if retry.at is not None and retry.due() and self.on_retry_due is not None:
            self.on_retry_due()
        if not self.nodes:
            raise ReconnectError('The client is not connected: call connect() first')
        if op.__class__ is not Call:
            return Exchange(self, op)
        # a Call is its own exchange unless something must be prepared first; started
        # here, not by a method of its own, as this runs for every get and put
        req = op.req
        if req is None:
            raise RuntimeError('a Call runs once')
        if self.needs_prepare(req):
            return Exchange(self, finish(self, req, op.reader))
        op.session = self
        op.observing = False
        return op

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
            return conn  # as _current_live() would, one call less on every request
        return self._current_live()

    def _current_live(self) -> Any:
        """The current connection if it is alive, else the first live one (which becomes
        current), or None."""
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
        return self._current_live()

    def should_retry(self, req: Any, error: BaseException, tries: int) -> bool:
        """Whether ``req``, whose connection broke with ``error``, is sent again.

        Never: a request pinned to its connection (cursor pages, transactions, heartbeats),
        inside a transaction, after a timeout or any error but a connection's, past
        ``retry_limit`` (0: once per known node); otherwise the retry policy says.
        """
        if req.conn is not None or not isinstance(error, OSError) or _timeout_error(error) \
                or not self.nodes:
            return False
        tx = current_tx.get()
        if tx is not None and not tx.closed:
            return False
        if tries >= (self.retry_limit or len(self.nodes)):
            return False
        context = RetryPolicyContext(req.op_code, tries, error)
        try:
            again = bool(self.retry_policy.should_retry(context))
        except Exception:  # a policy must never break the client
            log.exception('retry policy %r failed', self.retry_policy)
            return False
        if again:
            self.events.retrying(context)
        return again

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
        if self.discovery and self.partition_aware and topology[0] > self.topology_major \
                and self.new_connection is not None:
            # a node joined or left (a new major version; a new cache only makes a minor
            # one): ask for the endpoints before the next call
            self.topology_major = topology[0]
            self.discovery_due = True
            self.retry.soon()
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

    def throttled(self, conn: Any) -> bool:
        """Whether connecting ``conn`` now would exceed the reconnect throttling (at most
        ``reconnect_throttling_retries`` attempts per ``reconnect_throttling_period``); if
        not, the attempt is counted."""
        limit = self.throttling_retries
        if limit <= 0:
            return False
        now = time.monotonic()
        times = self._attempts.setdefault((conn.host, conn.port), deque())
        while times and times[0] <= now - self.throttling_period:
            times.popleft()
        if len(times) >= limit:
            return True
        times.append(now)
        return False

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
        self.given = {(c.host, c.port) for c in connections}
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
        if self.discovery and self.partition_aware:
            yield from self._discover()
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
            if self.throttled(conn):
                continue
            error, = yield [conn]
            if error is None:
                if self.nodes is not nodes:
                    break  # the client was closed meanwhile (and closed ``conn`` too)
                self.current = conn
                return conn
            if not isinstance(error, connection_errors):
                raise error
        raise ReconnectError('Can not reconnect: out of nodes.')

    def retry_dead(self) -> ConnectPlan:
        """Try the connections that are dead, and those that look alive but lead to a node
        that left (partition awareness keeps one connection per node, and a node that
        comes back must be used again). Failures are fine: they are tried again later."""
        self.retry.attempted(True)  # so concurrent callers do not pile up
        if self.discovery_due:
            yield from self._discover()
            if self.router is None:
                self._init_routing()
        router = self.router
        targets = [conn for conn in self.nodes
                   if (not conn.alive or (router is not None and router.stale(conn)))
                   and not self.throttled(conn)]
        if targets:
            yield targets
        still_dead = self.router is not None and any(not c.alive for c in self.nodes)
        self.retry.attempted(still_dead or self.discovery_due)

    # --- discovery ------------------------------------------------------------------------

    def _discover(self) -> ConnectPlan:
        """Ask a live node for the cluster's endpoints; connect the nodes the client has no
        connection to, drop the connections of discovered nodes that left."""
        self.discovery_due = False
        asked = self.current if self.current is not None and self.current.alive else \
            next((c for c in self.nodes if c.alive), None)
        if self.new_connection is None:
            return  # no client to make connections (a session on its own, in tests)
        if asked is None:
            self.discovery_due = True  # nobody to ask now: with the next maintenance
            return
        ctx = asked.protocol_context
        if ctx is None or not ctx.is_discovery_supported():
            return  # an older server: the client keeps the nodes it was given
        nodes = self.nodes
        reply = yield discovery.node_endpoints(asked)
        if self.nodes is not nodes:
            return  # the client was closed meanwhile
        if isinstance(reply, BaseException):
            self.discovery_due = True  # try again with the next maintenance
            return
        version, endpoints = reply
        self.topology_major = max(self.topology_major, version)
        ids = {e.node_id for e in endpoints}
        reported = {(host, e.port) for e in endpoints for host in e.addresses}
        # discovered connections whose node left: the node is gone, or lives elsewhere now
        gone = [c for c in nodes if (c.host, c.port) not in self.given and (
            (c.alive and c.uuid not in ids) or
            (not c.alive and (c.host, c.port) not in reported))]
        if gone:
            self.nodes = nodes = [c for c in nodes if c not in gone]
            for conn in gone:
                self._hb_seen.pop(conn, None)
                self._hb_idle.pop(conn, None)
            self.events.nodes_left(gone)
            yield Closing(gone)
        joined = []
        live_ids = {c.uuid for c in nodes if c.alive}
        for endpoint in endpoints:
            if endpoint.node_id in live_ids:
                continue
            conn = yield from self._connect_endpoint(endpoint)
            if conn is not None:
                joined.append(conn)
        if joined:
            self.events.nodes_joined(joined)
        if self.router is not None and (gone or joined):
            self.router.set_connections(self.alive_nodes())

    def _connect_endpoint(self, endpoint: 'discovery.Endpoint') -> ConnectPlan:
        """Connect the first address of a reported node that passes the filter; return the
        connection or None."""
        given_hosts = {host for host, _ in self.given}
        # an address the user gave first (it is reachable from here), then IP addresses
        addresses = sorted(endpoint.addresses, key=lambda a: (a not in given_hosts, ':' in a))
        known = {(c.host, c.port): c for c in self.nodes}
        address_filter = self.address_filter
        for host in addresses:
            if address_filter is not None:
                try:
                    allowed = address_filter(host, endpoint.port)
                except Exception:
                    log.exception('address filter %r failed', address_filter)
                    allowed = False
                if not allowed:
                    continue
            conn: Any = known.get((host, endpoint.port))
            fresh = conn is None
            if fresh:
                conn = self.new_connection(host, endpoint.port)  # type: ignore[misc]
            elif conn.alive or self.throttled(conn):
                continue
            nodes = self.nodes
            error, = yield [conn]
            if self.nodes is not nodes:  # the client was closed (or connected anew) meanwhile
                if fresh and error is None:
                    yield Closing([conn])
                return None
            if error is not None:
                continue
            if fresh:
                self.nodes = nodes + [conn]
            return conn
        return None

    # --- heartbeats ---------------------------------------------------------------------

    def heartbeat_period(self) -> Optional[float]:
        """Seconds between heartbeat ticks, or None while heartbeats are off: the
        ``heartbeat_interval``, shortened to a third of the shortest server idle timeout
        known (a heartbeat then always comes in time), at least :data:`HEARTBEAT_FLOOR`."""
        interval = self.heartbeat_interval
        if interval is None:
            return None
        if not self._hb_out.keys() <= self._hb_idle.keys():
            return HEARTBEAT_FLOOR  # an idle timeout is being asked: tick again soon
        idle = [t / 3 for t in self._hb_idle.values() if t > 0]
        return max(min([interval] + idle), HEARTBEAT_FLOOR)

    def heartbeat_tick(self) -> Tuple[List[Any], List[Any]]:
        """What a heartbeat timer does now: ``(connections to abort, operations to run)``.

        A connection whose heartbeat got no reply within two ticks is taken as dead
        (aborted, so the next call reconnects instead of waiting on it). A live connection
        that sent nothing since the last tick gets a heartbeat; one whose server idle
        timeout is not known yet is asked for it first.
        """
        out = self._hb_out
        for conn in out:
            out[conn] += 1
        abort = [c for c, ticks in out.items() if ticks >= 2 and c.alive]
        ops = []
        seen = self._hb_seen
        for conn in self.alive_nodes():
            if conn in out:
                continue
            ctx = conn.protocol_context
            if ctx is None or not ctx.is_heartbeat_supported():
                continue
            sent = conn.requests_sent()
            if conn not in self._hb_idle:
                ops.append(self._ask_idle_timeout(conn))
            elif seen.get(conn) == sent:
                ops.append(discovery.heartbeat(conn))
            else:
                seen[conn] = sent
                continue
            out[conn] = 0
        return abort, ops

    def _ask_idle_timeout(self, conn: Any) -> Any:
        call = discovery.idle_timeout(conn)
        read = call.reader

        def reader(data: bytes, pos: int, registry: Any) -> Tuple[float, int]:
            ms, end = read(data, pos, registry)
            self._hb_idle[conn] = ms / 1000.0
            return ms, end
        call.reader = reader
        return call

    def heartbeat_done(self, conn: Any, outcome: Any) -> None:
        """A heartbeat (or idle timeout request) of ``conn`` ended: ``outcome`` is its
        result or the exception it raised (the connection then closed itself)."""
        reported = self._hb_out.pop(conn, None) is None  # aborted (and reported) already
        self._hb_seen[conn] = conn.requests_sent()
        if isinstance(outcome, BaseException) and not reported and conn in self.nodes:
            self.events.heartbeat_failed(conn, outcome)

    def heartbeat_aborted(self, conn: Any) -> BaseException:
        """The error ``conn`` is closed with: its heartbeat got no reply in two ticks."""
        self._hb_out.pop(conn, None)
        error = ConnectionError('no reply from {}:{} to a heartbeat within two heartbeat '
                                'periods: taken as dead'.format(conn.host, conn.port))
        self.events.heartbeat_failed(conn, error)
        return error

    def close(self) -> List[Any]:
        """Forget every connection; return them for the driver to close."""
        nodes, self.nodes = self.nodes, []
        self.current = None
        self.router = None
        self.retry.clear()
        self.discovery_due = False
        self.topology_major = -1
        self._hb_seen.clear()
        self._hb_idle.clear()
        self._hb_out.clear()
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
