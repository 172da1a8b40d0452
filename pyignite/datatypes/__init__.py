"""Ignite data types, usable as type hints.

Most values need no hint: Python types map to Ignite types on their own
(``int`` to Long, ``float`` to Double, ``str`` to String, ``bytes`` to a byte
array...). A hint class picks another Ignite type, as ``key_hint`` /
``value_hint`` or as ``(value, HintClass)`` anywhere inside lists and dicts.

Two classes here are values, not hints: :class:`SqlDate`, the ``datetime.date`` a
``java.sql.Date`` (a SQL ``DATE``) is read as, and :class:`OptimizedObject`, the bytes of
any other Java object the server sends in its optimized marshaller's format.
"""
from .base import IgniteDataType
from .null_object import Null
from .primitive_objects import (
    ByteObject, ShortObject, IntObject, LongObject, FloatObject, DoubleObject, CharObject,
    BoolObject,
)
from .primitive_arrays import (
    ByteArrayObject, ShortArrayObject, IntArrayObject, LongArrayObject, FloatArrayObject,
    DoubleArrayObject, CharArrayObject, BoolArrayObject,
)
from .standard import (
    String, UUIDObject, DateObject, TimestampObject, TimeObject, DecimalObject, EnumObject,
    BinaryEnumObject, StringArrayObject, UUIDArrayObject, DateArrayObject, TimestampArrayObject,
    TimeArrayObject, DecimalArrayObject, EnumArrayObject, BinaryEnumArrayObject,
)
from .complex import ObjectArrayObject, CollectionObject, MapObject, WrappedDataObject, BinaryObject
from .java_objects import OptimizedObject, SqlDate
from .cluster_state import ClusterState
from .expiry_policy import ExpiryPolicy
from .transactions import TransactionConcurrency, TransactionIsolation

__all__ = [
    'IgniteDataType', 'Null',
    'ByteObject', 'ShortObject', 'IntObject', 'LongObject', 'FloatObject', 'DoubleObject',
    'CharObject', 'BoolObject',
    'ByteArrayObject', 'ShortArrayObject', 'IntArrayObject', 'LongArrayObject',
    'FloatArrayObject', 'DoubleArrayObject', 'CharArrayObject', 'BoolArrayObject',
    'String', 'UUIDObject', 'DateObject', 'TimestampObject', 'TimeObject', 'DecimalObject',
    'EnumObject', 'BinaryEnumObject', 'StringArrayObject', 'UUIDArrayObject',
    'DateArrayObject', 'TimestampArrayObject', 'TimeArrayObject', 'DecimalArrayObject',
    'EnumArrayObject', 'BinaryEnumArrayObject', 'ObjectArrayObject', 'CollectionObject',
    'MapObject', 'WrappedDataObject', 'BinaryObject', 'OptimizedObject', 'SqlDate',
    'ClusterState', 'ExpiryPolicy', 'TransactionConcurrency', 'TransactionIsolation',
]
