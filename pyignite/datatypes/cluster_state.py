"""Cluster states."""
from enum import IntEnum

__all__ = ['ClusterState']


class ClusterState(IntEnum):
    """The state of an Ignite cluster."""
    INACTIVE = 0
    ACTIVE = 1
    ACTIVE_READ_ONLY = 2
