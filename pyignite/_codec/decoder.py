"""The Ignite binary format to Python values.

``read(data, pos, ctx)`` decodes the full value at ``data[pos]`` and returns
``(value, next_pos)``. Dispatch is one index into a 256-slot table by type
code; every reader works on the frame bytes by offset, never slicing just to
read a number.

Back-references (type code 102) are resolved by ``ctx``. A value holding none
is decoded with the registry itself as ``ctx`` and pays nothing for them. When
a back-reference turns up outside any object that keeps a table of decoded
values, ``ctx.read_handle`` raises :class:`NeedsHandleTable`; :func:`read`
(the top-level entry) then decodes the value again with one table shared by
the whole value, so however many back-references point at a value, it is
decoded once for them.
"""
import struct
from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Dict, List, NoReturn, Optional, Tuple, Union
from uuid import UUID

from . import structs as S
from ..datatypes import type_codes as tc
from ..datatypes.java_objects import OptimizedObject, SqlDate, decode_optimized  # noqa: F401
from ..exceptions import ParseError

_EPOCH = datetime(1970, 1, 1)
_MAX_ITEMS = 1 << 31

#: the bytes values are decoded from: a frame, or a view or slice of one
Data = Union[bytes, bytearray, memoryview]
#: a reader: ``(data, pos just after the type code, ctx) -> (value, next pos)``; ``ctx`` is
#: whatever resolves complex objects and back-references (the registry, a handle table)
Reader = Callable[[Data, int, Any], Tuple[Any, int]]

# (typed here: struct's unpackers return tuples of Any)
_unpack_b: Callable[[Data, int], Tuple[int]] = S.BYTE.unpack_from
_unpack_h: Callable[[Data, int], Tuple[int]] = S.SHORT.unpack_from
_unpack_H: Callable[[Data, int], Tuple[int]] = S.USHORT.unpack_from
_unpack_i: Callable[[Data, int], Tuple[int]] = S.INT.unpack_from
_unpack_q: Callable[[Data, int], Tuple[int]] = S.LONG.unpack_from
_unpack_f: Callable[[Data, int], Tuple[float]] = S.FLOAT.unpack_from
_unpack_d: Callable[[Data, int], Tuple[float]] = S.DOUBLE.unpack_from
_unpack_QQ: Callable[[Data, int], Tuple[int, int]] = S.QQ.unpack_from
_unpack_qi: Callable[[Data, int], Tuple[int, int]] = S.QI.unpack_from
_unpack_ii: Callable[[Data, int], Tuple[int, int]] = S.INT_INT.unpack_from


class NeedsHandleTable(ParseError):
    """A back-reference was met with no table of decoded values to resolve it in.

    Internal: :func:`read` and :func:`read_with_handle_table` catch it and decode the
    top-level value again with a table; it only escapes a caller that dispatches through
    :data:`DECODERS` itself without catching it.
    """

    def __init__(self, pos: int):
        super().__init__('the back-reference at offset {} needs a top-level read to '
                         'resolve it'.format(pos))


def ms_to_datetime(ms: int) -> datetime:
    """A naive UTC datetime from milliseconds since the epoch."""
    try:
        return _EPOCH + timedelta(milliseconds=ms)
    except OverflowError:
        raise ParseError('date out of the range Python supports: {} ms'.format(ms)) from None


def _count(data: Data, pos: int, width: int) -> int:
    """Read an element count and check the elements fit in what is left of the frame."""
    n = _unpack_i(data, pos)[0]
    if n < 0 or pos + 4 + n * width > len(data):
        raise ParseError('bad element count {} at offset {}'.format(n, pos))
    return n


def read_null(data: Data, pos: int, ctx: Any) -> Tuple[None, int]:
    return None, pos


def read_byte(data: Data, pos: int, ctx: Any) -> Tuple[int, int]:
    return _unpack_b(data, pos)[0], pos + 1


