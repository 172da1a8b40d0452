"""Facade methods written once for the sync and the async API.

A public method that runs one operation of :mod:`pyignite._ops` is defined once, in the base
class the sync and the async facade share, as the *build* of that operation::

    @operation
    def get(self, key: Any, key_hint: Optional[Hint] = None) -> Op[Any]:
        \"\"\"Read the value of a key. ...\"\"\"
        return kv.get(self._session, self, key, key_hint)

Each facade class says how it runs operations by the marker it inherits: on a
:class:`Blocking` class the method runs the operation and returns its result, on a
:class:`Coroutines` class it is a coroutine method, and on a :class:`TimedCoroutines` class a
coroutine method that also takes the keyword-only ``timeout`` of
:class:`~pyignite.aio_cache.AioCache`. The methods are made when the class is created
(:meth:`Facade.__init_subclass__`), so that each class holds ordinary functions of its own:
documented, introspected (``inspect.iscoroutinefunction`` tells the async ones), and as fast
as written by hand but for one call (the build's). The type checker sees them through
:meth:`operation.__get__`.

The instances run an operation with their ``_run`` (and multi-key operations, whose parts
may go to several nodes, with their ``_fan_out``): the client's drivers (see
:class:`~pyignite._base_client.BaseClient`).
"""
import asyncio
import inspect
import sys
import typing
from typing import (
    Any, Callable, Coroutine, Dict, Generator, Generic, Optional, Tuple, TypeVar, Union,
    overload,
)

from ._ops.exchange import Call
from ._protocol.request import Request, Response
from .exceptions import ParameterError

if sys.version_info >= (3, 10):
    from typing import Concatenate, ParamSpec
    _P = ParamSpec('_P')
else:  # pragma: no cover  (the type checker runs on a newer Python)
    _P = TypeVar('_P')

__all__ = ['Blocking', 'Coroutines', 'Facade', 'Op', 'TimedCoroutines', 'deadline', 'documented',
           'multi_key_operation', 'operation', 'type_arguments']

_T = TypeVar('_T')
#: what a build returns: an operation whose result is ``_T`` (a one-request
#: :class:`~pyignite._ops.exchange.Call`, whose result type its builder states, or a generator)
Op = Union[Call, Generator[Request, Response, _T]]


def deadline(timeout: Any) -> Tuple[float, float]:
    """The per-call limit ``timeout`` of an async cache method as a deadline on the call's
    requests: ``(loop time, seconds)``.

    It is a deadline on the requests themselves, not a wrapping ``asyncio.wait_for``:
    that can swallow a ``task.cancel()`` that arrives as the call finishes (Python 3.11
    and older), and a cancellation must always be honoured.
    """
    if timeout.__class__ not in (int, float) or not timeout > 0:
        raise ParameterError('timeout must be a positive number of seconds or None, '
                             'not {!r}'.format(timeout))
    return asyncio.get_running_loop().time() + timeout, timeout


_F = TypeVar('_F', bound=Callable[..., Any])


def documented(text: str) -> Callable[[_F], _F]:
    """Give the decorated function ``text`` as its documentation: for the methods of the sync
    and the async facade that must be written twice (one blocks where the other awaits, or
    their parameters differ) but mean the same, documented once."""
    def document(func: _F) -> _F:
        func.__doc__ = text
        return func
    return document


class operation(Generic[_P, _T]):
    """A facade method defined by the operation it runs (see the module's documentation).

    :param build: ``build(self, ...)``: the operation to run for the call's arguments,
    :param fan_out: a multi-key operation (:mod:`pyignite._ops.multi_key`), run with
     ``_fan_out``.
    """

    def __init__(self, build: 'Callable[Concatenate[Any, _P], Op[_T]]',
                 fan_out: bool = False) -> None:
        self.build = build
        self.fan_out = fan_out
        self.__doc__ = build.__doc__

    # what the methods made of it look like to the type checker, by the facade's kind
    @overload
    def __get__(self, obj: None, owner: Any) -> 'operation[_P, _T]': ...

    @overload
    def __get__(self, obj: 'Blocking', owner: Any) -> 'Callable[_P, _T]': ...

    @overload
    def __get__(self, obj: 'Coroutines', owner: Any) -> 'Callable[_P, Coroutine[Any, Any, _T]]': ...

    @overload
    def __get__(self, obj: 'TimedCoroutines',
                owner: Any) -> Callable[..., Coroutine[Any, Any, _T]]: ...

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        # every facade class replaces its operations by methods when it is created
        raise TypeError('{} is an operation of {}, a class that is not a facade'.format(
            self.build.__name__, owner.__name__))


