"""Complex objects (binary objects) as Python classes.

A class built with :class:`GenericObjectMeta` stands for one Ignite binary
type and one schema::

    class Person(metaclass=GenericObjectMeta, type_name='Person', schema=OrderedDict([
        ('first_name', String),
        ('last_name', String),
        ('age', IntObject),
    ])):
        pass

The class knows its ``type_name``, ``type_id``, ``schema`` and ``schema_id``
(on the class and on its instances); its instances are plain objects with
one attribute per schema field plus ``version``. The codec for the class is
compiled once, when the class is created, so writing an instance is one loop
over its fields.

Classes for types the client reads but was never given are generated on the
fly from the server's metadata; their names are the type names made into
Python identifiers (:func:`sanitize_class_name`), ``type_name`` keeps the
original.
"""
import keyword
import re
from collections import OrderedDict
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple

from ._codec import objects as _binary_codec, encoder as _encoder
from ._codec.ids import entity_id, schema_id as _schema_id
from .datatypes import type_codes as tc
from .datatypes.base import Hint, is_hint
from .datatypes.complex import BinaryObject
from .exceptions import ParseError

__all__ = ['GenericObjectMeta', 'sanitize_class_name']

#: Java's default value of a field of each primitive type; every other field defaults to None
_PRIMITIVE_DEFAULTS = {
    tc.TC_BYTE: 0, tc.TC_SHORT: 0, tc.TC_INT: 0, tc.TC_LONG: 0,
    tc.TC_FLOAT: 0.0, tc.TC_DOUBLE: 0.0, tc.TC_CHAR: '\x00', tc.TC_BOOL: False,
}

# names the class offers on its instances; a schema field of the same name wins
_INSTANCE_PROPERTIES = ('type_name', 'type_id', 'schema', 'schema_id')

_NOT_IDENTIFIER = re.compile(r'\W+')


def sanitize_class_name(type_name: str) -> str:
    """A Python class name for a binary type name.

    Characters that cannot be in an identifier separate words (``.`` of Java packages,
    ``$`` of nested and Scala classes, ``+`` of .NET nested classes...); the words are
    joined with their first letters upper-cased, and leading characters that cannot start
    an identifier are dropped: ``org.foo.Bar`` gives ``OrgFooBar``, ``Outer$Inner``
    gives ``OuterInner``, ``1st.class`` gives ``StClass``. A name that is an identifier
    already is kept (with ``_`` appended to a Python keyword).

    :param type_name: the binary type name,
    :return: a valid Python identifier.
    """
    if type_name.isidentifier():
        return type_name + '_' if keyword.iskeyword(type_name) else type_name
    name = ''.join(w[0].upper() + w[1:] for w in _NOT_IDENTIFIER.split(type_name) if w)
    while name and not name.isidentifier():
        name = name[1:]
    return name[0].upper() + name[1:] if name else 'BinaryObject'


def _field_type_code(hint: Any) -> int:
    if isinstance(hint, GenericObjectMeta):
        return tc.TC_COMPLEX_OBJECT
    code: Optional[int] = getattr(hint, 'type_code', None) if is_hint(hint) else None
    if code is None:
        raise ParseError('Wrong binary field type: {!r} (use a pyignite.datatypes hint class or '
                         'a GenericObjectMeta class)'.format(hint))
    return code


def _check_schema(class_name: str, schema: Any) -> 'OrderedDict[str, Any]':
    if schema is None:
        return OrderedDict()
    if not isinstance(schema, Mapping):
        raise ParseError('the schema of {} must be a mapping of field names to type hints, not '
                         '{}'.format(class_name, type(schema).__name__))
    checked: 'OrderedDict[str, Any]' = OrderedDict()
    seen_ids: Dict[int, str] = {}
    for name, hint in schema.items():
        if not isinstance(name, str) or not name:
            raise ParseError('field names of {} must be non-empty strings, not {!r}'.format(
                class_name, name))
        _field_type_code(hint)
        field_id = entity_id(name)
        if field_id == 0:
            raise ParseError('field name {!r} of {} has the id 0, which Ignite does not '
                             'allow'.format(name, class_name))
        if field_id in seen_ids:
            raise ParseError('fields {!r} and {!r} of {} have the same id (field ids ignore '
                             'case)'.format(seen_ids[field_id], name, class_name))
        seen_ids[field_id] = name
        checked[name] = hint
    return checked


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, (set, bytearray)):
        return tuple(sorted(map(repr, value))) if isinstance(value, set) else bytes(value)
    return value


