"""SQL types of the Ignite dialect, and the Java types Ignite's ``SYS`` views name."""
import uuid
from typing import Any, Dict, Optional, Type

from sqlalchemy import types as sqltypes

__all__ = ['TINYINT', 'IgniteUuid', 'reflected_type']


class TINYINT(sqltypes.Integer):
    """Ignite's ``TINYINT``: a signed byte."""

    __visit_name__ = 'TINYINT'


class IgniteUuid(sqltypes.Uuid):  # type: ignore[type-arg]
    """``Uuid`` whose literals Ignite parses: with the dashes."""

    def literal_processor(self, dialect: Any) -> Any:
        if not self.native_uuid:
            base: Any = super().literal_processor
            return base(dialect)

        def process(value: Any) -> str:
            return "'{}'".format(uuid.UUID(str(value)))
        return process


#: Java class of a column (``SYS.TABLE_COLUMNS.TYPE``) -> SQLAlchemy type
_JAVA_TYPES: Dict[str, Type[Any]] = {
    'java.lang.Byte': TINYINT,
    'java.lang.Short': sqltypes.SMALLINT,
    'java.lang.Integer': sqltypes.INTEGER,
    'java.lang.Long': sqltypes.BIGINT,
    'java.lang.Float': sqltypes.REAL,
    'java.lang.Double': sqltypes.DOUBLE,
    'java.math.BigDecimal': sqltypes.DECIMAL,
    'java.lang.Boolean': sqltypes.BOOLEAN,
    'java.lang.String': sqltypes.VARCHAR,
    'java.util.UUID': sqltypes.UUID,
    'java.sql.Date': sqltypes.DATE,
    'java.time.LocalDate': sqltypes.DATE,
    'java.sql.Time': sqltypes.TIME,
    'java.time.LocalTime': sqltypes.TIME,
    'java.sql.Timestamp': sqltypes.TIMESTAMP,
    'java.time.LocalDateTime': sqltypes.TIMESTAMP,
    'java.util.Date': sqltypes.TIMESTAMP,
    '[B': sqltypes.VARBINARY,
    # a NOT NULL column of the Calcite engine may show its Java primitive
    'byte': TINYINT,
    'short': sqltypes.SMALLINT,
    'int': sqltypes.INTEGER,
    'long': sqltypes.BIGINT,
    'float': sqltypes.REAL,
    'double': sqltypes.DOUBLE,
    'boolean': sqltypes.BOOLEAN,
}


def _java_hash(name: str) -> int:
    h = 0
    for ch in name:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


#: the Calcite engine's TABLE_COLUMNS.TYPE is the class as a 5-byte value: a marker byte and
#: the Java hash code of the class name (little-endian)
_BY_HASH = {_java_hash(name): name for name in _JAVA_TYPES}


def java_class(value: Any) -> Optional[str]:
    """The Java class name a ``SYS.TABLE_COLUMNS.TYPE`` value stands for (None if unknown)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)) and len(value) == 5:
        return _BY_HASH.get(int.from_bytes(value[1:], 'little', signed=True))
    return None


def reflected_type(java: Optional[str], precision: int, scale: int) -> Any:
    """The SQLAlchemy type of a column from what ``SYS.TABLE_COLUMNS`` says of it."""
    cls = _JAVA_TYPES.get(java or '')
    if cls is None:
        return sqltypes.NULLTYPE
    if cls is sqltypes.DECIMAL:
        if precision > 0:
            return sqltypes.DECIMAL(precision, scale if scale >= 0 else 0)
        return sqltypes.DECIMAL()
    if cls in (sqltypes.VARCHAR, sqltypes.VARBINARY):
        return cls(precision) if 0 < precision < (1 << 31) - 1 else cls()
    return cls()
