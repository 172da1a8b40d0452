"""Scan and SQL queries and the paging of their cursors.

Every query opens a server-side cursor that lives on one connection: the first
request returns a cursor id and the first page; later pages (and the close) must go
to the same connection, so they are pinned to it with ``req.conn``. A page is
``int count, count x row, bool has_more``; when ``has_more`` is false the server has
already freed the cursor, so OP_RESOURCE_CLOSE is sent only while it is true.

The state of a cursor is a :class:`CursorState`; the operations below fill it in and
the sync and async cursor facades only hand them to their driver.

A cursor dropped without being closed cannot talk to the server from ``__del__``
(it may run in any thread, in the middle of another request on the same connection,
or with no event loop to await on). It is queued on the session instead
(:func:`~pyignite._ops.resources.abandon`), and the queue is drained by the next operation
that calls :func:`~pyignite._ops.resources.close_abandoned` (every query, page and close,
and, through :func:`~pyignite._ops.prepare.prepare`, the key-value operations).
"""
import struct
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Type, Union,
)

from .._codec import ids as _ids, structs as S
from .._codec.decoder import (
    DECODERS, Data, NeedsHandleTable, read_str_or_none, read_with_handle_table,
)
from .._codec.encoder import write, write_string
from .._protocol.opcodes import (
    OP_QUERY_SCAN, OP_QUERY_SCAN_CURSOR_GET_PAGE, OP_QUERY_SQL, OP_QUERY_SQL_CURSOR_GET_PAGE,
    OP_QUERY_SQL_FIELDS, OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE,
)
from .._protocol.wire import STATUS_RESOURCE_DOES_NOT_EXIST
from .._codec.registry import MissingBinaryType
from .._protocol.request import RELEASE_FROM_REPLY, Request, Response, cache_request
from ..datatypes.prop_codes import PROP_QUERY_ENTITIES
from ..datatypes.sql import StatementType
from ..datatypes.type_codes import TC_NULL
from ..exceptions import (
    CacheError, CursorError, ParameterError, ParseError, ReconnectError, SQLError,
)
from .affinity import refresh_partitions
from ..binary import GenericObjectMeta
from .binary_types import PLATFORM_JAVA, read_fetching_types, register_java_class_name
from . import sql_extras
from .common import Operation
from .prepare import prepare
from .resources import close_abandoned, close_request, conn_session

if TYPE_CHECKING:
    from .common import Session
    from .common import CacheRef
    from ..connection.base import NodeConnection

#: a page reader: ``(data, pos, ctx) -> ((rows, more), next pos)``
PageReader = Callable[[Data, int, Any], Tuple[Tuple[List[Any], bool], int]]

_INT_MAX = (1 << 31) - 1
# (typed here: struct's unpackers return tuples of Any)
_unpack_i: Callable[[Data, int], Tuple[int]] = S.INT.unpack_from
_unpack_q: Callable[[Data, int], Tuple[int]] = S.LONG.unpack_from
_unpack_d: Callable[[Data, int], Tuple[float]] = S.DOUBLE.unpack_from
_pack_q = S.LONG.pack
_SQL_FIELDS_FLAGS = struct.Struct('<b??????q?')


