"""Building the TLS context from the client's ``ssl_*`` parameters."""
import ssl
from typing import Optional

SSL_PARAMS = ('use_ssl', 'ssl_version', 'ssl_ciphers', 'ssl_cert_reqs', 'ssl_keyfile',
              'ssl_keyfile_password', 'ssl_certfile', 'ssl_ca_certfile')


def make_ssl_context(params: dict) -> Optional[ssl.SSLContext]:
    """An SSL context for the given parameters, or None when TLS is off."""
    if not params.get('use_ssl'):
        return None
    version = params.get('ssl_version')
    context = ssl.SSLContext(version if version is not None else ssl.PROTOCOL_TLS_CLIENT)
    cert_reqs = params.get('ssl_cert_reqs')
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE if cert_reqs is None else cert_reqs
    if params.get('ssl_ciphers'):
        context.set_ciphers(params['ssl_ciphers'])
    if params.get('ssl_ca_certfile'):
        context.load_verify_locations(params['ssl_ca_certfile'])
    elif context.verify_mode != ssl.CERT_NONE:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    certfile = params.get('ssl_certfile')
    keyfile = params.get('ssl_keyfile')
    if certfile or keyfile:
        context.load_cert_chain(certfile or keyfile, keyfile,
                                params.get('ssl_keyfile_password'))
    return context
