"""The synchronous client.

:class:`Client` connects to one or more nodes of an Ignite cluster over the
binary client protocol. Get a :class:`~pyignite.cache.Cache` from it for
key-value work, call :meth:`Client.sql` for SQL, and register complex object
classes with :meth:`Client.register_binary_type`.
"""
import logging
import random
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Sequence, Union

from . import _protocol as P
from ._ops import cache_admin
from ._registry import BinaryRegistry
from ._request import Response
from .connection import Connection
from .constants import CONNECTION_ARGS, IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT
from .exceptions import (
    AuthenticationError, HandshakeError, ParameterError, ReconnectError, connection_errors,
)

if TYPE_CHECKING:  # pragma: no cover
    from .cache import BaseCache, Cache
    from .cluster import Cluster
    from .cursors import SqlFieldsCursor
    from .transaction import Transaction

__all__ = ['Client', 'BaseClient']

log = logging.getLogger('pyignite.connection')


def _server_error(cls, message, status):
    try:
        return cls(message, status)
    except TypeError:
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
        self._connection_args = kwargs
        self._partition_aware = partition_aware
        self._event_listeners = list(event_listeners or ())
        self._binary = BinaryRegistry(compact_footer)
        self._nodes: list = []
        self._current = None
        self._router = None

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

    # --- routing (pure) -----------------------------------------------------------------

    def _alive_nodes(self) -> list:
        return [conn for conn in self._nodes if conn.alive]

    def _select(self, req):
        """The live connection a request should go to, or None if none is alive."""
        router = self._router
        if req.key_pos >= 0 and router is not None:
            conn = router.connection_for(self, req)
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

    def _affinity_stale(self, cache_id: int) -> bool:
        router = self._router
        return router is not None and router.is_stale(cache_id)

    def _on_topology_change(self, conn, topology) -> None:
        router = self._router
        if router is not None:
            router.on_topology_change(topology)

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

    # --- events -------------------------------------------------------------------------

    def _emit(self, method: str, *args) -> None:
        for listener in self._event_listeners:
            handler = getattr(listener, method, None)
            if handler is not None:
                try:
                    handler(*args)
                except Exception:  # a listener must never break the client
                    log.exception('event listener %r failed', listener)

    def _emit_handshake_start(self, conn) -> None:
        log.debug('Connecting to node(address=%s, port=%d)', conn.host, conn.port)

    def _emit_handshake_success(self, conn) -> None:
        log.debug('Connected to node(address=%s, port=%d, node_uuid=%s) with protocol %s',
                  conn.host, conn.port, conn.uuid, conn.protocol_context)

    def _emit_handshake_fail(self, conn, error) -> None:
        if isinstance(error, AuthenticationError):
            log.error('Authentication failed while connecting to node(address=%s, port=%d): '
                      '%s', conn.host, conn.port, error)
        else:
            log.error('Failed to perform handshake, connection to node(address=%s, port=%d) '
                      'failed: %r', conn.host, conn.port, error)

    def _emit_connection_closed(self, conn, error) -> None:
        if error is None:
            log.debug('Connection closed to node(address=%s, port=%d)', conn.host, conn.port)
        else:
            log.info('Connection lost with node(address=%s, port=%d): %r',
                     conn.host, conn.port, error)


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
    :param timeout: (optional) socket timeout of every request, seconds; None (default)
     waits forever,
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
    :param ssl_ca_certfile: (optional) CA certificates to verify the server with.
    """

    def __init__(self, compact_footer: bool = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence] = None, **kwargs):
        super().__init__(compact_footer, partition_aware, event_listeners, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def connect(self, *args) -> _Connected:
        """Connect to Ignite node(s).

        :param args: nothing (``localhost:10800``), a host and a port, or a list of
         ``(host, port)`` pairs,
        :return: a context manager that closes the client on exit,
        :raises ReconnectError: no node could be reached.
        """
        nodes = parse_nodes(args)
        self.close()
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

    def _init_affinity(self) -> None:
        if self.partition_aware and len(self._nodes) > 1:
            try:
                from ._routing import Router
            except ImportError:  # partition awareness lands with the cluster work
                return
            self._router = Router()

    def close(self) -> None:
        """Close every connection."""
        for conn in self._nodes:
            conn.close()
        self._nodes = []
        self._current = None
        self._router = None

    # --- the driver -----------------------------------------------------------------------

    def _reconnect(self):
        for conn in self._reconnect_order():
            try:
                conn.connect()
            except connection_errors:
                continue
            self._current = conn
            return conn
        raise ReconnectError('Can not reconnect: out of nodes.')

    def _run(self, op):
        """Drive an operation generator over the connections; return its result."""
        if not self._nodes:
            self._check_connected()
        send = op.send
        try:
            req = send(None)
            while True:
                conn = req.conn
                if conn is None:
                    conn = self._select(req)
                    if conn is None:
                        conn = self._reconnect()
                reply, header = conn.request(req)
                if header.topology is not None:
                    self._on_topology_change(conn, header.topology)
                if header.status:
                    req = op.throw(_server_error(req.error, header.message, header.status))
                else:
                    req = send(Response(reply, header.payload_pos, conn))
        except StopIteration as done:
            return done.value

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
