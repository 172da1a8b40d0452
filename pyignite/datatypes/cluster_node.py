"""Descriptions of cluster nodes, as the server gives them (OP_CLUSTER_GROUP_GET_NODE_INFO)."""
from typing import Any, Dict, List, NamedTuple, Optional
from uuid import UUID

__all__ = ['ClusterNode', 'NodeVersion']


class NodeVersion(NamedTuple):
    """The Ignite version a node runs; ``str()`` gives ``'2.18.0'``.

    :ivar major: the major version,
    :ivar minor: the minor version,
    :ivar maintenance: the maintenance version,
    :ivar stage: the release stage (may be empty),
    :ivar revision_timestamp: the build's revision timestamp (seconds since the epoch),
    :ivar revision_hash: the build's revision hash (bytes, may be empty).
    """

    major: int
    minor: int
    maintenance: int
    stage: Optional[str]
    revision_timestamp: int
    revision_hash: Optional[bytes]

    def __str__(self) -> str:
        return '{}.{}.{}'.format(self.major, self.minor, self.maintenance)


class ClusterNode(NamedTuple):
    """One node of the cluster.

    :ivar id: the node id (a new one each time the node starts),
    :ivar consistent_id: the id that survives restarts (a str or a UUID, as configured),
    :ivar addresses: the node's IP addresses,
    :ivar host_names: the node's host names (may be empty),
    :ivar attributes: the node attributes (``IgniteConfiguration.userAttributes`` and the
     ones Ignite sets, such as ``org.apache.ignite.build.ver``), decoded as cache values
     are,
    :ivar order: the node's join order: the oldest node has the smallest,
    :ivar version: the Ignite version it runs, a :class:`NodeVersion`,
    :ivar is_client: True for a (thick) client node, False for a server node.
    """

    id: UUID
    consistent_id: Any
    addresses: List[str]
    host_names: List[str]
    attributes: Dict[str, Any]
    order: int
    version: NodeVersion
    is_client: bool

    def __repr__(self) -> str:
        # the attributes are many and long: a node is known by its id and place
        return 'ClusterNode(id={}, consistent_id={!r}, addresses={!r}, order={}, version={}, ' \
               'is_client={})'.format(self.id, self.consistent_id, self.addresses, self.order,
                                      self.version, self.is_client)
