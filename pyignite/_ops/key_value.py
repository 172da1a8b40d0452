"""Key-value operations of a cache."""
from .. import _structs as S
from .._decoder import read, read_bool, read_long
from .._encoder import _BY_PYTYPE, write
from .._opcodes import (
    OP_CACHE_CLEAR, OP_CACHE_CLEAR_KEY, OP_CACHE_CLEAR_KEYS, OP_CACHE_CONTAINS_KEY,
    OP_CACHE_CONTAINS_KEYS, OP_CACHE_GET, OP_CACHE_GET_ALL, OP_CACHE_GET_AND_PUT,
    OP_CACHE_GET_AND_PUT_IF_ABSENT, OP_CACHE_GET_AND_REMOVE, OP_CACHE_GET_AND_REPLACE,
    OP_CACHE_GET_SIZE, OP_CACHE_LOCAL_PEEK, OP_CACHE_PUT, OP_CACHE_PUT_ALL,
    OP_CACHE_PUT_IF_ABSENT, OP_CACHE_REMOVE_ALL, OP_CACHE_REMOVE_IF_EQUALS,
    OP_CACHE_REMOVE_KEY, OP_CACHE_REMOVE_KEYS, OP_CACHE_REPLACE, OP_CACHE_REPLACE_IF_EQUALS,
)
from .._registry import MissingBinaryType
from .._request import cache_request
from ..datatypes.key_value import PeekModes
from ..exceptions import ParameterError, ParseError
from .common import needs_prepare, prepare, read_fetching_types
from .query import read_values

# how to read a reply's payload: a reader ``(data, pos, ctx) -> (value, next_pos)``, or
# NOTHING for a payload that holds nothing
NOTHING = None
VALUE = read
BOOL = read_bool
LONG = read_long


def finish(client, req, reader):
    """Send ``req`` and decode its reply's payload with ``reader``."""
    if needs_prepare(client, req):
        yield from prepare(client, req)
    resp = yield req
    if reader is None:
        return None
    try:
        return reader(resp.data, resp.pos, client._binary)[0]
    except MissingBinaryType:
        return (yield from read_fetching_types(client, reader, resp.data, resp.pos))[0]


class Call:
    """A one-request operation: ``req`` and the ``reader`` of its reply (see :func:`finish`).

    It behaves as the generator ``finish(client, req, reader)`` (``send``, ``throw``,
    ``close``), so every driver runs it; the sync client sends it without the generator
    (``Client._call``).
    """

    __slots__ = ('client', 'req', 'reader', '_steps')

    def __init__(self, client, req, reader):
        self.client = client
        self.req = req
        self.reader = reader
        self._steps = None

    def _generator(self):
        steps = self._steps
        if steps is None:
            steps = self._steps = finish(self.client, self.req, self.reader)
        return steps

    def __iter__(self):
        return self._generator()

    def send(self, value):
        return self._generator().send(value)

    def throw(self, error):
        return self._generator().throw(error)

    def close(self) -> None:
        if self._steps is not None:
            self._steps.close()


def key_op(client, cache, op_code: int, reader, key, key_hint=None, *values):
    """An operation on one key, followed by zero or more ``(value, hint)`` pairs."""
    req = cache_request(op_code, cache)
    buf = req.buf
    ctx = client._binary
    req.key_pos = len(buf)
    write(buf, key, key_hint, ctx)
    for value, hint in values:
        write(buf, value, hint, ctx)
    return Call(client, req, reader)


def _write_keys(buf, keys, ctx):
    keys = list(keys)
    buf += S.INT.pack(len(keys))
    for key in keys:
        write(buf, key, None, ctx)


def keys_op(client, cache, op_code: int, reader, keys):
    """An operation on a list of keys, each maybe a ``(key, hint)`` tuple."""
    req = cache_request(op_code, cache)
    _write_keys(req.buf, keys, client._binary)
    return Call(client, req, reader)


def cache_op(client, cache, op_code: int, reader=NOTHING):
    """An operation on the whole cache, with no payload."""
    return Call(client, cache_request(op_code, cache, tx_aware=False), reader)


# get and put are the busiest operations: their requests are written out without the
# generic layers, and the sync client sends them without a generator (Client._call)


def get_request(client, cache, key, key_hint=None):
    """The request of :func:`get`, ready to send."""
    req = cache_request(OP_CACHE_GET, cache)
    buf = req.buf
    req.key_pos = len(buf)
    writer = _BY_PYTYPE.get(key.__class__) if key_hint is None else None
    if writer is None:
        write(buf, key, key_hint, client._binary)
    else:
        writer(buf, key, client._binary)
    return req


def put_request(client, cache, key, value, key_hint=None, value_hint=None):
    """The request of :func:`put`, ready to send."""
    req = cache_request(OP_CACHE_PUT, cache)
    buf = req.buf
    ctx = client._binary
    req.key_pos = len(buf)
    # the writers of plain-typed values are called directly, skipping write()'s dispatch
    writer = _BY_PYTYPE.get(key.__class__) if key_hint is None else None
    if writer is None:
        write(buf, key, key_hint, ctx)
    else:
        writer(buf, key, ctx)
    writer = _BY_PYTYPE.get(value.__class__) if value_hint is None else None
    if writer is None:
        write(buf, value, value_hint, ctx)
    else:
        writer(buf, value, ctx)
    return req


