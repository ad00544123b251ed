from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .inventory import VialLot
from .plans import TreatmentPlan
from .reference import DoseRule, Muscle, Product


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"


class Guidance(models.TextChoices):
    """How the needle was placed; EMG and e-stim add 95874 / 95873 (CPT add-on codes)."""

    ANATOMICAL = "anatomical", "Anatomical landmarks"
    EMG = "emg", "EMG"
    ESTIM = "estim", "Electrical stimulation"
    ULTRASOUND = "ultrasound", "Ultrasound"


class InjectionSession(models.Model):
    """One treatment visit. A draft may change; once signed it is locked and corrected only by
    addenda. Totals and wastage are derived from its sites and vials (see ``treatments.dosing``)."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="sessions")
    # Denormalized from the plan so that cross-plan dose windows are one indexed query.
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="injection_sessions")
    performed_at = models.DateTimeField(db_index=True)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    patient_weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(Decimal("0.5"))],
        help_text="Required for pediatric patients (dose per kg).",
    )
    adverse_events = models.TextField(
        blank=True, help_text="Adverse events the patient reports since the last cycle ('none' if none)."
    )
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT, db_index=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-performed_at"]
        default_permissions = ("add", "change", "view")
        permissions = [("sign_injectionsession", "Can sign injection sessions")]
        indexes = [models.Index(fields=["patient", "status", "performed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                | models.Q(status="signed", signed_at__isnull=False, signed_by__isnull=False),
                name="signed_session_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.brand_name} session {self.performed_at:%Y-%m-%d}"

    @property
    def is_signed(self) -> bool:
        return self.status == SessionStatus.SIGNED


class SessionVial(models.Model):
    """Vials opened from one lot, and how they were reconstituted."""

    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="vials")
    lot = models.ForeignKey(VialLot, on_delete=models.PROTECT, related_name="session_vials")
    vials_opened = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    diluent_ml = models.DecimalField(
        "diluent per vial (mL)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Preservative-free 0.9% saline added to each vial; blank for a ready-to-use solution.",
    )
    reconstituted_at = models.DateTimeField(help_text="When the vials were reconstituted (or opened).")

    class Meta:
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "lot"], name="one_row_per_lot_per_session")]

    def __str__(self) -> str:
        return f"{self.vials_opened} × lot {self.lot.lot_number}"

    @property
    def units_opened(self) -> int:
        return self.vials_opened * self.lot.vial_units

    @property
    def units_per_tenth_ml(self) -> Decimal | None:
        """Concentration in U per 0.1 mL, e.g. 100 U + 2 mL → 5 U/0.1 mL (BOTOX label dilution table)."""
        if not self.diluent_ml:
            return None
        return (Decimal(self.lot.vial_units) / self.diluent_ml / 10).quantize(Decimal("0.01"))


class InjectionSite(models.Model):
    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="sites")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    # Blank only in a draft started from a muscle-list template (the clinician has not set the dose
    # yet); the safety check makes a blank dose a hard finding, so a session cannot be signed with one.
    units = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))]
    )
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    guidance = models.CharField(max_length=12, choices=Guidance.choices, default=Guidance.ANATOMICAL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "order", "id"]

    def __str__(self) -> str:
        units = "dose not set" if self.units is None else f"{self.units.normalize():f} U"
        return f"{self.muscle.name} {self.side}: {units}"


class SafetyOverride(models.Model):
    """A dose-safety warning that the clinician chose to proceed past, with their written reason."""

    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="overrides")
    check_code = models.CharField(max_length=60, help_text="The safety check's code, e.g. a DoseRule code.")
    rule = models.ForeignKey(DoseRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(max_length=300)
    reason = models.TextField()
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overridden_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "overridden_at"]
        constraints = [models.UniqueConstraint(fields=["session", "check_code"], name="one_override_per_check")]

    def __str__(self) -> str:
        return f"Override of {self.check_code}"


class SessionAddendum(models.Model):
    """A correction or addition to a signed session; the original stays as it was signed."""

    session = models.ForeignKey(InjectionSession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["session", "written_at"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"Addendum of {self.written_at:%Y-%m-%d %H:%M}"
