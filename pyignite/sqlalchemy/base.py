"""The Ignite dialect: SQL compilation, DDL, types and reflection.

* Names: Ignite upper-cases unquoted names, so the dialect normalizes names as for other
  upper-case databases (``city`` in Python is ``CITY`` on the server).
* DDL: ``CREATE TABLE`` takes Ignite's ``WITH "..."`` options from the ``ignite_with``
  table keyword (a string, or a dict joined as ``key=value,...``). Ignite has no foreign
  key, unique or check constraints and no unique indexes: the constraints are left out of
  the DDL and a unique index is made as a plain one (so models declaring them, or
  relationships, still create their tables); nothing enforces uniqueness but the key.
* Transactions: each statement commits as it runs (see :mod:`pyignite.dbapi`); the only
  isolation level is ``AUTOCOMMIT`` and ``commit``/``rollback`` do nothing.
* Reflection reads ``SYS.SCHEMAS``, ``SYS.TABLES``, ``SYS.TABLE_COLUMNS``, ``SYS.INDEXES``
  and ``SYS.VIEWS``; column order is that of ``SELECT *``.
* ``stream_results=True`` reads a result a page (``page_size`` rows) at a time from the
  server-side cursor, which every result is in any case.
"""
import re
from typing import Any, Dict, List, Optional, Tuple, cast

from sqlalchemy import exc, types as sqltypes
from sqlalchemy.engine import default, reflection
from sqlalchemy.schema import Index, Table
from sqlalchemy.sql import compiler

from .types import TINYINT, IgniteUuid, java_class, reflected_type

__all__ = ['IgniteDialect', 'engine_name']

# words the Calcite and H2 parsers reserve beyond SQLAlchemy's list
_RESERVED = {
    'value', 'values', 'year', 'month', 'day', 'hour', 'minute', 'second', 'user',
    'row', 'rows', 'range', 'interval', 'time', 'timestamp', 'date', 'limit', 'offset',
    'position', 'result', 'count', 'sum', 'min', 'max', 'avg', 'minus', 'sysdate',
    'systime', 'systimestamp', 'today', 'rownum', 'intersects', 'regexp', 'uescape',
    'current_user', 'current_role', 'system_user', 'session_user', 'current_catalog',
    'current_schema', 'array', 'element',
}


class IgniteIdentifierPreparer(compiler.IdentifierPreparer):
    reserved_words = compiler.RESERVED_WORDS | _RESERVED


class IgniteTypeCompiler(compiler.GenericTypeCompiler):
    def visit_TINYINT(self, type_: Any, **kw: Any) -> str:
        return 'TINYINT'

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return 'VARCHAR'

    def visit_TEXT(self, type_: Any, **kw: Any) -> str:
        return 'VARCHAR'

    def visit_CLOB(self, type_: Any, **kw: Any) -> str:
        return 'VARCHAR'

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return 'VARCHAR'

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return 'VARBINARY'

    def visit_BLOB(self, type_: Any, **kw: Any) -> str:
        return 'VARBINARY'

    def visit_BINARY(self, type_: Any, **kw: Any) -> str:
        return 'BINARY' if type_.length is None else 'BINARY({})'.format(type_.length)

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return 'TIMESTAMP'

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return 'TIMESTAMP'

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        return 'DOUBLE'

    def visit_DOUBLE_PRECISION(self, type_: Any, **kw: Any) -> str:
        return 'DOUBLE'

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_NCHAR(self, type_: Any, **kw: Any) -> str:
        return self.visit_CHAR(type_, **kw)

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)


class IgniteCompiler(compiler.SQLCompiler):
    def default_from(self) -> str:
        # the Calcite engine takes no WHERE without a FROM, and has no DUAL
        return ' \nFROM (VALUES (0)) AS ignite_dual'

    def limit_clause(self, select: Any, **kw: Any) -> str:
        text = ''
        if select._limit_clause is not None:
            text += '\n LIMIT ' + self.process(select._limit_clause, **kw)
        if select._offset_clause is not None:
            text += '\n OFFSET ' + self.process(select._offset_clause, **kw)
            if select._limit_clause is None:
                text += ' ROWS'
        return text

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        raise exc.CompileError('Ignite SQL has no SELECT ... FOR UPDATE')

    def visit_sequence(self, sequence: Any, **kw: Any) -> str:
        raise exc.CompileError('Ignite has no sequences')


