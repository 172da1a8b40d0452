"""Failover against real nodes killed with SIGKILL (on a cluster of this folder's own).

What a user relies on:
* a call that was using a connection when its node died raises an ``OSError``;
* later calls go on with the other nodes, and a node that comes back is used again;
* no acknowledged write is lost (FULL_SYNC cache with two backups, one node down at a time);
* with every node down, calls raise ``ReconnectError``, and work again once a node is back.

The tests marked ``both_apis`` run with both clients; the others check the session's
reconnection plans, which both clients share, through the sync client (a load thread).
"""
import random
import threading
import time

import pytest
from cluster_util import Recorder, restore, unique

from pyignite import Client
from pyignite.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.exceptions import ReconnectError
from pyignite.monitoring import ConnectionEventListener, ConnectionLostEvent

pytestmark = pytest.mark.slow


class Lost(ConnectionEventListener):
    def __init__(self):
        self.events = []

    def on_connection_lost(self, event):
        self.events.append(event)


def _settle(client, cache, timeout=60.0):
    """Make requests until the client routes to every node of the current topology."""
    deadline = time.monotonic() + timeout
    affinity = client._session.router.affinity
    while True:
        try:
            cache.get(0)
        except OSError:
            pass
        group = affinity.group(cache.cache_id)
        if group is not None and not affinity.is_stale():
            owners = set(group.partition_owners)
            alive = {c.uuid for c in client._session.nodes if c.alive}
            if len(owners) == 3 and owners == alive:
                return owners
        if time.monotonic() > deadline:
            raise AssertionError('the client did not reach every node again: {} {} {}'.format(
                [(c.port, c.alive, c.uuid) for c in client._session.nodes],
                group and set(group.partition_owners), client._session.retry.at))
        time.sleep(0.2)


