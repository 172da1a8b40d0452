"""What the continuous query scenarios share: running a call of either API, hearing events."""
import asyncio
import inspect
import itertools
import threading
import time

_names = itertools.count()


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


class Heard:
    """A listener that keeps every batch it is given, from any thread or task."""

    def __init__(self):
        self.batches = []
        #: where it was called from (see :func:`caller`)
        self.callers = set()
        self._lock = threading.Lock()

    def __call__(self, events):
        with self._lock:
            self.batches.append(list(events))
            self.callers.add(caller())

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