class IgniteDDLCompiler(compiler.DDLCompiler):
    def create_table_constraints(self, table: Table, _include_foreign_key_constraints: Any = None,
                                 **kw: Any) -> str:
        # Ignite has only the primary key: foreign key, unique and check constraints are left
        # out (as MySQL before 8.0.16 left out CHECK), so models declaring them still create
        # their tables
        pk = table.primary_key
        if pk is None or not pk.columns or not pk._should_create_for_compiler(self):
            return ''
        return str(self.process(pk))

    def get_column_specification(self, column: Any, **kw: Any) -> str:
        spec = '{} {}'.format(self.preparer.format_column(column),
                              self.dialect.type_compiler_instance.process(
                                  column.type, type_expression=column))
        if not column.nullable and not column.primary_key:
            spec += ' NOT NULL'
        default_ = self.get_column_default_string(column)
        if default_ is not None:
            spec += ' DEFAULT ' + default_  # after NOT NULL: the Calcite parser's order
        return spec

    def post_create_table(self, table: Table) -> str:
        options = table.dialect_options['ignite']['with']
        if not options:
            return ''
        if isinstance(options, dict):
            options = ','.join('{}={}'.format(k, v) for k, v in options.items())
        if '"' in options:
            raise exc.CompileError('ignite_with must not contain a double quote')
        return ' WITH "{}"'.format(options)

    def visit_create_index(self, create: Any, include_schema: Any = False,
                           include_table_schema: Any = True, **kw: Any) -> Any:
        base: Any = super().visit_create_index
        sql = str(base(create, include_schema, include_table_schema, **kw))
        # Ignite has no unique indexes: a unique one is made as a plain index
        return sql.replace('CREATE UNIQUE INDEX', 'CREATE INDEX', 1)

    def visit_column_check_constraint(self, constraint: Any, **kw: Any) -> str:
        return ''  # a column's CHECK: left out as the table's are

    def visit_add_constraint(self, create: Any, **kw: Any) -> str:
        raise exc.CompileError('Ignite has no ALTER TABLE ... ADD CONSTRAINT')


class IgniteExecutionContext(default.DefaultExecutionContext):
    def create_server_side_cursor(self) -> Any:
        # every Ignite result is a server-side cursor read a page at a time
        return self._dbapi_connection.cursor()


_INDEX_COLUMN = re.compile(r'"((?:[^"]|"")+)"\s+(ASC|DESC)')


def engine_name(dbapi_connection: Any) -> str:
    """``'calcite'`` or ``'h2'``: the SQL engine behind a DB-API connection. The engines
    name an unnamed parameter column differently (``EXPR$0`` and ``?1``)."""
    cur = dbapi_connection.cursor()
    try:
        cur.execute('SELECT ?', [1])
        return 'calcite' if cur.description[0][0].startswith('EXPR$') else 'h2'
    finally:
        cur.close()


