"""Index queries: OP_QUERY_INDEX, a scan of a cache's entries through one of its sorted
indexes, narrowed by criteria on the index's fields. Its pages are those of a scan (see
:mod:`pyignite._ops.query`)."""
from typing import TYPE_CHECKING, Any, Optional, Tuple

from .._codec import structs as S
from .._codec.encoder import write, write_string
from .._protocol.opcodes import OP_QUERY_INDEX, OP_QUERY_INDEX_CURSOR_GET_PAGE
from .._protocol.request import cache_request
from ..exceptions import CacheError, NotSupportedByClusterError, ParameterError
from ..index_query import IndexQueryCriterion
from .common import Operation
from .query import CursorState, _bool, _int, _open, to_partition_owner

if TYPE_CHECKING:
    from .common import CacheRef, Session

__all__ = ['index_query']

# the server's marker of a list (GridBinaryMarshaller.ARR_LIST): criteria follow
_CRITERIA_FOLLOW = 1
_NULL = 0x65
_RANGE = 0
_IN = 1


def _criteria(criteria: Any) -> Tuple[IndexQueryCriterion, ...]:
    if isinstance(criteria, IndexQueryCriterion):
        return (criteria,)
    if isinstance(criteria, (str, bytes)) or not hasattr(criteria, '__iter__'):
        raise ParameterError('criteria must be criteria of pyignite.index_query, not {!r}'
                             .format(criteria))
    items = tuple(criteria)
    for item in items:
        if not isinstance(item, IndexQueryCriterion):
            raise ParameterError('a criterion must be made with pyignite.index_query '
                                 '(eq, lt, between, ...), not {!r}'.format(item))
    return items


def _write_criterion(buf: bytearray, criterion: IndexQueryCriterion, ctx: Any) -> None:
    if criterion.values is None:
        buf.append(_RANGE)
        write_string(buf, criterion.field)
        buf += bytes((criterion.lower_inclusive, criterion.upper_inclusive,
                      criterion.lower_null, criterion.upper_null))
        write(buf, criterion.lower, None, ctx)
        write(buf, criterion.upper, None, ctx)
    else:
        buf.append(_IN)
        write_string(buf, criterion.field)
        buf += S.INT.pack(len(criterion.values))
        for value in criterion.values:
            write(buf, value, None, ctx)


def index_query(session: 'Session', state: CursorState, cache: 'CacheRef', value_type: Any,
                index_name: Optional[str] = None, criteria: Any = (),
                limit: Optional[int] = None, page_size: int = 1024,
                partition: Optional[int] = None, local: bool = False) -> Operation:
    """Open an index query (OP_QUERY_INDEX) over the entries of ``value_type`` in a cache.

    :param limit: at most this many entries (None for all): sent to a server that takes
     it (feature bit 15), and enforced here in any case.
    """
    if not isinstance(value_type, str) or not value_type:
        raise ParameterError('value_type must be a non-empty str, not {!r}'.format(value_type))
    if index_name is not None and (not isinstance(index_name, str) or not index_name):
        raise ParameterError('index_name must be a non-empty str or None, not {!r}'
                             .format(index_name))
    items = _criteria(criteria)
    if limit is not None:
        _int('limit', limit, 1)
    _int('page_size', page_size, 1)
    if partition is not None:
        _int('partition', partition, 0)
    local = _bool('local', local)
    ctx = session.protocol_context
    if ctx is not None and not ctx.is_index_query_supported():
        raise NotSupportedByClusterError('index queries need a server that negotiates the '
                                         'index query feature (Ignite 2.12 or later)')
    req = cache_request(OP_QUERY_INDEX, cache, CacheError, tx_aware=False)
    buf = req.buf
    buf += S.INT.pack(page_size)
    buf.append(local)
    buf += S.INT.pack(-1 if partition is None else partition)
    if ctx is None or ctx.is_index_query_limit_supported():
        buf += S.INT.pack(limit or 0)
    write_string(buf, value_type)
    if index_name is None:
        buf.append(_NULL)
    else:
        write_string(buf, index_name)
    if items:
        buf.append(_CRITERIA_FOLLOW)
        buf += S.INT.pack(len(items))
        for criterion in items:
            _write_criterion(buf, criterion, session.binary)
    else:
        buf.append(_NULL)
    buf.append(_NULL)  # no filter
    state.error = CacheError
    # a server without the limit feature sends every entry: the cursor stops at the limit
    state.limit = -1 if limit is None else limit
    yield from to_partition_owner(session, req, -1 if partition is None else partition)
    return (yield from _open(session, state, req, OP_QUERY_INDEX_CURSOR_GET_PAGE, False))