class CursorState:
    """Where a cursor is: its id and connection, the current page and what is left.

    :ivar cursor_id: the server's resource id,
    :ivar conn: the connection the cursor lives on,
    :ivar opened_in: what identified that connection's session when the cursor was opened,
    :ivar rows: the rows of the current page,
    :ivar it: an iterator over ``rows``, at the next row to hand out (a list iterator:
     ``for row in state.it: return row`` costs ~30 ns less per row than keeping an index),
    :ivar more: the server holds more pages (and so the cursor is open there),
    :ivar limit: rows still allowed by ``max_rows``, or -1 for no limit,
    :ivar broken: why a page never came (a timeout, a cancellation, a lost connection),
     or None: a broken cursor can't hand out its remaining rows,
    :ivar type_codes: set it to a list before an SQL fields query is opened to have it
     filled with each column's wire type code, as found in the first page (None for a
     column with only nulls there): the protocol sends no column types, only names.
    :ivar ahead: the next page, asked for before the current one was decoded: the
     driver's handle of the request under way (or of its outcome), or None.
    """

    __slots__ = ('cursor_id', 'conn', 'opened_in', 'rows', 'it', 'more', 'limit',
                 'page_op', 'reader', 'error', 'field_names', 'broken', 'type_codes',
                 'first_page', 'ahead')

    def __init__(self) -> None:
        self.cursor_id: Optional[int] = None
        self.conn: Optional['NodeConnection'] = None
        self.opened_in: Any = None
        self.rows: List[Any] = []
        self.it: Iterator[Any] = iter(self.rows)
        self.more = False
        self.limit = -1
        self.page_op = 0
        self.reader: Optional[PageReader] = None
        self.error: Type[BaseException] = CacheError
        self.field_names: Optional[List[Optional[str]]] = None
        self.broken: Optional[BaseException] = None
        self.type_codes: Optional[List[Optional[int]]] = None
        #: the next page taken is the query's first (names and type codes come with it)
        self.first_page = False
        self.ahead: Any = None


def _same_session(state: CursorState) -> bool:
    conn = state.conn
    return conn is not None and conn.alive and conn_session(conn) is state.opened_in


# --- page decoding ------------------------------------------------------------------------
#
# A page is decoded by offset straight from the reply frame into one flat list of values,
# which C code then cuts into rows. Strings and the fixed-size numbers that make up most
# SQL columns and cache entries are decoded inline, saving a call and a (value, pos) tuple
# per value (about 1.7 times faster on a page of mixed columns); every other type, and
# any string that is not plain UTF-8 or does not fit the frame, goes through the decoder
# table, so the results are always those of :mod:`pyignite._codec.decoder`.


def read_values(data: Data, pos: int, n: int, ctx: Any) -> Tuple[List[Any], int]:
    """Decode ``n`` consecutive full values; return ``(values, next_pos)``."""
    table = DECODERS
    if isinstance(data, memoryview):
        # (a frame is bytes; a view is copied once so that strings decode from slices)
        data = bytes(data)
    size = len(data)
    if n > size - pos:  # every value takes at least one byte
        raise ParseError('malformed reply: {} values in {} bytes'.format(n, size - pos))
    values: List[Any] = [None] * n
    try:
        for i in range(n):
            code = data[pos]
            if code == 9:  # String
                start = pos + 5
                end = start + _unpack_i(data, pos + 1)[0]
                if start <= end <= size:
                    try:
                        # decode(): strict UTF-8, cheaper than str(raw, 'utf-8')
                        values[i] = data[start:end].decode()
                        pos = end
                        continue
                    except UnicodeDecodeError:
                        pass  # modified UTF-8: the table reader knows it
            elif code == 3:  # Int
                values[i] = _unpack_i(data, pos + 1)[0]
                pos += 5
                continue
            elif code == 4:  # Long
                values[i] = _unpack_q(data, pos + 1)[0]
                pos += 9
                continue
            elif code == 6:  # Double
                values[i] = _unpack_d(data, pos + 1)[0]
                pos += 9
                continue
            try:
                values[i], pos = table[code](data, pos + 1, ctx)
            except NeedsHandleTable:
                # back-references outside any object: the cell is a top-level value
                values[i], pos = read_with_handle_table(data, pos, ctx)
    except (IndexError, struct.error) as e:
        raise ParseError('malformed reply: {!r}'.format(e)) from None
    return values, pos


def _page_header(data: Data, pos: int) -> int:
    try:
        count = _unpack_i(data, pos)[0]
    except struct.error as e:
        raise ParseError('malformed cursor page: {!r}'.format(e)) from None
    if count < 0:
        raise ParseError('malformed cursor page: {} rows'.format(count))
    return count


def _page_end(data: Data, pos: int) -> Tuple[bool, int]:
    try:
        return data[pos] != 0, pos + 1
    except IndexError:
        raise ParseError('malformed cursor page: no end marker') from None


