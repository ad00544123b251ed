"""Outcome assessments, the PHQ-9 item-9 alerts they raise, the advisory response rules, and
the questionnaires patients fill in from a link before a visit."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .instruments import INSTRUMENT_CHOICES, INSTRUMENTS


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
    invitation = models.ForeignKey(
        "QuestionnaireInvitation", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments",
        help_text="The pre-visit questionnaire the patient answered this in, if any.",
    )

    class Meta:
        ordering = ["patient", "instrument", "taken_on", "pk"]
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["patient", "instrument", "taken_on"])]
        constraints = [
            # A questionnaire's step submitted twice (double click, two tabs) records once.
            models.UniqueConstraint(fields=["invitation", "instrument"], condition=models.Q(invitation__isnull=False),
                                    name="one_assessment_per_invitation_instrument"),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.total_label} on {self.taken_on:%Y-%m-%d}"

    @property
    def total_label(self) -> str:
        """'20', '3.5': no trailing zeros, and never '2E+1' (what Decimal.normalize() alone gives).
        A graded scale shows its grades ('Biceps brachii (right) 1+'), never the mean rank behind them."""
        return INSTRUMENTS[self.instrument].score_label(self.total, self.subscores or {})


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
    """An advisory continuation rule, as data: published continuation thresholds (NICE TA260, EHF
    consensus) differ by payer and clinic, so they are configuration. Never blocks anything; the
    chart labels it advisory."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    indication = models.ForeignKey("treatments.Indication", on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(max_length=30, choices=INSTRUMENT_CHOICES)
    after_cycles = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minimum_improvement_percent = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Flag for review when the improvement from baseline is below this.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the threshold comes from, e.g. 'NICE TA260'."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class QuestionnaireInvitation(models.Model):
    """The questionnaires a patient is asked to fill in before one appointment, from a signed link
    sent with its reminder (``outcomes.links``). One per appointment, whatever the number of
    reminders, retries or reschedules. The link works while the appointment is still to come and
    the questionnaire is not complete: validity is read from the appointment, not stored, so that
    a rescheduled visit moves it along."""

    appointment = models.OneToOneField("scheduling.Appointment", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("treatments.TreatmentPlan", on_delete=models.PROTECT, related_name="+")
    instruments = models.JSONField(default=list, help_text="Instrument codes, in the order asked.")
    answers = models.JSONField(
        default=dict, blank=True,
        help_text="Answers saved so far, {instrument: {item: value}}; a step becomes an assessment when submitted.",
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="First answers saved.")
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"Questionnaire for appointment {self.appointment_id} ({self.status_label})"

    @property
    def instruments_asked(self) -> list[str]:
        """``instruments`` less any no longer offered to patients: an invitation made before an
        instrument lost its self-report status (no sourced wording) keeps the code as a record of
        what was sent, but its link no longer asks it nor waits for it."""
        return [code for code in self.instruments if code in INSTRUMENTS and INSTRUMENTS[code].self_report]

    @property
    def status_label(self) -> str:
        if self.completed_at:
            return "completed"
        return "partly answered" if self.started_at else "not started"
