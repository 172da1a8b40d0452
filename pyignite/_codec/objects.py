"""The complex object (type code 103) codec: Java-identical writes, one-plan reads.

Writing. :func:`make_writer` compiles, once per class, a function that appends
an instance as Java's ``BinaryWriterExImpl`` would: the 24-byte header, the
fields in schema order (each a full value, null as 101), and the footer with
offsets one, two or four bytes wide as chosen from the LAST field's offset
(< 0x100, < 0x10000, else four), compact (offsets only) or full (field id and
offset); the header hash is ``Arrays.hashCode`` of the field bytes. An object
with no fields has no footer: its header holds Java's schema id for it (the
FNV-1 basis) and the schema offset 24.

Reading. :func:`read_object` looks the object's ``(type_id, schema_id)`` up in
the registry's plans. A plan is ``(class, field names, flat)``, built once per
schema; decoding a value is then one pass over the footer offsets through the
shared ``DECODERS`` table, and one ``__dict__`` update.

Handles (type code 102) point back at a value written earlier in the same
top-level value. Objects whose fields may hold other objects (a non-flat plan)
are decoded with a :class:`ReadState`, made for the outermost such object: it
maps the start positions of the values decoded inside it to the values, so a
handle, even one to an enclosing object still being decoded, resolves to the
very same instance, and a value many handles point at is decoded once. A flat
object (only scalar, string and array fields) on its own never needs one, so
the common case pays nothing for handles. A handle met outside any such object
(in a top-level collection, say), or one reaching before the outermost object
(a sibling of it), raises :class:`~pyignite._codec.decoder.NeedsHandleTable`: the
top-level read then decodes the whole value again with one state for all of it.
"""
import struct
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple
from operator import attrgetter

from . import encoder as _encoder, structs as _structs
from .decoder import DECODERS, NeedsHandleTable, decode_utf8, read_string
from .ids import bytes_hash, entity_id, i32
from .._protocol.request import Frame
from ..datatypes import type_codes as tc
from ..datatypes.complex import BinaryObject
from ..exceptions import ParameterError, ParseError

USER_TYPE = BinaryObject.USER_TYPE
HAS_SCHEMA = BinaryObject.HAS_SCHEMA
HAS_RAW_DATA = BinaryObject.HAS_RAW_DATA
OFFSET_ONE_BYTE = BinaryObject.OFFSET_ONE_BYTE
OFFSET_TWO_BYTES = BinaryObject.OFFSET_TWO_BYTES
COMPACT_FOOTER = BinaryObject.COMPACT_FOOTER
_WIDTH_FLAGS = OFFSET_ONE_BYTE | OFFSET_TWO_BYTES

_HEADER = struct.Struct('<BBhiiiii')
_pack_header = _HEADER.pack_into
# version, flags, type id, hash, length, schema id, schema offset: after the type code
_unpack_header = struct.Struct('<BHiiiii').unpack_from
_unpack_i = struct.Struct('<i').unpack_from
_HEADER_ROOM = bytes(24)
#: the schema id Java writes in the header of an object with no fields (the FNV-1 basis);
#: the classes and the registry know that schema as 0, the id pyignite 0.6.1 gives it
EMPTY_SCHEMA_ID = i32(0x811C9DC5)
_NULL = tc.TC_NULL

# field types whose values hold no objects, so no handles: objects of only such fields
# decode without a handle table
_LEAF_TYPE_CODES = frozenset(range(tc.TC_BYTE, tc.TC_DATE_ARRAY + 1)) | {
    tc.TC_ENUM, tc.TC_ENUM_ARRAY, tc.TC_DECIMAL, tc.TC_DECIMAL_ARRAY, tc.TC_TIMESTAMP,
    tc.TC_TIMESTAMP_ARRAY, tc.TC_TIME, tc.TC_TIME_ARRAY, tc.TC_BINARY_ENUM,
}
# field types written by inference rather than by their hint
_ANY_TYPE_CODES = frozenset((tc.TC_COMPLEX_OBJECT, tc.TC_ARRAY_WRAPPED_OBJECTS, tc.TC_NULL))


