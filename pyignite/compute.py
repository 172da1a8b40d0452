"""Compute tasks: run a Java ``ComputeTask`` deployed on the server nodes by its class name.

Get a :class:`Compute` with :meth:`Client.compute() <pyignite.client.Client.compute>` (an
:class:`AioCompute` with :meth:`AioClient.compute()
<pyignite.aio_client.AioClient.compute>`); see :doc:`../compute` for a walk through and for
what the server needs (thin-client compute is off on a server by default).

How it works: the start request's reply tells the task id; the result comes later as a
notification on the same connection. The sync client hands it to a thread that completes
the :class:`ComputeFuture`; the async client awaits an asyncio future. Everything else is
shared (:mod:`pyignite._ops.compute`).
"""
import asyncio
import queue
import threading
import weakref
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Optional, Tuple

from ._ops import compute as ops
from ._ops.compute import TaskHandle
from .exceptions import ComputeError, ParameterError, ReconnectError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['Compute', 'AioCompute', 'ComputeFuture']


def _steps_of(client: Any, group: Any) -> Optional[Tuple[Any, ...]]:
    """The steps of ``group`` (None: every server node)."""
    if group is None:
        return None
    from .cluster_group import _Projections
    if not isinstance(group, _Projections) or group._client is not client:
        raise ParameterError('group must be a cluster group of this client (from '
                             'get_cluster()), not {!r}'.format(group))
    return group._steps


def _ended(error: BaseException) -> ComputeError:
    return ComputeError('the connection that carried the compute task was lost before its '
                        'result came: {}'.format(error))


class _Settler:
    """Completes the futures of one client's tasks, in a thread of its own that runs while
    results wait: a result comes in the connection's receive path, where a future's done
    callbacks (user code, which may call the client) must not run, and decoding it may
    need to ask the server for a binary type."""

    def __init__(self, client: 'BaseClient') -> None:
        self._client = client
        self._queue: 'queue.SimpleQueue[Tuple[ComputeFuture, Any]]' = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False

    def put(self, future: 'ComputeFuture', what: Any) -> None:
        """Complete ``future`` with ``what``: a result frame, or an exception."""
        self._queue.put((future, what))
        with self._lock:
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, daemon=True, name='pyignite-compute').start()

    def _run(self) -> None:
        client = self._client
        while True:
            with self._lock:
                try:
                    future, what = self._queue.get_nowait()
                except queue.Empty:
                    self._running = False
                    return
            if isinstance(what, BaseException):
                future._settle(None, what)
                continue
            try:
                result = client._run(ops.decode_result(client._session, what))
            except Exception as e:
                future._settle(None, e)
            else:
                future._settle(result, None)


#: the settler of each client's session
_SETTLERS: 'weakref.WeakKeyDictionary[Any, _Settler]' = weakref.WeakKeyDictionary()
_SETTLERS_LOCK = threading.Lock()


def _settler(client: 'BaseClient') -> _Settler:
    with _SETTLERS_LOCK:
        settler = _SETTLERS.get(client._session)
        if settler is None:
            settler = _SETTLERS[client._session] = _Settler(client)
        return settler


class ComputeFuture(Future):  # type: ignore[type-arg]
    """The result of a task started with :meth:`Compute.submit`: a
    :class:`concurrent.futures.Future`, completed from a thread of the client's, which
    runs its done callbacks: they may use the client, but must not wait for the result of
    another task (that thread would complete it).

    :meth:`cancel` cancels the task on the server, too (while it has not ended).
    """

    def __init__(self, client: 'BaseClient', handle: TaskHandle) -> None:
        super().__init__()
        self._client = client
        self._handle = handle
        self._settler = _settler(client)

    # the listeners, called in the connection's receive path: hand over, nothing more
    def _deliver(self, frame: bytes) -> None:
        self._settler.put(self, frame)

    def _end(self, error: BaseException) -> None:
        self._settler.put(self, _ended(error))

    def _settle(self, result: Any, error: Optional[BaseException]) -> None:
        try:
            if error is None:
                self.set_result(result)
            else:
                self.set_exception(error)
        except Exception:  # cancelled meanwhile: InvalidStateError
            pass

    def cancel(self) -> bool:
        """Cancel the task: this future is cancelled at once, and the server is told to
        cancel the task (its jobs are interrupted). False if the task has already ended."""
        if not super().cancel():
            return False
        handle = self._handle
        ops.forget(handle)
        try:
            self._client._run(ops.cancel_task(self._client._session, handle))
        except (OSError, ReconnectError):
            pass  # the connection is gone, and the task with it
        return True


