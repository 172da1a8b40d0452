"""The cluster facade of the sync client: the cluster state (activation)."""
from ._ops import cluster as ops
from .datatypes.cluster_state import ClusterState

__all__ = ['Cluster']


class Cluster:
    """The cluster a :class:`~pyignite.client.Client` is connected to.

    Get it with :meth:`Client.get_cluster() <pyignite.client.Client.get_cluster>`.
    Both methods raise :class:`~pyignite.exceptions.NotSupportedByClusterError` when
    the server does not offer the cluster API and
    :class:`~pyignite.exceptions.ClusterError` when the server refuses.

    :param client: the client.
    """

    def __init__(self, client):
        self._client = client

    def get_state(self) -> ClusterState:
        """The cluster state.

        :return: a :class:`~pyignite.datatypes.cluster_state.ClusterState`.
        """
        return self._client._run(ops.get_state(self._client._session))

    def set_state(self, state: ClusterState) -> None:
        """Change the cluster state; returns once the change is done.

        Deactivating an in-memory cluster drops every cache and its data.

        :param state: ClusterState.ACTIVE, INACTIVE or ACTIVE_READ_ONLY,
        :raises ValueError: ``state`` is not a ClusterState value.
        """
        self._client._run(ops.set_state(self._client._session, state))
