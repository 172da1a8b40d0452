"""Caches reached through the asyncio client.

:class:`AioCache` has every method of :class:`~pyignite.cache.Cache` as a
coroutine, built over the same operation generators. Each of those coroutines
also takes a keyword-only ``timeout`` (seconds, checked on the client side)::

    value = await cache.get('key', timeout=0.5)

Over the limit the call raises ``TimeoutError`` (an :class:`OSError`, also an
:class:`asyncio.TimeoutError`); its request is abandoned, and a reply that comes
later is dropped, so the connection stays usable. The server is not told: it may
still carry out a write that timed out on the client.
"""
from typing import TYPE_CHECKING, Any, Dict, Generator, Optional, Union

from ._ops import cache_admin
from ._protocol.request import Request, Response
from ._base_cache import CONTINUOUS_QUERY_DOC, CacheAPI
from ._facade import TimedCoroutines, deadline, documented, operation
from .cursors import AioIndexQueryCursor, AioParallelScanCursor, AioScanCursor

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .continuous_query import AioContinuousQuery, Disconnect, InitialQuery, Listener

__all__ = ['AioCache', 'create_cache', 'get_cache', 'get_or_create_cache']


class AioCache(CacheAPI[AioScanCursor, AioParallelScanCursor, AioIndexQueryCursor],
               TimedCoroutines):
    """An Ignite cache reached through an :class:`~pyignite.aio_client.AioClient`.

    Get one with :meth:`AioClient.get_cache`, :meth:`AioClient.create_cache` or
    :meth:`AioClient.get_or_create_cache`. Every coroutine method also takes a
    keyword-only ``timeout`` in seconds (None, the default: no limit but the client's).

    :param client: the async client,
    :param name: the cache name,
    :param expiry_policy: (optional) expiry policy for every operation.
    """

    @operation
    def settings(self) -> Generator[Request, Response, Dict[int, Any]]:
        """The cache configuration, read from the server once and kept.

        :return: a dict of cache property codes and values.
        """
        return self._read_settings()

    def _parallel_scan(self, page_size: int) -> AioParallelScanCursor:
        # the partition map is asked for when the cursor is first awaited or iterated
        return AioParallelScanCursor(self._client, self, page_size)

    @documented(CONTINUOUS_QUERY_DOC)
    async def continuous_query(self, listener: Optional['Listener'] = None, *,
                               remote_filter: Any = None,
                               initial_query: Optional['InitialQuery'] = None,
                               buffer_size: int = 1, time_interval: int = 0,
                               include_expired: bool = False,
                               on_disconnect: Optional['Disconnect'] = None,
                               timeout: Optional[float] = None) -> 'AioContinuousQuery':
        from .continuous_query import AioContinuousQuery
        query = AioContinuousQuery(self, listener, on_disconnect)
        await query._open(initial_query, buffer_size, time_interval, include_expired,
                          remote_filter, None if timeout is None else deadline(timeout))
        return query


async def get_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> AioCache:
    """:meth:`AioClient.get_cache() <pyignite.aio_client.AioClient.get_cache>` as a function."""
    return AioCache(client, cache_admin.name_only(settings))


async def create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> AioCache:
    """:meth:`AioClient.create_cache() <pyignite.aio_client.AioClient.create_cache>` as a
    function."""
    return AioCache(client, await client._run(cache_admin.create(client._session, settings,
                                                                 True)))


async def get_or_create_cache(client: 'BaseClient',
                              settings: Union[str, Dict[int, Any]]) -> AioCache:
    """:meth:`AioClient.get_or_create_cache()
    <pyignite.aio_client.AioClient.get_or_create_cache>` as a function."""
    return AioCache(client, await client._run(cache_admin.create(client._session, settings,
                                                                 False)))
