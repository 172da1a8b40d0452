"""What the continuous query scenarios share: running a call of either API, hearing events."""
import asyncio
import inspect
import itertools
import threading
import time

from pyignite.continuous_query import EventType

_names = itertools.count()
#: the key of the marker entry :func:`live` writes: no scenario uses it, and it is even
#: (the even-keys remote filter lets its events through)
MARKER = -2


async def run(value):
    """``value`` awaited if the async API returned an awaitable, else as it is."""
    if inspect.isawaitable(value):
        return await value
    return value


def unique(prefix):
    return '{}-{}-{}'.format(prefix, time.monotonic_ns() % 10 ** 9, next(_names))


def caller():
    """The thread, or the task if in one, that runs this."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop in this thread
        task = None
    return task or threading.current_thread()


async def until_true(predicate, limit=60.0):
    """Wait (letting the event loop run) until ``predicate()`` holds; ``limit`` only
    bounds a test that would otherwise hang."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('still not true after {}s'.format(limit))
        await asyncio.sleep(0.01)


async def live(cache, *heards, limit=60.0):
    """Return once the server sends ``heards`` (one event a batch) the events of their
    queries just opened on ``cache``; they keep nothing of what that took.

    Ignite starts sending a new query's events only once it has sent the reply that
    opened it (``ClientCacheQueryContinuousResponse.onSent``), and drops the events of
    the changes made in between: they never reach the client. Seen: the first one to five
    puts right after the open, in about 2% of opens on a busy 2-core machine. So a
    scenario that counts every event first writes a marker entry until each query heard
    it, then removes it.
    """
    deadline = time.monotonic() + limit
    version = 0
    while not all(h.markers for h in heards):
        if time.monotonic() > deadline:
            raise AssertionError('the queries heard no marker within {}s'.format(limit))
        version += 1
        await run(cache.put(MARKER, version))
        for _ in range(50):
            if all(h.markers for h in heards):
                break
            await asyncio.sleep(0.01)
    await run(cache.remove_key(MARKER))
    await until_true(lambda: all(h.marker_removed() for h in heards), limit)


class Heard:
    """A listener that keeps every batch it is given, from any thread or task (the events
    of :data:`MARKER` aside, in :attr:`markers`)."""

    def __init__(self):
        self.batches = []
        self.markers = []
        #: where it was called from (see :func:`caller`)
        self.callers = set()
        self._lock = threading.Lock()

    def __call__(self, events):
        with self._lock:
            mine = [e for e in events if e.key != MARKER]
            self.markers.extend(e for e in events if e.key == MARKER)
            if mine:
                self.batches.append(mine)
            self.callers.add(caller())

    def marker_removed(self):
        with self._lock:
            return any(e.event_type == EventType.REMOVED for e in self.markers)

    @property
    def events(self):
        with self._lock:
            return [event for batch in self.batches for event in batch]

    async def until(self, count, limit=60.0):
        """Wait (letting the event loop run) until ``count`` events came; return them all.
        ``limit`` only bounds a test that would otherwise hang."""
        deadline = time.monotonic() + limit
        while len(self.events) < count:
            if time.monotonic() > deadline:
                raise AssertionError('{} events after {}s, expected {}'.format(
                    len(self.events), limit, count))
            await asyncio.sleep(0.01)
        return self.events

    async def quiet(self, seconds=0.5):
        """Let ``seconds`` pass with the event loop running (for events that must not
        come: any that do show in :attr:`events` afterwards)."""
        await asyncio.sleep(seconds)
        return self.events