def get(client, cache, key, key_hint=None):
    return Call(client, get_request(client, cache, key, key_hint), VALUE)


def put(client, cache, key, value, key_hint=None, value_hint=None):
    return Call(client, put_request(client, cache, key, value, key_hint, value_hint), NOTHING)


def get_all(client, cache, keys):
    """Values of the keys present, as a dict keyed by the bare keys."""
    req = cache_request(OP_CACHE_GET_ALL, cache)
    _write_keys(req.buf, keys, client._binary)
    return Call(client, req, _read_pairs)


def _read_pairs(data, pos, ctx):
    count = S.INT.unpack_from(data, pos)[0]
    if count < 0:
        raise ParseError('malformed reply: {} key-value pairs'.format(count))
    values, pos = read_values(data, pos + 4, 2 * count, ctx)
    return dict(zip(values[0::2], values[1::2])), pos


def put_all(client, cache, pairs):
    """Write a dict of key-value pairs; keys and values may be ``(item, hint)`` tuples."""
    if not hasattr(pairs, 'items'):
        raise ParameterError('put_all takes a dict of key-value pairs')
    req = cache_request(OP_CACHE_PUT_ALL, cache)
    buf = req.buf
    ctx = client._binary
    buf += S.INT.pack(len(pairs))
    for key, value in pairs.items():
        write(buf, key, None, ctx)
        write(buf, value, None, ctx)
    return Call(client, req, NOTHING)


def get_size(client, cache, peek_modes=None):
    if peek_modes is None:
        modes = []
    elif isinstance(peek_modes, (list, tuple, set)):
        modes = list(peek_modes)
    else:
        modes = [peek_modes]
    try:
        modes = [PeekModes(mode) for mode in modes]
    except ValueError as e:
        raise ParameterError('bad peek mode: {}'.format(e)) from None
    req = cache_request(OP_CACHE_GET_SIZE, cache)
    req.buf += S.INT.pack(len(modes)) + bytes(modes)
    return Call(client, req, LONG)


def clear(client, cache, keys=None):
    if keys:
        return keys_op(client, cache, OP_CACHE_CLEAR_KEYS, NOTHING, keys)
    return cache_op(client, cache, OP_CACHE_CLEAR)


def clear_key(client, cache, key, key_hint=None):
    return key_op(client, cache, OP_CACHE_CLEAR_KEY, NOTHING, key, key_hint)


def clear_keys(client, cache, keys):
    return keys_op(client, cache, OP_CACHE_CLEAR_KEYS, NOTHING, keys)


def contains_key(client, cache, key, key_hint=None):
    return key_op(client, cache, OP_CACHE_CONTAINS_KEY, BOOL, key, key_hint)


def contains_keys(client, cache, keys):
    return keys_op(client, cache, OP_CACHE_CONTAINS_KEYS, BOOL, keys)


def get_and_put(client, cache, key, value, key_hint=None, value_hint=None):
    return key_op(client, cache, OP_CACHE_GET_AND_PUT, VALUE, key, key_hint,
                  (value, value_hint))


def get_and_put_if_absent(client, cache, key, value, key_hint=None, value_hint=None):
    return key_op(client, cache, OP_CACHE_GET_AND_PUT_IF_ABSENT, VALUE, key, key_hint,
                  (value, value_hint))


def put_if_absent(client, cache, key, value, key_hint=None, value_hint=None):
    return key_op(client, cache, OP_CACHE_PUT_IF_ABSENT, BOOL, key, key_hint,
                  (value, value_hint))


def get_and_remove(client, cache, key, key_hint=None):
    return key_op(client, cache, OP_CACHE_GET_AND_REMOVE, VALUE, key, key_hint)


def get_and_replace(client, cache, key, value, key_hint=None, value_hint=None):
    return key_op(client, cache, OP_CACHE_GET_AND_REPLACE, VALUE, key, key_hint,
                  (value, value_hint))


def replace(client, cache, key, value, key_hint=None, value_hint=None):
    return key_op(client, cache, OP_CACHE_REPLACE, BOOL, key, key_hint, (value, value_hint))


def replace_if_equals(client, cache, key, sample, value, key_hint=None, sample_hint=None,
                      value_hint=None):
    return key_op(client, cache, OP_CACHE_REPLACE_IF_EQUALS, BOOL, key, key_hint,
                  (sample, sample_hint), (value, value_hint))


def remove_key(client, cache, key, key_hint=None):
    return key_op(client, cache, OP_CACHE_REMOVE_KEY, BOOL, key, key_hint)


def remove_if_equals(client, cache, key, sample, key_hint=None, sample_hint=None):
    return key_op(client, cache, OP_CACHE_REMOVE_IF_EQUALS, BOOL, key, key_hint,
                  (sample, sample_hint))


def remove_keys(client, cache, keys):
    return keys_op(client, cache, OP_CACHE_REMOVE_KEYS, NOTHING, keys)


def remove_all(client, cache):
    return cache_op(client, cache, OP_CACHE_REMOVE_ALL)


def local_peek(client, cache, key, key_hint=None):
    """Peek at the value held by the node the request lands on (for tests and tools)."""
    return key_op(client, cache, OP_CACHE_LOCAL_PEEK, VALUE, key, key_hint)
