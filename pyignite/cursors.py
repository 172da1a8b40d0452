"""Cursors over the results of scan and SQL queries.

A cursor hands out the rows of one server-side cursor, a page at a time. The
paging itself (requests, decoding, ``max_rows``, closing) is written once in
:mod:`pyignite._ops.query`; the classes here only drive it, with
``client._run(op)`` (sync) or ``await client._run(op)`` (async).

A cursor asks for its next page before it decodes the current one, so the server
works on page N+1 while the client decodes and hands out page N; it is never more than
one page ahead, and no page is asked for past the last one (its ``has_more`` byte ends
the reply, so it is known before decoding) or past ``max_rows``. Closing a cursor waits
for the page asked for ahead, then releases the server-side cursor if it is still open.

Sync cursors run the query when they are built, so DDL and DML take effect
without iterating. Async cursors run it when awaited, entered with
``async with`` or first iterated.

Leave a cursor before its end with ``with``/``async with``, :meth:`close`, or
simply by dropping it: the server-side cursor is then released by the next
operation of the client (a cursor's ``__del__`` cannot do I/O safely), so
abandoned cursors never pile up against the server's per-connection limit.
"""
import asyncio
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Generator, Iterable, Iterator, List, Optional, Protocol,
    Tuple, TypeVar, Union,
)

from ._ops import index_query, query
from ._protocol.request import Response
from ._ops.common import Operation
from ._ops.query import CursorState
from ._ops.resources import abandon

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from ._base_cache import BaseCache
    from .connection.base import NodeConnection

__all__ = ['ScanCursor', 'SqlCursor', 'SqlFieldsCursor', 'IndexQueryCursor', 'AioScanCursor',
           'AioSqlFieldsCursor', 'AioIndexQueryCursor', 'ParallelScanCursor',
           'AioParallelScanCursor']


class _Pipelined(Protocol):
    """What the sync cursors use of their :class:`~pyignite.client.Client` (which imports
    this module, so it is not imported back): the driver and its pipelined half."""

    _session: Any

    def _run(self, op: Any) -> Any: ...

    def _start(self, op: Any) -> Any: ...

    def _finish(self, started: Any, clock_from_now: bool = False) -> Any: ...


_Sync = TypeVar('_Sync', bound='_SyncCursor')
_Aio = TypeVar('_Aio', bound='_AioCursor')


def _observed(ahead: 'asyncio.Future[Any]') -> None:
    # a page asked for ahead and never waited for (the cursor was dropped) must not make
    # asyncio log "exception never retrieved"; its failure broke the cursor already
    if not ahead.cancelled():
        ahead.exception()


class BaseCursor:
    """What every cursor holds: the client and the state of the server-side cursor."""

    def __init__(self, client: 'BaseClient') -> None:
        self._state = CursorState()
        self._client = client

    @property
    def client(self) -> 'BaseClient':
        """:return: the client the cursor was opened through."""
        return self._client

    @property
    def cursor_id(self) -> Optional[int]:
        """:return: the server's id of the cursor, or None before it is opened."""
        return self._state.cursor_id

    @property
    def more(self) -> bool:
        """:return: True while the server holds more pages for this cursor."""
        return self._state.more

    @property
    def connection(self) -> Optional['NodeConnection']:
        """:return: the connection the cursor lives on, or None before it is opened."""
        return self._state.conn

    def _forget_rows(self) -> None:
        state = self._state
        state.rows = []
        state.it = iter(state.rows)

    def __del__(self) -> None:
        state = self.__dict__.get('_state')
        if state is not None and state.more:
            try:
                abandon(self._client._session, state)
            except Exception:  # at interpreter exit the client may be half torn down
                pass


