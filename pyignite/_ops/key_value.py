"""Key-value operations of a cache (those on many keys are in :mod:`.multi_key`)."""
from struct import error as StructError
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Tuple, Union

from .._codec import structs as S
from ..datatypes.type_codes import TC_LONG
from .._codec.decoder import Data, Reader, read, read_bool, read_long
from .._codec.encoder import _BY_PYTYPE, write, write_str
from .._protocol.opcodes import (
    OP_CACHE_CLEAR, OP_CACHE_CLEAR_KEY, OP_CACHE_CONTAINS_KEY, OP_CACHE_GET,
    OP_CACHE_GET_AND_PUT, OP_CACHE_GET_AND_PUT_IF_ABSENT, OP_CACHE_GET_AND_REMOVE,
    OP_CACHE_GET_AND_REPLACE, OP_CACHE_GET_SIZE, OP_CACHE_LOCAL_PEEK, OP_CACHE_PUT,
    OP_CACHE_PUT_IF_ABSENT, OP_CACHE_REMOVE_ALL, OP_CACHE_REMOVE_IF_EQUALS, OP_CACHE_REMOVE_KEY,
    OP_CACHE_REPLACE, OP_CACHE_REPLACE_IF_EQUALS,
)
from .._protocol.request import Request, cache_request
from ..datatypes.base import Hint
from ..datatypes.key_value import PeekModes
from ..exceptions import ParameterError, ParseError
from .exchange import Call
from .query import read_values

if TYPE_CHECKING:
    from .common import Session
    from .common import CacheRef

# how to read a reply's payload: a reader ``(data, pos, ctx) -> (value, next_pos)``, or
# NOTHING for a payload that holds nothing
NOTHING = None
VALUE = read
BOOL = read_bool
LONG = read_long


def key_op(session: 'Session', cache: 'CacheRef', op_code: int, reader: Optional[Reader], key: Any,
           key_hint: Optional[Hint] = None, *values: Tuple[Any, Optional[Hint]]) -> Call:
    """An operation on one key, followed by zero or more ``(value, hint)`` pairs."""
    req = cache_request(op_code, cache)
    buf = req.buf
    ctx = session.binary
    req.key_pos = len(buf)
    write(buf, key, key_hint, ctx)
    for value, hint in values:
        write(buf, value, hint, ctx)
    return Call(req, reader)


def cache_op(session: 'Session', cache: 'CacheRef', op_code: int,
             reader: Optional[Reader] = NOTHING) -> Call:
    """An operation on the whole cache, with no payload."""
    return Call(cache_request(op_code, cache, tx_aware=False), reader)


# get and put are the busiest operations: their requests are written out without the
# generic layers, and their calls made without running Call.__init__
_new_call = object.__new__
# a plain int key (not a bool) is written as a long
_pack_long = S.TC_LONG.pack


def _key_request(op_code: int, cache: 'CacheRef', key: Any, key_hint: Optional[Hint],
                 ctx: Any) -> Request:
    """The request of get or put, up to its key: a plain int key (not a bool) is packed
    inline, other plain-typed keys written by their writer directly."""
    req = cache_request(op_code, cache)
    buf = req.buf
    req.key_pos = len(buf)
    if key_hint is None:
        cls = key.__class__
        if cls is int:
            try:
                buf += _pack_long(TC_LONG, key)
                return req
            except StructError:
                pass  # out of range: the writer below raises its error
        writer = _BY_PYTYPE.get(cls)
        if writer is not None:
            writer(buf, key, ctx)
            return req
    write(buf, key, key_hint, ctx)
    return req


def get(session: 'Session', cache: 'CacheRef', key: Any, key_hint: Optional[Hint] = None) -> Call:
    call: Call = _new_call(Call)
    call.req = _key_request(OP_CACHE_GET, cache, key, key_hint, session.binary)
    call.reader = VALUE
    call.op = None
    return call