def read_short(data: Data, pos: int, ctx: Any) -> Tuple[int, int]:
    return _unpack_h(data, pos)[0], pos + 2


def read_int(data: Data, pos: int, ctx: Any) -> Tuple[int, int]:
    return _unpack_i(data, pos)[0], pos + 4


def read_long(data: Data, pos: int, ctx: Any) -> Tuple[int, int]:
    return _unpack_q(data, pos)[0], pos + 8


def read_float(data: Data, pos: int, ctx: Any) -> Tuple[float, int]:
    return _unpack_f(data, pos)[0], pos + 4


def read_double(data: Data, pos: int, ctx: Any) -> Tuple[float, int]:
    return _unpack_d(data, pos)[0], pos + 8


def read_char(data: Data, pos: int, ctx: Any) -> Tuple[str, int]:
    return chr(_unpack_H(data, pos)[0]), pos + 2


def read_bool(data: Data, pos: int, ctx: Any) -> Tuple[bool, int]:
    return data[pos] != 0, pos + 1


def decode_utf8(raw: Data) -> str:
    try:
        return str(raw, 'utf-8')
    except UnicodeDecodeError:
        # servers with string serialization v2 write NUL as C0 80 and surrogates one by one
        raw = bytes(raw).replace(b'\xc0\x80', b'\x00')
        try:
            text = raw.decode('utf-8', 'surrogatepass')
            return text.encode('utf-16-le', 'surrogatepass').decode('utf-16-le')
        except UnicodeError:
            return raw.decode('utf-8', 'replace')


def read_string(data: Data, pos: int, ctx: Any = None) -> Tuple[str, int]:
    n = _unpack_i(data, pos)[0]
    pos += 4
    end = pos + n
    if n < 0 or end > len(data):
        raise ParseError('bad element count {} at offset {}'.format(n, pos - 4))
    try:
        # bytes.decode() with no argument (strict UTF-8) is about half the cost of
        # str(raw, 'utf-8'); a memoryview has no decode() and takes the long way
        return data[pos:end].decode(), end  # type: ignore[union-attr]
    except (UnicodeDecodeError, AttributeError):
        return decode_utf8(data[pos:end]), end


def read_uuid(data: Data, pos: int, ctx: Any) -> Tuple[UUID, int]:
    msb, lsb = _unpack_QQ(data, pos)
    return UUID(int=(msb << 64) | lsb), pos + 16


def read_date(data: Data, pos: int, ctx: Any) -> Tuple[datetime, int]:
    return ms_to_datetime(_unpack_q(data, pos)[0]), pos + 8


def read_timestamp(data: Data, pos: int, ctx: Any) -> Tuple[Tuple[datetime, int], int]:
    ms, nanos = _unpack_qi(data, pos)
    return (ms_to_datetime(ms), nanos), pos + 12


def read_time(data: Data, pos: int, ctx: Any) -> Tuple[timedelta, int]:
    ms = _unpack_q(data, pos)[0]
    try:
        return timedelta(milliseconds=ms), pos + 8
    except OverflowError:
        raise ParseError('time out of the range Python supports: {} ms'.format(ms)) from None


def read_decimal(data: Data, pos: int, ctx: Any) -> Tuple[Decimal, int]:
    scale, n = _unpack_ii(data, pos)
    start = pos + 8
    end = start + n
    if n < 0 or end > len(data):
        raise ParseError('bad decimal length {}'.format(n))
    if n == 0:
        return Decimal((0, (0,), -scale)), end
    first = data[start]
    magnitude = int.from_bytes(data[start:end], 'big')
    if first & 0x80:
        magnitude = -(magnitude ^ (0x80 << (8 * (n - 1))))
    if n <= _DECIMAL_STR_BYTES:
        # the string form builds the exact value whatever the context precision
        return Decimal('{}E{}'.format(magnitude, -scale)), end
    return _big_decimal(magnitude, scale, n), end