def _make_init(field_names: Tuple[str, ...], defaults: Tuple[Any, ...],
               with_version: bool) -> Callable[..., None]:
    """``__init__`` taking the fields positionally (schema order) or by keyword."""
    if all(n.isidentifier() and not keyword.iskeyword(n) and not n.startswith('__')
           for n in field_names):
        # a generated signature is as fast as Python __init__ methods get
        params = ['self'] + ['{}=_d[{}]'.format(n, i) for i, n in enumerate(field_names)]
        body = ['    self.{0} = {0}'.format(n) for n in field_names]
        if with_version:
            params.append('version=1')
            body.append('    if version != 1:\n        self.version = version')
        if not body:
            body = ['    pass']
        source = 'def __init__({}):\n{}\n'.format(', '.join(params), '\n'.join(body))
        namespace: Dict[str, Any] = {'_d': defaults}
        exec(source, namespace)  # noqa: S102 - the source is built from checked identifiers
        init: Callable[..., None] = namespace['__init__']
        return init

    names = field_names + (('version',) if with_version else ())
    all_defaults = defaults + ((1,) if with_version else ())

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError('{}() takes at most {} positional arguments ({} given)'.format(
                type(self).__name__, len(names), len(args)))
        values = dict(zip(names, all_defaults))
        values.update(zip(names, args))
        for key, value in kwargs.items():
            if key not in values:
                raise TypeError('{}() got an unexpected keyword argument {!r}'.format(
                    type(self).__name__, key))
            values[key] = value
        for key, value in values.items():
            setattr(self, key, value)
    return __init__


