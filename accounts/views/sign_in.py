"""The two sign-in steps: the password (Django's LoginView, guarded by django-axes), then the
second factor, which axes guards too."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp_webauthn.views import CompleteCredentialAuthenticationView

from ..forms import SecondFactorCodeForm
from ..lockout import locked_out_response, sign_in_allowed, sign_in_failed, sign_in_succeeded
from ..middleware import SECOND_STEP_DUE_KEY, second_factor_exempt
from ..two_factor import has_second_factor, passkeys_of, second_factor_check
from .common import next_url


class SignInView(LoginView):
    """The password step. A user with a second factor goes on to it; for everyone else the
    sign-in is complete here."""

    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        response = super().form_valid(form)
        if has_second_factor(user):
            self.request.session[SECOND_STEP_DUE_KEY] = True
            verify = reverse("accounts:second_factor_verify")
            return redirect(f"{verify}?{urlencode({'next': self.get_success_url()})}")
        sign_in_succeeded(self.request, user.get_username())
        return response


sign_in = SignInView.as_view()


@login_not_required
def admin_sign_in(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin site's sign-in page (``admin.site.login``): ours, with both steps. Someone already
    signed in is sent here only when their account lacks the admin (is_staff): refuse, rather
    than send them round to the sign-in page and back."""
    if request.user.is_authenticated:
        raise PermissionDenied("Your account does not give access to the configuration pages.")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class SecondFactorVerifyView(FormView):
    """The second step: a code from the app, a recovery code, or a passkey (whose ceremony runs
    through django-otp-webauthn's views and ``PasskeyVerifyView`` below)."""

    form_class = SecondFactorCodeForm
    template_name = "accounts/second_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_verified() or not has_second_factor(request.user):
            return redirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next=next_url(self.request), has_passkey=bool(passkeys_of(self.request.user)), **kwargs
        )

    def form_valid(self, form) -> HttpResponse:
        request, username = self.request, self.request.user.get_username()
        if not sign_in_allowed(request, username):
            logout(request)
            return locked_out_response(request, username)
        device = second_factor_check(user=request.user, code=form.cleaned_data["code"])
        if device is None:
            sign_in_failed(request, username)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out_response(request, username)
            form.add_error("code", "That code is not right, or has been used. Try the newest code from your app.")
            return self.form_invalid(form)
        otp_login(request, device)
        request.session.pop(SECOND_STEP_DUE_KEY, None)
        sign_in_succeeded(request, username)
        return redirect(next_url(request))


second_factor_verify = second_factor_exempt(SecondFactorVerifyView.as_view())


class PasskeyVerifyView(CompleteCredentialAuthenticationView):
    """django-otp-webauthn's last step of a passkey check, which also ends the sign-in for
    django-axes (a passkey that fails never reaches here: the library answers with an error)."""

    def complete_auth(self, device) -> None:
        super().complete_auth(device)
        self.request.session.pop(SECOND_STEP_DUE_KEY, None)
        sign_in_succeeded(self.request, self.request.user.get_username())
