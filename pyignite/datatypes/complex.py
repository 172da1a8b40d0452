"""Object collections, complex objects and wrapped data."""
from .base import IgniteDataType
from . import type_codes as tc

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
    def hashcode(cls, value, client=None) -> int:
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
        from .._binary_codec import object_hash
        compact, ask = _footer_mode(value, client)
        if ask:
            from .._ops.binary_types import fetch_binary_configuration
            client._run(fetch_binary_configuration(client._session))
            compact = client._session.binary.write_compact_footer
        return object_hash(value, compact)

    @classmethod
    async def hashcode_async(cls, value, client=None) -> int:
        """:meth:`hashcode` with an :class:`~pyignite.aio_client.AioClient`.

        :param value: an instance of a :class:`~pyignite.binary.GenericObjectMeta` class,
        :param client: (optional) a connected :class:`~pyignite.aio_client.AioClient`,
        :return: a signed 32-bit int,
        :raises ParameterError: ``value`` is no complex object or cannot be written.
        """
        from .._binary_codec import object_hash
        compact, ask = _footer_mode(value, client)
        if ask:
            from .._ops.binary_types import fetch_binary_configuration
            await client._run(fetch_binary_configuration(client._session))
            compact = client._session.binary.write_compact_footer
        return object_hash(value, compact)


def _footer_mode(value, client):
    """``(compact, ask)``: the footer mode to hash ``value`` with, and whether the server
    must be asked for it first (unknown yet, and the two modes give different hashes)."""
    from .._binary_codec import object_hash
    registry = None if client is None else client._session.binary
    compact = None if registry is None else registry.write_compact_footer
    if compact is not None:
        return compact, False
    if registry is None or object_hash(value, True) == object_hash(value, False):
        return True, False
    return None, True
