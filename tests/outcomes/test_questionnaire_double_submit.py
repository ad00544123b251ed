"""A step sent twice (a double tap, a reload, two tabs) is recorded once, and the second sender
sees what the first did; two at once, in real threads on the real database, too."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from outcomes.models import Assessment, AssessmentAlert
from tests.concurrency import run_at_once
from tests.factories import TreatmentPlanFactory, UserFactory

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step


@pytest.mark.django_db
def test_the_same_step_sent_again_records_nothing_more(client, plan):
    invitation = invite(plan)
    first = send_step(client, invitation, "headache_days", {"days": 12})
    again = send_step(client, invitation, "headache_days", {"days": 20})
    assert first.status_code == again.status_code == 302
    assert list(Assessment.objects.filter(invitation=invitation).values_list("total", flat=True)) == [12]
    assert "Part 2 of 4" in client.get(link(invitation)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_last_step_sent_twice_at_once_is_recorded_once_and_both_see_thank_you():
    plan = TreatmentPlanFactory(responsible_clinician=UserFactory(role=Role.CLINICIAN))
    invitation = invite(plan)
    client = Client()
    for code in invitation.instruments[:-1]:
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    last = invitation.instruments[-1]
    responses = run_at_once([lambda: send_step(Client(), invitation, last, MIGRAINE_ANSWERS[last])] * 2)
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert ["Thank you" in r.content.decode() for r in responses] == [True, True]
    assert Assessment.objects.filter(invitation=invitation, instrument=last).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_phq9_with_item_9_sent_three_times_at_once_raises_one_alert():
    plan = TreatmentPlanFactory(responsible_clinician=UserFactory(role=Role.CLINICIAN))
    invitation = invite(plan)
    client = Client()
    for code in ("headache_days", "midas"):
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    answers = {**MIGRAINE_ANSWERS["phq9"], "item9": 1}
    responses = run_at_once([lambda: send_step(Client(), invitation, "phq9", answers)] * 3)
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302, 302]
    assert Assessment.objects.filter(invitation=invitation, instrument="phq9").count() == 1
    assert AssessmentAlert.objects.count() == 1
