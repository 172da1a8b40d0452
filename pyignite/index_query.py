"""Criteria of index queries (:meth:`Cache.index_query() <pyignite.cache.Cache.index_query>`),
as Java's ``IndexQueryCriteriaBuilder``.

Each helper takes the name of an indexed field and a value (or values); a value may be a
``(value, hint)`` tuple to give its Ignite type, which must be the field's (an ``int`` is a
Java ``long`` unless hinted: ``(30, IntObject)`` for an ``INT`` column). The criteria of
one query are all applied (AND), to the fields of one index, in the index's field order.

Nulls sort first in an index, so a range with no lower bound (``lt``, ``lte``) includes
the entries whose field is null, as in Java; ``not_null`` leaves them out.
"""
from typing import Any, Iterable, NamedTuple, Optional, Tuple

from .exceptions import ParameterError

__all__ = ['IndexQueryCriterion', 'eq', 'lt', 'lte', 'gt', 'gte', 'between', 'in_', 'is_null',
           'not_null']


class IndexQueryCriterion(NamedTuple):
    """One criterion: a range of an indexed field (``values`` is None), or a set of values
    of it (``values``). Make them with the helpers of this module.

    :ivar field: the indexed field,
    :ivar lower: the lower bound; None for none, or for the null value with ``lower_null``,
    :ivar upper: the upper bound, likewise,
    :ivar lower_inclusive: the lower bound is part of the range,
    :ivar upper_inclusive: the upper bound is part of the range,
    :ivar lower_null: the lower bound is the null value,
    :ivar upper_null: the upper bound is the null value,
    :ivar values: the values of an IN criterion, or None.
    """

    field: str
    lower: Any = None
    upper: Any = None
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    lower_null: bool = False
    upper_null: bool = False
    values: Optional[Tuple[Any, ...]] = None


def _field(field: Any) -> str:
    if not isinstance(field, str) or not field:
        raise ParameterError('an index query field must be a non-empty str, not {!r}'
                             .format(field))
    return field


def _range(field: Any, lower: Any, upper: Any, lower_inclusive: bool, upper_inclusive: bool,
           lower_null: bool, upper_null: bool) -> IndexQueryCriterion:
    return IndexQueryCriterion(_field(field), lower, upper, lower_inclusive, upper_inclusive,
                               lower_null, upper_null)


def eq(field: str, value: Any) -> IndexQueryCriterion:
    """``field`` equals ``value`` (None: the field is null)."""
    return between(field, value, value)


def lt(field: str, value: Any) -> IndexQueryCriterion:
    """``field`` is less than ``value``, or null."""
    return _range(field, None, value, True, False, False, value is None)


def lte(field: str, value: Any) -> IndexQueryCriterion:
    """``field`` is less than or equal to ``value``, or null."""
    return _range(field, None, value, True, True, False, value is None)


def gt(field: str, value: Any) -> IndexQueryCriterion:
    """``field`` is greater than ``value``."""
    return _range(field, value, None, False, True, value is None, False)


def gte(field: str, value: Any) -> IndexQueryCriterion:
    """``field`` is greater than or equal to ``value``."""
    return _range(field, value, None, True, True, value is None, False)


def between(field: str, lower: Any, upper: Any) -> IndexQueryCriterion:
    """``field`` is between ``lower`` and ``upper``, both included."""
    return _range(field, lower, upper, True, True, lower is None, upper is None)


def in_(field: str, values: Iterable[Any]) -> IndexQueryCriterion:
    """``field`` is one of ``values`` (at least one)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, '__iter__'):
        raise ParameterError('in_ takes an iterable of values, not {!r}'.format(values))
    items = tuple(values)
    if not items:
        raise ParameterError('in_ needs at least one value')
    return IndexQueryCriterion(_field(field), values=items)


def is_null(field: str) -> IndexQueryCriterion:
    """``field`` is null."""
    return eq(field, None)


def not_null(field: str) -> IndexQueryCriterion:
    """``field`` is not null (nulls sort first in an index: values above the null)."""
    return gt(field, None)
