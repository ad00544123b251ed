"""Reword the seeded NICE continuation rule's ``source`` to name the guidance itself rather than a
section of a reference file that is not part of this repository; only while the row still holds
the seeded text, so a manager's edits survive. Data-only.
"""

from django.db import migrations

SEEDED, SOURCE = "§6 NICE TA260 (V)", "NICE TA260 (nice.org.uk): stop if <30 % fewer headache days after 2 cycles (V)"


def reword(apps, schema_editor):
    ResponseRule = apps.get_model("outcomes", "ResponseRule")
    ResponseRule.objects.filter(code="nice_ta260_headache_days", source=SEEDED).update(source=SOURCE)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_advisory_rules_start_inactive")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
