"""AtomicLong operations (9000-9007): a distributed 64-bit counter, found by name and
cache group."""
from typing import TYPE_CHECKING, Any, Optional

from .._codec import structs as S
from .._codec.encoder import write_string
from .._protocol.opcodes import (
    OP_ATOMIC_LONG_CREATE, OP_ATOMIC_LONG_EXISTS, OP_ATOMIC_LONG_REMOVE,
    OP_ATOMIC_LONG_VALUE_ADD_AND_GET, OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET,
    OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET, OP_ATOMIC_LONG_VALUE_GET,
    OP_ATOMIC_LONG_VALUE_GET_AND_SET,
)
from .._protocol.request import Request
from ..datatypes.structures import AtomicConfiguration
from ..exceptions import CacheError, ParameterError
from .common import Operation
from .structures import send, write_name

if TYPE_CHECKING:
    from .common import Session

__all__ = ['get_or_create', 'make', 'exists', 'remove', 'get', 'add_and_get', 'get_and_set',
           'compare_and_set', 'compare_and_set_and_get', 'check_long']

_WHAT = 'AtomicLong'
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


def check_long(name: str, value: Any) -> int:
    """A Java long given by the user.

    :raises ParameterError: not an int in the signed 64-bit range.
    """
    if isinstance(value, bool) or not isinstance(value, int) or \
            not _LONG_MIN <= value <= _LONG_MAX:
        raise ParameterError('{} must be an int in the signed 64-bit range, not {!r}'.format(
            name, value))
    return value


def _request(op_code: int, name: str, group: Optional[str], *longs: int) -> Request:
    req = Request(op_code, CacheError)
    buf = req.buf
    write_name(buf, name)
    write_string(buf, group)
    for value in longs:
        buf += S.LONG.pack(value)
    return req


def _long(session: 'Session', req: Request) -> Operation:
    resp = yield from send(session, req, _WHAT)
    value: int = S.LONG.unpack_from(resp.data, resp.pos)[0]
    return value


def _bool(session: 'Session', req: Request) -> Operation:
    resp = yield from send(session, req, _WHAT)
    return resp.data[resp.pos] != 0


def make(session: 'Session', name: str, initial: int,
         config: Optional[AtomicConfiguration]) -> Operation:
    """Get or create the AtomicLong ``name`` (``initial`` is its value if it is created)."""
    if config is not None and not isinstance(config, AtomicConfiguration):
        raise ParameterError('config must be an AtomicConfiguration or None')
    req = Request(OP_ATOMIC_LONG_CREATE, CacheError)
    buf = req.buf
    write_name(buf, name)
    buf += S.LONG.pack(check_long('initial', initial))
    if config is None:
        buf.append(0)
    else:
        buf.append(1)
        buf += S.INT.pack(config.reserve_size)
        buf.append(config.cache_mode)
        buf += S.INT.pack(config.backups)
        write_string(buf, config.group_name)
    yield from send(session, req, _WHAT)


def exists(session: 'Session', name: str, group: Optional[str]) -> Operation:
    """Whether the AtomicLong exists (False once removed)."""
    return (yield from _bool(session, _request(OP_ATOMIC_LONG_EXISTS, name, group)))


def remove(session: 'Session', name: str, group: Optional[str]) -> Operation:
    """Remove the AtomicLong (removing a missing one does nothing)."""
    yield from send(session, _request(OP_ATOMIC_LONG_REMOVE, name, group), _WHAT)


def get(session: 'Session', name: str, group: Optional[str]) -> Operation:
    return (yield from _long(session, _request(OP_ATOMIC_LONG_VALUE_GET, name, group)))


def add_and_get(session: 'Session', name: str, group: Optional[str], delta: int) -> Operation:
    """Add ``delta``; return the new value."""
    return (yield from _long(session, _request(OP_ATOMIC_LONG_VALUE_ADD_AND_GET, name, group,
                                               check_long('delta', delta))))


def get_and_set(session: 'Session', name: str, group: Optional[str], value: int) -> Operation:
    """Set ``value``; return the value before."""
    return (yield from _long(session, _request(OP_ATOMIC_LONG_VALUE_GET_AND_SET, name, group,
                                               check_long('value', value))))


def compare_and_set(session: 'Session', name: str, group: Optional[str], expected: int,
                    value: int) -> Operation:
    """Set ``value`` if the value is ``expected``; return whether it was."""
    return (yield from _bool(session, _request(
        OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET, name, group, check_long('expected', expected),
        check_long('value', value))))


def compare_and_set_and_get(session: 'Session', name: str, group: Optional[str],
                            expected: int, value: int) -> Operation:
    """Set ``value`` if the value is ``expected``; return the value before (equal to
    ``expected`` when it was set)."""
    return (yield from _long(session, _request(
        OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET, name, group,
        check_long('expected', expected), check_long('value', value))))


def get_or_create(session: 'Session', name: str, initial: int, create: bool,
                  config: Optional[AtomicConfiguration]) -> Operation:
    """Get (and with ``create``, create if missing) the AtomicLong; return whether it
    exists."""
    if create:
        yield from make(session, name, initial, config)
        return True
    group = config.group_name if config is not None else None
    return (yield from exists(session, name, group))
