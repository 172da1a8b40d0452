"""The synchronous client.

:class:`Client` connects to one or more nodes of an Ignite cluster over the
binary client protocol. Get a :class:`~pyignite.cache.Cache` from it for
key-value work, call :meth:`Client.sql` for SQL, and register complex object
classes with :meth:`Client.register_binary_type`.
"""
import threading
from typing import Any, Dict, List, Optional, Tuple, Union

from ._base_client import (  # noqa: F401
    CLIENT_PARAMETERS_DOC, BaseClient, check_credential, parse_nodes,
)
from ._client_api import ClientAPI
from ._facade import Blocking, documented
from ._ops.common import Operation
from ._ops.exchange import Call, Exchange
from ._session.session import ConnectPlan
from .atomic_long import AtomicLong
from .cache import Cache
from .cluster import Cluster
from .cluster_group import ClusterGroup
from .compute import Compute
from .connection import Connection
from .cursors import SqlFieldsCursor
from .data_streamer import DataStreamer
from .exceptions import ReconnectError
from .ignite_set import IgniteSet
from .services import Services
from .transaction import Transaction

__all__ = ['Client', 'BaseClient']


def _try_connect(conn: Connection) -> Optional[Exception]:
    """Connect; return the error that made it fail, or None (the plan judges it)."""
    try:
        conn.connect()
    except Exception as e:
        return e
    return None


class _Connected:
    """What :meth:`Client.connect` returns: a context manager that closes the client."""

    def __init__(self, client: 'Client') -> None:
        self._client = client

    def __enter__(self) -> 'Client':
        return self._client

    def __exit__(self, *exc: Any) -> None:
        self._client.close()


