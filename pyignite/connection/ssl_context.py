"""Building the TLS context from the client's ``ssl_*`` parameters.

``ssl_version`` takes an ``ssl.PROTOCOL_*`` constant, as the reference client
does, or an :class:`ssl.TLSVersion`. Legacy fixed-version protocols
(``PROTOCOL_TLSv1_2``...) become a client context pinned to that version, which
behaves the same without Python's deprecation warnings. The server's host name
is not checked against its certificate (the reference client does not either);
``ssl_cert_reqs=ssl.CERT_REQUIRED`` checks that a trusted CA signed it.

Every problem with these parameters (an unreadable file, a wrong key password,
a cipher list OpenSSL rejects) raises :class:`~pyignite.exceptions.ParameterError`,
chained to the original error, before any network traffic.
"""
import ssl
from typing import Any, Dict, Mapping, NoReturn, Optional, Tuple

from ..exceptions import ParameterError

__all__ = ['SSL_PARAMS', 'make_ssl_context']

SSL_PARAMS = ('use_ssl', 'ssl_version', 'ssl_ciphers', 'ssl_cert_reqs', 'ssl_keyfile',
              'ssl_keyfile_password', 'ssl_certfile', 'ssl_ca_certfile')

_CERT_REQS = (ssl.CERT_NONE, ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED)


def _pinned_versions() -> Dict[Any, ssl.TLSVersion]:
    pinned = {}
    for protocol, version in (('PROTOCOL_TLSv1', 'TLSv1'), ('PROTOCOL_TLSv1_1', 'TLSv1_1'),
                              ('PROTOCOL_TLSv1_2', 'TLSv1_2')):
        if hasattr(ssl, protocol):  # builds without old TLS lack the constants
            pinned[getattr(ssl, protocol)] = getattr(ssl.TLSVersion, version)
    return pinned


_PINNED = _pinned_versions()
_NEGOTIATED = (ssl.PROTOCOL_TLS, ssl.PROTOCOL_TLS_CLIENT)


def _versions(version: Any) -> Optional[Tuple[ssl.TLSVersion, ssl.TLSVersion]]:
    """``(minimum, maximum)`` TLS versions for an ``ssl_version`` value (None: defaults)."""
    if version is None or version in _NEGOTIATED:
        return None
    if isinstance(version, ssl.TLSVersion):
        return version, version
    if version in _PINNED:
        return _PINNED[version], _PINNED[version]
    raise ParameterError('ssl_version should be an ssl.PROTOCOL_* constant for a TLS client '
                         'or an ssl.TLSVersion, not {!r}'.format(version))


def _no_password() -> NoReturn:
    raise ParameterError('ssl_keyfile holds an encrypted key: give its ssl_keyfile_password')


def make_ssl_context(params: Mapping[str, Any]) -> Optional[ssl.SSLContext]:
    """A client TLS context for the given parameters, or None when ``use_ssl`` is off.

    :param params: ``use_ssl`` and the other ``ssl_*`` client parameters,
    :return: an :class:`ssl.SSLContext` or None,
    :raises ParameterError: a parameter is invalid or a file can not be loaded.
    """
    if not params.get('use_ssl'):
        return None
    pinned = _versions(params.get('ssl_version'))
    cert_reqs = params.get('ssl_cert_reqs')
    if cert_reqs is None:
        cert_reqs = ssl.CERT_NONE
    if cert_reqs not in _CERT_REQS:
        raise ParameterError('ssl_cert_reqs should be ssl.CERT_NONE, CERT_OPTIONAL or '
                             'CERT_REQUIRED, not {!r}'.format(cert_reqs))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # before verify_mode: CERT_NONE needs it off
    context.verify_mode = cert_reqs
    if pinned is not None:
        try:
            context.minimum_version, context.maximum_version = pinned
        except (ValueError, ssl.SSLError) as e:
            raise ParameterError('ssl_version {!r} is not available: {}'.format(
                params.get('ssl_version'), e)) from e
    ciphers = params.get('ssl_ciphers')
    if ciphers:
        try:
            context.set_ciphers(ciphers)
        except ssl.SSLError as e:
            raise ParameterError('ssl_ciphers {!r} selects no cipher: {}'.format(
                ciphers, e)) from e
    ca_file = params.get('ssl_ca_certfile')
    try:
        if ca_file:
            context.load_verify_locations(ca_file)
        elif cert_reqs != ssl.CERT_NONE:
            context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
        raise ParameterError('can not load CA certificates from ssl_ca_certfile {!r}: '
                             '{}'.format(ca_file, e)) from e
    certfile: Any = params.get('ssl_certfile')
    keyfile: Any = params.get('ssl_keyfile')
    if certfile or keyfile:
        password = params.get('ssl_keyfile_password')
        if password is None:
            # never let OpenSSL prompt on the terminal for the key's password
            password = _no_password
        # either file alone may hold both the key and the certificate
        try:
            context.load_cert_chain(certfile or keyfile, keyfile, password)
        except ParameterError:
            raise
        except (OSError, ValueError, TypeError) as e:
            hint = ' (is ssl_keyfile_password right?)' if isinstance(e, ssl.SSLError) else ''
            raise ParameterError('can not load the client certificate from ssl_certfile {!r} '
                                 'and ssl_keyfile {!r}{}: {}'.format(certfile, keyfile, hint,
                                                                     e)) from e
    return context
