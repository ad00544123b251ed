"""The clinician's calendar feed (public, signed URL) and the page where they copy its address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from accounts.roles import Role, roles_of

from ..ical import clinician_calendar, clinician_for_token, feed_token
from ..selectors import clinicians


@login_not_required
@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public on purpose: calendar apps cannot sign in. The signed token is the credential."""
    clinician = clinician_for_token(token)
    if clinician is None:
        raise Http404("No such calendar.")
    response = HttpResponse(clinician_calendar(clinician), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


class CalendarFeedView(RoleRequiredMixin, TemplateView):
    """Your own feed's address (a manager may pick any clinician's)."""

    allowed_roles = (Role.CLINICIAN,)
    template_name = "scheduling/calendar_feed.html"

    def get_context_data(self, **kwargs):
        clinician = self.request.user
        options = []
        if Role.MANAGER in roles_of(clinician):
            options = list(clinicians())
            chosen = next((c for c in options if str(c.pk) == self.request.GET.get("clinician")), None)
            clinician = chosen or clinician
        url = self.request.build_absolute_uri(reverse("scheduling:ical_feed", args=[feed_token(clinician)]))
        return super().get_context_data(clinician=clinician, feed_url=url, options=options, **kwargs)
