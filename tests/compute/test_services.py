"""Services on real nodes: the counter service of tools/java (CounterService), deployed by
the test nodes' configuration as "pyignite_counter" (one instance in the cluster).
"""
import uuid

import pytest

from pyignite import Client
from pyignite.datatypes import IntObject
from pyignite.exceptions import ParameterError, ServiceError
from pyignite.monitoring import QueryEventListener

from .conftest import JAVA

NAME = 'pyignite_counter'


def test_descriptors_list_the_service_with_its_node(cluster_client):
    services = cluster_client.services()
    found = {d.name: d for d in services.descriptors()}
    assert NAME in found
    desc = found[NAME]
    assert desc.service_class == JAVA + 'CounterService'
    assert (desc.total_count, desc.max_per_node_count) == (1, 1)
    assert desc.platform == 'java'
    cluster_ids = set(cluster_client.get_cluster().node_ids())
    assert desc.origin_node_id in cluster_ids
    assert len(desc.node_ids) == 1 and desc.node_ids[0] in cluster_ids
    assert services.descriptor(NAME) == desc
    # the instance runs where the descriptor says
    assert services.service_proxy(NAME).nodeId() == str(desc.node_ids[0])


def test_unknown_descriptor(client):
    with pytest.raises(ServiceError):
        client.services().descriptor('no-such-service')


def test_typed_calls(client):
    counter = client.services().service_proxy(NAME)
    start = counter.get()
    assert counter.add(5) == start + 5
    assert counter.add(-2) == start + 3
    assert counter.get() == start + 3
    assert counter.twice((21, IntObject)) == 42
    assert counter.half(3.0) == 1.5
    assert counter.greet('world') == 'hello, world'
    assert counter.negate(True) is False
    point = counter.point((3, IntObject), (4, IntObject))
    assert (point.x, point.y, point.label) == (3, 4, 'service')


def test_missing_method(client):
    counter = client.services().service_proxy(NAME)
    with pytest.raises(ServiceError, match='noSuchMethod'):
        counter.noSuchMethod(1)
    # arguments of types no method takes
    with pytest.raises(ServiceError):
        counter.greet(1.5, 2.5)
    assert counter.greet('again') == 'hello, again'  # the connection goes on


def test_missing_service(client):
    with pytest.raises(ServiceError, match='Service not found'):
        client.services().service_proxy('no-such-service').get()


def test_call_context_reaches_the_service(client):
    services = client.services()
    counter = services.service_proxy(NAME, timeout=30, call_context={'user': 'alice'})
    assert counter.callAttribute('user') == 'alice'
    assert counter.callAttribute('other') is None
    assert services.service_proxy(NAME).callAttribute('user') is None


@pytest.mark.parametrize('bad', [dict(timeout=0), dict(timeout='5'), dict(call_context=[1]),
                                 dict(call_context={1: 'x'})], ids=repr)
def test_bad_proxy_parameters(client, bad):
    with pytest.raises(ParameterError):
        client.services().service_proxy(NAME, **bad)


def test_bad_name(client):
    with pytest.raises(ParameterError):
        client.services().service_proxy('')


def test_group_without_the_service(cluster_client):
    services = cluster_client.services()
    host = services.descriptor(NAME).node_ids[0]
    others = [i for i in cluster_client.get_cluster().node_ids() if i != host]
    in_group = cluster_client.services(cluster_client.get_cluster().for_node_ids([host]))
    assert in_group.service_proxy(NAME).nodeId() == str(host)
    elsewhere = cluster_client.services(cluster_client.get_cluster().for_node_ids(others))
    with pytest.raises(ServiceError):
        elsewhere.service_proxy(NAME).nodeId()
    with pytest.raises(ServiceError, match='no nodes'):
        cluster_client.services(cluster_client.get_cluster().for_node_ids(
            [uuid.uuid4()])).service_proxy(NAME).get()


def test_calls_go_to_the_hosting_node(connect, ignite_cluster):
    class Recorder(QueryEventListener):
        def __init__(self):
            self.nodes = {}

        def on_query_start(self, event):
            self.nodes.setdefault(event.op_name, []).append(event.node_uuid)

    # the node that runs the instance, and the ports of the others
    with Client() as probe:
        probe.connect(ignite_cluster.endpoints)
        host = probe.services().descriptor(NAME).node_ids[0]
        ports = {conn.uuid: conn.port for conn in probe._session.nodes}
    # connected to a node without the instance first: requests without a key go there
    endpoints = sorted(ignite_cluster.endpoints, key=lambda e: e[1] == ports[host])
    recorder = Recorder()
    client = connect.cluster(_Endpoints(endpoints), event_listeners=[recorder])
    client.get_cache_names()
    assert recorder.nodes['OP_CACHE_GET_NAMES'][-1] != str(host)
    counter = client.services().service_proxy(NAME)
    for _ in range(12):
        assert counter.nodeId() == str(host)
    assert recorder.nodes['OP_SERVICE_INVOKE'] == [str(host)] * 12


class _Endpoints:
    """What ``connect.cluster`` needs of a cluster: its endpoints, in our order."""

    def __init__(self, endpoints):
        self.endpoints = endpoints