class _Compute:
    """What both facades share: the group and the checks."""

    def __init__(self, client: Any, group: Any = None) -> None:
        self._client = client
        self._steps = _steps_of(client, group)


class Compute(_Compute):
    """Runs compute tasks on the server nodes of a :class:`~pyignite.client.Client`, or on
    those of a cluster group. Get one with :meth:`Client.compute()
    <pyignite.client.Client.compute>`.
    """

    def submit(self, task_name: str, arg: Any = None, *, timeout: Optional[float] = None,
               no_failover: bool = False, no_result_cache: bool = False) -> ComputeFuture:
        """Start a task; return at once with the future of its result.

        The parameters are :meth:`execute`'s.

        :return: a :class:`ComputeFuture` (a :class:`concurrent.futures.Future`) whose
         ``result()`` is the task's result or raises what :meth:`execute` raises.
        """
        flags, millis = ops.check_params(task_name, timeout, no_failover, no_result_cache)
        client = self._client
        handle = TaskHandle()
        future = ComputeFuture(client, handle)
        try:
            client._run(ops.start_task(client._session, handle, self._steps, task_name, arg,
                                       flags, millis, future._deliver, future._end))
        except ComputeError as e:
            # a task that fails at once is refused in the reply to its start rather than
            # in a notification (a race on the server): its future carries that all the same
            future._settle(None, e)
        return future

    def execute(self, task_name: str, arg: Any = None, *, timeout: Optional[float] = None,
                no_failover: bool = False, no_result_cache: bool = False) -> Any:
        """Run a task and return its result.

        :param task_name: the task: the name of a Java class that implements
         ``org.apache.ignite.compute.ComputeTask`` on the server's classpath,
        :param arg: (optional) its argument (any value pyignite writes; a complex object
         becomes an instance of the Java class of its type name),
        :param timeout: (optional) seconds the task may run; the server fails it after
         that (None: no limit),
        :param no_failover: (optional) do not fail a job over to another node when its
         node fails or rejects it,
        :param no_result_cache: (optional) do not keep the job results on the server for
         the task's ``reduce`` (for tasks that do not need them),
        :return: the task's result,
        :raises ComputeError: the task failed (the message is the server's), timed out,
         or the server does not let thin clients run tasks (the message says what to
         configure),
        :raises ComputeTaskCancelledError: the task was cancelled,
        :raises NotSupportedByClusterError: the server has no thin-client compute
         (before Ignite 2.9),
        :raises ParameterError: a bad parameter (nothing is sent then).
        """
        return self.submit(task_name, arg, timeout=timeout, no_failover=no_failover,
                           no_result_cache=no_result_cache).result()


class AioCompute(_Compute):
    """Runs compute tasks on the server nodes of an :class:`~pyignite.aio_client.AioClient`,
    or on those of a cluster group. Get one with :meth:`AioClient.compute()
    <pyignite.aio_client.AioClient.compute>`.
    """

    _client: 'BaseClient'

    async def execute(self, task_name: str, arg: Any = None, *,
                      timeout: Optional[float] = None, no_failover: bool = False,
                      no_result_cache: bool = False) -> Any:
        """Run a task and return its result: :meth:`Compute.execute`, as a coroutine.

        Cancelling the coroutine (``asyncio.wait_for``, ``task.cancel()``) cancels the task
        on the server too.
        """
        flags, millis = ops.check_params(task_name, timeout, no_failover, no_result_cache)
        client = self._client
        session = client._session
        handle = TaskHandle()
        waiter: 'asyncio.Future[bytes]' = asyncio.get_running_loop().create_future()

        def deliver(frame: bytes) -> None:
            if not waiter.done():
                waiter.set_result(frame)

        def end(error: BaseException) -> None:
            if not waiter.done():
                waiter.set_exception(_ended(error))

        await client._run(ops.start_task(session, handle, self._steps, task_name, arg,
                                         flags, millis, deliver, end))
        try:
            frame = await waiter
        except asyncio.CancelledError:
            ops.forget(handle)
            try:
                await asyncio.shield(client._run(ops.cancel_task(session, handle)))
            except (OSError, ReconnectError):
                pass
            raise
        return await client._run(ops.decode_result(session, frame))
