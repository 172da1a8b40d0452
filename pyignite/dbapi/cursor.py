"""The PEP 249 cursor, over the SQL fields query of :mod:`pyignite._ops.query`.

A result set is read a page at a time as :meth:`Client.sql` does (the cursor's paging,
closing and the release of an abandoned server-side cursor are the same code); rows are
lists of column values.
"""
import datetime
from itertools import islice
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Protocol, Sequence, Tuple,
)

from .._ops import query
from ..cursors import _SyncCursor
from ..datatypes.java_objects import SqlDate
from ..datatypes.standard import TimeObject
from ..datatypes.type_codes import TC_TIME, TC_TIMESTAMP
from . import _statements
from .exceptions import Error, InterfaceError, ProgrammingError, translate
from .types import type_name

if TYPE_CHECKING:  # pragma: no cover
    from ..client import Client

__all__ = ['Cursor']


class ConnectionLike(Protocol):
    """What a cursor uses of its :class:`pyignite.dbapi.connection.Connection` (which
    imports this module, so it is not imported back)."""

    schema: str
    page_size: int

    @property
    def client(self) -> 'Client': ...

    def _live(self) -> None: ...

    def _begin(self) -> None: ...

    def _forget_cursor(self, cursor: 'Cursor') -> None: ...


#: one column of ``Cursor.description``
Column = Tuple[str, str, None, None, None, None, None]

#: how many rows ``executemany`` sends in one INSERT, and at most how many parameters:
#: a bound on the statement the server parses and plans once for the whole batch
_BATCH_ROWS = 128
_BATCH_PARAMETERS = 1024


