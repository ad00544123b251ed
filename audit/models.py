from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only entry: who did what, when, to which patient, with before/after values.

    Entries are hash-chained (``entry_hash`` covers the entry and the previous hash), so editing
    or deleting a row breaks the chain; ``manage.py audit_verify`` finds where. Rows are written
    only by ``audit.services.audit_record`` from inside the service that made the change.
    """

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="Username at the time, or 'system'.")
    action = models.CharField(max_length=100, db_index=True, help_text="Dotted, e.g. treatments.session.signed")
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["patient", "-sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_label}"


class AuditChainHead(models.Model):
    """A single row holding the last sequence and hash; locking it serializes appends."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"
