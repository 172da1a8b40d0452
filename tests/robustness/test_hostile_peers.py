"""A node that sends broken or hostile bytes (through a fault-injecting proxy).

Every case must end quickly in a documented error: :class:`ParseError` for bytes that make
no sense, an :class:`OSError` (``ConnectionError``, ``socket.timeout``) for a broken
connection, :class:`HandshakeError` for a broken handshake. Nothing near a claimed size is
allocated, and the same :class:`Client` keeps working against the real node: after a
broken frame it reconnects (to the next node of its list, the real one) on the next call;
after a bad payload inside a well-formed frame the connection stays up.

The tests that take ``setup`` or ``connect`` run with both clients, ``[sync]`` and
``[async]`` (tests/_dual_mode.py); the async client may also report a broken frame as the
:class:`OSError` of the lost connection.
"""
import socket
import struct
import time
import tracemalloc

import pytest

from pyignite import Client
from pyignite.exceptions import HandshakeError, ParseError, ReconnectError

from .doubles import client_via, current_port, elapsed, frame

_I = struct.Struct('<i')
# the peak of Python allocations allowed around one bad reply
_SMALL = 8 << 20


def _reply(body: bytes, payload: bytes, flags: int = 0) -> bytes:
    """A reply to the same request with its own flags and payload."""
    return body[:8] + struct.pack('<h', flags) + payload


def _nested(depth: int) -> bytes:
    """A collection holding a collection ... ``depth`` levels deep."""
    return b''.join(b'\x18' + _I.pack(1) + b'\x01' for _ in range(depth)) + b'\x65'


@pytest.fixture
def setup(connect, proxy, ignite_node, cache_name):
    """``(proxy, client, cache)``: a client of the API under test whose first node is the
    proxy and whose second is the real node (as :func:`.doubles.client_via`)."""
    client = connect.new(partition_aware=False, timeout=10, handshake_timeout=10)
    client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)])
    cache = client.get_or_create_cache(cache_name)
    cache.put('k', 'v')
    yield proxy, client, cache
    proxy.reset()
    try:
        client.get_cache(cache_name).destroy()
    finally:
        client.close()


def _expect(client, cache, error, hook, proxy):
    """Tamper with the next reply, check ``cache.get`` fails with ``error``; return
    (seconds taken, peak bytes allocated)."""
    proxy.tamper_next(hook)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(error):
            cache.get('k')
        took = elapsed(start)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return took, peak


# --- broken frames: the connection is dropped, the next call goes to the real node ----

