"""Transactions over TRANSACTIONAL caches.

A transaction belongs to the thread (sync client) or asyncio task (async client)
that started it: while it is open, every cache operation made there joins it and
goes to the connection the transaction started on. Leaving a ``with`` block
without :meth:`~Transaction.commit` rolls it back.

Nested transactions are not supported: starting a second one in the same thread
or task makes it the current one until it ends.

Errors: invalid parameters raise :class:`ValueError` (as in the reference
client); a server refusal, e.g. a transaction that timed out, raises
:class:`~pyignite.exceptions.CacheError` with the server's message; a lost
connection raises the original :class:`OSError` and the server rolls back.
"""
from contextvars import Token
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Generator, Optional, Tuple, Type, TypeVar, Union

from ._ops import tx as ops
from ._facade import documented
from ._ops.common import Operation
from ._protocol.request import current_tx, enter_tx
from .datatypes.transactions import TransactionConcurrency, TransactionIsolation
from .exceptions import CacheError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from .connection.base import NodeConnection

__all__ = ['Transaction', 'AioTransaction']

#: the parameters of a transaction, documented once (``tx_start`` takes them too)
TX_PARAMETERS_DOC = """:param concurrency: (optional) a
 :class:`~pyignite.datatypes.transactions.TransactionConcurrency`, PESSIMISTIC by
 default,
:param isolation: (optional) a
 :class:`~pyignite.datatypes.transactions.TransactionIsolation`, REPEATABLE_READ by
 default,
:param timeout: (optional) timeout in ms, 0 (default) for none,
:param label: (optional) a label the server shows for the transaction,
"""

_E = TypeVar('_E', bound=IntEnum)

_OTHER_CONTEXT = 'Cannot commit transaction from different thread or coroutine'


def _enum_value(enum: Type[_E], value: Any, default: _E, name: str) -> _E:
    if value is None:
        return default
    if isinstance(value, bool):
        raise ValueError('{} must be a {}, not a bool'.format(name, enum.__name__))
    try:
        return enum(value)
    except (ValueError, TypeError):
        raise ValueError('{} must be one of {}, not {!r}'.format(
            name, ', '.join(enum.__name__ + '.' + m.name for m in enum), value)) from None


class _TransactionBase:
    """What sync and async transactions share: parameters, state and binding."""

    def __init__(self, client: 'BaseClient',
                 concurrency: Union[TransactionConcurrency, int, None] = None,
                 isolation: Union[TransactionIsolation, int, None] = None, timeout: int = 0,
                 label: Optional[str] = None) -> None:
        self.concurrency = _enum_value(TransactionConcurrency, concurrency,
                                       TransactionConcurrency.PESSIMISTIC, 'concurrency')
        self.isolation = _enum_value(TransactionIsolation, isolation,
                                     TransactionIsolation.REPEATABLE_READ, 'isolation')
        if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 0:
            raise ValueError('timeout must be a non-negative int (milliseconds), not {!r}'
                             .format(timeout))
        if label is not None and not isinstance(label, str):
            raise ValueError('label must be a str or None, not {!r}'.format(label))
        self.client = client
        self.timeout = timeout
        self.label = label
        #: the server's id of the transaction, None until it started
        self.tx_id: Optional[int] = None
        #: the connection the transaction lives on
        self.conn: Optional['NodeConnection'] = None
        #: True once committed, rolled back or lost
        self.closed = False
        self._token: Optional['Token[Any]'] = None
        self._created()

    def _created(self) -> None:
        """Called once the transaction is made: it starts when awaited (asyncio client)."""

    def _start_op(self) -> Operation:
        if self.tx_id is not None or self.closed:
            raise CacheError('the transaction has already been started')
        return ops.tx_start(self.client._session, self.concurrency, self.isolation, self.timeout,
                            self.label)

    def _started(self, result: Tuple['NodeConnection', int]) -> None:
        self.conn, self.tx_id = result
        self._token = enter_tx(self)

    def _end_op(self, committed: bool) -> Optional[Operation]:
        """The OP_TX_END operation, or None when there is nothing to send.

        :raises CacheError: the transaction was closed (commit only) or belongs to
         another thread or task.
        """
        if self.closed or self.tx_id is None:
            if committed:
                raise CacheError('the transaction is closed' if self.closed
                                 else 'the transaction has not been started')
            return None
        if current_tx.get() is not self:
            raise CacheError(_OTHER_CONTEXT)
        if not committed and not self.conn.alive:
            # the server rolled back when the connection dropped: nothing to send
            self._ended()
            return None
        return ops.tx_end(self.client._session, self.conn, self.tx_id, committed)

    def _ended(self) -> None:
        self.closed = True
        token, self._token = self._token, None
        if current_tx.get() is self:
            try:
                # a token of None (never started here) raises TypeError, as handled below
                current_tx.reset(token)  # type: ignore[arg-type]
            except (ValueError, TypeError):  # set in another context (a parent task)
                current_tx.set(None)

    def __repr__(self) -> str:
        state = 'closed' if self.closed else 'open' if self.tx_id is not None else 'new'
        return '{}(tx_id={}, {}, {}, timeout={}, label={!r}, {})'.format(
            type(self).__name__, self.tx_id, self.concurrency.name, self.isolation.name,
            self.timeout, self.label, state)


