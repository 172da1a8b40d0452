"""What OP_QUERY_SQL_FIELDS gains with the optional protocol features: the timeout's
meaning (DEFAULT_QRY_TIMEOUT, bit 6), partitions and the update batch size
(QRY_PARTITIONS_BATCH_SIZE, bit 7), and running inside the caller's transaction
(TX_AWARE_QUERIES, bit 18). Each decision is made once here, from the negotiated
features; :func:`pyignite._ops.query.sql_fields` only calls these."""
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Tuple

from .._codec import structs as S
from .._protocol.request import current_tx
from ..exceptions import NotSupportedByClusterError, ParameterError

if TYPE_CHECKING:
    from .common import Session

__all__ = ['sql_timeout', 'check_extras', 'write_extras', 'tx_of', 'cache_prefix']

_INT_MAX = (1 << 31) - 1
#: the number of partitions a cache may have at most (CacheConfiguration.MAX_PARTITIONS_COUNT)
_MAX_PARTITIONS = 65000
_FLAG_TRANSACTIONAL = 0x02


def _features(session: 'Session') -> Any:
    return session.protocol_context


def sql_timeout(session: 'Session', value: Any) -> int:
    """The timeout field to send, in ms, for ``timeout``: 0 for none, None for the server's
    default query timeout, or a number of ms.

    With DEFAULT_QRY_TIMEOUT the server applies any value >= 0 as given (0: none) and a
    negative one leaves its default. Without it, the server applies only values > 0 and
    takes 0 for its default, so "no timeout" is sent as the largest int (about 24.8
    days). The value is cast to a Java int on the server: larger ones are refused here.

    :raises ParameterError: not None or an int in 0..2**31-1.
    """
    ctx = _features(session)
    modern = ctx is not None and ctx.is_default_query_timeout_supported()
    if value is None:
        return -1 if modern else 0
    if value.__class__ is bool or not isinstance(value, int) or not 0 <= value <= _INT_MAX:
        raise ParameterError('timeout must be None or an int in 0..{}, not {!r}'.format(
            _INT_MAX, value))
    return value if modern or value else _INT_MAX


def check_extras(session: 'Session', partitions: Optional[Iterable[int]],
                 update_batch_size: Optional[int]) -> Tuple[Optional[List[int]], int]:
    """Validate ``partitions`` and ``update_batch_size``: ``(partitions or None, size)``.

    :raises ParameterError: not a list of partition numbers, or a size below 1,
    :raises NotSupportedByClusterError: either is given and the server lacks the feature.
    """
    parts = None
    if partitions is not None:
        if isinstance(partitions, (str, bytes)) or not hasattr(partitions, '__iter__'):
            raise ParameterError('partitions must be a list of partition numbers, not '
                                 '{!r}'.format(partitions))
        parts = list(partitions)
        for part in parts:
            if part.__class__ is bool or not isinstance(part, int) or \
                    not 0 <= part < _MAX_PARTITIONS:
                raise ParameterError('a partition number must be an int in 0..{}, not '
                                     '{!r}'.format(_MAX_PARTITIONS - 1, part))
    size = 1
    if update_batch_size is not None:
        if update_batch_size.__class__ is bool or not isinstance(update_batch_size, int) or \
                not 1 <= update_batch_size <= _INT_MAX:
            raise ParameterError('update_batch_size must be a positive int, not {!r}'.format(
                update_batch_size))
        size = update_batch_size
    if parts is not None or update_batch_size is not None:
        ctx = _features(session)
        if ctx is None or not ctx.is_query_partitions_batch_size_supported():
            raise NotSupportedByClusterError(
                'SQL partitions and update_batch_size need a server that negotiates the '
                'QRY_PARTITIONS_BATCH_SIZE feature (Apache Ignite 2.10 or newer)')
    return parts, size


def write_extras(session: 'Session', buf: bytearray, partitions: Optional[List[int]],
                 update_batch_size: int) -> None:
    """Append the partitions and the update batch size when the server reads them."""
    ctx = _features(session)
    if ctx is None or not ctx.is_query_partitions_batch_size_supported():
        return
    if partitions is None:
        buf += S.INT.pack(-1)
    else:
        buf += S.INT.pack(len(partitions))
        for part in partitions:
            buf += S.INT.pack(part)
    buf += S.INT.pack(update_batch_size)


def tx_of(session: 'Session') -> Any:
    """The open transaction of the current thread or task on this client, if queries may
    join it (the server negotiated TX_AWARE_QUERIES, which it does only when tx-aware
    queries are enabled in its configuration), else None."""
    tx = current_tx.get()
    if tx is None or tx.closed or tx.tx_id is None or tx.client._session is not session:
        return None
    ctx = _features(session)
    if ctx is None or not ctx.is_tx_aware_queries_supported():
        return None
    return tx


def cache_prefix(session: 'Session', cache_id: int) -> Tuple[bytes, Any]:
    """The cache id, flags and (in a transaction) tx id of the request, and the connection
    it must go to (the transaction's) or None."""
    tx = tx_of(session)
    if tx is None:
        return S.INT_BYTE.pack(cache_id, 0), None
    return S.INT_BYTE.pack(cache_id, _FLAG_TRANSACTIONAL) + S.INT.pack(tx.tx_id), tx.conn
