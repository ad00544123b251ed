"""The reminder outbox: a row per message before it is a send (see docs/reliability.md).

A row's unique key makes creating it idempotent (beat may run twice); a conditional UPDATE
claims it (a task may be delivered twice); its state shows staff every outcome.
"""

from __future__ import annotations

from django.db import models


class ReminderKind(models.TextChoices):
    CYCLE_DUE = "cycle_due", "Next cycle coming up"
    CYCLE_OVERDUE = "cycle_overdue", "Cycle overdue"
    APPOINTMENT = "appointment", "Appointment reminder"
    BOOKING_CONFIRMATION = "booking_confirmation", "Booking confirmation"
    OPT_OUT_CONFIRMATION = "opt_out_confirmation", "Opt-out confirmation"


CYCLE_KINDS = (ReminderKind.CYCLE_DUE, ReminderKind.CYCLE_OVERDUE)
APPOINTMENT_KINDS = (ReminderKind.APPOINTMENT, ReminderKind.BOOKING_CONFIRMATION)


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class ReminderState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"
    MISSED = "missed", "Missed"


class Reminder(models.Model):
    """One message to one patient on one channel.

    Keyed by what it is about: a plan's cycle (``plan`` + ``cycle_due_on``, the due date that
    defines the cycle), an appointment at a given start (``appointment`` + ``appointment_start_at``,
    so a reschedule is a new row), or a withdrawn consent (the one opt-out confirmation).
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    plan = models.ForeignKey(
        "treatments.TreatmentPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    cycle_due_on = models.DateField(null=True, blank=True, help_text="The cycle's due date (clinic-local).")
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    appointment_start_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(
        "patients.ContactConsent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    due_at = models.DateTimeField(help_text="Not before this instant (UTC); already outside quiet hours.")
    # Appointment rows: the appointment's start. Cycle rows: null, their window is in days from
    # ``cycle_due_on`` (see reminders.timing.window_end), which a date column can carry exactly.
    window_ends_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=ReminderState.choices, default=ReminderState.SCHEDULED)
    skip_reason = models.CharField(max_length=200, blank=True, db_default="", default="")
    attempts = models.PositiveSmallIntegerField(db_default=0, default=0)
    last_error = models.TextField(blank=True, db_default="", default="")
    needs_review = models.BooleanField(
        db_default=False, default=False, help_text="The gateway may have accepted it: check before sending again."
    )
    provider_message_id = models.CharField(max_length=100, blank=True, db_default="", default="")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the broker.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    transport_called_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-due_at", "-id"]
        default_permissions = ("view", "change")
        indexes = [
            models.Index(fields=["state", "due_at"], name="reminder_state_due"),
            models.Index(fields=["patient", "channel", "state"], name="reminder_patient_channel"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "plan", "cycle_due_on", "kind", "channel"],
                condition=models.Q(plan__isnull=False), name="one_reminder_per_cycle_kind_channel",
            ),
            models.UniqueConstraint(
                fields=["patient", "appointment", "appointment_start_at", "kind", "channel"],
                condition=models.Q(appointment__isnull=False), name="one_reminder_per_appointment_kind_channel",
            ),
            models.UniqueConstraint(
                fields=["consent", "kind"], condition=models.Q(consent__isnull=False),
                name="one_confirmation_per_withdrawn_consent",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=CYCLE_KINDS, plan__isnull=False, cycle_due_on__isnull=False,
                             appointment__isnull=True, consent__isnull=True)
                    | models.Q(kind__in=APPOINTMENT_KINDS, appointment__isnull=False,
                               appointment_start_at__isnull=False, plan__isnull=True, consent__isnull=True)
                    | models.Q(kind=ReminderKind.OPT_OUT_CONFIRMATION, consent__isnull=False,
                               plan__isnull=True, appointment__isnull=True)
                ),
                name="reminder_key_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.get_channel_display()} ({self.get_state_display()})"


class UsedLink(models.Model):
    """A signed-token patient link (the format before ``LinkCode``) that has done its job: a second
    use is refused. Kept while such links, already in patients' phones, are still unexpired."""

    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; never the token.")
    purpose = models.CharField(max_length=20)
    used_at = models.DateTimeField()

    class Meta:
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.purpose} link used {self.used_at:%Y-%m-%d %H:%M}"


class LinkCode(models.Model):
    """A patient link's code: random, fixed length (so every SMS has a constant budget, whatever
    the reminder's id), for one reminder and one purpose, expiring, spent by its first use.

    The code is the whole credential (65 random bits, reminders.links.CODE_LENGTH base32
    characters): nothing in it can be guessed from an id, and a guess is refused by lookup."""

    code = models.CharField(max_length=13, unique=True)
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="link_codes")
    purpose = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["reminder", "purpose"], name="one_link_code_per_reminder_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} link for reminder {self.reminder_id}"
