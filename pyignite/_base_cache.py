"""What the sync and the async cache objects share: what every cache is
(:class:`BaseCache`), and the methods of the public API, written once (:class:`CacheAPI`).
"""
from datetime import timedelta
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Generator, Generic, Iterable, Mapping, Optional,
    TypeVar, Union,
)

from ._codec import ids as _ids
from ._facade import Op, multi_key_operation, operation, type_arguments
from ._ops import cache_admin, invoke as inv, key_value as kv, multi_key, query
from ._protocol.request import Request, Response
from ._protocol.wire import REQUEST_HEADER_SIZE
from ._protocol.request import cache_header
from .datatypes.base import Hint
from .datatypes.expiry_policy import ExpiryPolicy
from .exceptions import NotSupportedByClusterError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .index_query import IndexQueryCriterion

__all__ = ['BaseCache', 'CacheAPI', 'CONTINUOUS_QUERY_DOC']

_SomeCache = TypeVar('_SomeCache', bound='BaseCache')
# the cursors of the sync or the async API: scan, parallel scan, index query
_Scan = TypeVar('_Scan')
_ParallelScan = TypeVar('_ParallelScan')
_IndexQuery = TypeVar('_IndexQuery')


class BaseCache:
    """What every cache is: the name, the id and the expiry policy.

    :param client: the client the cache is reached through,
    :param name: the cache name,
    :param expiry_policy: (optional) the expiry policy applied to every operation.
    """

    def __init__(self, client: 'BaseClient', name: str,
                 expiry_policy: Optional[ExpiryPolicy] = None) -> None:
        if not isinstance(name, str) or not name:
            raise ParameterError('a cache name must be a non-empty string')
        self._client = client
        self._session = client._session
        self._name = name
        self._cache_id = _ids.cache_id(name)
        self._expiry_policy = expiry_policy
        self._header = cache_header(self._cache_id, expiry_policy)
        self._frame_prefix = bytes(REQUEST_HEADER_SIZE) + self._header
        self._settings: Optional[Dict[int, Any]] = None
        # the client's drivers, kept at hand: the cache's operations run through them
        self._run = client._run
        self._fan_out = client._fan_out

    @property
    def name(self) -> str:
        """:return: the cache name."""
        return self._name

    @property
    def cache_id(self) -> int:
        """The cache id: the Java hash code of its name.

        :return: int.
        """
        return self._cache_id

    @property
    def client(self) -> 'BaseClient':
        """:return: the client the cache is reached through."""
        return self._client

    @property
    def expiry_policy(self) -> Optional[ExpiryPolicy]:
        """:return: the expiry policy applied to every operation, or None."""
        return self._expiry_policy

    def with_expire_policy(self: _SomeCache, expiry_policy: Optional[ExpiryPolicy] = None,
                           create: Union[int, timedelta] = ExpiryPolicy.UNCHANGED,
                           update: Union[int, timedelta] = ExpiryPolicy.UNCHANGED,
                           access: Union[int, timedelta] = ExpiryPolicy.UNCHANGED) -> _SomeCache:
        """A view of this cache whose operations apply an expiry policy.

        :param expiry_policy: an :class:`ExpiryPolicy`, or build one from the durations,
        :param create: time to live after creation, ms or timedelta,
        :param update: time to live after an update, ms or timedelta,
        :param access: time to live after a read, ms or timedelta,
        :return: a new cache object of the same class.
        """
        ctx = self._client.protocol_context
        if ctx is not None and not ctx.is_expiry_policy_supported():
            raise NotSupportedByClusterError('expiry policies need protocol 1.6.0 or newer')
        if expiry_policy is None:
            expiry_policy = ExpiryPolicy(create=create, update=update, access=access)
        return type(self)(self._client, self._name, expiry_policy)

    def __repr__(self) -> str:
        return '{}(name={!r})'.format(type(self).__name__, self._name)


