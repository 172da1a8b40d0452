"""What the sync and the async client share: checking the settings and the properties read
from the session (:class:`BaseClient`); the methods of the public API, written once, are in
:mod:`pyignite._client_api`. The decisions live in :class:`~pyignite._session.session.Session`;
each client adds only its driver (how bytes move) and its API's sync or async form.
"""
import functools
import random
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from ._protocol import wire as P
from ._session.session import Closing, Session
from .constants import CONNECTION_ARGS, IGNITE_DEFAULT_HOST, IGNITE_DEFAULT_PORT
from .exceptions import ParameterError, ReconnectError
from .retry import RetryPolicy

__all__ = ['CLIENT_PARAMETERS_DOC', 'BaseClient', 'check_credential',
           'check_cluster_settings', 'parse_nodes']


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


#: the parameters of :class:`~pyignite.client.Client` and
#: :class:`~pyignite.aio_client.AioClient`, documented once
CLIENT_PARAMETERS_DOC = """:param compact_footer: (optional) write complex objects with compact
 (True) or full (False) schema footers; None (default) uses the server's setting,
:param partition_aware: (optional) send key operations straight to the node that
 holds the key (True by default; the asyncio client then connects to the nodes
 concurrently),
:param event_listeners: (optional) :mod:`pyignite.monitoring` listeners,
:param retry_policy: (optional) a :class:`~pyignite.retry.RetryPolicy`: whether a
 request whose connection broke is sent again on another node instead of raising;
 :class:`~pyignite.retry.RetryNonePolicy` (never) by default,
:param retry_limit: (optional) the most times one request is sent again; 0 (default):
 once per node the client knows,
:param cluster_discovery: (optional) with partition awareness, ask the cluster for its
 nodes' addresses and connect to the nodes ``connect()`` was not given, following
 nodes that join and leave (True by default; False keeps to the given nodes),
:param address_filter: (optional) ``(host, port) -> bool``: which discovered addresses
 the client may connect to (e.g. only those reachable through a NAT),
:param heartbeat_interval: (optional) seconds: send a heartbeat on every connection that
 sent nothing for that long, at least every third of the server's idle timeout, so that
 the server keeps idle connections and a silent node is found before a call waits on
 it; None (default) or 0: no heartbeats,
:param user_attributes: (optional) a dict of str to str sent to the server in the
 handshake (protocol 1.7.0): server-side code and security plugins see it,
:param reconnect_throttling_period: (optional) seconds of the throttling window (30.0),
:param reconnect_throttling_retries: (optional) at most this many attempts to connect
 to one address within the window; 0 (default): no throttling,
:param timeout: (optional) time limit of every request, seconds, counted from before
 it is sent; None (default) or 0: no limit. A request with no reply in time raises
 ``TimeoutError``, an :class:`OSError` (of the sync client before Python 3.10,
 ``socket.timeout``, not yet the built-in ``TimeoutError``; of the asyncio client, also
 an :class:`asyncio.TimeoutError`). If no reply frame at all (to any request) came from
 the node meanwhile, the node is taken as unresponsive: the connection is closed (the
 other requests waiting on it raise :class:`ConnectionError`), and the next call
 reconnects or fails over to the next node. Otherwise only that request is abandoned:
 the connection stays, and the late reply is dropped. (The per-call ``timeout`` of
 :class:`~pyignite.aio_cache.AioCache` methods cancels the call instead, and never
 closes the connection),
:param handshake_timeout: (optional) time limit of connecting plus the handshake,
 seconds (10.0 by default); over it the node counts as unreachable (``TimeoutError``),
:param username: (optional) user name to authenticate with,
:param password: (optional) password to authenticate with,
:param use_ssl: (optional) connect over TLS (False by default),
:param ssl_version: (optional) an ``ssl.PROTOCOL_*`` constant,
:param ssl_ciphers: (optional) an OpenSSL cipher list,
:param ssl_cert_reqs: (optional) ``ssl.CERT_NONE`` (default), ``CERT_OPTIONAL`` or
 ``CERT_REQUIRED``: whether to verify the server's certificate,
:param ssl_keyfile: (optional) the client's private key file,
:param ssl_keyfile_password: (optional) the key file's password,
:param ssl_certfile: (optional) the client's certificate file,
:param ssl_ca_certfile: (optional) CA certificates to verify the server with,
:raises ParameterError: an unknown parameter, a negative ``timeout``, or credentials
 that are not text.
"""


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
    #: the class of the connections the driver moves bytes over
    _connection_class: Callable[..., Any]

    def __init__(self, compact_footer: Optional[bool] = None, partition_aware: bool = True,
                 event_listeners: Optional[Sequence[Any]] = None,
                 retry_policy: Optional[RetryPolicy] = None, retry_limit: int = 0,
                 cluster_discovery: bool = True,
                 address_filter: Optional[Callable[[str, int], bool]] = None,
                 heartbeat_interval: Optional[float] = None,
                 user_attributes: Optional[Mapping[str, str]] = None,
                 reconnect_throttling_period: float = 30.0,
                 reconnect_throttling_retries: int = 0, **kwargs: Any) -> None:
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
        self._session.new_connection = lambda host, port: self._connections([(host, port)])[0]
        self._init_driver()

    def _init_driver(self) -> None:
        """Set up what the client's driver needs (locks, the connection class)."""

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
        """True when the negotiated protocol offers partition awareness (1.4.0 or newer)."""
        ctx = self.protocol_context
        return ctx is not None and ctx.is_partition_awareness_supported()

    @property
    def partition_aware(self) -> bool:
        """True when requests are routed to the node holding the key."""
        return self._session.partition_aware and self.partition_awareness_supported_by_protocol

    def _connections(self, nodes: List[Tuple[str, int]]) -> List[Any]:
        """New connections to ``nodes``, with the client's settings."""
        return [self._connection_class(self._session, host, port, **self._connection_args)
                for host, port in nodes]

    def _plan_step(self, step: Any) -> Callable[[], Any]:
        """What the driver does for a step of a connection plan of the session: close
        connections (a :class:`~pyignite._session.session.Closing` list), connect them (a
        list), or run an operation; a function whose result (awaited, of the asyncio client)
        goes back to the plan."""
        if step.__class__ is Closing:
            return functools.partial(self._close_all, step)
        if isinstance(step, list):
            return functools.partial(self._connect_all, step)
        return functools.partial(self._try_run, step)

    # the driver's: close connections; connect them, giving each one's error or None; run
    # an operation, giving its result or the exception it raised
    _close_all: Callable[[List[Any]], Any]
    _connect_all: Callable[[List[Any]], Any]
    _try_run: Callable[[Any], Any]

    def _live_connection(self) -> Any:
        """A random live connection, or None if none is alive.

        :raises ReconnectError: the client is not connected.
        """
        session = self._session
        if not session.nodes:
            raise ReconnectError('The client is not connected: call connect() first')
        alive = session.alive_nodes()
        return random.choice(alive) if alive else None
