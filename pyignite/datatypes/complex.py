"""Object collections, complex objects and wrapped data."""
from .base import IgniteDataType
from . import type_codes as tc

__all__ = [
    'ObjectArrayObject', 'CollectionObject', 'MapObject', 'WrappedDataObject', 'BinaryObject',
]


class ObjectArrayObject(IgniteDataType):
    """``Object[]``: a ``(type_id, iterable)`` tuple; the hint is mandatory on write."""
    type_code = tc.TC_OBJECT_ARRAY
    OBJECT = -1


class CollectionObject(IgniteDataType):
    """A Java collection: a ``(kind, iterable)`` tuple, read back as ``(kind, list)``."""
    type_code = tc.TC_COLLECTION
    USER_SET = -1
    USER_COL = 0
    ARR_LIST = 1
    LINKED_LIST = 2
    HASH_SET = 3
    LINKED_HASH_SET = 4
    SINGLETON_LIST = 5


class MapObject(IgniteDataType):
    """A Java map: a ``(kind, dict)`` tuple; LINKED_HASH_MAP reads back as an OrderedDict."""
    type_code = tc.TC_MAP
    HASH_MAP = 1
    LINKED_HASH_MAP = 2


class WrappedDataObject(IgniteDataType):
    """Wrapped binary data, as a server may send it; read only (values are unwrapped)."""
    type_code = tc.TC_ARRAY_WRAPPED_OBJECTS


class BinaryObject(IgniteDataType):
    """A complex object: an instance of a class built with
    :class:`~pyignite.binary.GenericObjectMeta`."""
    type_code = tc.TC_COMPLEX_OBJECT
    USER_TYPE = 0x0001
    HAS_SCHEMA = 0x0002
    HAS_RAW_DATA = 0x0004
    OFFSET_ONE_BYTE = 0x0008
    OFFSET_TWO_BYTES = 0x0010
    COMPACT_FOOTER = 0x0020
