"""Binary type operations: metadata get/put (3002/3003), the binary configuration (3004),
registering classes before a write and fetching unknown types on a read.
"""
from collections import OrderedDict
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, Generator, List, Mapping, Optional, Sequence, Set,
    Tuple, Union,
)

from .._codec import objects as _binary_codec, decoder as _decoder, structs as S
from .._codec.decoder import Data, Reader, read_str_or_none
from .._codec.encoder import write_string
from .._codec.ids import entity_id, schema_id as make_schema_id
from .._protocol.opcodes import (
    OP_GET_BINARY_CONFIGURATION, OP_GET_BINARY_TYPE, OP_PUT_BINARY_TYPE,
    OP_REGISTER_BINARY_TYPE_NAME,
)
from .._codec.registry import BinaryTypeInfo, MissingBinaryType
from .._protocol.request import Frame, Request, Response
from ..binary import GenericObjectMeta, hint_for_type_code
from ..datatypes.base import is_hint
from ..exceptions import BinaryTypeError, ParameterError
from .common import Operation

if TYPE_CHECKING:
    from .common import Session

_pack_i = S.INT.pack
_unpack_i: Callable[[Data, int], Tuple[int]] = S.INT.unpack_from


def _type_id_of(binary_type: Union[str, int]) -> int:
    if isinstance(binary_type, str) and binary_type:
        return entity_id(binary_type)
    if isinstance(binary_type, int) and not isinstance(binary_type, bool):
        if not -0x80000000 <= binary_type <= 0x7fffffff:
            raise ParameterError('a type id is a 32-bit int, not {}'.format(binary_type))
        return binary_type
    raise ParameterError('a binary type is given by its name or id, not {!r}'.format(binary_type))


# --- the metadata body ----------------------------------------------------------------------


def write_type_body(buf: bytearray, type_name: str, affinity_key_field: Optional[str],
                    fields: List[Tuple[str, int]], is_enum: bool = False,
                    enums: Sequence[Tuple[str, int]] = (),
                    schemas: Optional[Mapping[int, Sequence[int]]] = None) -> None:
    """Append a BinaryType body: ``fields`` are ``(name, type code)`` pairs, ``enums``
    ``(name, ordinal)`` pairs, ``schemas`` ``{schema id: field ids}`` (one schema of all
    the fields in order if None).
    """
    buf += _pack_i(entity_id(type_name))
    write_string(buf, type_name)
    write_string(buf, affinity_key_field)
    buf += _pack_i(len(fields))
    for name, code in fields:
        write_string(buf, name)
        buf += S.INT_INT.pack(code, entity_id(name))
    buf.append(1 if is_enum else 0)
    if is_enum:
        buf += _pack_i(len(enums))
        for name, ordinal in enums:
            write_string(buf, name)
            buf += _pack_i(ordinal)
    if schemas is None:
        ids = [entity_id(name) for name, _ in fields]
        schemas = {make_schema_id(ids): ids} if ids else {}
    buf += _pack_i(len(schemas))
    for schema_id, field_ids in schemas.items():
        buf += S.INT_INT.pack(schema_id, len(field_ids))
        for field_id in field_ids:
            buf += _pack_i(field_id)


def read_type_body(data: Data, pos: int) -> Tuple[BinaryTypeInfo, int]:
    """Parse a BinaryType body; return ``(BinaryTypeInfo, next_pos)``."""
    type_id = _unpack_i(data, pos)[0]
    type_name, pos = read_str_or_none(data, pos + 4)
    affinity, pos = read_str_or_none(data, pos)
    count = _unpack_i(data, pos)[0]
    pos += 4
    fields = {}
    for _ in range(count):
        name, pos = read_str_or_none(data, pos)
        code, field_id = S.INT_INT.unpack_from(data, pos)
        pos += 8
        fields[field_id] = (name, code)
    is_enum = data[pos] != 0
    pos += 1
    enums = OrderedDict()
    if is_enum:
        count = _unpack_i(data, pos)[0]
        pos += 4
        for _ in range(count):
            name, pos = read_str_or_none(data, pos)
            enums[name] = _unpack_i(data, pos)[0]
            pos += 4
    count = _unpack_i(data, pos)[0]
    pos += 4
    schemas = OrderedDict()
    for _ in range(count):
        schema_id, n = S.INT_INT.unpack_from(data, pos)
        pos += 8
        schemas[schema_id] = tuple(S.INT.unpack_from(data, pos + 4 * i)[0] for i in range(n))
        pos += 4 * n
    # the server never sends a null type, field or enum value name
    return BinaryTypeInfo(type_id, type_name, affinity, fields, schemas,  # type: ignore[arg-type]
                          is_enum, enums), pos  # type: ignore[arg-type]


