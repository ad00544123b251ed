"""At most ``MAX_APPOINTMENT_LENGTH`` (12 hours) per appointment, checked by PostgreSQL.

The day and week views rely on it for their lower bound on ``start_at``. The booking services
refuse longer appointments on every database; SQLite gets no CHECK because Django would write the
interval arithmetic there as a call to one of its own SQL functions, which other clients of the
file do not have.
"""

from django.db import migrations

CONSTRAINT = "appointment_at_most_12_hours"


def add_check(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {CONSTRAINT} "
                              "CHECK (end_at - start_at <= interval '12 hours')")


def drop_check(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]
    operations = [migrations.RunPython(add_check, drop_check)]
