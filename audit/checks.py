"""Start-up checks for the audit trail: production refuses to run without a real audit key."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

MIN_KEY_LENGTH = 32


@register()
def audit_key_check(app_configs, **kwargs) -> list[Error]:
    """Without a secret key outside the database, anyone who can edit the table could recompute
    the chain. The development key is public (it is in the source), so production refuses it."""
    if settings.DEBUG:
        return []
    key = settings.AUDIT_HMAC_KEY
    if not key or len(key) < MIN_KEY_LENGTH or key.startswith("dev-only"):
        return [Error(
            f"AUDIT_HMAC_KEY must be set to a random secret of at least {MIN_KEY_LENGTH} characters "
            "when DJANGO_DEBUG=false.",
            hint='Generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"; keep it '
                 "out of the database and its backups.",
            id="audit.E001",
        )]
    return []
