"""The per-client registry of complex object types (binary types).

The codecs reach it as their ``ctx``. The encoder notes classes the server
may not know yet on the request frame it writes (see :class:`~pyignite._protocol.request.Frame`;
the operation registers them before sending the request); the decoder raises
:class:`MissingBinaryType`
for a type or schema the registry cannot decode yet, so the operation fetches
the type's metadata and decodes again.

Thread safety: readers never lock. Every table is replaced, never changed in
place, under a lock held only by writers (copy on write), so a reader sees an
old or a new table, never a half-updated one. What a request still has to do
(classes to register, objects written before the server's footer mode was
known) is kept on the request, so each request registers what it wrote and a
failure touches only the requests concerned.
"""
import functools
import threading
from typing import (
    Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, NamedTuple, Optional, Sequence,
    Tuple,
)

from . import objects as _binary_codec
from .ids import entity_id
from ..exceptions import ParseError


class MissingBinaryType(ParseError):
    """Decoding needs the metadata of a type (or a schema) the registry does not hold yet.

    Operations catch it, fetch the type and decode again; it only reaches the user when
    the server does not know the type or schema either.
    """

    def __init__(self, type_id: int, schema_id: Optional[int] = None):
        self.type_id = type_id
        self.schema_id = schema_id
        super().__init__('binary type {} (schema {}) is not known to the client nor to the '
                         'server'.format(type_id, schema_id))


#: how to decode one schema: (class, field names, flat, field reader)
Plan = Tuple[Any, Tuple[str, ...], bool, Any]


class BinaryTypeInfo(NamedTuple):
    """A binary type's metadata as the server holds it."""

    type_id: int
    type_name: str
    affinity_key_field: Optional[str]
    #: field id -> (field name, type code)
    fields: Dict[int, Tuple[str, int]]
    #: schema id -> field ids, in footer order
    schemas: Dict[int, Tuple[int, ...]]
    is_enum: bool
    #: enum value name -> ordinal
    enums: Dict[str, int]

    def schema_fields(self, field_ids: Iterable[int]) -> Optional[List[Tuple[str, int]]]:
        """``(name, type code)`` of the given field ids, or None if one is unknown."""
        fields = self.fields
        try:
            return [fields[field_id] for field_id in field_ids]
        except KeyError:
            return None


