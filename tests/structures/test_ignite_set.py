"""IgniteSet against the single node, through both clients: set algebra checked against a
Python ``set`` by a Hypothesis state machine, iteration by pages, configuration."""
import uuid

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine, invariant, rule, run_state_machine_as_test,
)

from pyignite.datatypes import IntObject
from pyignite.datatypes.cache_config import CacheAtomicityMode, CacheMode
from pyignite.datatypes.structures import CollectionConfiguration
from pyignite.exceptions import CacheError, ParameterError


def name():
    return 'set-' + uuid.uuid4().hex


# few distinct values, so that adds, removals and lookups often meet
ITEMS = st.one_of(st.integers(-5, 5), st.sampled_from(['a', 'b', 'ü', '']))
SOME = st.lists(ITEMS, max_size=6)


def test_against_a_python_set(client):
    """Random sequences of set operations give what a Python set gives."""

    class SetMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.remote = client.ignite_set(name())
            self.remote.page_size = 3  # several pages even for small sets
            self.model = set()

        @rule(item=ITEMS)
        def add(self, item):
            assert self.remote.add(item) == (item not in self.model)
            self.model.add(item)

        @rule(item=ITEMS)
        def discard(self, item):
            assert self.remote.discard(item) == (item in self.model)
            self.model.discard(item)

        @rule(item=ITEMS)
        def contains(self, item):
            assert (item in self.remote) == (item in self.model)

        @rule(items=SOME)
        def update(self, items):
            assert self.remote.update(items) == (not set(items) <= self.model)
            self.model.update(items)

        @rule(items=SOME)
        def remove_all(self, items):
            assert self.remote.remove_all(items) == bool(self.model & set(items))
            self.model -= set(items)

        @rule(items=SOME)
        def retain_all(self, items):
            assert self.remote.retain_all(items) == bool(self.model - set(items))
            self.model &= set(items)

        @rule(items=SOME)
        def contains_all(self, items):
            assert self.remote.contains_all(items) == (set(items) <= self.model)

        @rule()
        def clear(self):
            self.remote.clear()
            self.model.clear()

        @invariant()
        def same_items(self):
            assert len(self.remote) == len(self.model)
            items = list(self.remote)
            assert len(items) == len(set(items))  # each item once across pages
            assert set(items) == self.model

        def teardown(self):
            self.remote.close()

    run_state_machine_as_test(SetMachine, settings=settings(
        max_examples=15, stateful_step_count=15, deadline=None,
        suppress_health_check=list(HealthCheck)))


def test_iteration_by_pages(client):
    s = client.ignite_set(name())
    s.update(range(2500))
    s.page_size = 1000
    assert sorted(s) == list(range(2500))
    # stopping early: the server's iterator is released, the client goes on
    it = iter(s)
    assert [next(it) for _ in range(5)]
    del it
    assert len(s) == 2500
    s.close()


@pytest.mark.sync_only('the operators of collections.abc.MutableSet (AioIgniteSet has none)')
def test_mutable_set_operators(client):
    s = client.ignite_set(name())
    s |= {1, 2, 3}
    s -= {3}
    assert s == {1, 2}
    assert s | {9} == {1, 2, 9} and isinstance(s | {9}, set)
    assert s & {2, 7} == {2}
    assert s <= {1, 2, 3} and not s.isdisjoint({2})
    s &= {2, 5}
    assert set(s) == {2}
    s.remove(2)
    with pytest.raises(KeyError):
        s.remove(2)
    assert len(s) == 0
    s.close()


def test_typed_items_and_none(client):
    s = client.ignite_set(name())
    assert s.add(1) and s.add((1, IntObject))  # a Long and an Int: two items
    assert len(s) == 2
    assert None not in s
    with pytest.raises(ParameterError):
        s.add(None)
    with pytest.raises(ParameterError):
        s.update([1, None])
    with pytest.raises(ParameterError):
        s.add(object())
    assert len(s) == 2
    s.close()


def test_same_set_by_name_close_and_removed(client):
    n = name()
    a = client.ignite_set(n)
    a.update(['x', 'y'])
    b = client.ignite_set(n)
    assert set(b) == {'x', 'y'}
    assert a.removed() is False
    a.close()
    assert b.removed() is True
    with pytest.raises(CacheError) as info:
        b.add('z')
    assert info.value.status == 1011
    b.close()  # closing a removed set does nothing


def test_configuration(client):
    config = CollectionConfiguration(atomicity_mode=CacheAtomicityMode.TRANSACTIONAL,
                                     cache_mode=CacheMode.REPLICATED, backups=0,
                                     group_name='sets-' + uuid.uuid4().hex[:8], colocated=True)
    s = client.ignite_set(name(), config=config)
    assert s.colocated is True
    s.update(range(10))
    assert len(s) == 10
    s.close()
    assert client.ignite_set(name()).colocated is False


@pytest.mark.parametrize('kwargs', [
    {'atomicity_mode': 5}, {'cache_mode': CacheMode.LOCAL}, {'backups': 1.5},
])
def test_bad_configuration(kwargs):
    with pytest.raises(ParameterError):
        CollectionConfiguration(**kwargs)


def test_bad_arguments(client):
    with pytest.raises(ParameterError):
        client.ignite_set('')
    with pytest.raises(ParameterError):
        client.ignite_set('x', config=object())
    s = client.ignite_set(name())
    with pytest.raises(ParameterError):
        s.page_size = 0
    with pytest.raises(ParameterError):
        s.update('abc')
    s.close()


def test_default_group_shared_with_atomics(client):
    """Atomics and sets made with the default configurations share the default cache group:
    their backup counts must agree, or the server refuses the second one."""
    counter = client.atomic_long(name())
    s = client.ignite_set(name())
    other = client.ignite_set(name(), config=CollectionConfiguration())
    assert s.add(1) and other.add(2) and counter.increment_and_get() == 1
    s.close()
    other.close()
    counter.remove()
