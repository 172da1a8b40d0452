"""What the data structure operations (AtomicLong 9000-9007, IgniteSet 9010-9023) share:
names, and how a server too old for them answers."""
from typing import Any

from .._codec.encoder import write_string
from .._protocol.request import Request
from ..exceptions import CacheError, NotSupportedByClusterError, ParameterError
from .common import Operation
from .prepare import prepare

__all__ = ['send', 'write_name']

#: the server's status for an op code it does not know
STATUS_INVALID_OP_CODE = 2


def write_name(buf: bytearray, name: Any) -> None:
    """Write a data structure's name (a non-empty str).

    :raises ParameterError: not a non-empty str.
    """
    if not isinstance(name, str) or not name:
        raise ParameterError('a data structure name must be a non-empty str, not {!r}'.format(
            name))
    write_string(buf, name)


def send(session: Any, req: Request, what: str) -> Operation:
    """Send ``req`` (after registering the types of the complex objects it holds, if
    any); return its reply. These operations have no feature bit: a server that does not
    know the op code gets a clear :class:`~pyignite.exceptions.NotSupportedByClusterError`
    after the fact."""
    if session.needs_prepare(req):
        yield from prepare(session, req)
    try:
        resp = yield req
    except CacheError as e:
        if e.status == STATUS_INVALID_OP_CODE:
            raise NotSupportedByClusterError(
                'the server does not know {} operations (Apache Ignite 2.14 or newer has '
                'them): {}'.format(what, e)) from None
        raise
    return resp