class CacheAPI(BaseCache, Generic[_Scan, _ParallelScan, _IndexQuery]):
    """The methods of :class:`~pyignite.cache.Cache` and :class:`~pyignite.aio_cache.AioCache`
    that mean the same on both: each :func:`~pyignite._facade.operation` becomes a blocking
    method of the one and a coroutine method of the other; the cursor classes are the
    API's own (its type arguments).
    """

    _scan_cursor: Callable[..., _Scan]
    _index_query_cursor: Callable[..., _IndexQuery]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the type arguments of a cache's API are the cursor classes it hands out
        cls._scan_cursor, _, cls._index_query_cursor = type_arguments(cls, CacheAPI)

    def _parallel_scan(self, page_size: int) -> Optional[_ParallelScan]:
        """The cursor of a parallel scan, or None when it must be an ordinary one."""
        raise NotImplementedError

    def _read_settings(self) -> Generator[Request, Response, Dict[int, Any]]:
        """Read the cache configuration from the server, once."""
        if self._settings is None:
            from ._ops import cache_config
            self._settings = yield from cache_config.get_settings(self._session, self)
        return self._settings

    @operation
    def destroy(self) -> Op[None]:
        """Destroy the cache and all its data."""
        return cache_admin.destroy(self._session, self)

    @operation
    def get(self, key: Any, key_hint: Optional[Hint] = None) -> Op[Any]:
        """Read the value of a key.

        :param key: the key, of any supported type,
        :param key_hint: (optional) the Ignite type to write the key as,
        :return: the value, or None when the key is absent.
        """
        return kv.get(self._session, self, key, key_hint)

    @operation
    def put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
            value_hint: Optional[Hint] = None) -> Op[None]:
        """Write a value, replacing the previous one if any.

        :param key: the key,
        :param value: the value,
        :param key_hint: (optional) the Ignite type to write the key as,
        :param value_hint: (optional) the Ignite type to write the value as.
        """
        return kv.put(self._session, self, key, value, key_hint, value_hint)

    @operation
    def invoke(self, key: Any, processor: Any, *args: Any) -> Op[Any]:
        """Run an entry processor on the entry of ``key``, atomically, on the node that
        holds it.

        :param key: the key, or a ``(key, hint)`` tuple,
        :param processor: a complex object (an instance of a
         :class:`~pyignite.binary.GenericObjectMeta` class) whose type name is a Java class
         deployed on the server nodes that implements ``javax.cache.processor.EntryProcessor``
         (its fields are the object's),
        :param args: the arguments handed to the processor's ``process`` method,
        :return: what the processor returned,
        :raises EntryProcessorError: the processor threw (the server's message), or the
         server could not run it,
        :raises NotSupportedByClusterError: the server has no thin-client invoke (before
         Ignite 2.17).
        """
        return inv.invoke(self._session, self, key, processor, args)

    @operation
    def invoke_all(self, keys: Iterable[Any], processor: Any, *args: Any) -> Op[Dict[Any, Any]]:
        """Run an entry processor on the entries of ``keys``, each atomically.

        :param keys: keys, or ``(key, hint)`` tuples,
        :param processor: as :meth:`invoke`'s,
        :param args: the arguments handed to the processor's ``process`` method,
        :return: a dict of the keys whose processor returned something other than None
         and what it returned,
        :raises EntryProcessorError: the processor threw for some keys: its ``errors``
         holds the server's message for each, its ``results`` what the others returned,
        :raises NotSupportedByClusterError: the server has no thin-client invoke.
        """
        return inv.invoke_all(self._session, self, keys, processor, args)

    @multi_key_operation
    def get_all(self, keys: Iterable[Any]) -> Op[Dict[Any, Any]]:
        """Read several keys at once.

        :param keys: keys, or ``(key, key_hint)`` tuples,
        :return: a dict of the keys found and their values.
        """
        return multi_key.get_all(self._session, self, keys)

    @multi_key_operation
    def put_all(self, pairs: Mapping[Any, Any]) -> Op[None]:
        """Write several key-value pairs at once.

        :param pairs: a dict; keys and values may be ``(item, hint)`` tuples.
        """
        return multi_key.put_all(self._session, self, pairs)

    @operation
    def replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the key exists.

        :return: True if the value was replaced.
        """
        return kv.replace(self._session, self, key, value, key_hint, value_hint)

    @multi_key_operation
    def clear(self, keys: Optional[Iterable[Any]] = None) -> Op[None]:
        """Clear the cache, or the given keys, without notifying listeners or writers.

        :param keys: (optional) keys or ``(key, key_hint)`` tuples; all keys by default.
        """
        return multi_key.clear(self._session, self, keys)

    @operation
    def clear_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[None]:
        """Clear one key without notifying listeners or writers."""
        return kv.clear_key(self._session, self, key, key_hint)

    @multi_key_operation
    def clear_keys(self, keys: Iterable[Any]) -> Op[None]:
        """Clear keys without notifying listeners or writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        return multi_key.clear_keys(self._session, self, keys)

    @operation
    def contains_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[bool]:
        """:return: True if the key is in the cache."""
        return kv.contains_key(self._session, self, key, key_hint)

    @multi_key_operation
    def contains_keys(self, keys: Iterable[Any]) -> Op[bool]:
        """:return: True if all the keys are in the cache."""
        return multi_key.contains_keys(self._session, self, keys)

    @operation
    def get_and_put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                    value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value and return the previous one.

        :return: the old value or None.
        """
        return kv.get_and_put(self._session, self, key, value, key_hint, value_hint)

    @operation
    def get_and_put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                              value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value only if the key is absent.

        :return: the existing value, or None if the new one was written.
        """
        return kv.get_and_put_if_absent(self._session, self, key, value, key_hint, value_hint)

    @operation
    def put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                      value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the key is absent.

        :return: True if the value was written.
        """
        return kv.put_if_absent(self._session, self, key, value, key_hint, value_hint)

    @operation
    def get_and_remove(self, key: Any, key_hint: Optional[Hint] = None) -> Op[Any]:
        """Remove a key and return its value.

        :return: the old value or None.
        """
        return kv.get_and_remove(self._session, self, key, key_hint)

    @operation
    def get_and_replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                        value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value only if the key exists, returning the previous one.

        :return: the old value or None.
        """
        return kv.get_and_replace(self._session, self, key, value, key_hint, value_hint)

    @operation
    def remove_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[bool]:
        """Remove a key, notifying listeners and writers.

        :return: True if the key was there.
        """
        return kv.remove_key(self._session, self, key, key_hint)

    @multi_key_operation
    def remove_keys(self, keys: Iterable[Any]) -> Op[None]:
        """Remove keys, notifying listeners and writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        return multi_key.remove_keys(self._session, self, keys)

    @operation
    def remove_all(self) -> Op[None]:
        """Remove every entry, notifying listeners and writers."""
        return kv.remove_all(self._session, self)

    @operation
    def remove_if_equals(self, key: Any, sample: Any, key_hint: Optional[Hint] = None,
                         sample_hint: Optional[Hint] = None) -> Op[bool]:
        """Remove a key if its value equals ``sample``.

        :return: True if the entry was removed.
        """
        return kv.remove_if_equals(self._session, self, key, sample, key_hint, sample_hint)

    @operation
    def replace_if_equals(self, key: Any, sample: Any, value: Any, key_hint: Optional[Hint] = None,
                          sample_hint: Optional[Hint] = None,
                          value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the current one equals ``sample``.

        :return: True if the value was replaced.
        """
        return kv.replace_if_equals(self._session, self, key, sample, value, key_hint,
                                    sample_hint, value_hint)

    @operation
    def get_size(self, peek_modes: Union[int, Iterable[int], None] = None) -> Op[int]:
        """Count the entries.

        :param peek_modes: (optional) a :class:`~pyignite.datatypes.key_value.PeekModes`
         value or a list of them; primary copies by default,
        :return: the number of entries.
        """
        return kv.get_size(self._session, self, peek_modes)

    def scan(self, page_size: int = 1, partitions: int = -1, local: bool = False,
             filter: Any = None, parallel: bool = False) -> Union[_Scan, _ParallelScan]:
        """Iterate over all entries, a page at a time (with ``async with`` and ``async for``
        on an :class:`~pyignite.aio_cache.AioCache`).

        :param page_size: (optional) entries per server round trip, 1 by default,
        :param partitions: (optional) the partition to scan; negative (default) for all,
        :param local: (optional) scan only what the node the query runs on holds: the
         connected node, or with ``partitions`` on a partition-aware client, that
         partition's primary node,
        :param filter: (optional) only the entries this predicate passes come back: a
         complex object (an instance of a :class:`~pyignite.binary.GenericObjectMeta` class)
         whose type name is a Java class deployed on the server nodes that implements
         ``org.apache.ignite.lang.IgniteBiPredicate`` (its fields are the object's),
        :param parallel: (optional) on a partition-aware client, scan every node's
         primary partitions at once, each partition on its primary node (a
         :class:`~pyignite.cursors.ParallelScanCursor`, or an
         :class:`~pyignite.cursors.AioParallelScanCursor` that hands out pages as they
         arrive); without a partition map of the cache it is an ordinary scan. Not with
         ``partitions`` or ``local``,
        :return: a :class:`~pyignite.cursors.ScanCursor` (an
         :class:`~pyignite.cursors.AioScanCursor`) yielding ``(key, value)`` tuples.
        """
        if parallel:
            query.check_parallel(page_size, partitions, local, filter)
            cursor = self._parallel_scan(page_size)
            if cursor is not None:
                return cursor
        return self._scan_cursor(self._client, self, page_size, partitions, local, filter)

    def index_query(self, value_type: str, *, index_name: Optional[str] = None,
                    criteria: Iterable['IndexQueryCriterion'] = (), limit: Optional[int] = None,
                    page_size: int = 1024, partition: Optional[int] = None,
                    local: bool = False) -> _IndexQuery:
        """Iterate over the entries of ``value_type`` through a sorted index, a page at a
        time, keeping those that match ``criteria`` (as Java's ``IndexQuery``).

        :param value_type: the value type (the Java class or ``VALUE_TYPE`` name) whose
         index to use,
        :param index_name: (optional) the index; by default the server picks one that
         fits the criteria,
        :param criteria: (optional) criteria made with :mod:`pyignite.index_query`
         (``eq``, ``lt``, ``between``, ``in_``, ...), all of which must hold; none for
         every entry,
        :param limit: (optional) at most this many entries, None (default) for all,
        :param page_size: (optional) entries per server round trip, 1024 by default,
        :param partition: (optional) query this partition only (on a partition-aware
         client, at its primary node),
        :param local: (optional) query only what the node the query runs on holds,
        :raises NotSupportedByClusterError: the server does not offer index queries
         (Ignite before 2.12),
        :return: an :class:`~pyignite.cursors.IndexQueryCursor` (an
         :class:`~pyignite.cursors.AioIndexQueryCursor`, whose query runs when it is awaited
         or first iterated) yielding ``(key, value)`` tuples in index order.
        """
        return self._index_query_cursor(self._client, self, value_type, index_name, criteria,
                                        limit, page_size, partition, local)


