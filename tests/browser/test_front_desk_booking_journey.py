"""The front desk books from the recall board, in a real browser: the first due patient into the
first free slot, sees it in the day view, checks the patient in; then a second booking for the
same clinician at an overlapping time is refused with a message that names the clash."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from scheduling.models import Appointment, AppointmentStatus
from tests.factories import (
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    RoomFactory,
    TreatmentPlanFactory,
    UserFactory,
    WorkingHoursFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic(front_desk_user):
    location = LocationFactory(name="Lakeside Main")
    rooms = [RoomFactory(location=location, name=name) for name in ("Room 1", "Room 2")]
    rivera = UserFactory(username="rivera", display_name="Dr. Rivera", role=Role.CLINICIAN)
    for weekday in range(7):  # every day, so the journey runs whatever day the suite runs
        WorkingHoursFactory(clinician=rivera, location=location, weekday=weekday, starts_at=dt.time(7),
                            ends_at=dt.time(21))
    AppointmentTypeFactory(name="Injection session", default_duration_minutes=30, is_injection=True)
    AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30)
    due = PatientFactory(first_name="Maria", last_name="Lopez")
    # No session yet, started two weeks ago: due since then, so first on the board.
    TreatmentPlanFactory(patient=due, responsible_clinician=rivera,
                         start_date=timezone.localdate() - dt.timedelta(days=14))
    other = PatientFactory(first_name="Tom", last_name="Baker")
    return {"rivera": rivera, "rooms": rooms, "due": due, "other": other}


def test_front_desk_books_from_the_recall_board_checks_in_and_is_refused_a_clash(
    page: Page, login, screenshot, clinic
):
    login("frontdesk")
    page.get_by_role("navigation").get_by_role("link", name="Recall board").click()
    first = page.get_by_test_id("recall-row").first
    expect(first).to_contain_text("Maria Lopez")
    expect(first).to_contain_text("overdue")
    screenshot("recall-board")
    first.get_by_role("link", name="Book").click()

    # The booking page arrives prefilled: free injection times with Dr. Rivera, as buttons.
    expect(page.get_by_role("heading", name=re.compile("Book an appointment"))).to_contain_text("Maria Lopez")
    first_slot = page.get_by_test_id("slot").first
    expect(first_slot).to_contain_text("Dr. Rivera")
    first_slot.click()

    expect(page.get_by_role("alert")).to_contain_text("Booked: Maria Lopez, Injection session with Dr. Rivera")
    booked = Appointment.objects.get(patient=clinic["due"])
    assert booked.plan is not None and booked.clinician == clinic["rivera"]
    start = timezone.localtime(booked.start_at)
    card = page.get_by_test_id("appointment").filter(has_text="Maria Lopez")
    expect(card).to_contain_text(f"{start:%-I:%M %p}–{start + dt.timedelta(minutes=30):%-I:%M %p}")
    expect(card.get_by_test_id("status")).to_have_text("Booked")

    card.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("alert")).to_contain_text("checked in")
    expect(page.get_by_test_id("appointment").filter(has_text="Maria Lopez").get_by_test_id("status")).to_have_text(
        "Checked in")
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.CHECKED_IN
    screenshot("day-view-checked-in")

    # Another patient, the same clinician, ten minutes into that appointment, in the other room.
    page.goto(f"/schedule/book/?patient={clinic['other'].pk}")
    form = page.get_by_test_id("set-time-form")
    form.get_by_label("Type").select_option(label="Follow-up")
    form.get_by_label("Clinician").select_option(label="Dr. Rivera")
    form.get_by_label("Room").select_option(label="Lakeside Main · Room 2")
    form.get_by_label("Date").fill(f"{start:%Y-%m-%d}")
    form.get_by_label("Time").fill(f"{start + dt.timedelta(minutes=10):%H:%M}")
    form.get_by_role("button", name="Book").click()

    clash = f"Dr. Rivera already has an appointment {start:%-I:%M %p}–{start + dt.timedelta(minutes=30):%-I:%M %p}."
    expect(page.get_by_test_id("set-time-form")).to_contain_text(clash)
    assert not Appointment.objects.filter(patient=clinic["other"]).exists()
    assert screenshot("clash-refused").stat().st_size > 10_000
