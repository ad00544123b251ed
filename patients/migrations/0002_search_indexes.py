"""Indexes for the front desk's search box on PostgreSQL.

Django's ``istartswith`` is ``UPPER(col) LIKE UPPER('abc%')`` there, which only an index on
``UPPER(col)`` with ``text_pattern_ops`` can answer whatever the database's collation
(https://www.postgresql.org/docs/current/indexes-opclass.html). "Ends with these digits" is asked
as a prefix of the reversed number (``patients.selectors``), so it gets an index on
``reverse(phone)``. SQLite has no operator classes and its LIKE ignores such indexes: created
on PostgreSQL only.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

PREFIX_INDEXES = {
    "patient_last_name_prefix": "UPPER(last_name) text_pattern_ops",
    "patient_first_name_prefix": "UPPER(first_name) text_pattern_ops",
    "patient_preferred_name_prefix": "UPPER(preferred_name) text_pattern_ops",
    "patient_phone_reversed": "reverse(phone) text_pattern_ops",
}


def create_prefix_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in PREFIX_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient ({expression})")


def drop_prefix_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PREFIX_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]
    operations = [
        migrations.RemoveIndex(model_name="patient", name="patient_name_ci"),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(Upper("last_name"), Upper("first_name"), name="patient_name_upper"),
        ),
        migrations.RunPython(create_prefix_indexes, drop_prefix_indexes),
    ]