FRAME_CASES = {
    'absurd length 2 GiB': (lambda body: (_I.pack(0x7FFFFFFF) + body, False), ParseError),
    'negative length': (lambda body: (_I.pack(-5) + body, False), ParseError),
    'length -2 GiB': (lambda body: (_I.pack(-0x80000000) + body, False), ParseError),
    'zero length': (lambda body: (_I.pack(0) + body, False), ParseError),
    'length 1 GiB then close': (lambda body: (_I.pack(1 << 30) + body, True), ConnectionError),
    'truncated then close': (lambda body: (frame(body)[:len(body) // 2], True), ConnectionError),
    'close mid length': (lambda body: (frame(body)[:3], True), ConnectionError),
    'close before reply': (lambda body: (b'', True), ConnectionError),
    'too short for a header': (lambda body: (frame(body[:8]), False), ParseError),
    'error message of absurd length': (
        lambda body: (frame(_reply(body, _I.pack(1) + b'\x09' + _I.pack(1 << 30) + b'x',
                                   flags=1)), False), ParseError),
    'error message not a string': (
        lambda body: (frame(_reply(body, _I.pack(1) + b'\x03' + _I.pack(7), flags=1)), False),
        ParseError),
    'topology flag without topology': (lambda body: (frame(_reply(body, b'', flags=2)), False),
                                       ParseError),
}


@pytest.mark.parametrize('case', sorted(FRAME_CASES))
def test_broken_frame_then_failover_to_the_real_node(api, setup, ignite_node, case):
    proxy, client, cache = setup
    hook, error = FRAME_CASES[case]
    if api == 'async':
        error = (error, OSError)
    took, peak = _expect(client, cache, error, hook, proxy)
    assert took < 5, 'the error must come at once, not at a timeout'
    assert peak < _SMALL
    # the next call reconnects to the real node and finds the data intact
    assert cache.get('k') == 'v'
    assert current_port(client) == ignite_node.port
    cache.put('k2', 'v2')
    assert cache.get('k2') == 'v2'


def test_length_of_1_gib_then_silence_times_out_without_allocating(proxy, ignite_node,
                                                                   made_cache):
    client = client_via(proxy, ignite_node, timeout=1.0)
    try:
        cache = client.get_cache(made_cache)
        cache.put('k', 'v')
        took, peak = _expect(client, cache, socket.timeout,
                             lambda body: (_I.pack(1 << 30) + body, False), proxy)
        assert took < 6
        assert peak < _SMALL
        # stuck in the middle of a frame: the connection is dropped, the real node serves
        assert cache.get('k') == 'v'
        assert current_port(client) == ignite_node.port
    finally:
        client.close()


# --- bad payloads in good frames: ParseError, and the connection stays usable ----------

PAYLOAD_CASES = {
    'unknown type code': b'\xee',
    'unknown type code 0': b'\x00\x01',
    'deep nesting': _nested(100000),
    'byte array claims 1 GiB': b'\x0c' + _I.pack(1 << 30) + b'abc',
    'string claims 2 GiB': b'\x09' + _I.pack(0x7FFFFFFF) + b'abc',
    'negative count': b'\x18' + _I.pack(-1) + b'\x01',
    'int array claims 2**28 items': b'\x0e' + _I.pack(1 << 28),
    'map claims 1 GiB entries': b'\x19' + _I.pack(1 << 30) + b'\x01' + b'\x03' * 10,
    'truncated int': b'\x03\x01',
    'truncated string': b'\x09' + _I.pack(10) + b'abc',
    'date out of range': b'\x0b' + struct.pack('<q', 2 ** 62),
    'time out of range': b'\x24' + struct.pack('<q', -2 ** 63),
    'decimal claims 1 GiB': b'\x1e' + _I.pack(0) + _I.pack(1 << 30) + b'\x05',
    'empty payload': b'',
}


@pytest.mark.parametrize('case', sorted(PAYLOAD_CASES))
def test_bad_payload_is_a_parse_error_and_the_connection_stays(api, setup, proxy, case):
    _, client, cache = setup
    payload = PAYLOAD_CASES[case]
    connections = proxy.connections
    took, peak = _expect(client, cache, ParseError,
                         lambda body: (frame(_reply(body, payload)), False), proxy)
    assert took < 5
    # the sync client's reads may hold the payload a few times over; the async one's not
    assert peak < (_SMALL + 2 * len(payload) * 8 if api == 'sync' else _SMALL)
    assert cache.get('k') == 'v'
    assert current_port(client) == proxy.port
    assert proxy.connections == connections


def test_reply_for_another_request_id_is_dropped(proxy, ignite_node, made_cache):
    client = client_via(proxy, ignite_node, timeout=1.0)
    try:
        cache = client.get_cache(made_cache)
        cache.put('k', 'v')
        stray = lambda body: (frame(struct.pack('<q', 1 << 40) + body[8:]), False)  # noqa
        took, _ = _expect(client, cache, socket.timeout, stray, proxy)
        assert took < 6
        # a whole frame came (the stray one): the node is alive, the connection stays
        assert cache.get('k') == 'v'
        assert current_port(client) == proxy.port
    finally:
        client.close()


def test_notification_frames_are_not_taken_for_replies(setup, proxy):
    _, client, cache = setup
    # a push with the same id as the request, then the real reply
    proxy.tamper_next(lambda body: (frame(body[:8] + struct.pack('<h', 4) + b'\x00\x00junk')
                                    + frame(body), False))
    assert cache.get('k') == 'v'
    assert current_port(client) == proxy.port


# --- broken handshakes ----------------------------------------------------------------

HANDSHAKE_CASES = {
    'garbage': lambda body: (frame(b'\x07garbage'), False),
    'absurd length': lambda body: (_I.pack(0x7FFFFFFF), False),
    'zero length': lambda body: (_I.pack(0), False),
    'not an ignite server': lambda body: (b'HTTP/1.1 400 Bad Request\r\n\r\n', True),
    'truncated feature array': lambda body: (frame(b'\x01\x0c' + _I.pack(1 << 30)), False),
    'failure with a bad message': lambda body: (frame(b'\x00\x01\x00\x07\x00\x00\x00\x09'
                                                      + _I.pack(99)), False),
}


@pytest.mark.parametrize('case', sorted(HANDSHAKE_CASES))
def test_broken_handshake_is_a_handshake_error(connect, proxy, ignite_node, case):
    proxy.tamper_handshake(HANDSHAKE_CASES[case])
    client = connect.new(handshake_timeout=10)
    start = time.monotonic()
    with pytest.raises(HandshakeError) as info:
        client.connect(proxy.host, proxy.port)
    assert elapsed(start) < 5
    assert isinstance(info.value.__cause__, ParseError)
    # the same client object connects to a real node afterwards
    with client.connect(ignite_node.host, ignite_node.port):
        assert isinstance(client.get_cache_names(), list)


def test_broken_handshake_node_is_skipped_for_the_next_one(proxy, ignite_node):
    proxy.tamper_handshake(HANDSHAKE_CASES['garbage'])
    client = Client(partition_aware=False)
    with client.connect([(proxy.host, proxy.port), (ignite_node.host, ignite_node.port)]):
        assert current_port(client) == ignite_node.port
        assert isinstance(client.get_cache_names(), list)


def test_connection_closed_during_handshake(proxy, ignite_node):
    proxy.tamper_handshake(lambda body: (b'', True))
    client = Client()
    with pytest.raises(ReconnectError) as info:
        client.connect(proxy.host, proxy.port)
    assert isinstance(info.value.__cause__, ConnectionError)
