"""Fixtures of the key-value tests: a client of the single node and a fresh cache per test.

The client is a :class:`~pyignite.Client` unless a test is marked :data:`BOTH_CLIENTS`: it
then runs twice, ``[sync]`` and ``[async]`` (an :class:`~pyignite.AioClient` seen through the
adapter of tests/_aio_adapter.py), as the tests of tests/binary and tests/sql do.
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (fixtures and hooks of both API modes)


# replaces the imported ``api``, which runs every test of the folder in both modes
@pytest.fixture(scope='module')
def api(request):
    """The client API under test: ``'sync'``, or the parameter of :data:`BOTH_CLIENTS`."""
    return getattr(request, 'param', 'sync')


@pytest.fixture
def cache(client):
    cache = client.create_cache('kv-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
