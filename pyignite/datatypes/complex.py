"""Object collections, complex objects and wrapped data."""
import struct
from typing import Any, Callable, Optional, Tuple

from .base import IgniteDataType
from . import type_codes as tc
from ..exceptions import ParameterError

__all__ = [
    'ObjectArrayObject', 'CollectionObject', 'MapObject', 'WrappedDataObject', 'BinaryObject',
]


class ObjectArrayObject(IgniteDataType):
    """``Object[]``: a ``(type_id, iterable)`` tuple; the hint is mandatory on write."""
    type_code = tc.TC_OBJECT_ARRAY
    OBJECT = -1


class CollectionObject(IgniteDataType):
    """A Java collection: a ``(kind, iterable)`` tuple, read back as ``(kind, list)``."""
    type_code = tc.TC_COLLECTION
    USER_SET = -1
    USER_COL = 0
    ARR_LIST = 1
    LINKED_LIST = 2
    HASH_SET = 3
    LINKED_HASH_SET = 4
    SINGLETON_LIST = 5


class MapObject(IgniteDataType):
    """A Java map: a ``(kind, dict)`` tuple; LINKED_HASH_MAP reads back as an OrderedDict."""
    type_code = tc.TC_MAP
    HASH_MAP = 1
    LINKED_HASH_MAP = 2


class WrappedDataObject(IgniteDataType):
    """Wrapped binary data, as a server may send it; read only (values are unwrapped)."""
    type_code = tc.TC_ARRAY_WRAPPED_OBJECTS


class BinaryObject(IgniteDataType):
    """A complex object: an instance of a class built with
    :class:`~pyignite.binary.GenericObjectMeta`."""
    type_code = tc.TC_COMPLEX_OBJECT
    USER_TYPE = 0x0001
    HAS_SCHEMA = 0x0002
    HAS_RAW_DATA = 0x0004
    OFFSET_ONE_BYTE = 0x0008
    OFFSET_TWO_BYTES = 0x0010
    COMPACT_FOOTER = 0x0020

    @classmethod
    def hashcode(cls, value: object, client: Any = None) -> int:
        """The hash code Java gives ``value`` (``BinaryObject.hashCode()``, the one its
        partition is computed from): ``Arrays.hashCode`` of its field bytes, as written.

        The bytes of objects nested in ``value`` depend on the footer mode: the client's,
        asked from the server when it is not known yet and it matters. Nothing is sent when
        ``value`` holds no objects, or without ``client`` (compact footers, the server
        default, are then assumed).

        :param value: an instance of a :class:`~pyignite.binary.GenericObjectMeta` class,
        :param client: (optional) a connected :class:`~pyignite.client.Client`,
        :return: a signed 32-bit int,
        :raises ParameterError: ``value`` is no complex object or cannot be written.
        """
        compact = _footer_mode(value, client)
        if compact is None:
            compact = client._learn_compact_footer()
        return object_hash(value, compact)

    @classmethod
    async def hashcode_async(cls, value: object, client: Any = None) -> int:
        """:meth:`hashcode` with an :class:`~pyignite.aio_client.AioClient`.

        :param value: an instance of a :class:`~pyignite.binary.GenericObjectMeta` class,
        :param client: (optional) a connected :class:`~pyignite.aio_client.AioClient`,
        :return: a signed 32-bit int,
        :raises ParameterError: ``value`` is no complex object or cannot be written.
        """
        compact = _footer_mode(value, client)
        if compact is None:
            compact = await client._learn_compact_footer()
        return object_hash(value, compact)


def _footer_mode(value: object, client: Any) -> Optional[bool]:
    """The footer mode to hash ``value`` with, or None when the server must be asked for it
    first (unknown yet, and the two modes give different hashes)."""
    registry = None if client is None else client._session.binary
    compact: Optional[bool] = None if registry is None else registry.write_compact_footer
    if compact is not None:
        return compact
    if registry is None or object_hash(value, True) == object_hash(value, False):
        return True
    return None


# Computing the hash: writing the object as the encoder would (this module sits below the
# codecs and the clients, so it uses only what the object's class and the client offer).


class _EveryClass:
    def __contains__(self, cls: object) -> bool:
        return True


class _HashOnly:
    """The registry's stand-in while an object is written only for its header hash: no
    class gets registered, and the footer mode is given."""

    __slots__ = ('write_compact_footer',)
    known_classes = _EveryClass()

    def __init__(self, compact: bool):
        self.write_compact_footer = compact


def object_hash(value: Any, compact: bool) -> int:
    """The hash Java keeps in the header of ``value`` (a complex object) written with
    compact (True) or full (False) footers; the mode matters only for the objects inside.

    :raises ParameterError: ``value`` is no complex object, or cannot be written.
    """
    write = getattr(value.__class__, '_ignite_write', None)
    if write is None:
        raise ParameterError('{!r} is not a complex object: an instance of a class built '
                             'with GenericObjectMeta is required'.format(value))
    buf = bytearray()
    write(buf, value, _HashOnly(compact))
    return _unpack_i(buf, 8)[0]


_unpack_i: Callable[[bytearray, int], Tuple[int]] = struct.Struct('<i').unpack_from
