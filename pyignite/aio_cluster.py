"""The cluster facade of the asyncio client: the cluster state (activation), and the
whole cluster as an :class:`~pyignite.cluster_group.AioClusterGroup`."""
from typing import TYPE_CHECKING, Union

from ._ops import cluster as ops
from .cluster_group import AioClusterGroup
from .datatypes.cluster_state import ClusterState

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['AioCluster']


class AioCluster(AioClusterGroup):
    """The cluster an :class:`~pyignite.aio_client.AioClient` is connected to.

    Get it with :meth:`AioClient.get_cluster()
    <pyignite.aio_client.AioClient.get_cluster>`. The state methods raise
    :class:`~pyignite.exceptions.NotSupportedByClusterError` when the server does not
    offer the cluster API and :class:`~pyignite.exceptions.ClusterError` when the
    server refuses. As a group of every node, it has the projections of
    :class:`~pyignite.cluster_group.AioClusterGroup` (``for_servers()``, ...).

    :param client: the asyncio client.
    """

    def __init__(self, client: 'BaseClient') -> None:
        super().__init__(client)

    async def get_state(self) -> Union[ClusterState, int]:
        """The cluster state.

        :return: a :class:`~pyignite.datatypes.cluster_state.ClusterState` (the int of a
         state newer than this client knows).
        """
        state: Union[ClusterState, int] = await self._client._run(
            ops.get_state(self._client._session))
        return state

    async def set_state(self, state: ClusterState) -> None:
        """Change the cluster state; returns once the change is done.

        Deactivating an in-memory cluster drops every cache and its data.

        :param state: ClusterState.ACTIVE, INACTIVE or ACTIVE_READ_ONLY,
        :raises ValueError: ``state`` is not a ClusterState value.
        """
        await self._client._run(ops.set_state(self._client._session, state))
