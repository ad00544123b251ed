"""The recall board: who is due (or overdue) for their next cycle and has nothing booked."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin

from ..forms import RecallFilterForm
from ..models import AppointmentType
from ..selectors import plans_due_for_recall
from .common import BOOKING_ROLES

PLANS_PER_PAGE = 50
# The slot finder starts this long before the due date: a patient may come a little early
# (the finder itself never offers a day before the plan's minimum re-treatment date).
SEARCH_BEFORE_DUE = dt.timedelta(days=7)


class RecallBoardView(RoleRequiredMixin, TemplateView):
    """Plans due within N weeks or overdue with no future injection booked, soonest first; one
    click books. Paginated, so its queries and its size stay the same however many are due."""

    allowed_roles = BOOKING_ROLES
    template_name = "scheduling/recall.html"

    def get_context_data(self, **kwargs):
        form = RecallFilterForm(self.request.GET or None)
        today = timezone.localdate()
        page = Paginator(plans_due_for_recall(today=today, **form.filters()), PLANS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        rows = [(plan, max(today, plan.next_due - SEARCH_BEFORE_DUE)) for plan in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form, page=page, rows=rows, today=today, query=query.urlencode(),
            injection_type=AppointmentType.objects.filter(is_active=True, is_injection=True)
            .order_by("sort_order", "name").first(),
            **kwargs,
        )
