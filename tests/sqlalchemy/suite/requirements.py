"""What the suite may expect of Ignite: each closed requirement is a feature Ignite's SQL
lacks (the suite's tests that need it are then skipped)."""
from sqlalchemy.testing import exclusions
from sqlalchemy.testing.requirements import SuiteRequirements

closed = exclusions.closed


class Requirements(SuiteRequirements):
    # --- constraints: Ignite has only the primary key ------------------------------------
    foreign_keys = property(lambda self: closed())  # no FOREIGN KEY
    foreign_key_constraint_reflection = property(lambda self: closed())
    self_referential_foreign_keys = property(lambda self: closed())
    foreign_key_constraint_name_reflection = property(lambda self: closed())
    unique_constraint_reflection = property(lambda self: closed())  # no UNIQUE
    unique_constraints_reflect_as_index = property(lambda self: closed())
    check_constraint_reflection = property(lambda self: closed())  # no CHECK
    reflects_pk_names = property(lambda self: closed())  # the key has no name
    primary_key_constraint_reflection = property(lambda self: exclusions.open())
    indexes_with_ascdesc = property(lambda self: exclusions.open())
    index_reflects_included_columns = property(lambda self: closed())  # no INCLUDE
    indexes_with_expressions = property(lambda self: closed())  # columns only
    # --- keys and generated values: no autoincrement, identity, sequence, RETURNING ------
    autoincrement_insert = property(lambda self: closed())
    autoincrement_without_sequence = property(lambda self: closed())
    identity_columns = property(lambda self: closed())
    computed_columns = property(lambda self: closed())
    sequences = property(lambda self: closed())
    returning = property(lambda self: closed())
    empty_inserts = property(lambda self: closed())  # INSERT needs columns
    empty_inserts_executemany = property(lambda self: closed())
    # --- transactions: each statement commits on its own (no SQL transactions) -----------
    autocommit = property(lambda self: closed())
    isolation_level = property(lambda self: closed())
    savepoints = property(lambda self: closed())
    two_phase_transactions = property(lambda self: closed())
    # --- schema objects Ignite has not: schemas made by SQL, temp tables, comments -------
    schemas = property(lambda self: closed())  # no CREATE SCHEMA
    cross_schema_fk_reflection = property(lambda self: closed())
    temp_table_reflection = property(lambda self: closed())
    temp_table_names = property(lambda self: closed())
    temporary_tables = property(lambda self: closed())
    temporary_views = property(lambda self: closed())
    # only the Calcite engine has CREATE VIEW, and SYS.VIEW_COLUMNS shows no user view's
    # columns
    views = property(lambda self: closed())
    view_reflection = property(lambda self: closed())
    view_column_reflection = property(lambda self: closed())
    comment_reflection = property(lambda self: closed())  # no COMMENT ON
    # --- types: timestamps to the millisecond, no zones, no JSON/ARRAY/INTERVAL ----------
    datetime_microseconds = property(lambda self: closed())
    timestamp_microseconds = property(lambda self: closed())
    time_microseconds = property(lambda self: closed())
    datetime_timezone = property(lambda self: closed())
    time_timezone = property(lambda self: closed())
    json_type = property(lambda self: closed())
    array_type = property(lambda self: closed())
    datetime_interval = property(lambda self: closed())
    # --- SQL: no SELECT FOR UPDATE, no FETCH FIRST options -------------------------------
    fetch_ties = property(lambda self: closed())
    fetch_percent = property(lambda self: closed())
    fetch_expression = property(lambda self: closed())
    supports_distinct_on = property(lambda self: closed())
