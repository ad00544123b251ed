"""The staff outbox: every reminder and its outcome, and "send again" for failed ones.
Front desk and managers (who chase patients and deal with the SMS provider); not clinicians."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role

from .forms import OutboxFilterForm, SendAgainForm
from .models import Reminder, ReminderState
from .selectors import OUTBOX_TABS, reminders_outbox
from .services import SendAgainRefused, reminder_send_again

OUTBOX_ROLES = (Role.FRONT_DESK,)


class OutboxView(RoleRequiredMixin, ListView):
    allowed_roles = OUTBOX_ROLES
    template_name = "reminders/outbox.html"
    context_object_name = "reminders"
    paginate_by = 50

    def get_queryset(self):
        self.form = OutboxFilterForm(self.request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        self.tab = data.get("tab") or "upcoming"
        return reminders_outbox(tab=self.tab, patient_query=data.get("q", ""), kind=data.get("kind", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for reminder in context["reminders"]:
            if reminder.state == ReminderState.FAILED:
                reminder.send_again_form = SendAgainForm(prefix=f"r{reminder.pk}")
        filters = self.request.GET.copy()
        for name in ("tab", "page"):
            filters.pop(name, None)
        return {**context, "form": self.form, "tab": self.tab, "tabs": list(OUTBOX_TABS),
                "filters": filters.urlencode()}


@require_POST
@role_required(*OUTBOX_ROLES)
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=pk)
    form = SendAgainForm(request.POST, prefix=f"r{pk}")
    checked = form.is_valid() and form.cleaned_data["provider_checked"]
    try:
        reminder_send_again(actor=request.user, reminder_id=reminder.pk, provider_checked=checked)
    except SendAgainRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Back in the outbox: it goes out with the next sweep.")
    return redirect(reverse("outbox:list") + "?tab=failed")