def _fields_of(schema: Any) -> List[Tuple[str, int]]:
    from ..binary import _field_type_code
    if schema is None:
        return []
    if not hasattr(schema, 'items'):
        raise ParameterError('a schema is a dict of field names to type hints')
    fields = []
    for name, hint in schema.items():
        if not isinstance(name, str) or not name:
            raise ParameterError('field names must be non-empty strings, not {!r}'.format(name))
        if not (is_hint(hint) or isinstance(hint, GenericObjectMeta)):
            raise ParameterError('field {!r}: {!r} is not a type hint'.format(name, hint))
        fields.append((name, _field_type_code(hint)))
    return fields


def _enums_of(schema: Any) -> List[Tuple[str, int]]:
    if schema is None:
        return []
    if not hasattr(schema, 'items'):
        raise ParameterError('an enum schema is a dict of value names to ordinals')
    enums = []
    for name, ordinal in schema.items():
        if not isinstance(name, str) or not name:
            raise ParameterError('enum value names must be non-empty strings, not {!r}'.format(
                name))
        if not isinstance(ordinal, int) or isinstance(ordinal, bool) or \
                not -0x80000000 <= ordinal <= 0x7fffffff:
            raise ParameterError('the ordinal of {!r} must be a 32-bit int, not {!r}'.format(
                name, ordinal))
        enums.append((name, ordinal))
    return enums


# --- operations ---------------------------------------------------------------------------


def _put(session: 'Session', type_name: Any, affinity_key_field: Optional[str],
         fields: List[Tuple[str, int]], is_enum: bool = False,
         enums: Sequence[Tuple[str, int]] = ()) -> Operation:
    if not isinstance(type_name, str) or not type_name:
        raise ParameterError('type_name must be a non-empty string')
    if affinity_key_field is not None and not isinstance(affinity_key_field, str):
        raise ParameterError('affinity_key_field must be a string or None')
    req = Request(OP_PUT_BINARY_TYPE, BinaryTypeError)
    write_type_body(req.buf, type_name, affinity_key_field, fields, is_enum, enums)
    yield req
    session.binary.forget_type(entity_id(type_name))


def put_binary_type(session: 'Session', type_name: str, affinity_key_field: Optional[str] = None,
                    is_enum: bool = False,
                    schema: Optional[Mapping[str, Any]] = None) -> Operation:
    """OP_PUT_BINARY_TYPE for a complex object type or an enum type.

    :return: ``{'type_id': ..., 'schema_id': ...}`` (schema id 0 for enums and no fields).
    """
    if is_enum:
        fields, enums = [], _enums_of(schema)
    else:
        fields, enums = _fields_of(schema), []
    yield from _put(session, type_name, affinity_key_field, fields, bool(is_enum), enums)
    return {
        'type_id': entity_id(type_name),
        'schema_id': make_schema_id([entity_id(name) for name, _ in fields]),
    }


def _get(session: 'Session',
         type_id: int) -> Generator[Request, Response, Optional[BinaryTypeInfo]]:
    req = Request(OP_GET_BINARY_TYPE, BinaryTypeError)
    req.buf += _pack_i(type_id)
    resp = yield req
    data, pos = resp.data, resp.pos
    if data[pos] == 0:
        return None
    return read_type_body(data, pos + 1)[0]


