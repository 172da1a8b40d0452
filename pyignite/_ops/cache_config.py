"""Cache configuration: creating a cache from properties and reading a cache's configuration.

Creation (OP_CACHE_CREATE_WITH_CONFIGURATION 1053 / OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION
1054) sends ``int length, short count, count x (short code, value)``. The server does not
skip a property it does not know, and a value it cannot parse makes it drop the connection,
so every property is checked here before anything is sent.

Reading (OP_CACHE_GET_CONFIGURATION 1055) returns every property in a fixed order; it comes
back as the dict of property codes that :attr:`~pyignite.cache.Cache.settings` documents.
The dict is itself valid creation input, so a configuration can be copied.
"""
import struct
from enum import IntEnum
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, List, Literal, Mapping, Optional,
    Sequence, Tuple, Type, overload,
)

from .._protocol import wire as P
from .._codec import structs as S
from .._codec.decoder import Data, read, read_str_or_none
from .._codec.encoder import split_hinted, write, write_string
from .._protocol.opcodes import (
    OP_CACHE_CREATE_WITH_CONFIGURATION, OP_CACHE_GET_CONFIGURATION,
    OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION,
)
from .._codec.registry import MissingBinaryType
from .._protocol.request import Request
from ..datatypes import (
    BoolObject, ByteArrayObject, ByteObject, CharObject, DateObject, DecimalObject, DoubleObject,
    FloatObject, IntObject, LongObject, ShortObject, String, TimeObject, TimestampObject,
    UUIDObject, prop_codes as pc,
)
from ..datatypes.cache_config import (
    CacheAtomicityMode, CacheMode, IndexType, PartitionLossPolicy, RebalanceMode,
    WriteSynchronizationMode,
)
from ..datatypes.expiry_policy import ExpiryPolicy
from ..exceptions import (
    CacheCreationError, CacheError, NotSupportedByClusterError, ParameterError, ParseError,
)
from .binary_types import read_fetching_types
from .common import Operation
from .prepare import prepare

if TYPE_CHECKING:  # pragma: no cover
    from .common import CacheRef, Session

#: a property writer: ``(buf, where, value, ctx, version)``, ``where`` naming the property
#: for error messages
PropWriter = Callable[[bytearray, str, Any, Any, P.Version], None]

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1

# (typed here: struct's unpackers return tuples of Any)
_unpack_i: Callable[[Data, int], Tuple[int]] = S.INT.unpack_from
_unpack_q: Callable[[Data, int], Tuple[int]] = S.LONG.unpack_from
_unpack_qqq: Callable[[Data, int], Tuple[int, int, int]] = struct.Struct('<qqq').unpack_from

#: property code -> its name in :mod:`pyignite.datatypes.prop_codes`, for error messages
PROP_NAMES = {value: name for name, value in vars(pc).items() if name.startswith('PROP_')}

# Java type names of query fields whose default value needs a narrower Ignite type than
# the one a plain Python value maps to (an int is a Long, a float a Double...)
_DEFAULT_VALUE_HINTS = {
    'java.lang.Byte': ByteObject, 'byte': ByteObject,
    'java.lang.Short': ShortObject, 'short': ShortObject,
    'java.lang.Integer': IntObject, 'int': IntObject,
    'java.lang.Long': LongObject, 'long': LongObject,
    'java.lang.Float': FloatObject, 'float': FloatObject,
    'java.lang.Double': DoubleObject, 'double': DoubleObject,
    'java.lang.Character': CharObject, 'char': CharObject,
    'java.lang.Boolean': BoolObject, 'boolean': BoolObject,
    'java.lang.String': String,
    'java.math.BigDecimal': DecimalObject,
    'java.util.UUID': UUIDObject,
    'java.util.Date': DateObject,
    'java.sql.Timestamp': TimestampObject,
    'java.sql.Time': TimeObject,
    '[B': ByteArrayObject,
}


def _where(code: int) -> str:
    return '{} ({})'.format(PROP_NAMES.get(code, 'property'), code)


def _bad(where: str, what: str, value: Any) -> ParameterError:
    return ParameterError('{}: {} expected, got {!r}'.format(where, what, value))


# --- value checks; each returns the value to write or raises ParameterError --------------


