"""The data streamer: fast loading of many entries into a cache.

Get one from :meth:`Client.data_streamer <pyignite.client.Client.data_streamer>` (or
:meth:`AioClient.data_streamer <pyignite.aio_client.AioClient.data_streamer>`) and use it
as a context manager::

    with client.data_streamer('my cache') as streamer:
        for i in range(1_000_000):
            streamer.add(i, str(i))
    # every entry is in the cache here, or close() raised DataStreamerError

Entries are buffered per primary node (with partition awareness, the client's partition
maps tell which node that is) and sent as batches of ``per_node_buffer_size`` entries,
with up to ``per_node_parallel_operations`` batches in flight to each node. Each batch is
loaded by the server's own data streamer, which writes it before replying: a reply
acknowledges the whole batch.

A batch that fails because its connection broke, its node is stopping, or the topology
changed meanwhile is sent again (to a live node) a few times. Entries whose batch still
fails are counted: :meth:`DataStreamer.flush` and :meth:`DataStreamer.close` then raise
:class:`~pyignite.exceptions.DataStreamerError` saying how many entries the server did
not acknowledge. Nothing is dropped silently. Without ``allow_overwrite`` the server does
not guarantee what it acknowledged while the topology changed, so batches acknowledged
around a topology change are sent again once it settled (see the *Bulk loading* chapter
of the docs). A batch sent again may be written twice;
that is harmless for entries that are only added, but the order of writes to one key
across batches is not kept (do not stream changes to the same key that depend on order).

The sync streamer keeps several batches in flight from the calling thread without
threads of its own: batches are written to the connections one after the other and their
replies collected later, oldest first, when a node has as many in flight as allowed (or at
a flush). The asyncio streamer runs each batch as a task; :meth:`AioDataStreamer.add`
waits (back-pressure) while the node of a full batch has as many in flight as allowed.
"""
import asyncio
import time
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Tuple, Union

