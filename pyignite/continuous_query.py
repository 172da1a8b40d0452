"""Continuous queries: the changes of a cache, pushed by the server as they happen.

Open one with :meth:`Cache.continuous_query() <pyignite.cache.Cache.continuous_query>` or
:meth:`AioCache.continuous_query() <pyignite.aio_cache.AioCache.continuous_query>`; see
:doc:`../continuous_queries` for a walk through.

How it works: the query lives on one connection of the client (the current one: see
:meth:`pyignite._session.session.Session.continuous_query_home`). The server sends its
events there in batches; the connection's reader only queues each batch, and a thread
(sync) or task (async) the query owns decodes it and calls the listener, one batch at a
time, in the order the server sent them. A listener that raises is logged on
``pyignite.queries`` and reported to the :mod:`~pyignite.monitoring` query listeners
(:class:`~pyignite.monitoring.ContinuousQueryListenerFailEvent`); the query goes on.

If that connection is lost, the server drops the query: ``on_disconnect(error)`` is called
once and the query is closed. Events of the time until a new query is opened are lost, as
with the Java thin client. The client itself goes on (it fails over as usual).
"""
import asyncio
import inspect
import queue
import threading
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Union

from ._ops import continuous_query as cq
from ._ops.continuous_query import QueryHandle
from .datatypes.cache_events import CacheEntryEvent, EventType
from .exceptions import ParameterError, ReconnectError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_cache import BaseCache
    from ._ops.common import Operation
    from .cursors import AioScanCursor, AioSqlFieldsCursor, ScanCursor, SqlFieldsCursor

__all__ = ['EventType', 'CacheEntryEvent', 'ScanQuery', 'SqlFieldsQuery', 'ContinuousQuery',
           'AioContinuousQuery']

#: what a listener gets: the events of one batch, in order
Listener = Callable[[List[CacheEntryEvent]], Any]
Disconnect = Callable[[BaseException], Any]


class ScanQuery:
    """An initial query that scans the cache (a :class:`~pyignite.cursors.ScanCursor`).

    :param page_size: (optional) entries per server round trip, 1024 by default,
    :param partitions: (optional) the one partition to scan; negative (default) for all.
    """

    def __init__(self, page_size: int = 1024, partitions: int = -1) -> None:
        self.page_size = page_size
        self.partitions = partitions

    def _cursor(self, cache: Any) -> Any:
        return cache.scan(self.page_size, self.partitions)


class SqlFieldsQuery:
    """An initial query in SQL (a :class:`~pyignite.cursors.SqlFieldsCursor`), run in the
    cache's schema unless ``schema`` is given.

    :param query_str: the SQL text,
    :param query_args: (optional) query arguments,
    :param page_size: (optional) rows per server round trip, 1024 by default,
    :param schema: (optional) the schema to run it in,
    :param kwargs: (optional) other parameters of :meth:`Client.sql()
     <pyignite.client.Client.sql>`.
    """

    def __init__(self, query_str: str, query_args: Optional[Iterable[Any]] = None,
                 page_size: int = 1024, schema: Optional[str] = None, **kwargs: Any) -> None:
        self.query_str = query_str
        self.query_args = query_args
        self.page_size = page_size
        self.schema = schema
        self.kwargs = kwargs

    def _cursor(self, cache: Any) -> Any:
        where = {'schema': self.schema} if self.schema is not None else {'cache': cache}
        return cache.client.sql(self.query_str, self.page_size, self.query_args,
                                **where, **self.kwargs)


InitialQuery = Union[ScanQuery, SqlFieldsQuery]


class _Ended:
    """Queued when the query's connection ends."""

    __slots__ = ('error',)

    def __init__(self, error: BaseException) -> None:
        self.error = error


#: queued by close(): the dispatcher stops
_STOP = object()