def get_binary_type(session: 'Session', binary_type: Union[str, int]) -> Operation:
    """OP_GET_BINARY_TYPE: the type's metadata as the documented dict."""
    info = yield from _get(session, _type_id_of(binary_type))
    if info is None:
        return {'type_exists': False}
    result: Dict[str, Any] = {
        'type_exists': True,
        'type_id': info.type_id,
        'type_name': info.type_name,
        'affinity_key_field': info.affinity_key_field,
        'is_enum': info.is_enum,
        'schemas': [
            OrderedDict((info.fields[f][0], hint_for_type_code(info.fields[f][1]))
                        for f in field_ids if f in info.fields)
            for field_ids in info.schemas.values()
        ],
    }
    if info.is_enum:
        result['enums'] = OrderedDict(info.enums)
    return result


def fetch_type(session: 'Session', type_id: int) -> Operation:
    """Fetch a type's metadata into the registry, with classes for its schemas."""
    info = yield from _get(session, type_id)
    if info is not None:
        session.binary.type_fetched(info)
    return info


def fetch_binary_configuration(session: 'Session') -> Operation:
    """Learn the server's compact footer setting (OP_GET_BINARY_CONFIGURATION)."""
    ctx = session.protocol_context
    compact = True  # the server default, for servers that cannot be asked
    if ctx is not None and ctx.is_binary_configuration_supported():
        resp = yield Request(OP_GET_BINARY_CONFIGURATION, BinaryTypeError)
        compact = resp.data[resp.pos] != 0
    session.binary.set_server_compact_footer(compact)


def compact_footer(session: 'Session') -> Operation:
    """Whether objects are written with compact footers, asking the server if need be."""
    compact = session.binary.write_compact_footer
    if compact is None:
        yield from fetch_binary_configuration(session)
        compact = session.binary.write_compact_footer
    return bool(compact)


def _check_class(data_class: GenericObjectMeta) -> None:
    if not isinstance(data_class, GenericObjectMeta):
        raise ParameterError('{!r} is not a complex object class (built with '
                             'GenericObjectMeta)'.format(data_class))


def _server_affinity_field(session: 'Session', type_id: int) -> Operation:
    """The affinity key field the server has for a type (it refuses a PUT naming another,
    None included), fetching the type if the registry has not seen it.
    """
    registry = session.binary
    info = registry.types.get(type_id)
    if info is None:
        if type_id in registry.affinity_fields:
            return registry.affinity_fields[type_id]
        info = yield from fetch_type(session, type_id)
    return None if info is None else info.affinity_key_field


def _put_class(session: 'Session', data_class: GenericObjectMeta,
               affinity_key_field: Optional[str] = None) -> Operation:
    if affinity_key_field is None:
        affinity_key_field = yield from _server_affinity_field(session, data_class.type_id)
    fields = list(zip(data_class._field_names, data_class._field_type_codes))
    yield from _put(session, data_class.type_name, affinity_key_field, fields)
    return affinity_key_field


def register_binary_type(session: 'Session', data_class: GenericObjectMeta,
                         affinity_key_field: Optional[str] = None) -> Operation:
    """Put the class's type to the server and use the class for its schema from now on."""
    _check_class(data_class)
    affinity_key_field = yield from _put_class(session, data_class, affinity_key_field)
    session.binary.class_registered(data_class, affinity_key_field)


#: the platform id of Java class names (OP_REGISTER_BINARY_TYPE_NAME)
PLATFORM_JAVA_ID = 0
#: the platform byte that follows an object the server runs (a scan filter, an entry
#: processor): a Java class
PLATFORM_JAVA = 1


def register_java_class_name(session: 'Session', data_class: GenericObjectMeta) -> Operation:
    """Tell the server that the class's type id is the Java class of its type name
    (OP_REGISTER_BINARY_TYPE_NAME), so that a node can deserialize such an object into that
    class (a filter, a task argument...). Registering a name again is harmless."""
    req = Request(OP_REGISTER_BINARY_TYPE_NAME, BinaryTypeError)
    req.buf.append(PLATFORM_JAVA_ID)
    req.buf += S.INT.pack(data_class._type_id)
    write_string(req.buf, data_class._type_name)
    yield req


