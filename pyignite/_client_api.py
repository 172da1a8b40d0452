"""The methods of the public client API, written once for the sync and the async client
(:class:`ClientAPI`): each runs an operation of :mod:`pyignite._ops` or makes an object of
the API's own classes.
"""
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Generator, Generic, Iterable, List, Mapping, Optional,
    TypeVar, Union,
)

from ._base_client import BaseClient
from ._facade import Op, documented, operation, type_arguments
from ._ops import cache_admin
from ._ops.common import Operation
from ._protocol.request import Request, Response
from .transaction import TX_PARAMETERS_DOC

if TYPE_CHECKING:  # pragma: no cover
    from .binary import GenericObjectMeta
    from ._base_cache import BaseCache
    from .datatypes.base import Hint
    from .datatypes.structures import AtomicConfiguration, CollectionConfiguration
    from .datatypes.transactions import TransactionConcurrency, TransactionIsolation

__all__ = ['ClientAPI']


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
