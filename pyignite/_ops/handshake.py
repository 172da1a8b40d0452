"""The handshake, with protocol version fallback, as a generator of raw frames."""
from typing import Optional

from .. import _protocol as P
from ..exceptions import AuthenticationError, HandshakeError


def handshake(username: Optional[str] = None, password: Optional[str] = None,
              version: P.Version = P.LATEST):
    """Yield handshake frames to send, receive reply bodies; return ``(version, result)``.

    :raises AuthenticationError: the server rejected the credentials,
    :raises HandshakeError: no protocol version both sides speak.
    """
    while True:
        body = yield P.handshake_request(version, username, password)
        result = P.parse_handshake_response(body, version)
        if result.success:
            return version, result
        if result.status == P.STATUS_AUTH_FAILED:
            raise AuthenticationError(result.message)
        retry = P.next_version(version, result.server_version)
        if retry is None or username and retry < (1, 1, 0):
            raise HandshakeError(result.server_version, result.message)
        version = retry
