"""Fixtures of the asyncio client tests.

Every module gets one event loop; ``async def`` tests and the fixtures below run on it,
so a client connected by a module-scoped fixture can be used by all its tests.
"""
import asyncio
import inspect
import uuid

import pytest

from pyignite import AioClient


@pytest.fixture(scope='module')
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


@pytest.fixture(scope='module')
def run(loop):
    """Run a coroutine (or any awaitable) to its end on the module's loop."""
    return loop.run_until_complete


@pytest.fixture(autouse=True)
def _module_loop(loop):
    """Every test of this folder has the module's loop set up (see below)."""


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests on the module's loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    loop = pyfuncitem.funcargs['loop']
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    loop.run_until_complete(pyfuncitem.obj(**kwargs))
    return True


@pytest.fixture(scope='module')
def client(ignite_node, run):
    client = AioClient()
    run(client.connect(ignite_node.host, ignite_node.port))
    yield client
    run(client.close())


@pytest.fixture
def cache(client, run):
    cache = run(client.create_cache('aio-' + uuid.uuid4().hex))
    yield cache
    run(cache.destroy())
