"""The handshake, with protocol version fallback, as a generator of raw frames."""
from typing import Generator, Mapping, Optional, Tuple

from .._protocol import wire as P
from ..exceptions import AuthenticationError, AuthenticationRequiredError, HandshakeError


def handshake(username: Optional[str] = None, password: Optional[str] = None,
              version: P.Version = P.LATEST,
              user_attributes: Optional[Mapping[str, str]] = None,
              ) -> Generator[bytes, bytes, Tuple[P.Version, P.HandshakeResult]]:
    """Yield handshake frames to send, receive reply bodies; return ``(version, result)``.

    ``user_attributes`` go to the server with protocol 1.7.0 (older ones have no place for
    them).

    :raises AuthenticationError: the server rejected the credentials we sent,
    :raises HandshakeError: no protocol version both sides speak, or the server refused
     the session for another reason (among them: it requires credentials and none were
     given); the server's message is kept,
    :raises ParseError: the reply is not a handshake reply.
    """
    sends_credentials = bool(username) and password is not None
    tried = {version}
    while True:
        body = yield P.handshake_request(version, username, password, user_attributes)
        result = P.parse_handshake_response(body, version)
        if result.success:
            return version, result
        offered = result.server_version
        assert offered is not None  # a refusal names the server's version
        if result.status == P.STATUS_AUTH_FAILED:
            if sends_credentials:
                raise AuthenticationError(result.message)
            # the server wants credentials: a refused session for want of them
            raise AuthenticationRequiredError(offered, result.message)
        retry = P.next_version(version, offered)
        # a version already refused is never offered again, so a server that keeps
        # naming other versions cannot keep us here
        if retry is None or retry in tried or sends_credentials and retry < (1, 1, 0):
            raise HandshakeError(offered, result.message)
        tried.add(retry)
        version = retry