def put_pending_types(session: 'Session', buf: Frame) -> Operation:
    """Run before a request holding complex objects (noted on its frame ``buf``): learn
    the footer mode if it was guessed, fix the guessed objects, and register the classes
    the server lacks. A class the server refuses fails this request only.
    """
    registry = session.binary
    if registry.needs_server_footer:
        yield from fetch_binary_configuration(session)
    _binary_codec.fix_guessed_footers(buf, registry)
    for cls in buf.pending:
        if cls not in registry.known_classes:
            affinity_key_field = yield from _put_class(session, cls)
            registry.class_registered(cls, affinity_key_field)
    buf.pending = ()


def query_binary_type(session: 'Session', binary_type: Union[int, str],
                      schema: Union[int, Mapping[str, Any], None] = None) -> Operation:
    """The class of one schema (or None) if ``schema`` is given, else ``{schema id: class}``;
    fetches the type from the server when the registry lacks it.
    """
    type_id = _type_id_of(binary_type)
    if schema is None:
        wanted = None
    elif isinstance(schema, int) and not isinstance(schema, bool):
        wanted = schema
    elif hasattr(schema, 'keys'):
        wanted = make_schema_id([entity_id(name) for name in schema.keys()])
    else:
        raise ParameterError('a schema is a dict of field names to hints or a schema id')

    def lookup() -> Any:
        classes = session.binary.classes.get(type_id, {})
        return dict(classes) if wanted is None else classes.get(wanted)

    found = lookup()
    if not found:
        yield from fetch_type(session, type_id)
        found = lookup()
    return found


def _is_wrapped(value: Any) -> bool:
    return value.__class__ is tuple and len(value) == 2 and \
        isinstance(value[0], (bytes, bytearray, memoryview)) and \
        isinstance(value[1], int) and not isinstance(value[1], bool)


def _read_in_wrapped(data: Data, pos: int, ctx: Any) -> Tuple[Any, int]:
    # the object may point back at bytes before it in the wrapped array
    return _decoder.read_with_handle_table(data, pos, ctx, 0)


def unwrap_binary(session: 'Session', value: Any) -> Operation:
    """Decode wrapped ``(bytes, offset)`` binary objects inside ``value``, recursively."""
    if _is_wrapped(value):
        data, offset = bytes(value[0]), value[1]
        if not 0 <= offset < len(data):
            raise ParameterError('wrapped binary data offset {} out of range'.format(offset))
        return (yield from read_fetching_types(session, _read_in_wrapped, data, offset))[0]
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int) \
            and isinstance(value[1], (list, tuple, dict)):
        return value[0], (yield from unwrap_binary(session, value[1]))
    if isinstance(value, list):
        result = []
        for item in value:
            result.append((yield from unwrap_binary(session, item)))
        return result
    if isinstance(value, dict):
        mapping = value.__class__()
        for key, item in value.items():
            mapping[key] = yield from unwrap_binary(session, item)
        return mapping
    return value


# --- decoding what needs types the registry lacks ----------------------------------------


def read_fetching_types(session: 'Session', reader: Reader, data: Data, pos: int) -> Operation:
    """Run ``reader(data, pos, registry)`` until every binary type it needs is known;
    return what it returns."""
    seen: Set[Tuple[int, Optional[int]]] = set()
    while True:
        try:
            return reader(data, pos, session.binary)
        except MissingBinaryType as missing:
            key = (missing.type_id, missing.schema_id)
            if key in seen:
                raise
            seen.add(key)
            yield from fetch_type(session, missing.type_id)


def decode(session: 'Session', reader: Reader, data: Data, pos: int) -> Operation:
    """The value ``reader`` reads at ``data[pos]``, fetching binary types first if needed."""
    try:
        return reader(data, pos, session.binary)[0]
    except MissingBinaryType:
        return (yield from read_fetching_types(session, reader, data, pos))[0]
