import pgtrigger
from django.conf import settings
from django.db import models

# Columns the sealing step fills in on a row that is not yet in the chain; nothing else may change.
SEAL_FIELDS = ("sequence", "previous_hash", "entry_hash")
CONTENT_COLUMNS = ("occurred_at", "actor_id", "actor_label", "action", "patient_id", "object_type", "object_id",
                   "changes", "entry_mac")


def _changed_or_sealed_sql() -> str:
    """True for an UPDATE the trail refuses: of a sealed row, or of anything but the seal fields."""
    changed = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in CONTENT_COLUMNS)
    return f"OLD.sequence IS NOT NULL OR {changed}"


class AuditEvent(models.Model):
    """One append-only entry: who did what, when, to which patient, with before/after values.

    Writes are chained at once (``audit_record``, in the writing transaction); reads are appended
    unchained (``audit_access``, no shared lock) and sealed into the chain by beat. Every row
    carries its own keyed MAC (``entry_mac``); a sealed row also has its place (``sequence``) and
    a keyed link (``entry_hash``) covering the previous link. ``manage.py audit_verify`` finds
    any edited, removed or truncated entry. See docs/audit.md.
    """

    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True, editable=False,
                                              help_text="Place in the chain; empty until sealed.")
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
    entry_mac = models.CharField(max_length=64, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["patient", "-sequence"]),
            # The sealing step's work queue: the rows not yet in the chain.
            models.Index(fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_event_unsealed"),
        ]
        # The database itself keeps the trail append-only (PostgreSQL; pgtrigger skips SQLite).
        triggers = [
            pgtrigger.Protect(name="audit_event_no_delete", operation=pgtrigger.Delete),
            pgtrigger.Protect(name="audit_event_no_rewrite", operation=pgtrigger.Update,
                              condition=pgtrigger.Condition(_changed_or_sealed_sql())),
        ]

    def __str__(self) -> str:
        place = f"#{self.sequence}" if self.sequence is not None else "(not yet sealed)"
        return f"{place} {self.action} by {self.actor_label}"

    @property
    def is_sealed(self) -> bool:
        return self.sequence is not None


class AuditChainHead(models.Model):
    """A single row holding the last sequence and hash; locking it serializes appends."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"
