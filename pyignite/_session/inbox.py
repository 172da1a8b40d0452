"""Where each frame from a node goes: the demultiplexer both transports feed.

Theory of operation
-------------------
A connection has one :class:`Inbox`. The transport cuts frames (see
:mod:`.frames`) and hands each one to :meth:`Inbox.sort`, which answers with the
*slot* waiting for it (the transport's own object: a future, a waiter) or None
when the inbox dealt with the frame itself:

* a reply is matched by request id to the slot registered with
  :meth:`Inbox.expect`; replies may come in any order;
* a reply nobody waits for any more belongs to a request given up on
  (:meth:`Inbox.give_up`: a timeout, a cancelled task). It is dropped, unless
  that request opened or used a server resource (a cursor, a continuous query, a
  compute task): then the inbox turns it into an OP_RESOURCE_CLOSE request for the
  resource and puts that in :attr:`Inbox.outbox`, which the transport sends. So a
  caller that gives up never leaves a cursor open on the server;
* a server notification (flag 0x0004) goes to the listener registered for its
  (op code, resource id) with :meth:`Inbox.subscribe`. A compute result may come
  before its listener registers (the task id arrives in a reply that another
  thread may still be reading): such notifications are kept until it does, up to
  :data:`MAX_EARLY` of them. A compute result ends its subscription (a task has one
  result). Continuous-query events for an unknown id are dropped,
  as the protocol says, except while a client is opening a query on the connection
  (:meth:`Inbox.hold`): its first events may come right behind the reply that tells
  its id, before the opener had a chance to subscribe;
* when the session ends, the ``on_end`` hook of each subscription still there is called
  with the error that ended it (or a :class:`ConnectionError` for a deliberate close), so
  whoever listens learns that no more notifications will come.

Listeners run in the transport's receive path (the reader thread, the event
loop), so they must only hand the frame on, never block or call the client.

No locking here: the sync transport calls the inbox under its stream lock, the
async one from its event loop.
"""
import struct
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional, Tuple

from .._codec import structs as S
from .._protocol.opcodes import OP_COMPUTE_TASK_FINISHED, OP_RESOURCE_CLOSE
from .._protocol.wire import FLAG_NOTIFICATION, parse_response_header
from .._protocol.request import RELEASE_FROM_REPLY, Request
from ..exceptions import CacheError, ParseError

__all__ = ['Inbox', 'MAX_EARLY', 'OP_COMPUTE_TASK_FINISHED', 'close_request']

_unpack_q = S.LONG.unpack_from
_unpack_h = S.SHORT.unpack_from
_pack_q = S.LONG.pack

#: notifications kept for a resource before its listener registers
_KEPT_EARLY = frozenset((OP_COMPUTE_TASK_FINISHED,))
#: notifications that end their resource: the subscription ends with the first one
_LAST = frozenset((OP_COMPUTE_TASK_FINISHED,))
#: at most this many early notifications are kept (a hostile or buggy server could
#: otherwise fill memory with them); the oldest go first
MAX_EARLY = 1024

Listener = Callable[[bytes], None]
EndHook = Callable[[BaseException], None]


def close_request(resource_id: int) -> Request:
    """An OP_RESOURCE_CLOSE request for ``resource_id``."""
    req = Request(OP_RESOURCE_CLOSE, CacheError)
    req.buf += _pack_q(resource_id)
    return req