class _SyncCursor(BaseCursor):
    """Iteration and context management of the sync cursors."""

    _client: '_Pipelined'  # type: ignore[assignment]  # the sync Client, a BaseClient

    def __iter__(self: _Sync) -> _Sync:
        return self

    def __next__(self) -> Any:
        state = self._state
        for row in state.it:  # the hot path, inline
            return row
        while True:
            row = query.next_row(state)
            if row is query.NEED_PAGE:
                self._page(None)
            elif row is query.END:
                raise StopIteration
            else:
                return row

    def _page(self, page: Optional[Response]) -> None:
        """Make ``page`` (or, for None, the next page) current, asking for the one after it
        first, so that the server works on it while this one is decoded and read."""
        client = self._client
        session = client._session
        state = self._state
        if page is None:
            ahead, state.ahead = state.ahead, None
            if isinstance(ahead, Exception):
                raise ahead
            if ahead is None:
                ahead = client._start(query.request_page(session, state))
            page = client._finish(ahead, True)
        if page is not None and query.wants_next(state, page):
            try:
                state.ahead = client._start(query.request_page(session, state))
            except Exception as e:
                # it broke the cursor, but this page is whole: raised when it is needed
                state.ahead = e
        client._run(query.take_page(session, state, page))

    def __enter__(self: _Sync) -> _Sync:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop iterating and release the server-side cursor if it is still open."""
        self._forget_rows()
        state = self._state
        ahead, state.ahead = state.ahead, None
        if ahead is not None and not isinstance(ahead, Exception):
            try:
                query.drop_page(state, self._client._finish(ahead, True))
            except Exception:
                pass  # the page request broke the cursor, and released it
        if query.needs_close(state):  # (no call, so no reconnecting, when there is none)
            self._client._run(query.release(self._client._session, state))


class ScanCursor(_SyncCursor):
    """The entries of a cache as ``(key, value)`` tuples; see :meth:`Cache.scan`.

    :param client: a :class:`~pyignite.client.Client`,
    :param cache: the :class:`~pyignite.cache.Cache` to scan,
    :param page_size: entries per server round trip,
    :param partitions: the one partition to scan; negative for all,
    :param filter: a Java ``IgniteBiPredicate`` (a complex object) the server filters with,
    :param local: scan only what the node the query runs on holds (with ``partitions``
     on a partition-aware client: that partition's primary node).
    """

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', page_size: int = 1,
                 partitions: int = -1, local: bool = False, filter: Any = None) -> None:
        super().__init__(client)
        self._page(client._run(query.scan(
            client._session, self._state, cache, page_size, partitions, local, filter)))


class IndexQueryCursor(_SyncCursor):
    """The entries an index query matches, as ``(key, value)`` tuples in index order; see
    :meth:`Cache.index_query`. The arguments are those of that method."""

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', value_type: str,
                 index_name: Optional[str] = None, criteria: Any = (),
                 limit: Optional[int] = None, page_size: int = 1024,
                 partition: Optional[int] = None, local: bool = False) -> None:
        super().__init__(client)
        self._page(client._run(index_query.index_query(
            client._session, self._state, cache, value_type, index_name, criteria, limit,
            page_size, partition, local)))


class SqlCursor(_SyncCursor):
    """Whole entries, as ``(key, value)`` tuples, matched by an SQL query over a cache's
    value type; see :meth:`Cache.select_row`.

    :param client: a :class:`~pyignite.client.Client`,
    :param cache: the :class:`~pyignite.cache.Cache` to query,
    :param query_str: the SQL (a WHERE clause, or a full query over the type's table),
    :param page_size: entries per server round trip,
    :param query_args: query arguments: values or ``(value, hint)`` tuples,
    :param distributed_joins: allow distributed joins,
    :param replicated_only: the query touches replicated tables only,
    :param local: run on the connected node only,
    :param timeout: server-side timeout in ms, 0 for none.
    """

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', query_str: str, page_size: int = 1,
                 query_args: Optional[Iterable[Any]] = None, distributed_joins: bool = False,
                 replicated_only: bool = False, local: bool = False, timeout: int = 0) -> None:
        super().__init__(client)
        self._page(client._run(query.sql(
            client._session, self._state, cache, query_str, page_size, query_args,
            distributed_joins, replicated_only, local, timeout)))


class SqlFieldsCursor(_SyncCursor):
    """Rows of an SQL query as lists of column values; see :meth:`Client.sql`.

    The query runs when the cursor is built. With ``include_field_names`` the first
    row is the list of column names.
    """

    def __init__(self, client: 'BaseClient', query_str: str, page_size: int = 1024,
                 query_args: Optional[Iterable[Any]] = None, schema: Optional[str] = 'PUBLIC',
                 statement_type: int = 0, distributed_joins: bool = False,
                 local: bool = False, replicated_only: bool = False,
                 enforce_join_order: bool = False, collocated: bool = False,
                 lazy: bool = False, include_field_names: bool = False, max_rows: int = -1,
                 timeout: Optional[int] = 0, cache: Union[int, str, 'BaseCache', None] = None,
                 partitions: Optional[Iterable[int]] = None,
                 update_batch_size: Optional[int] = None) -> None:
        super().__init__(client)
        self._page(client._run(query.sql_fields(
            client._session, self._state, query_str, page_size, query_args, schema, statement_type,
            distributed_joins, local, replicated_only, enforce_join_order, collocated, lazy,
            include_field_names, max_rows, timeout, cache, partitions, update_batch_size)))


class _AioCursor(BaseCursor):
    """Awaiting, async iteration and async context management of the async cursors."""

    _client: 'BaseClient'

    def __init__(self, client: 'BaseClient',
                 op_factory: Callable[[CursorState], Operation]) -> None:
        super().__init__(client)
        self._op_factory: Optional[Callable[[CursorState], Operation]] = op_factory
        self._opened = False
        # a page whose taking was cancelled after the one behind it was asked for
        self._held: Optional[Response] = None

    async def _open(self: _Aio) -> _Aio:
        if not self._opened:
            self._opened = True
            # the factory is there until the cursor is opened, once
            op, self._op_factory = self._op_factory(self._state), None  # type: ignore[misc]
            page = await self._client._run(op)
            # the first page is taken without yielding to the loop (a cursor whose opener
            # gave up there would be left to its __del__): page 2 goes out at the caller's
            # next await
            self._ask_ahead(page)
            await self._client._run(query.take_page(self._client._session, self._state, page))
        return self

    def _ask_ahead(self, page: Optional[Response]) -> bool:
        """Ask for the page after ``page`` if there is one; True if it was."""
        state = self._state
        if page is None or not query.wants_next(state, page):
            return False
        client = self._client
        ahead = state.ahead = asyncio.ensure_future(
            client._run(query.request_page(client._session, state)))
        ahead.add_done_callback(_observed)
        return True

    async def _wait_ahead(self) -> Optional[Response]:
        """The page asked for ahead (asked for now if it was not)."""
        state = self._state
        ahead = state.ahead
        if ahead is None:
            client = self._client
            ahead = state.ahead = asyncio.ensure_future(
                client._run(query.request_page(client._session, state)))
        try:
            page: Optional[Response] = await ahead
        except BaseException:
            # a page that failed or was given up on broke the cursor (the next call says
            # so); one that came as our caller gave up is kept for the next call
            if ahead.done() and (ahead.cancelled() or ahead.exception() is not None):
                state.ahead = None
            raise
        state.ahead = None
        return page

    async def _page(self) -> None:
        """Make the next page current, asking for the one after it first, so that the
        server works on it while this one is decoded and read."""
        page, self._held = self._held, None
        if page is None:  # (a held page's successor was asked for already)
            page = await self._wait_ahead()
            if self._ask_ahead(page):
                try:
                    await asyncio.sleep(0)  # let the request go out before decoding
                except BaseException:
                    self._held = page
                    raise
        client = self._client
        await client._run(query.take_page(client._session, self._state, page))

    def __await__(self: _Aio) -> Generator[Any, None, _Aio]:
        return self._open().__await__()

    async def __aenter__(self: _Aio) -> _Aio:
        return await self._open()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __aiter__(self: _Aio) -> _Aio:
        return self

    async def __anext__(self) -> Any:
        if not self._opened:
            await self._open()
        state = self._state
        for row in state.it:  # the hot path, inline
            return row
        while True:
            row = query.next_row(state)
            if row is query.NEED_PAGE:
                await self._page()
            elif row is query.END:
                raise StopAsyncIteration
            else:
                return row

    async def close(self) -> None:
        """Stop iterating and release the server-side cursor if it is still open."""
        self._forget_rows()
        state = self._state
        held, self._held = self._held, None
        query.drop_page(state, held)
        ahead, state.ahead = state.ahead, None
        if ahead is not None:
            if not ahead.done():
                # (asyncio.wait: a cancelled close leaves the page request alone)
                await asyncio.wait((ahead,))
            if not ahead.cancelled() and ahead.exception() is None:
                query.drop_page(state, ahead.result())
        if query.needs_close(state):
            await self._client._run(query.release(self._client._session, state))


class AioScanCursor(_AioCursor):
    """The entries of a cache as ``(key, value)`` tuples; see :meth:`AioCache.scan`. The
    arguments are those of :class:`ScanCursor`, with an
    :class:`~pyignite.aio_client.AioClient` and its :class:`~pyignite.aio_cache.AioCache`.
    """

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', page_size: int = 1,
                 partitions: int = -1, local: bool = False, filter: Any = None) -> None:
        super().__init__(client, lambda state: query.scan(
            client._session, state, cache, page_size, partitions, local, filter))


class AioIndexQueryCursor(_AioCursor):
    """The entries an index query matches, as ``(key, value)`` tuples in index order; see
    :meth:`AioCache.index_query`. The arguments are those of that method."""

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', value_type: str,
                 index_name: Optional[str] = None, criteria: Any = (),
                 limit: Optional[int] = None, page_size: int = 1024,
                 partition: Optional[int] = None, local: bool = False) -> None:
        super().__init__(client, lambda state: index_query.index_query(
            client._session, state, cache, value_type, index_name, criteria, limit, page_size,
            partition, local))


class AioSqlFieldsCursor(_AioCursor):
    """Rows of an SQL query as lists of column values; see :meth:`AioClient.sql`.

    The query runs when the cursor is awaited (``await client.sql(...)`` runs DDL and
    DML), entered with ``async with`` or first iterated. With ``include_field_names``
    the first row is the list of column names.
    """

    def __init__(self, client: 'BaseClient', query_str: str, page_size: int = 1024,
                 query_args: Optional[Iterable[Any]] = None, schema: Optional[str] = 'PUBLIC',
                 statement_type: int = 0, distributed_joins: bool = False,
                 local: bool = False, replicated_only: bool = False,
                 enforce_join_order: bool = False, collocated: bool = False,
                 lazy: bool = False, include_field_names: bool = False, max_rows: int = -1,
                 timeout: Optional[int] = 0, cache: Union[int, str, 'BaseCache', None] = None,
                 partitions: Optional[Iterable[int]] = None,
                 update_batch_size: Optional[int] = None) -> None:
        super().__init__(client, lambda state: query.sql_fields(
            client._session, state, query_str, page_size, query_args, schema, statement_type,
            distributed_joins, local, replicated_only, enforce_join_order, collocated, lazy,
            include_field_names, max_rows, timeout, cache, partitions, update_batch_size))


# --- partition-parallel scans -------------------------------------------------------------


def _release(client: '_Pipelined', lane: query.ScanLane, handle: Any) -> None:
    """Wait for the request a lane has under way and release its partition's cursor."""
    if handle is not None:
        try:
            lane.drop(client._finish(handle, True))
        except Exception:
            pass  # the request failed: it broke and released the cursor
    if lane.open():
        client._run(lane.release())


class ParallelScanCursor:
    """The entries of a cache, scanned by primary node, every node at once; see
    :meth:`Cache.scan` with ``parallel=True``.

    Each node is scanned on its own connection (a local scan: its primary partitions), a
    request under way to every node at a time: while the client decodes a page of one
    node, the others work on theirs. The partitions of a node the client is not connected
    to are scanned one by one. Entries come in no particular order (as in any scan), a node's pages
    in turn with the others'.
    """

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', page_size: int,
                 lanes: List[Tuple[Any, List[int]]]) -> None:
        self._client: '_Pipelined' = client  # type: ignore[assignment]  # the sync one
        self._rows: Iterator[Any] = iter(())
        self._lanes = query.make_lanes(client._session, cache, page_size, lanes)
        #: lane -> its request under way (what Client._finish takes)
        self._pending: Dict[query.ScanLane, Any] = {}
        self._turn: List[query.ScanLane] = []
        try:
            for lane in self._lanes:
                op = lane.next_op(None)
                if op is not None:
                    self._pending[lane] = self._client._start(op)
        except BaseException:
            self.close()
            raise
        self._turn = list(self._pending)

    def __iter__(self) -> 'ParallelScanCursor':
        return self

    def __next__(self) -> Any:
        for row in self._rows:
            return row
        client = self._client
        while self._turn:
            lane = self._turn.pop(0)
            try:
                op, take = lane.arrived(client._finish(self._pending.pop(lane), True))
                if op is not None:
                    self._pending[lane] = client._start(op)
                    self._turn.append(lane)
                self._rows = iter(client._run(take))
            except BaseException:
                self.close()
                raise
            for row in self._rows:
                return row
        raise StopIteration

    def __enter__(self) -> 'ParallelScanCursor':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop, and release the server-side cursors still open."""
        self._rows = iter(())
        self._turn = []
        pending, self._pending = self._pending, {}
        for lane in self._lanes:
            _release(self._client, lane, pending.get(lane))
        self._lanes = []


class AioParallelScanCursor:
    """:class:`ParallelScanCursor` for the asyncio client: a task per node scans its
    primary partitions, and pages are handed out as they arrive; see
    :meth:`AioCache.scan` with ``parallel=True``.

    The scan starts when the cursor is awaited, entered with ``async with`` or first
    iterated.
    """

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', page_size: int) -> None:
        self._client = client
        self._cache = cache
        self._page_size = page_size
        self._lanes: List[query.ScanLane] = []
        self._tasks: List['asyncio.Task[None]'] = []
        self._pages: 'Optional[asyncio.Queue[Any]]' = None
        self._running = 0
        self._rows: Iterator[Any] = iter(())
        self._fallback: Optional[AioScanCursor] = None
        self._opened = False
        self._stopped = False

    async def _open(self) -> 'AioParallelScanCursor':
        if self._opened:
            return self
        self._opened = True
        client = self._client
        lanes = await client._run(query.scan_lanes(client._session, self._cache))
        if lanes is None:
            self._fallback = await AioScanCursor(client, self._cache, self._page_size)
            return self
        # at most a page per node waits to be read
        self._pages = asyncio.Queue(len(lanes))
        self._lanes = query.make_lanes(client._session, self._cache, self._page_size, lanes)
        self._running = len(self._lanes)
        self._tasks = [asyncio.ensure_future(self._scan(lane)) for lane in self._lanes]
        return self

    async def _scan(self, lane: query.ScanLane) -> None:
        client = self._client
        pages = self._pages
        assert pages is not None
        ahead: 'Optional[asyncio.Future[Any]]' = None
        try:
            op = lane.next_op(None)
            if op is not None:
                ahead = self._ask(op)
            while ahead is not None:
                page = await ahead
                ahead = None
                if self._stopped:
                    # close() releases the cursor, unless this page was its last
                    lane.drop(page)
                    return
                op, take = lane.arrived(page)
                if op is not None:
                    # the node works on the next page while this one is decoded
                    ahead = self._ask(op)
                await pages.put(await client._run(take))
        except Exception as e:
            if ahead is not None:
                # the page under way is over before close() releases the cursor
                await asyncio.wait((ahead,))
                if not ahead.cancelled() and ahead.exception() is None:
                    lane.drop(ahead.result())
            await pages.put(e)
            return
        except BaseException:
            if ahead is not None:
                ahead.cancel()  # given up, its cursor is released when its reply comes
            raise
        await pages.put(None)

    def _ask(self, op: Operation) -> 'asyncio.Future[Any]':
        ahead: 'asyncio.Future[Any]' = asyncio.ensure_future(self._client._run(op))
        ahead.add_done_callback(_observed)
        return ahead

    def __await__(self) -> Generator[Any, None, 'AioParallelScanCursor']:
        return self._open().__await__()

    async def __aenter__(self) -> 'AioParallelScanCursor':
        return await self._open()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __aiter__(self) -> 'AioParallelScanCursor':
        return self

    async def __anext__(self) -> Any:
        for row in self._rows:
            return row
        if not self._opened:
            await self._open()
        if self._fallback is not None:
            return await self._fallback.__anext__()
        pages = self._pages
        while self._running and pages is not None:
            rows = await pages.get()
            if rows is None:
                self._running -= 1
                continue
            if isinstance(rows, BaseException):
                await self.close()
                raise rows
            self._rows = iter(rows)
            for row in self._rows:
                return row
        raise StopAsyncIteration

    async def close(self) -> None:
        """Stop, and release the server-side cursors still open."""
        self._rows = iter(())
        self._running = 0
        if self._fallback is not None:
            await self._fallback.close()
        # the lanes end after the request they have under way (cancelling it would leave
        # its cursor to be closed when its late reply comes, after close() returned)
        self._stopped = True
        tasks, self._tasks = self._tasks, []
        pages = self._pages
        pending = [task for task in tasks if not task.done()]
        while pending:
            while pages is not None and not pages.empty():
                pages.get_nowait()  # a lane may wait to hand over a page
            _, still = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            pending = list(still)
        for lane in self._lanes:
            if lane.open():
                await self._client._run(lane.release())
        self._lanes = []
