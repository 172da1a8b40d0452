import uuid

import pytest

from ._helpers import connect


@pytest.fixture(scope='module')
def client(ignite_node):
    client = connect(ignite_node)
    yield client
    client.close()


@pytest.fixture
def fresh_client(ignite_node):
    """A client whose registry knows nothing yet."""
    client = connect(ignite_node)
    yield client
    client.close()


@pytest.fixture
def cache(client):
    cache = client.create_cache('binary-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