def _check_int(where: str, value: Any, lo: int = _INT_MIN, hi: int = _INT_MAX,
               what: Optional[str] = None) -> int:
    if value.__class__ is bool or not isinstance(value, int) or not lo <= value <= hi:
        raise _bad(where, what or 'an int in {}..{}'.format(lo, hi), value)
    return int(value)


def _check_enum(where: str, value: Any, enum: Type[IntEnum]) -> int:
    names = ', '.join('{}={}'.format(m.name, m.value) for m in enum)
    return _check_int(where, value, min(enum), max(enum), 'one of ' + names)


def _check_bool(where: str, value: Any) -> bool:
    if value.__class__ is not bool:
        raise _bad(where, 'a bool', value)
    checked: bool = value
    return checked


@overload
def _check_str(where: str, value: Any, nullable: Literal[False] = False) -> str: ...


@overload
def _check_str(where: str, value: Any, nullable: bool) -> Optional[str]: ...


def _check_str(where: str, value: Any, nullable: bool = False) -> Optional[str]:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value:
        raise _bad(where, 'a non-empty str' + (' or None' if nullable else ''), value)
    return value


def _check_list(where: str, value: Any) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise _bad(where, 'a list', value)
    return value


def _check_dict(where: str, value: Any, allowed: FrozenSet[str],
                required: Iterable[str] = ()) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, 'a dict', value)
    unknown = set(value) - allowed
    if unknown:
        raise ParameterError('{}: unknown key(s) {}; allowed: {}'.format(
            where, ', '.join(sorted(map(repr, unknown))), ', '.join(sorted(allowed))))
    for key in required:
        if key not in value:
            raise ParameterError('{}: the key {!r} is required'.format(where, key))
    return value


# --- property writers: (buf, where, value, ctx, version) ----------------------------------


