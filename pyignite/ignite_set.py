"""IgniteSet: a set of Ignite values shared by the whole cluster.

Get one from :meth:`Client.ignite_set <pyignite.client.Client.ignite_set>`: an
:class:`IgniteSet` is a :class:`collections.abc.MutableSet`, so it works where a Python set
does (``in``, ``len``, iteration, ``|=``, ``-=``, comparisons...)::

    tags = client.ignite_set('tags')
    tags.add('red')
    tags |= {'green', 'blue'}            # one request: update()
    'red' in tags                        # True
    sorted(tags)                         # ['blue', 'green', 'red'], read page by page

Every method is one request (iteration: one per page of :attr:`IgniteSet.page_size`
items). Operators that make a new set (``tags | {'x'}``) make a Python :class:`set`.
:meth:`AioClient.ignite_set <pyignite.aio_client.AioClient.ignite_set>` gives an
:class:`AioIgniteSet`, with coroutines instead (``await tags.contains('red')``,
``await tags.size()``, ``async for item in tags``).

Items are Ignite values as everywhere else (``(value, hint)`` tuples included); None is not
an item. Equal values of different Ignite types are different items (``1`` is a Long,
``(1, IntObject)`` an Int). Once the set is removed (:meth:`IgniteSet.close`, by anyone),
its methods raise :class:`~pyignite.exceptions.CacheError` (status 1011).
"""
from collections.abc import MutableSet
from typing import TYPE_CHECKING, Any, AsyncIterator, Iterable, Iterator, Set

from ._ops import ignite_set as ops
from ._ops.resources import abandon

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['IgniteSet', 'AioIgniteSet', 'DEFAULT_PAGE_SIZE']

#: items per page when iterating, unless told otherwise
DEFAULT_PAGE_SIZE = 1024


class _Base:
    def __init__(self, client: Any, ref: ops.SetRef) -> None:
        self._client = client
        self._ref = ref
        self._page_size = DEFAULT_PAGE_SIZE

    @property
    def name(self) -> str:
        """The name of the set."""
        return self._ref.name

    @property
    def colocated(self) -> bool:
        """Whether the whole set lives on one node."""
        return self._ref.colocated

    @property
    def page_size(self) -> int:
        """Items per server round trip when iterating (1024 by default)."""
        return self._page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self._page_size = ops.check_page_size(value)

    def __repr__(self) -> str:
        return '{}({!r}, colocated={})'.format(type(self).__name__, self.name, self.colocated)


class IgniteSet(_Base, MutableSet):  # type: ignore[type-arg]
    """A distributed set (see :mod:`pyignite.ignite_set`), made by
    :meth:`Client.ignite_set <pyignite.client.Client.ignite_set>`.

    :param client: the client,
    :param ref: the set's identity on the server.
    """

    def __init__(self, client: 'BaseClient', ref: ops.SetRef) -> None:
        super().__init__(client, ref)

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> Set[Any]:
        # what the operators that make a new set (|, &, -, ^) return: a Python set
        return set(it)

    def _run(self, op: Any) -> Any:
        return self._client._run(op)

    def add(self, item: Any) -> bool:  # type: ignore[override]
        """Add an item; return whether it was not there yet."""
        added: bool = self._run(ops.add(self._client._session, self._ref, item))
        return added

    def discard(self, item: Any) -> bool:  # type: ignore[override]
        """Remove an item if it is there; return whether it was."""
        removed: bool = self._run(ops.remove(self._client._session, self._ref, item))
        return removed

    def __contains__(self, item: Any) -> bool:
        if item is None:
            return False
        found: bool = self._run(ops.contains(self._client._session, self._ref, item))
        return found

    def __len__(self) -> int:
        size: int = self._run(ops.size(self._client._session, self._ref))
        return size

    def __iter__(self) -> Iterator[Any]:
        """The items, fetched :attr:`page_size` at a time. Stopping early releases the
        server's iterator (with the client's next request)."""
        session = self._client._session
        state = ops.IteratorState()
        try:
            yield from self._run(ops.iterate_start(session, self._ref, state, self._page_size))
            while state.more:
                yield from self._run(ops.iterate_next(session, state, self._page_size))
        finally:
            abandon(session, state)

    def clear(self) -> None:
        """Remove every item (one request)."""
        self._run(ops.clear(self._client._session, self._ref))

    def update(self, items: Iterable[Any]) -> bool:
        """Add items (one request); return whether the set changed."""
        changed: bool = self._run(ops.add_all(self._client._session, self._ref, items))
        return changed

    def remove_all(self, items: Iterable[Any]) -> bool:
        """Remove the given items (one request); return whether the set changed."""
        changed: bool = self._run(ops.remove_all(self._client._session, self._ref, items))
        return changed

    def retain_all(self, items: Iterable[Any]) -> bool:
        """Keep only the given items (one request); return whether the set changed."""
        changed: bool = self._run(ops.retain_all(self._client._session, self._ref, items))
        return changed

    def contains_all(self, items: Iterable[Any]) -> bool:
        """Whether every given item is in the set (one request)."""
        found: bool = self._run(ops.contains_all(self._client._session, self._ref, items))
        return found

    def __ior__(self, items: Iterable[Any]) -> 'IgniteSet':  # type: ignore[misc]
        self.update(items)
        return self

    def __isub__(self, items: Iterable[Any]) -> 'IgniteSet':
        if items is self:
            self.clear()
        else:
            self.remove_all(items)
        return self

    def __iand__(self, items: Iterable[Any]) -> 'IgniteSet':
        if items is not self:
            self.retain_all(list(items))
        return self

    def close(self) -> None:
        """Remove the set from the cluster (doing nothing if it is gone already)."""
        self._run(ops.close(self._client._session, self._ref))

    def removed(self) -> bool:
        """Whether the set was removed (it does not exist on the cluster)."""
        exists: bool = self._run(ops.exists(self._client._session, self._ref))
        return not exists


