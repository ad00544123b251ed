from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("patients/<int:pk>/new/<slug:instrument>/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("alerts/", views.AlertWorklistView.as_view(), name="alerts"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert_acknowledge"),
    path("report/", views.OutcomesReportView.as_view(), name="report"),
]
