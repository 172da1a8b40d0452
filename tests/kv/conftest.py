"""Fixtures of the key-value tests: clients of the single node, in both API modes.

Every test that takes a client runs twice, ``[sync]`` with :class:`~pyignite.Client` and
``[async]`` with :class:`~pyignite.AioClient` through the adapter of tests/_aio_adapter.py;
``@pytest.mark.sync_only(reason)`` keeps a test to the sync client.
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)


@pytest.fixture
def cache(client):
    cache = client.create_cache('kv-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
