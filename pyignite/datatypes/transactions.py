"""Transaction parameters."""
from enum import IntEnum

__all__ = ['TransactionConcurrency', 'TransactionIsolation']


class TransactionConcurrency(IntEnum):
    """Transaction concurrency control."""
    OPTIMISTIC = 0
    PESSIMISTIC = 1


class TransactionIsolation(IntEnum):
    """Transaction isolation level."""
    READ_COMMITTED = 0
    REPEATABLE_READ = 1
    SERIALIZABLE = 2
