"""Transactions: OP_TX_START and OP_TX_END (protocol 1.5.0 and newer)."""
import struct
from typing import TYPE_CHECKING, Any, Optional

from .._codec import structs as S
from .._codec.encoder import write_string
from .._protocol.opcodes import OP_TX_END, OP_TX_START
from .._protocol.request import Request
from ..exceptions import CacheError, NotSupportedByClusterError
from .common import Operation

if TYPE_CHECKING:
    from .common import Session

_START = struct.Struct('<bbq')
_END = struct.Struct('<i?')


def _check_supported(session: 'Session') -> None:
    ctx = session.protocol_context
    if ctx is not None and not ctx.is_transactions_supported():
        raise NotSupportedByClusterError('transactions need protocol 1.5.0 or newer, '
                                         'the server speaks {}'.format(ctx.version))


def tx_start(session: 'Session', concurrency: int, isolation: int, timeout: int,
             label: Optional[str]) -> Operation:
    """Start a transaction; return ``(connection, tx id)``.

    Every later request of the transaction must go on that connection.
    """
    _check_supported(session)
    req = Request(OP_TX_START, CacheError)
    req.buf += _START.pack(concurrency, isolation, timeout)
    write_string(req.buf, label)
    resp = yield req
    return resp.conn, S.INT.unpack_from(resp.data, resp.pos)[0]


def tx_end(session: 'Session', conn: Any, tx_id: int, committed: bool) -> Operation:
    """Commit (``committed``) or roll back a transaction on its connection."""
    req = Request(OP_TX_END, CacheError)
    req.conn = conn
    req.buf += _END.pack(tx_id, committed)
    yield req
