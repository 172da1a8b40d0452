"""A SQLAlchemy 2 dialect for Ignite SQL, over :mod:`pyignite.dbapi`.

Installed with ``pip install pyignite[sqlalchemy]``, which registers it under the name
``ignite``::

    from sqlalchemy import create_engine
    engine = create_engine('ignite://127.0.0.1:10800/PUBLIC')

URL: ``ignite://[user:password@]host[:port][/SCHEMA][?page_size=N&timeout=S&...]``; the
query parameters are those of :func:`pyignite.dbapi.connect` (and so of
:class:`~pyignite.client.Client`: ``use_ssl=true``, ``ssl_ca_certfile=...``). See
:mod:`pyignite.sqlalchemy.base` for what the dialect does.
"""
from sqlalchemy.dialects import registry

from .base import IgniteDialect, engine_name
from .merge import Merge, merge
from .types import TINYINT

__all__ = ['IgniteDialect', 'Merge', 'merge', 'TINYINT', 'engine_name']

dialect = IgniteDialect

# the package's entry point registers the name when pyignite is installed; importing the
# module does it too (a source checkout, or an environment installed before the dialect)
registry.register('ignite', 'pyignite.sqlalchemy', 'IgniteDialect')
registry.register('ignite.pyignite', 'pyignite.sqlalchemy', 'IgniteDialect')
