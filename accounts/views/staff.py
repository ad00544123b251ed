"""Managers: who has a second factor, and resetting someone else's (with a reason, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ..access import RoleRequiredMixin
from ..forms import SecondFactorResetForm
from ..models import User
from ..roles import Role
from ..two_factor import SecondFactorError, second_factor_reset


def staff_with_second_factor_status():
    """Active staff by username, each with ``has_app`` and ``has_passkey``: one query."""
    return User.objects.filter(is_active=True).annotate(
        has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_passkey=Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ).order_by("username")


class StaffListView(RoleRequiredMixin, ListView):
    allowed_roles = (Role.MANAGER,)
    template_name = "accounts/staff_list.html"
    context_object_name = "staff"

    def get_queryset(self):
        return staff_with_second_factor_status()


class SecondFactorResetView(RoleRequiredMixin, FormView):
    allowed_roles = (Role.MANAGER,)
    form_class = SecondFactorResetForm
    template_name = "accounts/second_factor_reset.html"

    @cached_property
    def member(self) -> User:  # looked up after the role check, so outsiders learn nothing
        return get_object_or_404(User, pk=self.kwargs["pk"], is_active=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        try:
            second_factor_reset(actor=self.request.user, user=self.member, reason=form.cleaned_data["reason"])
        except SecondFactorError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.member}'s second factor was reset. They set up a new one at their "
                                       "next sign-in.")
        return redirect("accounts:staff")
