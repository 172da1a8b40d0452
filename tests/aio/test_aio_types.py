"""Every scalar and array type through a real node, all at once on one async connection.

Each type's round trip alone is tested with both clients in tests/kv/test_types.py; here the
same cases go out as concurrent requests, and every value must come back to its own request.
"""
import asyncio

import pytest

from kv.test_types import CASES


@pytest.fixture(scope='module')
async def types_cache(client):
    cache = await client.get_or_create_cache('aio-types')
    yield cache
    await cache.destroy()


async def test_all_values_concurrently(types_cache):
    """Values written and read by concurrent requests on one connection come back each
    to its own request."""
    await asyncio.gather(*[types_cache.put(i, value, value_hint=hint)
                           for i, (value, hint) in enumerate(CASES)])
    got = await asyncio.gather(*[types_cache.get(i) for i in range(len(CASES))])
    assert got == [value for value, _ in CASES]
    assert await types_cache.get_all(list(range(len(CASES)))) == {
        i: value for i, (value, _) in enumerate(CASES)}
