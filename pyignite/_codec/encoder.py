"""Python values to the Ignite binary format.

Every writer appends one full value (type code first) to a ``bytearray``.
Writers are found with one dict lookup: by the value's class when no hint is
given, by the hint class otherwise; only values whose Ignite type depends on
their content (lists, tuples) go through inference.
"""
import struct
import sys
from array import array
from collections import OrderedDict
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from uuid import UUID

from . import structs as S
from ..datatypes.java_objects import OptimizedObject, SqlDate
from ..datatypes import type_codes as tc
from ..datatypes.base import Hint, is_hint
from ..datatypes.complex import CollectionObject, MapObject
from ..exceptions import ParameterError

_M64 = (1 << 64) - 1
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)

#: a writer: appends a value (type code first) to ``buf``; ``ctx`` is the client's binary
#: context (what complex objects need), or None
Writer = Callable[[bytearray, Any, Any], None]

_pack_tc_int = S.TC_INT.pack
_pack_tc_long = S.TC_LONG.pack
_pack_int = S.INT.pack
_TC_STRING = tc.TC_STRING


def _bad(value: Any, type_name: str, why: str = '') -> ParameterError:
    msg = 'cannot write {!r} as {}'.format(value, type_name)
    return ParameterError(msg + (': ' + why if why else ''))


def datetime_to_ms(value: Any) -> int:
    """Milliseconds since the epoch; naive datetimes are UTC, a date is its midnight."""
    if value.__class__ is not datetime and not isinstance(value, datetime):
        if not isinstance(value, date):
            raise TypeError('not a datetime')
        value = datetime(value.year, value.month, value.day)
    delta: timedelta = value - (_EPOCH if value.tzinfo is None else _EPOCH_UTC)
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def timedelta_to_ms(value: timedelta) -> int:
    """Whole milliseconds of a timedelta, floored."""
    return (value.days * 86400 + value.seconds) * 1000 + value.microseconds // 1000


# --- scalars ------------------------------------------------------------------------------


def _int_writer(code: int, packer: struct.Struct, name: str, lo: int, hi: int) -> Writer:
    pack = packer.pack

    def write_int(buf: bytearray, value: Any, ctx: Any) -> None:
        if value.__class__ is not int and (not isinstance(value, int)):
            raise _bad(value, name, 'an int is required')
        if not lo <= value <= hi:
            raise _bad(value, name, 'out of range {}..{}'.format(lo, hi))
        buf += pack(code, value)
    return write_int


write_byte = _int_writer(tc.TC_BYTE, S.TC_BYTE, 'ByteObject', -0x80, 0x7f)
write_short = _int_writer(tc.TC_SHORT, S.TC_SHORT, 'ShortObject', -0x8000, 0x7fff)
write_int = _int_writer(tc.TC_INT, S.TC_INT, 'IntObject', -0x80000000, 0x7fffffff)
write_long = _int_writer(tc.TC_LONG, S.TC_LONG, 'LongObject', -(1 << 63), (1 << 63) - 1)


def write_long_fast(buf: bytearray, value: Any, ctx: Any) -> None:
    # the common case of a plain Python int: let struct do the range check
    try:
        buf += _pack_tc_long(4, value)
    except struct.error:
        raise _bad(value, 'LongObject', 'out of range for a 64-bit long; use a DecimalObject '
                   'hint for bigger numbers') from None


def _float_writer(code: int, packer: struct.Struct, name: str) -> Writer:
    pack = packer.pack

    def write_float(buf: bytearray, value: Any, ctx: Any) -> None:
        try:
            buf += pack(code, value)
        except (struct.error, TypeError, OverflowError) as e:
            raise _bad(value, name, str(e)) from None
    return write_float


write_float = _float_writer(tc.TC_FLOAT, S.TC_FLOAT, 'FloatObject')
write_double = _float_writer(tc.TC_DOUBLE, S.TC_DOUBLE, 'DoubleObject')


