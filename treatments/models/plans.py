from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .reference import DiagnosisCode, Indication, Product, ProtocolTemplate


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class PlanSide(models.TextChoices):
    NOT_APPLICABLE = "", "Not applicable"
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"


class TreatmentPlan(models.Model):
    """A course of treatment for one indication. Its next due date is the last signed session's
    clinic date plus ``cycle_weeks`` (``treatments.selectors.plans_with_next_due`` derives it);
    ``last_signed_session_at`` and ``next_due_on`` keep a copy on the row, indexed, for the recall
    board, written only by ``plan_next_due_refresh`` (called when a session is signed and when the
    plan's cycle or start date changes)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="treatment_plans")
    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="plans")
    diagnosis_code = models.ForeignKey(DiagnosisCode, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=PlanSide.choices, blank=True, default=PlanSide.NOT_APPLICABLE)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="plans")
    responsible_clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans")
    cycle_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minimum_interval_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    protocol_template = models.ForeignKey(ProtocolTemplate, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE, db_index=True)
    start_date = models.DateField()
    notes = models.TextField(blank=True)
    last_signed_session_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["patient", "-start_date"]
        default_permissions = ("add", "change", "view")
        indexes = [models.Index(fields=["status", "next_due_on"], name="plan_status_next_due")]

    def __str__(self) -> str:
        return f"{self.indication.name} with {self.product.brand_name}"