class IgniteDialect(default.DefaultDialect):
    """The ``ignite`` dialect, on :mod:`pyignite.dbapi`."""

    name = 'ignite'
    driver = 'pyignite'
    supports_statement_cache = True
    default_paramstyle = 'qmark'
    statement_compiler = IgniteCompiler
    ddl_compiler = IgniteDDLCompiler
    type_compiler_cls = IgniteTypeCompiler
    preparer = IgniteIdentifierPreparer
    execution_ctx_cls = IgniteExecutionContext
    requires_name_normalize = True
    supports_alter = False
    supports_sequences = False
    supports_native_boolean = True
    supports_native_decimal = True
    supports_native_uuid = True
    supports_native_enum = False
    supports_default_values = False
    supports_default_metavalue = False
    supports_empty_insert = False
    supports_multivalues_insert = True
    supports_server_side_cursors = True
    supports_sane_rowcount = True
    supports_sane_multi_rowcount = True
    supports_comments = False
    postfetch_lastrowid = False
    insert_returning = False
    update_returning = False
    delete_returning = False
    use_insertmanyvalues = False
    max_identifier_length = 128
    construct_arguments = [(Table, {'with': None}), (Index, {})]
    colspecs = {sqltypes.Uuid: IgniteUuid}
    ischema_names = {'TINYINT': TINYINT}

    #: the server's SQL engine, ``'calcite'`` or ``'h2'``, known once connected
    sql_engine = 'calcite'

    @classmethod
    def import_dbapi(cls) -> Any:
        from .. import dbapi
        return dbapi

    def create_connect_args(self, url: Any) -> Tuple[List[Any], Dict[str, Any]]:
        kwargs: Dict[str, Any] = {'host': url.host or '127.0.0.1', 'port': url.port or 10800}
        if url.database:
            kwargs['schema'] = url.database
        if url.username is not None:
            kwargs['username'] = url.username
        if url.password is not None:
            kwargs['password'] = url.password
        for name, value in url.query.items():
            if name in ('page_size', 'ssl_version', 'ssl_cert_reqs'):
                value = int(value)
            elif name in ('timeout', 'handshake_timeout'):
                value = float(value)
            elif name in ('use_ssl', 'partition_aware'):
                value = value.lower() in ('1', 'true', 'yes')
            kwargs[name] = value
        return [], kwargs

    def initialize(self, connection: Any) -> None:
        super().initialize(connection)
        self.sql_engine = engine_name(connection.connection.dbapi_connection)

    def _get_default_schema_name(self, connection: Any) -> str:
        return self._norm(connection.connection.dbapi_connection.schema) or 'public'

    def get_isolation_level(self, dbapi_connection: Any) -> Any:
        return 'AUTOCOMMIT'

    def get_isolation_level_values(self, dbapi_connection: Any) -> Any:
        return ['AUTOCOMMIT']

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        if level != 'AUTOCOMMIT':
            raise exc.ArgumentError('Ignite SQL runs in AUTOCOMMIT only')

    def do_begin(self, dbapi_connection: Any) -> None:
        pass

    def do_rollback(self, dbapi_connection: Any) -> None:
        pass  # nothing pending: each statement committed when it ran

    def do_commit(self, dbapi_connection: Any) -> None:
        pass

    def do_ping(self, dbapi_connection: Any) -> bool:
        cur = dbapi_connection.cursor()
        try:
            cur.execute('SELECT 1')
            cur.fetchall()
        finally:
            cur.close()
        return True

    # --- reflection -----------------------------------------------------------------------

    def _norm(self, name: Optional[str]) -> str:
        fn: Any = self.normalize_name
        # not str(): a lower-case name comes back as a quoted_name, which must stay one
        return cast(str, fn(name))

    def _denorm(self, name: Optional[str]) -> str:
        fn: Any = self.denormalize_name
        return cast(str, fn(name))

    def _rows(self, connection: Any, sql: str, *args: Any) -> List[Any]:
        return list(connection.exec_driver_sql(sql, tuple(args)))

    def _schema(self, connection: Any, schema: Optional[str]) -> str:
        name = schema if schema is not None else self.default_schema_name
        return self._denorm(name) or 'PUBLIC'

    @reflection.cache
    def has_table(self, connection: Any, table_name: str, schema: Optional[str] = None,
                  **kw: Any) -> bool:
        self._ensure_has_table_connection(connection)
        return bool(self._rows(
            connection, 'SELECT 1 FROM SYS.TABLES WHERE SCHEMA_NAME = ? AND TABLE_NAME = ?',
            self._schema(connection, schema), self._denorm(table_name)))

    @reflection.cache
    def get_schema_names(self, connection: Any, **kw: Any) -> List[str]:
        return [self._norm(r[0]) for r in self._rows(
            connection, 'SELECT SCHEMA_NAME FROM SYS.SCHEMAS ORDER BY SCHEMA_NAME')]

    @reflection.cache
    def get_table_names(self, connection: Any, schema: Optional[str] = None,
                        **kw: Any) -> List[str]:
        return [self._norm(r[0]) for r in self._rows(
            connection, 'SELECT TABLE_NAME FROM SYS.TABLES WHERE SCHEMA_NAME = ? '
            'ORDER BY TABLE_NAME', self._schema(connection, schema))]

    @reflection.cache
    def get_view_names(self, connection: Any, schema: Optional[str] = None,
                       **kw: Any) -> List[str]:
        return [self._norm(r[0]) for r in self._rows(
            connection, 'SELECT NAME FROM SYS.VIEWS WHERE SCHEMA = ? ORDER BY NAME',
            self._schema(connection, schema))]

    @reflection.cache
    def get_view_definition(self, connection: Any, view_name: str,
                            schema: Optional[str] = None, **kw: Any) -> str:
        rows = self._rows(connection, 'SELECT SQL FROM SYS.VIEWS WHERE SCHEMA = ? AND NAME = ?',
                          self._schema(connection, schema), self._denorm(view_name))
        if not rows:
            raise exc.NoSuchTableError(view_name)
        return str(rows[0][0])

    def _column_order(self, connection: Any, schema: str, table: str) -> List[str]:
        q = self.identifier_preparer.quote_identifier
        result = connection.exec_driver_sql('SELECT * FROM {}.{} WHERE 1 = 0'.format(
            q(schema), q(table)))
        names = [d[0] for d in result.cursor.description]
        result.close()
        return names

    @reflection.cache
    def _table_columns(self, connection: Any, table_name: str, schema: Optional[str],
                       **kw: Any) -> List[Any]:
        schema_name = self._schema(connection, schema)
        table = self._denorm(table_name)
        rows = self._rows(
            connection, 'SELECT COLUMN_NAME, TYPE, NULLABLE, PK, PRECISION, SCALE, '
            'DEFAULT_VALUE, AUTO_INCREMENT FROM SYS.TABLE_COLUMNS '
            'WHERE SCHEMA_NAME = ? AND TABLE_NAME = ?', schema_name, table)
        if not rows:
            if self._rows(connection, 'SELECT 1 FROM SYS.VIEWS WHERE SCHEMA = ? AND NAME = ?',
                          schema_name, table):
                return []
            raise exc.NoSuchTableError(table_name)
        by_name = {r[0]: r for r in rows if r[0] not in ('_KEY', '_VAL')}
        order = self._column_order(connection, schema_name, table)
        return [by_name[name] for name in order if name in by_name]

    @reflection.cache
    def get_columns(self, connection: Any, table_name: str, schema: Optional[str] = None,
                    **kw: Any) -> List[Any]:
        out = []
        for name, type_, nullable, in_key, precision, scale, default_, auto in \
                self._table_columns(connection, table_name, schema, **kw):
            column = {
                'name': self._norm(name),
                'type': reflected_type(java_class(type_), precision, scale),
                # Ignite refuses a null key, though the view calls key columns nullable
                'nullable': bool(nullable) and not in_key,
                'default': None if default_ is None else "'{}'".format(
                    str(default_).replace("'", "''")),
            }
            if auto:  # else left to SQLAlchemy's "auto" (Ignite generates no keys)
                column['autoincrement'] = True
            out.append(column)
        return out

    @reflection.cache
    def _indexes(self, connection: Any, table_name: str, schema: Optional[str],
                 **kw: Any) -> List[Any]:
        return self._rows(
            connection, 'SELECT INDEX_NAME, COLUMNS, IS_PK, IS_UNIQUE FROM SYS.INDEXES '
            'WHERE SCHEMA_NAME = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME',
            self._schema(connection, schema), self._denorm(table_name))

    @reflection.cache
    def get_pk_constraint(self, connection: Any, table_name: str,
                          schema: Optional[str] = None, **kw: Any) -> Any:
        columns = self._table_columns(connection, table_name, schema, **kw)
        pk = [r[0] for r in columns if r[3]]
        # the primary key index has the key's own order; a one-column key shows as _KEY
        # there, and in its "_proxy" index as the column
        indexes = {r[0]: r[1] for r in self._indexes(connection, table_name, schema, **kw)}
        for index in ('_key_PK', '_key_PK_proxy'):
            named = [m.group(1).replace('""', '"')
                     for m in _INDEX_COLUMN.finditer(indexes.get(index) or '')]
            if named and set(named) == set(pk):
                pk = named
                break
        return {'constrained_columns': [self._norm(c) for c in pk], 'name': None}

    @reflection.cache
    def get_indexes(self, connection: Any, table_name: str, schema: Optional[str] = None,
                    **kw: Any) -> List[Any]:
        pk = {r[0] for r in self._table_columns(connection, table_name, schema, **kw) if r[3]}
        out = []
        for name, columns, is_pk, unique in self._indexes(connection, table_name, schema, **kw):
            if is_pk or name.endswith('_proxy') or name in ('_key_PK', 'AFFINITY_KEY'):
                continue
            named = [(m.group(1).replace('""', '"'), m.group(2))
                     for m in _INDEX_COLUMN.finditer(columns or '')]
            # the server appends the key (_KEY, or the columns of a composite key, ascending)
            # to every index; an index can't be told from one that names them itself, so
            # trailing ascending key columns are taken as the server's
            while len(named) > 1 and named[-1][1] == 'ASC' and (
                    named[-1][0] == '_KEY' or named[-1][0] in pk):
                named.pop()
            sorting = {self._norm(n): ('desc',) for n, d in named if d == 'DESC'}
            entry: Dict[str, Any] = {
                'name': self._norm(name),
                'column_names': [self._norm(n) for n, _ in named],
                'unique': bool(unique),
            }
            if sorting:
                entry['column_sorting'] = sorting
            out.append(entry)
        return out

    def get_foreign_keys(self, connection: Any, table_name: str, schema: Optional[str] = None,
                         **kw: Any) -> List[Any]:
        return []  # Ignite has no foreign keys

    def get_unique_constraints(self, connection: Any, table_name: str,
                               schema: Optional[str] = None, **kw: Any) -> List[Any]:
        return []

    def get_check_constraints(self, connection: Any, table_name: str,
                              schema: Optional[str] = None, **kw: Any) -> List[Any]:
        return []
