from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("day/", views.DayView.as_view(), name="day"),
    path("week/", views.WeekView.as_view(), name="week"),
    path("book/", views.BookView.as_view(), name="book"),
    path("recall/", views.RecallBoardView.as_view(), name="recall"),
    path("appointments/<int:pk>/confirm/", views.appointment_confirm_view, name="confirm"),
    path("appointments/<int:pk>/check-in/", views.appointment_check_in_view, name="check_in"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel_view, name="cancel"),
    path("appointments/<int:pk>/no-show/", views.appointment_no_show_view, name="no_show"),
    path("appointments/<int:pk>/reschedule/", views.RescheduleView.as_view(), name="reschedule"),
    path("calendar-feed/", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("calendar-feed/reset/", views.calendar_feed_reset_view, name="calendar_feed_reset"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
