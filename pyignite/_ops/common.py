"""What every operation is made of (see :mod:`pyignite._session.exchange`)."""
from typing import Any, Generator

from .._request import Request, Response

__all__ = ['Call', 'Operation']

#: what every operation is: a generator that yields requests, receives their responses
#: and returns its result (see :mod:`pyignite._session.exchange`)
Operation = Generator[Request, Response, Any]


class Call:
    """A one-request operation: ``req`` and the ``reader`` of its reply's payload (a
    function ``(data, pos, registry) -> (value, next pos)``, or None for no value).

    The exchange sends ``req`` as it is when nothing has to be prepared first, and runs
    :func:`~pyignite._ops.prepare.finish` otherwise.
    """

    __slots__ = ('req', 'reader')

    def __init__(self, req: Request, reader: Any):
        self.req = req
        self.reader = reader
