"""The Null type."""
from .base import IgniteDataType
from .type_codes import TC_NULL

__all__ = ['Null']


class Null(IgniteDataType):
    """Null, Python ``None``."""
    type_code = TC_NULL