class _TooDeep(_encoder.NestedTooDeep):
    """An object graph too deep to write (most likely a cycle: handles are never written)."""


#: a value writer: ``(buffer, value, registry)``
Writer = Callable[[bytearray, Any, Any], None]


def _write_any(buf: bytearray, value: Any, ctx: Any) -> None:
    _encoder.write(buf, value, None, ctx)


def field_writer(type_code: int) -> Writer:
    """The writer of a field value (never None) declared with ``type_code``."""
    if type_code in _ANY_TYPE_CODES:
        return _write_any
    return _encoder._BY_TYPE_CODE.get(type_code, _write_any)


def is_flat(type_codes: Iterable[int]) -> bool:
    """Whether fields of these declared types can hold no objects (and no handles)."""
    return all(code in _LEAF_TYPE_CODES for code in type_codes)


# --- writing ------------------------------------------------------------------------------


# Set while an outermost object is written with a guessed footer mode, so the objects inside
# it follow without being recorded themselves. A write never yields to another task, so a
# thread-local flag is enough.
_writing = threading.local()


def _write_guessing(write: Writer, buf: bytearray, value: Any, ctx: Any) -> None:
    """Write with compact footers (the server default) before the server was asked.

    The object is recorded, so :func:`fix_guessed_footers` can rewrite it once the
    server's setting is known, before the request is sent.
    """
    start = len(buf)
    _writing.guessing = True
    try:
        write(buf, value, ctx)
    finally:
        _writing.guessing = False
    if buf.__class__ is Frame:
        buf.guessed += ((start, len(buf), value),)
        # the request must go through prepare(), which asks the server and fixes the bytes
        note_pending(buf, value.__class__)


def note_pending(buf: bytearray, cls: Any) -> None:
    """Note on a request frame that it holds an object of ``cls``, a class the server may
    not know (other buffers are no requests: nothing to note)."""
    if buf.__class__ is Frame and cls not in buf.pending:
        buf.pending += (cls,)


def fix_guessed_footers(buf: Frame, ctx: Any) -> None:
    """Rewrite the objects of a request frame written with a wrong guessed footer mode,
    now that ``ctx`` (the registry) knows the mode.

    Only outermost objects are recorded; whatever lies between them in the buffer
    (collections, maps, other values) has counts, not byte lengths, so replacing an
    object's bytes in place keeps the request valid.
    """
    items = buf.guessed
    if not items:
        return
    buf.guessed = ()
    if ctx.write_compact_footer is not False:
        return  # the guess (compact) was right
    for start, end, value in sorted(items, key=lambda item: -item[0]):
        fresh = bytearray()
        value.__class__._ignite_write(fresh, value, ctx)
        buf[start:end] = fresh


# scalar field types a compiled writer writes inline: the exact value class, the struct
# (bound under this name), the value range and the bytes written with the type code
_INLINE_WRITES = {
    tc.TC_BYTE: ('int', '_pb', (-0x80, 0x7f), 2),
    tc.TC_SHORT: ('int', '_ph', (-0x8000, 0x7fff), 3),
    tc.TC_INT: ('int', '_pi', (-0x80000000, 0x7fffffff), 5),
    tc.TC_LONG: ('int', '_pq', (-(1 << 63), (1 << 63) - 1), 9),
    tc.TC_DOUBLE: ('float', '_pd', None, 9),
}