def _w_string(nullable: bool) -> PropWriter:
    def write_prop(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
        write_string(buf, _check_str(where, value, nullable))
    return write_prop


def _w_int(lo: int = 0, hi: int = _INT_MAX) -> PropWriter:
    def write_prop(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
        buf += S.INT.pack(_check_int(where, value, lo, hi))
    return write_prop


def _w_long(lo: int = _LONG_MIN, hi: int = _LONG_MAX) -> PropWriter:
    def write_prop(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
        buf += S.LONG.pack(_check_int(where, value, lo, hi))
    return write_prop


def _w_enum(enum: Type[IntEnum], allowed: Optional[Sequence[IntEnum]] = None) -> PropWriter:
    def write_prop(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
        if allowed is not None and value not in allowed:
            raise _bad(where, 'one of ' + ', '.join(
                '{}={}'.format(enum(v).name, v) for v in allowed), value)
        buf += S.INT.pack(_check_enum(where, value, enum))
    return write_prop


def _w_bool(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
    buf.append(1 if _check_bool(where, value) else 0)


_ENTITY_KEYS = frozenset([
    'table_name', 'key_field_name', 'key_type_name', 'value_field_name', 'value_type_name',
    'field_name_aliases', 'query_fields', 'query_indexes',
])
_FIELD_KEYS = frozenset([
    'name', 'type_name', 'is_key_field', 'is_notnull_constraint_field', 'default_value',
    'precision', 'scale',
])
_ALIAS_KEYS = frozenset(['field_name', 'alias'])
_INDEX_KEYS = frozenset(['index_name', 'index_type', 'inline_size', 'fields'])
_INDEX_FIELD_KEYS = frozenset(['name', 'is_descending'])
_KEY_CONFIG_KEYS = frozenset(['type_name', 'affinity_key_field_name'])


def _write_query_field(buf: bytearray, where: str, field: Any, ctx: Any,
                       version: P.Version) -> None:
    _check_dict(where, field, _FIELD_KEYS, ('name', 'type_name'))
    type_name = _check_str(where + "['type_name']", field['type_name'])
    write_string(buf, _check_str(where + "['name']", field['name']))
    write_string(buf, type_name)
    buf.append(_check_bool(where + "['is_key_field']", field.get('is_key_field', False)))
    buf.append(_check_bool(where + "['is_notnull_constraint_field']",
                           field.get('is_notnull_constraint_field', False)))
    value, hint = split_hinted(field.get('default_value'))
    if value is not None and hint is None:
        hint = _DEFAULT_VALUE_HINTS.get(type_name)
    try:
        write(buf, value, hint, ctx)
    except ParameterError as e:
        raise ParameterError("{}['default_value']: {}".format(where, e)) from None
    if version >= (1, 2, 0):
        buf += S.INT.pack(_check_int(where + "['precision']", field.get('precision', -1),
                                     -1, _INT_MAX))
        buf += S.INT.pack(_check_int(where + "['scale']", field.get('scale', -1),
                                     -1, _INT_MAX))


def _write_query_index(buf: bytearray, where: str, index: Any, ctx: Any,
                       version: P.Version) -> None:
    _check_dict(where, index, _INDEX_KEYS)
    write_string(buf, _check_str(where + "['index_name']", index.get('index_name'), True))
    buf.append(_check_enum(where + "['index_type']", index.get('index_type', IndexType.SORTED),
                           IndexType))
    buf += S.INT.pack(_check_int(where + "['inline_size']", index.get('inline_size', -1),
                                 -1, _INT_MAX))
    fields = _check_list(where + "['fields']", index.get('fields'))
    buf += S.INT.pack(len(fields))
    for i, field in enumerate(fields):
        at = "{}['fields'][{}]".format(where, i)
        _check_dict(at, field, _INDEX_FIELD_KEYS, ('name',))
        write_string(buf, _check_str(at + "['name']", field['name']))
        buf.append(_check_bool(at + "['is_descending']", field.get('is_descending', False)))


def _write_query_entity(buf: bytearray, where: str, entity: Any, ctx: Any,
                        version: P.Version) -> None:
    _check_dict(where, entity, _ENTITY_KEYS)
    for key in ('key_type_name', 'value_type_name', 'table_name', 'key_field_name',
                'value_field_name'):
        write_string(buf, _check_str('{}[{!r}]'.format(where, key), entity.get(key), True))
    fields = _check_list(where + "['query_fields']", entity.get('query_fields'))
    buf += S.INT.pack(len(fields))
    for i, field in enumerate(fields):
        _write_query_field(buf, "{}['query_fields'][{}]".format(where, i), field, ctx, version)
    aliases = _check_list(where + "['field_name_aliases']", entity.get('field_name_aliases'))
    buf += S.INT.pack(len(aliases))
    for i, alias in enumerate(aliases):
        at = "{}['field_name_aliases'][{}]".format(where, i)
        _check_dict(at, alias, _ALIAS_KEYS, ('field_name', 'alias'))
        write_string(buf, _check_str(at + "['field_name']", alias['field_name']))
        write_string(buf, _check_str(at + "['alias']", alias['alias']))
    indexes = _check_list(where + "['query_indexes']", entity.get('query_indexes'))
    buf += S.INT.pack(len(indexes))
    for i, index in enumerate(indexes):
        _write_query_index(buf, "{}['query_indexes'][{}]".format(where, i), index, ctx,
                           version)


def _w_query_entities(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
    entities = _check_list(where, value)
    buf += S.INT.pack(len(entities))
    for i, entity in enumerate(entities):
        _write_query_entity(buf, '{}[{}]'.format(where, i), entity, ctx, version)


def _w_key_configuration(buf: bytearray, where: str, value: Any, ctx: Any,
                         version: P.Version) -> None:
    configs = _check_list(where, value)
    buf += S.INT.pack(len(configs))
    for i, config in enumerate(configs):
        at = '{}[{}]'.format(where, i)
        _check_dict(at, config, _KEY_CONFIG_KEYS, _KEY_CONFIG_KEYS)
        write_string(buf, _check_str(at + "['type_name']", config['type_name']))
        write_string(buf, _check_str(at + "['affinity_key_field_name']",
                                     config['affinity_key_field_name']))


def _w_expiry_policy(buf: bytearray, where: str, value: Any, ctx: Any, version: P.Version) -> None:
    if value is None:
        buf.append(0)
        return
    if not isinstance(value, ExpiryPolicy):
        raise _bad(where, 'an ExpiryPolicy or None', value)
    if version < (1, 6, 0):
        raise NotSupportedByClusterError('{}: expiry policies need protocol 1.6.0 or newer, '
                                         'the cluster speaks {}'.format(where, version))
    buf.append(1)
    buf += S.LONG.pack(value.create) + S.LONG.pack(value.update) + S.LONG.pack(value.access)


#: every property the server understands and how to write it
_WRITERS: Dict[int, PropWriter] = {
    pc.PROP_NAME: _w_string(False),
    # LOCAL (0) makes the server drop the connection while parsing the request
    pc.PROP_CACHE_MODE: _w_enum(CacheMode, (CacheMode.REPLICATED, CacheMode.PARTITIONED)),
    pc.PROP_CACHE_ATOMICITY_MODE: _w_enum(CacheAtomicityMode),
    pc.PROP_BACKUPS_NUMBER: _w_int(),
    pc.PROP_WRITE_SYNCHRONIZATION_MODE: _w_enum(WriteSynchronizationMode),
    pc.PROP_COPY_ON_READ: _w_bool,
    pc.PROP_READ_FROM_BACKUP: _w_bool,
    pc.PROP_DATA_REGION_NAME: _w_string(True),
    pc.PROP_IS_ONHEAP_CACHE_ENABLED: _w_bool,
    pc.PROP_QUERY_ENTITIES: _w_query_entities,
    pc.PROP_QUERY_PARALLELISM: _w_int(1),
    pc.PROP_QUERY_DETAIL_METRIC_SIZE: _w_int(),
    pc.PROP_SQL_SCHEMA: _w_string(True),
    pc.PROP_SQL_INDEX_INLINE_MAX_SIZE: _w_int(-1),
    pc.PROP_SQL_ESCAPE_ALL: _w_bool,
    pc.PROP_MAX_QUERY_ITERATORS: _w_int(),
    pc.PROP_REBALANCE_MODE: _w_enum(RebalanceMode),
    pc.PROP_REBALANCE_DELAY: _w_long(-1),
    pc.PROP_REBALANCE_TIMEOUT: _w_long(0),
    pc.PROP_REBALANCE_BATCH_SIZE: _w_int(1),
    pc.PROP_REBALANCE_BATCHES_PREFETCH_COUNT: _w_long(1),
    pc.PROP_REBALANCE_ORDER: _w_int(_INT_MIN),
    pc.PROP_REBALANCE_THROTTLE: _w_long(0),
    pc.PROP_GROUP_NAME: _w_string(True),
    pc.PROP_CACHE_KEY_CONFIGURATION: _w_key_configuration,
    pc.PROP_DEFAULT_LOCK_TIMEOUT: _w_long(0),
    pc.PROP_MAX_CONCURRENT_ASYNC_OPERATIONS: _w_int(),
    pc.PROP_PARTITION_LOSS_POLICY: _w_enum(PartitionLossPolicy),
    pc.PROP_EAGER_TTL: _w_bool,
    pc.PROP_STATISTICS_ENABLED: _w_bool,
    pc.PROP_EXPIRY_POLICY: _w_expiry_policy,
}


_pack_length_count = struct.Struct('<ih').pack_into


def _protocol_version(session: 'Session') -> P.Version:
    ctx = session.protocol_context
    return ctx.version if ctx is not None else (1, 7, 0)


def build_config(name: str, props: Mapping[int, Any], ctx: Any, version: P.Version) -> bytes:
    """The property-form cache configuration: ``int length, short count, properties``
    (see :func:`write_config`)."""
    buf = bytearray()
    write_config(buf, name, props, ctx, version)
    return bytes(buf)


def write_config(buf: bytearray, name: str, props: Mapping[int, Any], ctx: Any,
                 version: P.Version) -> None:
    """Append the property-form cache configuration to ``buf``: ``int length, short count,
    properties``. Values are written straight into ``buf``, so that a request frame notes
    the complex objects among them (see :class:`~pyignite._protocol.request.Frame`).

    :param name: the cache name (PROP_NAME),
    :param props: the other properties, code to value,
    :param ctx: the client's binary registry (for default values of query fields),
    :param version: the negotiated protocol version,
    :raises ParameterError: an unknown code or a bad value; the message names the property.
    """
    start = len(buf)
    buf += bytes(6)  # length and count, filled in at the end
    count = 0
    items = [(pc.PROP_NAME, name)]
    items.extend((code, value) for code, value in props.items() if code != pc.PROP_NAME)
    for code, value in items:
        writer = _WRITERS.get(code) if code.__class__ is not bool else None
        if writer is None:
            raise ParameterError('unknown cache property code {!r}; the codes are in '
                                 'pyignite.datatypes.prop_codes'.format(code))
        if code == pc.PROP_EXPIRY_POLICY and value is None and version < (1, 6, 0):
            continue  # absent is what None means, and older servers lack the property
        buf += S.SHORT.pack(code)
        writer(buf, _where(code), value, ctx, version)
        count += 1
    _pack_length_count(buf, start, len(buf) - start - 4, count)


def create_with_config(session: 'Session', name: str, props: Mapping[int, Any],
                       only_new: bool) -> Operation:
    """Create a cache from properties (``only_new``), or get it, creating it if needed.

    :raises ParameterError: before anything is sent, for an unknown property code or a
     value of the wrong type or range,
    :raises CacheCreationError: the server refused, e.g. the cache exists (``only_new``).
    """
    req = Request(OP_CACHE_CREATE_WITH_CONFIGURATION if only_new
                  else OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION, CacheCreationError)
    write_config(req.buf, name, props, session.binary, _protocol_version(session))
    if session.needs_prepare(req):
        yield from prepare(session, req)
    yield req


# --- reading ------------------------------------------------------------------------------


def _read_bool(data: Data, pos: int) -> Tuple[bool, int]:
    return data[pos] != 0, pos + 1


def _read_int(data: Data, pos: int) -> Tuple[int, int]:
    return _unpack_i(data, pos)[0], pos + 4


def _read_long(data: Data, pos: int) -> Tuple[int, int]:
    return _unpack_q(data, pos)[0], pos + 8


def _read_query_entity(data: Data, pos: int, ctx: Any,
                       version: P.Version) -> Tuple[Dict[str, Any], int]:
    entity: Dict[str, Any] = {}
    for key in ('key_type_name', 'value_type_name', 'table_name', 'key_field_name',
                'value_field_name'):
        entity[key], pos = read_str_or_none(data, pos)
    count, pos = _read_int(data, pos)
    fields: List[Dict[str, Any]] = []
    for _ in range(count):
        field: Dict[str, Any] = {}
        field['name'], pos = read_str_or_none(data, pos)
        field['type_name'], pos = read_str_or_none(data, pos)
        field['is_key_field'], pos = _read_bool(data, pos)
        field['is_notnull_constraint_field'], pos = _read_bool(data, pos)
        field['default_value'], pos = read(data, pos, ctx)
        if version >= (1, 2, 0):
            field['precision'], pos = _read_int(data, pos)
            field['scale'], pos = _read_int(data, pos)
        else:
            field['precision'] = field['scale'] = -1
        fields.append(field)
    entity['query_fields'] = fields
    count, pos = _read_int(data, pos)
    aliases = []
    for _ in range(count):
        field_name, pos = read_str_or_none(data, pos)
        alias, pos = read_str_or_none(data, pos)
        aliases.append({'field_name': field_name, 'alias': alias})
    entity['field_name_aliases'] = aliases
    count, pos = _read_int(data, pos)
    indexes: List[Dict[str, Any]] = []
    for _ in range(count):
        index: Dict[str, Any] = {}
        index['index_name'], pos = read_str_or_none(data, pos)
        index['index_type'] = data[pos]
        index['inline_size'], pos = _read_int(data, pos + 1)
        n, pos = _read_int(data, pos)
        index_fields = []
        for _ in range(n):
            field_name, pos = read_str_or_none(data, pos)
            descending, pos = _read_bool(data, pos)
            index_fields.append({'name': field_name, 'is_descending': descending})
        index['fields'] = index_fields
        indexes.append(index)
    entity['query_indexes'] = indexes
    return entity, pos


def parse_config(data: Data, pos: int, ctx: Any, version: P.Version) -> Tuple[Dict[int, Any], int]:
    """Decode an OP_CACHE_GET_CONFIGURATION reply into a dict of property codes.

    :return: ``(settings, next_pos)``.
    """
    s: Dict[int, Any] = {}
    pos += 4  # the length of what follows
    s[pc.PROP_CACHE_ATOMICITY_MODE], pos = _read_int(data, pos)
    s[pc.PROP_BACKUPS_NUMBER], pos = _read_int(data, pos)
    s[pc.PROP_CACHE_MODE], pos = _read_int(data, pos)
    s[pc.PROP_COPY_ON_READ], pos = _read_bool(data, pos)
    s[pc.PROP_DATA_REGION_NAME], pos = read_str_or_none(data, pos)
    s[pc.PROP_EAGER_TTL], pos = _read_bool(data, pos)
    s[pc.PROP_STATISTICS_ENABLED], pos = _read_bool(data, pos)
    s[pc.PROP_GROUP_NAME], pos = read_str_or_none(data, pos)
    s[pc.PROP_DEFAULT_LOCK_TIMEOUT], pos = _read_long(data, pos)
    s[pc.PROP_MAX_CONCURRENT_ASYNC_OPERATIONS], pos = _read_int(data, pos)
    s[pc.PROP_MAX_QUERY_ITERATORS], pos = _read_int(data, pos)
    s[pc.PROP_NAME], pos = read_str_or_none(data, pos)
    s[pc.PROP_IS_ONHEAP_CACHE_ENABLED], pos = _read_bool(data, pos)
    s[pc.PROP_PARTITION_LOSS_POLICY], pos = _read_int(data, pos)
    s[pc.PROP_QUERY_DETAIL_METRIC_SIZE], pos = _read_int(data, pos)
    s[pc.PROP_QUERY_PARALLELISM], pos = _read_int(data, pos)
    s[pc.PROP_READ_FROM_BACKUP], pos = _read_bool(data, pos)
    s[pc.PROP_REBALANCE_BATCH_SIZE], pos = _read_int(data, pos)
    s[pc.PROP_REBALANCE_BATCHES_PREFETCH_COUNT], pos = _read_long(data, pos)
    s[pc.PROP_REBALANCE_DELAY], pos = _read_long(data, pos)
    s[pc.PROP_REBALANCE_MODE], pos = _read_int(data, pos)
    s[pc.PROP_REBALANCE_ORDER], pos = _read_int(data, pos)
    s[pc.PROP_REBALANCE_THROTTLE], pos = _read_long(data, pos)
    s[pc.PROP_REBALANCE_TIMEOUT], pos = _read_long(data, pos)
    s[pc.PROP_SQL_ESCAPE_ALL], pos = _read_bool(data, pos)
    s[pc.PROP_SQL_INDEX_INLINE_MAX_SIZE], pos = _read_int(data, pos)
    s[pc.PROP_SQL_SCHEMA], pos = read_str_or_none(data, pos)
    s[pc.PROP_WRITE_SYNCHRONIZATION_MODE], pos = _read_int(data, pos)
    count, pos = _read_int(data, pos)
    key_configs = []
    for _ in range(count):
        type_name, pos = read_str_or_none(data, pos)
        field_name, pos = read_str_or_none(data, pos)
        key_configs.append({'type_name': type_name, 'affinity_key_field_name': field_name})
    s[pc.PROP_CACHE_KEY_CONFIGURATION] = key_configs
    count, pos = _read_int(data, pos)
    entities = []
    for _ in range(count):
        entity, pos = _read_query_entity(data, pos, ctx, version)
        entities.append(entity)
    s[pc.PROP_QUERY_ENTITIES] = entities
    if version >= (1, 6, 0):
        present, pos = _read_bool(data, pos)
        policy = None
        if present:
            create, update, access = _unpack_qqq(data, pos)
            pos += 24
            policy = ExpiryPolicy(create=create, update=update, access=access)
        s[pc.PROP_EXPIRY_POLICY] = policy
    return s, pos


def get_settings(session: 'Session', cache: 'CacheRef') -> Operation:
    """Read a cache's configuration (OP_CACHE_GET_CONFIGURATION).

    :return: a dict of every cache property code and its value.
    """
    req = Request(OP_CACHE_GET_CONFIGURATION, CacheError)
    req.buf += S.INT_BYTE.pack(cache.cache_id, 0)
    resp = yield req
    conn_ctx = getattr(resp.conn, 'protocol_context', None)
    version = conn_ctx.version if conn_ctx is not None else _protocol_version(session)

    def reader(data: Data, pos: int, ctx: Any) -> Tuple[Dict[int, Any], int]:
        return parse_config(data, pos, ctx, version)

    try:
        try:
            return reader(resp.data, resp.pos, session.binary)[0]
        except MissingBinaryType:
            return (yield from read_fetching_types(session, reader, resp.data, resp.pos))[0]
    except (IndexError, ValueError, TypeError, struct.error) as e:
        raise ParseError('malformed cache configuration: {}'.format(e)) from None
