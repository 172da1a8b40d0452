"""Fixtures of the TLS and authentication tests.

A test that takes ``connect`` runs twice, ``[sync]`` with :class:`~pyignite.Client` and
``[async]`` with :class:`~pyignite.AioClient` through the adapter of tests/_aio_adapter.py:
``connect.new(**client_kwargs)`` is a client of the mode, not connected yet.
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)


def tls_files(node) -> dict:
    """The node's TLS material (made by the launcher) as str paths: ``ca``, ``client_full``
    (key + certificate), ``client_key``, ``client_cert``, ``client_with_pass_full`` (the key
    encrypted with ``tls_key_password()``), ``untrusted_full`` (signed by no known CA)."""
    return {name: str(path) for name, path in node.ssl_files.items()}


def tls_key_password() -> str:
    from ignite_server import CLIENT_KEY_PASSWORD
    return CLIENT_KEY_PASSWORD


@pytest.fixture
def cache_name() -> str:
    return 'sec-' + uuid.uuid4().hex[:12]


#: a port nothing listens on, to show that a check happens before any network traffic
CLOSED_PORT = 9
