"""Defaults."""

IGNITE_DEFAULT_HOST = 'localhost'
IGNITE_DEFAULT_PORT = 10800

#: keyword arguments a client passes on to its connections
CONNECTION_ARGS = frozenset([
    'timeout', 'handshake_timeout', 'username', 'password', 'use_ssl', 'ssl_version',
    'ssl_ciphers', 'ssl_cert_reqs', 'ssl_keyfile', 'ssl_keyfile_password', 'ssl_certfile',
    'ssl_ca_certfile',
])
