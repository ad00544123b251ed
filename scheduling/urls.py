from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("day/", views.DayView.as_view(), name="day"),
]
