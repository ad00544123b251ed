"""Outcome assessments, the PHQ-9 item-9 alerts they raise, and the advisory response rules."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .instruments import INSTRUMENT_CHOICES


class ReportedBy(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"


class Assessment(models.Model):
    """One completed instrument. ``total`` and ``band`` are computed by ``outcomes.instruments``
    from ``items`` in ``assessment_record``; they are stored so that trends are one query."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="assessments")
    plan = models.ForeignKey(
        "treatments.TreatmentPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    session = models.ForeignKey(
        "treatments.InjectionSession", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.CharField(max_length=30, choices=INSTRUMENT_CHOICES)
    taken_on = models.DateField()
    items = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    band = models.CharField(max_length=60, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    reported_by = models.CharField(max_length=10, choices=ReportedBy.choices, default=ReportedBy.CLINICIAN)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Blank when the patient entered it themselves.",
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["patient", "instrument", "taken_on", "pk"]
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["patient", "instrument", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.total_label} on {self.taken_on:%Y-%m-%d}"

    @property
    def total_label(self) -> str:
        """'20', '3.5': no trailing zeros, and never '2E+1' (what Decimal.normalize() alone gives)."""
        return f"{self.total.normalize():f}"


class AlertKind(models.TextChoices):
    PHQ9_ITEM9 = "phq9_item9", "PHQ-9 item 9 (thoughts of self-harm) above zero"


class AssessmentAlert(models.Model):
    """A safety alert for the responsible clinician; open until acknowledged."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="alert")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["raised_at", "pk"]
        default_permissions = ("view", "change")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="acknowledged_alert_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.raised_at:%Y-%m-%d})"


class ResponseRule(models.Model):
    """An advisory continuation rule, as data (CLINICAL.md §6: encode thresholds only as per-payer
    or per-clinic configuration). Never blocks anything; the chart labels it advisory."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    indication = models.ForeignKey("treatments.Indication", on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(max_length=30, choices=INSTRUMENT_CHOICES)
    after_cycles = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minimum_improvement_percent = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Flag for review when the improvement from baseline is below this.",
    )
    source = models.CharField(max_length=200, blank=True, help_text="CLINICAL.md row, e.g. '§6 NICE TA260'.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
