"""AtomicLong: a 64-bit counter shared by the whole cluster.

Get one from :meth:`Client.atomic_long <pyignite.client.Client.atomic_long>` (or
:meth:`AioClient.atomic_long <pyignite.aio_client.AioClient.atomic_long>`, whose methods
are coroutines)::

    counter = client.atomic_long('visits', initial=0)
    counter.increment_and_get()          # 1, atomically, whoever else counts
    counter.compare_and_set(1, 10)       # True: it was 1, it is 10 now

Every method is one request to the server, which applies it atomically. Once the counter
is removed (by anyone), its value methods raise
:class:`~pyignite.exceptions.CacheError` (status 1011, the resource does not exist);
:meth:`AtomicLong.removed` tells.
"""
from typing import TYPE_CHECKING, Any, Optional

from ._ops import atomic_long as ops

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['AtomicLong', 'AioAtomicLong']


class _Base:
    def __init__(self, client: Any, name: str, group_name: Optional[str] = None) -> None:
        self._client = client
        self._name = name
        self._group = group_name

    @property
    def name(self) -> str:
        """The name of the AtomicLong."""
        return self._name

    @property
    def group_name(self) -> Optional[str]:
        """Its cache group (None: the default group of atomics)."""
        return self._group

    def __repr__(self) -> str:
        return '{}({!r}{})'.format(type(self).__name__, self._name,
                                   '' if self._group is None else ', ' + repr(self._group))


class AtomicLong(_Base):
    """A distributed AtomicLong (see :mod:`pyignite.atomic_long`), made by
    :meth:`Client.atomic_long <pyignite.client.Client.atomic_long>`.

    :param client: the client,
    :param name: its name,
    :param group_name: (optional) its cache group, None for the default one.
    """

    def __init__(self, client: 'BaseClient', name: str, group_name: Optional[str] = None) -> None:
        super().__init__(client, name, group_name)

    def get(self) -> int:
        """The value."""
        value: int = self._client._run(ops.get(self._client._session, self._name, self._group))
        return value

    def set(self, value: int) -> None:
        """Set the value."""
        self.get_and_set(value)

    def add_and_get(self, delta: int) -> int:
        """Add ``delta`` (negative to subtract); return the new value."""
        value: int = self._client._run(ops.add_and_get(
            self._client._session, self._name, self._group, delta))
        return value

    def increment_and_get(self) -> int:
        """Add one; return the new value."""
        return self.add_and_get(1)

    def decrement_and_get(self) -> int:
        """Subtract one; return the new value."""
        return self.add_and_get(-1)

    def get_and_set(self, value: int) -> int:
        """Set ``value``; return the value before."""
        old: int = self._client._run(ops.get_and_set(
            self._client._session, self._name, self._group, value))
        return old

    def compare_and_set(self, expected: int, value: int) -> bool:
        """Set ``value`` if the value is ``expected``; return whether it was set."""
        done: bool = self._client._run(ops.compare_and_set(
            self._client._session, self._name, self._group, expected, value))
        return done

    def compare_and_set_and_get(self, expected: int, value: int) -> int:
        """Set ``value`` if the value is ``expected``; return the value before (equal to
        ``expected`` exactly when it was set)."""
        old: int = self._client._run(ops.compare_and_set_and_get(
            self._client._session, self._name, self._group, expected, value))
        return old

    def remove(self) -> None:
        """Remove the AtomicLong from the cluster (doing nothing if it is gone already)."""
        self._client._run(ops.remove(self._client._session, self._name, self._group))

    def removed(self) -> bool:
        """Whether the AtomicLong was removed (it does not exist on the cluster)."""
        exists: bool = self._client._run(ops.exists(self._client._session, self._name,
                                                    self._group))
        return not exists


class AioAtomicLong(_Base):
    """The asyncio :class:`AtomicLong`, made by
    :meth:`AioClient.atomic_long <pyignite.aio_client.AioClient.atomic_long>`.

    :param client: the client,
    :param name: its name,
    :param group_name: (optional) its cache group, None for the default one.
    """

    def __init__(self, client: 'BaseClient', name: str,
                 group_name: Optional[str] = None) -> None:
        super().__init__(client, name, group_name)

    async def get(self) -> int:
        """The value."""
        value: int = await self._client._run(ops.get(self._client._session, self._name,
                                                     self._group))
        return value

    async def set(self, value: int) -> None:
        """Set the value."""
        await self.get_and_set(value)

    async def add_and_get(self, delta: int) -> int:
        """Add ``delta`` (negative to subtract); return the new value."""
        value: int = await self._client._run(ops.add_and_get(
            self._client._session, self._name, self._group, delta))
        return value

    async def increment_and_get(self) -> int:
        """Add one; return the new value."""
        return await self.add_and_get(1)

    async def decrement_and_get(self) -> int:
        """Subtract one; return the new value."""
        return await self.add_and_get(-1)

    async def get_and_set(self, value: int) -> int:
        """Set ``value``; return the value before."""
        old: int = await self._client._run(ops.get_and_set(
            self._client._session, self._name, self._group, value))
        return old

    async def compare_and_set(self, expected: int, value: int) -> bool:
        """Set ``value`` if the value is ``expected``; return whether it was set."""
        done: bool = await self._client._run(ops.compare_and_set(
            self._client._session, self._name, self._group, expected, value))
        return done

    async def compare_and_set_and_get(self, expected: int, value: int) -> int:
        """Set ``value`` if the value is ``expected``; return the value before (equal to
        ``expected`` exactly when it was set)."""
        old: int = await self._client._run(ops.compare_and_set_and_get(
            self._client._session, self._name, self._group, expected, value))
        return old

    async def remove(self) -> None:
        """Remove the AtomicLong from the cluster (doing nothing if it is gone already)."""
        await self._client._run(ops.remove(self._client._session, self._name, self._group))

    async def removed(self) -> bool:
        """Whether the AtomicLong was removed (it does not exist on the cluster)."""
        exists: bool = await self._client._run(ops.exists(self._client._session, self._name,
                                                          self._group))
        return not exists
