"""Cluster groups: projections of the cluster (as Java's ``ClientClusterGroup``) and the
descriptions of their nodes.

A group is a description: making one (``for_servers()``, ``for_attribute(...)``, ...)
sends nothing. It is resolved each time its nodes are asked for, against the topology of
that moment, so ``for_oldest()`` is the oldest node of the group *then*.
"""
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Tuple, TypeVar
from uuid import UUID

from ._ops import cluster_group as ops
from .datatypes.cluster_node import ClusterNode, NodeVersion

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['ClusterGroup', 'AioClusterGroup', 'ClusterNode', 'NodeVersion']

_G = TypeVar('_G', bound='_Projections')


class _Projections:
    """The projections both kinds of group share: each returns a narrower group of the
    same kind and sends nothing."""

    def __init__(self, client: 'BaseClient', steps: Tuple[ops.Step, ...] = ()) -> None:
        self._client = client
        self._steps = steps

    def _narrowed(self: _G, step: ops.Step) -> _G:
        group: _G = self._group_class(self._client, self._steps + (step,))
        return group

    #: the class of the groups a projection returns
    _group_class: Any = None

    def for_servers(self: _G) -> _G:
        """The server nodes of this group."""
        return self._narrowed(ops.node_type(True))

    def for_clients(self: _G) -> _G:
        """The (thick) client nodes of this group."""
        return self._narrowed(ops.node_type(False))

    def for_attribute(self: _G, name: str, value: Any = None) -> _G:
        """The nodes of this group whose attribute ``name`` equals ``value``, or that have
        the attribute at all when ``value`` is None.

        :param name: the attribute name,
        :param value: (optional) the value; a ``(value, hint)`` tuple gives its Ignite type
         (an ``int`` is a Java ``long`` unless hinted: ``(5, IntObject)``),
        :raises ParameterError: ``name`` is not a non-empty str.
        """
        return self._narrowed(ops.attribute(name, value))

    def for_node_ids(self: _G, ids: Iterable[Any]) -> _G:
        """The nodes of this group with the given ids.

        :param ids: node ids: UUIDs, their str, or :class:`ClusterNode` objects,
        :raises ParameterError: an id is none of these.
        """
        return self._narrowed(ops.node_ids(ids))

    def for_nodes(self: _G, nodes: Iterable[ClusterNode]) -> _G:
        """The nodes of this group among ``nodes`` (:class:`ClusterNode` objects)."""
        return self._narrowed(ops.node_ids(nodes))

    def for_host(self: _G, host: Any, *hosts: Any) -> _G:
        """The nodes of this group on the given hosts.

        :param host: a host name or IP address as the nodes report them, or a
         :class:`ClusterNode` (its host), and more of them,
        :raises ParameterError: a host is none of these.
        """
        return self._narrowed(ops.hosts((host,) + hosts))

    def for_predicate(self: _G, predicate: Callable[[ClusterNode], Any]) -> _G:
        """The nodes of this group for which ``predicate(node)`` is true (it runs here,
        on the :class:`ClusterNode` descriptions)."""
        return self._narrowed(ops.predicate(predicate))

    def for_oldest(self: _G) -> _G:
        """The oldest node of this group (the smallest join order)."""
        return self._narrowed(ops.OLDEST)

    def for_youngest(self: _G) -> _G:
        """The youngest node of this group (the largest join order)."""
        return self._narrowed(ops.YOUNGEST)

    def for_random(self: _G) -> _G:
        """One node of this group, picked at random each time the group is resolved."""
        return self._narrowed(ops.RANDOM)


class ClusterGroup(_Projections):
    """A group of nodes of the cluster a :class:`~pyignite.client.Client` is connected to.

    Start from :meth:`Client.get_cluster() <pyignite.client.Client.get_cluster>`. The
    methods that ask the server raise
    :class:`~pyignite.exceptions.NotSupportedByClusterError` when it does not offer
    cluster groups (Ignite before 2.9).
    """

    def node_ids(self) -> List[UUID]:
        """The ids of the nodes of this group."""
        ids: List[UUID] = self._client._run(ops.resolve(self._client._session, self._steps,
                                                        False))
        return ids

    def nodes(self) -> List[ClusterNode]:
        """The nodes of this group, described (:class:`ClusterNode`)."""
        nodes: List[ClusterNode] = self._client._run(ops.resolve(
            self._client._session, self._steps, True))
        return nodes

    def node(self, node_id: Any = None) -> Optional[ClusterNode]:
        """The node ``node_id`` (a UUID or its str) if it is in this group, or, without
        ``node_id``, the first node of this group; None if there is none."""
        found: Optional[ClusterNode] = self._client._run(ops.node(
            self._client._session, self._steps, node_id))
        return found


class AioClusterGroup(_Projections):
    """A group of nodes of the cluster an :class:`~pyignite.aio_client.AioClient` is
    connected to: :class:`ClusterGroup` with coroutine methods where it asks the server.

    Start from :meth:`AioClient.get_cluster()
    <pyignite.aio_client.AioClient.get_cluster>`.
    """

    async def node_ids(self) -> List[UUID]:
        """The ids of the nodes of this group."""
        ids: List[UUID] = await self._client._run(ops.resolve(
            self._client._session, self._steps, False))
        return ids

    async def nodes(self) -> List[ClusterNode]:
        """The nodes of this group, described (:class:`ClusterNode`)."""
        nodes: List[ClusterNode] = await self._client._run(ops.resolve(
            self._client._session, self._steps, True))
        return nodes

    async def node(self, node_id: Any = None) -> Optional[ClusterNode]:
        """The node ``node_id`` (a UUID or its str) if it is in this group, or, without
        ``node_id``, the first node of this group; None if there is none."""
        found: Optional[ClusterNode] = await self._client._run(ops.node(
            self._client._session, self._steps, node_id))
        return found


ClusterGroup._group_class = ClusterGroup
AioClusterGroup._group_class = AioClusterGroup
