"""The synchronous client.

:class:`Client` connects to one or more nodes of an Ignite cluster over the
binary client protocol. Get a :class:`~pyignite.cache.Cache` from it for
key-value work, call :meth:`Client.sql` for SQL, and register complex object
classes with :meth:`Client.register_binary_type`.
"""
import logging
import random
import threading
from time import perf_counter
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Sequence, Union

from . import _protocol as P
from ._opcodes import OP_NAMES
from ._ops import cache_admin
from ._ops import key_value as kv
from ._ops.common import read_fetching_types
from ._registry import BinaryRegistry, MissingBinaryType, _pending
from ._request import Response
from ._routing import RetrySchedule
from .connection import Connection
from .constants import CONNECTION_ARGS, IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT
from .exceptions import (
    AuthenticationError, CacheError, HandshakeError, ParameterError, ReconnectError,
    connection_errors,
)
from .monitoring import (
    AuthenticationFailedEvent, ConnectionClosedEvent, ConnectionEventListener,
    ConnectionLostEvent, HandshakeFailedEvent, HandshakeStartEvent, HandshakeSuccessEvent,
    QueryEventListener, QueryFailEvent, QueryStartEvent, QuerySuccessEvent,
)

if TYPE_CHECKING:  # pragma: no cover
    from .cache import BaseCache, Cache
    from .cluster import Cluster
    from .cursors import SqlFieldsCursor
    from .transaction import Transaction

__all__ = ['Client', 'BaseClient']

log = logging.getLogger('pyignite.connection')
qlog = logging.getLogger('pyignite.queries')

#: what every handshake offers, as reported by handshake start and failure events
_OFFERED = P.ProtocolContext(P.LATEST, frozenset(P.CLIENT_FEATURES))


def _server_error(cls, message, status):
    """The exception for an error status: CacheError and its kin keep the status."""
    if issubclass(cls, CacheError):
        return cls(message, status)
    return cls(message)


def parse_nodes(args) -> List[tuple]:
    """Turn ``connect()`` arguments into a list of ``(host, port)`` pairs.

    :raises ParameterError: the arguments are none of the documented forms.
    """
    if not args:
        return [(IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT)]
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], int):
        return [(args[0], args[1])]
    if len(args) == 1 and not isinstance(args[0], (str, bytes)):
        try:
            nodes = [(host, port) for host, port in args[0]]
        except (TypeError, ValueError):
            nodes = None
        if nodes and all(isinstance(h, str) and isinstance(p, int) for h, p in nodes):
            return nodes
    raise ParameterError('connect() takes no arguments, a host and a port, or a list of '
                         '(host, port) pairs')


def check_credential(name: str, value: Optional[str]) -> None:
    """Check a user name or password can go into the handshake (as UTF-8).

    :raises ParameterError: it is neither None nor a str, or it holds a lone surrogate.
    """
    if value is None:
        return
    if not isinstance(value, str):
        raise ParameterError('{} should be a str, not {}'.format(name, type(value).__name__))
    try:
        value.encode('utf-8')
    except UnicodeEncodeError as e:
        # the message never shows the value: it may be a password
        raise ParameterError('{} is not valid Unicode text: it holds a lone surrogate at '
                             'index {}, which has no UTF-8 form'.format(name, e.start)) from None


