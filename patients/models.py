from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown / not stated"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class ReminderPreference(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    NONE = "none", "No reminders"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


class PatientQuerySet(models.QuerySet):
    def active(self) -> PatientQuerySet:
        return self.filter(is_archived=False)


class Patient(models.Model):
    """A person we treat. Patients are archived, never deleted (their records must remain)."""

    mrn = models.CharField("MRN", max_length=12, unique=True, editable=False,
                           help_text="Medical record number, generated on registration.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = PhoneNumberField(blank=True, db_index=True, help_text="Mobile number, for SMS reminders.")
    email = models.EmailField(blank=True)
    preferred_channel = models.CharField(
        "preferred reminder channel", max_length=10, choices=ReminderPreference.choices,
        default=ReminderPreference.EMAIL,
    )
    preferred_language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)

    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)

    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(max_length=100, blank=True)
    emergency_contact_phone = PhoneNumberField(blank=True)

    # Weight matters for pediatric dosing (units per kg), so it carries the date it was measured.
    weight_kg = models.DecimalField(
        "weight (kg)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(400)],
    )
    weight_measured_on = models.DateField(null=True, blank=True)

    notes = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        default_permissions = ("add", "change", "view")  # no delete: patients are archived
        indexes = [
            # UPPER, as Django's iexact/istartswith compare on PostgreSQL (a LOWER index is never used).
            # The name-prefix and reversed-phone indexes are PostgreSQL-only: see migration 0002.
            models.Index(Upper("last_name"), Upper("first_name"), name="patient_name_upper"),
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_kg__isnull=True) | models.Q(weight_measured_on__isnull=False),
                name="patient_weight_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        """Name as staff address the patient: the preferred name when there is one."""
        if self.preferred_name:
            return f"{self.preferred_name} {self.last_name} ({self.first_name})"
        return self.full_name

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally, recorded by staff"
    WRITTEN = "written", "Signed form"
    PATIENT_LINK = "link", "By the patient, from a link"
    SMS_REPLY = "sms_reply", "By SMS reply"


class ContactConsent(models.Model):
    """The patient's consent to be contacted on one channel, and its withdrawal.

    SMS is never sent without a current consent row (TCPA; see docs/reliability.md, messaging rules).
    A withdrawn consent is kept as history; consenting again adds a new row.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    given_at = models.DateTimeField()
    given_method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)

    class Meta:
        ordering = ["-given_at"]
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "channel"], condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_channel",
            ),
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "current"
        return f"{self.get_channel_display()} consent ({state})"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None
