"""Entry processors (``invoke``/``invoke_all``) and scan filters on real nodes, with the
Java classes of tools/java; both clients unless a test says why not.
"""
import threading
import uuid
from collections import OrderedDict

import pytest

from pyignite import GenericObjectMeta
from pyignite.datatypes import IntObject, LongObject, String
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.exceptions import EntryProcessorError, ParameterError
from pyignite.monitoring import QueryEventListener

from .conftest import JAVA


class IncrementProcessor(metaclass=GenericObjectMeta, type_name=JAVA + 'IncrementProcessor',
                         schema=OrderedDict([('field', String)])):
    pass


class KeyModuloPredicate(metaclass=GenericObjectMeta, type_name=JAVA + 'KeyModuloPredicate',
                         schema=OrderedDict([('modulus', IntObject)])):
    pass


class Visits(metaclass=GenericObjectMeta, type_name='InvokeVisits',
             schema=OrderedDict([('page', String), ('count', LongObject)])):
    pass


class NotAProcessor(metaclass=GenericObjectMeta, type_name=JAVA + 'Point',
                    schema=OrderedDict([('x', IntObject)])):
    pass


def test_invoke_returns_the_old_value_and_increments(cache):
    cache.put(1, 10)
    assert cache.invoke(1, IncrementProcessor(), 5) == 10
    assert cache.get(1) == 15
    assert cache.invoke(1, IncrementProcessor()) == 15  # no argument: +1
    assert cache.get(1) == 16
    assert cache.invoke(2, IncrementProcessor(), 3) is None  # a missing entry starts at 0
    assert cache.get(2) == 3


def test_invoke_increments_a_field_of_a_complex_object(cache):
    # a Python-only type: the processor works on it in binary form on the server
    cache.put('home', Visits(page='home', count=5))
    assert cache.invoke('home', IncrementProcessor(field='count'), 2) == 5
    visits = cache.get('home')
    assert (visits.page, visits.count) == ('home', 7)


def test_invoke_all(cache):
    cache.put_all({k: k * 100 for k in range(5)})
    assert cache.invoke_all(range(5), IncrementProcessor(), 1) == {
        k: k * 100 for k in range(5)}
    assert cache.get_all(range(5)) == {k: k * 100 + 1 for k in range(5)}


def test_invoke_all_reports_failing_keys(cache):
    cache.put_all({1: 1, 2: 'not a number', 3: 3})
    with pytest.raises(EntryProcessorError) as caught:
        cache.invoke_all([1, 2, 3], IncrementProcessor(), 1)
    assert list(caught.value.errors) == [2]
    assert caught.value.results == {1: 1, 3: 3}
    assert cache.get_all([1, 3]) == {1: 2, 3: 4}


def test_processor_that_throws(cache):
    cache.put('k', 'not a number')
    with pytest.raises(EntryProcessorError) as caught:
        cache.invoke('k', IncrementProcessor(), 1)
    assert caught.value.status == 1040
    assert cache.get('k') == 'not a number'


def test_class_that_is_no_processor(cache):
    with pytest.raises(EntryProcessorError):
        cache.invoke(1, NotAProcessor(x=1))
    cache.put(1, 1)  # the connection goes on
    assert cache.get(1) == 1


@pytest.mark.parametrize('bad', [None, 'org.pyignite.tests.IncrementProcessor', 5])
def test_processor_must_be_a_complex_object(cache, bad):
    with pytest.raises(ParameterError):
        cache.invoke(1, bad)
    with pytest.raises(ParameterError):
        cache.invoke_all([1], bad)


@pytest.mark.sync_only('threads sharing one sync client')
def test_invoke_under_8_concurrent_writers_loses_no_update(cluster_client):
    cache = cluster_client.create_cache({PROP_NAME: 'invoke-' + uuid.uuid4().hex,
                                         PROP_BACKUPS_NUMBER: 1})
    try:
        keys = list(range(4))
        cache.put_all({k: 0 for k in keys})
        seen = {k: [] for k in keys}
        errors = []

        def writer():
            try:
                for _ in range(50):
                    for k in keys:
                        seen[k].append(cache.invoke(k, IncrementProcessor(), 1))
            except BaseException as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=writer) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert cache.get_all(keys) == {k: 400 for k in keys}
        # each increment saw a value no other one saw: no lost update
        for k in keys:
            assert sorted(seen[k]) == list(range(400))
    finally:
        cache.destroy()


def test_invoke_goes_to_the_primary_node(connect, ignite_cluster):
    class Recorder(QueryEventListener):
        def __init__(self):
            self.nodes = []

        def on_query_start(self, event):
            if event.op_name == 'OP_CACHE_INVOKE':
                self.nodes.append(event.node_uuid)

    recorder = Recorder()
    client = connect.cluster(ignite_cluster, event_listeners=[recorder])
    cache = client.create_cache('invoke-route-' + uuid.uuid4().hex)
    try:
        cache.put_all({k: 0 for k in range(40)})  # partition maps are known after this
        for k in range(40):
            cache.invoke(k, IncrementProcessor(), 1)
        expected = [str(client.get_best_node(cache, k).uuid) for k in range(40)]
        assert recorder.nodes[-40:] == expected
        assert len(set(expected)) == 3
    finally:
        cache.destroy()


def test_scan_with_filter_over_several_pages(cache):
    cache.put_all({k: 'v{}'.format(k) for k in range(200)})
    with cache.scan(page_size=7, filter=KeyModuloPredicate(modulus=3)) as cursor:
        got = dict(cursor)
    assert got == {k: 'v{}'.format(k) for k in range(0, 200, 3)}
    with cache.scan(page_size=5, filter=KeyModuloPredicate(modulus=50)) as cursor:
        assert sorted(k for k, _ in cursor) == [0, 50, 100, 150]


def test_scan_filter_must_be_a_complex_object(cache):
    with pytest.raises(ParameterError):
        cache.scan(filter='org.pyignite.tests.KeyModuloPredicate')
