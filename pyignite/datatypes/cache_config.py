"""Enumerations used in cache configuration."""
from enum import IntEnum

__all__ = [
    'CacheMode', 'CacheAtomicityMode', 'WriteSynchronizationMode', 'PartitionLossPolicy',
    'RebalanceMode', 'IndexType',
]


class CacheMode(IntEnum):
    """How a cache is distributed over the cluster."""
    LOCAL = 0
    REPLICATED = 1
    PARTITIONED = 2


class CacheAtomicityMode(IntEnum):
    """Whether a cache supports transactions."""
    TRANSACTIONAL = 0
    ATOMIC = 1


class WriteSynchronizationMode(IntEnum):
    """When a write is acknowledged."""
    FULL_SYNC = 0
    FULL_ASYNC = 1
    PRIMARY_SYNC = 2


class PartitionLossPolicy(IntEnum):
    """What a cache allows once partitions are lost."""
    READ_ONLY_SAFE = 0
    READ_ONLY_ALL = 1
    READ_WRITE_SAFE = 2
    READ_WRITE_ALL = 3
    IGNORE = 4


class RebalanceMode(IntEnum):
    """How data is rebalanced when the topology changes."""
    SYNC = 0
    ASYNC = 1
    NONE = 2


class IndexType(IntEnum):
    """The kind of a query index."""
    SORTED = 0
    FULLTEXT = 1
    GEOSPATIAL = 2