@documented("""A transaction of the sync client, started at once in the calling thread.

Prefer :meth:`Client.tx_start() <pyignite.client.Client.tx_start>`.

:param client: the :class:`~pyignite.client.Client`,
""" + TX_PARAMETERS_DOC + """:raises ValueError: a parameter is invalid,
:raises CacheError: the server could not start the transaction.
""")
class Transaction(_TransactionBase):

    def _created(self) -> None:
        self._started(self.client._run(self._start_op()))

    def commit(self) -> None:
        """Commit the transaction.

        :raises CacheError: the server refused (e.g. the transaction timed out or lost
         an optimistic conflict; it is rolled back then), the transaction is closed or
         belongs to another thread.
        """
        self._end(True)

    def rollback(self) -> None:
        """Roll the transaction back (nothing happens if it is already closed)."""
        self._end(False)

    def close(self) -> None:
        """Roll back unless already committed or rolled back."""
        self._end(False)

    def _end(self, committed: bool) -> None:
        op = self._end_op(committed)
        if op is None:
            return
        try:
            self.client._run(op)
        finally:
            # whatever the outcome, the server no longer has this transaction open
            self._ended()

    def __enter__(self) -> 'Transaction':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@documented("""A transaction of the asyncio client. It starts when awaited or entered with
``async with`` and belongs to the task that started it.

Prefer :meth:`AioClient.tx_start() <pyignite.aio_client.AioClient.tx_start>`.

:param client: the :class:`~pyignite.aio_client.AioClient`,
""" + TX_PARAMETERS_DOC + """:raises ValueError: a parameter is invalid.
""")
class AioTransaction(_TransactionBase):

    async def _start(self) -> 'AioTransaction':
        self._started(await self.client._run(self._start_op()))
        return self

    def __await__(self) -> Generator[Any, None, 'AioTransaction']:
        return self._start().__await__()

    async def __aenter__(self) -> 'AioTransaction':
        if self.tx_id is None:
            await self._start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def commit(self) -> None:
        """Commit the transaction.

        :raises CacheError: the server refused (e.g. the transaction timed out or lost
         an optimistic conflict; it is rolled back then), the transaction is closed or
         belongs to another task.
        """
        await self._end(True)

    async def rollback(self) -> None:
        """Roll the transaction back (nothing happens if it is already closed)."""
        await self._end(False)

    async def close(self) -> None:
        """Roll back unless already committed or rolled back."""
        await self._end(False)

    async def _end(self, committed: bool) -> None:
        op = self._end_op(committed)
        if op is None:
            return
        try:
            await self.client._run(op)
        finally:
            self._ended()
