"""Cursors and requests that their caller gives up on: timeouts and cancellations.

A database client must never leave server cursors behind nor end a result early without
an error. A :class:`~.doubles.FaultProxy` in front of the real node holds back the replies
to chosen requests, so that the caller gives up before they come, and notes what the
client sends: every cursor opened by a request given up on must be closed with
OP_RESOURCE_CLOSE, and the node's own views must show no cursor left.
"""
import asyncio
import random
import socket
import struct
import threading
import time

import pytest

from pyignite import AioClient, Client
from pyignite._protocol.opcodes import (
    OP_QUERY_SCAN, OP_QUERY_SCAN_CURSOR_GET_PAGE, OP_QUERY_SQL_FIELDS, OP_RESOURCE_CLOSE,
)
from pyignite.exceptions import CursorError

from .doubles import delayed_replies_to, frame

ENTRIES = 20
_ID = struct.Struct('<q')


@pytest.fixture
def filled(made_cache, ignite_node):
    """A cache of ENTRIES entries and an SQL table of ENTRIES rows (named after it)."""
    table = made_cache.replace('-', '_')
    with Client().connect(ignite_node.host, ignite_node.port) as client:
        cache = client.get_cache(made_cache)
        cache.put_all({i: i for i in range(ENTRIES)})
        client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR)'.format(table))
        for i in range(ENTRIES):
            client.sql('INSERT INTO {} (id, v) VALUES (?, ?)'.format(table),
                       query_args=[i, str(i)])
    yield made_cache, table
    with Client().connect(ignite_node.host, ignite_node.port) as client:
        client.sql('DROP TABLE IF EXISTS {}'.format(table))


def open_server_cursors(node) -> int:
    """Scan and SQL cursors the node holds open, as its system views tell (asked on a
    connection of its own, which holds none)."""
    with Client().connect(node.host, node.port) as client:
        scans = list(client.sql('SELECT COUNT(*) FROM SYS.SCAN_QUERIES'))[0][0]
        sqls = [row[0] for row in client.sql('SELECT SQL FROM SYS.SQL_QUERIES')]
    # Calcite keeps the text it parsed, quoted: SELECT `SQL` FROM `SYS`.`SQL_QUERIES`
    return scans + sum(1 for text in sqls
                       if 'SYS.' not in text.upper().replace('`', '').replace('"', ''))


def wait_for_server_cursors(node, at_most: int, within: float = 15.0) -> int:
    """Wait until the node holds at most ``at_most`` cursors; return how many it holds.

    The node serves the whole test session, so the tests compare with the count they found
    when they started (another test's client may still hold a cursor of its own)."""
    deadline = time.monotonic() + within
    while True:
        count = open_server_cursors(node)
        if count <= at_most or time.monotonic() > deadline:
            return count
        time.sleep(0.2)


def noting_cursor_ids(proxy, ops, seconds: float, opened: list):
    """A proxy hook: replies to requests of ``ops`` come ``seconds`` late; the cursor id
    each of them carries goes to ``opened``."""
    late = {op: delayed_replies_to(proxy, op, seconds) for op in ops}

    def hook(body: bytes):
        with proxy._lock:
            op = proxy.request_ops.get(_ID.unpack_from(body)[0])
        if op not in late:
            return frame(body), False
        flags = struct.unpack_from('<h', body, 8)[0]
        if not flags & 1:
            opened.append(_ID.unpack_from(body, 22 if flags & 2 else 10)[0])
        return late[op](body)
    return hook


def closed_ids(proxy) -> set:
    return {_ID.unpack_from(payload)[0] for payload in proxy.sent(OP_RESOURCE_CLOSE)}


