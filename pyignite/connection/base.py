"""What a blocking and an asyncio connection to one node have in common."""
import itertools
from typing import Any, Mapping, Optional, Protocol
from uuid import UUID

from .._protocol import wire as P


class Owner(Protocol):
    """What a connection tells the session of the client that owns it
    (:class:`pyignite._session.session.Session`)."""

    def handshake_started(self, conn: Any) -> None: ...

    def handshake_failed(self, conn: Any, error: BaseException) -> None: ...

    def handshake_succeeded(self, conn: Any) -> None: ...

    def connection_closed(self, conn: Any, error: Optional[BaseException]) -> None: ...

    #: sent in the handshake (protocol 1.7.0, feature USER_ATTRIBUTES), or None
    user_attributes: Optional[Mapping[str, str]]


class NodeConnection:
    """The settings and the negotiated state of a connection to one node.

    :param session: the session of the client that owns it (told of its events),
    :param host: node host,
    :param port: node port,
    :param username: (optional) user name for authentication,
    :param password: (optional) password for authentication,
    :param timeout: (optional) time limit of each request, seconds; None or 0 for none,
    :param handshake_timeout: (optional) time limit of connecting plus the handshake, seconds,
    :param ssl_params: ``use_ssl`` and the other ``ssl_*`` parameters of the client.
    """

    def __init__(self, session: Owner, host: str, port: int, username: Optional[str] = None,
                 password: Optional[str] = None, timeout: Optional[float] = None,
                 handshake_timeout: float = 10.0, **ssl_params: Any):
        self.session = session
        self.user_attributes = getattr(session, "user_attributes", None)
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        # 0 means no limit (a zero socket timeout would make every request time out at once)
        self.timeout = timeout or None
        self.handshake_timeout = handshake_timeout
        self.ssl_params = ssl_params
        self.protocol_context: Optional[P.ProtocolContext] = None
        self.uuid: Optional[UUID] = None
        self.alive = False
        self.closed = True
        self._ids = itertools.count(1)
        #: counts close() calls, so that a connect() can tell it was overtaken by one
        self._closes = 0

    def _mark_closed(self) -> bool:
        """Take the connection as closed (a close() call); return whether it was alive,
        that is whether the session must be told."""
        self._closes += 1
        was_alive = self.alive
        self.alive = False
        self.closed = True
        return was_alive

    def requests_sent(self) -> int:
        """How many request ids the connection handed out so far (a heartbeat timer tells
        an idle connection by it without a clock read on every request)."""
        # repr of itertools.count is 'count(N)', N the next id: peeking does not take one
        return int(repr(self._ids)[6:-1]) - 1

    @staticmethod
    def handshake_lost(error: ConnectionError, tls: bool) -> ConnectionError:
        """The error for a connection the node closed during the handshake, with the
        likely cause: a TLS mismatch, or a client certificate the node wants."""
        hint = 'does the node want a client certificate (ssl_certfile)' if tls else \
            'does the node want TLS (use_ssl=True)'
        return ConnectionError('{} during the handshake; {}?'.format(error, hint))

    def __repr__(self) -> str:
        return '{}({}:{}, {})'.format(type(self).__name__, self.host, self.port,
                                      'alive' if self.alive else 'closed')