# magnitudes up to this many bytes have fewer digits than Python's int-to-str limit (4300)
_DECIMAL_STR_BYTES = 1024
# a bound on the work of one value (the conversion is quadratic): about 79 000 digits,
# a tenth of a second
_DECIMAL_MAX_BYTES = 1 << 15


def _big_decimal(magnitude: int, scale: int, n: int) -> Decimal:
    """An exact Decimal from a huge unscaled value, without going through ``str(int)``."""
    if n > _DECIMAL_MAX_BYTES:
        raise ParseError('decimal of {} bytes is too big'.format(n))
    sign, digits, _ = Decimal(magnitude).as_tuple()
    return Decimal((sign, digits, -scale))


def read_enum(data: Data, pos: int, ctx: Any) -> Tuple[Tuple[int, int], int]:
    type_id = _unpack_i(data, pos)[0]
    pos += 4
    if type_id == 0:
        _, pos = _read_nested(data, pos, ctx)  # unregistered: class name string
    return (type_id, _unpack_i(data, pos)[0]), pos + 4


def read_byte_array(data: Data, pos: int, ctx: Any) -> Tuple[bytes, int]:
    n = _count(data, pos, 1)
    return bytes(data[pos + 4:pos + 4 + n]), pos + 4 + n


def _number_array_reader(fmt: str, width: int) -> Reader:
    def read_numbers(data: Data, pos: int, ctx: Any) -> Tuple[List[Any], int]:
        n = _count(data, pos, width)
        return list(struct.unpack_from('<{}{}'.format(n, fmt), data, pos + 4)), \
            pos + 4 + n * width
    return read_numbers


read_short_array = _number_array_reader('h', 2)
read_int_array = _number_array_reader('i', 4)
read_long_array = _number_array_reader('q', 8)
read_float_array = _number_array_reader('f', 4)
read_double_array = _number_array_reader('d', 8)


def read_char_array(data: Data, pos: int, ctx: Any) -> Tuple[List[str], int]:
    n = _count(data, pos, 2)
    end = pos + 4 + 2 * n
    return list(map(chr, struct.unpack_from('<{}H'.format(n), data, pos + 4))), end


def read_bool_array(data: Data, pos: int, ctx: Any) -> Tuple[List[bool], int]:
    n = _count(data, pos, 1)
    end = pos + 4 + n
    return [b != 0 for b in data[pos + 4:end]], end


def read_object_list(data: Data, pos: int, ctx: Any, n: int) -> Tuple[List[Any], int]:
    """Read ``n`` full values."""
    items: List[Any] = []
    append = items.append
    table = DECODERS
    try:
        for _ in range(n):
            value, pos = table[data[pos]](data, pos + 1, ctx)
            append(value)
    except RecursionError:
        raise _too_deep(pos) from None
    return items, pos


def _too_deep(pos: int) -> ParseError:
    return ParseError('values nested too deep at offset {}'.format(pos))


def read_typed_array(data: Data, pos: int, ctx: Any) -> Tuple[List[Any], int]:
    # String[], UUID[], Date[], Timestamp[], Time[], Decimal[]: elements are full values
    n = _count(data, pos, 1)
    return read_object_list(data, pos + 4, ctx, n)


def read_object_array(data: Data, pos: int,
                      ctx: Any) -> Tuple[Tuple[int, List[Any]], int]:
    type_id = _unpack_i(data, pos)[0]
    pos += 4
    if type_id == 0:
        _, pos = _read_nested(data, pos, ctx)
    n = _count(data, pos, 1)
    items, pos = read_object_list(data, pos + 4, ctx, n)
    return (type_id, items), pos


def read_collection(data: Data, pos: int,
                    ctx: Any) -> Tuple[Tuple[int, List[Any]], int]:
    n = _count(data, pos, 1)
    kind = _unpack_b(data, pos + 4)[0]
    items, pos = read_object_list(data, pos + 5, ctx, n)
    return (kind, items), pos