class AioIgniteSet(_Base):
    """The asyncio :class:`IgniteSet`, made by
    :meth:`AioClient.ignite_set <pyignite.aio_client.AioClient.ignite_set>`: the same
    methods as coroutines, :meth:`contains` for ``in``, :meth:`size` for ``len`` and
    ``async for`` for iteration.

    :param client: the client,
    :param ref: the set's identity on the server.
    """

    def __init__(self, client: 'BaseClient', ref: ops.SetRef) -> None:
        super().__init__(client, ref)

    async def _run(self, op: Any) -> Any:
        return await self._client._run(op)

    async def add(self, item: Any) -> bool:
        """Add an item; return whether it was not there yet."""
        added: bool = await self._run(ops.add(self._client._session, self._ref, item))
        return added

    async def discard(self, item: Any) -> bool:
        """Remove an item if it is there; return whether it was."""
        removed: bool = await self._run(ops.remove(self._client._session, self._ref, item))
        return removed

    async def contains(self, item: Any) -> bool:
        """Whether the item is in the set."""
        if item is None:
            return False
        found: bool = await self._run(ops.contains(self._client._session, self._ref, item))
        return found

    async def size(self) -> int:
        """How many items the set holds."""
        size: int = await self._run(ops.size(self._client._session, self._ref))
        return size

    async def __aiter__(self) -> AsyncIterator[Any]:
        """The items, fetched :attr:`page_size` at a time. Stopping early releases the
        server's iterator (with the client's next request)."""
        session = self._client._session
        state = ops.IteratorState()
        try:
            for item in await self._run(ops.iterate_start(session, self._ref, state,
                                                          self._page_size)):
                yield item
            while state.more:
                for item in await self._run(ops.iterate_next(session, state, self._page_size)):
                    yield item
        finally:
            abandon(session, state)

    async def clear(self) -> None:
        """Remove every item (one request)."""
        await self._run(ops.clear(self._client._session, self._ref))

    async def update(self, items: Iterable[Any]) -> bool:
        """Add items (one request); return whether the set changed."""
        changed: bool = await self._run(ops.add_all(self._client._session, self._ref, items))
        return changed

    async def remove_all(self, items: Iterable[Any]) -> bool:
        """Remove the given items (one request); return whether the set changed."""
        changed: bool = await self._run(ops.remove_all(self._client._session, self._ref, items))
        return changed

    async def retain_all(self, items: Iterable[Any]) -> bool:
        """Keep only the given items (one request); return whether the set changed."""
        changed: bool = await self._run(ops.retain_all(self._client._session, self._ref, items))
        return changed

    async def contains_all(self, items: Iterable[Any]) -> bool:
        """Whether every given item is in the set (one request)."""
        found: bool = await self._run(ops.contains_all(self._client._session, self._ref, items))
        return found

    async def close(self) -> None:
        """Remove the set from the cluster (doing nothing if it is gone already)."""
        await self._run(ops.close(self._client._session, self._ref))

    async def removed(self) -> bool:
        """Whether the set was removed (it does not exist on the cluster)."""
        exists: bool = await self._run(ops.exists(self._client._session, self._ref))
        return not exists
