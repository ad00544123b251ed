from django import forms
from django.views.generic import ListView

from accounts.access import RoleRequiredMixin
from accounts.roles import Role

from .models import AuditEvent
from .presenters import audit_rows


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. patients.patient"}))
    actor = forms.CharField(required=False, label="User")
    patient = forms.CharField(required=False, label="Patient MRN")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AuditEventListView(RoleRequiredMixin, ListView):
    """Managers browse and filter the trail. There is no way to change it from the app."""

    allowed_roles = (Role.MANAGER,)
    template_name = "audit/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None)
        events = AuditEvent.objects.select_related("patient").order_by("-occurred_at", "-id")  # sealed or not
        if not self.filter_form.is_valid():
            return events
        data = self.filter_form.cleaned_data
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["actor"]:
            events = events.filter(actor_label__iexact=data["actor"])
        if data["patient"]:
            events = events.filter(patient__mrn=data["patient"])
        if data["since"]:
            events = events.filter(occurred_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(occurred_at__date__lte=data["until"])
        return events

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        return {**context, "rows": audit_rows(list(context["events"]))}