class BaseClient:
    """What the sync and the async client share: settings, nodes and their routing,
    the binary type registry and event hooks. It does no I/O.
    """

    def __init__(self, compact_footer: bool = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence] = None, **kwargs):
        unknown = set(kwargs) - CONNECTION_ARGS
        if unknown:
            raise ParameterError('Unexpected parameter(s) for connection initialization: '
                                 '{}'.format(', '.join(sorted(unknown))))
        timeout = kwargs.get('handshake_timeout', 10.0)
        if timeout is None or timeout <= 0:
            raise ParameterError('handshake_timeout should be positive')
        if kwargs.get('timeout') is not None and kwargs['timeout'] < 0:
            raise ParameterError('timeout should be non-negative or None')
        for name in ('username', 'password'):
            check_credential(name, kwargs.get(name))
        self._connection_args = kwargs
        self._partition_aware = partition_aware
        self._event_listeners = list(event_listeners or ())
        self._connection_listeners = tuple(
            x for x in self._event_listeners if isinstance(x, ConnectionEventListener))
        self._query_listeners = tuple(
            x for x in self._event_listeners if isinstance(x, QueryEventListener))
        self._binary = BinaryRegistry(compact_footer)
        self._nodes: list = []
        self._current = None
        self._router = None
        self._retry = RetrySchedule()
        #: (host, port) -> connection attempts that failed in a row (see _emit_handshake_fail)
        self._failed_attempts: dict = {}
        # (connection, session, cursor id) of cursors dropped while open; see _ops.query
        self._abandoned_cursors: list = []

    # --- properties ---------------------------------------------------------------------

    @property
    def compact_footer(self) -> Optional[bool]:
        """Whether complex objects are written with compact footers (None: as the server)."""
        return self._binary.compact_footer

    @compact_footer.setter
    def compact_footer(self, value: Optional[bool]) -> None:
        self._binary.compact_footer = value

    @property
    def protocol_context(self) -> Optional[P.ProtocolContext]:
        """The negotiated protocol version and features, or None before connecting."""
        for conn in self._nodes:
            if conn.protocol_context is not None:
                return conn.protocol_context
        return None

    @property
    def partition_awareness_supported_by_protocol(self) -> bool:
        ctx = self.protocol_context
        return ctx is not None and ctx.is_partition_awareness_supported()

    @property
    def partition_aware(self) -> bool:
        """True when requests are routed to the node holding the key."""
        return self._partition_aware and self.partition_awareness_supported_by_protocol

    # --- routing and failover decisions (pure) -----------------------------------------
    #
    # The drivers (Client._run, AioClient._run) own the I/O; everything they decide is
    # here so both decide alike:
    # * before an operation, if ``self._retry.due()``, try to connect the connections
    #   ``_retry_targets()`` lists (partition awareness keeps one connection per node,
    #   and a node that comes back must be used again), then call ``_retry_done()``;
    # * per request: ``req.conn`` if set (cursors, transactions), else ``_select(req)``,
    #   else reconnect: try ``_reconnect_order()`` in turn, first success becomes
    #   ``_current``; none: ReconnectError('Can not reconnect: out of nodes.');
    # * a connection error while sending or receiving is raised to the caller as it
    #   is (the connection is already closed; later calls go elsewhere);
    # * a reply whose header carries a topology version goes to ``_on_topology_change``.

    def _alive_nodes(self) -> list:
        return [conn for conn in self._nodes if conn.alive]

    def _select(self, req):
        """The live connection a request should go to, or None if none is alive."""
        router = self._router
        if router is not None and req.key_pos >= 0:
            conn = router.connection_for(self._binary, req.cache_id, req.buf, req.key_pos)
            if conn is not None:
                return conn
        conn = self._current
        if conn is not None and conn.alive:
            return conn
        for conn in self._nodes:
            if conn.alive:
                self._current = conn
                return conn
        return None

    def _reconnect_order(self) -> list:
        """Dead connections to try, starting after the last used one."""
        nodes = self._nodes
        if self._current in nodes:
            start = nodes.index(self._current) + 1
            nodes = nodes[start:] + nodes[:start]
        return [conn for conn in nodes if not conn.alive]

    def _retry_targets(self) -> list:
        """Connections to (re)connect now that ``self._retry.due()``: the dead ones and
        those that look alive but lead to a node that left (see ``Router.stale``). Marks
        the attempt as made, so concurrent callers do not pile up."""
        self._retry.attempted(True)
        router = self._router
        return [conn for conn in self._nodes
                if not conn.alive or (router is not None and router.stale(conn))]

    def _retry_done(self) -> None:
        """After an attempt: plan the next one while some connection is still dead."""
        still_dead = self._router is not None and any(not c.alive for c in self._nodes)
        self._retry.attempted(still_dead)

    def _affinity_stale(self, cache_id: int) -> bool:
        router = self._router
        return router is not None and router.is_stale(cache_id)

    def _on_affinity_update(self) -> None:
        """Called after new partition maps arrived: reach the owners we cannot reach."""
        router = self._router
        if router is not None and router.unreachable_owner():
            self._retry.soon()

    def _on_topology_change(self, conn, topology) -> None:
        router = self._router
        if router is not None and router.on_topology_change(topology):
            # maybe a node we lost is back: try it on the next operation
            if any(not c.alive for c in self._nodes):
                self._retry.soon()

    def _init_affinity(self) -> None:
        """Set up partition-aware routing after connecting, when it applies."""
        self._router = None
        self._retry.clear()
        if self.partition_aware and len(self._nodes) > 1:
            from ._routing import Router
            self._router = Router(self._alive_nodes())
            if any(not c.alive for c in self._nodes):
                self._retry.node_lost()

    def _make_nodes(self, nodes) -> None:
        raise NotImplementedError

    def _check_connected(self) -> None:
        if not self._nodes:
            raise ReconnectError('The client is not connected: call connect() first')

    @property
    def random_node(self):
        """A random live connection (not a stable API)."""
        alive = self._alive_nodes()
        if not alive:
            raise ReconnectError('Can not connect.')
        return random.choice(alive)

    # --- events ---------------------------------------------------------------------------

    @staticmethod
    def _emit(listeners, method: str, event) -> None:
        for listener in listeners:
            try:
                getattr(listener, method)(event)
            except Exception:  # a listener must never break the client
                log.exception('event listener %r failed in %s', listener, method)

    def _emit_handshake_start(self, conn) -> None:
        log.debug('Connecting to node(address=%s, port=%d)', conn.host, conn.port)
        if self._connection_listeners:
            self._emit(self._connection_listeners, 'on_handshake_start',
                       HandshakeStartEvent(conn.host, conn.port, _OFFERED))

    def _emit_handshake_success(self, conn) -> None:
        self._failed_attempts.pop((conn.host, conn.port), None)
        log.debug('Connected to node(address=%s, port=%d, node_uuid=%s) with protocol %s',
                  conn.host, conn.port, conn.uuid, conn.protocol_context)
        router = self._router
        if router is not None:
            router.set_connections(self._alive_nodes())
        if self._connection_listeners:
            self._emit(self._connection_listeners, 'on_handshake_success',
                       HandshakeSuccessEvent(conn.host, conn.port, conn.protocol_context,
                                             conn.uuid))

    def _emit_handshake_fail(self, conn, error) -> None:
        # a node that stays down is retried again and again: say so once, loudly, and
        # then only at DEBUG until it has been reached again
        node = (conn.host, conn.port)
        attempt = self._failed_attempts[node] = self._failed_attempts.get(node, 0) + 1
        repeat = attempt > 1
        if isinstance(error, AuthenticationError):
            log.log(logging.DEBUG if repeat else logging.ERROR,
                    'Authentication failed while connecting to node(address=%s, port=%d): '
                    '%s', conn.host, conn.port, error)
            if self._connection_listeners:
                self._emit(self._connection_listeners, 'on_authentication_fail',
                           AuthenticationFailedEvent(conn.host, conn.port, _OFFERED,
                                                     repr(error)))
            return
        # ERROR the first time, as 0.6.1 logs it (tools watching for it keep working)
        log.log(logging.DEBUG if repeat else logging.ERROR,
                'Failed to perform handshake, connection to node(address=%s, port=%d) '
                'failed: %r%s', conn.host, conn.port, error,
                ' (again: attempt {})'.format(attempt) if repeat else
                ' (later failures to reach it are logged at DEBUG)')
        if self._connection_listeners:
            self._emit(self._connection_listeners, 'on_handshake_fail',
                       HandshakeFailedEvent(conn.host, conn.port, _OFFERED, repr(error)))

    def _emit_connection_closed(self, conn, error) -> None:
        if error is None:
            log.debug('Connection closed to node(address=%s, port=%d)', conn.host, conn.port)
            if self._connection_listeners:
                self._emit(self._connection_listeners, 'on_connection_closed',
                           ConnectionClosedEvent(conn.host, conn.port, conn.uuid))
            return
        log.info('Connection lost with node(address=%s, port=%d): %r',
                 conn.host, conn.port, error)
        if self._router is not None:
            self._retry.node_lost()
        if self._connection_listeners:
            self._emit(self._connection_listeners, 'on_connection_lost',
                       ConnectionLostEvent(conn.host, conn.port, conn.uuid, repr(error)))

    def _observing_queries(self) -> bool:
        """Whether the driver must report requests (listeners, or DEBUG logging on)."""
        return bool(self._query_listeners) or qlog.isEnabledFor(logging.DEBUG)

    def _query_started(self, conn, req):
        """Report a request about to go out; return ``(request id, start time)``.

        The driver must send the request with that id: ``conn.request(req, rid)``.
        """
        rid = conn.new_request_id()
        op_name = OP_NAMES.get(req.op_code, str(req.op_code))
        qlog.debug('Query started(query_id=%d, op=%s, address=%s, port=%d, node_uuid=%s)',
                   rid, op_name, conn.host, conn.port, conn.uuid)
        if self._query_listeners:
            self._emit(self._query_listeners, 'on_query_start', QueryStartEvent(
                conn.host, conn.port, conn.uuid, rid, req.op_code, op_name))
        return rid, perf_counter()

    def _query_finished(self, conn, req, rid: int, started: float, header=None,
                        error: Optional[BaseException] = None) -> None:
        """Report the outcome of a request: its reply ``header``, or the ``error`` raised."""
        duration = (perf_counter() - started) * 1000.0
        op_name = OP_NAMES.get(req.op_code, str(req.op_code))
        if error is None and not header.status:
            qlog.debug('Query succeeded(query_id=%d, op=%s, address=%s, port=%d, '
                       'node_uuid=%s, duration=%.3f ms)',
                       rid, op_name, conn.host, conn.port, conn.uuid, duration)
            if self._query_listeners:
                self._emit(self._query_listeners, 'on_query_success', QuerySuccessEvent(
                    conn.host, conn.port, conn.uuid, rid, req.op_code, op_name, duration))
            return
        message = repr(error) if error is not None else header.message
        qlog.debug('Query failed(query_id=%d, op=%s, address=%s, port=%d, node_uuid=%s, '
                   'duration=%.3f ms, error=%s)',
                   rid, op_name, conn.host, conn.port, conn.uuid, duration, message)
        if self._query_listeners:
            self._emit(self._query_listeners, 'on_query_fail', QueryFailEvent(
                conn.host, conn.port, conn.uuid, rid, req.op_code, op_name, duration,
                message))


