"""Caches: named key-value stores of an Ignite cluster.

Get a :class:`Cache` from :meth:`Client.get_cache`, :meth:`Client.create_cache`
or :meth:`Client.get_or_create_cache` rather than building one.
"""
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Union

from ._ops import cache_admin, query
from ._base_cache import CONTINUOUS_QUERY_DOC, BaseCache, CacheAPI
from ._facade import Blocking, documented
from .cursors import IndexQueryCursor, ParallelScanCursor, ScanCursor

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .continuous_query import ContinuousQuery, Disconnect, InitialQuery, Listener
    from .cursors import SqlCursor

__all__ = ['BaseCache', 'Cache', 'create_cache', 'get_cache', 'get_or_create_cache']


class Cache(CacheAPI[ScanCursor, ParallelScanCursor, IndexQueryCursor], Blocking):
    """An Ignite cache reached through a sync :class:`~pyignite.client.Client`.

    :param client: the client,
    :param name: the cache name,
    :param expiry_policy: (optional) expiry policy for every operation.
    """

    @property
    def settings(self) -> Dict[int, Any]:
        """The cache configuration, read from the server once and kept.

        :return: a dict of cache property codes and values.
        """
        settings = self._settings
        if settings is None:
            settings = self._run(self._read_settings())
        return settings

    def _parallel_scan(self, page_size: int) -> Optional[ParallelScanCursor]:
        lanes = self._run(query.scan_lanes(self._session, self))
        return None if lanes is None else ParallelScanCursor(self._client, self, page_size, lanes)

    @documented(CONTINUOUS_QUERY_DOC)
    def continuous_query(self, listener: 'Listener', *, remote_filter: Any = None,
                         initial_query: Optional['InitialQuery'] = None, buffer_size: int = 1,
                         time_interval: int = 0, include_expired: bool = False,
                         on_disconnect: Optional['Disconnect'] = None) -> 'ContinuousQuery':
        from .continuous_query import ContinuousQuery
        query = ContinuousQuery(self, listener, on_disconnect)
        query._open(initial_query, buffer_size, time_interval, include_expired, remote_filter)
        return query

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
    """:meth:`Client.get_cache() <pyignite.client.Client.get_cache>` as a function."""
    return Cache(client, cache_admin.name_only(settings))


def create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> Cache:
    """:meth:`Client.create_cache() <pyignite.client.Client.create_cache>` as a function."""
    return Cache(client, client._run(cache_admin.create(client._session, settings, True)))


def get_or_create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> Cache:
    """:meth:`Client.get_or_create_cache() <pyignite.client.Client.get_or_create_cache>` as a
    function."""
    return Cache(client, client._run(cache_admin.create(client._session, settings, False)))
