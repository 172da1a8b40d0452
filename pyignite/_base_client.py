"""What the sync and the async client share: checking the settings, the properties read
from the session (:class:`BaseClient`), and the methods of the public API, written once
(:class:`ClientAPI`). The decisions live in :class:`~pyignite._session.session.Session`;
each client adds only its driver (how bytes move) and its API's sync or async form.
"""
import functools
import random
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Generator, Generic, Iterable, List, Mapping, Optional,
    Sequence, Tuple, TypeVar, Union,
)

from ._facade import Op, documented, operation, type_arguments
from ._ops import cache_admin
from ._ops.common import Operation
from ._protocol import wire as P
from ._protocol.request import Request, Response
from ._session.session import Closing, Session
from .constants import CONNECTION_ARGS, IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT
from .exceptions import ParameterError, ReconnectError
from .transaction import TX_PARAMETERS_DOC
from .retry import RetryPolicy

if TYPE_CHECKING:  # pragma: no cover
    from .binary import GenericObjectMeta
    from ._base_cache import BaseCache
    from .datatypes.base import Hint
    from .datatypes.structures import AtomicConfiguration, CollectionConfiguration
    from .datatypes.transactions import TransactionConcurrency, TransactionIsolation

__all__ = ['CLIENT_PARAMETERS_DOC', 'BaseClient', 'ClientAPI', 'check_credential',
           'check_cluster_settings', 'parse_nodes']


def parse_nodes(args: Sequence[Any]) -> List[Tuple[str, int]]:
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


def _non_negative_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError('{} should be a non-negative int, not {!r}'.format(name, value))


def check_cluster_settings(retry_policy: Any, retry_limit: Any, address_filter: Any,
                           heartbeat_interval: Any, user_attributes: Any,
                           throttling_period: Any, throttling_retries: Any) -> None:
    """Check the failover, discovery and heartbeat settings of a client.

    :raises ParameterError: one of them is of the wrong kind or out of range.
    """
    if retry_policy is not None and not callable(getattr(retry_policy, 'should_retry', None)):
        raise ParameterError('retry_policy should be a pyignite.retry.RetryPolicy, not '
                             '{!r}'.format(retry_policy))
    _non_negative_int('retry_limit', retry_limit)
    _non_negative_int('reconnect_throttling_retries', throttling_retries)
    if address_filter is not None and not callable(address_filter):
        raise ParameterError('address_filter should be a callable (host, port) -> bool')
    for name, value in (('heartbeat_interval', heartbeat_interval),
                        ('reconnect_throttling_period', throttling_period)):
        if value is not None and (isinstance(value, bool) or
                                  not isinstance(value, (int, float)) or value < 0):
            raise ParameterError('{} should be a non-negative number of seconds, not '
                                 '{!r}'.format(name, value))
    if throttling_period is None or throttling_period <= 0:
        raise ParameterError('reconnect_throttling_period should be positive')
    if user_attributes is not None:
        if not isinstance(user_attributes, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in user_attributes.items()):
            raise ParameterError('user_attributes should be a mapping of str to str')
        for name, value in user_attributes.items():
            check_credential('user attribute name', name)
            check_credential('user attribute {!r}'.format(name), value)