def put(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
        key_hint: Optional[Hint] = None, value_hint: Optional[Hint] = None) -> Call:
    ctx = session.binary
    req = _key_request(OP_CACHE_PUT, cache, key, key_hint, ctx)
    buf = req.buf
    # the writers of plain-typed values are called directly, skipping write()'s dispatch
    # (a str, the usual value, even without looking its writer up)
    if value_hint is None:
        cls = value.__class__
        writer = write_str if cls is str else _BY_PYTYPE.get(cls)
    else:
        writer = None
    if writer is None:
        write(buf, value, value_hint, ctx)
    else:
        writer(buf, value, ctx)
    call: Call = _new_call(Call)
    call.req = req
    call.reader = NOTHING
    call.op = None
    return call


def read_pairs(data: Data, pos: int, ctx: Any) -> Tuple[Dict[Any, Any], int]:
    """The payload of a get_all reply: a dict of the keys found and their values."""
    count = S.INT.unpack_from(data, pos)[0]
    if count < 0:
        raise ParseError('malformed reply: {} key-value pairs'.format(count))
    values, pos = read_values(data, pos + 4, 2 * count, ctx)
    return dict(zip(values[0::2], values[1::2])), pos


def get_size(session: 'Session', cache: 'CacheRef',
             peek_modes: Union[int, Iterable[int], None] = None) -> Call:
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
    return Call(req, LONG)


def clear(session: 'Session', cache: 'CacheRef') -> Call:
    """Clear the whole cache (keys are cleared by :func:`.multi_key.clear_keys`)."""
    return cache_op(session, cache, OP_CACHE_CLEAR)


def clear_key(session: 'Session', cache: 'CacheRef', key: Any,
              key_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_CLEAR_KEY, NOTHING, key, key_hint)


def contains_key(session: 'Session', cache: 'CacheRef', key: Any,
                 key_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_CONTAINS_KEY, BOOL, key, key_hint)


def get_and_put(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
                key_hint: Optional[Hint] = None, value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_GET_AND_PUT, VALUE, key, key_hint,
                  (value, value_hint))


def get_and_put_if_absent(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
                          key_hint: Optional[Hint] = None,
                          value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_GET_AND_PUT_IF_ABSENT, VALUE, key, key_hint,
                  (value, value_hint))


def put_if_absent(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
                  key_hint: Optional[Hint] = None, value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_PUT_IF_ABSENT, BOOL, key, key_hint,
                  (value, value_hint))


def get_and_remove(session: 'Session', cache: 'CacheRef', key: Any,
                   key_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_GET_AND_REMOVE, VALUE, key, key_hint)


def get_and_replace(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
                    key_hint: Optional[Hint] = None, value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_GET_AND_REPLACE, VALUE, key, key_hint,
                  (value, value_hint))


def replace(session: 'Session', cache: 'CacheRef', key: Any, value: Any,
            key_hint: Optional[Hint] = None, value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_REPLACE, BOOL, key, key_hint, (value, value_hint))


def replace_if_equals(session: 'Session', cache: 'CacheRef', key: Any, sample: Any, value: Any,
                      key_hint: Optional[Hint] = None, sample_hint: Optional[Hint] = None,
                      value_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_REPLACE_IF_EQUALS, BOOL, key, key_hint,
                  (sample, sample_hint), (value, value_hint))


def remove_key(session: 'Session', cache: 'CacheRef', key: Any,
               key_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_REMOVE_KEY, BOOL, key, key_hint)


def remove_if_equals(session: 'Session', cache: 'CacheRef', key: Any, sample: Any,
                     key_hint: Optional[Hint] = None, sample_hint: Optional[Hint] = None) -> Call:
    return key_op(session, cache, OP_CACHE_REMOVE_IF_EQUALS, BOOL, key, key_hint,
                  (sample, sample_hint))


def remove_all(session: 'Session', cache: 'CacheRef') -> Call:
    return cache_op(session, cache, OP_CACHE_REMOVE_ALL)


def local_peek(session: 'Session', cache: 'CacheRef', key: Any,
               key_hint: Optional[Hint] = None) -> Call:
    """Peek at the value held by the node the request lands on (for tests and tools)."""
    return key_op(session, cache, OP_CACHE_LOCAL_PEEK, VALUE, key, key_hint)
