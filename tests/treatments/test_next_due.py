"""A plan's next due date: the last signed session's clinic date plus the cycle, else its start."""

import datetime as dt

import pytest

from tests.factories import InjectionSessionFactory, TreatmentPlanFactory, signed_session_make
from treatments.selectors import plans_with_next_due

from .conftest import at

pytestmark = pytest.mark.django_db


def next_due(plan):
    return plans_with_next_due().get(pk=plan.pk).next_due


def test_a_plan_without_signed_sessions_is_due_from_its_start_date(clinician_user):
    plan = TreatmentPlanFactory(start_date=dt.date(2030, 2, 1), responsible_clinician=clinician_user)
    assert next_due(plan) == dt.date(2030, 2, 1)


def test_next_due_is_the_last_signed_session_plus_the_cycle(migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 7), units=155)
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 4, 1), units=155)
    assert next_due(migraine_plan) == dt.date(2030, 4, 1) + dt.timedelta(weeks=12)


def test_drafts_do_not_move_the_due_date(migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 7), units=155)
    InjectionSessionFactory(plan=migraine_plan, performed_at=at(2030, 3, 1))
    assert next_due(migraine_plan) == dt.date(2030, 4, 1)


def test_a_late_evening_session_counts_on_its_clinic_day(migraine_plan):
    # 23:30 in Chicago is already the next day in UTC.
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 7, 23, 30), units=155)
    assert next_due(migraine_plan) == dt.date(2030, 4, 1)


def test_next_due_can_be_filtered_on(migraine_plan, clinician_user):
    later = TreatmentPlanFactory(start_date=dt.date(2031, 1, 1), responsible_clinician=clinician_user)
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 7), units=155)
    due = plans_with_next_due().filter(next_due__lte=dt.date(2030, 6, 1))
    assert list(due) == [migraine_plan]
    assert later not in due
