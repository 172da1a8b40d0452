"""SQL query parameters."""
from enum import IntEnum

__all__ = ['StatementType']


class StatementType(IntEnum):
    """Which statements an SQL query may contain."""
    ANY = 0
    SELECT = 1
    UPDATE = 2
    #: the API docs' name for ANY
    ALL = 0
