"""Password change and reset: Django's views, with our templates, a rate limit on asking for a
reset e-mail, and an audit entry for each new password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from audit.services import audit_record

from ..limits import password_reset_limit


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="accounts.password.changed", target=self.request.user)
        return response


@method_decorator(password_reset_limit, name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer ("if the address is ours, a link is on its way"): Django sends only
    to active users with that address, and says nothing either way. The link expires after
    PASSWORD_RESET_TIMEOUT and works once."""

    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        return {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE,
                "expiry_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, action="accounts.password.reset", target=form.user)
        return response
