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
import asyncio
import functools
import inspect
import typing
from typing import (
    TYPE_CHECKING, Any, Callable, Coroutine, Dict, Generator, Iterable, Mapping, Optional, Tuple,
    TypeVar, Union,
)

from ._ops import cache_admin, invoke as inv, key_value as kv, multi_key, query
from ._ops.exchange import Call
from ._protocol.request import Request, Response
from ._base_cache import BaseCache
from .datatypes.base import Hint
from .datatypes.expiry_policy import ExpiryPolicy
from .exceptions import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .continuous_query import AioContinuousQuery, Disconnect, InitialQuery, Listener
    from .cursors import AioIndexQueryCursor, AioParallelScanCursor, AioScanCursor
    from .index_query import IndexQueryCriterion

__all__ = ['AioCache', 'create_cache', 'get_cache', 'get_or_create_cache']

_T = TypeVar('_T')
#: what the builds of :func:`_operation` return: an operation whose result is ``_T`` (a
#: one-request :class:`~pyignite._ops.exchange.Call`, whose result type its builder states)
Op = Union[Call, Generator[Request, Response, _T]]

_TIMEOUT = inspect.Parameter('timeout', inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=Optional[float])


def _deadline(timeout: Any) -> Tuple[float, float]:
    """The per-call limit ``timeout`` as a deadline on the call's requests:
    ``(loop time, seconds)``.

    It is a deadline on the requests themselves, not a wrapping ``asyncio.wait_for``:
    that can swallow a ``task.cancel()`` that arrives as the call finishes (Python 3.11
    and older), and a cancellation must always be honoured.
    """
    if timeout.__class__ not in (int, float) or not timeout > 0:
        raise ParameterError('timeout must be a positive number of seconds or None, '
                             'not {!r}'.format(timeout))
    return asyncio.get_running_loop().time() + timeout, timeout


def _operation(build: Callable[..., Op[_T]]) -> Callable[..., Coroutine[Any, Any, _T]]:
    """Make a coroutine method out of ``build(self, ...)``, which returns the operation
    generator to run: the method takes ``build``'s parameters plus the keyword-only
    ``timeout``, and returns what the operation returns.
    """
    async def method(self: 'AioCache', *args: Any, timeout: Optional[float] = None,
                     **kwargs: Any) -> Any:
        if timeout is None:
            return await self._client._run(build(self, *args, **kwargs))
        deadline = _deadline(timeout)
        return await self._client._run(build(self, *args, **kwargs), deadline)

    return _signed(method, build)


def _multi_key(build: Callable[..., Op[_T]]) -> Callable[..., Coroutine[Any, Any, _T]]:
    """:func:`_operation` for the multi-key operations (:mod:`pyignite._ops.multi_key`),
    whose parts may go to several nodes at once."""
    async def method(self: 'AioCache', *args: Any, timeout: Optional[float] = None,
                     **kwargs: Any) -> Any:
        deadline = None if timeout is None else _deadline(timeout)
        return await self._client._fan_out(build(self, *args, **kwargs), deadline)

    return _signed(method, build)


def _signed(method: Callable[..., Coroutine[Any, Any, Any]],
            build: Callable[..., Op[_T]]) -> Callable[..., Coroutine[Any, Any, _T]]:
    """``method`` with ``build``'s name, documentation and signature, plus ``timeout``."""
    functools.update_wrapper(method, build)
    signature = inspect.signature(build)
    # mypy does not know functions take attributes
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values()) + [_TIMEOUT],
        return_annotation=_result_of(signature.return_annotation))
    return method


def _result_of(annotation: Any) -> Any:
    """What an operation annotated ``Op[T]`` or ``Generator[..., T]`` gives: ``T``, the
    result its coroutine method shows in its signature."""
    if typing.get_origin(annotation) is Union:
        annotation = typing.get_args(annotation)[-1]
    result = typing.get_args(annotation)[-1]
    return None if result is type(None) else result


