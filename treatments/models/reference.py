"""Clinical reference data, seeded by migration and editable by a manager.

Every row carries the source it came from (label copy, manufacturer HCP site, payer text) and
that source's confidence mark, so that the UI never presents an unverified (U) figure as label
fact. docs/clinical-rules.md lists every dose rule with its source, mark and the test of its edges.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models


class Confidence(models.TextChoices):
    """V read in a primary source (label copy, CMS), S secondary only, U unverified (configuration only)."""

    VERIFIED = "V", "Verified (primary source)"
    SECONDARY = "S", "Secondary source"
    UNVERIFIED = "U", "Unverified: clinic configuration"


class Population(models.TextChoices):
    ADULT = "adult", "Adult"
    PEDIATRIC = "pediatric", "Pediatric"
    ANY = "any", "Any age"


class BodyRegion(models.TextChoices):
    """Where a muscle is; limbs and trunk decide the CPT 64642–64647 codes (AMA descriptors)."""

    HEAD = "head", "Head and face"
    EYE = "eye", "Extraocular"
    NECK = "neck", "Neck"
    UPPER_LIMB = "upper_limb", "Upper limb"
    LOWER_LIMB = "lower_limb", "Lower limb"
    TRUNK = "trunk", "Trunk"


class Sourced(models.Model):
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the figure comes from, e.g. 'BOTOX label, drugs.com dosage'."
    )
    confidence = models.CharField(max_length=1, choices=Confidence.choices, default=Confidence.VERIFIED)

    class Meta:
        abstract = True


class Indication(Sourced):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    population = models.CharField(max_length=10, choices=Population.choices, default=Population.ADULT)
    cpt_codes = models.JSONField(default=list, help_text="Procedure codes, e.g. ['64615'].")
    bills_by_limb = models.BooleanField(
        default=False, help_text="Limb chemodenervation: CPT 64642–64645 by extremity and muscle count."
    )
    default_cycle_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minimum_interval_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="Re-treatment sooner than this raises a warning."
    )
    minimum_age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The youngest age the labels give for this use; younger raises a warning.",
    )
    outcome_scales = models.JSONField(default=list, help_text="Outcome scale codes that apply.")
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class DiagnosisCode(Sourced):
    """An ICD-10-CM code a clinician may pick for a plan of this indication."""

    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="diagnosis_codes")
    code = models.CharField(max_length=10)
    description = models.CharField(max_length=200)
    is_billable = models.BooleanField(default=True)

    class Meta:
        ordering = ["indication", "code"]
        constraints = [models.UniqueConstraint(fields=["indication", "code"], name="unique_code_per_indication")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Product(Sourced):
    """A botulinum toxin product. Units are product-specific and never converted: every label says its
    units "cannot be compared to nor converted into units of any other botulinum toxin products"."""

    code = models.SlugField(max_length=30, unique=True)
    brand_name = models.CharField(max_length=60)
    generic_name = models.CharField(max_length=80)
    hcpcs_code = models.CharField("HCPCS code", max_length=10, blank=True)
    units_per_billing_unit = models.PositiveIntegerField(
        default=1, help_text="How many product units one HCPCS billing unit covers (J0586 = 5 U)."
    )
    is_ready_to_use_solution = models.BooleanField(
        default=False, help_text="Supplied as a solution (Myobloc): no reconstitution."
    )
    use_within_hours = models.PositiveSmallIntegerField(
        help_text="Use within this many hours of reconstitution (or dilution, for a solution)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["brand_name"]

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.generic_name})"

    def units_label(self, units) -> str:
        """Every dose shown carries its product's name: units are not comparable across products."""
        text = f"{units:f}"
        if "." in text:  # Decimal("400.00") reads "400", Decimal("7.50") "7.5"
            text = text.rstrip("0").rstrip(".")
        return f"{text} U {self.brand_name}"


class ProductVialSize(Sourced):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="vial_sizes")
    units = models.PositiveIntegerField()
    volume_ml = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="For ready-to-use solutions only."
    )

    class Meta:
        ordering = ["product", "units"]
        constraints = [models.UniqueConstraint(fields=["product", "units"], name="unique_vial_size")]

    def __str__(self) -> str:
        return f"{self.product.brand_name} {self.units} U"


class Muscle(models.Model):
    name = models.CharField(max_length=80, unique=True)
    region = models.CharField(max_length=12, choices=BodyRegion.choices)
    is_paired = models.BooleanField(default=True, help_text="Has a left and right side (procerus does not).")

    class Meta:
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class ProtocolTemplate(Sourced):
    """A starting set of injection sites; a session copies it and the clinician edits the copy."""

    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="protocol_templates")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT,
        help_text="The product whose units the template's doses are in; blank for a muscle list only.",
    )
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["indication", "name"]

    def __str__(self) -> str:
        return self.name


class ProtocolSite(models.Model):
    template = models.ForeignKey(ProtocolTemplate, on_delete=models.CASCADE, related_name="sites")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT)
    side = models.CharField(max_length=8, choices=[("left", "Left"), ("right", "Right"), ("midline", "Midline")])
    units = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                help_text="Blank in a muscle list: the clinician sets the dose.")
    points = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return f"{self.muscle.name} {self.side}"


class DoseRuleKind(models.TextChoices):
    CUMULATIVE_WINDOW = "cumulative_window", "Cumulative dose in a rolling window, across all plans"
    PER_SESSION = "per_session", "Total dose in one session"
    PER_SITE = "per_site", "Dose at one injection site"
    PER_MUSCLE = "per_muscle", "Dose in one muscle (all its sites)"
    # A limb rule's indication already says which limb (upper or lower), so one side is one limb;
    # for blepharospasm one side is one eye.
    PER_SIDE = "per_side", "Dose on one side (one limb or one eye: all its sites)"


class RuleSeverity(models.TextChoices):
    HARD = "hard", "Hard limit: blocks signing"
    WARNING = "warning", "Warning: may be overridden with a written reason"


class DoseRule(Sourced):
    """A dose limit, as data: the safety service interprets ``kind``.

    Blank product / indication / muscle means "any". A per-kg limit applies the lower of
    ``limit_units`` and ``limit_units_per_kg`` × the patient's weight (pediatric rules). A rule
    never mixes products: units of one product are not units of another. A cumulative window of
    one day is "one treatment day": every signed session of the product that clinic day counts.
    """

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DoseRuleKind.choices)
    severity = models.CharField(max_length=10, choices=RuleSeverity.choices, default=RuleSeverity.HARD)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="dose_rules")
    indication = models.ForeignKey(
        Indication, null=True, blank=True, on_delete=models.PROTECT, related_name="dose_rules"
    )
    muscle = models.ForeignKey(Muscle, null=True, blank=True, on_delete=models.PROTECT, related_name="dose_rules")
    population = models.CharField(max_length=10, choices=Population.choices, default=Population.ANY)
    limit_units = models.DecimalField(max_digits=8, decimal_places=2)
    limit_units_per_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For rolling-window rules.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="cumulative_window") | models.Q(window_days__isnull=False),
                name="window_rule_has_days",
            ),
            # An unverified (U) figure is configuration a manager may change, never a hard rule.
            models.CheckConstraint(
                condition=~models.Q(confidence="U", severity="hard"), name="unverified_rule_is_not_hard",
            ),
        ]

    def __str__(self) -> str:
        return self.name
