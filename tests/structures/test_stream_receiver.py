"""A Java StreamReceiver (tools/java: org.pyignite.tests.PrefixReceiver) run by the server on
each batch of a data streamer, through both clients."""
import uuid
from collections import OrderedDict

import pytest

from pyignite import GenericObjectMeta
from pyignite.datatypes import String
from pyignite.exceptions import DataStreamerError, ParameterError


class PrefixReceiver(metaclass=GenericObjectMeta, type_name='org.pyignite.tests.PrefixReceiver',
                     schema=OrderedDict([('prefix', String)])):
    """Stores ``prefix + value`` for each entry instead of the value."""


class NoSuchReceiver(metaclass=GenericObjectMeta, type_name='org.pyignite.tests.NoSuchClass',
                     schema=OrderedDict([('x', String)])):
    """A receiver class the servers do not have."""


def test_the_receiver_runs_on_the_server(client, cache):
    with client.data_streamer(cache, per_node_buffer_size=100,
                              receiver=PrefixReceiver(prefix='got ')) as streamer:
        for i in range(250):
            streamer.add(i, i)
    assert streamer.acknowledged == 250
    assert cache.get_size() == 250
    assert cache.get_all([0, 249]) == {0: 'got 0', 249: 'got 249'}


def test_a_receiver_the_server_lacks_fails_every_batch(client, cache):
    streamer = client.data_streamer(cache, receiver=NoSuchReceiver(x='y'))
    streamer.add_all({1: 1, 2: 2})
    with pytest.raises(DataStreamerError) as info:
        streamer.close()
    assert info.value.failed == 2
    assert cache.get_size() == 0


def test_a_receiver_must_be_a_complex_object(client):
    with pytest.raises(ParameterError, match='receiver'):
        client.data_streamer('c-' + uuid.uuid4().hex, receiver=object())
