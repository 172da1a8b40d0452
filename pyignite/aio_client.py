"""The asyncio client.

:class:`AioClient` has the API of :class:`~pyignite.client.Client` with coroutines
where the sync client blocks. It drives the very same operation generators; only
the driver (:meth:`AioClient._run`) and the connections move bytes differently.
Many requests may be in flight at once, also on one connection::

    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cache = await client.get_or_create_cache('my cache')
        await asyncio.gather(*[cache.put(i, i * i) for i in range(100)])
"""
import asyncio
from typing import Any, Dict, Generator, List, Optional, Set, Tuple, Union

from ._base_client import CLIENT_PARAMETERS_DOC, parse_nodes
from ._client_api import ClientAPI
from ._facade import Coroutines, documented
from ._ops.common import Operation
from ._ops.exchange import Call
from ._session.session import ConnectPlan
from .aio_cache import AioCache
from .aio_cluster import AioCluster
from .atomic_long import AioAtomicLong
from .cluster_group import AioClusterGroup
from .compute import AioCompute
from .connection.aio_connection import AioConnection
from .cursors import AioSqlFieldsCursor
from .data_streamer import AioDataStreamer
from .ignite_set import AioIgniteSet
from .services import AioServices
from .transaction import AioTransaction

__all__ = ['AioClient']


class _Connecting:
    """What :meth:`AioClient.connect` returns: await it, or enter it with ``async with``
    (leaving the block closes the client).
    """

    __slots__ = ('_client', '_nodes')

    def __init__(self, client: 'AioClient', nodes: List[Tuple[str, int]]) -> None:
        self._client = client
        self._nodes = nodes

    def __await__(self) -> Generator[Any, None, 'AioClient']:
        return self._client._connect(self._nodes).__await__()

    async def __aenter__(self) -> 'AioClient':
        return await self._client._connect(self._nodes)

    async def __aexit__(self, *exc: Any) -> None:
        await self._client.close()


async def _try_connect(conn: AioConnection) -> Optional[Exception]:
    """Connect; return the error that made it fail, or None (the plan judges it)."""
    try:
        await conn.connect()
    except Exception as e:
        return e
    return None