def test_not_partition_aware_reconnects_in_order(own_cluster):
    restore(own_cluster)
    client = Client(partition_aware=False)
    with client.connect(own_cluster.endpoints):
        # FULL_SYNC: the put is acknowledged once the backup has it too (with PRIMARY_SYNC,
        # killing the primary right after the put may lose it, as the server allows)
        cache = client.get_or_create_cache({
            PROP_NAME: unique('order'), PROP_BACKUPS_NUMBER: 1,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        cache.put(1, 1)
        assert [c.alive for c in client._session.nodes] == [True, False, False]
        own_cluster.kill_node(0)
        with pytest.raises(OSError):
            cache.get(1)
        assert cache.get(1) == 1  # the next node of the list
        assert [c.alive for c in client._session.nodes] == [False, True, False]


def test_kill_and_restart_nodes_under_load(own_cluster):
    # node 0 may be down (the test above leaves it so): it then joins under load
    restore(own_cluster, (1, 2))
    lost = Lost()
    recorder = Recorder()
    client = Client(event_listeners=[lost, recorder])
    with client.connect([(own_cluster.host, port) for port in own_cluster.slot_ports[:3]]):
        cache = client.create_cache({
            PROP_NAME: unique('failover'),
            PROP_CACHE_MODE: CacheMode.PARTITIONED,
            PROP_BACKUPS_NUMBER: 2,
            # acknowledged = written on every copy, so losing a primary loses nothing
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        keys = list(range(64))
        # key -> values it may hold: the last acknowledged one, plus writes that failed
        # on a lost connection (they may or may not have been applied)
        possible = {k: {None} for k in keys}
        done = threading.Event()
        stats = {'ops': 0, 'errors': 0}
        failures = []

        def load():
            # the load runs in a thread: nodes must be (re)started from the main thread,
            # which the launcher ties their lifetime to
            rnd = random.Random(7)
            n = 0
            try:
                while not done.is_set():
                    k = rnd.choice(keys)
                    n += 1
                    try:
                        value = cache.get(k)
                    except OSError:
                        stats['errors'] += 1
                        continue
                    assert value in possible[k], (k, value, possible[k])
                    try:
                        cache.put(k, n)
                    except OSError:
                        stats['errors'] += 1
                        possible[k].add(n)
                        continue
                    possible[k] = {n}
                    stats['ops'] += 1
            except BaseException as e:
                failures.append(e)

        worker = threading.Thread(target=load)
        worker.start()
        try:
            time.sleep(1.0)
            if not own_cluster.is_running(0):
                own_cluster.start_node(0)
            time.sleep(1.0)
            own_cluster.kill_node(1)
            time.sleep(1.0)
            own_cluster.start_node(1)
        finally:
            done.set()
            worker.join()
        if failures:
            raise failures[0]
        assert stats['ops'] > 100

        # restarted nodes have new ids: the client must be using all of them
        owners = _settle(client, cache)
        for k in keys:
            assert cache.get(k) in possible[k]
        recorder.clear()
        for k in keys:
            cache.put(k, -k)
        assert {str(u) for u in owners} == set(recorder.nodes_of('OP_CACHE_PUT'))
        assert cache.get_all(keys) == {k: -k for k in keys}

        # a lost connection is reported with the node it led to
        for event in lost.events:
            assert isinstance(event, ConnectionLostEvent)
            assert event.host == own_cluster.host
            assert event.port in own_cluster.slot_ports[:3]
            assert event.node_uuid and event.error_msg
        assert len(lost.events) <= stats['errors'] + 3


def test_out_of_nodes_then_recovery(own_cluster):
    restore(own_cluster)
    lost = Lost()
    client = Client(event_listeners=[lost])
    with client.connect(own_cluster.endpoints):
        node_of_port = {conn.port: str(conn.uuid) for conn in client._session.nodes}
        cache = client.get_or_create_cache({PROP_NAME: unique('gone'), PROP_BACKUPS_NUMBER: 1})
        cache.put(1, 1)
        for idx in (0, 1, 2):
            own_cluster.kill_node(idx)
        seen = []
        for _ in range(10):
            try:
                cache.get(1)
            except ReconnectError as e:
                seen.append(e)
                break
            except OSError as e:
                seen.append(e)
        assert isinstance(seen[-1], ReconnectError)
        assert str(seen[-1]) == 'Can not reconnect: out of nodes.'
        assert len(seen) <= 4  # each connection fails once, then no node is left
        # each connection found broken was reported, with the node it led to
        assert len(lost.events) == len(seen) - 1
        for event in lost.events:
            assert event.node_uuid == node_of_port[event.port] and event.error_msg
        with pytest.raises(ReconnectError):
            client.get_cache_names()

        own_cluster.start_node(0)
        # a node is back: the next call reconnects (the in-memory cluster lost its caches)
        assert cache.name not in client.get_cache_names()
        cache = client.create_cache(cache.name)
        cache.put(2, 'back')
        assert cache.get(2) == 'back'


def _read_tolerating_loss(cache, keys):
    """Values of ``keys`` read with single gets; a get may fail on a lost connection."""
    values = {}
    for _ in range(100):
        for key in keys:
            if key not in values:
                try:
                    values[key] = cache.get(key)
                except OSError:
                    pass
        if len(values) == len(keys):
            return values
        time.sleep(0.2)
    raise AssertionError('keys never readable: {}'.format(set(keys) - set(values)))


@pytest.mark.both_apis
def test_node_killed_and_back(own_cluster, connect):
    """A killed node's connection fails its calls, the others carry on, and once the node
    is back the client connects to it again by itself."""
    restore(own_cluster)
    killed = 2
    client = connect.cluster(own_cluster)
    try:
        cache = client.create_cache({
            PROP_NAME: unique('killed'), PROP_BACKUPS_NUMBER: 2,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        keys = list(range(200))
        cache.put_all({k: k * 10 for k in keys})
        dead = next(c for c in client._session.nodes
                    if c.port == own_cluster.slot_ports[killed])
        assert dead.alive

        own_cluster.kill_node(killed)
        # a get that meets the dead connection raises OSError; no value is wrong or lost
        for key in keys:
            try:
                assert cache.get(key) == key * 10
            except OSError:
                pass
        assert _read_tolerating_loss(cache, keys) == {k: k * 10 for k in keys}
        assert not dead.alive

        own_cluster.start_node(killed)
        for _ in range(300):  # the client notices the node is back on later calls
            _read_tolerating_loss(cache, keys[:10])
            if dead.alive:
                break
            time.sleep(0.2)
        assert dead.alive, 'the client did not reconnect to the restarted node'
        assert _read_tolerating_loss(cache, keys) == {k: k * 10 for k in keys}
        cache.destroy()
    finally:
        client.close()
        restore(own_cluster)
