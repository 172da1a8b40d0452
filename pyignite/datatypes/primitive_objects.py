"""Primitive types: Python ints, floats, one-character strings and bools."""
from .base import IgniteDataType
from . import type_codes as tc

__all__ = [
    'ByteObject', 'ShortObject', 'IntObject', 'LongObject', 'FloatObject', 'DoubleObject',
    'CharObject', 'BoolObject',
]


class ByteObject(IgniteDataType):
    """Java ``byte``: an int in -128..127."""
    type_code = tc.TC_BYTE


class ShortObject(IgniteDataType):
    """Java ``short``: an int in -32768..32767."""
    type_code = tc.TC_SHORT


class IntObject(IgniteDataType):
    """Java ``int``: a 32-bit signed int."""
    type_code = tc.TC_INT


class LongObject(IgniteDataType):
    """Java ``long``: a 64-bit signed int, the default for Python ``int``."""
    type_code = tc.TC_LONG


class FloatObject(IgniteDataType):
    """Java ``float``: IEEE 754 single precision."""
    type_code = tc.TC_FLOAT


class DoubleObject(IgniteDataType):
    """Java ``double``: the default for Python ``float``."""
    type_code = tc.TC_DOUBLE


class CharObject(IgniteDataType):
    """Java ``char``: a one-character string within the Basic Multilingual Plane."""
    type_code = tc.TC_CHAR


class BoolObject(IgniteDataType):
    """Java ``boolean``: the default for Python ``bool``; as a hint it also takes the ints
    0 and 1, and refuses anything else (a truthy str is no boolean)."""
    type_code = tc.TC_BOOL