from ._ops.streamer import (
    DEFAULT_BUFFER_SIZE, DEFAULT_PARALLEL_OPERATIONS, RUN, SETTLE, SLEEP, Batch, Steps,
    StreamerState,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['DataStreamer', 'AioDataStreamer']

Pairs = Union[Dict[Any, Any], Iterable[Tuple[Any, Any]]]


def _pairs(pairs: Pairs) -> Iterable[Tuple[Any, Any]]:
    items = getattr(pairs, 'items', None)
    return items() if items is not None else pairs


class _Base:
    """What both streamers share: the state and its read-only views."""

    def __init__(self, client: 'BaseClient', cache: Any, allow_overwrite: bool = False,
                 skip_store: bool = False, per_node_buffer_size: int = DEFAULT_BUFFER_SIZE,
                 per_node_parallel_operations: int = DEFAULT_PARALLEL_OPERATIONS,
                 flush_interval: Optional[float] = None, receiver: Any = None) -> None:
        self._client: Any = client  # a Client or an AioClient: each facade knows its own
        self._state = StreamerState(client._session, cache, allow_overwrite, skip_store,
                                    per_node_buffer_size, per_node_parallel_operations,
                                    flush_interval, receiver)
        self._opened = False

    @property
    def acknowledged(self) -> int:
        """How many entries the server acknowledged so far."""
        return self._state.acknowledged

    @property
    def failed(self) -> int:
        """How many entries were given up on so far (their batches failed)."""
        return self._state.failed

    @property
    def per_node(self) -> Dict[Any, int]:
        """Entries acknowledged per node they were sent to: node id (a
        :class:`~uuid.UUID`) to count; None counts the entries sent to the client's
        default connection (no partition map, or a failed batch sent again)."""
        return dict(self._state.per_node)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._state.closed

    def __repr__(self) -> str:
        return '<{} cache id {}: {} acknowledged, {} failed{}>'.format(
            type(self).__name__, self._state.cache_id, self.acknowledged, self.failed,
            ', closed' if self.closed else '')


class DataStreamer(_Base):
    """Loads entries into a cache in batches, per node (see :mod:`pyignite.data_streamer`).

    Made by :meth:`Client.data_streamer <pyignite.client.Client.data_streamer>`; use it
    from one thread. Leaving a ``with`` block closes it (cancelling it, if the block
    raised).
    """

    def __enter__(self) -> 'DataStreamer':
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(cancel=exc_type is not None)

    def add(self, key: Any, value: Any) -> None:
        """Add an entry (a key and a value, each maybe a ``(value, hint)`` tuple).

        May block while a full batch waits for room among its node's batches in flight.

        :raises ParameterError: a key or value that can't be written (nothing of it is
         buffered), a None value, or a closed streamer.
        """
        state = self._state
        if not self._opened:
            self._open()
        batch = state.add(key, value)
        if batch is not None:
            self._send(batch)
        elif state.flush_due():
            self._send_all()

    def add_all(self, pairs: Pairs) -> None:
        """Add entries: a dict, or an iterable of ``(key, value)`` pairs."""
        for key, value in _pairs(pairs):
            self.add(key, value)

    def remove(self, key: Any) -> None:
        """Remove a key (streamers made with ``allow_overwrite=True`` only).

        :raises ParameterError: the streamer does not allow overwriting.
        """
        if not self._opened:
            self._open()
        batch = self._state.remove(key)
        if batch is not None:
            self._send(batch)

    def flush(self) -> None:
        """Send every buffered entry and wait until the server acknowledged every batch.

        :raises DataStreamerError: some entries were given up on (so far, in all).
        """
        self._carry_out(self._state.flushing())

    def close(self, cancel: bool = False) -> None:
        """Send what is buffered (unless ``cancel``), wait for every batch in flight and
        close the streamer. Closing a closed streamer does nothing.

        :param cancel: (optional) drop the entries not sent yet,
        :raises DataStreamerError: some entries were given up on.
        """
        self._carry_out(self._state.closing(cancel))

    # --- moving batches: the state decides, these carry its steps out -------------------

    def _open(self) -> None:
        self._client._run(self._state.open_op())
        self._opened = True

    def _send_all(self) -> None:
        for batch in self._state.take_all():
            self._send(batch)

    def _send(self, batch: Batch) -> None:
        self._carry_out(self._state.sending(batch))

    def _carry_out(self, steps: Steps) -> None:
        try:
            for kind, item in steps:
                if kind == SETTLE:
                    self._settle(item)
                elif kind == RUN:
                    self._client._run(item)
                elif kind == SLEEP:
                    time.sleep(item)
                else:
                    self._start(item)
        finally:
            steps.close()

    def _start(self, batch: Batch) -> None:
        state = self._state
        call = state.call(batch)
        state.sent(batch, None)
        try:
            batch.handle = self._client._start(call)
        except Exception as e:
            self._failed(batch, e)

    def _settle(self, batch: Batch) -> None:
        try:
            self._client._finish(batch.handle)
        except Exception as e:
            self._failed(batch, e)
        else:
            self._state.done(batch)

    def _failed(self, batch: Batch, error: Exception) -> None:
        again = self._state.failed_with(batch, error)
        if again is not None:
            time.sleep(again.delay)
            self._send(again)


class AioDataStreamer(_Base):
    """The asyncio data streamer (see :mod:`pyignite.data_streamer`).

    Made by :meth:`AioClient.data_streamer <pyignite.aio_client.AioClient.data_streamer>`;
    use it from one task, with ``async with``. Leaving the block closes it (cancelling it,
    if the block raised).
    """

    async def __aenter__(self) -> 'AioDataStreamer':
        if not self._opened:
            await self._open()
        return self

    async def __aexit__(self, exc_type: Any, *exc: Any) -> None:
        await self.close(cancel=exc_type is not None)

    async def add(self, key: Any, value: Any) -> None:
        """Add an entry (a key and a value, each maybe a ``(value, hint)`` tuple).

        Waits while a full batch waits for room among its node's batches in flight: the
        caller is slowed down to the pace of the cluster (back-pressure).

        :raises ParameterError: a key or value that can't be written (nothing of it is
         buffered), a None value, or a closed streamer.
        """
        state = self._state
        if not self._opened:
            await self._open()
        batch = state.add(key, value)
        if batch is not None:
            await self._send(batch)
        elif state.flush_due():
            await self._send_all()

    async def add_all(self, pairs: Pairs) -> None:
        """Add entries: a dict, or an iterable of ``(key, value)`` pairs."""
        for key, value in _pairs(pairs):
            await self.add(key, value)

    async def remove(self, key: Any) -> None:
        """Remove a key (streamers made with ``allow_overwrite=True`` only).

        :raises ParameterError: the streamer does not allow overwriting.
        """
        if not self._opened:
            await self._open()
        batch = self._state.remove(key)
        if batch is not None:
            await self._send(batch)

    async def flush(self) -> None:
        """Send every buffered entry and wait until the server acknowledged every batch.

        :raises DataStreamerError: some entries were given up on (so far, in all).
        """
        await self._carry_out(self._state.flushing())

    async def close(self, cancel: bool = False) -> None:
        """Send what is buffered (unless ``cancel``), wait for every batch in flight and
        close the streamer. Closing a closed streamer does nothing.

        :param cancel: (optional) drop the entries not sent yet,
        :raises DataStreamerError: some entries were given up on.
        """
        await self._carry_out(self._state.closing(cancel))

    # --- moving batches: the state decides, these carry its steps out -------------------

    async def _open(self) -> None:
        await self._client._run(self._state.open_op())
        self._opened = True

    async def _send_all(self) -> None:
        for batch in self._state.take_all():
            await self._send(batch)

    async def _send(self, batch: Batch) -> None:
        await self._carry_out(self._state.sending(batch))

    async def _carry_out(self, steps: Steps) -> None:
        try:
            for kind, item in steps:
                if kind == SETTLE:
                    await self._settle(item)
                elif kind == RUN:
                    await self._client._run(item)
                elif kind == SLEEP:
                    await asyncio.sleep(item)
                else:
                    state = self._state
                    call = state.call(item)
                    state.sent(item, asyncio.ensure_future(self._client._run(call)))
        finally:
            steps.close()

    async def _settle(self, batch: Batch) -> None:
        try:
            await batch.handle
        except Exception as e:
            again = self._state.failed_with(batch, e)
            if again is not None:
                await asyncio.sleep(again.delay)
                await self._send(again)
        else:
            self._state.done(batch)