#: the documentation of ``continuous_query``, whose sync and async forms differ in their
#: parameters (the async listener is optional, and a timeout applies)
CONTINUOUS_QUERY_DOC = """Listen to the changes of the cache: the server pushes them as they happen.

:param listener: called with each batch of events, a list of
 :class:`~pyignite.continuous_query.CacheEntryEvent` in the order the server sent them, one
 batch at a time, from a thread the client owns (of an asyncio client: from a task, and
 awaited if it is a coroutine function). Optional on an
 :class:`~pyignite.aio_cache.AioCache`: without it the query is an async iterator of the
 events,
:param remote_filter: (optional) a complex object (an instance of a
 :class:`~pyignite.binary.GenericObjectMeta` class) whose type name is a Java class
 deployed on the server nodes that implements ``javax.cache.configuration.Factory``
 of a ``CacheEntryEventFilter``; its fields are the factory's. Only the events it
 passes are sent,
:param initial_query: (optional) a :class:`~pyignite.continuous_query.ScanQuery` or
 :class:`~pyignite.continuous_query.SqlFieldsQuery`, run after the query is
 registered: its cursor is the handle's ``initial``, and every change after it
 started comes as an event (a change may show in both),
:param buffer_size: (optional) the server sends events in batches of this many, 1
 by default,
:param time_interval: (optional) milliseconds after which the server sends a batch
 that is not full; 0 (default): only full batches,
:param include_expired: (optional) deliver EXPIRED events too (False by default),
:param on_disconnect: (optional) called once with the error if the connection that
 carries the query is lost (by an asyncio client: awaited if a coroutine function); the
 query is closed then, and the events until a new one is opened are lost,
:return: a :class:`~pyignite.continuous_query.ContinuousQuery`, a context manager (of an
 :class:`~pyignite.aio_cache.AioCache`: an
 :class:`~pyignite.continuous_query.AioContinuousQuery`, an async context manager); close
 it when done,
:raises ParameterError: a parameter is invalid,
:raises CacheError: the server refused the query (an unknown filter class...).
"""
