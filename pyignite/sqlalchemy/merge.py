"""``merge(table)``: an upsert by primary key, Ignite's ``MERGE``.

Used like :func:`sqlalchemy.insert`: ``conn.execute(merge(t).values(id=1, x='a'))`` or
``conn.execute(merge(t), [{...}, {...}])``. An existing row with the same primary key is
replaced, a missing one inserted. The H2 engine has ``MERGE INTO t (cols) VALUES (...)``;
the Calcite engine has only the standard ``MERGE INTO t USING ... ON ... WHEN MATCHED ...
WHEN NOT MATCHED ...``, which is what the dialect writes for it.
"""
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.dml import Insert

__all__ = ['Merge', 'merge']


class Merge(Insert):
    """An ``INSERT`` that replaces the row of an existing key; see :func:`merge`."""

    inherit_cache = True


def merge(table: Any) -> Merge:
    """:param table: a :class:`~sqlalchemy.schema.Table` with a primary key,
    :return: the upsert statement, to be given ``.values(...)`` or executed with
     parameter sets."""
    return Merge(table)


@compiles(Merge)
def _merge_default(element: Merge, compiler: Any, **kw: Any) -> str:
    raise NotImplementedError('merge() is an Ignite statement: compile it with the ignite '
                              'dialect')


@compiles(Merge, 'ignite')
def _merge_ignite(element: Merge, compiler: Any, **kw: Any) -> str:
    insert = str(compiler.visit_insert(element, **kw))
    if not insert.startswith('INSERT INTO '):
        raise NotImplementedError('merge() takes VALUES only')
    if getattr(compiler.dialect, 'sql_engine', 'calcite') == 'h2':
        return 'MERGE' + insert[len('INSERT'):]
    table: Any = element.table
    keys = [c.name for c in table.primary_key.columns]
    if not keys:
        raise NotImplementedError('merge() needs a table with a primary key')
    # INSERT INTO t (a, b) VALUES (?, ?) -> the standard MERGE over the same row
    head, _, row = insert.partition(') VALUES ')
    names = head[head.index('(') + 1:]
    columns = [name.strip() for name in names.split(',')]
    quote = compiler.preparer.quote
    target = compiler.preparer.format_table(table)
    on = ' AND '.join('{0}.{1} = s.{1}'.format(target, quote(k)) for k in keys)
    quoted_keys = {quote(k) for k in keys}
    updates = ', '.join('{0} = s.{0}'.format(c) for c in columns if c not in quoted_keys)
    merge_sql = 'MERGE INTO {} USING (VALUES {}) AS s ({}) ON ({})'.format(
        target, row, ', '.join(columns), on)
    if updates:
        merge_sql += ' WHEN MATCHED THEN UPDATE SET ' + updates
    merge_sql += ' WHEN NOT MATCHED THEN INSERT ({0}) VALUES ({1})'.format(
        ', '.join(columns), ', '.join('s.' + c for c in columns))
    return merge_sql