class BinaryRegistry:
    """Types known to one client, and how it writes complex objects.

    :param compact_footer: None to follow the server, or True/False to force the footer
     mode of the objects this client writes.

    :ivar classes: ``type_id -> {schema_id: class}``,
    :ivar types: ``type_id ->`` :class:`BinaryTypeInfo`, the server's metadata,
    :ivar plans: ``(type_id, schema_id) -> (class, field names, flat, field reader)``, how
     to decode,
    :ivar known_classes: classes the server has the metadata of,
    :ivar affinity_fields: ``type_id ->`` affinity key field name, for the types that have one,
    :ivar affinity_key_fields: ``type_id ->`` affinity key field id (for routing keys),
    :ivar server_compact_footer: the server's footer mode once asked, else None.
    """

    def __init__(self, compact_footer: Optional[bool] = None):
        self._lock = threading.Lock()
        self._compact_footer = compact_footer
        self.server_compact_footer: Optional[bool] = None
        self.write_compact_footer: Optional[bool] = compact_footer
        self.classes: Dict[int, Dict[int, Any]] = {}
        self.types: Dict[int, BinaryTypeInfo] = {}
        self.plans: Dict[Tuple[int, int], Plan] = {}
        self.known_classes: FrozenSet[Any] = frozenset()
        self.affinity_fields: Dict[int, str] = {}
        self.affinity_key_fields: Mapping[int, int] = {}
        #: the decoders' hook for a complex object (type code 103 at ``pos - 1``):
        #: ``(data, pos, ctx) -> (object, next pos)``; a partial, so that decoding an
        #: object costs no Python call in between
        self.read_complex: Callable[[bytes, int, Any], Tuple[Any, int]] = functools.partial(
            _binary_codec.read_object, self)

    # --- footer mode ----------------------------------------------------------------------

    @property
    def compact_footer(self) -> Optional[bool]:
        """The footer mode asked for: None follows the server."""
        return self._compact_footer

    @compact_footer.setter
    def compact_footer(self, value: Optional[bool]) -> None:
        if value is not None:
            value = bool(value)
        with self._lock:
            self._compact_footer = value
            self._update_write_mode()

    def set_server_compact_footer(self, value: bool) -> None:
        """Remember the server's footer mode (OP_GET_BINARY_CONFIGURATION)."""
        with self._lock:
            self.server_compact_footer = bool(value)
            self._update_write_mode()

    def _update_write_mode(self) -> None:
        # what writers read: True/False, or None while the server's mode is unknown
        mode = self._compact_footer
        self.write_compact_footer = self.server_compact_footer if mode is None else mode

    @property
    def needs_server_footer(self) -> bool:
        """Whether the server must be asked for its footer mode before writing."""
        return self.write_compact_footer is None

    # --- classes the server must learn ----------------------------------------------------

    def class_registered(self, cls: Any, affinity_key_field: Optional[str] = None) -> None:
        """The server has the metadata of ``cls``: decode its schema with it from now on."""
        with self._lock:
            self.known_classes = self.known_classes | {cls}
            self._put_class(cls)
            if affinity_key_field is not None:
                self._set_affinity(cls.type_id, affinity_key_field)
            # the server's metadata of this type changed; ask again when it matters
            if cls.type_id in self.types and \
                    cls.schema_id not in self.types[cls.type_id].schemas:
                types = dict(self.types)
                del types[cls.type_id]
                self.types = types

    def _set_affinity(self, type_id: int, field_name: str) -> None:
        if self.affinity_fields.get(type_id) == field_name:
            return
        names = dict(self.affinity_fields)
        names[type_id] = field_name
        ids = dict(self.affinity_key_fields)
        ids[type_id] = entity_id(field_name)
        self.affinity_fields, self.affinity_key_fields = names, ids

    def _put_class(self, cls: Any) -> None:
        type_id, schema_id = cls.type_id, cls.schema_id
        classes = dict(self.classes)
        by_schema = dict(classes.get(type_id, {}))
        by_schema[schema_id] = cls
        classes[type_id] = by_schema
        self.classes = classes
        plans = dict(self.plans)
        plans[(type_id, schema_id)] = _plan_of(cls)
        self.plans = plans

    def forget_type(self, type_id: int) -> None:
        """Drop the cached metadata of a type (it changed on the server)."""
        with self._lock:
            if type_id in self.types:
                types = dict(self.types)
                del types[type_id]
                self.types = types

    # --- server metadata ------------------------------------------------------------------

    def type_fetched(self, info: BinaryTypeInfo) -> None:
        """Store a type's metadata and make classes for the schemas that have none."""
        from ..binary import generated_class
        with self._lock:
            types = dict(self.types)
            types[info.type_id] = info
            self.types = types
            if info.affinity_key_field is not None:
                self._set_affinity(info.type_id, info.affinity_key_field)
            have = self.classes.get(info.type_id, {})
            made = []
            for schema_id, field_ids in info.schemas.items():
                if schema_id in have:
                    continue
                fields = info.schema_fields(field_ids)
                if fields is not None:
                    made.append(generated_class(info.type_name, fields))
            if not info.is_enum and not info.schemas and 0 not in have:
                made.append(generated_class(info.type_name, ()))
            if made:
                self.known_classes = self.known_classes | set(made)
                for cls in made:
                    self._put_class(cls)

    def make_plan(self, type_id: int, schema_id: int, data: bytes, start: int, flags: int,
                  schema_offset: int, end: int) -> 'Plan':
        """The decoding plan of a schema the plans table lacks; build it from the classes
        or the metadata, or raise :class:`MissingBinaryType`.
        """
        cls: Any = self.classes.get(type_id, {}).get(schema_id)
        if cls is None:
            info = self.types.get(type_id)
            if info is None:
                raise MissingBinaryType(type_id, schema_id)
            field_ids: Optional[Sequence[int]] = info.schemas.get(schema_id)
            if field_ids is None:
                if not flags & _binary_codec.HAS_SCHEMA:
                    field_ids = ()
                elif not flags & _binary_codec.COMPACT_FOOTER:
                    # a full footer names its fields: the type's field list is enough
                    footer_end = end - 4 if flags & _binary_codec.HAS_RAW_DATA else end
                    field_ids = _binary_codec.footer_field_ids(
                        data, flags, start + schema_offset, footer_end)
                else:
                    raise MissingBinaryType(type_id, schema_id)
            fields = info.schema_fields(field_ids)
            if fields is None:
                raise MissingBinaryType(type_id, schema_id)
            from ..binary import generated_class
            cls = generated_class(info.type_name, fields)
            with self._lock:
                self.known_classes = self.known_classes | {cls}
                if cls.schema_id not in self.classes.get(type_id, {}):
                    self._put_class(cls)
        # keyed by the header's schema id, which a foreign writer may compute differently
        plan = _plan_of(cls)
        with self._lock:
            plans = dict(self.plans)
            plans[(type_id, schema_id)] = plan
            self.plans = plans
        return plan

    def schema_fields(self, type_id: int, schema_id: int) -> Optional[Tuple[int, ...]]:
        """Field ids of a schema in footer order, or None if unknown (for partition awareness).
        """
        cls = self.classes.get(type_id, {}).get(schema_id)
        if cls is not None:
            field_ids: Tuple[int, ...] = cls._field_ids
            return field_ids
        info = self.types.get(type_id)
        if info is not None:
            return info.schemas.get(schema_id)
        return None

    # --- the decoders' hooks --------------------------------------------------------------

    def read_handle(self, data: bytes, pos: int, ctx: Any) -> Tuple[Any, int]:
        """Resolve a back-reference (type code 102 at ``pos - 1``)."""
        return _binary_codec.read_handle(self, data, pos, ctx)

    def handle_table(self, low: int) -> Any:
        """A fresh table of decoded values for the back-references of one top-level value
        (those may point no lower than ``low``)."""
        return _binary_codec.ReadState(self, low, False)


def _plan_of(cls: Any) -> 'Plan':
    codes = cls._field_type_codes
    return (cls, cls._field_names, _binary_codec.is_flat(codes),
            _binary_codec.compile_field_reader(cls._field_names, codes))