def read_entry_page(data: Data, pos: int,
                    ctx: Any) -> Tuple[Tuple[List[Tuple[Any, Any]], bool], int]:
    """A page of ``(key, value)`` rows (scan and SQL cursors): ``((rows, more), next_pos)``."""
    count = _page_header(data, pos)
    values, pos = read_values(data, pos + 4, 2 * count, ctx)
    more, pos = _page_end(data, pos)
    pairs = iter(values)  # (zip of one iterator twice: no half-size copies of the list)
    return (list(zip(pairs, pairs)), more), pos


_FIELDS_READERS: Dict[int, PageReader] = {}


def fields_page_reader(columns: int) -> PageReader:
    """The reader of SQL-fields pages whose rows are lists of ``columns`` values."""
    reader = _FIELDS_READERS.get(columns)
    if reader is not None:
        return reader

    def read_fields_page(data: Data, pos: int,
                         ctx: Any) -> Tuple[Tuple[List[List[Any]], bool], int]:
        count = _page_header(data, pos)
        n = count * columns
        values, pos = read_values(data, pos + 4, n, ctx)
        more, pos = _page_end(data, pos)
        if columns == 1:
            return ([[value] for value in values], more), pos
        if columns == 0:
            if count > len(data):  # rows of no bytes: a hostile count would eat memory
                raise ParseError('malformed cursor page: {} empty rows'.format(count))
            return ([[] for _ in range(count)], more), pos
        # (zip cuts the rows in C: a third faster than slicing them out one by one)
        return (list(map(list, zip(*[iter(values)] * columns))), more), pos

    _FIELDS_READERS[columns] = read_fields_page
    return read_fields_page


def column_type_codes(data: Data, pos: int, columns: int, ctx: Any) -> List[Optional[int]]:
    """The wire type code of each column of an SQL fields page: that of its first non-null
    value in the page, or None.

    Only rows up to the first one that completes the list are walked (usually the first),
    so this costs a second decoding of those rows only.
    """
    codes: List[Optional[int]] = [None] * columns
    missing = columns
    count = _page_header(data, pos)
    pos += 4
    for _ in range(count):
        if not missing:
            break
        for column in range(columns):
            try:
                code = data[pos]
            except IndexError:
                raise ParseError('malformed cursor page: a row is cut short') from None
            if code != TC_NULL and codes[column] is None:
                codes[column] = code
                missing -= 1
            pos = read_values(data, pos, 1, ctx)[1]
    return codes


def _decode_page(session: 'Session', reader: PageReader, data: Data, pos: int) -> Operation:
    """Run a page reader, fetching binary types it does not know; ``((rows, more), pos)``."""
    try:
        return reader(data, pos, session.binary)
    except MissingBinaryType:
        return (yield from read_fetching_types(session, reader, data, pos))


def _take_page(session: 'Session', state: CursorState, rows: List[Any], more: bool) -> Operation:
    """Make ``rows`` the current page, enforcing ``max_rows``; close the cursor if done."""
    # (the iterator reads the list as it is when iterated: trimmed, names inserted)
    state.rows, state.it, state.more = rows, iter(rows), more
    limit = state.limit
    if limit >= 0:
        if len(rows) < limit:
            state.limit = limit - len(rows)
        else:
            del rows[limit:]
            state.limit = 0
            yield from close_cursor(session, state)
    if state.first_page:
        state.first_page = False
        if state.field_names is not None:  # a query asked for its column names
            rows.insert(0, state.field_names)


# --- checks -------------------------------------------------------------------------------


def _int(name: str, value: Any, lo: int, hi: int = _INT_MAX) -> int:
    if value.__class__ is bool or not isinstance(value, int) or not lo <= value <= hi:
        raise ParameterError('{} must be an int in {}..{}, not {!r}'.format(name, lo, hi, value))
    return value


def _bool(name: str, value: Any) -> bool:
    if value.__class__ is not bool:
        if value in (0, 1) and isinstance(value, int):
            return bool(value)
        raise ParameterError('{} must be a bool, not {!r}'.format(name, value))
    return value


