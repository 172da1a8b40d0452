"""Expiry policy of cache entries."""
from datetime import timedelta
from typing import Union

__all__ = ['ExpiryPolicy']

Duration = Union[int, timedelta]


def _to_ms(name: str, value: Duration) -> int:
    if isinstance(value, timedelta):
        # floor, like Java's Duration.toMillis
        ms = (value.days * 86400 + value.seconds) * 1000 + value.microseconds // 1000
        if ms < 0:
            raise ValueError('{} must not be a negative timedelta'.format(name))
        return ms
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError('{} must be an int (milliseconds) or a timedelta, not {!r}'.format(
            name, type(value).__name__))
    if value < ExpiryPolicy.UNCHANGED:
        raise ValueError('{} must be >= 0, ETERNAL (-1) or UNCHANGED (-2)'.format(name))
    return value


class ExpiryPolicy:
    """When entries expire after being created, updated or accessed.

    Each duration is milliseconds (int) or a :class:`~datetime.timedelta`;
    :attr:`ETERNAL` means never, :attr:`UNCHANGED` leaves the entry's expiry as it is.

    :param create: time to live after creation,
    :param update: time to live after an update,
    :param access: time to live after a read.
    """

    #: keep the current expiry time
    UNCHANGED = -2
    #: never expire
    ETERNAL = -1

    __slots__ = ('_create', '_update', '_access')

    def __init__(self, *, create: Duration = -2, update: Duration = -2, access: Duration = -2):
        self._create = _to_ms('create', create)
        self._update = _to_ms('update', update)
        self._access = _to_ms('access', access)

    @property
    def create(self) -> int:
        """Time to live after creation, ms."""
        return self._create

    @property
    def update(self) -> int:
        """Time to live after an update, ms."""
        return self._update

    @property
    def access(self) -> int:
        """Time to live after a read, ms."""
        return self._access

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExpiryPolicy):
            return NotImplemented
        return (self._create, self._update, self._access) == (
            other._create, other._update, other._access)

    def __hash__(self) -> int:
        return hash((self._create, self._update, self._access))

    def __repr__(self) -> str:
        return 'ExpiryPolicy(create={}, update={}, access={})'.format(
            self._create, self._update, self._access)