class _Connected:
    """What :meth:`Client.connect` returns: a context manager that closes the client."""

    def __init__(self, client):
        self._client = client

    def __enter__(self):
        return self._client

    def __exit__(self, *exc):
        self._client.close()


class Client(BaseClient):
    """The synchronous Ignite thin client.

    :param compact_footer: (optional) write complex objects with compact (True) or full
     (False) schema footers; None (default) uses the server's setting,
    :param partition_aware: (optional) send key operations straight to the node that
     holds the key (True by default),
    :param event_listeners: (optional) :mod:`pyignite.monitoring` listeners,
    :param timeout: (optional) time limit of every request, seconds, counted from before
     it is sent; None (default) or 0: no limit. A request with no reply in time raises
     ``socket.timeout`` (an :class:`OSError`, the built-in ``TimeoutError`` on Python
     3.10+). If no reply frame at all (to any request) came from the node meanwhile, the
     node is taken as unresponsive: the connection is closed, and the next call reconnects
     or fails over to the next node. Otherwise only that request is abandoned: the
     connection stays, and the late reply is dropped,
    :param handshake_timeout: (optional) timeout of connecting and the handshake, seconds
     (10.0 by default),
    :param username: (optional) user name to authenticate with,
    :param password: (optional) password to authenticate with,
    :param use_ssl: (optional) connect over TLS (False by default),
    :param ssl_version: (optional) an ``ssl.PROTOCOL_*`` constant,
    :param ssl_ciphers: (optional) an OpenSSL cipher list,
    :param ssl_cert_reqs: (optional) ``ssl.CERT_NONE`` (default), ``CERT_OPTIONAL`` or
     ``CERT_REQUIRED``: whether to verify the server's certificate,
    :param ssl_keyfile: (optional) the client's private key file,
    :param ssl_keyfile_password: (optional) the key file's password,
    :param ssl_certfile: (optional) the client's certificate file,
    :param ssl_ca_certfile: (optional) CA certificates to verify the server with,
    :raises ParameterError: an unknown parameter, a negative ``timeout``, or credentials
     that are not text.
    """

    def __init__(self, compact_footer: bool = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence] = None, **kwargs):
        super().__init__(compact_footer, partition_aware, event_listeners, **kwargs)
        # serialises (re)connecting: a Connection must not be connected by two threads
        self._connect_lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def connect(self, *args) -> _Connected:
        """Connect to Ignite node(s).

        With partition awareness the client connects to every node of the list and
        sends each key operation to the node holding the key; otherwise it uses one
        node at a time. If a connection breaks, the call that was using it raises the
        original :class:`OSError`; later calls go to the other nodes, reconnecting in
        list order, and :class:`~pyignite.exceptions.ReconnectError` is raised when no
        node can be reached.

        :param args: nothing (``localhost:10800``), a host and a port, or a list of
         ``(host, port)`` pairs,
        :return: a context manager that closes the client on exit,
        :raises ReconnectError: no node could be reached.
        """
        nodes = parse_nodes(args)
        self.close()
        with self._connect_lock:
            self._nodes = [Connection(self, host, port, **self._connection_args)
                           for host, port in nodes]
            errors = []
            for conn in self._nodes:
                try:
                    conn.connect()
                except (AuthenticationError, HandshakeError) as e:
                    errors.append(e)
                    if len(nodes) == 1:
                        self._nodes = []
                        raise
                    continue
                except connection_errors as e:
                    errors.append(e)
                    continue
                if self._current is None:
                    self._current = conn
                if not self._partition_aware:
                    break
            if self._current is None:
                self._nodes = []
                raise ReconnectError('Can not connect.') from (errors[-1] if errors else None)
            self._init_affinity()
        return _Connected(self)

    def close(self) -> None:
        """Close every connection."""
        nodes, self._nodes = self._nodes, []
        self._current = None
        self._router = None
        self._retry.clear()
        for conn in nodes:
            conn.close()

    # --- the driver -----------------------------------------------------------------------

    def _reconnect(self):
        """A live connection after every one broke: reconnect the nodes in turn."""
        with self._connect_lock:
            for conn in self._nodes:
                if conn.alive:  # another thread got there first
                    self._current = conn
                    return conn
            for conn in self._reconnect_order():
                try:
                    conn.connect()
                except connection_errors:
                    continue
                self._current = conn
                return conn
        raise ReconnectError('Can not reconnect: out of nodes.')

    def _retry_dead(self) -> None:
        """Try to reconnect dead nodes (partition awareness), without blocking on a busy
        lock: another thread is at it then."""
        if not self._connect_lock.acquire(blocking=False):
            return
        try:
            for conn in self._retry_targets():
                try:
                    conn.connect()
                except Exception:  # best effort: the node stays dead until next time
                    continue
            self._retry_done()
        finally:
            self._connect_lock.release()

    def _run(self, op):
        """Drive an operation generator over the connections; return its result."""
        if op.__class__ is kv.Call:
            return self._call(op.req, op.reader)
        if not self._nodes:
            self._check_connected()
        if self._retry.at is not None and self._retry.due():
            self._retry_dead()
        observe = self._observing_queries()
        send = op.send
        try:
            req = send(None)
            while True:
                conn = req.conn
                if conn is None:
                    conn = self._select(req)
                    if conn is None:
                        conn = self._reconnect()
                try:
                    if observe:
                        rid, started = self._query_started(conn, req)
                        try:
                            reply, header = conn.request(req, rid)
                        except BaseException as e:
                            self._query_finished(conn, req, rid, started, error=e)
                            raise
                        self._query_finished(conn, req, rid, started, header)
                    else:
                        reply, header = conn.request(req)
                except BaseException as e:
                    # the operation learns that its request failed (a cursor page that
                    # never came breaks the cursor) and, as a rule, raises it again
                    req = op.throw(e)
                    continue
                if header.topology is not None:
                    self._on_topology_change(conn, header.topology)
                if header.status:
                    req = op.throw(_server_error(req.error, header.message, header.status))
                else:
                    req = send(Response(reply, header.payload_pos, conn))
        except StopIteration as done:
            return done.value

    def _call(self, req, reader):
        """Send a ready request and decode its reply as ``kv.finish(self, req, reader)``.

        ``_run`` without the generator, for one-request operations: whenever anything
        beyond one request and one reply may be needed (connecting, preparing, reporting,
        fetching a binary type), it hands over to ``_run``.
        """
        router = self._router
        if (not self._nodes or self._retry.at is not None or _pending.get()
                or self._abandoned_cursors or self._query_listeners
                or (router is not None and req.key_pos >= 0 and router.is_stale(req.cache_id))
                or qlog.isEnabledFor(logging.DEBUG)):
            return self._run(kv.finish(self, req, reader))
        conn = req.conn
        if conn is None:
            conn = self._current  # what _select() picks when there is no router
            if router is not None or conn is None or not conn.alive:
                conn = self._select(req)
                if conn is None:
                    conn = self._reconnect()
        reply, header = conn.request(req)
        if header.topology is not None:
            self._on_topology_change(conn, header.topology)
        if header.status:
            raise _server_error(req.error, header.message, header.status)
        if reader is None:
            return None
        try:
            return reader(reply, header.payload_pos, self._binary)[0]
        except MissingBinaryType:
            return self._run(read_fetching_types(self, reader, reply, header.payload_pos))[0]

    # --- caches ---------------------------------------------------------------------------

    def get_cache(self, settings: Union[str, dict]) -> 'Cache':
        """A cache object for the named cache, without asking the server.

        :param settings: a cache name, or a dict with only PROP_NAME,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import get_cache
        return get_cache(self, settings)

    def create_cache(self, settings: Union[str, dict]) -> 'Cache':
        """Create a cache; raise :class:`~pyignite.exceptions.CacheError` if it exists.

        :param settings: a cache name, or a dict of cache property codes and values,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import create_cache
        return create_cache(self, settings)

    def get_or_create_cache(self, settings: Union[str, dict]) -> 'Cache':
        """Get a cache, creating it if it does not exist.

        :param settings: a cache name, or a dict of cache property codes and values,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import get_or_create_cache
        return get_or_create_cache(self, settings)

    def get_cache_names(self) -> list:
        """Names of the caches in the cluster.

        :return: a list of str.
        """
        return self._run(cache_admin.get_names(self))

    # --- binary types -----------------------------------------------------------------------

    def get_binary_type(self, binary_type: Union[str, int]) -> dict:
        """Read a binary type's metadata from the server (OP_GET_BINARY_TYPE).

        :param binary_type: type name or id,
        :return: a dict: ``type_exists``, and when it does ``type_id``, ``type_name``,
         ``affinity_key_field``, ``is_enum``, ``schemas`` (a list of OrderedDicts of field
         name to type hint) and, for enums, ``enums``.
        """
        from ._ops import binary_types
        return self._run(binary_types.get_binary_type(self, binary_type))

    def put_binary_type(self, type_name: str, affinity_key_field: str = None, is_enum=False,
                        schema: dict = None):
        """Register binary type metadata on the server (OP_PUT_BINARY_TYPE), without
        touching the local registry.

        :param type_name: the type name,
        :param affinity_key_field: (optional) the affinity key field name,
        :param is_enum: (optional) register an enum type,
        :param schema: (optional) field name to type hint, or for an enum name to ordinal.
        """
        from ._ops import binary_types
        return self._run(binary_types.put_binary_type(self, type_name, affinity_key_field,
                                                      is_enum, schema))

    def register_binary_type(self, data_class, affinity_key_field: str = None) -> None:
        """Register a complex object class, replacing any class generated for its type.

        :param data_class: a class built with :class:`~pyignite.binary.GenericObjectMeta`,
        :param affinity_key_field: (optional) the affinity key field name.
        """
        from ._ops import binary_types
        return self._run(binary_types.register_binary_type(self, data_class,
                                                           affinity_key_field))

    def query_binary_type(self, binary_type: Union[int, str], schema: Union[int, dict] = None):
        """Find the classes of a complex object type, fetching it from the server if needed.

        :param binary_type: type name or id,
        :param schema: (optional) a schema or schema id,
        :return: the class (or None) for the given schema, otherwise a dict of schema id
         to class.
        """
        from ._ops import binary_types
        return self._run(binary_types.query_binary_type(self, binary_type, schema))

    def unwrap_binary(self, value: Any) -> Any:
        """Turn wrapped binary data inside ``value`` into objects, recursively.

        :param value: anything,
        :return: the value with binary objects unwrapped.
        """
        from ._ops import binary_types
        return self._run(binary_types.unwrap_binary(self, value))

    # --- SQL, cluster, transactions ------------------------------------------------------------

    def sql(self, query_str: str, page_size: int = 1024, query_args: Iterable = None,
            schema: str = 'PUBLIC', statement_type: int = 0, distributed_joins: bool = False,
            local: bool = False, replicated_only: bool = False,
            enforce_join_order: bool = False, collocated: bool = False, lazy: bool = False,
            include_field_names: bool = False, max_rows: int = -1, timeout: int = 0,
            cache: Union[int, str, 'Cache'] = None) -> 'SqlFieldsCursor':
        """Run an SQL query.

        :param query_str: the SQL text,
        :param page_size: (optional) rows per server round trip, 1024 by default,
        :param query_args: (optional) query arguments: values or ``(value, hint)`` tuples,
        :param schema: (optional) the schema, ``PUBLIC`` by default,
        :param statement_type: (optional) a :class:`~pyignite.datatypes.sql.StatementType`:
         ANY (default), SELECT or UPDATE,
        :param distributed_joins: (optional) allow distributed joins,
        :param local: (optional) run on the connected node only,
        :param replicated_only: (optional) the query touches replicated tables only,
        :param enforce_join_order: (optional) keep the join order as written,
        :param collocated: (optional) the data is collocated,
        :param lazy: (optional) lazy execution,
        :param include_field_names: (optional) the first row is the list of column names,
        :param max_rows: (optional) at most this many rows, -1 (default) for all,
        :param timeout: (optional) server-side timeout in ms, 0 (default) for none,
        :param cache: (optional) cache name, id or object whose schema to use; ``schema``
         is ignored then,
        :return: a :class:`~pyignite.cursors.SqlFieldsCursor` yielding rows as lists.
        """
        from .cursors import SqlFieldsCursor
        return SqlFieldsCursor(self, query_str, page_size, query_args, schema, statement_type,
                               distributed_joins, local, replicated_only, enforce_join_order,
                               collocated, lazy, include_field_names, max_rows, timeout, cache)

    def get_cluster(self) -> 'Cluster':
        """The cluster facade: state and activation.

        :return: :class:`~pyignite.cluster.Cluster`.
        """
        from .cluster import Cluster
        return Cluster(self)

    def tx_start(self, concurrency=None, isolation=None, timeout: int = 0,
                 label: Optional[str] = None) -> 'Transaction':
        """Start a transaction bound to the current thread.

        :param concurrency: (optional) a
         :class:`~pyignite.datatypes.transactions.TransactionConcurrency`, PESSIMISTIC by
         default,
        :param isolation: (optional) a
         :class:`~pyignite.datatypes.transactions.TransactionIsolation`, REPEATABLE_READ by
         default,
        :param timeout: (optional) timeout in ms, 0 (default) for none,
        :param label: (optional) a label the server shows for the transaction,
        :return: :class:`~pyignite.transaction.Transaction`, also a context manager.
        """
        from .transaction import Transaction
        return Transaction(self, concurrency, isolation, timeout, label)

    def register_cache(self, cache_id: int) -> None:
        """Fetch the partition map of a cache now, so that the first key operation on it
        goes straight to the right node (not a stable API; does nothing without partition
        awareness).

        :param cache_id: the cache id.
        """
        from ._ops.affinity import register_cache
        self._run(register_cache(self, cache_id))

    def get_best_node(self, cache: Union[int, str, 'BaseCache'], key: Any = None,
                      key_hint=None):
        """The connection that most probably holds ``key`` (not a stable API).

        :param cache: cache object, name or id,
        :param key: (optional) the key,
        :param key_hint: (optional) the key's type hint,
        :return: a connection.
        """
        from ._ops.affinity import best_node
        return self._run(best_node(self, cache, key, key_hint))
