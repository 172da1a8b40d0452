"""AtomicLong against the single node, through both clients."""
import asyncio
import threading
import uuid

import pytest

from pyignite import Client
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.structures import AtomicConfiguration
from pyignite.exceptions import CacheError, ParameterError


def name():
    return 'al-' + uuid.uuid4().hex


def test_value_operations(client):
    counter = client.atomic_long(name(), initial=5)
    assert counter.get() == 5
    assert counter.increment_and_get() == 6
    assert counter.decrement_and_get() == 5
    assert counter.add_and_get(-10) == -5
    assert counter.get_and_set(7) == -5
    counter.set(2 ** 63 - 1)
    assert counter.get() == 2 ** 63 - 1
    assert counter.add_and_get(1) == -2 ** 63  # a Java long wraps around
    counter.remove()


def test_compare_and_set(client):
    counter = client.atomic_long(name(), initial=1)
    assert counter.compare_and_set(0, 10) is False
    assert counter.get() == 1
    assert counter.compare_and_set(1, 10) is True
    assert counter.get() == 10
    assert counter.compare_and_set_and_get(3, 20) == 10  # not set: the value is returned
    assert counter.get() == 10
    assert counter.compare_and_set_and_get(10, 20) == 10  # set: the value before
    assert counter.get() == 20
    counter.remove()


def test_get_or_create_and_removed(client):
    n = name()
    assert client.atomic_long(n, create=False) is None
    counter = client.atomic_long(n, initial=3)
    assert client.atomic_long(n, initial=100).get() == 3  # existing: initial ignored
    assert client.atomic_long(n, create=False).get() == 3
    assert counter.removed() is False
    counter.remove()
    assert counter.removed() is True
    with pytest.raises(CacheError) as info:
        counter.get()
    assert info.value.status == 1011
    counter.remove()  # removing a removed one does nothing
    assert client.atomic_long(n, create=False) is None


def test_configuration(client):
    config = AtomicConfiguration(cache_mode=CacheMode.REPLICATED, backups=0,
                                 group_name='grp-' + uuid.uuid4().hex[:8], reserve_size=10)
    n = name()
    counter = client.atomic_long(n, 42, config=config)
    assert counter.group_name == config.group_name
    assert counter.increment_and_get() == 43
    # in its group only
    assert client.atomic_long(n, create=False) is None
    assert client.atomic_long(n, create=False, config=config).get() == 43
    counter.remove()


@pytest.mark.parametrize('args, kwargs', [
    (('',), {}), ((None,), {}), (('x', 'one'), {}), (('x', 2 ** 63), {}),
    (('x',), {'config': 'REPLICATED'}),
])
def test_bad_arguments(client, args, kwargs):
    with pytest.raises(ParameterError):
        client.atomic_long(*args, **kwargs)


def test_bad_operands(client):
    counter = client.atomic_long(name())
    for call in (lambda: counter.add_and_get(1.5), lambda: counter.set(True),
                 lambda: counter.compare_and_set(0, 2 ** 64)):
        with pytest.raises(ParameterError):
            call()
    assert counter.increment_and_get() == 1  # the connection is fine
    counter.remove()


@pytest.mark.parametrize('kwargs', [
    {'cache_mode': CacheMode.LOCAL}, {'cache_mode': 7}, {'backups': -1},
    {'group_name': 3}, {'reserve_size': 'x'},
])
def test_bad_configuration(kwargs):
    with pytest.raises(ParameterError):
        AtomicConfiguration(**kwargs)


@pytest.mark.sync_only('threads sharing one sync client')
def test_eight_threads_count_exactly(ignite_node):
    client = Client()
    with client.connect(ignite_node.host, ignite_node.port):
        counter = client.atomic_long(name())
        barrier = threading.Barrier(8)
        errors = []

        def work():
            try:
                barrier.wait()
                for _ in range(10_000):
                    counter.increment_and_get()
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert counter.get() == 80_000
        counter.remove()


def test_many_tasks_count_exactly(client):
    """The same through the API under test: with the async client, 8 tasks at once."""
    counter = client.atomic_long(name())
    target = getattr(counter, '_target', None)
    if target is None:
        for _ in range(800):
            counter.increment_and_get()
    else:
        async def task():
            for _ in range(100):
                await target.increment_and_get()

        async def tasks():
            await asyncio.gather(*[task() for _ in range(8)])
        counter._loop.run_until_complete(tasks())
    assert counter.get() == 800
    counter.remove()
