"""What the sync and the async cache objects share (:class:`BaseCache`)."""
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Dict, Optional, TypeVar, Union

from ._codec import ids as _ids
from ._protocol.wire import REQUEST_HEADER_SIZE
from ._protocol.request import cache_header
from .datatypes.expiry_policy import ExpiryPolicy
from .exceptions import NotSupportedByClusterError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['BaseCache']

_SomeCache = TypeVar('_SomeCache', bound='BaseCache')


class BaseCache:
    """What sync and async caches share: the name, the id and the expiry policy.

    :param client: the client the cache is reached through,
    :param name: the cache name,
    :param expiry_policy: (optional) the expiry policy applied to every operation.
    """

    def __init__(self, client: 'BaseClient', name: str,
                 expiry_policy: Optional[ExpiryPolicy] = None) -> None:
        if not isinstance(name, str) or not name:
            raise ParameterError('a cache name must be a non-empty string')
        self._client = client
        self._session = client._session
        self._name = name
        self._cache_id = _ids.cache_id(name)
        self._expiry_policy = expiry_policy
        self._header = cache_header(self._cache_id, expiry_policy)
        self._frame_prefix = bytes(REQUEST_HEADER_SIZE) + self._header
        self._settings: Optional[Dict[int, Any]] = None

    @property
    def name(self) -> str:
        """:return: the cache name."""
        return self._name

    @property
    def cache_id(self) -> int:
        """The cache id: the Java hash code of its name.

        :return: int.
        """
        return self._cache_id

    @property
    def client(self) -> 'BaseClient':
        """:return: the client the cache is reached through."""
        return self._client

    @property
    def expiry_policy(self) -> Optional[ExpiryPolicy]:
        """:return: the expiry policy applied to every operation, or None."""
        return self._expiry_policy

    def with_expire_policy(self: _SomeCache, expiry_policy: Optional[ExpiryPolicy] = None,
                           create: Union[int, timedelta] = ExpiryPolicy.UNCHANGED,
                           update: Union[int, timedelta] = ExpiryPolicy.UNCHANGED,
                           access: Union[int, timedelta] = ExpiryPolicy.UNCHANGED) -> _SomeCache:
        """A view of this cache whose operations apply an expiry policy.

        :param expiry_policy: an :class:`ExpiryPolicy`, or build one from the durations,
        :param create: time to live after creation, ms or timedelta,
        :param update: time to live after an update, ms or timedelta,
        :param access: time to live after a read, ms or timedelta,
        :return: a new cache object of the same class.
        """
        ctx = self._client.protocol_context
        if ctx is not None and not ctx.is_expiry_policy_supported():
            raise NotSupportedByClusterError('expiry policies need protocol 1.6.0 or newer')
        if expiry_policy is None:
            expiry_policy = ExpiryPolicy(create=create, update=update, access=access)
        return type(self)(self._client, self._name, expiry_policy)

    def __repr__(self) -> str:
        return '{}(name={!r})'.format(type(self).__name__, self._name)
