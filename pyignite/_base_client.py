"""What the sync and the async client share: checking the settings, and the properties
read from the session. The decisions live in :class:`~pyignite._session.session.Session`;
each client adds only its driver (how bytes move) and its API's sync or async form.
"""
import random
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from ._protocol import wire as P
from ._session.session import Session
from .constants import CONNECTION_ARGS, IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT
from .exceptions import ParameterError, ReconnectError
from .retry import RetryPolicy

__all__ = ['BaseClient', 'check_credential', 'check_cluster_settings', 'parse_nodes']


def parse_nodes(args: Sequence[Any]) -> List[Tuple[str, int]]:
    """Turn ``connect()`` arguments into a list of ``(host, port)`` pairs.

    :raises ParameterError: the arguments are none of the documented forms.
    """
    if not args:
        return [(IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT)]
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], int):
        return [(args[0], args[1])]
    if len(args) == 1 and not isinstance(args[0], (str, bytes)):
        try:
            nodes = [(host, port) for host, port in args[0]]
        except (TypeError, ValueError):
            nodes = None
        if nodes and all(isinstance(h, str) and isinstance(p, int) for h, p in nodes):
            return nodes
    raise ParameterError('connect() takes no arguments, a host and a port, or a list of '
                         '(host, port) pairs')


def check_credential(name: str, value: Optional[str]) -> None:
    """Check a user name or password can go into the handshake (as UTF-8).

    :raises ParameterError: it is neither None nor a str, or it holds a lone surrogate.
    """
    if value is None:
        return
    if not isinstance(value, str):
        raise ParameterError('{} should be a str, not {}'.format(name, type(value).__name__))
    try:
        value.encode('utf-8')
    except UnicodeEncodeError as e:
        # the message never shows the value: it may be a password
        raise ParameterError('{} is not valid Unicode text: it holds a lone surrogate at '
                             'index {}, which has no UTF-8 form'.format(name, e.start)) from None


def _non_negative_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError('{} should be a non-negative int, not {!r}'.format(name, value))


def check_cluster_settings(retry_policy: Any, retry_limit: Any, address_filter: Any,
                           heartbeat_interval: Any, user_attributes: Any,
                           throttling_period: Any, throttling_retries: Any) -> None:
    """Check the failover, discovery and heartbeat settings of a client.

    :raises ParameterError: one of them is of the wrong kind or out of range.
    """
    if retry_policy is not None and not callable(getattr(retry_policy, 'should_retry', None)):
        raise ParameterError('retry_policy should be a pyignite.retry.RetryPolicy, not '
                             '{!r}'.format(retry_policy))
    _non_negative_int('retry_limit', retry_limit)
    _non_negative_int('reconnect_throttling_retries', throttling_retries)
    if address_filter is not None and not callable(address_filter):
        raise ParameterError('address_filter should be a callable (host, port) -> bool')
    for name, value in (('heartbeat_interval', heartbeat_interval),
                        ('reconnect_throttling_period', throttling_period)):
        if value is not None and (isinstance(value, bool) or
                                  not isinstance(value, (int, float)) or value < 0):
            raise ParameterError('{} should be a non-negative number of seconds, not '
                                 '{!r}'.format(name, value))
    if throttling_period is None or throttling_period <= 0:
        raise ParameterError('reconnect_throttling_period should be positive')
    if user_attributes is not None:
        if not isinstance(user_attributes, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in user_attributes.items()):
            raise ParameterError('user_attributes should be a mapping of str to str')
        for name, value in user_attributes.items():
            check_credential('user attribute name', name)
            check_credential('user attribute {!r}'.format(name), value)


class BaseClient:
    """The settings and the session of a client. It does no I/O.

    :ivar _session: everything the client knows and decides
     (:class:`~pyignite._session.session.Session`),
    :ivar _run: the driver, ``_run(operation)``: runs an operation of :mod:`pyignite._ops`
     and returns its result (a coroutine of the asyncio client, which also takes a
     deadline); caches, cursors and the other facades reach the server through it,
    :ivar _fan_out: the driver of multi-key operations (:mod:`pyignite._ops.multi_key`),
     ``_fan_out(plan)``: sends their parts to several nodes at once.
    """

    _run: Callable[..., Any]
    _fan_out: Callable[..., Any]

    def __init__(self, compact_footer: Optional[bool] = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence[Any]] = None,
                 retry_policy: Optional[RetryPolicy] = None, retry_limit: int = 0,
                 cluster_discovery: bool = True,
                 address_filter: Optional[Callable[[str, int], bool]] = None,
                 heartbeat_interval: Optional[float] = None,
                 user_attributes: Optional[Mapping[str, str]] = None,
                 reconnect_throttling_period: float = 30.0,
                 reconnect_throttling_retries: int = 0, **kwargs: Any):
        check_cluster_settings(retry_policy, retry_limit, address_filter, heartbeat_interval,
                               user_attributes, reconnect_throttling_period,
                               reconnect_throttling_retries)
        unknown = set(kwargs) - CONNECTION_ARGS
        if unknown:
            raise ParameterError('Unexpected parameter(s) for connection initialization: '
                                 '{}'.format(', '.join(sorted(unknown))))
        timeout = kwargs.get('handshake_timeout', 10.0)
        if timeout is None or timeout <= 0:
            raise ParameterError('handshake_timeout should be positive')
        if kwargs.get('timeout') is not None and kwargs['timeout'] < 0:
            raise ParameterError('timeout should be non-negative or None')
        for name in ('username', 'password'):
            check_credential(name, kwargs.get(name))
        self._connection_args = kwargs
        self._session = Session(
            compact_footer, partition_aware, event_listeners, retry_policy, retry_limit,
            bool(cluster_discovery), address_filter, user_attributes, heartbeat_interval,
            reconnect_throttling_period, reconnect_throttling_retries)

    @property
    def compact_footer(self) -> Optional[bool]:
        """Whether complex objects are written with compact footers (None: as the server)."""
        return self._session.binary.compact_footer

    @compact_footer.setter
    def compact_footer(self, value: Optional[bool]) -> None:
        self._session.binary.compact_footer = value

    @property
    def protocol_context(self) -> Optional[P.ProtocolContext]:
        """The negotiated protocol version and features, or None before connecting."""
        return self._session.protocol_context

    @property
    def partition_awareness_supported_by_protocol(self) -> bool:
        ctx = self.protocol_context
        return ctx is not None and ctx.is_partition_awareness_supported()

    @property
    def partition_aware(self) -> bool:
        """True when requests are routed to the node holding the key."""
        return self._session.partition_aware and self.partition_awareness_supported_by_protocol

    def _connections(self, nodes: List[Tuple[str, int]], cls: type) -> List[Any]:
        """New connections of class ``cls`` to ``nodes``, with the client's settings."""
        return [cls(self._session, host, port, **self._connection_args) for host, port in nodes]

    def _live_connection(self) -> Any:
        """A random live connection, or None if none is alive.

        :raises ReconnectError: the client is not connected.
        """
        session = self._session
        if not session.nodes:
            raise ReconnectError('The client is not connected: call connect() first')
        alive = session.alive_nodes()
        return random.choice(alive) if alive else None
