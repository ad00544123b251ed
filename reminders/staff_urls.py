"""Staff pages for the reminder outbox (the public patient links are in urls.py)."""

from django.urls import path

from . import staff_views

app_name = "outbox"

urlpatterns = [
    path("", staff_views.OutboxView.as_view(), name="list"),
    path("<int:pk>/send-again/", staff_views.send_again, name="send_again"),
]
