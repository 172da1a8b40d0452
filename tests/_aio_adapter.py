"""Run sync-looking integration tests through the asyncio client as well.

The tests of tests/binary and tests/sql are written against the sync API. Their client
fixtures take the ``api`` fixture, parametrized over :data:`MODES`: in ``sync`` mode
they hand a :class:`~pyignite.Client` to the test, in ``async`` mode an
:class:`~pyignite.AioClient` seen through :class:`Synced`, which runs every awaitable the
async API returns to its end on a private event loop. So ``cache.get(k)`` in a test body
is ``await cache.get(k)`` for real, through ``AioClient._run`` and ``AioConnection``.

The documented differences of the two APIs are handled here, and nowhere else:

- ``AioCache.settings`` and ``AioClient.random_node`` are coroutine methods,
  ``Cache.settings`` and ``Client.random_node`` properties;
- ``AioClient.sql()`` and ``AioCache.scan()`` return cursors that run their query when
  awaited. The adapter awaits them at once (the sync cursors run when built), iterates
  them with ``__anext__`` and enters and leaves them with ``__aenter__``/``__aexit__``;
- ``AioClient.tx_start()`` returns a transaction that starts when awaited; the adapter
  awaits it, and ``with`` enters and leaves it with ``async with``. A transaction belongs
  to the thread (sync) or the task (async) that started it: the adapter runs every call
  made from one thread in that thread's own context (:func:`run`), so a thread of the
  test plays the part of a task, and a call from another thread is outside the
  transaction in both modes;
- ``AioCache`` has no ``select_row``, and some tests are sync by nature (threads sharing
  one client): such tests, or single params of a test, carry
  ``@pytest.mark.sync_only(reason)`` and are deselected in async mode.
"""
import asyncio
import contextvars
import inspect
import threading
import weakref

from pyignite import AioClient, Client
from pyignite.aio_cache import AioCache
from pyignite.cluster_group import AioClusterGroup
from pyignite.compute import AioCompute
from pyignite.services import AioServiceProxy, AioServices
from pyignite.connection.aio_connection import AioConnection
from pyignite.cursors import AioParallelScanCursor, _AioCursor
from pyignite.atomic_long import AioAtomicLong
from pyignite.data_streamer import AioDataStreamer
from pyignite.ignite_set import AioIgniteSet
from pyignite.transaction import AioTransaction

__all__ = ['MODES', 'Connector', 'Synced', 'run', 'unwrap', 'call_with', 'register_marker',
           'deselect_sync_only']

MODES = ('sync', 'async')

#: loop -> per-thread state: the context variables the thread's last call left set
_THREADS: 'weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, threading.local]' = \
    weakref.WeakKeyDictionary()


def run(loop: asyncio.AbstractEventLoop, awaitable):
    """Run ``awaitable`` to its end on ``loop`` as a task that carries on the context of
    the calling thread's previous calls.

    ``run_until_complete`` makes a new task per call, with a fresh copy of the thread's
    context: what one call sets in a context variable (the current transaction) would be
    gone at the next call. Each thread's calls here share their variables instead, as the
    calls of one task do. (A loop is driven by one thread at a time: a test that needs two
    threads in the loop at once is ``sync_only``.)
    """
    state = _THREADS.setdefault(loop, threading.local())

    async def carry_on():
        for var, value in getattr(state, 'context', {}).items():
            var.set(value)
        try:
            return await awaitable
        finally:
            state.context = contextvars.copy_context()

    return loop.run_until_complete(carry_on())


class Synced:
    """A sync-looking view of an async pyignite object (client, cache, connection).

    Attributes are the target's; calling a method calls the target's, runs the
    awaitable it returns on the loop, and wraps an async pyignite object it gives.
    """

    __slots__ = ('_target', '_loop')

    def __init__(self, target, loop: asyncio.AbstractEventLoop):
        self._target = target
        self._loop = loop

    def __repr__(self):
        return 'Synced({!r})'.format(self._target)

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if not callable(value):
            return _settle(value, self._loop)

        def call(*args, **kwargs):
            args = [unwrap(arg) for arg in args]
            kwargs = {key: unwrap(arg) for key, arg in kwargs.items()}
            return _settle(value(*args, **kwargs), self._loop)

        return call

    def __enter__(self):
        """``with client.connect(...):`` or ``with client.tx_start():`` as with the sync
        client: ``async with`` underneath."""
        return _settle(self._target.__aenter__(), self._loop)

    def __exit__(self, *exc):
        run(self._loop, self._target.__aexit__(*exc))


