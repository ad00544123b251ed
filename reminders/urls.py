"""Public patient links: short paths, because they travel in 160-character SMS."""

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("c/<str:token>/", views.confirm, name="confirm"),
    path("x/<str:token>/", views.cancel, name="cancel"),
    path("o/<str:token>/", views.opt_out, name="opt_out"),
    path("sms/inbound/", views.sms_inbound, name="sms_inbound"),
]
