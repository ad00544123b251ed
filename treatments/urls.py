from django.urls import path

from . import views

app_name = "treatments"
urlpatterns = [
    # Plans: created from a patient's chart.
    path("patients/<int:pk>/plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("plans/<int:pk>/status/", views.plan_status, name="plan_status"),
    path("plans/<int:pk>/sessions/new/", views.session_start_view, name="session_start"),
    # Sessions: a draft opens in the editor; a signed one is read-only.
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/preview/", views.SessionPreviewView.as_view(), name="session_preview"),
    path("sessions/<int:pk>/sign/", views.SessionSignView.as_view(), name="session_sign"),
    path("sessions/<int:pk>/addenda/", views.session_addendum_view, name="session_addendum"),
    path("sessions/<int:pk>/billing/", views.BillingSummaryView.as_view(), name="session_billing"),
    path("sessions/<int:pk>/billing.csv", views.BillingCsvView.as_view(), name="session_billing_csv"),
    path("billing/export/", views.BillingExportView.as_view(), name="billing_export"),
    # Inventory.
    path("lots/", views.LotListView.as_view(), name="lot_list"),
    path("lots/receive/", views.LotReceiveView.as_view(), name="lot_receive"),
    path("lots/<int:pk>/recipients/", views.LotRecipientsView.as_view(), name="lot_recipients"),
    path("lots/<int:pk>/recipients.csv", views.LotRecipientsCsvView.as_view(), name="lot_recipients_csv"),
]
