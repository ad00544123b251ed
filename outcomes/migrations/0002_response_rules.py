"""Seed the advisory NICE TA260 continuation rule, as an editable per-clinic row.

Idempotent: created only when its code is missing, never overwriting a manager's edits.
"""

from decimal import Decimal

from django.db import migrations

# NICE TA260 (V, nice.org.uk): stop if <30 % reduction in headache days after 2 cycles.
RULES = [
    ("nice_ta260_headache_days", "NICE TA260: <30% fewer headache days after 2 cycles", "chronic_migraine",
     "headache_days", 2, Decimal("30.0"), "§6 NICE TA260 (V)"),
]


def seed(apps, schema_editor):
    Indication = apps.get_model("treatments", "Indication")
    ResponseRule = apps.get_model("outcomes", "ResponseRule")
    for code, name, indication, instrument, cycles, percent, source in RULES:
        found = Indication.objects.filter(code=indication).first()
        if found is None or ResponseRule.objects.filter(code=code).exists():
            continue
        ResponseRule.objects.create(
            code=code, name=name, indication=found, instrument=instrument, after_cycles=cycles,
            minimum_improvement_percent=percent, source=source,
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial"), ("treatments", "0002_reference_data")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