def read_map(data: Data, pos: int, ctx: Any) -> Tuple[Tuple[int, Dict[Any, Any]], int]:
    n = _count(data, pos, 2)
    kind = _unpack_b(data, pos + 4)[0]
    result: Dict[Any, Any] = OrderedDict() if kind == 2 else {}
    pos += 5
    table = DECODERS
    try:
        for _ in range(n):
            key, pos = table[data[pos]](data, pos + 1, ctx)
            value, pos = table[data[pos]](data, pos + 1, ctx)
            try:
                result[key] = value
            except TypeError:
                # Java map keys may be lists; keep them usable as Python keys
                key = _hashable(key)
                try:
                    result[key] = value
                except TypeError:
                    raise ParseError('a map key of type {} can not be a Python dict key'
                                     .format(type(key).__name__)) from None
    except RecursionError:
        raise _too_deep(pos) from None
    return (kind, result), pos


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _hashable(v)) for k, v in value.items())
    return value


def read_wrapped(data: Data, pos: int, ctx: Any) -> Tuple[Any, int]:
    n = _count(data, pos, 1)
    start = pos + 4
    end = start + n
    offset = _unpack_i(data, end)[0]
    if not 0 <= offset < n:
        raise ParseError('bad wrapped object offset {}'.format(offset))
    # handles inside are relative, so the inner value decodes in place; they point into
    # the wrapped bytes only, which get a handle table of their own (a rare type: the
    # table costs nothing that matters)
    make_table = getattr(ctx, 'handle_table', None)
    value, _ = _read_nested(data, start + offset,
                            ctx if make_table is None else make_table(start))
    return value, end + 4


def read_class(data: Data, pos: int, ctx: Any) -> Tuple[Tuple[int, Optional[str]], int]:
    type_id = _unpack_i(data, pos)[0]
    pos += 4
    name = None
    if type_id == 0:
        name, pos = _read_nested(data, pos, ctx)
    return (type_id, name), pos


def read_optimized(data: Data, pos: int,
                   ctx: Any) -> Tuple[Union[SqlDate, OptimizedObject], int]:
    # a Java object the binary format has no type for: a java.sql.Date (a SQL DATE)
    # becomes a SqlDate, anything else stays an opaque OptimizedObject
    n = _count(data, pos, 1)
    return decode_optimized(bytes(data[pos + 4:pos + 4 + n])), pos + 4 + n


def read_complex(data: Data, pos: int, ctx: Any) -> Tuple[Any, int]:
    try:
        reader: Reader = ctx.read_complex
    except AttributeError:
        raise ParseError('complex objects need a client context to decode') from None
    return reader(data, pos, ctx)


def read_handle(data: Data, pos: int, ctx: Any) -> Tuple[Any, int]:
    reader: Optional[Reader] = getattr(ctx, 'read_handle', None)
    if reader is None:
        raise ParseError('back-references need a client context to decode')
    return reader(data, pos, ctx)


def _unknown(data: Data, pos: int, ctx: Any) -> NoReturn:
    raise ParseError('unknown type code {} at offset {}'.format(data[pos - 1], pos - 1))


