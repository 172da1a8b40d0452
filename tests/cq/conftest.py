"""Fixtures of the continuous query tests: each scenario runs with both clients.

A scenario is one ``async def`` test written against :func:`run`: ``await run(x)`` awaits
``x`` when the async client returned an awaitable, and passes a sync result through. So
``cq = await run(cache.continuous_query(...))`` is a blocking call in ``[sync]`` mode and a
real ``await`` in ``[async]`` mode, and waiting for events (:meth:`Heard.until`) lets the
event loop run in both.
"""
import ignite_server  # tools/, put on sys.path by tests/conftest.py
import pytest
from cq_util import run

from pyignite import AioClient, Client

#: two nodes of this folder's own (the kill test stops one), ports outside the layouts
OWN_CLIENT_PORT = 10850
OWN_DISCOVERY_PORT = 47950
OWN_COMMUNICATION_PORT = 47450


@pytest.fixture(params=['sync', 'async'])
def api(request):
    return request.param


@pytest.fixture
async def make_client(api):
    """``await make_client(node_or_endpoints, **kwargs)``: a connected client of the API
    under test, closed after the test."""
    made = []

    async def make(where, **kwargs):
        endpoints = where if isinstance(where, list) else [(where.host, where.port)]
        if api == 'sync':
            client = Client(**kwargs)
            client.connect(endpoints)
        else:
            client = AioClient(**kwargs)
            await client.connect(endpoints)
        made.append(client)
        return client

    yield make
    for client in made:
        await run(client.close())


@pytest.fixture(scope='module')
def cq_cluster():
    """Two in-memory nodes of their own (ports 10850, 10851), for the test that kills one.

    The test restarts what it killed before it ends.
    """
    cluster = ignite_server.IgniteCluster(
        'pyignite-cq', nodes=2, client_port=OWN_CLIENT_PORT,
        discovery_port=OWN_DISCOVERY_PORT, communication_port=OWN_COMMUNICATION_PORT,
        discovery_range=10)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
