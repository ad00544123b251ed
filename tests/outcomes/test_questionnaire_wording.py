"""A patient reads real questions and answers, never "Item 1": every self-report instrument carries
its sourced wording for every item, the page shows it, and an instrument without sourced wording
is not asked (nor waited for by a questionnaire sent before it was withdrawn)."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from outcomes.instruments import INSTRUMENTS, patient_questionnaire_codes

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step

pytestmark = pytest.mark.django_db
SELF_REPORT = [code for code, instrument in INSTRUMENTS.items() if instrument.self_report]


def page_text(client: Client, invitation) -> str:
    return html.unescape(client.get(link(invitation)).content.decode())


@pytest.mark.parametrize("code", SELF_REPORT)
def test_every_self_report_instrument_has_wording_for_every_item(code):
    instrument = INSTRUMENTS[code]
    for item in instrument.items:
        assert item.question.strip(), f"{code}.{item.code} has no patient wording"
        assert not item.question.startswith(("Item ", "Days lost")), item.question
        instrument.answer_choices(item)  # raises if the answer words do not fit the item's range


def test_only_sourced_questionnaires_are_offered_to_patients():
    assert SELF_REPORT == ["headache_days", "midas", "phq9", "gad7"]
    # BDI (no sourced wording) and EQ-5D VAS (EuroQol's, unconfirmed) stay clinician-entered.
    assert patient_questionnaire_codes(["jankovic", "bdi", "phq9", "gad7", "eq5d_vas"]) == ["phq9", "gad7"]


def test_the_page_shows_the_questions_and_the_answer_words(client, plan):
    invitation = invite(plan)
    first = page_text(client, invitation)
    assert "On how many days in the last 30 days did you have a headache?" in first

    send_step(client, invitation, "headache_days", MIGRAINE_ANSWERS["headache_days"])
    midas = page_text(client, invitation)
    assert "On how many days in the last 3 months did you miss work or school because of your headaches?" in midas
    assert "On a scale of 0 - 10, on average how painful were these headaches?" in midas

    send_step(client, invitation, "midas", MIGRAINE_ANSWERS["midas"])
    phq9 = page_text(client, invitation)
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in phq9
    assert "Little interest or pleasure in doing things" in phq9
    assert "Thoughts that you would be better off dead or of hurting yourself in some way" in phq9
    for words in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        assert phq9.count(f">{words}</label>") == 9
    assert "Item 1" not in phq9 and "Choose a number" not in phq9

    send_step(client, invitation, "phq9", MIGRAINE_ANSWERS["phq9"])
    gad7 = page_text(client, invitation)
    assert "Feeling nervous, anxious or on edge" in gad7 and gad7.count(">Nearly every day</label>") == 7


def test_a_questionnaire_sent_before_a_scale_was_withdrawn_no_longer_asks_or_waits_for_it(client, plan):
    invitation = invite(plan)
    # As the link sent before EQ-5D VAS stopped being self-reported recorded it.
    invitation.instruments = [*invitation.instruments, "eq5d_vas"]
    invitation.save(update_fields=["instruments"])
    for number, code in enumerate(invitation.instruments_asked, 1):
        assert f"Part {number} of 4" in page_text(client, invitation)
        response = send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    assert "Thank you" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.completed_at is not None and not invitation.assessments.filter(instrument="eq5d_vas")
