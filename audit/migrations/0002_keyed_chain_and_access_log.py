"""Key the chain with AUDIT_HMAC_KEY, give each entry its own MAC, and let reads wait unsealed.

Existing entries are re-sealed with the key here, after their old (unkeyed SHA-256) chain is
verified: a chain already broken stops the migration rather than being laundered into a keyed
one. Run the previous release's ``manage.py audit_verify`` to see where, before upgrading.
"""

import hashlib
import json

from django.db import migrations, models

from audit.keyed import GENESIS_HASH, chain_hash, entry_mac

BATCH = 2000


def _legacy_hash(event) -> str:
    fields = {
        "sequence": event.sequence, "occurred_at": event.occurred_at.isoformat(), "actor_id": event.actor_id,
        "actor_label": event.actor_label, "action": event.action, "patient_id": event.patient_id,
        "object_type": event.object_type, "object_id": event.object_id, "changes": event.changes,
    }
    payload = json.dumps({"previous": event.previous_hash, **fields}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _verify_legacy_chain(events) -> None:
    previous, sequence = GENESIS_HASH, 1
    for event in events.iterator(chunk_size=BATCH):
        if event.sequence != sequence or event.previous_hash != previous or _legacy_hash(event) != event.entry_hash:
            raise RuntimeError(
                f"The audit chain fails its old (unkeyed) verification at #{event.sequence}; it is not re-sealed "
                "with the key, which would hide that. Investigate with the previous release's audit_verify."
            )
        previous, sequence = event.entry_hash, sequence + 1


def reseal_with_key(apps, schema_editor) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    events = AuditEvent.objects.order_by("sequence")
    _verify_legacy_chain(events)
    previous, batch = GENESIS_HASH, []
    for event in events.iterator(chunk_size=BATCH):
        event.entry_mac = entry_mac(event)
        event.previous_hash, event.entry_hash = previous, chain_hash(event, previous_hash=previous)
        previous = event.entry_hash
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, ["entry_mac", "previous_hash", "entry_hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["entry_mac", "previous_hash", "entry_hash"])
    AuditChainHead.objects.filter(pk=1).update(last_hash=previous)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"default_permissions": ("view",), "ordering": ["-occurred_at", "-id"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_mac",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, help_text="Place in the chain; empty until sealed.", null=True,
                unique=True,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("sequence__isnull", True)), fields=["id"],
                               name="audit_event_unsealed"),
        ),
        migrations.RunPython(reseal_with_key),  # no way back: the old code cannot read keyed hashes
    ]
