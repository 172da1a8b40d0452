"""The data streamer on three nodes: a million entries, each batch sent to the primary node
of its entries, and a node killed in the middle of a load (with both clients)."""
import asyncio
import random
import threading
import time
from collections import Counter

import pytest
from cluster_util import restore, unique

from pyignite import AioClient, Client
from pyignite._codec.encoder import write
from pyignite._ops.streamer import DEFAULT_BUFFER_SIZE
from pyignite.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.exceptions import DataStreamerError

pytestmark = pytest.mark.slow


def value(i):
    return 'value-{}'.format(i)


def primaries(client, cache, keys):
    """Node id of the primary of each key, by the client's partition map: key count per
    node."""
    client.register_cache(cache.cache_id)
    session = client._session
    router = session.router
    counts = Counter()
    buf = bytearray()
    for key in keys:
        del buf[:]
        write(buf, key, None, session.binary)
        counts[router.node_for_key(session.binary, cache.cache_id, buf, 0)] += 1
    return counts


def check_sample(cache, n, size=500):
    sample = random.Random(n).sample(range(n), size)
    assert cache.get_all(sample) == {i: value(i) for i in sample}


def test_a_million_entries_each_to_its_primary_node(client, recorder):
    n = 1_000_000
    cache = client.create_cache({PROP_NAME: unique('stream'),
                                 PROP_CACHE_MODE: CacheMode.PARTITIONED, PROP_BACKUPS_NUMBER: 0})
    try:
        recorder.clear()
        with client.data_streamer(cache) as streamer:
            for i in range(n):
                streamer.add(i, value(i))
        assert streamer.acknowledged == n and streamer.failed == 0
        assert cache.get_size() == n
        check_sample(cache, n)

        # every entry went to the node its partition map names (the streamer's count per
        # node is the map's), and each node got its batches straight from the client
        expected = primaries(client, cache, range(n))
        assert len(expected) == 3 and None not in expected
        assert streamer.per_node == dict(expected)
        batches = Counter(e.node_uuid for e in recorder.started
                          if e.op_name == 'OP_DATA_STREAMER_START')
        assert set(batches) == {str(node) for node in expected}
        assert sum(batches.values()) >= n // DEFAULT_BUFFER_SIZE
    finally:
        cache.destroy()


def test_async_streamer_sends_to_primary_nodes(client, ignite_cluster):
    n = 200_000
    cache = client.create_cache({PROP_NAME: unique('astream'), PROP_BACKUPS_NUMBER: 0})

    async def load():
        aio = AioClient()
        async with aio.connect(ignite_cluster.endpoints):
            async with aio.data_streamer(cache.name,
                                         per_node_parallel_operations=2) as streamer:
                for i in range(n):
                    await streamer.add(i, value(i))
            return streamer

    try:
        streamer = asyncio.run(load())
        assert streamer.acknowledged == n and streamer.failed == 0
        assert cache.get_size() == n
        check_sample(cache, n)
        assert streamer.per_node == dict(primaries(client, cache, range(n)))
    finally:
        cache.destroy()


def _load_sync(endpoints, name, n, progress, outcome, allow_overwrite):
    client = Client()
    with client.connect(endpoints):
        try:
            with client.data_streamer(name, per_node_buffer_size=512,
                                      allow_overwrite=allow_overwrite) as streamer:
                progress.append(streamer)
                for i in range(n):
                    streamer.add(i, value(i))
        except DataStreamerError as e:
            outcome.append(e)
        else:
            outcome.append(streamer)


def _load_async(endpoints, name, n, progress, outcome, allow_overwrite):
    async def load():
        client = AioClient()
        async with client.connect(endpoints):
            try:
                async with client.data_streamer(name, per_node_buffer_size=512,
                                                allow_overwrite=allow_overwrite) as streamer:
                    progress.append(streamer)
                    for i in range(n):
                        await streamer.add(i, value(i))
            except DataStreamerError as e:
                outcome.append(e)
            else:
                outcome.append(streamer)
    asyncio.run(load())


@pytest.mark.parametrize('allow_overwrite', [False, True], ids=['add', 'overwrite'])
@pytest.mark.parametrize('load', [_load_sync, _load_async], ids=['sync', 'async'])
def test_node_killed_mid_load(own_cluster, load, allow_overwrite):
    """Every entry lands (failed batches are sent again), or close() says how many did not:
    an entry is never lost silently.

    With ``allow_overwrite`` the server writes the entries through the cache (FULL_SYNC,
    one backup). Without it the server's isolated updater writes each copy on its own and
    was seen to acknowledge entries that only their backup kept (805 of 300,000, the
    batches sent in the second after the kill): the streamer sends the batches acknowledged
    around a topology change again once it settled (docs/bulk_loading.rst).
    """
    restore(own_cluster)
    n = 300_000
    admin = Client()
    with admin.connect(own_cluster.endpoints):
        cache = admin.create_cache({
            PROP_NAME: unique('killed'), PROP_CACHE_MODE: CacheMode.PARTITIONED,
            PROP_BACKUPS_NUMBER: 1,
            # acknowledged = on both copies, so the node killed loses no acknowledged entry
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        progress, outcome = [], []
        # the load runs in a thread: nodes are killed and started from the main thread,
        # which the launcher ties their lifetime to
        worker = threading.Thread(target=load,
                                  args=(own_cluster.endpoints, cache.name, n, progress, outcome,
                                        allow_overwrite))
        worker.start()
        try:
            deadline = time.monotonic() + 300
            while not progress or progress[0].acknowledged < n // 4:
                assert worker.is_alive() and time.monotonic() < deadline, outcome
                time.sleep(0.05)
            own_cluster.kill_node(1)
        finally:
            worker.join()
        try:
            result, = outcome
            present = cache.get_size()
            state = progress[0]._state
            print('node killed mid-load ({}, allow_overwrite={}): {!r}, {} batches sent again '
                  'after failing, {} after the topology changed, {} of {} entries '
                  'present'.format(load.__name__, allow_overwrite, result, state.retried,
                                   state.confirmed, present, n))
            if isinstance(result, DataStreamerError):
                assert result.failed > 0
                assert present >= n - result.failed
            else:
                assert result.failed == 0
                assert present == n
                check_sample(cache, n)
        finally:
            restore(own_cluster)
            cache.destroy()