def _timeout(value: Any) -> int:
    """The SQL timeout to send, in ms.

    The server applies a timeout it gets from a session without the DEFAULT_QRY_TIMEOUT
    feature (we do not advertise it) only when it is positive, and takes 0 for "use the
    server's default timeout". The documented meaning of 0 is "no timeout", which such a
    session gets by sending the largest int (about 24.8 days). The value is cast to a Java
    int on the server, so larger values are refused here rather than wrapped.
    """
    timeout = _int('timeout', value, 0)
    return timeout or _INT_MAX


def _args(buf: bytearray, query_args: Any, ctx: Any) -> None:
    if query_args is None:
        buf += S.INT.pack(0)
        return
    if isinstance(query_args, (str, bytes, dict)) or not hasattr(query_args, '__iter__'):
        raise ParameterError('query_args must be a list of values or (value, hint) tuples, '
                             'not {!r}'.format(query_args))
    args = list(query_args)
    buf += S.INT.pack(len(args))
    for i, arg in enumerate(args):
        try:
            write(buf, arg, None, ctx)
        except ParameterError as e:
            raise ParameterError('query_args[{}]: {}'.format(i, e)) from None


def _cache_id(cache: Any) -> int:
    """The id of a cache given as a name, an id or a cache object (0 for None)."""
    if cache is None:
        return 0
    if isinstance(cache, str):
        if not cache:
            raise ParameterError('cache name must not be empty')
        return _ids.cache_id(cache)
    if isinstance(cache, int) and cache.__class__ is not bool:
        return _int('cache id', cache, -(1 << 31))
    cache_id = getattr(cache, 'cache_id', None)
    if isinstance(cache_id, int):
        return cache_id
    raise ParameterError('cache must be a cache name, a cache id or a Cache, not {!r}'.format(
        cache))


# --- queries ------------------------------------------------------------------------------


def _open(session: 'Session', state: CursorState, req: Request, page_op: int,
          fields: bool) -> Operation:
    """Send the first request of a query; return its first page, not decoded yet (the
    cursor hands it to :func:`take_page`, after it asked for the next one)."""
    if session.needs_prepare(req):
        yield from prepare(session, req)
    # given up before its reply is read, the request's cursor is closed by the inbox
    req.release = RELEASE_FROM_REPLY
    resp = yield req
    data, pos = resp.data, resp.pos
    try:
        cursor_id = _unpack_q(data, pos)[0]
        pos += 8
        # open on the server from now on: should anything below fail (or the caller give
        # up while a binary type is fetched), closing or dropping the cursor releases it
        state.cursor_id = cursor_id
        state.conn = resp.conn
        state.opened_in = conn_session(resp.conn)
        state.more = True
        if fields:
            columns = _unpack_i(data, pos)[0]
            pos += 4
            if state.field_names is not None:
                names = []
                for _ in range(columns):
                    name, pos = read_str_or_none(data, pos)
                    names.append(name)
                state.field_names = names
            state.reader = fields_page_reader(columns)
            if state.type_codes is not None:
                # filled from the first page, once it is decoded (see take_page)
                state.type_codes = [None] * columns
        else:
            state.reader = read_entry_page
    except (IndexError, struct.error) as e:
        raise ParseError('malformed query response: {!r}'.format(e)) from None
    state.page_op = page_op
    state.first_page = True
    return Response(data, pos, resp.conn)


