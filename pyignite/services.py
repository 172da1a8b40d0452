"""Services: call the methods of services deployed in the cluster (Java classes that
implement ``org.apache.ignite.services.Service``).

Get a :class:`Services` with :meth:`Client.services() <pyignite.client.Client.services>`
(an :class:`AioServices` with :meth:`AioClient.services()
<pyignite.aio_client.AioClient.services>`), then a proxy of one service::

    counter = client.services().service_proxy('counter')
    counter.add(5)          # calls the service's add(long)

A proxy's attributes are the service's methods: calling one sends its arguments (written
as usual: an ``int`` is a Java ``long`` unless hinted, ``(5, IntObject)`` is an ``int``) and
returns the method's result (a coroutine with the async client). The server picks the
method by name and by the arguments' types. See :doc:`../compute` for a walk through.
"""
import time
from typing import TYPE_CHECKING, Any, Callable, Coroutine, List, Mapping, Optional

from ._ops import services as ops
from ._ops.services import ServiceDescriptor, ServiceRef
from .compute import _steps_of

if TYPE_CHECKING:  # pragma: no cover
    from ._base_client import BaseClient

__all__ = ['Services', 'AioServices', 'ServiceProxy', 'AioServiceProxy', 'ServiceDescriptor']


class _Proxy:
    """What both proxies share: the service, the group and the call options."""

    def __init__(self, client: Any, steps: Any, name: str, timeout: Optional[float],
                 call_context: Optional[Mapping[str, Any]]) -> None:
        self._client = client
        self._steps = steps
        self._ref = ServiceRef(ops.check_name(name))
        self._millis = ops.check_call(timeout, call_context)
        self._call_context = dict(call_context) if call_context is not None else None

    def _op(self, method: str, args: Any) -> Any:
        return ops.call(self._client._session, self._ref, self._steps, method, args,
                        self._millis, self._call_context, time.monotonic())

    def __repr__(self) -> str:
        return '<{} of service {!r}>'.format(type(self).__name__, self._ref.name)


class ServiceProxy(_Proxy):
    """A service seen from a :class:`~pyignite.client.Client`: ``proxy.method(*args)``
    calls the method and returns its result. Every public attribute is a method of the
    service (the proxy has none of its own).

    :raises ServiceError: (from a call) no such service or method, arguments that match
     no method, or the exception the method raised (its message),
    :raises NotSupportedByClusterError: (from a call) the server has no thin-client
     services.
    """

    _client: 'BaseClient'

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith('__'):
            raise AttributeError(method)

        def call(*args: Any) -> Any:
            return self._client._run(self._op(method, args))

        call.__name__ = method
        return call


class AioServiceProxy(_Proxy):
    """A service seen from an :class:`~pyignite.aio_client.AioClient`:
    ``await proxy.method(*args)`` calls the method and returns its result (errors as
    :class:`ServiceProxy`'s)."""

    _client: 'BaseClient'

    def __getattr__(self, method: str) -> Callable[..., Coroutine[Any, Any, Any]]:
        if method.startswith('__'):
            raise AttributeError(method)

        async def call(*args: Any) -> Any:
            return await self._client._run(self._op(method, args))

        call.__name__ = method
        return call


class _Services:
    def __init__(self, client: Any, group: Any = None) -> None:
        self._client = client
        self._steps = _steps_of(client, group)


class Services(_Services):
    """The services of the cluster a :class:`~pyignite.client.Client` is connected to (or
    of a cluster group's nodes). Get it with :meth:`Client.services()
    <pyignite.client.Client.services>`."""

    def service_proxy(self, name: str, *, timeout: Optional[float] = None,
                      call_context: Optional[Mapping[str, Any]] = None) -> ServiceProxy:
        """A proxy of the service ``name``: its attributes call the service's methods.
        Nothing is sent until a method is called.

        :param name: the service's name,
        :param timeout: (optional) seconds a call may take on the server (None: no limit),
        :param call_context: (optional) attributes the service reads from its
         ``ServiceCallContext`` (a dict of str to values),
        :raises ParameterError: a bad name, timeout or call context.
        """
        return ServiceProxy(self._client, self._steps, name, timeout, call_context)

    def descriptors(self) -> List[ServiceDescriptor]:
        """The descriptions of every deployed service.

        :raises NotSupportedByClusterError: the server does not describe services (before
         Ignite 2.13)."""
        found: List[ServiceDescriptor] = self._client._run(
            ops.descriptors(self._client._session))
        return found

    def descriptor(self, name: str) -> ServiceDescriptor:
        """The description of the service ``name``.

        :raises ServiceError: there is no such service,
        :raises NotSupportedByClusterError: the server does not describe services."""
        found: ServiceDescriptor = self._client._run(
            ops.descriptor(self._client._session, name))
        return found


class AioServices(_Services):
    """The services of the cluster an :class:`~pyignite.aio_client.AioClient` is
    connected to: :class:`Services` with coroutine methods where it asks the server."""

    def service_proxy(self, name: str, *, timeout: Optional[float] = None,
                      call_context: Optional[Mapping[str, Any]] = None) -> AioServiceProxy:
        """A proxy of the service ``name``: :meth:`Services.service_proxy`."""
        return AioServiceProxy(self._client, self._steps, name, timeout, call_context)

    async def descriptors(self) -> List[ServiceDescriptor]:
        """The descriptions of every deployed service."""
        found: List[ServiceDescriptor] = await self._client._run(
            ops.descriptors(self._client._session))
        return found

    async def descriptor(self, name: str) -> ServiceDescriptor:
        """The description of the service ``name``."""
        found: ServiceDescriptor = await self._client._run(
            ops.descriptor(self._client._session, name))
        return found