def _write_source(i: int, code: int, last: bool) -> List[str]:
    """Lines that append field ``i`` (declared type ``code``) or return None; each branch
    works out the offset of the next field, ``o{i+1}``, from what it wrote."""
    v = 'v{}'.format(i)

    def then(size: str) -> List[str]:
        return [] if last else ['        o{} = o{} + {}'.format(i + 1, i, size)]
    lines = []
    if code in _INLINE_WRITES:
        kind, pack, bounds, size = _INLINE_WRITES[code]
        lines.append('    if {}.__class__ is {}:'.format(v, kind))
        if bounds is not None:
            lines += ['        if not {} <= {} <= {}:'.format(bounds[0], v, bounds[1]),
                      '            return None']
        lines.append('        buf += {}({}, {})'.format(pack, code, v))
        lines += then(str(size))
    elif code == tc.TC_FLOAT:
        lines += ['    if {}.__class__ is float:'.format(v),
                  '        try:',
                  '            buf += _pf({}, {})'.format(code, v),
                  '        except (OverflowError, _StructError):',
                  '            return None'] + then('5')
    elif code == tc.TC_BOOL:
        lines += ['    if {} is True:'.format(v), "        buf += b'\\x08\\x01'"] + then('2')
        lines += ['    elif {} is False:'.format(v), "        buf += b'\\x08\\x00'"] + then('2')
    else:  # TC_STRING
        lines += ['    if {}.__class__ is str:'.format(v),
                  "        data = {}.encode()".format(v),
                  '        buf += _pi({}, len(data))'.format(code),
                  '        buf += data'] + then('5 + len(data)')
    lines += ['    elif {} is None:'.format(v), '        buf.append({})'.format(_NULL)]
    lines += then('1') + ['    else:', '        return None']
    return lines


def compile_field_writer(type_codes: Sequence[int]) -> Optional[Callable[..., Any]]:
    """For a class of scalar and string fields only, a function
    ``(buf, values, start) -> offsets`` that appends the field values of one object when
    each is None or of exactly its declared type, as the generic loop would; it returns
    None, having written part of them, for any other value (the caller then truncates and
    writes the generic way, which converts or names the bad field); a str with a lone
    surrogate raises :class:`UnicodeEncodeError`, to be handled the same way. Other
    classes: None.
    """
    count = len(type_codes)
    if not count or count > MAX_COMPILED_FIELDS or not all(
            code in _INLINE_WRITES or code in (tc.TC_FLOAT, tc.TC_BOOL, tc.TC_STRING)
            for code in type_codes):
        return None
    lines = ['def write_fields(buf, values, start):',
             '    ' + ''.join('v{}, '.format(i) for i in range(count)) + '= values']
    lines.append('    o0 = len(buf) - start')
    for i, code in enumerate(type_codes):
        lines += _write_source(i, code, i == count - 1)
    lines.append('    return (' + ''.join('o{}, '.format(i) for i in range(count)) + ')')
    namespace = {'_pb': _structs.TC_BYTE.pack, '_ph': _structs.TC_SHORT.pack,
                 '_pi': _structs.TC_INT.pack, '_pq': _structs.TC_LONG.pack,
                 '_pf': _structs.TC_FLOAT.pack, '_pd': _structs.TC_DOUBLE.pack,
                 '_StructError': struct.error}
    exec('\n'.join(lines), namespace)  # noqa: S102 - source built above from ints only
    writer: Callable[..., Any] = namespace['write_fields']
    return writer


def _write_field_loop(buf: bytearray, value: Any, ctx: Any, start: int,
                      writers: Sequence[Writer], field_values: Callable[[Any], Sequence[Any]],
                      names: Sequence[str]) -> List[int]:
    """Append the fields of ``value`` one writer call each; return their offsets."""
    offsets: List[int] = []
    note = offsets.append
    try:
        for field_write, field_value in zip(writers, field_values(value)):
            note(len(buf) - start)
            if field_value is None:
                buf.append(_NULL)
            else:
                field_write(buf, field_value, ctx)
    except _encoder.NestedTooDeep:
        raise  # as it is: prefixing every enclosing field would repeat them by the hundred
    except ParameterError as e:
        raise ParameterError('{}.{}: {}'.format(
            value.__class__.__name__, names[len(offsets) - 1], e)) from None
    except RecursionError:
        raise _TooDeep('cannot write {}: the objects nest too deeply (does an object '
                       'contain itself?)'.format(value.__class__.__name__)) from None
    return offsets


