"""The PEP 249 connection: a :class:`~pyignite.client.Client` and SQL settings.

There is no SQL transaction to commit or roll back: over the thin protocol each statement
runs and commits on its own, unless the server offers transaction-aware queries (protocol
feature 18), which this client does not negotiate. So ``autocommit`` is always True,
:meth:`Connection.commit` and :meth:`Connection.rollback` have nothing pending to act on,
and asking for ``autocommit=False`` raises
:class:`~pyignite.dbapi.exceptions.NotSupportedError` instead of pretending.
"""
import weakref
from typing import TYPE_CHECKING, Any

from . import exceptions as _e
from .cursor import Cursor

if TYPE_CHECKING:  # pragma: no cover
    from ..client import Client

__all__ = ['Connection']

#: the protocol feature bit of transaction-aware queries (ClientBitmaskFeature)
FEATURE_TX_AWARE_QUERIES = 18


class Connection:
    """A DB-API connection; made by :func:`pyignite.dbapi.connect`.

    May be shared between threads (each thread with cursors of its own), as its
    :class:`~pyignite.client.Client` may.

    :param client: a connected client,
    :param owns_client: close the client with the connection,
    :param schema: the SQL schema statements run in,
    :param page_size: rows per server round trip.
    """

    Warning = _e.Warning
    Error = _e.Error
    InterfaceError = _e.InterfaceError
    DatabaseError = _e.DatabaseError
    DataError = _e.DataError
    OperationalError = _e.OperationalError
    IntegrityError = _e.IntegrityError
    InternalError = _e.InternalError
    ProgrammingError = _e.ProgrammingError
    NotSupportedError = _e.NotSupportedError

    def __init__(self, client: 'Client', owns_client: bool, schema: str = 'PUBLIC',
                 page_size: int = 1024) -> None:
        self._client = client
        self._owns_client = owns_client
        self._closed = False
        self._cursors: 'weakref.WeakSet[Cursor]' = weakref.WeakSet()
        self.schema = schema
        self.page_size = page_size

    @property
    def client(self) -> 'Client':
        """:return: the pyignite client the statements go through."""
        self._live()
        return self._client

    @property
    def closed(self) -> bool:
        """:return: True once :meth:`close` was called."""
        return self._closed

    @property
    def autocommit(self) -> bool:
        """Always True: each statement commits when it runs. Setting it to False raises
        :class:`~pyignite.dbapi.exceptions.NotSupportedError` (see the module documentation)."""
        return True

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._live()
        if not value:
            raise _e.NotSupportedError(tx_unsupported(self._client))

    def cursor(self) -> Cursor:
        """:return: a new :class:`~pyignite.dbapi.cursor.Cursor`."""
        self._live()
        cursor = Cursor(self)
        self._cursors.add(cursor)
        return cursor

    def commit(self) -> None:
        """Nothing to do: every statement was committed when it ran (autocommit)."""
        self._live()

    def rollback(self) -> None:
        """Nothing to do: every statement was committed when it ran (autocommit), so there
        is nothing pending to roll back."""
        self._live()

    def close(self) -> None:
        """Close the connection's cursors, and its client if :func:`connect` made it.
        Closing twice is allowed."""
        if self._closed:
            return
        for cursor in list(self._cursors):
            cursor.close()
        self._closed = True
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> 'Connection':
        self._live()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _forget_cursor(self, cursor: Cursor) -> None:
        self._cursors.discard(cursor)

    def _live(self) -> None:
        if self._closed:
            raise _e.InterfaceError('the connection is closed')


def tx_unsupported(client: 'Client') -> str:
    """Why ``autocommit=False`` cannot be honoured on this client's connection."""
    ctx = client._session.protocol_context
    negotiated = ctx is not None and FEATURE_TX_AWARE_QUERIES in ctx.features
    return ('autocommit=False needs SQL transactions: Ignite runs each statement of a thin '
            'client in a transaction of its own unless transaction-aware queries (protocol '
            'feature 18) are negotiated, {}'.format(
                'and pyignite.dbapi does not run SQL in client transactions yet' if negotiated
                else 'and they are not (pyignite does not ask for them)'))