@documented('The asyncio Ignite thin client.\n\n' + CLIENT_PARAMETERS_DOC)
class AioClient(ClientAPI[AioConnection, AioCache, AioSqlFieldsCursor, AioDataStreamer,
                          AioAtomicLong, AioIgniteSet, AioCluster, AioClusterGroup, AioCompute,
                          AioServices, AioTransaction], Coroutines):

    def _init_driver(self) -> None:
        # serialises (re)connecting; made on first use, inside the loop that uses it
        self._connect_lock: Optional[asyncio.Lock] = None
        self._retry_task: Optional['asyncio.Task[None]'] = None
        self._heartbeat_task: Optional['asyncio.Task[None]'] = None
        # the heartbeats under way: the loop keeps only weak references to tasks
        self._heartbeats: Set['asyncio.Task[None]'] = set()
        self._session.on_retry_due = self._retry_dead_soon

    async def __aenter__(self) -> 'AioClient':
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def connect(self, *args: Any) -> _Connecting:
        """Connect to Ignite node(s) when awaited or entered with ``async with``.

        With partition awareness the client connects to every node of the list at once
        and sends each key operation to the node holding the key; otherwise it uses one
        node at a time. If a connection breaks, every request in flight on it raises an
        :class:`OSError`, unless the retry policy sends it again to another node; later
        calls go to the other nodes, reconnecting in list order, and
        :class:`~pyignite.exceptions.ReconnectError` is raised when no node can be reached.
        With cluster discovery the client also connects to the nodes it was not given.

        :param args: nothing (``localhost:10800``), a host and a port, or a list of
         ``(host, port)`` pairs,
        :return: an awaitable that is also an async context manager closing the client
         on exit,
        :raises ParameterError: the arguments are none of the above (at once),
        :raises ReconnectError: no node could be reached (when awaited).
        """
        return _Connecting(self, parse_nodes(args))

    def _lock(self) -> asyncio.Lock:
        lock = self._connect_lock
        if lock is None:
            lock = self._connect_lock = asyncio.Lock()
        return lock

    async def _connect(self, nodes: List[Tuple[str, int]]) -> 'AioClient':
        await self.close()
        async with self._lock():
            connections = self._connections(nodes)
            try:
                await self._carry_out(self._session.open(connections))
            except BaseException:
                for conn in connections:
                    await conn.close()
                raise
        if self._session.heartbeat_interval is not None:
            self._heartbeat_task = asyncio.get_running_loop().create_task(
                self._heartbeat_timer())
        return self

    async def close(self) -> None:
        """Close every connection (and stop the heartbeats)."""
        self._connect_lock = None
        for task in (self._retry_task, self._heartbeat_task):
            if task is not None:
                task.cancel()
        self._retry_task = self._heartbeat_task = None
        for conn in self._session.close():
            await conn.close()

    # --- the driver: moves bytes, the session decides -------------------------------------

    async def _carry_out(self, plan: ConnectPlan) -> Any:
        """Do what a connection plan asks for (:meth:`_plan_step`); return its result."""
        try:
            step = next(plan)
            while True:
                step = plan.send(await self._plan_step(step)())
        except StopIteration as done:
            return done.value

    async def _close_all(self, conns: List[AioConnection]) -> None:
        for conn in conns:
            await conn.close()

    async def _connect_all(self, conns: List[AioConnection]) -> List[Optional[Exception]]:
        # each batch at once
        return list(await asyncio.gather(*map(_try_connect, conns)))

    async def _try_run(self, op: Union[Call, Operation]) -> Any:
        """Run an operation; return its result, or the exception it raised."""
        try:
            return await self._run(op)
        except Exception as e:
            return e

    # --- heartbeats: a task of the client's own, the session decides what to send ---------

    async def _heartbeat_timer(self) -> None:
        session = self._session
        loop = asyncio.get_running_loop()
        period: Optional[float] = 0.0  # the first tick asks the nodes' idle timeouts
        while period is not None:
            await asyncio.sleep(period)
            aborted, ops = session.heartbeat_tick()
            for conn in aborted:
                conn.abort(session.heartbeat_aborted(conn))
            for op in ops:
                # each a task of its own: one silent node must not hold up the others
                task = loop.create_task(self._heartbeat(op))
                self._heartbeats.add(task)
                task.add_done_callback(self._heartbeats.discard)
            period = session.heartbeat_period()

    async def _heartbeat(self, op: Call) -> None:
        conn = op.pinned_to  # read before the run: a call forgets its request once done
        self._session.heartbeat_done(conn, await self._try_run(op))

    async def _reconnect(self) -> AioConnection:
        """A live connection after every one broke."""
        async with self._lock():
            conn: AioConnection = await self._carry_out(self._session.reconnect())
            return conn

    def _retry_dead_soon(self) -> None:
        """Try to reconnect dead nodes in a background task: the operation that noticed it
        is due goes on over the live connections meanwhile."""
        task = self._retry_task
        if task is None or task.done():
            self._retry_task = asyncio.get_running_loop().create_task(self._retry_dead())

    async def _retry_dead(self) -> None:
        lock = self._lock()
        if not lock.locked():  # else another task is (re)connecting
            async with lock:
                await self._carry_out(self._session.retry_dead())

    async def _run(self, op: Union[Call, Operation],
                   deadline: Optional[Tuple[float, float]] = None) -> Any:
        """Drive an operation over the connections; return its result.

        :param deadline: (optional) ``(loop time, seconds)``: every request of the
         operation gives up then (see :meth:`AioConnection.request`).
        """
        session = self._session
        ex = session.exchange(op)
        req = ex.req
        while req is not None:
            conn = session.route(req) or await self._reconnect()
            try:
                reply, header = await conn.request(req, ex.request_id(conn, req), deadline)
            except BaseException as e:
                req = ex.failed(req, e)
            else:
                req = ex.replied(conn, req, reply, header)
        return ex.result

    async def _fan_out(self, plan: Operation,
                       deadline: Optional[Tuple[float, float]] = None) -> Any:
        """Run a multi-key operation (:mod:`pyignite._ops.multi_key`): plan it, then run
        every part concurrently; return its result."""
        fan = await self._run(plan, deadline)
        calls = fan.calls
        if len(calls) == 1:
            return fan.result([await self._run(calls[0], deadline)])
        outcomes = await asyncio.gather(*[self._run(call, deadline) for call in calls],
                                        return_exceptions=True)
        return fan.result(outcomes)

    async def random_node(self) -> AioConnection:
        """A random live connection, reconnecting if there is none (not a stable API).

        :return: :class:`~pyignite.connection.aio_connection.AioConnection`.
        """
        conn: Optional[AioConnection] = self._live_connection()
        return conn or await self._reconnect()

    async def get_cache(self, settings: Union[str, Dict[int, Any]]) -> AioCache:
        """A cache object for the named cache, without asking the server.

        :param settings: a cache name, or a dict with only PROP_NAME,
        :return: :class:`~pyignite.aio_cache.AioCache`.
        """
        return self._named_cache(settings)