def make_writer(cls: Any) -> Writer:
    """Compile the writer of ``cls`` instances: ``write(buf, value, ctx)``."""
    type_id = cls._type_id
    schema_id = cls._schema_id
    names = cls._field_names
    field_ids = cls._field_ids
    writers = tuple(field_writer(code) for code in cls._field_type_codes)
    count = len(names)
    getter: Optional[Callable[[Any], Tuple[Any, ...]]]
    if count == 0:
        getter = None
    elif count == 1:
        single = attrgetter(names[0])

        def getter(obj: Any) -> Tuple[Any, ...]:
            return (single(obj),)
    else:
        getter = attrgetter(*names)
    compact_two = struct.Struct('<{}H'.format(count)).pack
    compact_four = struct.Struct('<{}i'.format(count)).pack
    full_one = struct.Struct('<' + 'iB' * count).pack
    full_two = struct.Struct('<' + 'iH' * count).pack
    full_four = struct.Struct('<' + 'ii' * count).pack
    pairs = [0] * (2 * count)
    pairs[0::2] = field_ids

    write_fields = compile_field_writer(cls._field_type_codes)

    def field_values(value: Any) -> Sequence[Any]:
        try:
            return getter(value)  # type: ignore[misc]  # never called when there are none
        except AttributeError:
            return tuple(getattr(value, name, None) for name in names)

    def write(buf: bytearray, value: Any, ctx: Any) -> None:
        if ctx is None:
            compact = True
        else:
            if value.__class__ not in ctx.known_classes:
                note_pending(buf, value.__class__)
            compact = ctx.write_compact_footer
            if compact is None:
                if not getattr(_writing, 'guessing', False):
                    _write_guessing(write, buf, value, ctx)
                    return
                compact = True
        start = len(buf)
        buf += _HEADER_ROOM
        if not count:
            # as BinaryWriterExImpl.postWrite: the schema id it starts from, the FNV-1 basis,
            # and the schema offset just past the header (hash: Arrays.hashCode of nothing)
            flags = USER_TYPE | COMPACT_FOOTER if compact else USER_TYPE
            _pack_header(buf, start, tc.TC_COMPLEX_OBJECT, 1, flags, type_id, 1, 24,
                         EMPTY_SCHEMA_ID, 24)
            return
        if write_fields is not None:
            try:
                offsets = write_fields(buf, field_values(value), start)
            except UnicodeEncodeError:  # a lone surrogate: the generic way names the field
                offsets = None
            if offsets is None:  # a value to convert, or a bad one: the generic way
                del buf[start + 24:]
        else:
            offsets = None
        if offsets is None:
            offsets = _write_field_loop(buf, value, ctx, start, writers, field_values, names)
        footer = len(buf) - start
        last = offsets[-1]
        if compact:
            if last < 0x100:
                flags = USER_TYPE | HAS_SCHEMA | OFFSET_ONE_BYTE | COMPACT_FOOTER
                buf += bytes(offsets)
            elif last < 0x10000:
                flags = USER_TYPE | HAS_SCHEMA | OFFSET_TWO_BYTES | COMPACT_FOOTER
                buf += compact_two(*offsets)
            else:
                flags = USER_TYPE | HAS_SCHEMA | COMPACT_FOOTER
                buf += compact_four(*offsets)
        else:
            footer_items = pairs[:]
            footer_items[1::2] = offsets
            if last < 0x100:
                flags = USER_TYPE | HAS_SCHEMA | OFFSET_ONE_BYTE
                buf += full_one(*footer_items)
            elif last < 0x10000:
                flags = USER_TYPE | HAS_SCHEMA | OFFSET_TWO_BYTES
                buf += full_two(*footer_items)
            else:
                flags = USER_TYPE | HAS_SCHEMA
                buf += full_four(*footer_items)
        _pack_header(buf, start, tc.TC_COMPLEX_OBJECT, 1, flags, type_id,
                     bytes_hash(buf, start + 24, start + footer), len(buf) - start,
                     schema_id, footer)

    return write


