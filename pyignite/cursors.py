"""Cursors over the results of scan and SQL queries.

A cursor hands out the rows of one server-side cursor, a page at a time. The
paging itself (requests, decoding, ``max_rows``, closing) is written once in
:mod:`pyignite._ops.query`; the classes here only drive it, with
``client._run(op)`` (sync) or ``await client._run(op)`` (async).

Sync cursors run the query when they are built, so DDL and DML take effect
without iterating. Async cursors run it when awaited, entered with
``async with`` or first iterated.

Leave a cursor before its end with ``with``/``async with``, :meth:`close`, or
simply by dropping it: the server-side cursor is then released by the next
operation of the client (a cursor's ``__del__`` cannot do I/O safely), so
abandoned cursors never pile up against the server's per-connection limit.
"""
from typing import (
    TYPE_CHECKING, Any, Callable, Generator, Iterable, Optional, TypeVar, Union,
)

from ._ops import index_query, query
from ._ops.common import Operation
from ._ops.query import CursorState
from ._ops.resources import abandon

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from ._base_cache import BaseCache
    from .connection.base import NodeConnection

__all__ = ['ScanCursor', 'SqlCursor', 'SqlFieldsCursor', 'IndexQueryCursor', 'AioScanCursor',
           'AioSqlFieldsCursor', 'AioIndexQueryCursor']

_Sync = TypeVar('_Sync', bound='_SyncCursor')
_Aio = TypeVar('_Aio', bound='_AioCursor')


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
        state.rows, state.index = [], 0

    def __del__(self) -> None:
        state = self.__dict__.get('_state')
        if state is not None and state.more:
            try:
                abandon(self._client._session, state)
            except Exception:  # at interpreter exit the client may be half torn down
                pass


class _SyncCursor(BaseCursor):
    """Iteration and context management of the sync cursors."""

    _client: 'BaseClient'

    def __iter__(self: _Sync) -> _Sync:
        return self

    def __next__(self) -> Any:
        state = self._state
        i = state.index
        rows = state.rows
        if i < len(rows):  # the hot path, inline
            state.index = i + 1
            return rows[i]
        client = self._client
        while True:
            row = query.next_row(state)
            if row is query.NEED_PAGE:
                client._run(query.fetch_page(client._session, state))
            elif row is query.END:
                raise StopIteration
            else:
                return row

    def __enter__(self: _Sync) -> _Sync:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop iterating and release the server-side cursor if it is still open."""
        self._forget_rows()
        if query.needs_close(self._state):
            try:
                self._client._run(query.close_cursor(self._client._session, self._state))
            except OSError:
                pass  # the connection broke: the server dropped the cursor with it


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
        client._run(query.scan(client._session, self._state, cache, page_size, partitions, local,
                               filter))


class IndexQueryCursor(_SyncCursor):
    """The entries an index query matches, as ``(key, value)`` tuples in index order; see
    :meth:`Cache.index_query`. The arguments are those of that method."""

    def __init__(self, client: 'BaseClient', cache: 'BaseCache', value_type: str,
                 index_name: Optional[str] = None, criteria: Any = (),
                 limit: Optional[int] = None, page_size: int = 1024,
                 partition: Optional[int] = None, local: bool = False) -> None:
        super().__init__(client)
        client._run(index_query.index_query(client._session, self._state, cache, value_type,
                                            index_name, criteria, limit, page_size, partition,
                                            local))


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
        client._run(query.sql(client._session, self._state, cache, query_str, page_size, query_args,
                              distributed_joins, replicated_only, local, timeout))


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
        client._run(query.sql_fields(
            client._session, self._state, query_str, page_size, query_args, schema, statement_type,
            distributed_joins, local, replicated_only, enforce_join_order, collocated, lazy,
            include_field_names, max_rows, timeout, cache, partitions, update_batch_size))


class _AioCursor(BaseCursor):
    """Awaiting, async iteration and async context management of the async cursors."""

    _client: 'BaseClient'

    def __init__(self, client: 'BaseClient',
                 op_factory: Callable[[CursorState], Operation]) -> None:
        super().__init__(client)
        self._op_factory: Optional[Callable[[CursorState], Operation]] = op_factory
        self._opened = False

    async def _open(self: _Aio) -> _Aio:
        if not self._opened:
            self._opened = True
            # the factory is there until the cursor is opened, once
            op, self._op_factory = self._op_factory(self._state), None  # type: ignore[misc]
            await self._client._run(op)
        return self

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
        i = state.index
        rows = state.rows
        if i < len(rows):  # the hot path, inline
            state.index = i + 1
            return rows[i]
        client = self._client
        while True:
            row = query.next_row(state)
            if row is query.NEED_PAGE:
                await client._run(query.fetch_page(client._session, state))
            elif row is query.END:
                raise StopAsyncIteration
            else:
                return row

    async def close(self) -> None:
        """Stop iterating and release the server-side cursor if it is still open."""
        self._forget_rows()
        if query.needs_close(self._state):
            try:
                await self._client._run(query.close_cursor(self._client._session, self._state))
            except OSError:
                pass  # the connection broke: the server dropped the cursor with it


class AioScanCursor(_AioCursor):
    """The entries of a cache as ``(key, value)`` tuples; see :meth:`AioCache.scan`.

    :param client: an :class:`~pyignite.aio_client.AioClient`,
    :param cache: the :class:`~pyignite.aio_cache.AioCache` to scan,
    :param page_size: entries per server round trip,
    :param partitions: the one partition to scan; negative for all,
    :param filter: a Java ``IgniteBiPredicate`` (a complex object) the server filters with,
    :param local: scan only what the node the query runs on holds (with ``partitions``
     on a partition-aware client: that partition's primary node).
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
