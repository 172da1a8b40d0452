"""PEP 249 type objects and constructors, and the type codes of ``Cursor.description``.

The binary protocol's SQL result carries column names but no column types, so a column's
type code is the SQL type name of its values' wire type, taken from the first page of the
result (``'NULL'`` when the column holds only nulls there, or the result is empty).
"""
import datetime
import time
from typing import Any, Dict, FrozenSet, Optional

from ..datatypes import type_codes as tc

__all__ = [
    'DBAPITypeObject', 'STRING', 'BINARY', 'NUMBER', 'DATETIME', 'ROWID', 'Date', 'Time',
    'Timestamp', 'DateFromTicks', 'TimeFromTicks', 'TimestampFromTicks', 'Binary',
    'type_name',
]


class DBAPITypeObject:
    """A PEP 249 type object: equal to each type code of its group.

    :param names: the SQL type names of the group.
    """

    def __init__(self, *names: str) -> None:
        self.values: FrozenSet[str] = frozenset(names)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self.values == other.values
        return other in self.values

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return 'DBAPITypeObject({})'.format(', '.join(sorted(self.values)))


STRING = DBAPITypeObject('VARCHAR', 'CHAR', 'UUID')
BINARY = DBAPITypeObject('VARBINARY', 'BINARY')
NUMBER = DBAPITypeObject('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'REAL', 'DOUBLE',
                         'DECIMAL')
DATETIME = DBAPITypeObject('DATE', 'TIME', 'TIMESTAMP')
#: Ignite has no row id type: no column compares equal to it
ROWID = DBAPITypeObject()

Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime
Binary = bytes


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802 (PEP 249 names)
    """:return: the local date of a Unix time."""
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:  # noqa: N802
    """:return: the local time of day of a Unix time."""
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802
    """:return: the local date and time of a Unix time."""
    return Timestamp(*time.localtime(ticks)[:6])


_NAMES: Dict[int, str] = {
    tc.TC_BYTE: 'TINYINT', tc.TC_SHORT: 'SMALLINT', tc.TC_INT: 'INTEGER',
    tc.TC_LONG: 'BIGINT', tc.TC_FLOAT: 'REAL', tc.TC_DOUBLE: 'DOUBLE', tc.TC_CHAR: 'CHAR',
    tc.TC_BOOL: 'BOOLEAN', tc.TC_STRING: 'VARCHAR', tc.TC_UUID: 'UUID', tc.TC_DATE: 'DATE',
    tc.TC_BYTE_ARRAY: 'VARBINARY', tc.TC_DECIMAL: 'DECIMAL', tc.TC_TIMESTAMP: 'TIMESTAMP',
    tc.TC_TIME: 'TIME',
}


def type_name(code: Optional[int], sample: Any = None) -> str:
    """The type code ``description`` shows for a wire type code.

    :param code: a wire type code, or None for a column of nulls only,
    :param sample: a value of the column: SQL ``DATE`` values come as Java-serialized
     objects (wire code -2), which only the decoded value tells from others,
    :return: an SQL type name, ``'NULL'`` or ``'OTHER'`` (arrays, complex objects...).
    """
    if code is None:
        return 'NULL'
    if code == tc.TC_OPTIMIZED and isinstance(sample, datetime.date):
        return 'DATE'
    return _NAMES.get(code, 'OTHER')