class _Query:
    """What both handles share: the query's place and the decisions about its items."""

    def __init__(self, cache: Any, listener: Optional[Listener],
                 on_disconnect: Optional[Disconnect]) -> None:
        if listener is not None and not callable(listener):
            raise ParameterError('listener must be callable, not {!r}'.format(listener))
        if on_disconnect is not None and not callable(on_disconnect):
            raise ParameterError('on_disconnect must be callable, not {!r}'.format(
                on_disconnect))
        self._cache = cache
        self._client = cache.client
        self._listener = listener
        self._on_disconnect = on_disconnect
        #: what each batch of events is handed to
        self._sink: Optional[Callable[[List[CacheEntryEvent]], Any]] = listener
        self._handle: Optional[QueryHandle] = None
        self._closed = False
        self.initial: Any = None

    @property
    def closed(self) -> bool:
        """True once the query is closed, by :meth:`close` or because its connection was
        lost."""
        return self._closed

    @property
    def query_id(self) -> Optional[int]:
        """The server's id of the query (None before it is open)."""
        handle = self._handle
        return handle.query_id if handle is not None else None

    @staticmethod
    def _check(listener: Any, initial_query: Any, buffer_size: Any, time_interval: Any,
               include_expired: Any, remote_filter: Any) -> None:
        cq.check_params(buffer_size, time_interval, include_expired, remote_filter)
        if initial_query is not None and not isinstance(initial_query,
                                                        (ScanQuery, SqlFieldsQuery)):
            raise ParameterError('initial_query must be a ScanQuery or an SqlFieldsQuery, '
                                 'not {!r}'.format(initial_query))

    def _ended(self, error: BaseException) -> Optional[Disconnect]:
        """The query's connection ended: the query is closed; return ``on_disconnect`` if
        it must be called (not when the client or the query was closed on purpose)."""
        if self._closed:
            return None
        self._closed = True
        if not self._client._session.nodes:
            return None  # the client was closed
        return self._on_disconnect

    def _deliver(self, item: Any) -> 'Operation':
        """What the dispatcher does with a queued ``item``, decided here for both kinds of
        query: returns ``(call, argument, last)``, meaning call ``call(argument)`` unless
        ``call`` is None, then stop if ``last``. Decoding a batch may fetch binary types
        (the requests this operation yields)."""
        if item is _STOP:
            return None, None, True
        if item.__class__ is _Ended:
            return self._ended(item.error), item.error, True
        if self._closed:
            return None, None, False  # what came before close() is dropped
        events = yield from cq.decode_events(self._client._session, item)
        return self._sink, events, False

    def _failed(self, error: BaseException) -> None:
        """The listener raised ``error`` (call from its ``except`` block)."""
        handle = self._handle
        if handle is not None:
            self._client._session.events.listener_failed(handle.conn, handle.query_id or 0,
                                                         error)


