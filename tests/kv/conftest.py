import uuid

import pytest

from pyignite import Client


@pytest.fixture(scope='module')
def client(ignite_node):
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        yield client


@pytest.fixture
def cache(client):
    cache = client.create_cache('kv-' + uuid.uuid4().hex)
    yield cache
    cache.destroy()
