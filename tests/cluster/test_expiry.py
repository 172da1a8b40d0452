"""Expiry policies: per operation (``Cache.with_expire_policy``) and per cache
(``PROP_EXPIRY_POLICY``), on the three-node cluster, with both client APIs.

Ignite checks an entry's expiry time when it is read, so an expired entry reads as
absent even before the background cleaner removes it.
"""
import time
from datetime import timedelta

import pytest
from cluster_util import unique

from pyignite.datatypes.expiry_policy import ExpiryPolicy
from pyignite.datatypes.prop_codes import PROP_EXPIRY_POLICY, PROP_NAME

pytestmark = pytest.mark.both_apis

TTL = 300  # ms
PAST_TTL = 0.8  # s


@pytest.fixture
def cache(client):
    cache = client.create_cache(unique('expiry'))
    yield cache
    cache.destroy()


def test_create(cache):
    view = cache.with_expire_policy(create=timedelta(milliseconds=TTL))
    assert view.expiry_policy == ExpiryPolicy(create=TTL)
    assert view.name == cache.name and cache.expiry_policy is None
    view.put_all({k: k for k in range(20)})
    view.put('single', 1)
    cache.put('eternal', 1)
    assert cache.get('single') == 1 and cache.get_size() == 22
    time.sleep(PAST_TTL)
    assert cache.get('single') is None
    assert cache.get_all(list(range(20))) == {}
    assert cache.get('eternal') == 1


def test_update(cache):
    view = cache.with_expire_policy(update=TTL)
    view.put('k', 1)  # a creation: the update duration does not apply
    time.sleep(PAST_TTL)
    assert cache.get('k') == 1
    view.put('k', 2)  # an update: expires after TTL
    assert cache.get('k') == 2
    time.sleep(PAST_TTL)
    assert cache.get('k') is None


def test_access(cache):
    cache.put('k', 1)
    cache.put('untouched', 1)
    view = cache.with_expire_policy(access=TTL)
    assert view.get('k') == 1  # the read sets the time to live
    time.sleep(PAST_TTL)
    assert cache.get('k') is None
    assert cache.get('untouched') == 1


def test_unchanged_and_eternal(cache):
    short = cache.with_expire_policy(create=TTL)
    short.put('a', 1)
    short.put('b', 1)
    # UNCHANGED keeps the entry's expiry, ETERNAL lifts it
    cache.with_expire_policy(update=ExpiryPolicy.UNCHANGED).put('a', 2)
    cache.with_expire_policy(update=ExpiryPolicy.ETERNAL).put('b', 2)
    time.sleep(PAST_TTL)
    assert cache.get('a') is None
    assert cache.get('b') == 2


def test_cache_level_policy(client):
    cache = client.create_cache({PROP_NAME: unique('expiry-cfg'),
                                 PROP_EXPIRY_POLICY: ExpiryPolicy(create=TTL)})
    try:
        assert cache.settings[PROP_EXPIRY_POLICY] == ExpiryPolicy(create=TTL)
        cache.put('k', 1)
        assert cache.get('k') == 1
        # a per-operation policy overrides the cache's
        cache.with_expire_policy(create=ExpiryPolicy.ETERNAL).put('kept', 1)
        time.sleep(PAST_TTL)
        assert cache.get('k') is None
        assert cache.get('kept') == 1
    finally:
        cache.destroy()


@pytest.mark.parametrize('kwargs, error', [
    ({'create': -3}, ValueError), ({'update': 1.5}, TypeError),
    ({'access': timedelta(seconds=-1)}, ValueError), ({'create': '1'}, TypeError),
])
def test_bad_durations(cache, kwargs, error):
    with pytest.raises(error):
        cache.with_expire_policy(**kwargs)