class Facade:
    """A class whose :class:`operation` attributes become methods of its kind when it is
    created (or subclassed)."""

    #: the drivers the operations run with (see the module's documentation)
    _run: Callable[..., Any]
    _fan_out: Callable[..., Any]

    #: the source of the method an operation becomes on this kind of facade, filled in
    #: with ``name``, ``params`` (the build's, then ``extra``), ``args`` (the build's, passed
    #: on) and ``driver`` (``_run``, or ``_fan_out`` for a multi-key operation)
    _template: str
    #: parameters the methods take beyond the build's
    _extra: Tuple[inspect.Parameter, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in dir(cls):
            # the nearest definition: a method a subclass wrote itself stays
            found = inspect.getattr_static(cls, name)
            if isinstance(found, operation):
                setattr(cls, name, cls._method(found, name))

    @classmethod
    def _method(cls, op: 'operation[Any, Any]', name: str) -> Callable[..., Any]:
        """The method ``op`` becomes, with the build's own parameters: generated from
        :attr:`_template` (as :mod:`dataclasses` makes ``__init__``), because a wrapper
        taking ``*args, **kwargs`` would cost the blocking client's every get and put about
        200 ns more, in passing the arguments on."""
        signature = inspect.signature(op.build)
        own = list(signature.parameters.values())[1:]  # without self
        declared, passed, keywords_only = [], [], False
        for p in own + list(cls._extra):
            if p.kind is p.VAR_POSITIONAL:
                text, keywords_only = '*' + p.name, True
            elif p.kind is p.VAR_KEYWORD:
                text = '**' + p.name
            elif p.kind is p.KEYWORD_ONLY:
                text = p.name if keywords_only else '*, ' + p.name
                keywords_only = True
            else:
                text = p.name
            declared.append(text)
        for p in own:
            passed.append('{0}={0}'.format(p.name) if p.kind is p.KEYWORD_ONLY else
                          '*' + p.name if p.kind is p.VAR_POSITIONAL else
                          '**' + p.name if p.kind is p.VAR_KEYWORD else p.name)
        source = cls._template.format(
            name=name, params=', '.join(declared), args=', '.join(passed),
            driver='_fan_out' if op.fan_out else '_run')
        namespace: Dict[str, Any] = {'_build': op.build, '_deadline': deadline}
        exec(compile(source, '<{}.{}>'.format(cls.__qualname__, name), 'exec'), namespace)
        method = namespace[name]
        method.__defaults__ = op.build.__defaults__
        method.__kwdefaults__ = dict(op.build.__kwdefaults__ or {}, **{
            p.name: p.default for p in cls._extra})
        return cls._signed(method, op, name, signature.replace(
            parameters=list(signature.parameters.values()) + list(cls._extra)))

    @classmethod
    def _signed(cls, method: Callable[..., Any], op: 'operation[Any, Any]', name: str,
                signature: inspect.Signature) -> Callable[..., Any]:
        """``method``, named and documented as the build of ``op``, and with ``signature``
        but the result of the operation as the return type."""
        signature = signature.replace(
            return_annotation=cls._own_type(_result_of(signature.return_annotation)))
        method.__qualname__ = '{}.{}'.format(cls.__qualname__, name)
        method.__module__ = cls.__module__
        method.__doc__ = op.build.__doc__
        # mypy does not know functions take attributes
        method.__signature__ = signature  # type: ignore[attr-defined]
        method.__annotations__ = {
            p.name: p.annotation for p in signature.parameters.values()
            if p.annotation is not inspect.Parameter.empty}
        method.__annotations__['return'] = signature.return_annotation
        return method

    @classmethod
    def _own_type(cls, annotation: Any) -> Any:
        """``annotation`` with the type variables of the generic bases of the class replaced
        by the class's own types (``_Cache`` by ``Cache``): what its signature shows."""
        if isinstance(annotation, TypeVar):
            return _bound_type_variables(cls).get(annotation, annotation)
        parameters = getattr(annotation, '__parameters__', ())
        if parameters:
            bound = _bound_type_variables(cls)
            return annotation[tuple(bound.get(p, p) for p in parameters)]
        return annotation


def _bound_type_variables(cls: type) -> Dict[Any, Any]:
    """The type variables of the generic classes ``cls`` derives from, and what it gives
    for each (``ClientAPI[Connection, ...]``: ``_Conn`` is ``Connection``)."""
    bound: Dict[Any, Any] = {}
    for klass in reversed(cls.__mro__):
        for base in getattr(klass, '__orig_bases__', ()):
            origin = typing.get_origin(base)
            if origin is not None and origin is not Generic:
                bound.update(zip(origin.__parameters__, typing.get_args(base)))
    return bound


def type_arguments(cls: type, generic: type) -> Tuple[Any, ...]:
    """What ``cls`` gives a generic class it derives from for its type variables:
    the classes a facade hands out (:class:`~pyignite._base_client.ClientAPI`)."""
    bound = _bound_type_variables(cls)
    return tuple(bound[p] for p in getattr(generic, '__parameters__'))


def _result_of(annotation: Any) -> Any:
    """What an operation annotated ``Op[T]`` or ``Generator[..., T]`` gives: ``T``, the
    result its method shows in its signature."""
    if typing.get_origin(annotation) is Union:
        annotation = typing.get_args(annotation)[-1]
    result = typing.get_args(annotation)[-1]
    return None if result is type(None) else result


class Blocking(Facade):
    """A sync facade: its operations run when called and return their results."""

    _template = """
def {name}(self, {params}):
    return self.{driver}(_build(self, {args}))
"""


class Coroutines(Facade):
    """An async facade: its operations are coroutine methods."""

    _template = """
async def {name}(self, {params}):
    return await self.{driver}(_build(self, {args}))
"""


class TimedCoroutines(Facade):
    """An async facade whose coroutine methods also take a keyword-only ``timeout``
    (seconds, checked on the client side: see :func:`deadline`)."""

    # the timeout is checked before the operation is built: a bad one sends nothing
    _template = """
async def {name}(self, {params}):
    limit = None if timeout is None else _deadline(timeout)
    return await self.{driver}(_build(self, {args}), limit)
"""
    _extra = (inspect.Parameter('timeout', inspect.Parameter.KEYWORD_ONLY, default=None,
                                annotation=Optional[float]),)


def multi_key_operation(build: 'Callable[Concatenate[Any, _P], Op[_T]]') -> operation[_P, _T]:
    """:class:`operation` for the multi-key operations (:mod:`pyignite._ops.multi_key`),
    whose parts may go to several nodes at once."""
    return operation(build, fan_out=True)
