"""The second sign-in factor: who must have one, enrolling an authenticator app, recovery codes,
and removing one (a manager for someone else, with a reason; oneself only with a code).

Devices are django-otp's: TOTP apps (``otp_totp``), passkeys and security keys
(``django_otp_webauthn``), and one-time recovery codes (``otp_static``). A session counts as
verified once django-otp's ``login`` has recorded the device that passed (``user.is_verified()``).
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit.services import audit_record

from .models import User
from .roles import Role, roles_of

RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"


class SecondFactorError(Exception):
    """A request about second factors that cannot be carried out; the message is for the user."""


def second_factor_required(user: User) -> bool:
    """True when the user holds a role listed in TWO_FACTOR_REQUIRED_ROLES."""
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return any(role.value in required for role in roles_of(user))


def has_second_factor(user: User) -> bool:
    """A confirmed authenticator app or passkey. Recovery codes alone do not count: they only
    stand in for one of those when it is lost."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def passkeys_of(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at"))


def totp_device_pending(user: User) -> TOTPDevice:
    """The not-yet-confirmed authenticator app the enrolment page shows; one per user, kept until
    confirmed so that reloading the page does not change the secret already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it when typed by hand."""
    return base64.b32encode(device.bin_key).decode()


def totp_qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (the CSP allows data: images only)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows. None when the code is wrong. Otherwise the new
    recovery codes, when this is the user's first second factor (empty when they have some)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="accounts.second_factor.enrolled", target=user, changes={"kind": "app"})
    return recovery_codes_issue(user=user) if not recovery_codes_left(user) else []


@transaction.atomic
def passkey_enrolled(*, user: User, credential: WebAuthnCredential) -> list[str]:
    """Record a passkey the user has just registered; recovery codes as for an app."""
    audit_record(actor=user, action="accounts.second_factor.enrolled", target=user,
                 changes={"kind": "passkey", "credential": credential.pk})
    return recovery_codes_issue(user=user) if not recovery_codes_left(user) else []


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes with a fresh set and return them: the only time they are
    readable in full (each works once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=user, action="accounts.second_factor.recovery_codes_issued", target=user)
    return codes


def second_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (an app's 6 digits or a recovery code), or None.

    Each device is tried on its own (django-otp's advice), so its throttling applies; a recovery
    code is deleted as it is accepted, so it works once.
    """
    code = code.strip().replace(" ", "").lower()
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
               *StaticDevice.objects.filter(user=user, confirmed=True, name=RECOVERY_DEVICE_NAME)]
    for device in devices:
        if verify_token(user, device.persistent_id, code) is not None:
            if isinstance(device, StaticDevice):
                _recovery_code_used(user=user)
            return device
    return None


@transaction.atomic
def _recovery_code_used(*, user: User) -> None:
    audit_record(actor=user, action="accounts.second_factor.recovery_code_used", target=user,
                 changes={"codes_left": recovery_codes_left(user)})


def _devices_delete(user: User) -> int:
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


@transaction.atomic
def second_factor_reset(*, actor: User, user: User, reason: str) -> int:
    """A manager removes another user's second factors (a lost phone or key); the user enrols
    again at their next sign-in. Sessions verified with a removed device stop counting as
    verified at once (django-otp finds the device gone). Returns how many devices went."""
    if Role.MANAGER not in roles_of(actor):
        raise PermissionDenied("Only a manager can reset a second factor.")
    if actor.pk == user.pk:
        raise SecondFactorError("You cannot reset your own second factor here: remove it from your "
                                "security page, with a code.")
    if not reason.strip():
        raise SecondFactorError("Say why the second factor is being reset.")
    removed = _devices_delete(user)
    audit_record(actor=actor, action="accounts.second_factor.reset", target=user,
                 changes={"reason": reason.strip(), "devices_removed": removed})
    return removed


@transaction.atomic
def second_factor_remove_own(*, user: User, device: Device) -> int:
    """Remove one's own second factors. ``device`` is the one that has just accepted a code on
    the removal form: nobody removes theirs without the second factor itself."""
    if device is None or device.user_id != user.pk:
        raise SecondFactorError("Enter a current code from your app, or a recovery code.")
    removed = _devices_delete(user)
    audit_record(actor=user, action="accounts.second_factor.removed", target=user,
                 changes={"devices_removed": removed})
    return removed
