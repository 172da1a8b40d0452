"""Entry processors: running a Java ``EntryProcessor`` on cache entries, where they live
(OP_CACHE_INVOKE, OP_CACHE_INVOKE_ALL).

The processor is a complex object whose type name is a Java class on the server's
classpath: the node deserializes it into that class and runs it on the entry atomically.
A single-key invoke goes to the key's primary node under partition awareness.
"""
from typing import TYPE_CHECKING, Any, Dict, Iterable, Sequence, Tuple

from .._codec import structs as S
from .._codec.decoder import Data, read
from .._codec.encoder import write
from .._protocol.opcodes import OP_CACHE_INVOKE, OP_CACHE_INVOKE_ALL
from .._protocol.request import Request, cache_request
from .._protocol.wire import FEATURE_CACHE_INVOKE
from ..binary import GenericObjectMeta
from ..exceptions import EntryProcessorError, ParameterError, ParseError
from .binary_types import PLATFORM_JAVA, decode, register_java_class_name
from .common import Operation
from .features import require
from .prepare import prepare

if TYPE_CHECKING:
    from .common import CacheRef, Session

__all__ = ['invoke', 'invoke_all']

_WHAT = 'entry processors (invoke)'


def _check_processor(processor: Any) -> None:
    if not isinstance(type(processor), GenericObjectMeta):
        raise ParameterError('processor must be a complex object (an instance of a '
                             'GenericObjectMeta class named after a Java EntryProcessor class '
                             'deployed on the server), not {!r}'.format(processor))


def _write_processor(buf: bytearray, processor: Any, args: Sequence[Any], ctx: Any) -> None:
    write(buf, processor, None, ctx)
    buf.append(PLATFORM_JAVA)
    buf += S.INT.pack(len(args))
    for arg in args:
        write(buf, arg, None, ctx)


def _send(session: 'Session', req: Request, processor: Any) -> Operation:
    # the node deserializes the processor into the Java class of its type name
    yield from register_java_class_name(session, processor.__class__)
    if session.needs_prepare(req):
        yield from prepare(session, req)
    return (yield req)


def invoke(session: 'Session', cache: 'CacheRef', key: Any, processor: Any,
           args: Sequence[Any]) -> Operation:
    """Run ``processor`` with ``args`` on the entry ``key``; return what it returns.

    :param key: the key, or a ``(key, hint)`` tuple,
    :raises EntryProcessorError: the processor threw, or the server could not run it,
    :raises NotSupportedByClusterError: the server has no thin-client invoke.
    """
    require(session, FEATURE_CACHE_INVOKE, _WHAT)
    _check_processor(processor)
    req = cache_request(OP_CACHE_INVOKE, cache, EntryProcessorError)
    buf = req.buf
    ctx = session.binary
    req.key_pos = len(buf)
    write(buf, key, None, ctx)
    _write_processor(buf, processor, args, ctx)
    resp = yield from _send(session, req, processor)
    return (yield from decode(session, read, resp.data, resp.pos))


def _read_results(data: Data, pos: int, ctx: Any
                  ) -> Tuple[Tuple[Dict[Any, Any], Dict[Any, str]], int]:
    count = S.INT.unpack_from(data, pos)[0]
    pos += 4
    if not 0 <= count <= len(data) - pos:
        raise ParseError('malformed invoke_all reply: {} results'.format(count))
    results: Dict[Any, Any] = {}
    errors: Dict[Any, str] = {}
    for _ in range(count):
        key, pos = read(data, pos, ctx)
        ok = data[pos]
        pos += 1
        if ok:
            results[key], pos = read(data, pos, ctx)
        else:
            message, pos = read(data, pos, ctx)
            errors[key] = str(message)
    return (results, errors), pos


def invoke_all(session: 'Session', cache: 'CacheRef', keys: Iterable[Any], processor: Any,
               args: Sequence[Any]) -> Operation:
    """Run ``processor`` with ``args`` on each entry of ``keys``.

    :return: ``{key: result}`` for the keys whose processor returned something other than
     null (as the server reports them),
    :raises EntryProcessorError: the processor threw for some keys (its ``errors`` and
     ``results`` say which and what the others returned), or could not run.
    """
    require(session, FEATURE_CACHE_INVOKE, _WHAT)
    _check_processor(processor)
    if isinstance(keys, (str, bytes)) or not hasattr(keys, '__iter__'):
        raise ParameterError('keys must be an iterable of keys, not {!r}'.format(keys))
    keys = list(keys)
    req = cache_request(OP_CACHE_INVOKE_ALL, cache, EntryProcessorError)
    buf = req.buf
    ctx = session.binary
    buf += S.INT.pack(len(keys))
    for key in keys:
        write(buf, key, None, ctx)
    _write_processor(buf, processor, args, ctx)
    resp = yield from _send(session, req, processor)
    results, errors = yield from decode(session, _read_results, resp.data, resp.pos)
    if errors:
        raise EntryProcessorError(
            'the entry processor failed for {} of {} keys: {}'.format(
                len(errors), len(keys), next(iter(errors.values()))),
            None, errors, results)
    return results
