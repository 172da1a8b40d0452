"""The synchronous client.

:class:`Client` connects to one or more nodes of an Ignite cluster over the
binary client protocol. Get a :class:`~pyignite.cache.Cache` from it for
key-value work, call :meth:`Client.sql` for SQL, and register complex object
classes with :meth:`Client.register_binary_type`.
"""
import threading
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple,
    Union,
)

from ._base_client import BaseClient, check_credential, parse_nodes  # noqa: F401
from ._ops import cache_admin
from ._ops.common import Operation
from ._ops.exchange import Call, Exchange
from ._session.session import Closing, ConnectPlan
from .connection import Connection
from .exceptions import ReconnectError

if TYPE_CHECKING:  # pragma: no cover
    from .cluster_group import ClusterGroup
    from .compute import Compute
    from .services import Services
    from .binary import GenericObjectMeta
    from .cache import BaseCache, Cache
    from .cluster import Cluster
    from .cursors import SqlFieldsCursor
    from .datatypes.base import Hint
    from .datatypes.transactions import TransactionConcurrency, TransactionIsolation
    from .data_streamer import DataStreamer
    from .atomic_long import AtomicLong
    from .datatypes.structures import AtomicConfiguration, CollectionConfiguration
    from .ignite_set import IgniteSet
    from .retry import RetryPolicy
    from .transaction import Transaction

__all__ = ['Client', 'BaseClient']


def _try_connect(conn: Connection) -> Optional[Exception]:
    """Connect; return the error that made it fail, or None (the plan judges it)."""
    try:
        conn.connect()
    except Exception as e:
        return e
    return None


class _Connected:
    """What :meth:`Client.connect` returns: a context manager that closes the client."""

    def __init__(self, client: 'Client') -> None:
        self._client = client

    def __enter__(self) -> 'Client':
        return self._client

    def __exit__(self, *exc: Any) -> None:
        self._client.close()


