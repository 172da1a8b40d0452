"""pyignite: a fast Python thin client for Apache Ignite 2.x."""
from .aio_client import AioClient
from .binary import GenericObjectMeta
from .client import Client

__version__ = '0.6.2'

__all__ = ['AioClient', 'Client', 'GenericObjectMeta', '__version__']