def scan(session: 'Session', state: CursorState, cache: 'CacheRef', page_size: int = 1,
         partitions: int = -1, local: bool = False, filter: Any = None,
         node: Any = None) -> Operation:
    """Open a scan query (OP_QUERY_SCAN) over all entries of a cache.

    :param partitions: the one partition to scan; negative for all,
    :param filter: a complex object whose type name is a Java ``IgniteBiPredicate`` class
     on the server, or None,
    :param node: (a parallel scan's local scan of a node) the connection to scan on.
    """
    _int('page_size', page_size, 1)
    _int('partitions', partitions, -(1 << 31))
    local = _bool('local', local)
    if filter is not None and not isinstance(type(filter), GenericObjectMeta):
        raise ParameterError('filter must be a complex object (an instance of a '
                             'GenericObjectMeta class named after a Java IgniteBiPredicate '
                             'class deployed on the server), not {!r}'.format(filter))
    req = cache_request(OP_QUERY_SCAN, cache, CacheError, tx_aware=False)
    buf = req.buf
    if filter is None:
        buf.append(0x65)
    else:
        write(buf, filter, None, session.binary)
        buf.append(PLATFORM_JAVA)
        # the node deserializes the filter into the Java class of its type name
        yield from register_java_class_name(session, filter.__class__)
    buf += S.INT.pack(page_size)
    buf += S.INT.pack(partitions)
    buf.append(local)
    state.error = CacheError
    if node is not None and partitions < 0:
        req.conn = node
    else:
        yield from to_partition_owner(session, req, partitions)
    return (yield from _open(session, state, req, OP_QUERY_SCAN_CURSOR_GET_PAGE, False))


def to_partition_owner(session: 'Session', req: Request, partition: int) -> Operation:
    """Pin a query of one partition (``partition`` >= 0) of ``req``'s cache to the
    partition's primary node, when the client is partition-aware."""
    router = session.router
    if partition >= 0 and router is not None:
        # A local query sees only what the node it reaches holds of the partition, so it
        # must reach the partition's primary node; any other query of it saves a hop there.
        cache_id = req.cache_id
        if session.stale(cache_id):
            yield from refresh_partitions(session, cache_id)
        req.conn = router.connection_for_partition(cache_id, partition)


def sql_type_name(value_type_name: str) -> str:
    """The name the server knows a value type's table by.

    A Java class name loses its package and outer classes (``java.lang.String`` is
    ``String``), as the server's ``QueryUtils.typeName`` has it; the type names SQL DDL
    makes have neither.
    """
    name = value_type_name
    dot = name.rfind('.')
    if 0 <= dot < len(name) - 1:
        name = name[dot + 1:]
    if name.endswith('[]'):
        name = name[:-2] + '_array'
    name = name[name.rfind('$') + 1:]
    return name[name.rfind('+') + 1:]  # .NET nested classes


def sql(session: 'Session', state: CursorState, cache: 'CacheRef', query_str: str,
        page_size: int = 1, query_args: Any = None, distributed_joins: bool = False,
        replicated_only: bool = False, local: bool = False, timeout: int = 0) -> Operation:
    """Open an SQL query returning whole entries (OP_QUERY_SQL) over the cache's value type.

    The type is the ``value_type_name`` of the cache's first query entity; the cache
    settings are read first if the cache object does not hold them yet.
    """
    if not isinstance(query_str, str):
        raise ParameterError('query_str must be a str, not {!r}'.format(query_str))
    _int('page_size', page_size, 1)
    flags = bytes((_bool('distributed_joins', distributed_joins), _bool('local', local),
                   _bool('replicated_only', replicated_only)))
    timeout = _timeout(timeout)
    settings = cache._settings
    if settings is None:
        from .cache_config import get_settings
        settings = yield from get_settings(session, cache)
        cache._settings = settings
    entities = settings.get(PROP_QUERY_ENTITIES) or ()
    type_name = entities[0].get('value_type_name') if entities else None
    if not type_name:
        raise SQLError('Value type is unknown: cache {!r} has no query entity'.format(
            cache.name))
    req = cache_request(OP_QUERY_SQL, cache, SQLError, tx_aware=False)
    buf = req.buf
    write_string(buf, sql_type_name(type_name))
    write_string(buf, query_str)
    _args(buf, query_args, session.binary)
    buf += flags
    buf += S.INT.pack(page_size)
    buf += _pack_q(timeout)
    state.error = SQLError
    return (yield from _open(session, state, req, OP_QUERY_SQL_CURSOR_GET_PAGE, False))


