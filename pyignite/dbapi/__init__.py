"""A PEP 249 (DB-API 2.0) driver for Ignite SQL, over :meth:`pyignite.client.Client.sql`.

::

    from pyignite import dbapi

    with dbapi.connect('127.0.0.1', 10800) as conn:
        with conn.cursor() as cur:
            cur.execute('SELECT name, population FROM City WHERE countrycode = ?', ['NLD'])
            for name, population in cur:
                print(name, population)

Parameters are ``?`` placeholders (``paramstyle = 'qmark'``); rows are lists of column
values. Statements commit as they run (see :mod:`pyignite.dbapi.connection`).
"""
from typing import Any, Iterable, Optional, Tuple

from .. import exceptions as _exc
from .connection import Connection, tx_supported, tx_unsupported
from .cursor import Cursor
from .exceptions import (
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, Warning, translate,
)
from .types import (
    BINARY, DATETIME, NUMBER, ROWID, STRING, Binary, Date, DateFromTicks, Time,
    TimeFromTicks, Timestamp, TimestampFromTicks,
)

__all__ = [
    'apilevel', 'threadsafety', 'paramstyle', 'connect', 'Connection', 'Cursor',
    'Warning', 'Error', 'InterfaceError', 'DatabaseError', 'DataError', 'OperationalError',
    'IntegrityError', 'InternalError', 'ProgrammingError', 'NotSupportedError',
    'Date', 'Time', 'Timestamp', 'DateFromTicks', 'TimeFromTicks', 'TimestampFromTicks',
    'Binary', 'STRING', 'BINARY', 'NUMBER', 'DATETIME', 'ROWID',
]

apilevel = '2.0'
#: threads may share the module and connections (a Client is thread-safe), not cursors
threadsafety = 2
paramstyle = 'qmark'


def connect(host: str = '127.0.0.1', port: int = 10800, *,
            nodes: Optional[Iterable[Tuple[str, int]]] = None, schema: str = 'PUBLIC',
            page_size: int = 1024, timeout: Optional[float] = None, autocommit: bool = True,
            client: Any = None, **client_kwargs: Any) -> Connection:
    """Open a DB-API connection.

    :param host: (optional) the node's host, ``127.0.0.1`` by default,
    :param port: (optional) the node's client port, 10800 by default,
    :param nodes: (optional) a list of ``(host, port)`` pairs to use instead of ``host``
     and ``port`` (failover and partition awareness as :meth:`Client.connect` does),
    :param schema: (optional) the SQL schema statements run in, ``PUBLIC`` by default,
    :param page_size: (optional) rows per server round trip, 1024 by default,
    :param timeout: (optional) time limit of each request, seconds (the client's
     ``timeout``); None for none,
    :param autocommit: (optional) True (default); False only on a server with
     transaction-aware queries (see :mod:`pyignite.dbapi.connection`),
    :param client: (optional) an already connected :class:`~pyignite.client.Client` to use
     instead of connecting: then no other connection parameter may be given, and closing
     the DB-API connection leaves the client open,
    :param client_kwargs: (optional) more :class:`~pyignite.client.Client` parameters:
     ``username``/``password``, ``use_ssl`` and the ``ssl_*`` ones, ``partition_aware``...,
    :return: a :class:`~pyignite.dbapi.connection.Connection`,
    :raises ~pyignite.dbapi.exceptions.OperationalError: no node could be reached, or
     authentication failed,
    :raises ~pyignite.dbapi.exceptions.NotSupportedError: ``autocommit=False`` and the
     server runs no SQL in transactions,
    :raises ~pyignite.dbapi.exceptions.ProgrammingError: bad parameters.
    """
    if not isinstance(schema, str) or not schema:
        raise ProgrammingError('schema must be a non-empty str, not {!r}'.format(schema))
    if page_size.__class__ is not int or page_size < 1:
        raise ProgrammingError('page_size must be a positive int, not {!r}'.format(page_size))
    if client is not None:
        given = sorted(client_kwargs) + [name for name, value in (
            ('nodes', nodes), ('timeout', timeout), ('host', host != '127.0.0.1' or None),
            ('port', port != 10800 or None)) if value is not None]
        if given:
            raise ProgrammingError('connect(client=...) takes no connection parameters: '
                                   '{}'.format(', '.join(given)))
        if not autocommit and not tx_supported(client):
            raise NotSupportedError(tx_unsupported(client))
        conn = Connection(client, False, schema, page_size)
        conn.autocommit = autocommit
        return conn
    from ..client import Client
    try:
        new = Client(timeout=timeout, **client_kwargs)
    except _exc.ParameterError as e:
        raise ProgrammingError(str(e)) from e
    try:
        if nodes is not None:
            new.connect(list(nodes))
        else:
            new.connect(host, port)
        if not autocommit and not tx_supported(new):
            raise NotSupportedError(tx_unsupported(new))
    except BaseException as e:
        new.close()
        if isinstance(e, Exception) and not isinstance(e, Error):
            raise translate(e) from e
        raise
    conn = Connection(new, True, schema, page_size)
    conn.autocommit = autocommit
    return conn