# --- reading ------------------------------------------------------------------------------


class ReadState:
    """A table of the values decoded so far by start position, for handles.

    It stands in for the registry as the decoders' ``ctx`` while the fields of a
    non-flat object, or a whole top-level value, are decoded.

    :ivar low: the lowest position a handle may point at,
    :ivar provisional: made by the outermost non-flat object, which may sit in a
     top-level collection: a handle reaching before ``low`` then needs a state for the
     whole top-level value (:class:`~pyignite._codec.decoder.NeedsHandleTable`); otherwise
     such a handle is malformed.
    """

    __slots__ = ('registry', 'table', 'resolving', 'low', 'provisional')

    def __init__(self, registry: Any, low: int, provisional: bool):
        self.registry = registry
        self.table: Dict[int, Any] = {}
        self.resolving: Optional[Set[int]] = None
        self.low = low
        self.provisional = provisional

    def read_complex(self, data: bytes, pos: int, ctx: Any) -> Tuple[Any, int]:
        return read_object(self.registry, data, pos, ctx)

    def read_handle(self, data: bytes, pos: int, ctx: Any) -> Tuple[Any, int]:
        return read_handle(self.registry, data, pos, ctx)

    def handle_table(self, low: int) -> 'ReadState':
        # values nested in this one share its table
        return self


_new = object.__new__
_FOOTER_KIND = _WIDTH_FLAGS | COMPACT_FOOTER
_COMPACT_ONE_BYTE = OFFSET_ONE_BYTE | COMPACT_FOOTER
_FOOTER_STRUCTS: Dict[Tuple[int, int], Any] = {}


def _footer_offsets(data: bytes, flags: int, footer_start: int,
                    footer_end: int) -> Sequence[int]:
    """The field offsets of a footer, in footer order."""
    kind = flags & (_WIDTH_FLAGS | COMPACT_FOOTER)
    if kind == OFFSET_ONE_BYTE | COMPACT_FOOTER:
        return data[footer_start:footer_end]
    width = 1 if flags & OFFSET_ONE_BYTE else 2 if flags & OFFSET_TWO_BYTES else 4
    compact = flags & COMPACT_FOOTER
    size = width if compact else width + 4
    count, rest = divmod(footer_end - footer_start, size)
    if rest or count < 0:
        raise ParseError('bad complex object footer of {} bytes'.format(
            footer_end - footer_start))
    unpack = _FOOTER_STRUCTS.get((kind, count))
    if unpack is None:
        code = {1: 'B', 2: 'H', 4: 'i'}[width]
        fmt = '<' + (code * count if compact else ('i' + code) * count)
        unpack = _FOOTER_STRUCTS[(kind, count)] = struct.Struct(fmt).unpack_from
    values: Tuple[int, ...] = unpack(data, footer_start)
    return values if compact else values[1::2]


def footer_field_ids(data: bytes, flags: int, footer_start: int,
                     footer_end: int) -> List[int]:
    """The field ids of a full footer."""
    width = 1 if flags & OFFSET_ONE_BYTE else 2 if flags & OFFSET_TWO_BYTES else 4
    count = (footer_end - footer_start) // (width + 4)
    return [_unpack_i(data, footer_start + i * (width + 4))[0] for i in range(count)]


# --- reading ------------------------------------------------------------------------------

# field types a compiled reader decodes inline, when the value has its declared type: the
# struct that reads the value (after the type code) and the value's width
_INLINE_NUMBERS = {
    tc.TC_BYTE: ('_b', 1), tc.TC_SHORT: ('_h', 2), tc.TC_INT: ('_i', 4),
    tc.TC_LONG: ('_q', 8), tc.TC_FLOAT: ('_f', 4), tc.TC_DOUBLE: ('_d', 8),
}
# past this many fields a schema is read by the generic loop: its compiled reader would
# cost more to build than it saves
MAX_COMPILED_FIELDS = 256