#: the parameters of :class:`~pyignite.client.Client` and
#: :class:`~pyignite.aio_client.AioClient`, documented once
CLIENT_PARAMETERS_DOC = """:param compact_footer: (optional) write complex objects with compact
 (True) or full (False) schema footers; None (default) uses the server's setting,
:param partition_aware: (optional) send key operations straight to the node that
 holds the key (True by default; the asyncio client then connects to the nodes
 concurrently),
:param event_listeners: (optional) :mod:`pyignite.monitoring` listeners,
:param retry_policy: (optional) a :class:`~pyignite.retry.RetryPolicy`: whether a
 request whose connection broke is sent again on another node instead of raising;
 :class:`~pyignite.retry.RetryNonePolicy` (never) by default,
:param retry_limit: (optional) the most times one request is sent again; 0 (default):
 once per node the client knows,
:param cluster_discovery: (optional) with partition awareness, ask the cluster for its
 nodes' addresses and connect to the nodes ``connect()`` was not given, following
 nodes that join and leave (True by default; False keeps to the given nodes),
:param address_filter: (optional) ``(host, port) -> bool``: which discovered addresses
 the client may connect to (e.g. only those reachable through a NAT),
:param heartbeat_interval: (optional) seconds: send a heartbeat on every connection that
 sent nothing for that long, at least every third of the server's idle timeout, so that
 the server keeps idle connections and a silent node is found before a call waits on
 it; None (default) or 0: no heartbeats,
:param user_attributes: (optional) a dict of str to str sent to the server in the
 handshake (protocol 1.7.0): server-side code and security plugins see it,
:param reconnect_throttling_period: (optional) seconds of the throttling window (30.0),
:param reconnect_throttling_retries: (optional) at most this many attempts to connect
 to one address within the window; 0 (default): no throttling,
:param timeout: (optional) time limit of every request, seconds, counted from before
 it is sent; None (default) or 0: no limit. A request with no reply in time raises
 ``TimeoutError``, an :class:`OSError` (of the sync client before Python 3.10,
 ``socket.timeout``, not yet the built-in ``TimeoutError``; of the asyncio client, also
 an :class:`asyncio.TimeoutError`). If no reply frame at all (to any request) came from
 the node meanwhile, the node is taken as unresponsive: the connection is closed (the
 other requests waiting on it raise :class:`ConnectionError`), and the next call
 reconnects or fails over to the next node. Otherwise only that request is abandoned:
 the connection stays, and the late reply is dropped. (The per-call ``timeout`` of
 :class:`~pyignite.aio_cache.AioCache` methods cancels the call instead, and never
 closes the connection),
:param handshake_timeout: (optional) time limit of connecting plus the handshake,
 seconds (10.0 by default); over it the node counts as unreachable (``TimeoutError``),
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


class BaseClient:
    """The settings and the session of a client. It does no I/O.

    :ivar _session: everything the client knows and decides
     (:class:`~pyignite._session.session.Session`),
    :ivar _run: the driver, ``_run(operation)``: runs an operation of :mod:`pyignite._ops`
     and returns its result (a coroutine of the asyncio client, which also takes a
     deadline); caches, cursors and the other facades reach the server through it,
    :ivar _fan_out: the driver of multi-key operations (:mod:`pyignite._ops.multi_key`),
     ``_fan_out(plan)``: sends their parts to several nodes at once.
    """

    _run: Callable[..., Any]
    _fan_out: Callable[..., Any]
    #: the class of the connections the driver moves bytes over
    _connection_class: Callable[..., Any]

    def __init__(self, compact_footer: Optional[bool] = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence[Any]] = None,
                 retry_policy: Optional[RetryPolicy] = None, retry_limit: int = 0,
                 cluster_discovery: bool = True,
                 address_filter: Optional[Callable[[str, int], bool]] = None,
                 heartbeat_interval: Optional[float] = None,
                 user_attributes: Optional[Mapping[str, str]] = None,
                 reconnect_throttling_period: float = 30.0,
                 reconnect_throttling_retries: int = 0, **kwargs: Any) -> None:
        check_cluster_settings(retry_policy, retry_limit, address_filter, heartbeat_interval,
                               user_attributes, reconnect_throttling_period,
                               reconnect_throttling_retries)
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
        self._session = Session(
            compact_footer, partition_aware, event_listeners, retry_policy, retry_limit,
            bool(cluster_discovery), address_filter, user_attributes, heartbeat_interval,
            reconnect_throttling_period, reconnect_throttling_retries)
        self._session.new_connection = lambda host, port: self._connections([(host, port)])[0]
        self._init_driver()

    def _init_driver(self) -> None:
        """Set up what the client's driver needs (locks, the connection class)."""

    @property
    def compact_footer(self) -> Optional[bool]:
        """Whether complex objects are written with compact footers (None: as the server)."""
        return self._session.binary.compact_footer

    @compact_footer.setter
    def compact_footer(self, value: Optional[bool]) -> None:
        self._session.binary.compact_footer = value

    @property
    def protocol_context(self) -> Optional[P.ProtocolContext]:
        """The negotiated protocol version and features, or None before connecting."""
        return self._session.protocol_context

    @property
    def partition_awareness_supported_by_protocol(self) -> bool:
        """True when the negotiated protocol offers partition awareness (1.4.0 or newer)."""
        ctx = self.protocol_context
        return ctx is not None and ctx.is_partition_awareness_supported()

    @property
    def partition_aware(self) -> bool:
        """True when requests are routed to the node holding the key."""
        return self._session.partition_aware and self.partition_awareness_supported_by_protocol

    def _connections(self, nodes: List[Tuple[str, int]]) -> List[Any]:
        """New connections to ``nodes``, with the client's settings."""
        return [self._connection_class(self._session, host, port, **self._connection_args)
                for host, port in nodes]

    def _plan_step(self, step: Any) -> Callable[[], Any]:
        """What the driver does for a step of a connection plan of the session: close
        connections (a :class:`~pyignite._session.session.Closing` list), connect them (a
        list), or run an operation; a function whose result (awaited, of the asyncio client)
        goes back to the plan."""
        if step.__class__ is Closing:
            return functools.partial(self._close_all, step)
        if isinstance(step, list):
            return functools.partial(self._connect_all, step)
        return functools.partial(self._try_run, step)

    # the driver's: close connections; connect them, giving each one's error or None; run
    # an operation, giving its result or the exception it raised
    _close_all: Callable[[List[Any]], Any]
    _connect_all: Callable[[List[Any]], Any]
    _try_run: Callable[[Any], Any]

    def _live_connection(self) -> Any:
        """A random live connection, or None if none is alive.

        :raises ReconnectError: the client is not connected.
        """
        session = self._session
        if not session.nodes:
            raise ReconnectError('The client is not connected: call connect() first')
        alive = session.alive_nodes()
        return random.choice(alive) if alive else None


