"""Standard objects and their arrays."""
from .base import IgniteDataType
from . import type_codes as tc

__all__ = [
    'String', 'UUIDObject', 'DateObject', 'TimestampObject', 'TimeObject', 'DecimalObject',
    'EnumObject', 'BinaryEnumObject',
    'StringArrayObject', 'UUIDArrayObject', 'DateArrayObject', 'TimestampArrayObject',
    'TimeArrayObject', 'DecimalArrayObject', 'EnumArrayObject', 'BinaryEnumArrayObject',
]


class String(IgniteDataType):
    """``java.lang.String``: Python ``str``."""
    type_code = tc.TC_STRING


class UUIDObject(IgniteDataType):
    """``java.util.UUID``: :class:`uuid.UUID`."""
    type_code = tc.TC_UUID


class DateObject(IgniteDataType):
    """``java.util.Date``: :class:`datetime.datetime` (naive values are UTC), millisecond
    precision; :class:`datetime.date` is accepted as midnight UTC."""
    type_code = tc.TC_DATE


class TimestampObject(IgniteDataType):
    """``java.sql.Timestamp``: a ``(datetime, nanoseconds)`` tuple, where the datetime has
    millisecond precision and the int adds 0..999999 ns; a bare datetime is accepted."""
    type_code = tc.TC_TIMESTAMP


class TimeObject(IgniteDataType):
    """``java.sql.Time``: :class:`datetime.timedelta` with millisecond precision."""
    type_code = tc.TC_TIME


class DecimalObject(IgniteDataType):
    """``java.math.BigDecimal``: :class:`decimal.Decimal`, scale preserved."""
    type_code = tc.TC_DECIMAL


class EnumObject(IgniteDataType):
    """A Java enum value: a ``(type_id, ordinal)`` tuple."""
    type_code = tc.TC_ENUM


class BinaryEnumObject(IgniteDataType):
    """A binary enum value: a ``(type_id, ordinal)`` tuple."""
    type_code = tc.TC_BINARY_ENUM


class StringArrayObject(IgniteDataType):
    """``String[]``: an iterable of str or None."""
    type_code = tc.TC_STRING_ARRAY


class UUIDArrayObject(IgniteDataType):
    """``UUID[]``: an iterable of :class:`uuid.UUID` or None."""
    type_code = tc.TC_UUID_ARRAY


class DateArrayObject(IgniteDataType):
    """``Date[]``: an iterable of datetimes or None."""
    type_code = tc.TC_DATE_ARRAY


class TimestampArrayObject(IgniteDataType):
    """``Timestamp[]``: an iterable of ``(datetime, ns)`` tuples, datetimes or None."""
    type_code = tc.TC_TIMESTAMP_ARRAY


class TimeArrayObject(IgniteDataType):
    """``Time[]``: an iterable of timedeltas or None."""
    type_code = tc.TC_TIME_ARRAY


class DecimalArrayObject(IgniteDataType):
    """``BigDecimal[]``: an iterable of Decimals or None."""
    type_code = tc.TC_DECIMAL_ARRAY


class EnumArrayObject(IgniteDataType):
    """An array of enum values: ``(type_id, [(type_id, ordinal), ...])``."""
    type_code = tc.TC_ENUM_ARRAY
    OBJECT = -1


class BinaryEnumArrayObject(EnumArrayObject):
    """The name pyignite 0.6.1 also gives :class:`EnumArrayObject`: the same wire format
    (the items are written as binary enums), read back as :class:`EnumArrayObject`."""
