"""The data streamer on the single node, through both clients (the 3-node behaviour:
per-node batches, a node killed mid-load, a million entries, is in
tests/cluster/test_data_streamer.py)."""
import time

import pytest

from pyignite.datatypes import CharObject, ShortObject
from pyignite.exceptions import DataStreamerError, ParameterError


def test_loads_every_entry(client, cache):
    with client.data_streamer(cache, per_node_buffer_size=100) as streamer:
        for i in range(2500):
            streamer.add(i, 'value {}'.format(i))
    assert streamer.closed
    assert streamer.acknowledged == 2500 and streamer.failed == 0
    assert cache.get_size() == 2500
    assert cache.get_all([0, 1234, 2499, 2500]) == {
        0: 'value 0', 1234: 'value 1234', 2499: 'value 2499'}


def test_by_cache_name_add_all_and_hints(client, cache):
    with client.data_streamer(cache.name) as streamer:
        streamer.add_all({'a': 1, 'b': [1, 2]})
        streamer.add_all([(('c', CharObject), (3, ShortObject))])
    assert cache.get_all(['a', 'b']) == {'a': 1, 'b': [1, 2]}
    assert cache.get(('c', CharObject)) == 3


def test_without_allow_overwrite_existing_entries_are_kept(client, cache):
    cache.put_all({1: 'old', 2: 'old'})
    with client.data_streamer(cache) as streamer:
        streamer.add_all({1: 'new', 3: 'new'})
    assert cache.get_all([1, 2, 3]) == {1: 'old', 2: 'old', 3: 'new'}
    with pytest.raises(ParameterError, match='allow_overwrite'):
        with client.data_streamer(cache) as streamer:
            streamer.remove(1)
    assert cache.get(1) == 'old'


def test_allow_overwrite_replaces_and_removes(client, cache):
    cache.put_all({1: 'old', 2: 'old'})
    with client.data_streamer(cache, allow_overwrite=True) as streamer:
        streamer.add(1, 'new')
        streamer.remove(2)
        streamer.add(3, 'new')
    assert cache.get_all([1, 2, 3]) == {1: 'new', 3: 'new'}


def test_flush_waits_for_every_batch(client, cache):
    streamer = client.data_streamer(cache, per_node_buffer_size=1000)
    for i in range(10):
        streamer.add(i, i)
    assert cache.get_size() == 0  # still buffered
    streamer.flush()
    assert cache.get_size() == 10 and streamer.acknowledged == 10
    streamer.add(10, 10)
    streamer.close()
    assert cache.get_size() == 11
    streamer.close()  # closing twice does nothing
    with pytest.raises(ParameterError, match='closed'):
        streamer.add(11, 11)


def test_flush_interval_sends_partial_batches(client, cache):
    with client.data_streamer(cache, flush_interval=0.01) as streamer:
        streamer.add(1, 1)
        time.sleep(0.05)
        streamer.add(2, 2)  # the interval passed: both go out now
        streamer.flush()
    assert cache.get_all([1, 2]) == {1: 1, 2: 2}


def test_cancel_drops_what_was_not_sent(client, cache):
    streamer = client.data_streamer(cache, per_node_buffer_size=10)
    for i in range(25):
        streamer.add(i, i)
    streamer.close(cancel=True)
    # the two full batches went out; the five entries left over were dropped, as asked
    assert streamer.acknowledged == 20
    assert cache.get_size() == 20


def test_leaving_the_block_by_an_exception_cancels(client, cache):
    with pytest.raises(KeyError):
        with client.data_streamer(cache) as streamer:
            streamer.add(1, 1)
            raise KeyError('oops')
    assert streamer.closed and cache.get_size() == 0


def test_a_failing_batch_is_reported_with_its_entry_count(client):
    streamer = client.data_streamer('no such cache', per_node_buffer_size=7)
    for i in range(10):
        streamer.add(i, i)
    with pytest.raises(DataStreamerError) as info:
        streamer.close()
    assert info.value.failed == 10 and streamer.failed == 10
    assert '10 entries' in str(info.value)
    assert len(info.value.errors) == 2 and 'does not exist' in str(info.value.errors[0])


def test_bad_input_leaves_the_batch_intact(client, cache):
    with client.data_streamer(cache) as streamer:
        streamer.add(1, 1)
        with pytest.raises(ParameterError):
            streamer.add(2, object())
        with pytest.raises(ParameterError):
            streamer.add(object(), 2)
        with pytest.raises(ParameterError, match='None'):
            streamer.add(3, None)
        with pytest.raises(ParameterError):
            streamer.add(None, 3)
        streamer.add(4, 4)
    assert cache.get_all([1, 2, 3, 4]) == {1: 1, 4: 4}
    assert cache.get_size() == 2


@pytest.mark.parametrize('option, value', [
    ('per_node_buffer_size', 0), ('per_node_buffer_size', 'x'),
    ('per_node_parallel_operations', -1), ('flush_interval', 0), ('flush_interval', 'x'),
])
def test_bad_options(client, cache, option, value):
    with pytest.raises(ParameterError, match=option):
        client.data_streamer(cache, **{option: value})