class SyncedCache(Synced):
    """An :class:`AioCache` with ``settings`` read as the sync property is."""

    __slots__ = ()

    @property
    def settings(self):
        return run(self._loop, self._target.settings())


class SyncedClient(Synced):
    """An :class:`AioClient` with ``random_node`` read as the sync property is."""

    __slots__ = ()

    @property
    def random_node(self):
        return run(self._loop, self._target.random_node())


class SyncedCursor(Synced):
    """An async cursor (already awaited, so its query ran) as a sync iterator and
    context manager."""

    __slots__ = ()

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return run(self._loop, self._target.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def __enter__(self):
        run(self._loop, self._target.__aenter__())
        return self

    def __exit__(self, *exc):
        run(self._loop, self._target.__aexit__(*exc))


class SyncedSet(Synced):
    """An :class:`AioIgniteSet` with ``in``, ``len()`` and iteration as the sync
    :class:`~pyignite.ignite_set.IgniteSet` has them (its ``contains``, ``size`` and
    ``async for``)."""

    __slots__ = ()

    @property
    def page_size(self):
        return self._target.page_size

    @page_size.setter
    def page_size(self, value):
        self._target.page_size = value

    def __contains__(self, item):
        return run(self._loop, self._target.contains(item))

    def __len__(self):
        return run(self._loop, self._target.size())

    def __iter__(self):
        async def collect():
            return [item async for item in self._target]
        return iter(run(self._loop, collect()))


def _settle(value, loop):
    """Await ``value`` if it is awaitable; wrap what comes out if it is async pyignite."""
    if inspect.isawaitable(value):
        value = run(loop, value)
    if isinstance(value, (_AioCursor, AioParallelScanCursor)):
        return SyncedCursor(value, loop)
    if isinstance(value, AioCache):
        return SyncedCache(value, loop)
    if isinstance(value, AioClient):
        return SyncedClient(value, loop)
    if isinstance(value, (AioConnection, AioClusterGroup, AioTransaction, AioDataStreamer,
                          AioAtomicLong, AioCompute, AioServices, AioServiceProxy)):
        return Synced(value, loop)
    if isinstance(value, AioIgniteSet):
        return SyncedSet(value, loop)
    return value


def unwrap(value):
    """The async object behind a :class:`Synced` one, or ``value`` itself: what internal
    helpers that build requests by hand (``request.conn = ...``) need."""
    return value._target if isinstance(value, Synced) else value


def call_with(client, function, *args, **kwargs):
    """``function(client, *args, **kwargs)`` for a module-level function of the API under
    test that takes the client (``pyignite.aio_cache.create_cache``, say): a :class:`Synced`
    client is handed over unwrapped and the result is settled on its loop, as a method's is.
    """
    if isinstance(client, Synced):
        return _settle(function(client._target, *args, **kwargs), client._loop)
    return function(client, *args, **kwargs)


class Connector:
    """``connector(node, **client_kwargs)`` makes a client of ``mode`` connected to
    ``node``; :meth:`close` closes the clients left open and, in async mode, the loop.
    """

    def __init__(self, mode: str):
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self._loop = asyncio.new_event_loop() if mode == 'async' else None
        self._clients = []

    def __call__(self, node, **client_kwargs):
        return self._connected(client_kwargs, node.host, node.port)

    def cluster(self, cluster, **client_kwargs):
        """A client of ``mode`` connected to every node of ``cluster`` (its ``endpoints``)."""
        return self._connected(client_kwargs, cluster.endpoints)

    def _connected(self, client_kwargs, *address):
        if self._loop is None:
            client = Client(**client_kwargs)
            client.connect(*address)
        else:
            client = _settle(AioClient(**client_kwargs).connect(*address), self._loop)
        self._clients.append(client)
        return client

    def new(self, **client_kwargs):
        """A client of ``mode``, not connected yet: its ``connect(...)`` (with or without
        ``with``) is the test's to call, and may fail."""
        if self._loop is None:
            client = Client(**client_kwargs)
        else:
            client = SyncedClient(AioClient(**client_kwargs), self._loop)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self._clients = []
        if self._loop is not None:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()


def register_marker(config) -> None:
    config.addinivalue_line(
        'markers', 'sync_only(reason): run in sync mode only (tests/_aio_adapter.py)')


def deselect_sync_only(config, items) -> None:
    """Drop the async variants of tests (or params) marked ``sync_only(reason)``."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker('sync_only')
        spec = getattr(item, 'callspec', None)
        if marker is not None and spec is not None and spec.params.get('api') == 'async':
            if not marker.args:
                raise ValueError('{}: sync_only needs a reason'.format(item.nodeid))
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
