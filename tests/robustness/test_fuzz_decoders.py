"""Fuzzing the decoders with random and mutated bytes (hypothesis).

Every input must end in a value or a documented exception (:class:`ParseError` and its
subclasses, such as ``MissingBinaryType``), never in a hang, a ``MemoryError``, a
``RecursionError`` or any other exception type.

Inputs are random bytes, and valid encodings (of scalars, arrays, nested collections, maps,
complex objects) mutated: bytes flipped, cut, inserted, and 32-bit fields overwritten with
absurd lengths. Each hypothesis example carries a batch of 100 inputs: 10 drawn by
hypothesis (and shrunk by it on failure), 90 made the same ways from a seed it draws. The
total number of inputs is ``PYIGNITE_FUZZ_EXAMPLES`` (100 000 by default, about 10 s of
work), shared between the decoders. A longer run:
``PYIGNITE_FUZZ_EXAMPLES=1000000 pytest tests/robustness -k fuzz``.
"""
import os
import random
import signal
import struct
import sys
import threading
import tracemalloc
from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import decoder as _decoder, encoder as _encoder
from pyignite._protocol import wire as P
from pyignite._codec.registry import BinaryRegistry
from pyignite.datatypes import (
    CharArrayObject, CollectionObject, IntArrayObject, IntObject, MapObject, ObjectArrayObject,
    ShortArrayObject, String, TimeObject,
)
from pyignite.exceptions import ParseError

hypothesis = pytest.importorskip('hypothesis')
st = pytest.importorskip('hypothesis.strategies')

TOTAL_INPUTS = int(os.environ.get('PYIGNITE_FUZZ_EXAMPLES', '100000'))
BATCH = 100
DRAWN = 10
# absurd 32-bit values that stand for lengths and counts
ABSURD = (0x7FFFFFFF, -1, -0x80000000, 1 << 30, 0x10000, 7)


class _Hang(BaseException):
    """Raised by the alarm when one batch takes far too long (not caught by decoders)."""


