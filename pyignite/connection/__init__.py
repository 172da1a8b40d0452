"""Connections to single Ignite nodes. Not part of the stable API."""
from .connection import Connection
from .._protocol.wire import ProtocolContext

__all__ = ['Connection', 'ProtocolContext']
