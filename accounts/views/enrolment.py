"""Enrolling a second factor (an authenticator app or a passkey), recovery codes, and the user's
own security page, where they can also remove their second factor with a code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.views import CompleteCredentialRegistrationView

from ..forms import AppCodeForm, SecondFactorCodeForm
from ..lockout import locked_out_response, sign_in_failed
from ..middleware import second_factor_exempt
from ..two_factor import (
    has_second_factor,
    passkey_enrolled,
    passkeys_of,
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_check,
    second_factor_remove_own,
    second_factor_required,
    totp_device_pending,
    totp_enrolment_confirm,
    totp_qr_code_data_uri,
    totp_secret,
)
from .common import next_url

# Recovery codes wait here between the enrolment that made them and the one page that shows them.
NEW_RECOVERY_CODES_KEY = "accounts.new_recovery_codes"


def _unverified_with_factor(request: HttpRequest) -> bool:
    """Someone past the password but not the second step must not add a factor of their own:
    that would skip the step."""
    return not request.user.is_verified() and has_second_factor(request.user)


class SecondFactorEnrolView(FormView):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""

    form_class = AppCodeForm
    template_name = "accounts/second_factor_enrol.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _unverified_with_factor(request):
            verify = reverse("accounts:second_factor_verify")
            return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            messages.info(request, "You already have an authenticator app set up.")
            return redirect("accounts:security")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = totp_device_pending(self.request.user)
        return super().get_context_data(
            secret=totp_secret(device), qr_code=totp_qr_code_data_uri(device),
            required=second_factor_required(self.request.user), next=next_url(self.request), **kwargs,
        )

    def form_valid(self, form) -> HttpResponse:
        device = totp_device_pending(self.request.user)
        codes = totp_enrolment_confirm(user=self.request.user, device=device, code=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", "That code does not match. Check the phone's clock and enter the newest code.")
            return self.form_invalid(form)
        otp_login(self.request, device)
        return _show_codes_once(self.request, codes, next_url(self.request))


second_factor_enrol = second_factor_exempt(SecondFactorEnrolView.as_view())


def _show_codes_once(request: HttpRequest, codes: list[str], then: str) -> HttpResponse:
    if not codes:
        messages.success(request, "Your second factor is set up.")
        return redirect(then)
    request.session[NEW_RECOVERY_CODES_KEY] = codes
    return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': then})}")


class RecoveryCodesView(View):
    """Shows newly made recovery codes once (they leave the session as the page is drawn); a POST
    makes a fresh set, which replaces the old one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        codes = request.session.pop(NEW_RECOVERY_CODES_KEY, None)
        return render(request, "accounts/recovery_codes.html", {
            "codes": codes, "codes_left": recovery_codes_left(request.user), "next": next_url(request),
        })

    def post(self, request: HttpRequest) -> HttpResponse:
        # Only a session that passed the second step: in the demo, where the step is not forced,
        # a session signed in before the user enrolled has not.
        if not request.user.is_verified() or not has_second_factor(request.user):
            return redirect("accounts:security")
        return _show_codes_once(request, recovery_codes_issue(user=request.user), reverse("accounts:security"))


recovery_codes = RecoveryCodesView.as_view()


class PasskeyRegisterView(CompleteCredentialRegistrationView):
    """django-otp-webauthn's last registration step, plus the audit entry and, for a first
    factor, recovery codes (the page's script then opens the page that shows them)."""

    def post(self, *args, **kwargs) -> HttpResponse:
        response = super().post(*args, **kwargs)
        credential = passkeys_of(self.request.user)[-1]
        codes = passkey_enrolled(user=self.request.user, credential=credential)
        if codes:
            self.request.session[NEW_RECOVERY_CODES_KEY] = codes
        return response


class SecurityView(TemplateView):
    """The user's own sign-in security: password, app, passkeys, recovery codes."""

    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            has_app=TOTPDevice.objects.filter(user=user, confirmed=True).exists(), passkeys=passkeys_of(user),
            codes_left=recovery_codes_left(user), has_second_factor=has_second_factor(user),
            required=second_factor_required(user), remove_form=SecondFactorCodeForm(), **kwargs,
        )


security = SecurityView.as_view()


@require_POST
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    """Remove one's own second factor: only with a current code, and a wrong one counts towards
    the sign-in lockout like a wrong password."""
    form = SecondFactorCodeForm(request.POST)
    device = second_factor_check(user=request.user, code=form.data.get("code", "")) if form.is_valid() else None
    if device is None:
        username = request.user.get_username()
        sign_in_failed(request, username)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return locked_out_response(request, username)
        messages.error(request, "That code is not right: your second factor was not removed.")
        return redirect("accounts:security")
    second_factor_remove_own(user=request.user, device=device)
    messages.success(request, "Your second factor has been removed.")
    return redirect("accounts:security")