class AioCache(BaseCache):
    """An Ignite cache reached through an :class:`~pyignite.aio_client.AioClient`.

    Get one with :meth:`AioClient.get_cache`, :meth:`AioClient.create_cache` or
    :meth:`AioClient.get_or_create_cache`. Every coroutine method also takes a
    keyword-only ``timeout`` in seconds (None, the default: no limit but the client's).

    :param client: the async client,
    :param name: the cache name,
    :param expiry_policy: (optional) expiry policy for every operation.
    """

    _client: 'BaseClient'

    def __init__(self, client: 'BaseClient', name: str,
                 expiry_policy: Optional[ExpiryPolicy] = None) -> None:
        super().__init__(client, name, expiry_policy)

    @_operation
    def settings(self) -> Generator[Request, Response, Dict[int, Any]]:
        """The cache configuration, read from the server once and kept.

        :return: a dict of cache property codes and values.
        """
        if self._settings is None:
            from ._ops import cache_config
            self._settings = yield from cache_config.get_settings(self._session, self)
        return self._settings

    @_operation
    def destroy(self) -> Op[None]:
        """Destroy the cache and all its data."""
        return cache_admin.destroy(self._session, self)

    @_operation
    def get(self, key: Any, key_hint: Optional[Hint] = None) -> Op[Any]:
        """Read the value of a key.

        :param key: the key, of any supported type,
        :param key_hint: (optional) the Ignite type to write the key as,
        :return: the value, or None when the key is absent.
        """
        return kv.get(self._session, self, key, key_hint)

    @_operation
    def put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
            value_hint: Optional[Hint] = None) -> Op[None]:
        """Write a value, replacing the previous one if any.

        :param key: the key,
        :param value: the value,
        :param key_hint: (optional) the Ignite type to write the key as,
        :param value_hint: (optional) the Ignite type to write the value as.
        """
        return kv.put(self._session, self, key, value, key_hint, value_hint)

    @_operation
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

    @_operation
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

    @_multi_key
    def get_all(self, keys: Iterable[Any]) -> Op[Dict[Any, Any]]:
        """Read several keys at once.

        :param keys: keys, or ``(key, key_hint)`` tuples,
        :return: a dict of the keys found and their values.
        """
        return multi_key.get_all(self._session, self, keys)

    @_multi_key
    def put_all(self, pairs: Mapping[Any, Any]) -> Op[None]:
        """Write several key-value pairs at once.

        :param pairs: a dict; keys and values may be ``(item, hint)`` tuples.
        """
        return multi_key.put_all(self._session, self, pairs)

    @_operation
    def replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the key exists.

        :return: True if the value was replaced.
        """
        return kv.replace(self._session, self, key, value, key_hint, value_hint)

    @_multi_key
    def clear(self, keys: Optional[Iterable[Any]] = None) -> Op[None]:
        """Clear the cache, or the given keys, without notifying listeners or writers.

        :param keys: (optional) keys or ``(key, key_hint)`` tuples; all keys by default.
        """
        return multi_key.clear(self._session, self, keys)

    @_operation
    def clear_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[None]:
        """Clear one key without notifying listeners or writers."""
        return kv.clear_key(self._session, self, key, key_hint)

    @_multi_key
    def clear_keys(self, keys: Iterable[Any]) -> Op[None]:
        """Clear keys without notifying listeners or writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        return multi_key.clear_keys(self._session, self, keys)

    @_operation
    def contains_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[bool]:
        """:return: True if the key is in the cache."""
        return kv.contains_key(self._session, self, key, key_hint)

    @_multi_key
    def contains_keys(self, keys: Iterable[Any]) -> Op[bool]:
        """:return: True if all the keys are in the cache."""
        return multi_key.contains_keys(self._session, self, keys)

    @_operation
    def get_and_put(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                    value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value and return the previous one.

        :return: the old value or None.
        """
        return kv.get_and_put(self._session, self, key, value, key_hint, value_hint)

    @_operation
    def get_and_put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                              value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value only if the key is absent.

        :return: the existing value, or None if the new one was written.
        """
        return kv.get_and_put_if_absent(self._session, self, key, value, key_hint, value_hint)

    @_operation
    def put_if_absent(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                      value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the key is absent.

        :return: True if the value was written.
        """
        return kv.put_if_absent(self._session, self, key, value, key_hint, value_hint)

    @_operation
    def get_and_remove(self, key: Any, key_hint: Optional[Hint] = None) -> Op[Any]:
        """Remove a key and return its value.

        :return: the old value or None.
        """
        return kv.get_and_remove(self._session, self, key, key_hint)

    @_operation
    def get_and_replace(self, key: Any, value: Any, key_hint: Optional[Hint] = None,
                        value_hint: Optional[Hint] = None) -> Op[Any]:
        """Write a value only if the key exists, returning the previous one.

        :return: the old value or None.
        """
        return kv.get_and_replace(self._session, self, key, value, key_hint, value_hint)

    @_operation
    def remove_key(self, key: Any, key_hint: Optional[Hint] = None) -> Op[bool]:
        """Remove a key, notifying listeners and writers.

        :return: True if the key was there.
        """
        return kv.remove_key(self._session, self, key, key_hint)

    @_multi_key
    def remove_keys(self, keys: Iterable[Any]) -> Op[None]:
        """Remove keys, notifying listeners and writers.

        :param keys: keys or ``(key, key_hint)`` tuples.
        """
        return multi_key.remove_keys(self._session, self, keys)

    @_operation
    def remove_all(self) -> Op[None]:
        """Remove every entry, notifying listeners and writers."""
        return kv.remove_all(self._session, self)

    @_operation
    def remove_if_equals(self, key: Any, sample: Any, key_hint: Optional[Hint] = None,
                         sample_hint: Optional[Hint] = None) -> Op[bool]:
        """Remove a key if its value equals ``sample``.

        :return: True if the entry was removed.
        """
        return kv.remove_if_equals(self._session, self, key, sample, key_hint, sample_hint)

    @_operation
    def replace_if_equals(self, key: Any, sample: Any, value: Any, key_hint: Optional[Hint] = None,
                          sample_hint: Optional[Hint] = None,
                          value_hint: Optional[Hint] = None) -> Op[bool]:
        """Write a value only if the current one equals ``sample``.

        :return: True if the value was replaced.
        """
        return kv.replace_if_equals(self._session, self, key, sample, value, key_hint,
                                    sample_hint, value_hint)

    @_operation
    def get_size(self, peek_modes: Union[int, Iterable[int], None] = None) -> Op[int]:
        """Count the entries.

        :param peek_modes: (optional) a :class:`~pyignite.datatypes.key_value.PeekModes`
         value or a list of them; primary copies by default,
        :return: the number of entries.
        """
        return kv.get_size(self._session, self, peek_modes)

    def scan(self, page_size: int = 1, partitions: int = -1, local: bool = False,
             filter: Any = None, parallel: bool = False,
             ) -> Union['AioScanCursor', 'AioParallelScanCursor']:
        """Iterate over all entries, a page at a time, with ``async with`` and ``async for``.

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
         primary partitions at once, each partition on its primary node, and hand out
         pages as they arrive (a :class:`~pyignite.cursors.AioParallelScanCursor`);
         without a partition map of the cache it is an ordinary scan. Not with
         ``partitions`` or ``local``,
        :return: a :class:`~pyignite.cursors.AioScanCursor` yielding ``(key, value)`` pairs.
        """
        from .cursors import AioParallelScanCursor, AioScanCursor
        if parallel:
            query.check_parallel(page_size, partitions, local, filter)
            return AioParallelScanCursor(self._client, self, page_size)
        return AioScanCursor(self._client, self, page_size, partitions, local, filter)

    async def continuous_query(self, listener: Optional['Listener'] = None, *,
                               remote_filter: Any = None,
                               initial_query: Optional['InitialQuery'] = None,
                               buffer_size: int = 1, time_interval: int = 0,
                               include_expired: bool = False,
                               on_disconnect: Optional['Disconnect'] = None,
                               timeout: Optional[float] = None) -> 'AioContinuousQuery':
        """Listen to the changes of the cache: the server pushes them as they happen.

        :param listener: (optional) called with each batch of events, a list of
         :class:`~pyignite.continuous_query.CacheEntryEvent` in the order the server sent
         them, from a task the client owns (one batch at a time, awaited if it is a
         coroutine function),
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
        :param on_disconnect: (optional) called once (awaited if a coroutine function) with
         the error if the connection that carries the query is lost; the query is closed
         then, and the events until a new one is opened are lost,
        :return: an :class:`~pyignite.continuous_query.AioContinuousQuery`, an async
         context manager; without a listener, an async iterator of the events. Close it
         when done,
        :raises ParameterError: a parameter is invalid,
        :raises CacheError: the server refused the query (an unknown filter class...).
        """
        from .continuous_query import AioContinuousQuery
        query = AioContinuousQuery(self, listener, on_disconnect)
        await query._open(initial_query, buffer_size, time_interval, include_expired,
                          remote_filter, None if timeout is None else _deadline(timeout))
        return query

    def index_query(self, value_type: str, *, index_name: Optional[str] = None,
                    criteria: Iterable['IndexQueryCriterion'] = (), limit: Optional[int] = None,
                    page_size: int = 1024, partition: Optional[int] = None,
                    local: bool = False) -> 'AioIndexQueryCursor':
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
        :return: an :class:`~pyignite.cursors.AioIndexQueryCursor` (the query runs
         when it is awaited or first iterated) yielding ``(key, value)`` tuples in index
         order.
        """
        from .cursors import AioIndexQueryCursor
        return AioIndexQueryCursor(self._client, self, value_type, index_name, criteria,
                                   limit, page_size, partition, local)


async def get_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> AioCache:
    """A cache object for the named cache, without asking the server.

    :param client: an :class:`~pyignite.aio_client.AioClient`,
    :param settings: a cache name, or a dict with only PROP_NAME.
    """
    return AioCache(client, cache_admin.name_only(settings))


async def create_cache(client: 'BaseClient', settings: Union[str, Dict[int, Any]]) -> AioCache:
    """Create a cache; raise :class:`~pyignite.exceptions.CacheError` if it exists."""
    return AioCache(client, await client._run(cache_admin.create(client._session, settings, True)))


async def get_or_create_cache(client: 'BaseClient',
                              settings: Union[str, Dict[int, Any]]) -> AioCache:
    """Get a cache, creating it if needed."""
    return AioCache(client, await client._run(cache_admin.create(client._session, settings, False)))
