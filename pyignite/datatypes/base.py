"""The base of the type hint classes."""
from typing import Any, Optional, Type


class IgniteDataType:
    """An Ignite data type, used as a type hint.

    Hint classes are never instantiated: pass the class itself as ``key_hint``,
    ``value_hint`` or as the second item of a ``(value, hint)`` tuple.
    """

    #: the type code written before the value; None for abstract bases
    type_code: Optional[int] = None

    def __new__(cls, *args: Any, **kwargs: Any) -> 'IgniteDataType':  # it only raises
        raise TypeError('{} is a type hint; pass the class, do not instantiate it'.format(
            cls.__name__))


#: what a ``*_hint`` parameter takes: an :class:`IgniteDataType` subclass (the class itself)
Hint = Type[IgniteDataType]


def is_hint(obj: object) -> bool:
    """Tell whether ``obj`` can be used as a type hint."""
    return isinstance(obj, type) and issubclass(obj, IgniteDataType)
