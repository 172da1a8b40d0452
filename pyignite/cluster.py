"""The cluster facade of the sync client: the cluster state (activation), the WAL of
persistent caches, and the whole cluster as a :class:`~pyignite.cluster_group.ClusterGroup`."""
from typing import TYPE_CHECKING, Any, Union

from ._ops import cluster as ops
from .cluster_group import ClusterGroup
from .datatypes.cluster_state import ClusterState

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient
    from ._base_cache import BaseCache

__all__ = ['Cluster']


def _cache_name(cache: Any) -> Any:
    """The name of a cache given by name or as a cache object (the op checks the type)."""
    name = getattr(cache, 'name', None)
    return name if isinstance(name, str) and not isinstance(cache, str) else cache


class Cluster(ClusterGroup):
    """The cluster a :class:`~pyignite.client.Client` is connected to.

    Get it with :meth:`Client.get_cluster() <pyignite.client.Client.get_cluster>`.
    The state methods raise :class:`~pyignite.exceptions.NotSupportedByClusterError` when
    the server does not offer the cluster API and
    :class:`~pyignite.exceptions.ClusterError` when the server refuses. As a group of
    every node, it has the projections of
    :class:`~pyignite.cluster_group.ClusterGroup` (``for_servers()``, ...).

    :param client: the client.
    """

    def __init__(self, client: 'BaseClient') -> None:
        super().__init__(client)

    def get_state(self) -> Union[ClusterState, int]:
        """The cluster state.

        :return: a :class:`~pyignite.datatypes.cluster_state.ClusterState` (the int of a
         state newer than this client knows).
        """
        state: Union[ClusterState, int] = self._client._run(
            ops.get_state(self._client._session))
        return state

    def set_state(self, state: ClusterState) -> None:
        """Change the cluster state; returns once the change is done.

        Deactivating an in-memory cluster drops every cache and its data.

        :param state: ClusterState.ACTIVE, INACTIVE or ACTIVE_READ_ONLY,
        :raises ValueError: ``state`` is not a ClusterState value.
        """
        self._client._run(ops.set_state(self._client._session, state))

    def disable_wal(self, cache: Union[str, 'BaseCache']) -> bool:
        """Disable the write-ahead log of a persistent cache (e.g. for a fast initial load;
        a node that fails meanwhile may lose the cache's data).

        :param cache: the cache or its name,
        :return: True if the WAL was enabled and is now disabled, False if it was so already,
        :raises ClusterError: the server refused (the cache does not exist, or is not
         persistent).
        """
        changed: bool = self._client._run(ops.change_wal_state(
            self._client._session, _cache_name(cache), False))
        return changed

    def enable_wal(self, cache: Union[str, 'BaseCache']) -> bool:
        """Enable the write-ahead log of a persistent cache again (returns once the data
        written meanwhile is checkpointed).

        :param cache: the cache or its name,
        :return: True if the WAL was disabled and is now enabled, False if it was so already,
        :raises ClusterError: the server refused.
        """
        changed: bool = self._client._run(ops.change_wal_state(
            self._client._session, _cache_name(cache), True))
        return changed

    def is_wal_enabled(self, cache: Union[str, 'BaseCache']) -> bool:
        """Whether the write-ahead log of a cache is enabled.

        :param cache: the cache or its name,
        :raises ClusterError: the server refused (e.g. no such cache).
        """
        enabled: bool = self._client._run(ops.get_wal_state(
            self._client._session, _cache_name(cache)))
        return enabled
