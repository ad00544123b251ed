"""Database expressions the scheduling app needs that Django does not ship in a portable form.

``PostgresExclusionConstraint`` is the reason this module exists: the no-double-booking rule is
an exclusion constraint on PostgreSQL, while SQLite (development, and half the test matrix) has
no such thing. Declaring the constraint on the model keeps one source of truth for makemigrations;
this subclass emits no DDL and skips validation on any other database, where the booking service
re-checks inside its serialized (BEGIN IMMEDIATE) write transaction instead.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import DEFAULT_DB_ALIAS, connections, models


class TsTzRange(models.Func):
    """``tstzrange(start, end, '[)')``: half-open, so back-to-back appointments do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ``ExclusionConstraint`` that exists only on PostgreSQL.

    On SQLite, ``constraint_sql``/``create_sql``/``remove_sql`` return ``None`` (the schema editor
    skips falsy statements, also when it rebuilds a table), so migrations apply on both databases.
    """

    @staticmethod
    def _is_postgres(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._is_postgres(schema_editor.connection) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._is_postgres(schema_editor.connection) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor.connection) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if self._is_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class BtreeGistOnPostgres(BtreeGistExtension):
    """``CREATE EXTENSION btree_gist`` (lets a GiST exclusion constraint compare ids with '=').

    Django's operation already skips other databases going forwards, but not backwards, where it
    would query ``pg_extension`` on SQLite; this one is a no-op there in both directions.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
