"""Fixtures that run a test module's tests with both client APIs.

A conftest imports them (``from _dual_mode import *``): every test that takes ``client``
runs twice, ``[sync]`` with :class:`~pyignite.Client` and ``[async]`` with
:class:`~pyignite.AioClient` through the adapter of tests/_aio_adapter.py;
``@pytest.mark.sync_only(reason)`` keeps a test (or one param of it) to the sync client.
"""
import pytest

from _aio_adapter import MODES, Connector, deselect_sync_only, register_marker

__all__ = ['pytest_configure', 'pytest_collection_modifyitems', 'api', 'connect', 'client',
           'fresh_client']


def pytest_configure(config):
    register_marker(config)


def pytest_collection_modifyitems(config, items):
    deselect_sync_only(config, items)


@pytest.fixture(scope='module', params=MODES)
def api(request):
    """The client API under test: 'sync' or 'async'."""
    return request.param


@pytest.fixture(scope='module')
def connect(api):
    """``connect(node, **client_kwargs)``: a connected client of the API under test."""
    connector = Connector(api)
    yield connector
    connector.close()


@pytest.fixture(scope='module')
def client(connect, ignite_node):
    client = connect(ignite_node)
    yield client
    client.close()


@pytest.fixture
def fresh_client(connect, ignite_node):
    """A client of its own: an empty binary registry, its own server-side cursor count."""
    client = connect(ignite_node)
    yield client
    client.close()
