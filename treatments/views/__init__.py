"""Pages for plans, sessions, inventory and billing; one module per topic."""

from .billing import BillingCsvView, BillingExportView, BillingSummaryView
from .chart import treatment_chart_context
from .inventory import LotListView, LotReceiveView, LotRecipientsCsvView, LotRecipientsView
from .plans import PlanCreateView, PlanUpdateView, plan_status
from .sessions import (
    SessionDetailView,
    SessionPreviewView,
    SessionSignView,
    session_addendum_view,
    session_start_view,
)

__all__ = [
    "BillingCsvView", "BillingExportView", "BillingSummaryView", "LotListView", "LotReceiveView",
    "LotRecipientsCsvView", "LotRecipientsView", "PlanCreateView", "PlanUpdateView", "SessionDetailView",
    "SessionPreviewView", "SessionSignView", "plan_status", "session_addendum_view", "session_start_view",
    "treatment_chart_context",
]
