"""Caches: named key-value stores of an Ignite cluster.

Get a :class:`Cache` from :meth:`Client.get_cache`, :meth:`Client.create_cache`
or :meth:`Client.get_or_create_cache` rather than building one.
"""
from typing import TYPE_CHECKING, Any, Dict, Iterable, Mapping, Optional, Union

from ._ops import cache_admin, invoke as inv, key_value as kv, multi_key, query
from ._base_cache import BaseCache
from .datatypes.base import Hint
from .datatypes.expiry_policy import ExpiryPolicy

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .continuous_query import ContinuousQuery, Disconnect, InitialQuery, Listener
    from .cursors import IndexQueryCursor, ParallelScanCursor, ScanCursor, SqlCursor
    from .index_query import IndexQueryCriterion

__all__ = ['BaseCache', 'Cache', 'create_cache', 'get_cache', 'get_or_create_cache']


class Cache(BaseCache):
    """An Ignite cache reached through a sync :class:`~pyignite.client.Client`.

    :param client: the client,
    :param name: the cache name,
    :param expiry_policy: (optional) expiry policy for every operation.
    """

    _client: 'BaseClient'

    def __init__(self, client: 'BaseClient', name: str,
                 expiry_policy: Optional[ExpiryPolicy] = None) -> None:
        super().__init__(client, name, expiry_policy)

    def destroy(self) -> None:
        """Destroy the cache and all its data."""
        self._client._run(cache_admin.destroy(self._session, self))

    def get(self, key: Any, key_hint: Optional[Hint] = None) -> Any:
        """Read the value of a key.

        :param key: the key, of any supported type,
        :param key_hint: (optional) the Ignite type to write the key as,
        :return: the value, or None when the key is absent.
        """
        return self._client._run(kv.get(self._session, self, key, key_hint))

    def put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
            value_hint: Optional[Hint] = None) -> None:
        """Write a value, replacing the previous one if any.

        :param key: the key,
        :param value: the value,
        :param key_hint: (optional) the Ignite type to write the key as,
        :param value_hint: (optional) the Ignite type to write the value as.
        """
        self._client._run(kv.put(self._session, self, key, value, key_hint, value_hint))

    def invoke(self, key: Any, processor: Any, *args: Any) -> Any:
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
        return self._client._run(inv.invoke(self._session, self, key, processor, args))

    def invoke_all(self, keys: Iterable[Any], processor: Any, *args: Any) -> Dict[Any, Any]:
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
        results: Dict[Any, Any] = self._client._run(inv.invoke_all(
            self._session, self, keys, processor, args))
        return results

    def get_all(self, keys: Iterable[Any]) -> Dict[Any, Any]:
        """Read several keys at once.

        :param keys: keys, or ``(key, key_hint)`` tuples,
        :return: a dict of the keys found and their values.
        """
        values: Dict[Any, Any] = self._client._fan_out(multi_key.get_all(self._session, self, keys))
        return values

    def put_all(self, pairs: Mapping[Any, Any]) -> None:
        """Write several key-value pairs at once.

        :param pairs: a dict; keys and values may be ``(item, hint)`` tuples.
        """
        self._client._fan_out(multi_key.put_all(self._session, self, pairs))

    def replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                value_hint: Optional[Hint] = None) -> bool:
        """Write a value only if the key exists.

        :return: True if the value was replaced.
        """
        replaced: bool = self._client._run(kv.replace(self._session, self, key, value,
                                                      key_hint, value_hint))
        return replaced

    def clear(self, keys: Optional[Iterable[Any]] = None) -> None:
        """Clear the cache, or the given keys, without notifying listeners or writers.

        :param keys: (optional) keys or ``(key, key_hint)`` tuples; all keys by default.
        """
        self._client._fan_out(multi_key.clear(self._session, self, keys))

    def clear_key(self, key: Any, key_hint: Optional[Hint] = None) -> None:
        """Clear one key without notifying listeners or writers."""
        self._client._run(kv.clear_key(self._session, self, key, key_hint))

    def clear_keys(self, keys: Iterable[Any]) -> None:
        """Clear keys without notifying listeners or writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        self._client._fan_out(multi_key.clear_keys(self._session, self, keys))

    def contains_key(self, key: Any, key_hint: Optional[Hint] = None) -> bool:
        """:return: True if the key is in the cache."""
        found: bool = self._client._run(kv.contains_key(self._session, self, key, key_hint))
        return found

    def contains_keys(self, keys: Iterable[Any]) -> bool:
        """:return: True if all the keys are in the cache."""
        found: bool = self._client._fan_out(multi_key.contains_keys(self._session, self, keys))
        return found

    def get_and_put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                    value_hint: Optional[Hint] = None) -> Any:
        """Write a value and return the previous one.

        :return: the old value or None.
        """
        return self._client._run(kv.get_and_put(self._session, self, key, value, key_hint,
                                                value_hint))

    def get_and_put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                              value_hint: Optional[Hint] = None) -> Any:
        """Write a value only if the key is absent.

        :return: the existing value, or None if the new one was written.
        """
        return self._client._run(kv.get_and_put_if_absent(self._session, self, key, value,
                                                          key_hint, value_hint))

    def put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                      value_hint: Optional[Hint] = None) -> bool:
        """Write a value only if the key is absent.

        :return: True if the value was written.
        """
        written: bool = self._client._run(kv.put_if_absent(self._session, self, key, value,
                                                           key_hint, value_hint))
        return written

    def get_and_remove(self, key: Any, key_hint: Optional[Hint] = None) -> Any:
        """Remove a key and return its value.

        :return: the old value or None.
        """
        return self._client._run(kv.get_and_remove(self._session, self, key, key_hint))

    def get_and_replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                        value_hint: Optional[Hint] = None) -> Any:
        """Write a value only if the key exists, returning the previous one.

        :return: the old value or None.
        """
        return self._client._run(kv.get_and_replace(self._session, self, key, value,
                                                    key_hint, value_hint))

    def remove_key(self, key: Any, key_hint: Optional[Hint] = None) -> bool:
        """Remove a key, notifying listeners and writers.

        :return: True if the key was there.
        """
        removed: bool = self._client._run(kv.remove_key(self._session, self, key, key_hint))
        return removed

    def remove_keys(self, keys: Iterable[Any]) -> None:
        """Remove keys, notifying listeners and writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        self._client._fan_out(multi_key.remove_keys(self._session, self, keys))

    def remove_all(self) -> None:
        """Remove every entry, notifying listeners and writers."""
        self._client._run(kv.remove_all(self._session, self))

    def remove_if_equals(self, key: Any, sample: Any, key_hint: Optional[Hint] = None,
                         sample_hint: Optional[Hint] = None) -> bool:
        """Remove a key if its value equals ``sample``.

        :return: True if the entry was removed.
        """
        removed: bool = self._client._run(kv.remove_if_equals(self._session, self, key, sample,
                                                              key_hint, sample_hint))
        return removed

    def replace_if_equals(self, key: Any, sample: Any, value: Any, key_hint: Optional[Hint] = None,
                          sample_hint: Optional[Hint] = None,
                          value_hint: Optional[Hint] = None) -> bool:
        """Write a value only if the current one equals ``sample``.

        :return: True if the value was replaced.
        """
        replaced: bool = self._client._run(kv.replace_if_equals(
            self._session, self, key, sample, value, key_hint, sample_hint, value_hint))
        return replaced

    def get_size(self, peek_modes: Union[int, Iterable[int], None] = None) -> int:
        """Count the entries.

        :param peek_modes: (optional) a :class:`~pyignite.datatypes.key_value.PeekModes`
         value or a list of them; primary copies by default,
        :return: the number of entries.
        """
        size: int = self._client._run(kv.get_size(self._session, self, peek_modes))
        return size

    @property
    def settings(self) -> Dict[int, Any]:
        """The cache configuration, read from the server once and kept.

        :return: a dict of cache property codes and values.
        """
        settings = self._settings
        if settings is None:
            from ._ops import cache_config
            settings = self._settings = self._client._run(
                cache_config.get_settings(self._session, self))
        return settings

    def scan(self, page_size: int = 1, partitions: int = -1, local: bool = False,
             filter: Any = None, parallel: bool = False,
             ) -> Union['ScanCursor', 'ParallelScanCursor']:
        """Iterate over all entries, a page at a time.

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
         :class:`~pyignite.cursors.ParallelScanCursor`); without a partition map of the
         cache it is an ordinary scan. Not with ``partitions`` or ``local``,
        :return: a :class:`~pyignite.cursors.ScanCursor` yielding ``(key, value)`` tuples.
        """
        from .cursors import ParallelScanCursor, ScanCursor
        if parallel:
            query.check_parallel(page_size, partitions, local, filter)
            lanes = self._client._run(query.scan_lanes(self._session, self))
            if lanes is not None:
                return ParallelScanCursor(self._client, self, page_size, lanes)
        return ScanCursor(self._client, self, page_size, partitions, local, filter)

    def continuous_query(self, listener: 'Listener', *, remote_filter: Any = None,
                         initial_query: Optional['InitialQuery'] = None, buffer_size: int = 1,
                         time_interval: int = 0, include_expired: bool = False,
                         on_disconnect: Optional['Disconnect'] = None) -> 'ContinuousQuery':
        """Listen to the changes of the cache: the server pushes them as they happen.

        :param listener: called with each batch of events, a list of
         :class:`~pyignite.continuous_query.CacheEntryEvent` in the order the server sent
         them, from a thread the client owns (one batch at a time),
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
        :param on_disconnect: (optional) called once with the error if the connection
         that carries the query is lost; the query is closed then, and the events until a
         new one is opened are lost,
        :return: a :class:`~pyignite.continuous_query.ContinuousQuery`, a context
         manager; close it when done,
        :raises ParameterError: a parameter is invalid,
        :raises CacheError: the server refused the query (an unknown filter class...).
        """
        from .continuous_query import ContinuousQuery
        query = ContinuousQuery(self, listener, on_disconnect)
        query._open(initial_query, buffer_size, time_interval, include_expired, remote_filter)
        return query

    def index_query(self, value_type: str, *, index_name: Optional[str] = None,
                    criteria: Iterable['IndexQueryCriterion'] = (), limit: Optional[int] = None,
                    page_size: int = 1024, partition: Optional[int] = None,
                    local: bool = False) -> 'IndexQueryCursor':
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
        :return: an :class:`~pyignite.cursors.IndexQueryCursor` yielding ``(key, value)``
         tuples in index order.
        """
        from .cursors import IndexQueryCursor
        return IndexQueryCursor(self._client, self, value_type, index_name, criteria,
                                limit, page_size, partition, local)

    def select_row(self, query_str: str, page_size: int = 1,
                   query_args: Optional[Iterable[Any]] = None,
                   distributed_joins: bool = False, replicated_only: bool = False,
                   local: bool = False, timeout: int = 0) -> 'SqlCursor':
        """Run an SQL query over the cache's value type, returning whole entries.

        The server runs it with the H2 engine (``ignite-indexing``): a node with only the
        Calcite engine (Ignite 2.18's default) refuses it with a
        :class:`~pyignite.exceptions.SQLError`.

        :param query_str: the WHERE part (or a full query) over the cache's table,
        :param page_size: (optional) rows per server round trip, 1 by default,
        :param query_args: (optional) query arguments,
        :param distributed_joins: (optional) allow distributed joins,
        :param replicated_only: (optional) the query touches replicated tables only,
        :param local: (optional) run on the connected node only,
        :param timeout: (optional) server-side timeout in ms, 0 (default) for none,
        :return: a :class:`~pyignite.cursors.SqlCursor` yielding ``(key, value)`` tuples.
        """
        from .cursors import SqlCursor
        return SqlCursor(self._client, self, query_str, page_size, query_args,
                         distributed_joins, replicated_only, local, timeout)


def get_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> Cache:
    """A cache object for the named cache, without asking the server.

    :param client: a :class:`~pyignite.client.Client`,
    :param settings: a cache name, or a dict with only PROP_NAME.
    """
    return Cache(client, cache_admin.name_only(settings))


def create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> Cache:
    """Create a cache; raise :class:`~pyignite.exceptions.CacheError` if it exists."""
    name = client._run(cache_admin.create(client._session, settings, True))
    return Cache(client, name)


def get_or_create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> Cache:
    """Get a cache, creating it if needed."""
    name = client._run(cache_admin.create(client._session, settings, False))
    return Cache(client, name)