class Inbox:
    """The frames of one connection's session, sorted.

    :param flags_header: the session speaks protocol 1.4.0 or newer (frames have flags).
    """

    __slots__ = ('flags_header', 'waiting', 'abandoned', 'listeners', 'early', 'outbox',
                 'on_end', 'holding')

    def __init__(self, flags_header: bool = True):
        self.flags_header = flags_header
        #: request id -> the slot waiting for its reply
        self.waiting: Dict[int, Any] = {}
        #: request id of a request given up on -> the resource its reply frees
        self.abandoned: Dict[int, int] = {}
        self.listeners: Dict[Tuple[int, int], Listener] = {}
        self.on_end: Dict[Tuple[int, int], EndHook] = {}
        #: op code -> how many openers want its notifications for unknown ids kept
        self.holding: Dict[int, int] = {}
        self.early: 'OrderedDict[Tuple[int, int], List[bytes]]' = OrderedDict()
        #: requests the transport must send (and whose replies nobody reads)
        self.outbox: List[Request] = []

    # --- replies ----------------------------------------------------------------------

    def expect(self, request_id: int, slot: Any) -> None:
        """Hand the reply to ``request_id`` to ``slot`` when it comes."""
        self.waiting[request_id] = slot

    def sort(self, frame: bytes) -> Any:
        """Take one frame; return the slot it is for, or None if the inbox dealt with it."""
        if self.flags_header and frame[8] & FLAG_NOTIFICATION:
            self._notify(frame)
            return None
        request_id = _unpack_q(frame, 0)[0]
        slot = self.waiting.pop(request_id, None)
        if slot is None and self.abandoned:
            release = self.abandoned.pop(request_id, None)
            if release is not None:
                self._release(frame, release)
        return slot

    def give_up(self, request_id: int, release: Optional[int],
                reply: Optional[bytes] = None) -> None:
        """Forget the request ``request_id``: its caller stopped waiting.

        :param release: the request's ``release`` (see
         :class:`~pyignite._protocol.request.Request`): what its reply leaves open on the server,
        :param reply: the reply, if it came after all (the caller gave up as it arrived).
        """
        self.waiting.pop(request_id, None)
        if release is None:
            return
        if reply is not None:
            self._release(reply, release)
        else:
            self.abandoned[request_id] = release

    def _release(self, frame: bytes, release: int) -> None:
        """Queue the close of what the reply ``frame`` to a request given up on left open."""
        try:
            header = parse_response_header(frame, self.flags_header)
            if header.status:
                return  # the request failed: it opened nothing
            resource_id = release
            if release == RELEASE_FROM_REPLY:
                resource_id = _unpack_q(frame, header.payload_pos)[0]
        except (ParseError, struct.error):
            return  # garbage in a reply nobody reads: nothing is known to be open
        self.outbox.append(close_request(resource_id))

    # --- notifications ----------------------------------------------------------------

    def subscribe(self, op_code: int, resource_id: int, listener: Listener,
                  on_end: Optional[EndHook] = None) -> None:
        """Send the notifications ``op_code`` for ``resource_id`` to ``listener``, starting
        with those that came before it registered; call ``on_end(error)`` if the session
        ends while subscribed."""
        key = (op_code, resource_id)
        early = self.early.pop(key, None)
        if early and op_code in _LAST:
            listener(early[0])
            return
        self.listeners[key] = listener
        if on_end is not None:
            self.on_end[key] = on_end
        for frame in early or ():
            listener(frame)

    def unsubscribe(self, op_code: int, resource_id: int) -> None:
        """Stop delivering ``op_code`` notifications for ``resource_id``."""
        key = (op_code, resource_id)
        self.listeners.pop(key, None)
        self.on_end.pop(key, None)
        self.early.pop(key, None)

    def hold(self, op_code: int) -> None:
        """Keep ``op_code`` notifications for ids nobody subscribed to, until
        :meth:`unhold`: a request that opens a resource is about to go out, and the
        resource's first notifications may come before its id is known."""
        self.holding[op_code] = self.holding.get(op_code, 0) + 1

    def unhold(self, op_code: int) -> None:
        """The opener is subscribed (or failed): when no other opener holds ``op_code``,
        drop what was kept of it for ids still unknown (resources closed meanwhile)."""
        left = self.holding.get(op_code, 0) - 1
        if left > 0:
            self.holding[op_code] = left
            return
        self.holding.pop(op_code, None)
        if op_code not in _KEPT_EARLY:
            for key in [k for k in self.early if k[0] == op_code]:
                del self.early[key]

    def _notify(self, frame: bytes) -> None:
        try:
            key = (_unpack_h(frame, 10)[0], _unpack_q(frame, 0)[0])
        except struct.error:
            raise ParseError('malformed notification: {} bytes'.format(len(frame))) from None
        if key[0] in _LAST:
            listener = self.listeners.pop(key, None)
            self.on_end.pop(key, None)
        else:
            listener = self.listeners.get(key)
        if listener is not None:
            listener(frame)
        elif key[0] in _KEPT_EARLY or key[0] in self.holding:
            early = self.early
            early.setdefault(key, []).append(frame)
            while sum(map(len, early.values())) > MAX_EARLY:
                kept = next(iter(early.values()))
                kept.pop(0)
                if not kept:
                    early.popitem(last=False)

    # --- the session ends ---------------------------------------------------------------

    def close(self, error: Optional[BaseException] = None) -> List[Any]:
        """The session ended (because of ``error``): forget everything, telling the
        subscribers' ``on_end`` hooks; return the slots still waiting."""
        slots = list(self.waiting.values())
        hooks = list(self.on_end.values())
        self.waiting.clear()
        self.abandoned.clear()
        self.listeners.clear()
        self.on_end.clear()
        self.holding.clear()
        self.early.clear()
        self.outbox.clear()
        if hooks:
            if error is None:
                error = ConnectionError('connection closed')
            for hook in hooks:
                hook(error)
        return slots
