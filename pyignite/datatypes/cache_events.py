"""Cache entry events, as continuous queries deliver them (see :mod:`pyignite.continuous_query`,
which is where to import them from)."""
from enum import IntEnum
from typing import Any, NamedTuple

__all__ = ['EventType', 'CacheEntryEvent']


class EventType(IntEnum):
    """What happened to a cache entry (the JCache event types)."""

    #: the entry was created
    CREATED = 0
    #: the entry's value was replaced
    UPDATED = 1
    #: the entry was removed
    REMOVED = 2
    #: the entry expired (delivered only to queries opened with ``include_expired=True``)
    EXPIRED = 3


class CacheEntryEvent(NamedTuple):
    """One change of one cache entry (read-only).

    :ivar event_type: an :class:`EventType`,
    :ivar key: the entry's key,
    :ivar value: the new value; None for REMOVED and EXPIRED,
    :ivar old_value: the value before the change; None for CREATED.
    """

    event_type: EventType
    key: Any
    value: Any
    old_value: Any
