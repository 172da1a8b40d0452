"""The data streamer (OP_DATA_STREAMER_START, 8000): batches and every decision about them.

A :class:`StreamerState` is the sans-I/O core behind both
:class:`~pyignite.data_streamer.DataStreamer` and its asyncio twin. It buffers entries per
primary node (the partition maps of the client's router tell which), cuts them into
batches, and says which batch goes where, how many may be in flight to one node, which
failed batch to send again and which to give up on. The facades only send what it hands
them and report back how it went.

Each batch is a one-shot streamer on the server: a START request with the *close* flag
and its entries. The server loads them with its own data streamer (which forwards any
entry whose primary is elsewhere) and replies once the streamer closed, that is once the
entries are written. So a reply acknowledges its whole batch, a batch is independent of
every other, and one that failed can be sent again as it is to any live node.
"""
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Deque, Dict, Generator, List, Optional, Tuple

from .._codec import structs as S
from .._codec.encoder import write
from .._protocol.opcodes import OP_DATA_STREAMER_START
from .._protocol.request import Frame, Request
from .._routing.router import pick_long
from ..binary import GenericObjectMeta
from ..exceptions import CacheError, DataStreamerError, ParameterError, ReconnectError
from .affinity import cache_id_of, register_cache
from .binary_types import put_pending_types, register_java_class_name
from .common import Operation
from .exchange import Call

if TYPE_CHECKING:
    from .common import Session

__all__ = ['StreamerState', 'Batch', 'Step', 'Steps', 'SEND', 'SETTLE', 'RUN', 'SLEEP',
           'DEFAULT_BUFFER_SIZE', 'DEFAULT_PARALLEL_OPERATIONS']

FLAG_ALLOW_OVERWRITE = 0x01
FLAG_SKIP_STORE = 0x02
FLAG_KEEP_BINARY = 0x04
FLAG_FLUSH = 0x08
FLAG_CLOSE = 0x10

#: receiver platform code of a Java ``StreamReceiver``
PLATFORM_JAVA = 1

_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_pack_long = S.TC_LONG.pack

#: entries per batch unless told otherwise
DEFAULT_BUFFER_SIZE = 1024
#: batches in flight to one node at a time unless told otherwise
DEFAULT_PARALLEL_OPERATIONS = 4
#: times a batch is sent before it is given up on
MAX_ATTEMPTS = 8
#: the longest pause before sending a failed batch again, seconds
MAX_DELAY = 2.0

#: with ``allow_overwrite=False``: batches acknowledged this many seconds before the client
#: first saw a topology change are sent again (the server's failure detection, 10 s by
#: default, plus its exchange, must fit in it)
RETAIN_SECONDS = 30.0
#: ... as are batches acknowledged less than this many seconds after the last change seen
#: (a batch acknowledged 20 s after a node was killed, when the cluster had dropped it,
#: had lost entries too); they are sent again once the topology has not changed for as long
SETTLE_SECONDS = 30.0
#: rounds of sending unconfirmed batches again before their entries are counted as failed
MAX_CONFIRM_ROUNDS = 3

#: the server's status of "node stopping" (the batch may go to another node)
STATUS_INVALID_NODE_STATE = 10

_HEADER_LEN = 14
_ASK = object()

#: what a facade does for a step: start the call of a batch (:meth:`StreamerState.call`,
#: then :meth:`StreamerState.sent`) ...
SEND = 'send'
#: ... wait for the reply of a batch in flight (then :meth:`StreamerState.done` or
#: :meth:`StreamerState.failed_with`) ...
SETTLE = 'settle'
#: ... run an operation (fetching a partition map) to its end ...
RUN = 'run'
#: ... or sleep so many seconds (for the topology to settle)
SLEEP = 'sleep'

#: one thing for a facade to do, as the state decided: (SEND or SETTLE, a batch), (RUN,
#: an operation) or (SLEEP, seconds)
Step = Tuple[str, Any]
#: a plan: the steps a facade carries out one after the other
Steps = Generator[Step, None, None]