def sql_fields(session: 'Session', state: CursorState, query_str: str, page_size: int = 1024,
               query_args: Any = None, schema: Optional[str] = 'PUBLIC', statement_type: int = 0,
               distributed_joins: bool = False, local: bool = False, replicated_only: bool = False,
               enforce_join_order: bool = False, collocated: bool = False, lazy: bool = False,
               include_field_names: bool = False, max_rows: int = -1,
               timeout: Optional[int] = 0, cache: Union[str, int, 'CacheRef', None] = None,
               partitions: Optional[Iterable[int]] = None,
               update_batch_size: Optional[int] = None) -> Operation:
    """Open an SQL fields query (OP_QUERY_SQL_FIELDS); rows are lists of column values.

    ``max_rows`` is enforced here: the server reads the field and ignores it. With
    ``include_field_names`` the column names end up in ``state.field_names``. What the
    optional protocol features add (the timeout's meaning, partitions, the update batch
    size, the caller's transaction) is decided in :mod:`pyignite._ops.sql_extras`.
    """
    if not isinstance(query_str, str):
        raise ParameterError('query_str must be a str, not {!r}'.format(query_str))
    _int('page_size', page_size, 1)
    if schema is not None and not isinstance(schema, str):
        raise ParameterError('schema must be a str or None, not {!r}'.format(schema))
    try:
        statement_type = StatementType(statement_type)
    except ValueError:
        raise ParameterError('statement_type must be a StatementType (0, 1 or 2), not '
                             '{!r}'.format(statement_type)) from None
    _int('max_rows', max_rows, -(1 << 31))
    flags = _SQL_FIELDS_FLAGS.pack(
        statement_type, _bool('distributed_joins', distributed_joins), _bool('local', local),
        _bool('replicated_only', replicated_only),
        _bool('enforce_join_order', enforce_join_order), _bool('collocated', collocated),
        _bool('lazy', lazy), sql_extras.sql_timeout(session, timeout),
        _bool('include_field_names', include_field_names))
    parts, batch_size = sql_extras.check_extras(session, partitions, update_batch_size)
    cache_id = _cache_id(cache)
    if cache_id:
        schema = None  # the server then uses the cache's schema
    req = Request(OP_QUERY_SQL_FIELDS, SQLError)
    buf = req.buf
    prefix, req.conn = sql_extras.cache_prefix(session, cache_id)
    buf += prefix
    write_string(buf, schema)
    if max_rows > 0:
        state.limit = max_rows
        # no point in the server sending rows past the limit
        buf += S.INT.pack(min(page_size, max_rows))
    else:
        buf += S.INT.pack(page_size)
    buf += S.INT.pack(max_rows)
    write_string(buf, query_str)
    _args(buf, query_args, session.binary)
    buf += flags
    sql_extras.write_extras(session, buf, parts, batch_size)
    state.error = SQLError
    if include_field_names:
        state.field_names = []
    return (yield from _open(session, state, req, OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE, True))


# --- paging and closing -------------------------------------------------------------------


def next_row(state: CursorState) -> Any:
    """The next row of the current page, or :data:`NEED_PAGE` (the page asked for ahead
    must be waited for, or one fetched with :func:`request_page`, then decoded with
    :func:`take_page`), or :data:`END`.

    :raises CursorError: a page of the cursor never came, so the rest are lost.
    """
    for row in state.it:
        return row
    if state.ahead is not None:
        return NEED_PAGE  # waiting for it tells how it went
    if state.broken is not None:
        raise CursorError('the cursor is broken: a page request failed ({!r}), so its '
                          'remaining rows are lost; run the query again'.format(
                              state.broken)) from state.broken
    return NEED_PAGE if state.more else END


#: what :func:`next_row` returns when a page must be fetched, and at the end
NEED_PAGE = object()
END = object()