@documented('The synchronous Ignite thin client.\n\n' + CLIENT_PARAMETERS_DOC)
class Client(ClientAPI[Connection, Cache, SqlFieldsCursor, DataStreamer, AtomicLong, IgniteSet,
                       Cluster, ClusterGroup, Compute, Services, Transaction], Blocking):

    def _init_driver(self) -> None:
        # serialises (re)connecting: a Connection must not be connected by two threads
        self._connect_lock = threading.Lock()
        self._session.on_retry_due = self._retry_dead
        #: set to stop the heartbeat thread of the current connect()
        self._heartbeats: Optional[threading.Event] = None

    def __enter__(self) -> 'Client':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def connect(self, *args: Any) -> _Connected:
        """Connect to Ignite node(s).

        With partition awareness the client connects to every node of the list and
        sends each key operation to the node holding the key; otherwise it uses one
        node at a time. If a connection breaks, the call that was using it raises the
        original :class:`OSError`, unless the retry policy sends it again to another node;
        later calls go to the other nodes, reconnecting in list order, and
        :class:`~pyignite.exceptions.ReconnectError` is raised when no node can be reached.
        With cluster discovery the client also connects to the nodes it was not given.

        :param args: nothing (``localhost:10800``), a host and a port, or a list of
         ``(host, port)`` pairs,
        :return: a context manager that closes the client on exit,
        :raises ReconnectError: no node could be reached.
        """
        nodes = parse_nodes(args)
        self.close()
        with self._connect_lock:
            connections = self._connections(nodes)
            try:
                self._carry_out(self._session.open(connections))
            except BaseException:
                for conn in connections:
                    conn.close()
                raise
        self._start_heartbeats()
        return _Connected(self)

    def close(self) -> None:
        """Close every connection (and stop the heartbeats)."""
        stop, self._heartbeats = self._heartbeats, None
        if stop is not None:
            stop.set()
        for conn in self._session.close():
            conn.close()

    # --- the driver: moves bytes, the session decides -------------------------------------

    def _carry_out(self, plan: ConnectPlan) -> Any:
        """Do what a connection plan asks for (:meth:`_plan_step`); return its result."""
        try:
            step = next(plan)
            while True:
                step = plan.send(self._plan_step(step)())
        except StopIteration as done:
            return done.value

    def _close_all(self, conns: List[Connection]) -> None:
        for conn in conns:
            conn.close()

    def _connect_all(self, conns: List[Connection]) -> List[Optional[Exception]]:
        # one after the other
        return [_try_connect(conn) for conn in conns]

    def _try_run(self, op: Union[Call, Operation]) -> Any:
        """Run an operation; return its result, or the exception it raised."""
        try:
            return self._run(op)
        except Exception as e:
            return e

    # --- heartbeats: a thread of the client's own, the session decides what to send --------

    def _start_heartbeats(self) -> None:
        if self._session.heartbeat_interval is None:
            return
        stop = self._heartbeats = threading.Event()
        threading.Thread(target=self._heartbeat_timer, args=(stop,), daemon=True,
                         name='pyignite-heartbeats').start()

    def _heartbeat_timer(self, stop: threading.Event) -> None:
        session = self._session
        period: Optional[float] = 0.0  # the first tick asks the nodes' idle timeouts
        while period is not None and not stop.wait(period):
            aborted, ops = session.heartbeat_tick()
            for conn in aborted:
                conn.abort(session.heartbeat_aborted(conn))
            for op in ops:
                # each in a thread of its own: one silent node must not hold up the others
                threading.Thread(target=self._heartbeat, args=(op,), daemon=True,
                                 name='pyignite-heartbeat').start()
            period = session.heartbeat_period()

    def _heartbeat(self, op: Call) -> None:
        conn = op.pinned_to  # read before the run: a call forgets its request once done
        self._session.heartbeat_done(conn, self._try_run(op))

    def _reconnect(self) -> Connection:
        """A live connection after every one broke."""
        with self._connect_lock:
            conn: Connection = self._carry_out(self._session.reconnect())
            return conn

    def _retry_dead(self) -> None:
        # without blocking on a busy lock: another thread is at it then
        if self._connect_lock.acquire(blocking=False):
            try:
                self._carry_out(self._session.retry_dead())
            finally:
                self._connect_lock.release()

    def _run(self, op: Union[Call, Operation]) -> Any:
        """Drive an operation over the connections; return its result."""
        session = self._session
        ex = session.exchange(op)
        req = ex.req
        while req is not None:
            conn = session.route(req) or self._reconnect()
            try:
                reply, header = conn.request(req, ex.request_id(conn, req))
            except BaseException as e:
                req = ex.failed(req, e)
            else:
                req = ex.replied(conn, req, reply, header)
        return ex.result

    # the pipelined driver: several operations in flight from one thread (the data
    # streamer's batches); each is started, then finished later, in any order

    def _start(self, op: Union[Call, Operation]) -> Tuple[Exchange, Any]:
        """Send the first request of an operation without waiting for its reply; give
        what :meth:`_finish` needs."""
        ex = self._session.exchange(op)
        return ex, self._send_next(ex)

    def _send_next(self, ex: Exchange) -> Any:
        """Submit the operation's next request; None when the operation is over."""
        req = ex.req
        while req is not None:
            conn = self._session.route(req) or self._reconnect()
            try:
                return conn, req, conn.submit(req, ex.request_id(conn, req))
            except BaseException as e:
                req = ex.failed(req, e)
        return None

    def _finish(self, started: Tuple[Exchange, Any], clock_from_now: bool = False) -> Any:
        """Wait for an operation :meth:`_start` began to end; return its result.

        :param clock_from_now: the ``timeout`` of the request under way counts from now,
         not from when it was sent.
        """
        ex, sent = started
        while sent is not None:
            conn, req, ticket = sent
            try:
                reply, header = conn.collect(ticket, clock_from_now)
            except BaseException as e:
                ex.failed(req, e)
            else:
                ex.replied(conn, req, reply, header)
            sent = self._send_next(ex)
        return ex.result

    def _fan_out(self, plan: Operation) -> Any:
        """Run a multi-key operation (:mod:`pyignite._ops.multi_key`): plan it, send every
        part at once, then collect the replies; return its result."""
        fan = self._run(plan)
        calls = fan.calls
        if len(calls) == 1:
            return fan.result([self._run(calls[0])])
        started: List[Any] = []
        for call in calls:
            try:
                started.append(self._start(call))
            except Exception as e:
                started.append(e)
        outcomes: List[Any] = []
        for part in started:
            if isinstance(part, Exception):
                outcomes.append(part)
                continue
            try:
                outcomes.append(self._finish(part))
            except Exception as e:
                outcomes.append(e)
        return fan.result(outcomes)

    @property
    def random_node(self) -> Connection:
        """A random live connection (not a stable API)."""
        conn: Optional[Connection] = self._live_connection() if self._session.nodes else None
        if conn is None:
            raise ReconnectError('Can not connect.')
        return conn

    def get_cache(self, settings: Union[str, Dict[int, Any]]) -> Cache:
        """A cache object for the named cache, without asking the server.

        :param settings: a cache name, or a dict with only PROP_NAME,
        :return: :class:`~pyignite.cache.Cache`.
        """
        return self._named_cache(settings)