DECODERS: List[Reader] = [_unknown] * 256
for _code, _reader in {
    tc.TC_BYTE: read_byte,
    tc.TC_SHORT: read_short,
    tc.TC_INT: read_int,
    tc.TC_LONG: read_long,
    tc.TC_FLOAT: read_float,
    tc.TC_DOUBLE: read_double,
    tc.TC_CHAR: read_char,
    tc.TC_BOOL: read_bool,
    tc.TC_STRING: read_string,
    tc.TC_UUID: read_uuid,
    tc.TC_DATE: read_date,
    tc.TC_BYTE_ARRAY: read_byte_array,
    tc.TC_SHORT_ARRAY: read_short_array,
    tc.TC_INT_ARRAY: read_int_array,
    tc.TC_LONG_ARRAY: read_long_array,
    tc.TC_FLOAT_ARRAY: read_float_array,
    tc.TC_DOUBLE_ARRAY: read_double_array,
    tc.TC_CHAR_ARRAY: read_char_array,
    tc.TC_BOOL_ARRAY: read_bool_array,
    tc.TC_STRING_ARRAY: read_typed_array,
    tc.TC_UUID_ARRAY: read_typed_array,
    tc.TC_DATE_ARRAY: read_typed_array,
    tc.TC_OBJECT_ARRAY: read_object_array,
    tc.TC_COLLECTION: read_collection,
    tc.TC_MAP: read_map,
    tc.TC_ARRAY_WRAPPED_OBJECTS: read_wrapped,
    tc.TC_ENUM: read_enum,
    tc.TC_ENUM_ARRAY: read_object_array,
    tc.TC_DECIMAL: read_decimal,
    tc.TC_DECIMAL_ARRAY: read_typed_array,
    tc.TC_CLASS: read_class,
    tc.TC_TIMESTAMP: read_timestamp,
    tc.TC_TIMESTAMP_ARRAY: read_typed_array,
    tc.TC_TIME: read_time,
    tc.TC_TIME_ARRAY: read_typed_array,
    tc.TC_BINARY_ENUM: read_enum,
    tc.TC_NULL: read_null,
    tc.TC_HANDLE: read_handle,
    tc.TC_COMPLEX_OBJECT: read_complex,
    tc.TC_OPTIMIZED: read_optimized,
}.items():
    DECODERS[_code] = _reader
del _code, _reader


def _read_nested(data: Data, pos: int, ctx: Any) -> Tuple[Any, int]:
    """Decode a value inside another one: errors go up to the top-level read."""
    return DECODERS[data[pos]](data, pos + 1, ctx)


def read(data: Data, pos: int, ctx: Any = None) -> Tuple[Any, int]:
    """Decode the full value at ``data[pos]``; return ``(value, next_pos)``.

    :raises ParseError: on an unknown type code or bytes that do not fit the frame.
    """
    try:
        return DECODERS[data[pos]](data, pos + 1, ctx)
    except NeedsHandleTable:
        pass  # decode again below, outside this handler
    except (struct.error, IndexError) as e:
        raise ParseError('truncated value at offset {}: {}'.format(pos, e)) from None
    except RecursionError:
        raise _too_deep(pos) from None
    return read_with_handle_table(data, pos, ctx)


def read_with_handle_table(data: Data, pos: int, ctx: Any,
                           low: Optional[int] = None) -> Tuple[Any, int]:
    """Decode the top-level value at ``data[pos]`` with one table of decoded values for
    all its back-references; return ``(value, next_pos)``.

    What a caller that met :class:`NeedsHandleTable` decoding a top-level value calls.

    :param low: the lowest offset a back-reference may point at: by default ``pos``, as
     the server writes every top-level value with back-references inside it only,
    :raises ParseError: as :func:`read`.
    """
    make_table = getattr(ctx, 'handle_table', None)
    if make_table is None:
        raise ParseError('back-references need a client context to decode')
    try:
        return DECODERS[data[pos]](data, pos + 1, make_table(pos if low is None else low))
    except (struct.error, IndexError) as e:
        raise ParseError('truncated value at offset {}: {}'.format(pos, e)) from None
    except RecursionError:
        raise _too_deep(pos) from None


def read_str_or_none(data: Data, pos: int) -> Tuple[Optional[str], int]:
    """Read a typed String or Null (as protocol fields are written)."""
    code = data[pos]
    if code == tc.TC_NULL:
        return None, pos + 1
    if code != tc.TC_STRING:
        raise ParseError('expected a string at offset {}, found type code {}'.format(pos, code))
    return read_string(data, pos + 1)
