"""The PEP 249 connection: a :class:`~pyignite.client.Client` and SQL settings.

Over the thin protocol each SQL statement runs and commits on its own, unless the server
offers transaction-aware queries (protocol feature 18, a server configured with
``TransactionConfiguration.txAwareQueriesEnabled``, Ignite 2.17+). So:

* ``autocommit`` is True by default: :meth:`Connection.commit` and
  :meth:`Connection.rollback` have nothing pending to act on;
* ``autocommit=False`` on a server with feature 18: the first statement starts a client
  transaction (PESSIMISTIC, READ_COMMITTED: the only isolation the server runs SQL in),
  which :meth:`~Connection.commit` or :meth:`~Connection.rollback` ends, and closing the
  connection rolls back. The transaction belongs to the thread that ran the statement
  (see :mod:`pyignite.transaction`): use such a connection from one thread. SQL reaches
  TRANSACTIONAL caches only (``WITH "ATOMICITY=TRANSACTIONAL"``);
* ``autocommit=False`` on any other server raises
  :class:`~pyignite.dbapi.exceptions.NotSupportedError` instead of pretending.
"""
import weakref
from typing import TYPE_CHECKING, Any, Optional

from ..datatypes.transactions import TransactionConcurrency, TransactionIsolation
from . import exceptions as _e
from .cursor import Cursor

if TYPE_CHECKING:  # pragma: no cover
    from ..client import Client
    from ..transaction import Transaction

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
        self._autocommit = True
        self._tx: Optional['Transaction'] = None
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
        """True (the default): each statement commits when it runs. False is accepted only
        by a server with transaction-aware queries, and raises
        :class:`~pyignite.dbapi.exceptions.NotSupportedError` otherwise; turning it back
        on commits what is pending (see the module documentation)."""
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._live()
        value = bool(value)
        if value == self._autocommit:
            return
        if not value and not tx_supported(self._client):
            raise _e.NotSupportedError(tx_unsupported(self._client))
        if value:
            self.commit()
        self._autocommit = value

    def cursor(self) -> Cursor:
        """:return: a new :class:`~pyignite.dbapi.cursor.Cursor`."""
        self._live()
        cursor = Cursor(self)
        self._cursors.add(cursor)
        return cursor

    def commit(self) -> None:
        """Commit the transaction of the statements run since the last commit or rollback,
        if ``autocommit`` is off; otherwise nothing to do (each statement committed when it
        ran)."""
        self._end(True)

    def rollback(self) -> None:
        """Roll back the statements run since the last commit or rollback, if
        ``autocommit`` is off; otherwise nothing is pending."""
        self._end(False)

    def _end(self, commit: bool) -> None:
        self._live()
        tx, self._tx = self._tx, None
        if tx is None:
            return
        try:
            if commit:
                tx.commit()
            else:
                tx.rollback()
        except _e.Error:
            raise
        except Exception as e:
            raise _e.translate(e) from e

    def _begin(self) -> None:
        """Before a statement: start its transaction if ``autocommit`` is off and none is
        open."""
        if self._autocommit or self._tx is not None:
            return
        try:
            self._tx = self._client.tx_start(TransactionConcurrency.PESSIMISTIC,
                                             TransactionIsolation.READ_COMMITTED)
        except Exception as e:
            raise _e.translate(e) from e

    def close(self) -> None:
        """Close the connection's cursors, roll back what is not committed, and close its
        client if :func:`connect` made it. Closing twice is allowed."""
        if self._closed:
            return
        for cursor in list(self._cursors):
            cursor.close()
        tx, self._tx = self._tx, None
        self._closed = True
        try:
            if tx is not None:
                tx.rollback()  # PEP 249: closing without a commit rolls back
        finally:
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


def tx_supported(client: 'Client') -> bool:
    """Whether the server runs SQL in client transactions (feature 18 negotiated)."""
    ctx = client._session.protocol_context
    return ctx is not None and FEATURE_TX_AWARE_QUERIES in ctx.features


def tx_unsupported(client: 'Client') -> str:
    """Why ``autocommit=False`` cannot be honoured on this client's connection."""
    return ('autocommit=False needs SQL transactions: Ignite runs each statement of a thin '
            'client in a transaction of its own unless the server offers transaction-aware '
            'queries (protocol feature 18: TransactionConfiguration.txAwareQueriesEnabled, '
            'Ignite 2.17+), and this one does not')