def wait_until(condition, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


async def async_wait_until(condition, within: float = 10.0) -> bool:
    """:func:`wait_until` for a coroutine: the event loop goes on meanwhile."""
    return await asyncio.get_running_loop().run_in_executor(None, wait_until, condition,
                                                            within)


async def async_server_cursors(node, at_most: int) -> int:
    return await asyncio.get_running_loop().run_in_executor(None, wait_for_server_cursors,
                                                            node, at_most)


# --- opening a cursor, given up on -----------------------------------------------------


async def test_async_cursor_opens_given_up_on_leave_no_server_cursor(proxy, ignite_node, filled):
    cache_name, table = filled
    opened: list = []
    gave_up = []
    before = open_server_cursors(ignite_node)

    client = AioClient(partition_aware=False)
    async with client.connect(proxy.host, proxy.port):
        cache = await client.get_cache(cache_name)
        proxy.tamper_all(noting_cursor_ids(
            proxy, (OP_QUERY_SCAN, OP_QUERY_SQL_FIELDS), 0.05, opened))
        for i in range(250):
            how = i % 4
            if how == 0:
                aw = cache.scan(page_size=1)
            elif how == 1:
                aw = client.sql('SELECT id FROM {}'.format(table), page_size=1)
            if how < 2:
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(aw, 0.005)
                gave_up.append(how)
                continue
            opening = cache.scan(page_size=1) if how == 2 else client.sql(
                'SELECT id FROM {}'.format(table), page_size=1)
            task = asyncio.get_running_loop().create_task(opening._open())
            await asyncio.sleep(0.005)
            assert task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            gave_up.append(how)
        # the late replies come 50 ms late (more on a busy machine); each is turned into a
        # close at once. Every open the proxy forwarded must come back with a cursor id (a
        # request given up on before it went out opens nothing), and most must have gone.
        sent = len(proxy.sent(OP_QUERY_SCAN)) + len(proxy.sent(OP_QUERY_SQL_FIELDS))
        assert await async_wait_until(lambda: len(opened) == sent, within=60), (len(opened), sent)
        assert sent >= 125
        proxy.tamper_all(None)
        assert await async_wait_until(lambda: set(opened) <= closed_ids(proxy))
        assert await async_server_cursors(ignite_node, before) <= before
        # the same client goes on: more than the node's 128 cursors per connection
        # would allow if any had leaked
        cursors = [await cache.scan(page_size=1) for _ in range(100)]
        for cursor in cursors:
            await cursor.close()
        async with cache.scan(page_size=3) as cursor:
            assert sorted([k async for k, _ in cursor]) == list(range(ENTRIES))
        async with client.sql('SELECT COUNT(*) FROM {}'.format(table)) as cursor:
            assert [row async for row in cursor] == [[ENTRIES]]

    assert len(gave_up) == 250


def test_sync_late_cursor_replies_are_closed(proxy, ignite_node, filled):
    """The sync ``timeout=``: the cursor's reply comes after its request timed out, read by
    another thread's request on the same connection; the node gets OP_RESOURCE_CLOSE."""
    cache_name, table = filled
    opened: list = []
    before = open_server_cursors(ignite_node)
    client = Client(partition_aware=False, timeout=0.3)
    stop = threading.Event()
    with client.connect(proxy.host, proxy.port):
        cache = client.get_cache(cache_name)

        def traffic():
            # keeps frames coming, so a timeout gives up only its own request and the
            # connection stays (the timeout rule closes a connection that went silent)
            while not stop.is_set():
                cache.get(1)

        proxy.tamper_all(noting_cursor_ids(proxy, (OP_QUERY_SCAN, OP_QUERY_SQL_FIELDS), 0.6,
                                           opened))
        worker = threading.Thread(target=traffic, daemon=True)
        worker.start()
        try:
            for i in range(20):
                with pytest.raises(socket.timeout):
                    if i % 2:
                        cache.scan(page_size=1)
                    else:
                        client.sql('SELECT id FROM {}'.format(table), page_size=1)
            assert wait_until(lambda: len(opened) == 20)
            assert wait_until(lambda: set(opened) <= closed_ids(proxy))
        finally:
            stop.set()
            worker.join()
        proxy.tamper_all(None)
        assert wait_for_server_cursors(ignite_node, before) <= before
        assert sorted(k for k, _ in cache.scan(page_size=3)) == list(range(ENTRIES))
        assert list(client.sql('SELECT COUNT(*) FROM {}'.format(table))) == [[ENTRIES]]


# --- a page that never comes ----------------------------------------------------------


async def test_async_scan_with_pages_given_up_on_never_ends_short(ignite_node, made_cache):
    """Each ``__anext__`` under a short limit, retried when it runs out: the scan either
    raises CursorError or hands out every entry, never fewer."""
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_cache(made_cache)
        await cache.put_all({i: i for i in range(1000)})
        outcomes = []
        for attempt in range(5):
            seen = []
            cursor = await cache.scan(page_size=5)
            try:
                while True:
                    try:
                        key, _ = await asyncio.wait_for(cursor.__anext__(),
                                                        random.choice((0.0002, 0.001)))
                    except asyncio.TimeoutError:
                        continue  # retry the same cursor
                    except StopAsyncIteration:
                        break
                    seen.append(key)
                assert sorted(seen) == list(range(1000))
                outcomes.append('whole')
            except CursorError:
                outcomes.append('broken')
                # and it stays broken: no later call ends the iteration quietly
                with pytest.raises(CursorError):
                    await cursor.__anext__()
            await cursor.close()
        assert len(outcomes) == 5
        # the connection is fine after it all
        assert await cache.get(999) == 999


async def test_async_page_given_up_on_breaks_the_cursor(proxy, ignite_node, made_cache):
    before = open_server_cursors(ignite_node)
    client = AioClient(partition_aware=False)
    async with client.connect(proxy.host, proxy.port):
        cache = await client.get_cache(made_cache)
        await cache.put_all({i: i for i in range(50)})
        cursor = await cache.scan(page_size=5)
        first = [await cursor.__anext__() for _ in range(5)]
        proxy.tamper_all(delayed_replies_to(proxy, OP_QUERY_SCAN_CURSOR_GET_PAGE, 0.2))
        # page 2 was asked for ahead, maybe before the proxy held replies back: at most
        # its rows come before the wait that gives up
        with pytest.raises(asyncio.TimeoutError):
            for _ in range(6):
                first.append(await asyncio.wait_for(cursor.__anext__(), 0.05))
        for _ in range(3):
            with pytest.raises(CursorError) as raised:
                await cursor.__anext__()
            assert isinstance(raised.value.__cause__, asyncio.CancelledError)
        assert len(first) in (5, 10)
        assert sorted(k for k, _ in first) == sorted(set(k for k, _ in first))
        # the page's late reply closes the cursor on the node
        assert await async_wait_until(lambda: cursor.cursor_id in closed_ids(proxy))
        proxy.tamper_all(None)
        assert await async_server_cursors(ignite_node, before) <= before
        assert len([e async for e in await cache.scan(page_size=7)]) == 50


def test_sync_page_answered_late_breaks_the_cursor(proxy, ignite_node, made_cache):
    """Page 2 comes after its ``timeout``: ``next()`` raises the timeout, and every call
    after it CursorError; the cursor never goes on with page 3."""
    before = open_server_cursors(ignite_node)
    client = Client(partition_aware=False, timeout=0.5)
    stop = threading.Event()
    with client.connect(proxy.host, proxy.port):
        cache = client.get_cache(made_cache)
        cache.put_all({i: i for i in range(30)})
        cursor = cache.scan(page_size=10)
        page_one = [next(cursor) for _ in range(10)]

        def traffic():
            while not stop.is_set():
                cache.get(1)

        worker = threading.Thread(target=traffic, daemon=True)
        worker.start()
        proxy.tamper_all(delayed_replies_to(proxy, OP_QUERY_SCAN_CURSOR_GET_PAGE, 1.0))
        try:
            # page 2 was asked for ahead, maybe before the proxy held replies back: at
            # most its rows come before the timeout
            with pytest.raises(socket.timeout):
                for _ in range(11):
                    page_one.append(next(cursor))
            for _ in range(3):
                with pytest.raises(CursorError) as raised:
                    next(cursor)
                assert isinstance(raised.value.__cause__, socket.timeout)
            assert wait_until(lambda: cursor.cursor_id in closed_ids(proxy))
        finally:
            stop.set()
            worker.join()
        assert len(page_one) in (10, 20)
        assert len({k for k, _ in page_one}) == len(page_one)
        proxy.tamper_all(None)
        assert wait_for_server_cursors(ignite_node, before) <= before
        assert len(list(cache.scan(page_size=4))) == 30


# --- the per-call timeout never swallows a cancellation ----------------------------------


async def test_cancels_during_get_with_a_call_timeout_are_all_honoured(ignite_node, made_cache):
    client = AioClient()
    async with client.connect(ignite_node.host, ignite_node.port):
        cache = await client.get_cache(made_cache)
        await cache.put('k', 'v')
        loop = asyncio.get_running_loop()
        honoured = finished = 0
        for _ in range(4000):
            task = loop.create_task(cache.get('k', timeout=5))
            for _ in range(random.randint(0, 12)):  # around the reply's arrival
                await asyncio.sleep(0)
            if task.cancel():
                # asked before the task ended: it must end cancelled, never with the
                # value (and a caller awaiting it must not hang)
                try:
                    value = await asyncio.wait_for(asyncio.shield(task), 5)
                except asyncio.CancelledError:
                    honoured += 1
                    continue
                pytest.fail('a cancel was swallowed: the task returned {!r}'.format(value))
            assert task.result() == 'v'
            finished += 1
        assert honoured + finished == 4000 and honoured > 100
        # the connection is still in step
        assert await cache.get('k', timeout=5) == 'v'


async def test_call_timeout_gives_up_without_closing_the_connection(proxy, ignite_node, made_cache):
    client = AioClient(partition_aware=False)
    async with client.connect(proxy.host, proxy.port):
        cache = await client.get_cache(made_cache)
        await cache.put('k', 'v')
        conn = client._session.current
        proxy.tamper_next(delayed_replies_to(proxy, 1000, 0.5))  # OP_CACHE_GET
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError) as raised:
            await cache.get('k', timeout=0.1)
        assert isinstance(raised.value, OSError)
        assert 'within 0.1s' in str(raised.value)
        assert time.monotonic() - started < 0.45
        assert conn.alive and client._session.current is conn
        assert await cache.get('k', timeout=2) == 'v'
