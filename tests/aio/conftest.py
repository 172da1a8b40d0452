"""Fixtures of the asyncio client tests.

``async def`` tests and fixtures run through pytest-asyncio (``asyncio_mode = "auto"`` in
pyproject.toml), all on the session's one event loop: the client a module-scoped fixture
connects is used by every test of the module, on the loop it was connected in.
"""
import uuid

import pytest

from pyignite import AioClient


@pytest.fixture(scope='module')
async def client(ignite_node):
    client = AioClient()
    await client.connect(ignite_node.host, ignite_node.port)
    yield client
    await client.close()


@pytest.fixture
async def cache(client):
    cache = await client.create_cache('aio-' + uuid.uuid4().hex)
    yield cache
    await cache.destroy()
