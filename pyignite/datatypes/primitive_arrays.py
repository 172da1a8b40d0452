"""Arrays of primitives."""
from .base import IgniteDataType
from . import type_codes as tc

__all__ = [
    'ByteArrayObject', 'ShortArrayObject', 'IntArrayObject', 'LongArrayObject',
    'FloatArrayObject', 'DoubleArrayObject', 'CharArrayObject', 'BoolArrayObject',
]


class ByteArrayObject(IgniteDataType):
    """``byte[]``: bytes, bytearray or an iterable of ints; read back as ``bytes``."""
    type_code = tc.TC_BYTE_ARRAY


class ShortArrayObject(IgniteDataType):
    """``short[]``: an iterable of ints."""
    type_code = tc.TC_SHORT_ARRAY


class IntArrayObject(IgniteDataType):
    """``int[]``: an iterable of ints."""
    type_code = tc.TC_INT_ARRAY


class LongArrayObject(IgniteDataType):
    """``long[]``: an iterable of ints."""
    type_code = tc.TC_LONG_ARRAY


class FloatArrayObject(IgniteDataType):
    """``float[]``: an iterable of floats."""
    type_code = tc.TC_FLOAT_ARRAY


class DoubleArrayObject(IgniteDataType):
    """``double[]``: an iterable of floats."""
    type_code = tc.TC_DOUBLE_ARRAY


class CharArrayObject(IgniteDataType):
    """``char[]``: a string or an iterable of one-character strings; read back as a list."""
    type_code = tc.TC_CHAR_ARRAY


class BoolArrayObject(IgniteDataType):
    """``boolean[]``: an iterable of bools (or of the ints 0 and 1); None is no item."""
    type_code = tc.TC_BOOL_ARRAY
