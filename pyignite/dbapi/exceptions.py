"""The PEP 249 exception hierarchy, and how pyignite's errors map onto it.

SQL errors come from the server with an SQLSTATE at the head of their message
(``"23000: Duplicate key ..."``); its class (the first two characters) picks the PEP 249
class. Errors pyignite raises itself map by their kind: bad arguments are the caller's
(a ``ProgrammingError``), a lost or refused connection is an ``OperationalError``, a reply
the client cannot read is an ``InterfaceError``. The original exception is always kept as
``__cause__``, and ``Error.sqlstate`` / ``Error.status`` keep the server's codes.
"""
import re
from typing import Dict, Optional, Type

from .. import exceptions as _exc

__all__ = [
    'Warning', 'Error', 'InterfaceError', 'DatabaseError', 'DataError', 'OperationalError',
    'IntegrityError', 'InternalError', 'ProgrammingError', 'NotSupportedError', 'translate',
]


class Warning(Exception):  # noqa: A001 (the name PEP 249 requires)
    """An important warning; pyignite raises none today."""


class Error(Exception):
    """The base of every DB-API error.

    :ivar sqlstate: the server's SQLSTATE, or None,
    :ivar status: the server's status code, or None.
    """

    def __init__(self, message: str = '', sqlstate: Optional[str] = None,
                 status: Optional[int] = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.status = status


class InterfaceError(Error):
    """A misuse of the driver itself (a closed cursor) or a reply it cannot read."""


class DatabaseError(Error):
    """An error reported by, or about, the database."""


class DataError(DatabaseError):
    """A value the server could not take (out of range, not convertible)."""


class OperationalError(DatabaseError):
    """The connection or the server failed, or a query was cancelled or timed out."""


class IntegrityError(DatabaseError):
    """A key or constraint violation (a duplicate primary key, a null in a NOT NULL
    column)."""


class InternalError(DatabaseError):
    """The server hit an internal error."""


class ProgrammingError(DatabaseError):
    """A bad statement or bad parameters: a syntax error, an unknown table or column, the
    wrong number of parameters."""


class NotSupportedError(DatabaseError):
    """Something Ignite or this driver does not do (a SQL feature, transactions)."""


#: SQLSTATE class (two characters) -> PEP 249 class
_SQLSTATE_CLASSES: Dict[str, Type[Error]] = {
    '0A': NotSupportedError,  # feature not supported
    '08': OperationalError,  # connection exception
    '21': ProgrammingError,  # cardinality violation
    '22': DataError,  # data exception
    '23': IntegrityError,  # integrity constraint violation
    '25': OperationalError,  # invalid transaction state
    '40': OperationalError,  # transaction rollback (concurrent update)
    '42': ProgrammingError,  # syntax error or access rule violation
    '57': OperationalError,  # operator intervention (query cancelled)
    '07': ProgrammingError,  # dynamic SQL error (parameters)
    'XX': InternalError,
    '50': InternalError,  # Ignite's "internal error" code 50000
}

_SQLSTATE = re.compile(r'([0-9A-Z]{5}): ')


def translate(error: BaseException) -> Error:
    """The DB-API exception standing for one pyignite raised (not yet chained to it).

    :param error: an exception from pyignite or the socket layer,
    :return: an instance of one of this module's classes.
    """
    if isinstance(error, Error):
        return error
    message = str(error)
    if isinstance(error, _exc.CursorError):
        return OperationalError(message, status=error.status)
    if isinstance(error, _exc.CacheError):
        match = _SQLSTATE.match(message)
        if match is not None:
            state = match.group(1)
            cls = _SQLSTATE_CLASSES.get(state[:2], DatabaseError)
            return cls(message[match.end():], state, error.status)
        return DatabaseError(message, status=error.status)
    if isinstance(error, _exc.ParameterError):
        return ProgrammingError(message)
    if isinstance(error, _exc.NotSupportedByClusterError):
        return NotSupportedError(message)
    if isinstance(error, _exc.ParseError):
        return InterfaceError(message)
    if isinstance(error, (OSError, EOFError, _exc.ReconnectError, _exc.AuthenticationError,
                          _exc.ClusterError)):
        return OperationalError(message or type(error).__name__)
    if isinstance(error, _exc.NotSupportedError):
        return NotSupportedError(message)
    return DatabaseError('{}: {}'.format(type(error).__name__, message))
