"""Cluster groups: the nodes of the cluster, described, and narrower groups of them
(server nodes, nodes with an attribute, the oldest node, ...), as Java's
ClientClusterGroup.
"""
import asyncio

from pyignite import AioClient, Client
from pyignite.datatypes import IntObject
from pyignite.exceptions import NotSupportedByClusterError

# a node attribute Ignite sets: the port the node listens on for thin clients (an Integer)
PORT = 'clientListenerPort'


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        cluster = client.get_cluster()
        try:
            nodes = cluster.nodes()
        except NotSupportedByClusterError:
            print('The server does not support cluster groups')
            return
        print(f'Nodes: {len(nodes)}')
        for node in nodes:
            print(f'Node: Ignite {node.version.major}.x, server: {not node.is_client}, '
                  f'on 127.0.0.1: {"127.0.0.1" in node.addresses}, '
                  f'thin-client port: {node.attributes[PORT]}')

        # narrower groups: nothing is sent until their nodes are asked for
        print(f'Server nodes: {len(cluster.for_servers().node_ids())}')
        print(f'Thick client nodes: {len(cluster.for_clients().node_ids())}')
        oldest = cluster.for_oldest().node()
        print(f'The oldest node is the first one: {oldest.id == nodes[0].id}')
        # the attribute is a Java Integer: a hint makes the value one too
        on_port = cluster.for_attribute(PORT, (10800, IntObject))
        print(f'Nodes listening on 10800: {len(on_port.nodes())}')
        print(f'Nodes on host 127.0.0.1: {len(cluster.for_host("127.0.0.1").nodes())}')
        print(f'Same node by id: {cluster.node(oldest.id).consistent_id == oldest.consistent_id}')


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        cluster = client.get_cluster()
        try:
            servers = await cluster.for_servers().nodes()
        except NotSupportedByClusterError:
            print('The server does not support cluster groups')
            return
        print(f'Async, server nodes: {len(servers)}')


sync_example()
asyncio.run(async_example())
