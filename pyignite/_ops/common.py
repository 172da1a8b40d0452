"""What every operation is (see :mod:`pyignite._ops.exchange`), and what it may ask of the
client's session."""
from typing import Any, Generator, List, Optional, Protocol, Tuple

from .._protocol.wire import ProtocolContext
from .._codec.registry import BinaryRegistry
from .._protocol.request import Request, Response
from .._routing.router import Router

__all__ = ['CacheRef', 'Operation', 'Session']

#: what every operation is: a generator that yields requests, receives their responses
#: and returns its result (see :mod:`pyignite._ops.exchange`)
Operation = Generator[Request, Response, Any]


class Session(Protocol):
    """What an operation may use of the client's session: the interface the operations
    are written against, kept here so that they depend on nothing above them.
    :class:`pyignite._session.session.Session` is what implements it.
    """

    binary: BinaryRegistry
    router: Optional[Router]
    abandoned: List[Tuple[Any, Any, int]]
    nodes: List[Any]

    @property
    def protocol_context(self) -> Optional[ProtocolContext]: ...

    def needs_prepare(self, req: Request) -> bool: ...

    def route(self, req: Request) -> Any: ...

    def stale(self, cache_id: int) -> bool: ...

    def on_affinity_update(self) -> None: ...


class CacheRef(Protocol):
    """What an operation may use of a cache object (:class:`pyignite.cache.BaseCache`)."""

    _cache_id: int
    _frame_prefix: bytes
    _client: Any
    _settings: Any

    @property
    def name(self) -> str: ...

    @property
    def cache_id(self) -> int: ...
