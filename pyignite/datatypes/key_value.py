"""Key-value operation parameters."""
from enum import IntEnum

__all__ = ['PeekModes']


class PeekModes(IntEnum):
    """Which copies of the entries :meth:`~pyignite.cache.Cache.get_size` counts."""
    ALL = 0
    NEAR = 1
    PRIMARY = 2
    BACKUP = 3
    ONHEAP = 4
    OFFHEAP = 5
