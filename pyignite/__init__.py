"""pyignite: a fast Python thin client for Apache Ignite 2.x."""
from .client import Client

__version__ = '0.1.0'

__all__ = ['Client', '__version__']