class Client(BaseClient):
    """The synchronous Ignite thin client.

    :param compact_footer: (optional) write complex objects with compact (True) or full
     (False) schema footers; None (default) uses the server's setting,
    :param partition_aware: (optional) send key operations straight to the node that
     holds the key (True by default),
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

    def __init__(self, compact_footer: Optional[bool] = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence[Any]] = None,
                 retry_policy: Optional['RetryPolicy'] = None, retry_limit: int = 0,
                 cluster_discovery: bool = True,
                 address_filter: Optional[Callable[[str, int], bool]] = None,
                 heartbeat_interval: Optional[float] = None,
                 user_attributes: Optional[Mapping[str, str]] = None,
                 reconnect_throttling_period: float = 30.0,
                 reconnect_throttling_retries: int = 0, **kwargs: Any) -> None:
        super().__init__(compact_footer, partition_aware, event_listeners, retry_policy,
                         retry_limit, cluster_discovery, address_filter, heartbeat_interval,
                         user_attributes, reconnect_throttling_period,
                         reconnect_throttling_retries, **kwargs)
        # serialises (re)connecting: a Connection must not be connected by two threads
        self._connect_lock = threading.Lock()
        self._session.new_connection = lambda host, port: self._connections(
            [(host, port)], Connection)[0]
        #: set to stop the heartbeat thread of the current connect()
        self._heartbeats: Optional[threading.Event] = None

    def __enter__(self) -> 'Client':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def connect(self, *args: Any) -> _Connected:
        """Connect to Ignite node(s).

        With partition awareness the client connects to every node of the list and
        sends each key operation to the node holding the key; otherwise it uses one
        node at a time. If a connection breaks, the call that was using it raises the
        original :class:`OSError`, unless the retry policy sends it again to another node;
        later calls go to the other nodes, reconnecting in list order, and
        :class:`~pyignite.exceptions.ReconnectError` is raised when no node can be reached.
        With cluster discovery the client also connects to the nodes it was not given.

        :param args: nothing (``localhost:10800``), a host and a port, or a list of
         ``(host, port)`` pairs,
        :return: a context manager that closes the client on exit,
        :raises ReconnectError: no node could be reached.
        """
        nodes = parse_nodes(args)
        self.close()
        with self._connect_lock:
            connections = self._connections(nodes, Connection)
            try:
                self._carry_out(self._session.open(connections))
            except BaseException:
                for conn in connections:
                    conn.close()
                raise
        self._start_heartbeats()
        return _Connected(self)

    def close(self) -> None:
        """Close every connection (and stop the heartbeats)."""
        stop, self._heartbeats = self._heartbeats, None
        if stop is not None:
            stop.set()
        for conn in self._session.close():
            conn.close()

    # --- the driver: moves bytes, the session decides -------------------------------------

    def _carry_out(self, plan: ConnectPlan) -> Any:
        """Do what a connection plan asks for (connect, one after the other; close; run an
        operation); return its result."""
        try:
            step = next(plan)
            while True:
                if step.__class__ is Closing:
                    for conn in step:
                        conn.close()
                    step = plan.send(None)
                elif isinstance(step, list):
                    step = plan.send([_try_connect(conn) for conn in step])
                else:
                    step = plan.send(self._try_run(step))
        except StopIteration as done:
            return done.value

    def _try_run(self, op: Union[Call, Operation]) -> Any:
        """Run an operation; return its result, or the exception it raised."""
        try:
            return self._run(op)
        except Exception as e:
            return e

    # --- heartbeats: a thread of the client's own, the session decides what to send --------

    def _start_heartbeats(self) -> None:
        if self._session.heartbeat_interval is None:
            return
        stop = self._heartbeats = threading.Event()
        threading.Thread(target=self._heartbeat_timer, args=(stop,), daemon=True,
                         name='pyignite-heartbeats').start()

    def _heartbeat_timer(self, stop: threading.Event) -> None:
        session = self._session
        period: Optional[float] = 0.0  # the first tick asks the nodes' idle timeouts
        while period is not None and not stop.wait(period):
            aborted, ops = session.heartbeat_tick()
            for conn in aborted:
                conn.abort(session.heartbeat_aborted(conn))
            for op in ops:
                # each in a thread of its own: one silent node must not hold up the others
                threading.Thread(target=self._heartbeat, args=(op,), daemon=True,
                                 name='pyignite-heartbeat').start()
            period = session.heartbeat_period()

    def _heartbeat(self, op: Call) -> None:
        conn = op.pinned_to  # read before the run: a call forgets its request once done
        self._session.heartbeat_done(conn, self._try_run(op))

    def _reconnect(self) -> Connection:
        """A live connection after every one broke."""
        with self._connect_lock:
            conn: Connection = self._carry_out(self._session.reconnect())
            return conn

    def _retry_dead(self) -> None:
        # without blocking on a busy lock: another thread is at it then
        if self._connect_lock.acquire(blocking=False):
            try:
                self._carry_out(self._session.retry_dead())
            finally:
                self._connect_lock.release()

    def _run(self, op: Union[Call, Operation]) -> Any:
        """Drive an operation over the connections; return its result."""
        session = self._session
        if session.retry_due():
            self._retry_dead()
        ex = session.exchange(op)
        req = ex.req
        while req is not None:
            conn = session.route(req) or self._reconnect()
            try:
                reply, header = conn.request(req, ex.request_id(conn, req))
            except BaseException as e:
                req = ex.failed(req, e)
            else:
                req = ex.replied(conn, req, reply, header)
        return ex.result

    # the pipelined driver: several operations in flight from one thread (the data
    # streamer's batches); each is started, then finished later, in any order

    def _start(self, op: Union[Call, Operation]) -> Tuple[Exchange, Any]:
        """Send the first request of an operation without waiting for its reply; give
        what :meth:`_finish` needs."""
        session = self._session
        if session.retry_due():
            self._retry_dead()
        ex = session.exchange(op)
        return ex, self._send_next(ex)

    def _send_next(self, ex: Exchange) -> Any:
        """Submit the operation's next request; None when the operation is over."""
        req = ex.req
        while req is not None:
            conn = self._session.route(req) or self._reconnect()
            try:
                return conn, req, conn.submit(req, ex.request_id(conn, req))
            except BaseException as e:
                req = ex.failed(req, e)
        return None

    def _finish(self, started: Tuple[Exchange, Any], clock_from_now: bool = False) -> Any:
        """Wait for an operation :meth:`_start` began to end; return its result.

        :param clock_from_now: the ``timeout`` of the request under way counts from now,
         not from when it was sent.
        """
        ex, sent = started
        while sent is not None:
            conn, req, ticket = sent
            try:
                reply, header = conn.collect(ticket, clock_from_now)
            except BaseException as e:
                ex.failed(req, e)
            else:
                ex.replied(conn, req, reply, header)
            sent = self._send_next(ex)
        return ex.result

    def _fan_out(self, plan: Operation) -> Any:
        """Run a multi-key operation (:mod:`pyignite._ops.multi_key`): plan it, send every
        part at once, then collect the replies; return its result."""
        fan = self._run(plan)
        calls = fan.calls
        if len(calls) == 1:
            return fan.result([self._run(calls[0])])
        started: List[Any] = []
        for call in calls:
            try:
                started.append(self._start(call))
            except Exception as e:
                started.append(e)
        outcomes: List[Any] = []
        for part in started:
            if isinstance(part, Exception):
                outcomes.append(part)
                continue
            try:
                outcomes.append(self._finish(part))
            except Exception as e:
                outcomes.append(e)
        return fan.result(outcomes)

    @property
    def random_node(self) -> Connection:
        """A random live connection (not a stable API)."""
        conn: Optional[Connection] = self._live_connection() if self._session.nodes else None
        if conn is None:
            raise ReconnectError('Can not connect.')
        return conn

    def _learn_compact_footer(self) -> bool:
        """The footer mode objects are written with, asked from the server if it is not
        known yet (:meth:`BinaryObject.hashcode <pyignite.datatypes.BinaryObject.hashcode>`)."""
        from ._ops import binary_types
        compact: bool = self._run(binary_types.compact_footer(self._session))
        return compact

    # --- caches ---------------------------------------------------------------------------

    def get_cache(self, settings: Union[str, Dict[int, Any]]) -> 'Cache':
        """A cache object for the named cache, without asking the server.

        :param settings: a cache name, or a dict with only PROP_NAME,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import get_cache
        return get_cache(self, settings)

    def create_cache(self, settings: Union[str, Dict[int, Any]]) -> 'Cache':
        """Create a cache; raise :class:`~pyignite.exceptions.CacheError` if it exists.

        :param settings: a cache name, or a dict of cache property codes and values,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import create_cache
        return create_cache(self, settings)

    def get_or_create_cache(self, settings: Union[str, Dict[int, Any]]) -> 'Cache':
        """Get a cache, creating it if it does not exist.

        :param settings: a cache name, or a dict of cache property codes and values,
        :return: :class:`~pyignite.cache.Cache`.
        """
        from .cache import get_or_create_cache
        return get_or_create_cache(self, settings)

    def get_cache_names(self) -> List[str]:
        """Names of the caches in the cluster.

        :return: a list of str.
        """
        names: List[str] = self._run(cache_admin.get_names(self._session))
        return names

    # --- binary types -----------------------------------------------------------------------

    def get_binary_type(self, binary_type: Union[str, int]) -> Dict[str, Any]:
        """Read a binary type's metadata from the server (OP_GET_BINARY_TYPE).

        :param binary_type: type name or id,
        :return: a dict: ``type_exists``, and when it does ``type_id``, ``type_name``,
         ``affinity_key_field``, ``is_enum``, ``schemas`` (a list of OrderedDicts of field
         name to type hint) and, for enums, ``enums``.
        """
        from ._ops import binary_types
        result: Dict[str, Any] = self._run(
            binary_types.get_binary_type(self._session, binary_type))
        return result

    def put_binary_type(self, type_name: str, affinity_key_field: Optional[str] = None,
                        is_enum: bool = False,
                        schema: Optional[Mapping[str, Any]] = None) -> Dict[str, int]:
        """Register binary type metadata on the server (OP_PUT_BINARY_TYPE), without
        touching the local registry.

        :param type_name: the type name,
        :param affinity_key_field: (optional) the affinity key field name,
        :param is_enum: (optional) register an enum type,
        :param schema: (optional) field name to type hint, or for an enum name to ordinal.
        """
        from ._ops import binary_types
        ids: Dict[str, int] = self._run(binary_types.put_binary_type(
            self._session, type_name, affinity_key_field, is_enum, schema))
        return ids

    def register_binary_type(self, data_class: 'GenericObjectMeta',
                             affinity_key_field: Optional[str] = None) -> None:
        """Register a complex object class, replacing any class generated for its type.

        :param data_class: a class built with :class:`~pyignite.binary.GenericObjectMeta`,
        :param affinity_key_field: (optional) the affinity key field name.
        """
        from ._ops import binary_types
        self._run(binary_types.register_binary_type(self._session, data_class,
                                                    affinity_key_field))

    def query_binary_type(self, binary_type: Union[int, str],
                          schema: Union[int, Mapping[str, Any], None] = None) -> Any:
        """Find the classes of a complex object type, fetching it from the server if needed.

        :param binary_type: type name or id,
        :param schema: (optional) a schema or schema id,
        :return: the class (or None) for the given schema, otherwise a dict of schema id
         to class.
        """
        from ._ops import binary_types
        return self._run(binary_types.query_binary_type(self._session, binary_type, schema))

    def unwrap_binary(self, value: Any) -> Any:
        """Turn wrapped binary data inside ``value`` into objects, recursively.

        :param value: anything,
        :return: the value with binary objects unwrapped.
        """
        from ._ops import binary_types
        return self._run(binary_types.unwrap_binary(self._session, value))

    # --- SQL, cluster, transactions ------------------------------------------------------------

    def sql(self, query_str: str, page_size: int = 1024,
            query_args: Optional[Iterable[Any]] = None, schema: Optional[str] = 'PUBLIC',
            statement_type: int = 0, distributed_joins: bool = False, local: bool = False,
            replicated_only: bool = False,
            enforce_join_order: bool = False, collocated: bool = False, lazy: bool = False,
            include_field_names: bool = False, max_rows: int = -1,
            timeout: Optional[int] = 0, cache: Union[int, str, 'BaseCache', None] = None,
            partitions: Optional[Iterable[int]] = None,
            update_batch_size: Optional[int] = None) -> 'SqlFieldsCursor':
        """Run an SQL query.

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
        :return: a :class:`~pyignite.cursors.SqlFieldsCursor` yielding rows as lists,
        :raises NotSupportedByClusterError: ``partitions`` or ``update_batch_size`` given
         to a server without the QRY_PARTITIONS_BATCH_SIZE feature (before sending).

        In a transaction of this thread or task (:meth:`tx_start`), the query runs inside
        it when the server offers transaction-aware queries (protocol feature
        TX_AWARE_QUERIES, which a server negotiates only when
        ``TransactionConfiguration.txAwareQueriesEnabled`` is set); otherwise it runs on
        its own, outside the transaction. See :ref:`sql-extras`.
        """
        from .cursors import SqlFieldsCursor
        return SqlFieldsCursor(self, query_str, page_size, query_args, schema, statement_type,
                               distributed_joins, local, replicated_only, enforce_join_order,
                               collocated, lazy, include_field_names, max_rows, timeout, cache,
                               partitions, update_batch_size)

    def data_streamer(self, cache: Union[str, int, 'BaseCache'], *,
                      allow_overwrite: bool = False, skip_store: bool = False,
                      per_node_buffer_size: int = 1024, per_node_parallel_operations: int = 4,
                      flush_interval: Optional[float] = None,
                      receiver: Any = None) -> 'DataStreamer':
        """A data streamer loading entries into ``cache`` in batches, per node (see
        :mod:`pyignite.data_streamer`); use it as a context manager.

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
        :return: :class:`~pyignite.data_streamer.DataStreamer`,
        :raises ParameterError: a bad option.
        """
        from .data_streamer import DataStreamer
        return DataStreamer(self, cache, allow_overwrite, skip_store, per_node_buffer_size,
                            per_node_parallel_operations, flush_interval, receiver)

    def atomic_long(
            self, name: str, initial: int = 0, create: bool = True, *,
            config: Optional['AtomicConfiguration'] = None) -> Optional['AtomicLong']:
        """A distributed AtomicLong (see :mod:`pyignite.atomic_long`).

        :param name: its name,
        :param initial: (optional) its value if it is created, 0 by default,
        :param create: (optional) create it if it does not exist (True by default); with
         False, None is returned for a missing one,
        :param config: (optional) an :class:`~pyignite.datatypes.structures.AtomicConfiguration`:
         where it lives if it is created (its ``group_name`` also names the group to look
         it up in),
        :return: :class:`~pyignite.atomic_long.AtomicLong`, or None,
        :raises ParameterError: a bad name, value or configuration,
        :raises NotSupportedByClusterError: the server has no AtomicLong (Ignite < 2.14).
        """
        from ._ops import atomic_long as ops
        from .atomic_long import AtomicLong
        found = self._run(ops.get_or_create(self._session, name, initial, create, config))
        return AtomicLong(self, name, config.group_name if config else None) if found else None

    def ignite_set(
            self, name: str, *,
            config: Optional['CollectionConfiguration'] = None) -> 'IgniteSet':
        """A distributed set, created if it does not exist (see :mod:`pyignite.ignite_set`).

        :param name: its name,
        :param config: (optional) a
         :class:`~pyignite.datatypes.structures.CollectionConfiguration`: where it lives
         and whether it is colocated, if it is created,
        :return: :class:`~pyignite.ignite_set.IgniteSet`,
        :raises ParameterError: a bad name or configuration,
        :raises NotSupportedByClusterError: the server has no IgniteSet (Ignite < 2.14).
        """
        from ._ops import ignite_set as ops
        from .ignite_set import IgniteSet
        ref = self._run(ops.get_or_create(self._session, name, True, config))
        return IgniteSet(self, ref)

    def get_cluster(self) -> 'Cluster':
        """The cluster facade: state and activation.

        :return: :class:`~pyignite.cluster.Cluster`.
        """
        from .cluster import Cluster
        return Cluster(self)

    def compute(self, group: Optional['ClusterGroup'] = None) -> 'Compute':
        """Run compute tasks (Java ``ComputeTask`` classes deployed on the server).

        :param group: (optional) a cluster group of this client (``get_cluster()`` and its
         projections): the tasks' jobs run on its nodes only; every server node by default,
        :return: :class:`~pyignite.compute.Compute`,
        :raises ParameterError: ``group`` is not a group of this client.
        """
        from .compute import Compute
        return Compute(self, group)

    def services(self, group: Optional['ClusterGroup'] = None) -> 'Services':
        """Call the services deployed in the cluster.

        :param group: (optional) a cluster group of this client: calls go to the service
         instances on its nodes only; any node by default,
        :return: :class:`~pyignite.services.Services`,
        :raises ParameterError: ``group`` is not a group of this client.
        """
        from .services import Services
        return Services(self, group)

    def tx_start(self, concurrency: Union['TransactionConcurrency', int, None] = None,
                 isolation: Union['TransactionIsolation', int, None] = None, timeout: int = 0,
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
        self._run(register_cache(self._session, cache_id))

    def get_best_node(self, cache: Union[int, str, 'BaseCache'], key: Any = None,
                      key_hint: Optional['Hint'] = None) -> Connection:
        """The connection that most probably holds ``key`` (not a stable API).

        :param cache: cache object, name or id,
        :param key: (optional) the key,
        :param key_hint: (optional) the key's type hint,
        :return: a connection.
        """
        from ._ops.affinity import best_node
        conn: Connection = self._run(best_node(self._session, cache, key, key_hint))
        return conn
