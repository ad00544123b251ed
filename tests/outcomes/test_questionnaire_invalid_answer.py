"""Bad input gets a clear error on its question and loses nothing: the answers that were fine
are saved, what was typed is shown again, and no score is recorded."""

from __future__ import annotations

import pytest

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_midas(client, plan):
    invitation = invite(plan)
    send_step(client, invitation, "headache_days", MIGRAINE_ANSWERS["headache_days"])
    return invitation


def test_an_out_of_range_or_non_numeric_answer_shows_its_error_and_keeps_the_others(client, on_midas):
    response = send_step(client, on_midas, "midas", {"q1": 3, "q2": "lots", "q3": 91, "q4": 2, "q5": 0, "a": 20,
                                                     "b": 4})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a whole number." in html and "Please enter a number from 0 to 90." in html
    assert 'value="lots"' in html and 'value="91"' in html  # what was typed is still there to correct
    on_midas.refresh_from_db()
    assert on_midas.answers == {"midas": {"q1": 3, "q4": 2, "q5": 0, "a": 20, "b": 4}}
    assert not on_midas.assessments.filter(instrument="midas").exists()


def test_next_with_a_question_unanswered_asks_for_it_and_records_nothing(client, on_midas):
    response = send_step(client, on_midas, "midas", {"q1": 3, "q2": 1, "q3": 0, "q4": 2, "q5": 0, "a": 20})
    html = response.content.decode()
    assert html.count("Please answer this question.") == 1 and "Your other answers are saved" in html
    on_midas.refresh_from_db()
    assert on_midas.answers["midas"]["q1"] == 3 and not on_midas.assessments.filter(instrument="midas").exists()


def test_an_answer_that_is_not_one_of_the_choices_is_refused(client, plan):
    invitation = invite(plan)
    for code in ("headache_days", "midas"):
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    response = send_step(client, invitation, "phq9", {**MIGRAINE_ANSWERS["phq9"], "item4": 7})
    assert "Please choose one of the answers." in response.content.decode()
    invitation.refresh_from_db()
    assert "item4" not in invitation.answers["phq9"] and invitation.answers["phq9"]["item1"] == 1
    assert "Part 3 of 4" in client.get(link(invitation)).content.decode()