def write_char(buf: bytearray, value: Any, ctx: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xffff:
        unit = value
    elif isinstance(value, str) and len(value) == 1 and ord(value) <= 0xffff:
        unit = ord(value)
    else:
        raise _bad(value, 'CharObject', 'one character of the Basic Multilingual Plane')
    buf += S.TC_CHAR.pack(tc.TC_CHAR, unit)


def write_bool(buf: bytearray, value: Any, ctx: Any) -> None:
    # the writer for values whose class is exactly bool
    buf += b'\x08\x01' if value else b'\x08\x00'


def _is_bool_like(value: Any) -> bool:
    return value is True or value is False or (
        isinstance(value, int) and (value == 0 or value == 1))


def write_bool_hinted(buf: bytearray, value: Any, ctx: Any) -> None:
    # a hint must not turn any truthy value (say the str 'no') into true
    if value is True or value is False or _is_bool_like(value):
        buf += b'\x08\x01' if value else b'\x08\x00'
    else:
        raise _bad(value, 'BoolObject', 'a bool, or the int 0 or 1, is required')


def write_null(buf: bytearray, value: Any, ctx: Any) -> None:
    buf.append(tc.TC_NULL)


def lone_surrogate_error(value: str, error: UnicodeEncodeError) -> ParameterError:
    """The error for a str that UTF-8 cannot hold, naming where it goes wrong.

    A server writes strings with ``String.getBytes(UTF_8)`` (unless started with
    ``IGNITE_BINARY_MARSHALLER_USE_STRING_SERIALIZATION_VER_2``), which turns a lone
    surrogate into ``?``: storing such a str would silently change it, and two
    different keys would become the same one. Refusing is the only exact choice.
    """
    unit = ord(value[error.start])
    return ParameterError(
        'cannot write a str holding a lone surrogate (U+{:04X} at index {}): Ignite stores '
        'strings as UTF-8, which has no form for it (a server would store \'?\'); join '
        'surrogate pairs into one character first, or send the text as a '
        'CharArrayObject'.format(unit, error.start))


def write_string(buf: bytearray, value: Any, ctx: Any = None) -> None:
    """Write a typed String, or Null for None.

    :raises ParameterError: ``value`` is not a str, or holds a lone surrogate.
    """
    if value is None:
        buf.append(tc.TC_NULL)
        return
    if not isinstance(value, str):
        raise _bad(value, 'String', 'a str is required')
    write_str(buf, value, ctx)


def write_str(buf: bytearray, value: Any, ctx: Any) -> None:
    # the writer for values whose class is exactly str: no type check needed; encode()
    # with no argument is UTF-8, and a little faster than naming it
    try:
        data = value.encode()
    except UnicodeEncodeError as e:
        raise lone_surrogate_error(value, e) from None
    buf += _pack_tc_int(_TC_STRING, len(data))
    buf += data


def write_uuid(buf: bytearray, value: Any, ctx: Any) -> None:
    try:
        n = value.int
    except AttributeError:
        raise _bad(value, 'UUIDObject', 'a uuid.UUID is required') from None
    buf += S.TC_UUID.pack(tc.TC_UUID, n >> 64, n & _M64)


def write_date(buf: bytearray, value: Any, ctx: Any) -> None:
    try:
        ms = datetime_to_ms(value)
    except TypeError:
        raise _bad(value, 'DateObject', 'a datetime or a date is required') from None
    buf += _pack_tc_long(tc.TC_DATE, ms)


def write_timestamp(buf: bytearray, value: Any, ctx: Any) -> None:
    if isinstance(value, tuple) and len(value) == 2:
        moment, nanos = value
    else:
        moment, nanos = value, 0
    try:
        ms = datetime_to_ms(moment)
    except TypeError:
        raise _bad(value, 'TimestampObject',
                   'a datetime or a (datetime, nanoseconds) tuple is required') from None
    if not isinstance(nanos, int) or not 0 <= nanos <= 999_999:
        raise _bad(value, 'TimestampObject', 'nanoseconds must be an int in 0..999999')
    nanos += moment.microsecond % 1000 * 1000
    if nanos > 999_999:
        raise _bad(value, 'TimestampObject', 'sub-millisecond part exceeds 999999 ns')
    buf += S.TC_TIMESTAMP.pack(tc.TC_TIMESTAMP, ms, nanos)


def write_time(buf: bytearray, value: Any, ctx: Any) -> None:
    if isinstance(value, timedelta):
        ms = timedelta_to_ms(value)
    elif isinstance(value, dtime):
        ms = ((value.hour * 60 + value.minute) * 60 + value.second) * 1000 \
            + value.microsecond // 1000
    else:
        raise _bad(value, 'TimeObject', 'a timedelta is required')
    buf += _pack_tc_long(tc.TC_TIME, ms)


def write_decimal(buf: bytearray, value: Any, ctx: Any) -> None:
    if not isinstance(value, Decimal):
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            try:
                value = Decimal(value)
            except ArithmeticError:  # decimal.InvalidOperation: not a number
                raise _bad(value, 'DecimalObject', 'the str is not a decimal number') \
                    from None
        else:
            raise _bad(value, 'DecimalObject', 'a decimal.Decimal is required')
    if not value.is_finite():
        raise _bad(value, 'DecimalObject', 'NaN and infinity have no Java BigDecimal')
    sign, digits, exponent = value.as_tuple()
    try:
        unscaled = int(''.join(map(str, digits)))
    except ValueError:
        # past sys.get_int_max_str_digits(): the Decimal itself converts without the limit
        unscaled = int(Decimal((0, digits, 0)))
    magnitude = bytearray(unscaled.to_bytes(unscaled.bit_length() // 8 + 1, 'big'))
    if sign and unscaled:  # Java's BigDecimal has no negative zero
        magnitude[0] |= 0x80
    scale = -exponent
    if not -0x80000000 <= scale <= 0x7fffffff:
        raise _bad(value, 'DecimalObject', 'scale out of the Java int range')
    buf += S.TC_INT_INT.pack(tc.TC_DECIMAL, scale, len(magnitude))
    buf += magnitude


def _enum_writer(code: int, name: str) -> Writer:
    def write_enum(buf: bytearray, value: Any, ctx: Any) -> None:
        try:
            type_id, ordinal = value
            data = S.TC_INT_INT.pack(code, type_id, ordinal)
        except (TypeError, ValueError, struct.error):
            raise _bad(value, name, 'a (type_id, ordinal) tuple of ints is required') from None
        if type_id == 0:
            # the server then expects the enum's class name, and drops the connection
            raise _bad(value, name, 'type id 0 is an unregistered enum, which the server '
                       'knows only by class name; register the enum type and use its id')
        buf += data
    return write_enum


write_enum = _enum_writer(tc.TC_ENUM, 'EnumObject')
write_binary_enum = _enum_writer(tc.TC_BINARY_ENUM, 'BinaryEnumObject')


# --- arrays -------------------------------------------------------------------------------


def write_byte_array(buf: bytearray, value: Any, ctx: Any) -> None:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        try:
            items = list(value)
            try:
                value = bytes(items)
            except ValueError:
                value = _signed_bytes(items)
        except (TypeError, OverflowError, ValueError) as e:
            raise _bad(value, 'ByteArrayObject', str(e)) from None
    buf += _pack_tc_int(tc.TC_BYTE_ARRAY, len(value))
    buf += value


def _signed_bytes(items: List[int]) -> bytes:
    # Java bytes are signed, Python's not: as pyignite 0.6.1, take -128..255, both ranges
    # even in one list (-1 and 255 are the same byte)
    try:
        return array('b', items).tobytes()
    except OverflowError:
        pass
    for item in items:
        if not -0x80 <= item <= 0xff:
            raise ValueError('{!r} is out of the byte range -128..255'.format(item))
    return bytes(item & 0xff for item in items)


def _number_array_writer(code: int, fmt: str, name: str, ints: bool) -> Writer:
    def write_numbers(buf: bytearray, value: Any, ctx: Any) -> None:
        try:
            items = list(value)
            if ints:
                for item in items:
                    if item.__class__ is not int and not isinstance(item, int):
                        raise TypeError('{!r} is not an int'.format(item))
            packed = struct.pack('<{}{}'.format(len(items), fmt), *items)
        except (TypeError, struct.error) as e:
            raise _bad(value, name, str(e)) from None
        buf += _pack_tc_int(code, len(items))
        buf += packed
    return write_numbers


write_short_array = _number_array_writer(tc.TC_SHORT_ARRAY, 'h', 'ShortArrayObject', True)
write_int_array = _number_array_writer(tc.TC_INT_ARRAY, 'i', 'IntArrayObject', True)
write_long_array = _number_array_writer(tc.TC_LONG_ARRAY, 'q', 'LongArrayObject', True)
write_float_array = _number_array_writer(tc.TC_FLOAT_ARRAY, 'f', 'FloatArrayObject', False)
write_double_array = _number_array_writer(tc.TC_DOUBLE_ARRAY, 'd', 'DoubleArrayObject', False)


def write_char_array(buf: bytearray, value: Any, ctx: Any) -> None:
    try:
        text = value if isinstance(value, str) else ''.join(value)
        data = text.encode('utf-16-le', 'surrogatepass')
    except TypeError as e:
        raise _bad(value, 'CharArrayObject', str(e)) from None
    buf += _pack_tc_int(tc.TC_CHAR_ARRAY, len(data) // 2)
    buf += data


def write_bool_array(buf: bytearray, value: Any, ctx: Any) -> None:
    try:
        items = list(value)
    except TypeError:
        raise _bad(value, 'BoolArrayObject', 'an iterable of bools is required') from None
    # bools are the ints 0 and 1, so bytes() packs them; anything else fails there or
    # leaves a byte other than 0 and 1 (the items are looked at one by one only then)
    try:
        data = bytes(items)
    except (TypeError, ValueError):
        data = None
    if data is None or data.translate(None, b'\x00\x01'):
        bad = next((item for item in items if not _is_bool_like(item)), None)
        raise _bad(value, 'BoolArrayObject',
                   'items must be bools (or the ints 0 and 1), not {!r}'.format(bad))
    buf += _pack_tc_int(tc.TC_BOOL_ARRAY, len(data))
    buf += data


def _object_array_writer(code: int, element_writer: Writer, name: str) -> Writer:
    def write_objects(buf: bytearray, value: Any, ctx: Any) -> None:
        try:
            items = list(value)
        except TypeError as e:
            raise _bad(value, name, str(e)) from None
        buf += _pack_tc_int(code, len(items))
        for item in items:
            if item is None:
                buf.append(tc.TC_NULL)
            else:
                element_writer(buf, item, ctx)
    return write_objects


write_string_array = _object_array_writer(tc.TC_STRING_ARRAY, write_string, 'StringArrayObject')
write_uuid_array = _object_array_writer(tc.TC_UUID_ARRAY, write_uuid, 'UUIDArrayObject')
write_date_array = _object_array_writer(tc.TC_DATE_ARRAY, write_date, 'DateArrayObject')
write_timestamp_array = _object_array_writer(
    tc.TC_TIMESTAMP_ARRAY, write_timestamp, 'TimestampArrayObject')
write_time_array = _object_array_writer(tc.TC_TIME_ARRAY, write_time, 'TimeArrayObject')
write_decimal_array = _object_array_writer(
    tc.TC_DECIMAL_ARRAY, write_decimal, 'DecimalArrayObject')


def _split_typed(value: Any, default_type_id: int, name: str) -> Tuple[int, Any]:
    """Split ``(type_id, items)`` or plain ``items`` into the two parts."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int) \
            and not isinstance(value[1], (str, bytes)):
        return value[0], value[1]
    if isinstance(value, (list, tuple, set, frozenset)):
        return default_type_id, value
    raise _bad(value, name, 'a (type_id, iterable) tuple is required')


class NestedTooDeep(ParameterError):
    """A value nests deeper than Python's recursion limit lets the encoder follow: most
    likely a list or a dict that contains itself."""


def _too_deep(value: Any) -> NestedTooDeep:
    # no repr of the value: it recurses as deep as the write did
    return NestedTooDeep(
        'cannot write a {}: lists, tuples, dicts or objects nest deeper than the encoder can '
        'follow (Python\'s recursion limit is {}); does a collection contain itself?'.format(
            type(value).__name__, sys.getrecursionlimit()))


def write_object_array(buf: bytearray, value: Any, ctx: Any) -> None:
    type_id, items = _split_typed(value, -1, 'ObjectArrayObject')
    items = _items(value, items, 'ObjectArrayObject')
    buf += S.TC_INT_INT.pack(tc.TC_OBJECT_ARRAY, type_id, len(items))
    try:
        for item in items:
            write(buf, item, None, ctx)
    except RecursionError:
        # caught in every container on the way up: where the stack is too short to
        # build the error, an outer one builds it
        raise _too_deep(value) from None


def write_enum_array(buf: bytearray, value: Any, ctx: Any) -> None:
    type_id, items = _split_typed(value, -1, 'EnumArrayObject')
    items = _items(value, items, 'EnumArrayObject')
    buf += S.TC_INT_INT.pack(tc.TC_ENUM_ARRAY, type_id, len(items))
    for item in items:
        if item is None:
            buf.append(tc.TC_NULL)
        else:
            write_binary_enum(buf, item, ctx)


def write_collection(buf: bytearray, value: Any, ctx: Any) -> None:
    kind, items = _split_typed(value, CollectionObject.ARR_LIST, 'CollectionObject')
    if not -1 <= kind <= 5:
        raise _bad(value, 'CollectionObject', 'unknown collection kind {}'.format(kind))
    _write_collection_items(buf, value, kind, _items(value, items, 'CollectionObject'), ctx)


def write_sequence(buf: bytearray, value: Any, ctx: Any) -> None:
    # a list or tuple of no one array type, by inference: its items, even when it looks
    # like a (kind, items) pair, as (1, 2.5) does
    _write_collection_items(buf, value, CollectionObject.ARR_LIST, value, ctx)


def _items(value: Any, items: Iterable[Any], name: str) -> List[Any]:
    try:
        return list(items)
    except TypeError:
        raise _bad(value, name, 'a (type, iterable) tuple is required') from None


def _write_collection_items(buf: bytearray, value: Any, kind: int, items: Any,
                            ctx: Any) -> None:
    buf += _pack_tc_int(tc.TC_COLLECTION, len(items))
    buf += S.BYTE.pack(kind)
    # the item loop is written out in each container writer, as in write_object_array:
    # a shared helper would add a stack frame per level of nesting
    try:
        for item in items:
            write(buf, item, None, ctx)
    except RecursionError:
        raise _too_deep(value) from None


def write_map(buf: bytearray, value: Any, ctx: Any) -> None:
    if isinstance(value, dict):
        kind = MapObject.LINKED_HASH_MAP if isinstance(value, OrderedDict) else MapObject.HASH_MAP
        items = value
    else:
        try:
            kind, items = value
            items.items
        except (TypeError, ValueError, AttributeError):
            raise _bad(value, 'MapObject', 'a dict or a (kind, dict) tuple is required') \
                from None
    if kind not in (0, 1, 2):
        raise _bad(value, 'MapObject', 'unknown map kind {}'.format(kind))
    buf += _pack_tc_int(tc.TC_MAP, len(items))
    buf += S.BYTE.pack(kind)
    try:
        for key, item in items.items():
            write(buf, key, None, ctx)
            write(buf, item, None, ctx)
    except RecursionError:
        raise _too_deep(value) from None


def write_wrapped(buf: bytearray, value: Any, ctx: Any) -> None:
    raise ParameterError('WrappedDataObject is read only: write the unwrapped value')


def write_optimized(buf: bytearray, value: Any, ctx: Any) -> None:
    buf += _pack_tc_int(tc.TC_OPTIMIZED, len(value))
    buf += value


def write_sql_date(buf: bytearray, value: Any, ctx: Any) -> None:
    data = value.java_bytes()
    buf += _pack_tc_int(tc.TC_OPTIMIZED, len(data))
    buf += data


def write_complex(buf: bytearray, value: Any, ctx: Any) -> None:
    writer = getattr(value.__class__, '_ignite_write', None)
    if writer is None:
        raise _bad(value, 'BinaryObject', 'an instance of a GenericObjectMeta class is required')
    writer(buf, value, ctx)


# --- inference ----------------------------------------------------------------------------

_ARRAY_BY_ELEMENT: Dict[type, Writer] = {
    int: write_long_array,
    float: write_double_array,
    str: write_string_array,
    bool: write_bool_array,
    UUID: write_uuid_array,
    datetime: write_date_array,
    date: write_date_array,
    timedelta: write_time_array,
    Decimal: write_decimal_array,
}
_NULLABLE_ELEMENTS = (str, UUID, datetime, date, timedelta, Decimal)


def _writer_for_sequence(items: Iterable[Any]) -> Writer:
    """Pick an array type for a homogeneous sequence, a Collection otherwise."""
    kinds = set(map(type, items))
    has_null = type(None) in kinds
    kinds.discard(type(None))
    if len(kinds) == 1:
        kind = kinds.pop()
        writer = _ARRAY_BY_ELEMENT.get(kind)
        if writer is not None and (not has_null or kind in _NULLABLE_ELEMENTS):
            return writer
    elif not kinds and not has_null:
        return write_long_array
    return write_sequence


def write_list(buf: bytearray, value: Any, ctx: Any) -> None:
    _writer_for_sequence(value)(buf, value, ctx)


def write_tuple(buf: bytearray, value: Any, ctx: Any) -> None:
    if len(value) == 2:
        first, second = value
        if is_hint(second):
            write(buf, first, second, ctx)
            return
        if isinstance(first, int) and not isinstance(first, bool):
            if isinstance(second, dict):
                write_map(buf, value, ctx)
                return
            if isinstance(second, (list, tuple, set, frozenset)):
                write_collection(buf, value, ctx)
                return
    _writer_for_sequence(value)(buf, value, ctx)


def write_set(buf: bytearray, value: Any, ctx: Any) -> None:
    write_collection(buf, (CollectionObject.HASH_SET, value), ctx)


_BY_PYTYPE: Dict[type, Writer] = {
    int: write_long_fast,
    float: write_double,
    str: write_str,
    bool: write_bool,
    type(None): write_null,
    bytes: write_byte_array,
    bytearray: write_byte_array,
    memoryview: write_byte_array,
    UUID: write_uuid,
    datetime: write_date,
    date: write_date,
    timedelta: write_time,
    Decimal: write_decimal,
    list: write_list,
    tuple: write_tuple,
    set: write_set,
    frozenset: write_set,
    dict: write_map,
    OrderedDict: write_map,
    OptimizedObject: write_optimized,
    SqlDate: write_sql_date,
}

_BY_TYPE_CODE: Dict[Optional[int], Writer] = {
    tc.TC_BYTE: write_byte,
    tc.TC_SHORT: write_short,
    tc.TC_INT: write_int,
    tc.TC_LONG: write_long,
    tc.TC_FLOAT: write_float,
    tc.TC_DOUBLE: write_double,
    tc.TC_CHAR: write_char,
    tc.TC_BOOL: write_bool_hinted,
    tc.TC_STRING: write_string,
    tc.TC_UUID: write_uuid,
    tc.TC_DATE: write_date,
    tc.TC_TIMESTAMP: write_timestamp,
    tc.TC_TIME: write_time,
    tc.TC_DECIMAL: write_decimal,
    tc.TC_ENUM: write_enum,
    tc.TC_BINARY_ENUM: write_binary_enum,
    tc.TC_NULL: write_null,
    tc.TC_BYTE_ARRAY: write_byte_array,
    tc.TC_SHORT_ARRAY: write_short_array,
    tc.TC_INT_ARRAY: write_int_array,
    tc.TC_LONG_ARRAY: write_long_array,
    tc.TC_FLOAT_ARRAY: write_float_array,
    tc.TC_DOUBLE_ARRAY: write_double_array,
    tc.TC_CHAR_ARRAY: write_char_array,
    tc.TC_BOOL_ARRAY: write_bool_array,
    tc.TC_STRING_ARRAY: write_string_array,
    tc.TC_UUID_ARRAY: write_uuid_array,
    tc.TC_DATE_ARRAY: write_date_array,
    tc.TC_TIMESTAMP_ARRAY: write_timestamp_array,
    tc.TC_TIME_ARRAY: write_time_array,
    tc.TC_DECIMAL_ARRAY: write_decimal_array,
    tc.TC_OBJECT_ARRAY: write_object_array,
    tc.TC_ENUM_ARRAY: write_enum_array,
    tc.TC_COLLECTION: write_collection,
    tc.TC_MAP: write_map,
    tc.TC_ARRAY_WRAPPED_OBJECTS: write_wrapped,
    tc.TC_COMPLEX_OBJECT: write_complex,
}


def _infer(value: Any) -> Writer:
    cls = value.__class__
    writer: Optional[Writer] = None
    if getattr(cls, '_ignite_write', None) is not None:
        writer = write_complex
    elif isinstance(value, bool):
        writer = write_bool
    elif isinstance(value, int):
        writer = write_long
    elif isinstance(value, float):
        writer = write_double
    elif isinstance(value, str):
        writer = write_string
    elif isinstance(value, datetime):
        writer = write_date
    elif isinstance(value, dict):
        writer = write_map
    elif isinstance(value, (list, tuple)):
        return write_tuple if isinstance(value, tuple) else write_list
    elif isinstance(value, (set, frozenset)):
        writer = write_set
    if writer is None:
        raise ParameterError(
            'cannot write a value of type {}: it has no Ignite type; convert it or pass a '
            'type hint'.format(cls.__qualname__))
    _BY_PYTYPE[cls] = writer
    return writer


def write(buf: bytearray, value: Any, hint: Optional[Hint] = None, ctx: Any = None) -> None:
    """Append ``value`` as a full Ignite value (type code first) to ``buf``.

    :param buf: the output buffer,
    :param value: a Python value, or a ``(value, hint)`` tuple,
    :param hint: an :class:`~pyignite.datatypes.base.IgniteDataType` subclass or None,
    :param ctx: the client's binary context, needed for complex objects.
    """
    if hint is None:
        writer = _BY_PYTYPE.get(value.__class__)
        if writer is None:
            writer = _infer(value)
    else:
        if value is None:
            buf.append(tc.TC_NULL)
            return
        writer = _BY_TYPE_CODE.get(getattr(hint, 'type_code', None))
        if writer is None:
            raise ParameterError('{!r} is not a type hint'.format(hint))
    writer(buf, value, ctx)


def split_hinted(value: Any, hint: Optional[Hint] = None) -> Tuple[Any, Optional[Hint]]:
    """Return ``(value, hint)`` from a value that may be a ``(value, hint)`` tuple."""
    if hint is None and value.__class__ is tuple and len(value) == 2 and is_hint(value[1]):
        return value[0], value[1]
    return value, hint
