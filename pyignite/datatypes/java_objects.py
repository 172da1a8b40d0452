"""Values a server sends as Java objects in its optimized marshaller's format (type code
-2): what the binary format has no type for. An H2 SQL ``DATE`` is one of them, a
``java.sql.Date``.

Such a payload is the object's class (a type byte, then the class name's Java hash, or 0
and the name), the class's checksum (its ``serialVersionUID`` cut to a short), then what
the object's ``writeObject`` methods write, topmost class first: for a ``java.util.Date``
and its subclasses the time in milliseconds since the epoch (``OptimizedObjectOutputStream``
and ``OptimizedClassDescriptor`` of Ignite 2.17).
"""
import struct
from datetime import date
from typing import Union

__all__ = ['OptimizedObject', 'SqlDate']

# OptimizedMarshallerUtils.SERIALIZABLE: a Serializable class, not an Externalizable one
_SERIALIZABLE = 102
#: ``"java.sql.Date".hashCode()``, the type id the optimized marshaller gives the class
SQL_DATE_TYPE_ID = 1087757882
# (short) java.sql.Date.serialVersionUID (1511598038487230103)
_SQL_DATE_CHECKSUM = 0x6697
_SQL_DATE = struct.Struct('<bihq')
SQL_DATE_SIZE = _SQL_DATE.size

_DAY_MS = 86_400_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class OptimizedObject(bytes):
    """A Java object in the server's optimized marshaller format (type code -2) that this
    client cannot decode: its bytes, after the type code and the length. Writing it sends
    the same object back unchanged."""


class SqlDate(date):
    """``java.sql.Date``: a :class:`datetime.date`, as SQL ``DATE`` values come from a
    server (type code -2), with either SQL engine.

    It is written back as a ``java.sql.Date`` (a plain ``date`` is written as a
    ``java.util.Date``, :class:`~pyignite.datatypes.standard.DateObject`): as the same bytes
    when it came from the server, else as the midnight UTC of the day.

    Java keeps such a date as the midnight of the server's time zone; the nearest midnight
    UTC is taken, which is the right day for any zone within 12 hours of UTC. Days are
    counted in the Gregorian calendar, as Python and the Calcite engine count them, back
    before 1582 too; H2 shows days before 15 October 1582 in the Julian calendar (as
    ``java.sql.Date`` does), up to ten days apart. A day out of Python's years 1..9999
    stays an :class:`OptimizedObject`.
    """

    __slots__ = ('_payload',)
    _payload: bytes

    def java_bytes(self) -> bytes:
        """The Java object's bytes (as an :class:`OptimizedObject` holds them)."""
        payload = getattr(self, '_payload', None)
        if payload is None:
            payload = _SQL_DATE.pack(_SERIALIZABLE, SQL_DATE_TYPE_ID, _SQL_DATE_CHECKSUM,
                                     (self.toordinal() - _EPOCH_ORDINAL) * _DAY_MS)
        return payload


def decode_optimized(payload: bytes) -> Union[SqlDate, OptimizedObject]:
    """The Python value of an optimized marshaller payload: a :class:`SqlDate` for a
    ``java.sql.Date`` that Python's date can hold, else an :class:`OptimizedObject`."""
    if len(payload) == SQL_DATE_SIZE and payload[0] == _SERIALIZABLE:
        _, type_id, checksum, ms = _SQL_DATE.unpack(payload)
        if type_id == SQL_DATE_TYPE_ID and checksum == _SQL_DATE_CHECKSUM:
            try:
                # the nearest midnight: the server wrote the one of its own time zone
                value = SqlDate.fromordinal((ms + _DAY_MS // 2) // _DAY_MS + _EPOCH_ORDINAL)
            except (ValueError, OverflowError):  # out of Python's years 1..9999
                return OptimizedObject(payload)
            value._payload = payload
            return value
    return OptimizedObject(payload)
