"""Advisory response rules start switched off: a clinic turns on the ones that apply to it.

The seeded rule (0002) is a UK appraisal (NICE TA260); a US clinic should not see it on its
patients' charts unless it chooses to. A rule a manager has already edited in the admin (an
``outcomes.responserule.updated`` audit entry) is left as they set it.
"""

from django.db import migrations

SEEDED_CODES = ("nice_ta260_headache_days",)


def deactivate_unedited(apps, schema_editor):
    ResponseRule = apps.get_model("outcomes", "ResponseRule")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    edited = {str(pk) for pk in AuditEvent.objects.filter(
        action="outcomes.responserule.updated").values_list("object_id", flat=True)}
    for rule in ResponseRule.objects.filter(code__in=SEEDED_CODES, is_active=True):
        if str(rule.pk) not in edited:
            rule.is_active = False
            rule.save(update_fields=["is_active"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0004_source_help_text"), ("audit", "0003_append_only_triggers")]
    operations = [migrations.RunPython(deactivate_unedited, migrations.RunPython.noop)]
