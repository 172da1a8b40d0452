"""Fixtures of the tests that run code on the server (compute tasks, services, entry
processors, scan filters) in both API modes: every test that takes ``client`` (the single
node) or ``cluster_client`` (the three-node cluster) runs ``[sync]`` with
:class:`~pyignite.Client` and ``[async]`` with :class:`~pyignite.AioClient`
(tests/_aio_adapter.py). The Java side is the test jar (tools/java).
"""
import uuid

import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)

#: the Java classes of tools/java/src/org/pyignite/tests
JAVA = 'org.pyignite.tests.'


@pytest.fixture(scope='module')
def cluster_client(connect, ignite_cluster):
    """A client of the API under test connected to every node of the 3-node cluster."""
    client = connect.cluster(ignite_cluster)
    yield client
    client.close()


@pytest.fixture
def cache(client):
    cache = client.create_cache('run-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
