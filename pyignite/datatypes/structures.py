"""The configuration of the caches behind distributed data structures (AtomicLong,
IgniteSet): the server's ``AtomicConfiguration`` and ``CollectionConfiguration``.

A configuration matters only when a structure is created; an existing structure keeps
its own.
"""
from typing import Any, Optional

from ..exceptions import ParameterError
from .cache_config import CacheAtomicityMode, CacheMode

__all__ = ['AtomicConfiguration', 'CollectionConfiguration']


def _mode(enum: Any, name: str, value: Any) -> Any:
    try:
        mode = enum(value)
    except ValueError:
        raise ParameterError('{} must be one of {}, not {!r}'.format(
            name, ', '.join(m.name for m in enum), value)) from None
    if mode is CacheMode.LOCAL:
        raise ParameterError('data structures can not live in a LOCAL cache')
    return mode


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 31:
        raise ParameterError('{} must be a non-negative int, not {!r}'.format(name, value))
    return value


def _group(value: Any) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise ParameterError('group_name must be a str or None, not {!r}'.format(value))
    return value


class AtomicConfiguration:
    """Where an AtomicLong lives (the defaults are the server's).

    :param cache_mode: (optional) a :class:`~pyignite.datatypes.cache_config.CacheMode`,
     PARTITIONED by default,
    :param backups: (optional) backup copies, 1 by default,
    :param group_name: (optional) the cache group; None (default): the default group of
     atomics,
    :param reserve_size: (optional) the atomic sequence reserve size, 1000 by default.
    :raises ParameterError: a bad value.
    """

    __slots__ = ('cache_mode', 'backups', 'group_name', 'reserve_size')

    def __init__(self, cache_mode: Any = CacheMode.PARTITIONED, backups: int = 1,
                 group_name: Optional[str] = None, reserve_size: int = 1000) -> None:
        self.cache_mode = _mode(CacheMode, 'cache_mode', cache_mode)
        self.backups = _count('backups', backups)
        self.group_name = _group(group_name)
        self.reserve_size = _count('reserve_size', reserve_size)

    def __repr__(self) -> str:
        return 'AtomicConfiguration(cache_mode={!r}, backups={}, group_name={!r}, ' \
               'reserve_size={})'.format(self.cache_mode, self.backups, self.group_name,
                                         self.reserve_size)


class CollectionConfiguration:
    """Where an IgniteSet lives.

    :param atomicity_mode: (optional) a
     :class:`~pyignite.datatypes.cache_config.CacheAtomicityMode`, ATOMIC by default,
    :param cache_mode: (optional) a :class:`~pyignite.datatypes.cache_config.CacheMode`,
     PARTITIONED by default,
    :param backups: (optional) backup copies, 1 by default (the server's default for a
     collection is 0, but its caches go to the same default cache group as the atomics',
     whose default is 1, and the server refuses two backup counts in one group),
    :param group_name: (optional) the cache group; None (default): the default group of
     data structures,
    :param colocated: (optional) keep the whole set on one node (False by default: its
     items are spread over the cluster; a colocated set is faster to iterate and slower
     to fill).
    :raises ParameterError: a bad value.
    """

    __slots__ = ('atomicity_mode', 'cache_mode', 'backups', 'group_name', 'colocated')

    def __init__(self, atomicity_mode: Any = CacheAtomicityMode.ATOMIC,
                 cache_mode: Any = CacheMode.PARTITIONED, backups: int = 1,
                 group_name: Optional[str] = None, colocated: bool = False) -> None:
        self.atomicity_mode = _mode(CacheAtomicityMode, 'atomicity_mode', atomicity_mode)
        self.cache_mode = _mode(CacheMode, 'cache_mode', cache_mode)
        self.backups = _count('backups', backups)
        self.group_name = _group(group_name)
        self.colocated = bool(colocated)

    def __repr__(self) -> str:
        return 'CollectionConfiguration(atomicity_mode={!r}, cache_mode={!r}, backups={}, ' \
               'group_name={!r}, colocated={})'.format(
                   self.atomicity_mode, self.cache_mode, self.backups, self.group_name,
                   self.colocated)