def _field_source(i: int, code: int) -> List[str]:
    """Lines that decode field ``i`` (declared type ``code``) into ``v{i}``."""
    lines = ['    at = start + offsets[{}]'.format(i), '    code = data[at]']
    generic = 'v{} = _T[code](data, at + 1, ctx)[0]'.format(i)
    if code in _INLINE_NUMBERS:
        unpack, _ = _INLINE_NUMBERS[code]
        lines += ['    if code == {}:'.format(code),
                  '        v{} = {}(data, at + 1)[0]'.format(i, unpack),
                  '    else:', '        ' + generic]
    elif code == tc.TC_BOOL:
        lines += ['    if code == {}:'.format(code),
                  '        v{} = data[at + 1] != 0'.format(i),
                  '    else:', '        ' + generic]
    elif code == tc.TC_STRING:
        # bytes.decode() (strict UTF-8) costs about half of str(raw, 'utf-8'); modified
        # UTF-8 and a memoryview (no decode()) go through decode_utf8
        lines += ['    if code == {}:'.format(code),
                  '        size = _i(data, at + 1)[0]',
                  '        at += 5',
                  '        if size < 0 or at + size > len(data):',
                  '            raise _bad_count(size, at - 4)',
                  '        try:',
                  "            v{} = data[at:at + size].decode()".format(i),
                  '        except (UnicodeDecodeError, AttributeError):',
                  '            v{} = _utf8(data[at:at + size])'.format(i),
                  '    else:', '        ' + generic]
    else:
        lines.append('    ' + generic)
    return lines


def compile_field_reader(names: Sequence[str],
                         type_codes: Sequence[int]) -> Optional[Callable[..., Dict[str, Any]]]:
    """A function ``(data, start, offsets, ctx) -> dict`` that decodes the fields of one
    schema, given their offsets in footer order; None for a schema too big to compile.

    Values of their declared type are decoded inline (numbers, booleans, strings), others
    (nulls, objects, any type a foreign writer chose) through ``DECODERS``. The generated
    source holds no names: the field names are bound as ``_n0``, ``_n1``...
    """
    if len(names) > MAX_COMPILED_FIELDS:
        return None
    lines = ['def read_fields(data, start, offsets, ctx):']
    for i, code in enumerate(type_codes):
        lines += _field_source(i, code)
    lines.append('    return {' + ', '.join('_n{0}: v{0}'.format(i)
                                            for i in range(len(names))) + '}')
    namespace: Dict[str, Any] = {
        '_T': DECODERS, '_utf8': decode_utf8, '_bad_count': _bad_count,
        '_b': _structs.BYTE.unpack_from, '_h': _structs.SHORT.unpack_from,
        '_i': _structs.INT.unpack_from, '_q': _structs.LONG.unpack_from,
        '_f': _structs.FLOAT.unpack_from, '_d': _structs.DOUBLE.unpack_from}
    namespace.update(('_n{}'.format(i), name) for i, name in enumerate(names))
    exec('\n'.join(lines), namespace)  # noqa: S102 - source built above from ints only
    reader: Callable[..., Dict[str, Any]] = namespace['read_fields']
    return reader


def _bad_count(count: int, pos: int) -> ParseError:
    return ParseError('bad element count {} at offset {}'.format(count, pos))