class _HangGuard:
    """Fail instead of hanging: a real-time alarm around each batch (POSIX main thread)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = hasattr(signal, 'setitimer') and \
            threading.current_thread() is threading.main_thread()

    def _fire(self, signum, frame):
        raise _Hang('a batch of decodes took more than {}s'.format(self.seconds))

    def __enter__(self):
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


_POINT_SCHEMA = OrderedDict([('x', IntObject), ('y', IntObject), ('label', String)])
Point = GenericObjectMeta('Point', (), {}, type_name='FuzzPoint', schema=_POINT_SCHEMA)


def _registry() -> BinaryRegistry:
    registry = BinaryRegistry(compact_footer=True)
    registry.class_registered(Point)
    return registry


def _encode(value, hint=None) -> bytes:
    buf = bytearray()
    _encoder.write(buf, value, hint, _registry())
    return bytes(buf)


def _seed_values():
    point = Point(x=1, y=-2, label='p')
    return [
        (None, None), (42, None), (-7, None), (3.5, None), (True, None), ('héllo', None),
        ('', None), (b'\x00\x01\xff', None), (UUID(int=12345), None),
        (datetime(2020, 1, 2, 3, 4, 5), None), (timedelta(seconds=5), TimeObject),
        (Decimal('-12345.678'), None), (Decimal('1E+30'), None), ([1, 2, 3], IntArrayObject),
        ([1, -1], ShortArrayObject), (['a', 'b'], CharArrayObject), ([1.5, 2.5], None),
        (['x', 'y', None], None), ((1, [1, 'two', None]), CollectionObject),
        ((2, OrderedDict([(1, 'a'), ('b', [1, 2])])), MapObject),
        ((1, {'k': (1, [1, {'n': 2}])}), MapObject),
        ((-1, [1, 'x', point]), ObjectArrayObject), (point, None),
        ((1, [point, point]), CollectionObject), ({'a': point, 'b': [point]}, None),
    ]


def _seeds() -> list:
    seeds = []
    for value, hint in _seed_values():
        try:
            seeds.append(_encode(value, hint))
        except Exception:  # a value the encoder of this build cannot write: skip it
            continue
    # nesting deeper than Python's recursion limit
    deep = bytearray()
    for _ in range(3000):
        deep += b'\x18' + struct.pack('<i', 1) + b'\x01'
    deep += b'\x65'
    seeds.append(bytes(deep))
    return seeds


SEEDS = _seeds()


def _mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for kind, where, arg in ops:
        i = where % (len(buf) + 1)
        if kind == 0:  # flip a byte
            if buf:
                buf[i % len(buf)] ^= (arg % 255) + 1
        elif kind == 1:  # cut the tail
            del buf[i:]
        elif kind == 2:  # insert a byte
            buf.insert(i, arg % 256)
        elif kind == 3:  # absurd int32 in place
            buf[i:i + 4] = struct.pack('<i', ABSURD[arg % len(ABSURD)])
        else:  # delete a byte
            del buf[i:i + 1]
    return bytes(buf)


_ops = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 1 << 16), st.integers(0, 255)),
                min_size=1, max_size=4)
_mutated = st.builds(_mutate, st.sampled_from(SEEDS), _ops)
_random = st.binary(max_size=64)
_typed_random = st.builds(lambda code, rest: bytes([code]) + rest,
                          st.integers(0, 255), st.binary(max_size=48))
INPUT = st.one_of(_mutated, _random, _typed_random)


def _derived(seed: int, count: int) -> list:
    """More inputs made the same ways from one hypothesis-drawn seed: cheap volume."""
    rnd = random.Random(seed)
    inputs = []
    for _ in range(count):
        kind = rnd.random()
        if kind < 0.6:
            ops = [(rnd.randrange(5), rnd.randrange(1 << 16), rnd.randrange(256))
                   for _ in range(rnd.randint(1, 4))]
            inputs.append(_mutate(rnd.choice(SEEDS), ops))
        elif kind < 0.8:
            inputs.append(bytes([rnd.randrange(256)]) + rnd.randbytes(rnd.randrange(48)))
        else:
            inputs.append(rnd.randbytes(rnd.randrange(65)))
    return inputs


def _check(decode, batch):
    """Decode each input; anything but a value or a ParseError fails the test."""
    for data in batch:
        try:
            decode(data)
        except ParseError:
            pass
        except Exception as e:
            raise AssertionError('{!r} decoding {!r}'.format(e, data)) from e


def _fuzz(decode, share: float):
    """Run ``decode`` on ``share`` of the total inputs, in batches: hypothesis draws
    ``DRAWN`` inputs (shrunk on failure) and a seed for ``BATCH - DRAWN`` more."""
    examples = max(1, int(TOTAL_INPUTS * share) // BATCH)
    guard = _HangGuard(30.0)
    counted = [0]

    @hypothesis.settings(max_examples=examples, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(st.lists(INPUT, min_size=DRAWN, max_size=DRAWN),
                      st.integers(0, 1 << 32))
    def run(drawn, seed):
        batch = drawn + _derived(seed, BATCH - DRAWN)
        with guard:
            _check(decode, batch)
        counted[0] += len(batch)

    run()
    return counted[0]


# shares of the total; they add up to 1
_SHARES = {'value': 0.4, 'response_header': 0.15, 'handshake': 0.15, 'pages': 0.3}


def test_fuzz_value_decoder():
    registry = _registry()
    n = _fuzz(lambda data: _decoder.read(data, 0, registry), _SHARES['value'])
    assert n >= int(TOTAL_INPUTS * _SHARES['value']) // BATCH * BATCH


def test_fuzz_response_header():
    def decode(data):
        P.parse_response_header(data, True)
        P.parse_response_header(data, False)
    _fuzz(decode, _SHARES['response_header'])


def test_fuzz_handshake_reply():
    def decode(data):
        for version in P.PROTOCOL_VERSIONS[::2]:
            P.parse_handshake_response(data, version)
    _fuzz(decode, _SHARES['handshake'])


def _page_decoders():
    query = pytest.importorskip('pyignite._ops.query')
    registry = _registry()
    decoders = [lambda data: query.read_entry_page(data, 0, registry)]
    for columns in (0, 1, 3):
        reader = query.fields_page_reader(columns)
        decoders.append(lambda data, reader=reader: reader(data, 0, registry))
    return decoders


def test_fuzz_cursor_pages():
    decoders = _page_decoders()

    def decode(data):
        for decoder in decoders:
            try:
                decoder(data)
            except ParseError:
                pass
    _fuzz(decode, _SHARES['pages'])


def test_deep_nesting_is_a_parse_error_at_any_recursion_limit():
    deep = SEEDS[-1]
    old = sys.getrecursionlimit()
    try:
        for limit in (200, 1000, 5000):
            sys.setrecursionlimit(limit)
            with pytest.raises(ParseError):
                _decoder.read(deep, 0, _registry())
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize('absurd', ABSURD[:4])
def test_absurd_lengths_allocate_nothing_near_the_claim(absurd):
    """Every 4-byte field of every seed set to an absurd length: small peak memory."""
    registry = _registry()
    tracemalloc.start()
    try:
        for seed in SEEDS[:-1]:
            for i in range(len(seed)):
                data = seed[:i] + struct.pack('<i', absurd) + seed[i + 4:]
                tracemalloc.reset_peak()
                try:
                    _decoder.read(data, 0, registry)
                except ParseError:
                    pass
                peak = tracemalloc.get_traced_memory()[1]
                assert peak < (1 << 20) + 64 * len(data), (seed, i, peak)
    finally:
        tracemalloc.stop()


def test_big_decimals_decode_exactly_and_huge_ones_are_refused():
    digits = '9' * 3000  # more digits than Python turns an int into a str by default
    value = Decimal('-' + digits + 'E-7')
    magnitude = int(digits).to_bytes((int(digits).bit_length() + 8) // 8, 'big')
    data = b'\x1e' + struct.pack('<ii', 7, len(magnitude)) + \
        bytes([magnitude[0] | 0x80]) + magnitude[1:]
    assert _decoder.read(data, 0, None) == (value, len(data))
    huge = b'\x1e' + struct.pack('<ii', 0, 1 << 16) + b'\x01' * (1 << 16)
    with pytest.raises(ParseError):
        _decoder.read(huge, 0, None)
    empty = b'\x1e' + struct.pack('<ii', -2 ** 31, 0)
    assert _decoder.read(empty, 0, None)[0] == 0


def _handle_bomb(depth: int) -> bytes:
    """A collection of ``depth + 1`` collections, each holding two back-references to the
    one before: decoded naively, the last one costs 2**depth."""
    buf = bytearray(b'\x18' + struct.pack('<i', depth + 1) + b'\x01')
    previous = len(buf)
    buf += b'\x18' + struct.pack('<i', 2) + b'\x01'
    buf += b'\x03' + struct.pack('<i', 1) + b'\x03' + struct.pack('<i', 2)
    for _ in range(depth):
        start = len(buf)
        buf += b'\x18' + struct.pack('<i', 2) + b'\x01'
        for _ in range(2):
            buf += b'\x66' + struct.pack('<i', len(buf) - previous)
        previous = start
    return bytes(buf)


def test_nested_back_references_are_not_decoded_again_and_again():
    with _HangGuard(20.0):
        levels = _decoder.read(_handle_bomb(64), 0, _registry())[0][1]
    assert len(levels) == 65
    assert levels[0] == (1, [1, 2])
    assert levels[2] == (1, [(1, [levels[0]] * 2)] * 2)