class ContinuousQuery(_Query):
    """A continuous query of a :class:`~pyignite.cache.Cache`; get one with
    :meth:`Cache.continuous_query() <pyignite.cache.Cache.continuous_query>`.

    The listener is called from a thread the query owns. Close the query with
    :meth:`close` or a ``with`` block (dropping it does not: it listens until the client
    is closed).

    :ivar initial: the cursor over the results of the initial query, or None.
    """

    def __init__(self, cache: 'BaseCache', listener: Optional[Listener],
                 on_disconnect: Optional[Disconnect] = None) -> None:
        if listener is None:
            raise ParameterError('listener is required (a function of a list of events)')
        super().__init__(cache, listener, on_disconnect)
        self._frames: 'queue.SimpleQueue[Any]' = queue.SimpleQueue()
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self.initial: Optional[Union['ScanCursor', 'SqlFieldsCursor']] = None

    def _open(self, initial_query: Optional[InitialQuery], buffer_size: int,
              time_interval: int, include_expired: bool, remote_filter: Any) -> None:
        self._check(self._listener, initial_query, buffer_size, time_interval,
                    include_expired, remote_filter)
        client = self._client
        session = client._session
        conn = session.continuous_query_home() or client._reconnect()
        self._handle = handle = QueryHandle(conn)
        client._run(cq.open_query(session, handle, self._cache, self._frames.put,
                                  self._end,
                                  buffer_size, time_interval, include_expired, remote_filter))
        self._thread = threading.Thread(target=self._dispatch, daemon=True,
                                        name='pyignite-cq-{}'.format(handle.query_id))
        self._thread.start()
        if initial_query is not None:
            try:
                self.initial = initial_query._cursor(self._cache)
            except BaseException:
                self.close()
                raise

    def _end(self, error: BaseException) -> None:
        self._frames.put(_Ended(error))

    def _dispatch(self) -> None:
        """The query's thread: decode each batch and hand it to the listener."""
        run = self._client._run
        frames = self._frames
        last = False
        while not last:
            try:
                call, arg, last = run(self._deliver(frames.get()))
                if call is not None:
                    call(arg)
            except Exception as e:
                self._failed(e)

    def close(self) -> None:
        """Stop the query: no more events, the server forgets it (OP_RESOURCE_CLOSE), the
        initial query's cursor is closed. Events received but not handed to the listener
        yet are dropped. Safe to call more than once, and from the listener."""
        with self._lock:
            handle = self._handle
            self._closed = True
            if handle is None or handle.query_id is None and self._thread is None:
                return
            thread, self._thread = self._thread, None
        client = self._client
        try:
            client._run(cq.close_query(client._session, handle))
        except (OSError, ReconnectError):
            pass  # the connection is gone, and the query with it
        finally:
            self._frames.put(_STOP)
            initial, self.initial = self.initial, None
            if initial is not None:
                initial.close()
            if thread is not None and thread is not threading.current_thread():
                thread.join()

    def __enter__(self) -> 'ContinuousQuery':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AioContinuousQuery(_Query):
    """A continuous query of an :class:`~pyignite.aio_cache.AioCache`; get one with
    ``await`` :meth:`AioCache.continuous_query()
    <pyignite.aio_cache.AioCache.continuous_query>`.

    The listener (a function or a coroutine function, awaited) is called from a task the
    query owns, one batch at a time. Without a listener the query is an async iterator of
    the events (``async for event in query``), which ends when the query is closed. Close
    it with :meth:`close` or an ``async with`` block.

    :ivar initial: the cursor over the results of the initial query, or None.
    """

    def __init__(self, cache: 'BaseCache', listener: Optional[Listener],
                 on_disconnect: Optional[Disconnect] = None) -> None:
        super().__init__(cache, listener, on_disconnect)
        self._frames: 'asyncio.Queue[Any]' = asyncio.Queue()
        #: batches for ``async for`` (no listener), then _STOP
        self._out: 'asyncio.Queue[Any]' = asyncio.Queue()
        self._pending: 'deque[CacheEntryEvent]' = deque()
        if listener is None:
            self._sink = self._out.put_nowait
        self._task: Optional['asyncio.Task[None]'] = None
        self.initial: Optional[Union['AioScanCursor', 'AioSqlFieldsCursor']] = None

    async def _open(self, initial_query: Optional[InitialQuery], buffer_size: int,
                    time_interval: int, include_expired: bool, remote_filter: Any,
                    deadline: Any = None) -> None:
        self._check(self._listener, initial_query, buffer_size, time_interval,
                    include_expired, remote_filter)
        client = self._client
        session = client._session
        conn = session.continuous_query_home() or await client._reconnect()
        self._handle = handle = QueryHandle(conn)
        await client._run(cq.open_query(session, handle, self._cache, self._frames.put_nowait,
                                        self._end, buffer_size, time_interval,
                                        include_expired, remote_filter), deadline)
        self._task = asyncio.get_running_loop().create_task(self._dispatch())
        if initial_query is not None:
            try:
                cursor = initial_query._cursor(self._cache)
                self.initial = await cursor
            except BaseException:
                await self.close()
                raise

    def _end(self, error: BaseException) -> None:
        self._frames.put_nowait(_Ended(error))

    async def _dispatch(self) -> None:
        """The query's task: decode each batch and hand it to the listener (or to
        ``async for``)."""
        run = self._client._run
        frames = self._frames
        last = False
        try:
            while not last:
                try:
                    call, arg, last = await run(self._deliver(await frames.get()))
                    if call is not None:
                        result = call(arg)
                        if inspect.isawaitable(result):
                            await result
                except Exception as e:
                    self._failed(e)
        finally:
            self._out.put_nowait(_STOP)

    async def close(self) -> None:
        """Stop the query: no more events, the server forgets it (OP_RESOURCE_CLOSE), the
        initial query's cursor is closed. Events received but not handed out yet are
        dropped. Safe to call more than once, and from the listener."""
        handle = self._handle
        self._closed = True
        task, self._task = self._task, None
        if handle is None or handle.query_id is None and task is None:
            return
        client = self._client
        try:
            await client._run(cq.close_query(client._session, handle))
        except (OSError, ReconnectError):
            pass  # the connection is gone, and the query with it
        finally:
            self._frames.put_nowait(_STOP)
            initial, self.initial = self.initial, None
            if initial is not None:
                await initial.close()
            if task is not None and task is not asyncio.current_task():
                await task

    async def __aenter__(self) -> 'AioContinuousQuery':
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __aiter__(self) -> 'AioContinuousQuery':
        if self._listener is not None:
            raise ParameterError('a continuous query with a listener is not iterable')
        return self

    async def __anext__(self) -> CacheEntryEvent:
        pending = self._pending
        while not pending:
            batch = await self._out.get()
            if batch is _STOP:
                self._out.put_nowait(_STOP)  # for the next caller too
                raise StopAsyncIteration
            pending.extend(batch)
        return pending.popleft()
