"""Refusing an operation the connected cluster does not offer, before anything is sent."""
from typing import TYPE_CHECKING

from ..exceptions import NotSupportedByClusterError

if TYPE_CHECKING:
    from .common import Session

__all__ = ['require']


def require(session: 'Session', bit: int, what: str) -> None:
    """Check that the session negotiated the feature ``bit``.

    Before the first connection nothing is known: the operation then fails as any other
    does on a client that is not connected.

    :param what: the feature as the error names it, e.g. ``'compute tasks (Ignite 2.9 or
     later)'``,
    :raises NotSupportedByClusterError: the server does not offer it.
    """
    ctx = session.protocol_context
    if ctx is not None and bit not in ctx.features:
        raise NotSupportedByClusterError(
            '{} need a server that negotiates the thin client protocol feature {} '
            '(the server offers {})'.format(what, bit, sorted(ctx.features)))
