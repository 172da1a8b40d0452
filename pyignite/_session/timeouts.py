"""The timeout rule of both clients, decided in one place.

Two limits can end the wait for a reply:

* the client's ``timeout`` (seconds, per request, counted from before it is sent).
  If no whole frame at all came from the node while the request waited, the node
  is taken as unresponsive, or stuck in the middle of a frame: the connection is
  closed, so the next call reconnects or fails over. Otherwise only this request is
  given up and the connection stays;
* a per-call deadline (the ``timeout=`` of :class:`~pyignite.aio_cache.AioCache`
  methods): the request is given up, the connection always stays.

A request given up on is forgotten by the connection's inbox: its late reply is
dropped, or, if the request opened a server resource, turned into a close of that
resource (see :mod:`pyignite._session.inbox`).
"""
from typing import Any, Optional, Tuple, Type

__all__ = ['expiry']


def expiry(conn: Any, silent: bool, call_timeout: Optional[float] = None,
           error_class: Type[OSError] = TimeoutError) -> Tuple[OSError, bool]:
    """What happens to a request whose time ran out: ``(error to raise, close the
    connection?)``.

    :param conn: the connection (its ``host``, ``port`` and ``timeout`` go in the message),
    :param silent: no whole frame came from the node while the request waited,
    :param call_timeout: the per-call limit that ran out, or None if it was the client's,
    :param error_class: the transport's timeout exception class.
    """
    if call_timeout is not None:
        return error_class('the operation did not finish within {}s'.format(call_timeout)), \
            False
    if silent:
        return error_class('no reply from {}:{} within {}s, nor any other frame: connection '
                           'closed'.format(conn.host, conn.port, conn.timeout)), True
    return error_class('no reply from {}:{} within {}s'.format(
        conn.host, conn.port, conn.timeout)), False
