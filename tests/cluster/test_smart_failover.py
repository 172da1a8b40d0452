"""The failover scenario of the documentation with retry policies (on this folder's own
cluster, whose nodes are killed with SIGKILL one by one while a client puts).

What a user relies on, with both clients:
* ``RetryAllPolicy``: while a node is left, no call raises; no acknowledged write is lost
  (FULL_SYNC cache with two backups); once no node is left, ``ReconnectError``;
* ``RetryNonePolicy`` (the default): the errors are the documented ones, an ``OSError`` on
  the call whose connection died (once a connection), ``ReconnectError`` once no node is
  left.
"""
import threading
import time

import pytest
from cluster_util import restore, unique

from _aio_adapter import Synced
import _dual_mode
from pyignite.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.exceptions import ReconnectError
from pyignite.retry import RetryAllPolicy, RetryNonePolicy

pytestmark = pytest.mark.slow

# the fixtures that run a test with both clients (this folder's conftest has a sync client)
api = _dual_mode.api
connect = _dual_mode.connect


def _pause(client, seconds):
    if isinstance(client, Synced):
        import asyncio
        client._loop.run_until_complete(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


@pytest.mark.parametrize('policy', [RetryAllPolicy(), RetryNonePolicy()],
                         ids=['retry all', 'retry none'])
def test_kill_nodes_one_by_one_while_putting(api, connect, own_cluster, policy):
    restore(own_cluster)
    client = connect.new(retry_policy=policy)
    client.connect(own_cluster.endpoints[:3])
    try:
        cache = client.create_cache({
            PROP_NAME: unique('smart-failover'), PROP_CACHE_MODE: CacheMode.PARTITIONED,
            PROP_BACKUPS_NUMBER: 2,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        acked, errors = {}, []
        # nodes 0 and 1 die while the puts go on; node 2 is left
        killer = threading.Thread(target=lambda: [
            (time.sleep(1.5), own_cluster.kill_node(i)) for i in (0, 1)])
        killer.start()
        n = 0
        while killer.is_alive() or n < 100:
            n += 1
            try:
                cache.put(n, n * 7)
                acked[n] = n * 7
            except Exception as e:
                errors.append(e)
            _pause(client, 0.005)
        killer.join()
        if isinstance(policy, RetryAllPolicy):
            assert errors == []
        else:
            # (none at all is fine too: a reply from a live node may say the topology
            # changed before any put went to a dead node, and then none does)
            assert all(isinstance(e, OSError) for e in errors), errors
        assert len(acked) > 50
        # every acknowledged write is there; read through a client of its own, since under
        # RetryNonePolicy this one may still hold a connection to the node killed last and
        # raise for it (as documented) before it has noticed
        checker = connect.new()
        checker.connect(own_cluster.endpoints)  # the nodes still running
        try:
            assert checker.get_cache(cache.name).get_all(list(acked)) == acked
        finally:
            checker.close()
        own_cluster.kill_node(2)
        # no node left: every put fails; under RetryNonePolicy each connection the client
        # still believes alive may fail its call once (an OSError) before it knows there is
        # no node left, under RetryAllPolicy none does
        seen = []
        for i in range(6):
            with pytest.raises((ReconnectError, OSError)) as raised:
                cache.put(-i, -i)
            seen.append(raised.value)
            if raised.type is ReconnectError:
                break
        assert isinstance(seen[-1], ReconnectError), seen
        if isinstance(policy, RetryAllPolicy):
            assert len(seen) == 1, seen
        else:
            assert len(seen) <= 4, seen
    finally:
        client.close()
        restore(own_cluster)
