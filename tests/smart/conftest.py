"""Fixtures of the cluster-smart client tests (discovery, heartbeats, retries, user
attributes, WAL control): each test that takes ``connect`` runs with both clients."""
import pytest

from _dual_mode import *  # noqa: F401,F403 (the fixtures of both API modes)

from .helpers import Events


@pytest.fixture
def events():
    return Events()