class Batch:
    """Entries bound for one node: the request frame they are written into.

    :ivar buf: the START request frame (header room, the streamer's prefix, the entry
     count, the entries),
    :ivar count: how many entries it holds,
    :ivar conn: the connection of the node it is for, or None for the client's default,
    :ivar attempts: how many times it was sent,
    :ivar delay: seconds to wait before sending it again (set when it is handed back),
    :ivar handle: what the facade keeps while it is in flight (a pending reply, a task),
    :ivar topology: the topology version seen when it was last sent,
    :ivar resent: it is sent again after it was acknowledged (its entries are counted once).
    """

    __slots__ = ('buf', 'count', 'conn', 'attempts', 'delay', 'handle', 'topology', 'resent')

    def __init__(self, prefix: bytes, conn: Any) -> None:
        self.buf = Frame(prefix)
        self.count = 0
        self.conn = conn
        self.attempts = 0
        self.delay = 0.0
        self.handle: Any = None
        self.topology: Any = None
        self.resent = False


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1 << 31:
        raise ParameterError('{} must be a positive int, not {!r}'.format(name, value))
    return value


class StreamerState:
    """Buffers, batches in flight and failures of one data streamer.

    :param session: the client's session,
    :param cache: the cache to load: a cache object, its name or id,
    :param allow_overwrite: existing keys get the new values (False: they are kept),
    :param skip_store: do not write through to the cache store,
    :param buffer_size: entries per batch,
    :param parallel: batches in flight to one node at a time,
    :param flush_interval: seconds after which buffered entries are sent even if their
     batch is not full (checked as entries are added), or None,
    :param receiver: a complex object naming a Java ``StreamReceiver`` the server runs on
     each batch, or None.
    """

    def __init__(self, session: 'Session', cache: Any, allow_overwrite: bool = False,
                 skip_store: bool = False, buffer_size: int = DEFAULT_BUFFER_SIZE,
                 parallel: int = DEFAULT_PARALLEL_OPERATIONS,
                 flush_interval: Optional[float] = None, receiver: Any = None) -> None:
        self.session = session
        self.cache_id = cache_id_of(cache)
        self.allow_overwrite = bool(allow_overwrite)
        self.buffer_size = _positive('per_node_buffer_size', buffer_size)
        self.parallel = _positive('per_node_parallel_operations', parallel)
        if flush_interval is not None and (
                isinstance(flush_interval, bool) or not isinstance(flush_interval, (int, float))
                or not flush_interval > 0):
            raise ParameterError('flush_interval must be a positive number of seconds or None')
        self.flush_interval = flush_interval
        flags = FLAG_KEEP_BINARY | FLAG_CLOSE
        if allow_overwrite:
            flags |= FLAG_ALLOW_OVERWRITE
        if skip_store:
            flags |= FLAG_SKIP_STORE
        prefix = Frame(bytes(_HEADER_LEN))
        # per-node and per-thread buffer sizes: -1 lets the server size its one-shot
        # streamer by the batch
        prefix += S.INT_BYTE.pack(self.cache_id, flags) + S.INT.pack(-1) + S.INT.pack(-1)
        self.receiver_class: Optional[GenericObjectMeta] = None
        if receiver is None:
            prefix.append(0x65)  # null
        else:
            if not isinstance(type(receiver), GenericObjectMeta):
                raise ParameterError(
                    'receiver must be a complex object (an instance of a GenericObjectMeta '
                    'class named after a Java StreamReceiver class on the servers), not '
                    '{!r}'.format(receiver))
            self.receiver_class = type(receiver)  # type: ignore[assignment]
            write(prefix, receiver, None, session.binary)
            prefix.append(PLATFORM_JAVA)
        #: the request start every batch copies, once the receiver's type is registered
        self.head = prefix
        self.count_pos = 0
        self.prefix = b''
        self.scratch = Frame()
        #: how plain int keys are routed (:meth:`Router.long_route`), asked again for each
        #: new batch: an entry routed by a map that just went stale still lands (the
        #: server forwards it), so asking for each entry buys nothing
        self.route: Any = _ASK
        #: connection (None: the default one) -> the batch being filled for it
        self.buffers: Dict[Any, Batch] = {}
        #: connection -> its batches in flight, oldest first
        self.in_flight: Dict[Any, Deque[Batch]] = {}
        self.last_flush = time.monotonic()
        #: entries acknowledged by the server, in all and per node id
        self.acknowledged = 0
        self.per_node: Dict[Any, int] = {}
        #: entries given up on, and the last error of each batch given up on
        self.failed = 0
        self.errors: List[BaseException] = []
        self.cancelled = 0
        #: batches sent again after a failure
        self.retried = 0
        # allow_overwrite=False: the server loads entries with its isolated updater, which
        # does not guarantee them when the topology changes (it may acknowledge entries a
        # primary never keeps); acknowledged batches are kept a while and, around a change,
        # sent again once the topology settled (an existing entry is never overwritten, so
        # this only fills in what is missing)
        self.guard = not self.allow_overwrite
        #: (ack time, batch) of the last RETAIN_SECONDS, oldest first
        self.recent: Deque[Tuple[float, Batch]] = deque()
        #: batches acknowledged around a topology change, to send again
        self.unconfirmed: List[Batch] = []
        #: batches sent again because of a topology change
        self.confirmed = 0
        self.version: Any = None
        self.changed_at: Optional[float] = None
        self.closed = False

    # --- filling ------------------------------------------------------------------------

    def _seal(self) -> None:
        head = self.head
        self.count_pos = len(head)
        self.prefix = bytes(head) + S.INT.pack(0)

    def open_op(self) -> Operation:
        """What to do before the first entry: register the receiver's class if the server
        may not know it (each batch copies the receiver's bytes, so they must be final),
        and fetch the cache's partition map."""
        if not self.prefix:
            if self.receiver_class is not None:
                # the node deserializes the receiver into its Java class
                yield from register_java_class_name(self.session, self.receiver_class)
                yield from put_pending_types(self.session, self.head)
            self._seal()
        if self.session.stale(self.cache_id):
            yield from register_cache(self.session, self.cache_id)

    def maps_op(self) -> Optional[Operation]:
        """The operation to run first, if the partition map of the cache must be fetched
        before entries can be routed to their primary nodes."""
        if self.session.stale(self.cache_id):
            return register_cache(self.session, self.cache_id)
        return None

    def add(self, key: Any, value: Any) -> Optional[Batch]:
        """Buffer one entry; return a batch that is full and must be sent now, or None.

        :raises ParameterError: a key or value that can't be written, a None value, or a
         closed streamer.
        """
        if value is None:
            raise ParameterError('a data streamer value must not be None (remove() '
                                 'removes a key)')
        return self._buffer(key, value)

    def remove(self, key: Any) -> Optional[Batch]:
        """Buffer the removal of a key (an entry with a null value), as :meth:`add`.

        :raises ParameterError: the streamer does not allow overwriting.
        """
        if not self.allow_overwrite:
            raise ParameterError('removing keys with a data streamer needs '
                                 'allow_overwrite=True')
        return self._buffer(key, None)

    def _buffer(self, key: Any, value: Any) -> Optional[Batch]:
        if self.closed:
            raise ParameterError('the data streamer is closed')
        if not self.prefix:
            raise ParameterError('the data streamer is not open (open_op)')
        ctx = self.session.binary
        router = self.session.router
        route = None
        if key.__class__ is int and router is not None and _LONG_MIN <= key <= _LONG_MAX:
            # the usual key: routed from the int itself, as its bytes would route it, and
            # written straight into its batch
            route = self.route
            if route is _ASK:
                route = self.route = router.long_route(self.cache_id)
        if route is not None:
            conn = pick_long(route, key)
            key_bytes: Optional[bytes] = _pack_long(4, key)
        else:
            if key is None:
                raise ParameterError('a data streamer key must not be None')
            scratch = self.scratch
            del scratch[:]
            write(scratch, key, None, ctx)
            conn = None
            if router is not None:
                conn = router.connection_for(ctx, self.cache_id, scratch, 0)
            # complex keys note positions in the frame written into: write them again there
            key_bytes = None if scratch.pending or scratch.guessed else bytes(scratch)
            scratch.pending = scratch.guessed = ()
        batch = self.buffers.get(conn)
        if batch is None:
            batch = self.buffers[conn] = Batch(self.prefix, conn)
        buf = batch.buf
        start, pending, guessed = len(buf), buf.pending, buf.guessed
        try:
            if key_bytes is None:
                write(buf, key, None, ctx)
            else:
                buf += key_bytes
            write(buf, value, None, ctx)
        except BaseException:
            del buf[start:]  # a value that could not be written leaves nothing behind
            buf.pending, buf.guessed = pending, guessed
            raise
        batch.count += 1
        if batch.count >= self.buffer_size:
            del self.buffers[conn]
            self.route = _ASK
            return batch
        return None

    def flush_due(self) -> bool:
        """Whether ``flush_interval`` passed since the buffers were last sent."""
        interval = self.flush_interval
        return interval is not None and time.monotonic() - self.last_flush >= interval

    def take_all(self) -> List[Batch]:
        """Every batch being filled, to send now (a flush)."""
        self.last_flush = time.monotonic()
        self.route = _ASK
        batches = [b for b in self.buffers.values() if b.count]
        self.buffers.clear()
        return batches

    def cancel(self) -> None:
        """Drop the entries not sent yet (``close(cancel=True)``)."""
        self.cancelled += sum(b.count for b in self.buffers.values())
        self.buffers.clear()

    # --- the plans the facades carry out -------------------------------------------------

    def sending(self, batch: Batch) -> Steps:
        """The steps that send ``batch``: wait for its node's oldest batches while the node
        has as many in flight as allowed, fetch the partition map if it is stale, send."""
        blocker = self.blocking(batch)
        while blocker is not None:
            yield SETTLE, blocker
            blocker = self.blocking(batch)
        op = self.maps_op()
        if op is not None:
            yield RUN, op
        yield SEND, batch

    def flushing(self) -> Steps:
        """The steps of a flush: send every buffered entry, then wait for every batch in
        flight; raise at the end if any entry was given up on so far.

        :raises DataStreamerError: see :meth:`outcome`.
        """
        for batch in self.take_all():
            yield from self.sending(batch)
        yield from self._draining()
        yield from self._confirming()
        self.outcome()

    def closing(self, cancel: bool) -> Steps:
        """The steps of ``close(cancel)``: none for a closed streamer; else send what is
        buffered (or drop it, with ``cancel``), wait for every batch in flight, and mark the
        streamer closed (even if a step raised); raise at the end if any entry was given up
        on.

        :raises DataStreamerError: see :meth:`outcome`.
        """
        if self.closed:
            return
        try:
            if cancel:
                self.cancel()
            else:
                for batch in self.take_all():
                    yield from self.sending(batch)
            yield from self._draining()
            if not cancel:
                yield from self._confirming()
        finally:
            self.closed = True
            self.recent.clear()
        self.outcome()

    def _confirming(self) -> Steps:
        """Send again the batches acknowledged around a topology change, once it has not
        changed for SETTLE_SECONDS; after MAX_CONFIRM_ROUNDS changes in a row, count their
        entries as failed."""
        rounds = 0
        while self.unconfirmed:
            changed_at = self.changed_at
            if changed_at is not None:
                wait = SETTLE_SECONDS - (time.monotonic() - changed_at)
                if wait > 0:
                    yield SLEEP, wait
            batches, self.unconfirmed = self.unconfirmed, []
            if rounds == MAX_CONFIRM_ROUNDS:
                self.failed += sum(b.count for b in batches)
                self.errors.append(CacheError(
                    'the topology kept changing while entries acknowledged without '
                    'allow_overwrite were sent again'))
                return
            rounds += 1
            for batch in batches:
                batch.resent = True
                batch.attempts = 0
                self.confirmed += 1
                yield from self.sending(batch)
            yield from self._draining()

    def _draining(self) -> Steps:
        batch = self.oldest()
        while batch is not None:
            yield SETTLE, batch
            batch = self.oldest()

    # --- sending ------------------------------------------------------------------------

    def blocking(self, batch: Batch) -> Optional[Batch]:
        """The oldest batch in flight to ``batch``'s node if that node has as many in
        flight as allowed: its reply must be waited for before ``batch`` is sent."""
        queue = self.in_flight.get(self._node(batch))
        if queue is not None and len(queue) >= self.parallel:
            return queue[0]
        return None

    def oldest(self) -> Optional[Batch]:
        """A batch in flight whose reply is still to be taken (the oldest of some node),
        or None when nothing is in flight."""
        for queue in self.in_flight.values():
            if queue:
                return queue[0]
        return None

    def call(self, batch: Batch) -> Call:
        """The request that sends ``batch`` (note it :meth:`sent` with its handle)."""
        buf = batch.buf
        S.INT.pack_into(buf, self.count_pos, batch.count)
        req = Request(OP_DATA_STREAMER_START, CacheError)
        req.buf = buf
        req.cache_id = self.cache_id
        conn = batch.conn
        # a batch for a node whose connection died goes wherever the client sends
        # requests: the server forwards its entries
        req.conn = conn if conn is not None and conn.alive else None
        return Call(req, None)

    def sent(self, batch: Batch, handle: Any) -> None:
        """``batch`` is in flight; ``handle`` is what the facade waits on."""
        batch.attempts += 1
        batch.handle = handle
        router = self.session.router
        batch.topology = router.affinity.latest_version if router is not None else None
        self.in_flight.setdefault(self._node(batch), deque()).append(batch)

    def done(self, batch: Batch) -> None:
        """The server acknowledged ``batch``."""
        self._forget(batch)
        if not batch.resent:
            self.acknowledged += batch.count
            node = getattr(batch.conn, 'uuid', None)
            self.per_node[node] = self.per_node.get(node, 0) + batch.count
        if self.guard:
            self._keep(batch)

    def _keep(self, batch: Batch) -> None:
        """Keep an acknowledged batch while its acknowledgement may not hold."""
        now = time.monotonic()
        router = self.session.router
        latest = router.affinity.latest_version if router is not None else None
        # the major version counts the nodes joining and leaving, which move partitions;
        # a cache started or stopped elsewhere changes only the minor one
        version = latest[0] if latest is not None else None
        recent = self.recent
        while recent and now - recent[0][0] > RETAIN_SECONDS:
            recent.popleft()
        if version != self.version:
            if self.version is not None:
                self.changed_at = now
                self.unconfirmed.extend(b for _, b in recent)
                recent.clear()
            self.version = version
        if self.changed_at is not None and now - self.changed_at < SETTLE_SECONDS:
            self.unconfirmed.append(batch)
        else:
            recent.append((now, batch))

    def failed_with(self, batch: Batch, error: BaseException) -> Optional[Batch]:
        """Sending ``batch`` or its reply failed; return it if it must be sent again
        (after ``batch.delay`` seconds), or None if it was given up on (counted in
        :attr:`failed`)."""
        self._forget(batch)
        if self._retriable(batch, error) and batch.attempts < MAX_ATTEMPTS:
            batch.delay = min(0.05 * (2 ** batch.attempts), MAX_DELAY)
            conn = batch.conn
            if conn is not None and not conn.alive:
                batch.conn = None
            self.retried += 1
            return batch
        self.failed += batch.count
        self.errors.append(error)
        return None

    def _retriable(self, batch: Batch, error: BaseException) -> bool:
        """A lost connection, a node stopping or a server error that came with a topology
        change: the batch may land once the cluster settled; anything else would fail
        the same way again."""
        if isinstance(error, ReconnectError):
            return False
        if isinstance(error, OSError):
            return True
        if isinstance(error, CacheError):
            if error.status == STATUS_INVALID_NODE_STATE:
                return True
            router = self.session.router
            return router is not None and router.affinity.latest_version != batch.topology
        return False

    def _forget(self, batch: Batch) -> None:
        queue = self.in_flight.get(self._node(batch))
        if queue is not None:
            try:
                queue.remove(batch)
            except ValueError:
                pass
        batch.handle = None

    @staticmethod
    def _node(batch: Batch) -> Any:
        return batch.conn

    # --- the end --------------------------------------------------------------------------

    def outcome(self) -> None:
        """Raise if any entry was given up on (after the last batch settled).

        :raises DataStreamerError: how many entries the server did not acknowledge.
        """
        if self.failed:
            raise DataStreamerError(
                '{} entries given to the data streamer were not acknowledged by the server: '
                '{} batch(es) failed, the last with {!r}'.format(
                    self.failed, len(self.errors), self.errors[-1]),
                self.failed, list(self.errors))
