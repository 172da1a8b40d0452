"""Helpers of the cluster-smart client tests."""
import asyncio
import time
import uuid

from _aio_adapter import Synced, unwrap
from pyignite._ops import key_value as kv
from pyignite.monitoring import ConnectionEventListener, QueryEventListener


class Events(ConnectionEventListener, QueryEventListener):
    """Every connection and query event a client reports, in order, by handler name."""

    def __init__(self):
        self.seen = []

    def __getattribute__(self, name):
        if name.startswith('on_'):
            return lambda event: self.seen.append((name[3:], event))
        return super().__getattribute__(name)

    def of(self, kind):
        return [event for name, event in self.seen if name == kind]

    def clear(self):
        self.seen.clear()


def idle(client, seconds):
    """Leave the client alone for ``seconds``, as an idle program would: a sync client's
    threads run meanwhile, an async client's event loop keeps running (its tasks too)."""
    if isinstance(client, Synced):
        client._loop.run_until_complete(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


def wait_until(client, condition, timeout=60.0, step=0.2, what='the condition'):
    """Call ``condition()`` until it is true (the client idles in between)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError('{} did not hold within {}s'.format(what, timeout))
        idle(client, step)


def unique(prefix):
    return '{}-{}'.format(prefix, uuid.uuid4().hex[:12])


def peek(client, cache, conn, key):
    """What the node behind ``conn`` holds of ``key`` itself (OP_CACHE_LOCAL_PEEK), whatever
    routing would say: with no backups, only the key's primary node holds it."""
    call = kv.local_peek(unwrap(client)._session, unwrap(cache), key)
    call.req.conn = conn
    return client._run(call)


def connection_to(client, node_uuid):
    """The client's connection to a node id (a str)."""
    return next(c for c in client._session.nodes if str(c.uuid) == node_uuid)
