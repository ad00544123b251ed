"""Front-desk pages for the schedule. Thin: forms parse, selectors read, services write."""

from .actions import (
    appointment_cancel_view,
    appointment_check_in_view,
    appointment_confirm_view,
    appointment_no_show_view,
)
from .booking import BookView, RescheduleView
from .day import DayView, WeekView
from .feed import CalendarFeedView, calendar_feed_reset_view, ical_feed
from .patient import patient_appointments_context
from .recall import RecallBoardView

__all__ = [
    "BookView", "CalendarFeedView", "DayView", "RecallBoardView", "RescheduleView", "WeekView",
    "appointment_cancel_view", "appointment_check_in_view", "appointment_confirm_view", "appointment_no_show_view",
    "calendar_feed_reset_view", "ical_feed", "patient_appointments_context",
]