def request_page(session: 'Session', state: CursorState) -> Operation:
    """Ask for the next page of an open cursor; return its reply, not decoded yet (or None
    when the server holds no more). The current page stays: the cursor may ask for the
    next one while its rows are still handed out (see :func:`wants_next`).

    A page that does not come (an error, a timeout, a cancellation) breaks the cursor:
    the server has moved past it, so it cannot be asked for again. The cursor is
    released (by the inbox, when the late reply comes) and :func:`next_row` raises.
    """
    if not state.more:
        return None
    yield from close_abandoned(session)
    if not _same_session(state):
        state.more = False
        raise ConnectionError('the connection of the cursor was lost; the server dropped '
                              'the cursor with it')
    req = Request(state.page_op, state.error)
    req.buf += _pack_q(state.cursor_id)
    req.conn = state.conn
    req.release = state.cursor_id
    try:
        resp: Response = yield req
    except CacheError as e:
        # a page that failed (a query cancelled by its timeout...) leaves the cursor
        # registered on the server
        state.broken = e
        try:
            yield from close_cursor(session, state)
        except CacheError:
            pass
        raise
    except BaseException as e:
        # the late reply, if any, closes the cursor (req.release)
        state.broken = e
        state.more = False
        if isinstance(e, OSError) and not session.nodes:
            # asked for ahead, then the client was closed: say that, as for any call
            raise ReconnectError('The client is not connected: call connect() first') from e
        raise
    return resp


def wants_next(state: CursorState, page: Response) -> bool:
    """Whether to ask for the page after ``page`` before decoding ``page``.

    A page ends with its ``has_more`` byte, which is the last byte of the reply: so the
    answer is known without decoding the page. No page is asked for past ``max_rows``.
    """
    data = page.data
    if not state.more or state.broken is not None or not data or data[-1] == 0:
        return False
    limit = state.limit
    return limit < 0 or _page_header(data, page.pos) < limit


def take_page(session: 'Session', state: CursorState, page: Optional[Response]) -> Operation:
    """Decode ``page`` (a reply :func:`request_page` or a query returned) into the
    cursor's current page, fetching the binary types it does not know.

    A page that cannot be decoded (or whose type fetch is given up on) breaks the cursor:
    its rows are lost, and the cursor must not go on as if they were not.
    """
    state.rows = []
    state.it = iter(state.rows)
    if page is None:
        return
    data = page.data
    try:
        # an open cursor has its reader
        (rows, more), end = yield from _decode_page(
            session, state.reader, data, page.pos)  # type: ignore[arg-type]
        if end != len(data):
            # the byte wants_next read as has_more was not the page's end
            raise ParseError('malformed cursor page: {} bytes after its end'.format(
                len(data) - end))
    except BaseException as e:
        state.broken = e
        raise
    if state.first_page and state.type_codes is not None:
        # after the page is decoded: any binary type it needs is known by now
        state.type_codes = column_type_codes(data, page.pos, len(state.type_codes),
                                             session.binary)
    yield from _take_page(session, state, rows, more)


def drop_page(state: CursorState, page: Optional[Response]) -> None:
    """Forget a page asked for ahead that nobody will read (the cursor is being closed);
    if it was the last one, the server freed the cursor already."""
    if page is not None and (not page.data or page.data[-1] == 0):
        state.more = False


def release(session: 'Session', state: CursorState) -> Operation:
    """Close the server-side cursor if the server still holds it (a cursor being left)."""
    if needs_close(state):
        try:
            yield from close_cursor(session, state)
        except OSError:
            pass  # the connection broke: the server dropped the cursor with it


def needs_close(state: CursorState) -> bool:
    """Whether the server still holds the cursor; forget it if its session is gone."""
    if state.more and not _same_session(state):
        state.more = False
    return state.more


def close_cursor(session: 'Session', state: CursorState) -> Operation:
    """Release the server-side cursor if the server still holds it."""
    if not state.more:
        return
    state.more = False
    if not _same_session(state):
        return  # the cursor went away with the old session
    try:
        yield close_request(state.conn, state.cursor_id)  # type: ignore[arg-type]
    except CacheError as e:
        if e.status != STATUS_RESOURCE_DOES_NOT_EXIST:
            raise


# --- partition-parallel scans -------------------------------------------------------------


def check_parallel(page_size: Any, partitions: Any, local: Any, filter: Any = None) -> None:
    """Check the parameters of a parallel scan.

    :raises ParameterError: a bad page size, or ``partitions``, ``local`` or ``filter``
     given with it.
    """
    if filter is not None:
        raise ParameterError('a parallel scan takes no filter')
    _int('page_size', page_size, 1)
    if _bool('local', local) or _int('partitions', partitions, -(1 << 31)) >= 0:
        raise ParameterError('a parallel scan reads every partition on its primary node: '
                             'it takes neither partitions nor local')