# what the sync or the async API hands out: a connection, a cache, an SQL cursor, a data
# streamer, an AtomicLong, an IgniteSet, the cluster, a cluster group, the compute and the
# services facades, a transaction
_Conn = TypeVar('_Conn')
_Cache = TypeVar('_Cache')
_SqlCursor = TypeVar('_SqlCursor')
_Streamer = TypeVar('_Streamer')
_AtomicLong = TypeVar('_AtomicLong')
_Set = TypeVar('_Set')
_Cluster = TypeVar('_Cluster')
_Group = TypeVar('_Group')
_Compute = TypeVar('_Compute')
_Services = TypeVar('_Services')
_Tx = TypeVar('_Tx')


class ClientAPI(BaseClient, Generic[_Conn, _Cache, _SqlCursor, _Streamer, _AtomicLong, _Set,
                                    _Cluster, _Group, _Compute, _Services, _Tx]):
    """The methods of :class:`~pyignite.client.Client` and
    :class:`~pyignite.aio_client.AioClient` that mean the same on both: each
    :func:`~pyignite._facade.operation` becomes a blocking method of the one and a coroutine
    method of the other; the other methods make objects of the API's own classes (its type
    arguments), which do their I/O when used.
    """

    _cache_class: Callable[[Any, str], _Cache]
    _sql_cursor_class: Callable[..., _SqlCursor]
    _streamer_class: Callable[..., _Streamer]
    _atomic_long_class: Callable[[Any, str, Optional[str]], _AtomicLong]
    _set_class: Callable[[Any, Any], _Set]
    _cluster_class: Callable[[Any], _Cluster]
    _compute_class: Callable[[Any, Optional[_Group]], _Compute]
    _services_class: Callable[[Any, Optional[_Group]], _Services]
    _tx_class: Callable[..., _Tx]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the type arguments of a client's API are the classes it hands out
        (cls._connection_class, cls._cache_class, cls._sql_cursor_class, cls._streamer_class,
         cls._atomic_long_class, cls._set_class, cls._cluster_class, _,
         cls._compute_class, cls._services_class, cls._tx_class) = type_arguments(cls, ClientAPI)

    # --- caches ---------------------------------------------------------------------------

    def _named_cache(self, settings: Union[str, Dict[int, Any]]) -> _Cache:
        """The cache object of ``get_cache``: nothing is sent."""
        return self._cache_class(self, cache_admin.name_only(settings))

    @operation
    def create_cache(self, settings: Union[str, Dict[int, Any]]
                     ) -> Generator[Request, Response, _Cache]:
        """Create a cache; raise :class:`~pyignite.exceptions.CacheError` if it exists.

        :param settings: a cache name, or a dict of cache property codes and values,
        :return: :class:`~pyignite.cache.Cache` (:class:`~pyignite.aio_cache.AioCache` of
         an asyncio client).
        """
        return self._cache_made(cache_admin.create(self._session, settings, True))

    @operation
    def get_or_create_cache(self, settings: Union[str, Dict[int, Any]]
                            ) -> Generator[Request, Response, _Cache]:
        """Get a cache, creating it if it does not exist.

        :param settings: as for :meth:`create_cache`: the name, or the properties a new
         cache gets,
        :return: the cache object, as :meth:`create_cache` gives.
        """
        return self._cache_made(cache_admin.create(self._session, settings, False))

    def _cache_made(self, create: Operation) -> Generator[Request, Response, _Cache]:
        """The cache object of the cache that ``create`` made (or found)."""
        name = yield from create
        return self._cache_class(self, name)

    @operation
    def get_cache_names(self) -> Generator[Request, Response, List[str]]:
        """Names of the caches in the cluster.

        :return: a list of str.
        """
        return cache_admin.get_names(self._session)

    # --- binary types -----------------------------------------------------------------------

    @operation
    def get_binary_type(self, binary_type: Union[str, int]
                        ) -> Generator[Request, Response, Dict[str, Any]]:
        """Read a binary type's metadata from the server (OP_GET_BINARY_TYPE).

        :param binary_type: type name or id,
        :return: a dict: ``type_exists``, and when it does ``type_id``, ``type_name``,
         ``affinity_key_field``, ``is_enum``, ``schemas`` (a list of OrderedDicts of field
         name to type hint) and, for enums, ``enums``.
        """
        from ._ops import binary_types
        return binary_types.get_binary_type(self._session, binary_type)

    @operation
    def put_binary_type(self, type_name: str, affinity_key_field: Optional[str] = None,
                        is_enum: bool = False, schema: Optional[Mapping[str, Any]] = None
                        ) -> Generator[Request, Response, Dict[str, int]]:
        """Register binary type metadata on the server (OP_PUT_BINARY_TYPE), without
        touching the local registry.

        :param type_name: the type name,
        :param affinity_key_field: (optional) the affinity key field name,
        :param is_enum: (optional) register an enum type,
        :param schema: (optional) field name to type hint, or for an enum name to ordinal.
        """
        from ._ops import binary_types
        return binary_types.put_binary_type(self._session, type_name, affinity_key_field,
                                            is_enum, schema)

    @operation
    def register_binary_type(self, data_class: 'GenericObjectMeta',
                             affinity_key_field: Optional[str] = None) -> Op[None]:
        """Register a complex object class, replacing any class generated for its type.

        :param data_class: a class built with :class:`~pyignite.binary.GenericObjectMeta`,
        :param affinity_key_field: (optional) the affinity key field name.
        """
        from ._ops import binary_types
        return binary_types.register_binary_type(self._session, data_class, affinity_key_field)

    @operation
    def query_binary_type(self, binary_type: Union[int, str],
                          schema: Union[int, Mapping[str, Any], None] = None) -> Op[Any]:
        """Find the classes of a complex object type, fetching it from the server if needed.

        :param binary_type: type name or id,
        :param schema: (optional) a schema or schema id,
        :return: the class (or None) for the given schema, otherwise a dict of schema id
         to class.
        """
        from ._ops import binary_types
        return binary_types.query_binary_type(self._session, binary_type, schema)

    @operation
    def unwrap_binary(self, value: Any) -> Op[Any]:
        """Turn wrapped binary data inside ``value`` into objects, recursively.

        :param value: anything,
        :return: the value with binary objects unwrapped.
        """
        from ._ops import binary_types
        return binary_types.unwrap_binary(self._session, value)

    @operation
    def _learn_compact_footer(self) -> Generator[Request, Response, bool]:
        """The footer mode objects are written with, asked from the server if it is not
        known yet (:meth:`BinaryObject.hashcode <pyignite.datatypes.BinaryObject.hashcode>`)."""
        from ._ops import binary_types
        return binary_types.compact_footer(self._session)

    # --- SQL, data structures, cluster, transactions -----------------------------------------

    def sql(self, query_str: str, page_size: int = 1024,
            query_args: Optional[Iterable[Any]] = None, schema: Optional[str] = 'PUBLIC',
            statement_type: int = 0, distributed_joins: bool = False, local: bool = False,
            replicated_only: bool = False,
            enforce_join_order: bool = False, collocated: bool = False, lazy: bool = False,
            include_field_names: bool = False, max_rows: int = -1,
            timeout: Optional[int] = 0, cache: Union[int, str, 'BaseCache', None] = None,
            partitions: Optional[Iterable[int]] = None,
            update_batch_size: Optional[int] = None) -> _SqlCursor:
        """Run an SQL query (of an asyncio client: when the returned cursor is awaited or
        entered with ``async with``).

        :param query_str: the SQL text,
        :param page_size: (optional) rows per server round trip, 1024 by default,
        :param query_args: (optional) query arguments: values or ``(value, hint)`` tuples,
        :param schema: (optional) the schema, ``PUBLIC`` by default,
        :param statement_type: (optional) a :class:`~pyignite.datatypes.sql.StatementType`:
         ANY (default), SELECT or UPDATE (the H2 engine refuses a statement of the other
         kind; the Calcite engine does not check it),
        :param distributed_joins: (optional) allow distributed joins,
        :param local: (optional) run on the connected node only,
        :param replicated_only: (optional) the query touches replicated tables only,
        :param enforce_join_order: (optional) keep the join order as written,
        :param collocated: (optional) the data is collocated,
        :param lazy: (optional) lazy execution,
        :param include_field_names: (optional) the first row is the list of column names,
        :param max_rows: (optional) at most this many rows, -1 (default) for all,
        :param timeout: (optional) server-side timeout in ms, 0 (default) for none, None
         for the server's default query timeout (``SqlConfiguration.defaultQueryTimeout``),
        :param cache: (optional) cache name, id or object whose schema to use; ``schema``
         is ignored then,
        :param partitions: (optional) run the query on these partitions only (a list of
         partition numbers); needs the QRY_PARTITIONS_BATCH_SIZE protocol feature,
        :param update_batch_size: (optional) rows the server updates per batch for DML
         (1 by default); needs the same feature,
        :return: a :class:`~pyignite.cursors.SqlFieldsCursor` (an
         :class:`~pyignite.cursors.AioSqlFieldsCursor`) yielding rows as lists,
        :raises NotSupportedByClusterError: ``partitions`` or ``update_batch_size`` given
         to a server without the QRY_PARTITIONS_BATCH_SIZE feature (before sending).

        In a transaction of this thread or task (:meth:`tx_start`), the query runs inside
        it when the server offers transaction-aware queries (protocol feature
        TX_AWARE_QUERIES, which a server negotiates only when
        ``TransactionConfiguration.txAwareQueriesEnabled`` is set); otherwise it runs on
        its own, outside the transaction. See :ref:`sql-extras`.
        """
        return self._sql_cursor_class(
            self, query_str, page_size, query_args, schema, statement_type, distributed_joins,
            local, replicated_only, enforce_join_order, collocated, lazy, include_field_names,
            max_rows, timeout, cache, partitions, update_batch_size)

    def data_streamer(self, cache: Union[str, int, 'BaseCache'], *,
                      allow_overwrite: bool = False, skip_store: bool = False,
                      per_node_buffer_size: int = 1024, per_node_parallel_operations: int = 4,
                      flush_interval: Optional[float] = None,
                      receiver: Any = None) -> _Streamer:
        """A data streamer loading entries into ``cache`` in batches, per node (see
        :mod:`pyignite.data_streamer`); use it as a context manager (of an asyncio client:
        enter it with ``async with``).

        :param cache: a cache object, name or id,
        :param allow_overwrite: (optional) existing keys get the new values; False
         (default): existing entries are kept, and removals are not allowed,
        :param skip_store: (optional) do not write through to the cache store,
        :param per_node_buffer_size: (optional) entries per batch, 1024 by default,
        :param per_node_parallel_operations: (optional) batches in flight to one node at
         a time, 4 by default,
        :param flush_interval: (optional) seconds after which buffered entries are sent
         even if their batch is not full, checked whenever an entry is added; None
         (default): only full batches, :meth:`~pyignite.data_streamer.DataStreamer.flush` and
         :meth:`~pyignite.data_streamer.DataStreamer.close` send,
        :param receiver: (optional) a complex object whose type is a Java
         ``org.apache.ignite.stream.StreamReceiver`` class on the servers' classpath (its
         fields are the receiver's), run by the server on each batch instead of putting
         the entries (its class is registered with the server when the streamer opens),
        :return: :class:`~pyignite.data_streamer.DataStreamer`
         (:class:`~pyignite.data_streamer.AioDataStreamer` of an asyncio client),
        :raises ParameterError: a bad option.
        """
        return self._streamer_class(self, cache, allow_overwrite, skip_store,
                                    per_node_buffer_size, per_node_parallel_operations,
                                    flush_interval, receiver)

    @operation
    def atomic_long(
            self, name: str, initial: int = 0, create: bool = True, *,
            config: Optional['AtomicConfiguration'] = None
    ) -> Generator[Request, Response, Optional[_AtomicLong]]:
        """A distributed AtomicLong (see :mod:`pyignite.atomic_long`).

        :param name: its name,
        :param initial: (optional) its value if it is created, 0 by default,
        :param create: (optional) create it if it does not exist (True by default); with
         False, None is returned for a missing one,
        :param config: (optional) an :class:`~pyignite.datatypes.structures.AtomicConfiguration`:
         where it lives if it is created (its ``group_name`` also names the group to look
         it up in),
        :return: :class:`~pyignite.atomic_long.AtomicLong`
         (:class:`~pyignite.atomic_long.AioAtomicLong` of an asyncio client), or None,
        :raises ParameterError: a bad name, value or configuration,
        :raises NotSupportedByClusterError: the server has no AtomicLong (Ignite < 2.14).
        """
        from ._ops import atomic_long as ops
        found = yield from ops.get_or_create(self._session, name, initial, create, config)
        if not found:
            return None
        return self._atomic_long_class(self, name, config.group_name if config else None)

    @operation
    def ignite_set(self, name: str, *, config: Optional['CollectionConfiguration'] = None
                   ) -> Generator[Request, Response, _Set]:
        """A distributed set, created if it does not exist (see :mod:`pyignite.ignite_set`).

        :param name: its name,
        :param config: (optional) a
         :class:`~pyignite.datatypes.structures.CollectionConfiguration`: where it lives
         and whether it is colocated, if it is created,
        :return: :class:`~pyignite.ignite_set.IgniteSet`
         (:class:`~pyignite.ignite_set.AioIgniteSet` of an asyncio client),
        :raises ParameterError: a bad name or configuration,
        :raises NotSupportedByClusterError: the server has no IgniteSet (Ignite < 2.14).
        """
        from ._ops import ignite_set as ops
        ref = yield from ops.get_or_create(self._session, name, True, config)
        return self._set_class(self, ref)

    def get_cluster(self) -> _Cluster:
        """The cluster facade: state and activation.

        :return: :class:`~pyignite.cluster.Cluster`
         (:class:`~pyignite.aio_cluster.AioCluster` of an asyncio client).
        """
        return self._cluster_class(self)

    def compute(self, group: Optional[_Group] = None) -> _Compute:
        """Run compute tasks (Java ``ComputeTask`` classes deployed on the server).

        :param group: (optional) a cluster group of this client (``get_cluster()`` and its
         projections): the tasks' jobs run on its nodes only; every server node by default,
        :return: :class:`~pyignite.compute.Compute`
         (:class:`~pyignite.compute.AioCompute` of an asyncio client),
        :raises ParameterError: ``group`` is not a group of this client.
        """
        return self._compute_class(self, group)

    def services(self, group: Optional[_Group] = None) -> _Services:
        """Call the services deployed in the cluster.

        :param group: (optional) a cluster group of this client: calls go to the service
         instances on its nodes only; any node by default,
        :return: :class:`~pyignite.services.Services`
         (:class:`~pyignite.services.AioServices` of an asyncio client),
        :raises ParameterError: ``group`` is not a group of this client.
        """
        return self._services_class(self, group)

    @documented("""Start a transaction bound to the current thread; of an asyncio client, a
transaction bound to the current task, started by ``async with`` or ``await``.

""" + TX_PARAMETERS_DOC + """:return: :class:`~pyignite.transaction.Transaction`, also a context
 manager (:class:`~pyignite.transaction.AioTransaction` of an asyncio client).
""")
    def tx_start(self, concurrency: Union['TransactionConcurrency', int, None] = None,
                 isolation: Union['TransactionIsolation', int, None] = None, timeout: int = 0,
                 label: Optional[str] = None) -> _Tx:
        return self._tx_class(self, concurrency, isolation, timeout, label)

    # --- affinity (not a stable API) ---------------------------------------------------------

    @operation
    def register_cache(self, cache_id: int) -> Op[None]:
        """Fetch the partition map of a cache now, so that the first key operation on it
        goes straight to the right node (not a stable API; does nothing without partition
        awareness).

        :param cache_id: the cache id.
        """
        from ._ops.affinity import register_cache
        return register_cache(self._session, cache_id)

    @operation
    def get_best_node(self, cache: Union[int, str, 'BaseCache'], key: Any = None,
                      key_hint: Optional['Hint'] = None) -> Generator[Request, Response, _Conn]:
        """The connection that most probably holds ``key`` (not a stable API).

        :param cache: cache object, name or id,
        :param key: (optional) the key,
        :param key_hint: (optional) the key's type hint,
        :return: a connection.
        """
        from ._ops.affinity import best_node
        return best_node(self._session, cache, key, key_hint)
