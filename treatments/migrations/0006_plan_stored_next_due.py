"""Each plan keeps its last signed session's time and its next due date, indexed with its status,
for the recall board; backfilled here from the signed sessions (the rule of
``treatments.services.plans.next_due_date``, restated because a migration must not import the
app's code)."""

import datetime as dt

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

BATCH = 2000


def backfill(apps, schema_editor):
    TreatmentPlan = apps.get_model("treatments", "TreatmentPlan")
    InjectionSession = apps.get_model("treatments", "InjectionSession")
    zone = timezone.get_default_timezone()
    last_signed = (
        InjectionSession.objects.filter(plan=OuterRef("pk"), status="signed")
        .values("plan").annotate(last=Max("performed_at")).values("last")
    )
    plans = TreatmentPlan.objects.annotate(last=Subquery(last_signed)).only("cycle_weeks", "start_date")
    batch = []
    for plan in plans.order_by("pk").iterator(chunk_size=BATCH):
        plan.last_signed_session_at = plan.last
        plan.next_due_on = (
            plan.start_date if plan.last is None
            else plan.last.astimezone(zone).date() + dt.timedelta(weeks=plan.cycle_weeks)
        )
        batch.append(plan)
        if len(batch) == BATCH:
            TreatmentPlan.objects.bulk_update(batch, ["last_signed_session_at", "next_due_on"])
            batch = []
    TreatmentPlan.objects.bulk_update(batch, ["last_signed_session_at", "next_due_on"])


class Migration(migrations.Migration):
    dependencies = [("treatments", "0005_dose_rules_label_maxima")]
    operations = [
        migrations.AddField(
            model_name="treatmentplan", name="last_signed_session_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="treatmentplan", name="next_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="treatmentplan",
            index=models.Index(fields=["status", "next_due_on"], name="plan_status_next_due"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
