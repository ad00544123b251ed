"""The clinician's calendar feed (public, signed URL) and the page where they copy its address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role, roles_of

from ..ical import calendar_feed_reset, clinician_calendar, clinician_for_token, feed_max_age, feed_token
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
        clinician, options = _feed_owner(self.request, self.request.GET.get("clinician"))
        url = self.request.build_absolute_uri(reverse("scheduling:ical_feed", args=[feed_token(clinician)]))
        expires_on = timezone.localdate(timezone.now() + feed_max_age())
        return super().get_context_data(clinician=clinician, feed_url=url, options=options, expires_on=expires_on,
                                         **kwargs)


def _feed_owner(request: HttpRequest, chosen_pk: str | None) -> tuple:
    """Whose feed: your own, or for a manager the clinician they chose; and a manager's choices."""
    if Role.MANAGER not in roles_of(request.user):
        return request.user, []
    options = list(clinicians())
    return next((c for c in options if str(c.pk) == chosen_pk), request.user), options


@require_POST
@role_required(Role.CLINICIAN)
def calendar_feed_reset_view(request: HttpRequest) -> HttpResponse:
    """"Reset feed address": every copy of the old address stops working at once."""
    clinician, options = _feed_owner(request, request.POST.get("clinician"))
    calendar_feed_reset(actor=request.user, clinician=clinician)
    messages.success(request, "New feed address: the old one no longer works. Subscribe to this one in your "
                              "calendar app.")
    back = reverse("scheduling:calendar_feed")
    return HttpResponseRedirect(f"{back}?clinician={clinician.pk}" if options else back)
