"""Exceptions raised by pyignite.

Connection problems surface as :class:`OSError` subclasses (the standard
library's, or :class:`HandshakeError`), so ``except OSError`` catches every
network failure; everything the server reports is a :class:`CacheError`,
:class:`ClusterError` or one of their subclasses.
"""
import socket
from concurrent.futures import CancelledError
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    'AuthenticationError', 'AuthenticationRequiredError', 'BinaryTypeError',
    'CacheCreationError', 'CacheError', 'ClusterError', 'ComputeError',
    'ComputeTaskCancelledError', 'CursorError', 'DataStreamerError', 'EntryProcessorError',
    'HandshakeError', 'ServiceError',
    'NotSupportedByClusterError', 'NotSupportedError', 'ParameterError', 'ParseError',
    'ReconnectError', 'SQLError', 'SocketError', 'connection_errors',
]

#: Alias kept for code written against the documented failover example.
SocketError = socket.error


class ParseError(Exception):
    """pyignite could not build a request or parse a response."""


class HandshakeError(OSError):
    """The Ignite binary protocol handshake failed.

    :ivar expected_version: the protocol version the server named, a tuple of three ints
     (empty when the reply was no handshake reply),
    :ivar message: the server's message.
    """

    def __init__(self, expected_version: Tuple[int, ...], message: str):
        self.expected_version = tuple(expected_version)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return 'Handshake error: {}'.format(self.message)


class AuthenticationError(Exception):
    """The server rejected the credentials.

    :ivar message: the server's message.
    """

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AuthenticationRequiredError(HandshakeError, AuthenticationError):
    """The node requires credentials and none were given: the server refused the session
    (a :class:`HandshakeError`, as the documentation says) for want of authentication (an
    :class:`AuthenticationError`, as pyignite 0.6.1 raises). Catching either class catches
    it.
    """

    def __init__(self, expected_version: Tuple[int, int, int], message: str):
        HandshakeError.__init__(self, expected_version, message)


class ReconnectError(Exception):
    """No node is left to connect to."""


class ParameterError(Exception):
    """A parameter given to a pyignite method is not valid."""


class CacheError(Exception):
    """A cache operation failed on the server.

    :ivar status: the server's status code, or None when the error was raised client side.
    """

    def __init__(self, message: str = '', status: Optional[int] = None):
        self.status = status
        super().__init__(message)


class CursorError(CacheError):
    """A cursor can't hand out its remaining rows: a page request failed, timed out or
    was cancelled, and the server has moved past that page. Every later ``next()`` of
    the cursor raises it (its ``__cause__`` is the original failure); run the query
    again to read the rows.
    """


class DataStreamerError(CacheError):
    """Entries given to a data streamer were not acknowledged by the server: their
    batches failed (and retrying did not help).

    :ivar failed: how many entries were not acknowledged,
    :ivar errors: the last error of each batch that failed, oldest first.
    """

    def __init__(self, message: str, failed: int, errors: List[BaseException]):
        super().__init__(message)
        self.failed = failed
        self.errors = errors


class BinaryTypeError(CacheError):
    """A complex object type registry operation failed on the server."""


class CacheCreationError(CacheError):
    """The server refused to create a cache."""


class SQLError(CacheError):
    """An SQL query failed."""


class ComputeError(CacheError):
    """A compute task could not run or failed: the message is the server's (the task's
    exception message), or says what to configure when the server does not let thin
    clients run tasks (status 100: set ``ThinClientConfiguration.
    maxActiveComputeTasksPerConnection`` on the server nodes)."""


class ComputeTaskCancelledError(ComputeError, CancelledError):
    """A compute task was cancelled (the server reported ``"Task was cancelled"``).

    It is also a :class:`concurrent.futures.CancelledError`, what the ``result()`` of a
    cancelled future raises.
    """


class ServiceError(CacheError):
    """A service call failed on the server: an unknown service or method, arguments that
    match no method, or the exception the method raised (its message)."""


class EntryProcessorError(CacheError):
    """An entry processor threw on the server (status 1040), or could not be run.

    From ``invoke_all``: the processor threw for some keys.

    :ivar errors: ``invoke_all``: the server's message for each key it threw for,
    :ivar results: ``invoke_all``: the results of the other keys (as it returns them).
    """

    def __init__(self, message: str = '', status: Optional[int] = None,
                 errors: Optional[Dict[Any, str]] = None,
                 results: Optional[Dict[Any, Any]] = None):
        super().__init__(message, status)
        self.errors: Dict[Any, str] = errors or {}
        self.results: Dict[Any, Any] = results or {}


class ClusterError(Exception):
    """A cluster operation failed on the server."""


class NotSupportedByClusterError(Exception):
    """The cluster is too old for the requested operation."""


class NotSupportedError(Exception):
    """The operation is not supported by this client or Python version."""


#: Errors after which the connection they happened on cannot be trusted.
connection_errors = (IOError, OSError, EOFError)