def _make_methods(field_names: Tuple[str, ...], with_version: bool) -> Dict[str, Any]:
    shown = field_names + (('version',) if with_version else ())
    if len(shown) == 1:
        single = attrgetter(shown[0])

        def values(obj: Any, /) -> Tuple[Any, ...]:
            return (single(obj),)
    elif shown:
        values = attrgetter(*shown)
    else:
        def values(obj: Any, /) -> Tuple[Any, ...]:
            return ()

    @recursive_repr()
    def __repr__(self: Any) -> str:
        return '{}({})'.format(type(self).__name__, ', '.join(
            '{}={!r}'.format(name, value) for name, value in zip(shown, values(self))))

    def __eq__(self: Any, other: Any) -> Any:
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __hash__(self: Any) -> int:
        state = values(self)
        try:
            return hash((self.__class__, state))
        except TypeError:
            return hash((self.__class__, _hashable(state)))

    return {'__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


def _class_property(attr: str, copy: bool = False) -> property:
    if copy:
        return property(lambda self: OrderedDict(getattr(type(self), attr)),
                        doc='A copy of the schema: field name to type hint.')
    return property(lambda self: getattr(type(self), attr))


class GenericObjectMeta(type):
    """The metaclass of complex object classes.

    :param schema: (class keyword) an ordered mapping of field names to type hints
     (:mod:`pyignite.datatypes` classes, or another complex object class for a nested
     object); a class that gives none inherits its base's schema, else it has no fields,
    :param type_name: (class keyword, optional) the binary type name; defaults to the
     class name. Other class keywords are accepted and ignored.
    """

    # set on every class it makes (see __new__)
    _type_name: str
    _type_id: int
    _schema: 'OrderedDict[str, Any]'
    _schema_id: int
    _field_names: Tuple[str, ...]
    _field_ids: Tuple[int, ...]
    _field_type_codes: Tuple[int, ...]
    #: the compiled writer of the class's instances, ``(buf, value, ctx) -> None``
    _ignite_write: Callable[[bytearray, Any, Any], None]

    def __new__(mcs, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any],
                type_name: Optional[str] = None, schema: Optional[Mapping[str, Any]] = None,
                **kwargs: Any) -> 'GenericObjectMeta':
        if schema is None:
            for base in bases:
                if isinstance(base, GenericObjectMeta):
                    schema = base._schema
                    break
        schema = _check_schema(name, schema)
        if type_name is None:
            type_name = name
        if not isinstance(type_name, str) or not type_name:
            raise ParseError('type_name must be a non-empty string, not {!r}'.format(type_name))
        field_names = tuple(schema)
        hints = tuple(schema.values())
        with_version = 'version' not in schema
        namespace = dict(namespace)
        for attr in _INSTANCE_PROPERTIES:
            if attr not in schema and attr not in namespace:
                namespace[attr] = _class_property('_' + attr, copy=(attr == 'schema'))
        for method_name, method in _make_methods(field_names, with_version).items():
            namespace.setdefault(method_name, method)
        if '__init__' not in namespace:
            defaults = tuple(_PRIMITIVE_DEFAULTS.get(_field_type_code(h)) for h in hints)
            namespace['__init__'] = _make_init(field_names, defaults, with_version)
        if with_version:
            namespace.setdefault('version', 1)
        field_ids = tuple(entity_id(n) for n in field_names)
        namespace.update(
            _type_name=type_name,
            _type_id=entity_id(type_name),
            _schema=schema,
            _schema_id=_schema_id(field_ids),
            _field_names=field_names,
            _field_ids=field_ids,
            _field_type_codes=tuple(_field_type_code(h) for h in hints),
        )
        cls = super().__new__(mcs, name, bases, namespace)
        cls._ignite_write = staticmethod(_binary_codec.make_writer(cls))
        # writes of these objects then dispatch straight to the compiled writer
        _encoder._BY_PYTYPE[cls] = cls._ignite_write
        return cls

    def __init__(cls, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any],
                 type_name: Optional[str] = None, schema: Optional[Mapping[str, Any]] = None,
                 **kwargs: Any) -> None:
        super().__init__(name, bases, namespace)

    @property
    def type_name(cls) -> str:
        """The binary type name."""
        return cls._type_name

    @property
    def type_id(cls) -> int:
        """The binary type id: the Java-style hash of the lower-cased type name."""
        return cls._type_id

    @property
    def schema(cls) -> 'OrderedDict[str, Any]':
        """A copy of the schema: field name to type hint, in field order."""
        return OrderedDict(cls._schema)

    @property
    def schema_id(cls) -> int:
        """The schema id: FNV-1 over the field ids; 0 for no fields (the header of such an
        object holds the FNV-1 basis instead, as Java writes it)."""
        return cls._schema_id


# the hint a field of a generated class gets for each type code of the server's metadata
_HINT_BY_TYPE_CODE: Dict[int, Hint] = {}


def hint_for_type_code(code: int) -> Hint:
    """The type hint class for a metadata field type code (BinaryObject if unknown).

    :param code: an Ignite type code,
    :return: a :mod:`pyignite.datatypes` class.
    """
    if not _HINT_BY_TYPE_CODE:
        from . import datatypes
        for hint_name in datatypes.__all__:
            hint = getattr(datatypes, hint_name)
            code_of = getattr(hint, 'type_code', None)
            if is_hint(hint) and code_of is not None:
                _HINT_BY_TYPE_CODE.setdefault(code_of, hint)
    return _HINT_BY_TYPE_CODE.get(code, BinaryObject)


# Generated classes are shared by every client: one per (type name, fields and their types),
# so reconnecting or making new clients does not make new classes.
_GENERATED: Dict[Tuple[Any, ...], 'GenericObjectMeta'] = {}


def generated_class(type_name: str, fields: Iterable[Tuple[str, int]]) -> 'GenericObjectMeta':
    """The class the client makes for a server type it has no class for.

    :param type_name: the binary type name,
    :param fields: ``(field name, type code)`` pairs in schema order,
    :return: a :class:`GenericObjectMeta` class.
    """
    key = (type_name, tuple(fields))
    cls = _GENERATED.get(key)
    if cls is None:
        schema = OrderedDict((name, hint_for_type_code(code)) for name, code in fields)
        cls = GenericObjectMeta(sanitize_class_name(type_name), (), {},
                                type_name=type_name, schema=schema)
        cls = _GENERATED.setdefault(key, cls)
    return cls
