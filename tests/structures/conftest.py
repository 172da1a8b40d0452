"""Fixtures of the bulk loading and data structure tests (data streamer, AtomicLong,
IgniteSet) on the single node, in both API modes: every test that takes a client runs
``[sync]`` with :class:`~pyignite.Client` and ``[async]`` with :class:`~pyignite.AioClient`
(tests/_aio_adapter.py).
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)


@pytest.fixture
def cache(client):
    cache = client.create_cache('ds-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