def read_object(registry: Any, data: bytes, pos: int, ctx: Any) -> Tuple[Any, int]:
    """Decode the complex object whose type code is at ``pos - 1``; return ``(obj, end)``.

    :raises MissingBinaryType: the registry lacks the type or the schema (fetch it and
     decode again),
    :raises ParseError: malformed bytes.
    """
    start = pos - 1
    version, flags, type_id, _, length, schema_id, schema_offset = _unpack_header(data, pos)
    end = start + length
    if version != 1 or length < 24 or end > len(data):
        raise ParseError('bad complex object header at offset {}'.format(start))
    if type_id == 0:
        # an unregistered type: its class name follows the header
        class_name, _ = read_string(data, start + 25)
        type_id = entity_id(class_name)
    plan = registry.plans.get((type_id, schema_id))
    if plan is None:
        if not flags & HAS_SCHEMA:
            # no fields: Java's header says EMPTY_SCHEMA_ID, older writers' 0, the registry 0
            schema_id = 0
            plan = registry.plans.get((type_id, 0))
        if plan is None:
            plan = registry.make_plan(type_id, schema_id, data, start, flags, schema_offset,
                                      end)
    cls, names, flat, read_fields = plan
    obj = _new(cls)
    if flags & HAS_SCHEMA:
        footer_end = end - 4 if flags & HAS_RAW_DATA else end
        if not 24 <= schema_offset <= footer_end - start:
            raise ParseError('bad complex object schema offset {} at offset {}'.format(
                schema_offset, start))
        if flags & _FOOTER_KIND == _COMPACT_ONE_BYTE:
            # the usual footer (small object, compact): the offsets are its bytes
            offsets: Sequence[int] = data[start + schema_offset:footer_end]
        else:
            offsets = _footer_offsets(data, flags, start + schema_offset, footer_end)
        if len(offsets) != len(names):
            raise ParseError('complex object of type {} has {} fields, its schema {}'.format(
                type_id, len(offsets), len(names)))
        if ctx.__class__ is ReadState:
            ctx.table[start] = obj
        elif not flat:
            ctx = ReadState(registry, start, True)
            ctx.table[start] = obj
        if read_fields is not None:
            fields = read_fields(data, start, offsets, ctx)
        else:
            table = DECODERS
            fields = dict(zip(names, [table[data[(at := start + offset)]](data, at + 1, ctx)[0]
                                      for offset in offsets]))
        try:
            # the object is fresh from object.__new__: its attributes are the fields
            obj.__dict__ = fields
        except (AttributeError, TypeError):  # a class with __slots__
            for name, value in fields.items():
                setattr(obj, name, value)
    elif names:
        raise ParseError('complex object of type {} has no fields, its schema {}'.format(
            type_id, len(names)))
    return obj, end


def read_handle(registry: Any, data: bytes, pos: int, ctx: Any) -> Tuple[Any, int]:
    """Resolve the back-reference whose type code is at ``pos - 1``; return ``(value, end)``.

    :raises NeedsHandleTable: ``ctx`` is no :class:`ReadState`, or a provisional one the
     handle reaches out of (the top-level read decodes again with one state),
    :raises ParseError: the handle points nowhere it may.
    """
    distance = _unpack_i(data, pos)[0]
    target = pos - 1 - distance
    if distance <= 0 or target < 0:
        raise ParseError('bad handle {} at offset {}'.format(distance, pos - 1))
    if ctx.__class__ is not ReadState:
        raise NeedsHandleTable(pos - 1)
    state = ctx
    if target < state.low:
        if state.provisional:
            raise NeedsHandleTable(pos - 1)
        raise ParseError('handle at offset {} points before its value, at {}'.format(
            pos - 1, target))
    found = state.table.get(target)
    if found is not None:
        return found, pos + 4
    # not an object decoded in this read (a collection, say): decode the value where it
    # starts, once; later handles to the same place share it (as in Java)
    resolving = state.resolving
    if resolving is None:
        resolving = state.resolving = set()
    if target in resolving:
        raise ParseError('cyclic back-reference through a collection at offset {}'.format(
            target))
    resolving.add(target)
    try:
        value, _ = DECODERS[data[target]](data, target + 1, state)
    finally:
        resolving.discard(target)
    state.table[target] = value
    return value, pos + 4
