"""Public patient links: short paths, because they travel in 160-character SMS."""

from django.urls import path

from accounts.limits import patient_link_limit, sms_webhook_limit

from . import views

app_name = "reminders"

urlpatterns = [
    path("c/<str:token>/", patient_link_limit(views.confirm), name="confirm"),
    path("x/<str:token>/", patient_link_limit(views.cancel), name="cancel"),
    path("o/<str:token>/", patient_link_limit(views.opt_out), name="opt_out"),
    path("sms/inbound/", sms_webhook_limit(views.sms_inbound), name="sms_inbound"),
]