def _timestamp(value: Tuple[datetime.datetime, int]) -> datetime.datetime:
    moment, nanos = value  # nanoseconds past the millisecond
    return moment + datetime.timedelta(microseconds=nanos // 1000) if nanos else moment


def _time(value: datetime.timedelta) -> datetime.time:
    return (datetime.datetime.min + value).time()


#: wire type code -> what makes its pyignite value the PEP 249 one
_CONVERTERS: Dict[Optional[int], Callable[[Any], Any]] = {
    TC_TIMESTAMP: _timestamp, TC_TIME: _time,
}


class _Result(_SyncCursor):
    """One result: a server-side SQL fields cursor, opened with the column names and the
    type codes of its first page."""

    def __init__(self, client: 'Client', sql: str, args: Optional[List[Any]], schema: str,
                 page_size: int) -> None:
        super().__init__(client)
        state = self._state
        state.type_codes = []
        self._page(client._run(query.sql_fields(client._session, state, sql, page_size, args,
                                                schema, include_field_names=True)))
        next(state.it, None)  # row 0 is the names
        self.converters = [(i, _CONVERTERS[code]) for i, code in enumerate(self.type_codes)
                           if code in _CONVERTERS]

    @property
    def names(self) -> List[Optional[str]]:
        return self._state.field_names or []

    @property
    def type_codes(self) -> List[Optional[int]]:
        return self._state.type_codes or []

    def first_values(self) -> List[Any]:
        """The first non-null value of each column in the current page (None if none)."""
        values: List[Any] = [None] * len(self.names)
        for column in range(len(values)):
            for row in self._state.rows[1:]:
                if row[column] is not None:
                    values[column] = row[column]
                    break
        return values

    def take(self, n: int) -> List[Any]:
        """Up to ``n`` next rows (all of them for a negative ``n``)."""
        state = self._state
        out: List[Any] = []
        while n < 0 or len(out) < n:
            out.extend(state.it if n < 0 else islice(state.it, n - len(out)))
            if 0 <= n <= len(out):
                break
            row = query.next_row(state)
            if row is query.NEED_PAGE:
                self._page(None)
            elif row is query.END:
                break
            else:
                out.append(row)
        if self.converters:
            for row in out:
                for i, convert in self.converters:
                    if row[i] is not None:
                        row[i] = convert(row[i])
        return out


def _arguments(parameters: Any) -> Optional[List[Any]]:
    if parameters is None:
        return None
    if isinstance(parameters, (str, bytes, bytearray, dict)) or not hasattr(
            parameters, '__iter__'):
        raise ProgrammingError("parameters must be a sequence of values (paramstyle 'qmark'), "
                               'not {!r}'.format(type(parameters).__name__))
    return [_argument(value) for value in parameters]


def _argument(value: Any) -> Any:
    if isinstance(value, datetime.time):
        # PEP 249's Time has no Ignite type of its own to be guessed from
        return value, TimeObject
    if value.__class__ is datetime.date:
        # a plain date would go as a java.util.Date, which SQL takes for a TIMESTAMP
        return SqlDate(value.year, value.month, value.day)
    return value


class Cursor:
    """A PEP 249 cursor: runs statements and hands out their rows.

    Made by :meth:`Connection.cursor`. Not to be shared between threads.

    :ivar arraysize: how many rows :meth:`fetchmany` returns by default (1).
    """

    def __init__(self, connection: 'ConnectionLike') -> None:
        self._connection: Optional['ConnectionLike'] = connection
        self._result: Optional[_Result] = None
        self._description: Optional[List[Column]] = None
        self._rowcount = -1
        self.arraysize = 1

    # --- attributes -------------------------------------------------------------------------

    @property
    def connection(self) -> 'ConnectionLike':
        """:return: the connection the cursor belongs to."""
        return self._live()

    @property
    def description(self) -> Optional[List[Column]]:
        """One 7-item tuple per column of the last result set: ``(name, type_code, None,
        None, None, None, None)``, or None when the last statement returned none (DML,
        DDL) or nothing ran yet. The type code is an SQL type name (see
        :mod:`pyignite.dbapi.types`)."""
        return self._description

    @property
    def rowcount(self) -> int:
        """The number of rows the last DML statement (or ``executemany``) changed, -1 for
        anything else."""
        return self._rowcount

    @property
    def lastrowid(self) -> None:
        """Always None: Ignite tables have no row ids."""
        return None

    # --- statements -------------------------------------------------------------------------

    def execute(self, operation: str, parameters: Optional[Sequence[Any]] = None) -> 'Cursor':
        """Run one SQL statement.

        :param operation: the SQL, with ``?`` for each parameter,
        :param parameters: (optional) the parameter values, a sequence,
        :return: this cursor.
        """
        connection = self._live()
        self._forget()
        if not isinstance(operation, str):
            raise ProgrammingError('operation must be a str, not {!r}'.format(
                type(operation).__name__))
        args = _arguments(parameters)
        kind = _statements.kind(operation)
        result = self._run(connection, operation, args)
        if kind == _statements.QUERY:
            self._result = result
            sample = result.first_values()
            self._description = [
                (name or '', type_name(code, value), None, None, None, None, None)
                for name, code, value in zip(result.names, result.type_codes, sample)]
        else:
            rows = result.take(2)
            result.close()
            if kind == _statements.DML and len(rows) == 1 and len(rows[0]) == 1:
                self._rowcount = int(rows[0][0])
        return self

    def executemany(self, operation: str, seq_of_parameters: Any) -> 'Cursor':
        """Run one DML statement once per parameter sequence.

        An ``INSERT`` or ``MERGE`` whose single ``VALUES (...)`` row holds every parameter
        is sent as one statement of many rows (up to 128 rows or 1024 parameters a round
        trip; batches of one size share the server's query plan); anything else runs once
        per parameter sequence. :attr:`rowcount` is the total.

        :param operation: the SQL, with ``?`` for each parameter,
        :param seq_of_parameters: an iterable of parameter sequences,
        :return: this cursor.
        """
        connection = self._live()
        self._forget()
        if not isinstance(operation, str):
            raise ProgrammingError('operation must be a str, not {!r}'.format(
                type(operation).__name__))
        rows = [_arguments(p) or [] for p in seq_of_parameters]
        template = _statements.values_template(operation)
        total = 0
        if template is not None:
            head, row, width = template
            per_batch = max(1, min(_BATCH_ROWS, _BATCH_PARAMETERS // width))
            for start in range(0, len(rows), per_batch):
                batch = rows[start:start + per_batch]
                args: List[Any] = []
                for params in batch:
                    if len(params) != width:
                        raise ProgrammingError('the statement takes {} parameters, {} given: '
                                               '{!r}'.format(width, len(params), params))
                    args.extend(params)
                sql = head + ', '.join([row] * len(batch))
                total += self._update_count(connection, sql, args)
        else:
            for params in rows:
                total += max(0, self._update_count(connection, operation, params))
        self._rowcount = total if _statements.kind(operation) == _statements.DML else -1
        return self

    def _update_count(self, connection: 'ConnectionLike', sql: str, args: List[Any]) -> int:
        result = self._run(connection, sql, args)
        rows = result.take(2)
        result.close()
        if len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], int):
            return int(rows[0][0])
        return -1

    def _run(self, connection: 'ConnectionLike', sql: str, args: Optional[List[Any]]) -> _Result:
        connection._begin()
        try:
            return _Result(connection.client, sql, args, connection.schema, connection.page_size)
        except Error:
            raise
        except Exception as e:
            raise translate(e) from e

    # --- rows -------------------------------------------------------------------------------

    def fetchone(self) -> Optional[List[Any]]:
        """:return: the next row (a list of column values), or None at the end."""
        rows = self._take(1)
        return rows[0] if rows else None

    def fetchmany(self, size: Optional[int] = None) -> List[List[Any]]:
        """:param size: (optional) how many rows, :attr:`arraysize` by default,
        :return: up to ``size`` next rows; fewer (or none) at the end."""
        if size is None:
            size = self.arraysize
        if not isinstance(size, int) or size < 0:
            raise ProgrammingError('size must be a non-negative int, not {!r}'.format(size))
        return self._take(size)

    def fetchall(self) -> List[List[Any]]:
        """:return: every remaining row."""
        return self._take(-1)

    def _take(self, n: int) -> List[Any]:
        self._live()
        result = self._result
        if result is None:
            raise ProgrammingError('no result set: the last statement returned none, or no '
                                   'statement ran yet')
        if n == 0:
            return []
        try:
            return result.take(n)
        except Error:
            raise
        except Exception as e:
            raise translate(e) from e

    def __iter__(self) -> Iterator[List[Any]]:
        return self

    def __next__(self) -> List[Any]:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    # --- no-ops PEP 249 asks for ------------------------------------------------------------

    def setinputsizes(self, sizes: Any) -> None:
        """Does nothing: parameters carry their own types."""
        self._live()

    def setoutputsize(self, size: Any, column: Optional[int] = None) -> None:
        """Does nothing: values are read whole."""
        self._live()

    # --- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the result set; the cursor can't be used afterwards (but
        :attr:`rowcount` still tells the last statement's count). Closing twice is
        allowed."""
        if self._connection is not None:
            rowcount = self._rowcount
            self._forget()
            self._rowcount = rowcount
            self._connection._forget_cursor(self)
            self._connection = None

    def __enter__(self) -> 'Cursor':
        self._live()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _forget(self) -> None:
        result, self._result = self._result, None
        self._description = None
        self._rowcount = -1
        if result is not None:
            try:
                result.close()
            except Exception:
                pass  # the server drops a cursor of a lost connection by itself

    def _live(self) -> 'ConnectionLike':
        connection = self._connection
        if connection is None:
            raise InterfaceError('the cursor is closed')
        connection._live()
        return connection