def scan_lanes(session: 'Session', cache: 'CacheRef') -> Operation:
    """The lanes of a parallel scan: ``(node, partitions)`` pairs; or None when the client
    has no partition map for the cache (not partition-aware, a replicated cache...).

    A node the client is connected to is scanned with one local scan, ``(its connection,
    [-1])``: the server's local scan of a partitioned cache reads the node's primary
    partitions only (backups would need ``includeBackups``, which the protocol does not
    send), so the nodes' local scans together read each partition once. The partitions
    of an owner the client has no live connection to are scanned one by one, ``(None,
    [partitions...])``, each wherever requests go.
    """
    router = session.router
    if router is None:
        return None
    cache_id = cache._cache_id
    if session.stale(cache_id):
        yield from refresh_partitions(session, cache_id)
    owners = router.partition_connections(cache_id)
    if not owners:
        return None
    lanes: Dict[Any, List[int]] = {}
    for partition, conn in enumerate(owners):
        if conn is None:
            lanes.setdefault(None, []).append(partition)
        else:
            lanes[conn] = [-1]
    return list(lanes.items())


class ScanLane:
    """One lane of a parallel scan (see :func:`scan_lanes`): a local scan of a node, or
    partitions scanned one after the other (each on its primary node if connected).

    :ivar state: the cursor of the partition being scanned, or None before the first.
    """

    def __init__(self, session: 'Session', cache: 'CacheRef', page_size: int, node: Any,
                 partitions: List[int]) -> None:
        self.session = session
        self.node = node
        self.cache = cache
        self.page_size = page_size
        self.todo = list(reversed(partitions))
        self.state: Optional[CursorState] = None

    def next_op(self, page: Optional[Response]) -> Optional[Operation]:
        """What to ask for after ``page`` (a page of :attr:`state`, None at the start):
        the next page of the partition, the first of the next partition, or None when the
        lane is done. Ask for it before decoding ``page`` into the cursor it came from
        (taken before this call, as this may move :attr:`state` on)."""
        state = self.state
        if page is not None and state is not None and wants_next(state, page):
            return request_page(self.session, state)
        if not self.todo:
            return None
        self.state = state = CursorState()
        partition = self.todo.pop()
        # -1: the local scan of the lane's node
        return scan(self.session, state, self.cache, self.page_size, partition, partition < 0,
                    node=self.node)

    def arrived(self, page: Optional[Response]) -> Tuple[Optional[Operation], Operation]:
        """What a driver does with a page of the lane that came: ``(next, take)``, where
        ``next`` is what to ask for after it (see :meth:`next_op`; None when the lane is
        done), to be sent before ``take`` is run, and ``take`` decodes the page and
        returns its rows."""
        state = self.state
        assert state is not None  # a page came: a partition's cursor was opened
        return self.next_op(page), _rows_of(self.session, state, page)

    def drop(self, page: Optional[Response]) -> None:
        """Forget a page of the lane nobody will read (the scan is being closed)."""
        if self.state is not None:
            drop_page(self.state, page)

    def open(self) -> bool:
        """Whether the server holds the cursor of the partition being scanned."""
        return self.state is not None and needs_close(self.state)

    def release(self) -> Operation:
        """Release the cursor of the partition being scanned if the server still holds it
        (after the request under way, if any, is over)."""
        if self.state is not None:
            try:
                yield from release(self.session, self.state)
            except CacheError:
                pass  # gone already


def make_lanes(session: 'Session', cache: 'CacheRef', page_size: int,
               lanes: List[Tuple[Any, List[int]]]) -> List[ScanLane]:
    """The :class:`ScanLane` of each ``(node, partitions)`` pair :func:`scan_lanes` gave."""
    return [ScanLane(session, cache, page_size, node, parts) for node, parts in lanes]


def _rows_of(session: 'Session', state: CursorState, page: Optional[Response]) -> Operation:
    yield from take_page(session, state, page)
    return state.rows
