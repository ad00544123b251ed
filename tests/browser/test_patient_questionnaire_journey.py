"""A patient on a phone (390×844) opens the questionnaire link from their reminder: answers the
first part, saves part of the second, reloads and finds it kept, reads PHQ-9's own questions with
its worded answers, finishes, and the clinic has four patient-reported scores. Screenshots go to
var/screenshots/ (not committed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from outcomes.models import Assessment, ReportedBy
from tests.factories import TreatmentPlanFactory
from tests.outcomes.questionnaire_scene import MIGRAINE_ANSWERS, invite, link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SHOTS = settings.VAR_DIR / "screenshots"


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"questionnaire-{name}.png"), full_page=True)


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def answer(page: Page, answers: dict[str, int]) -> None:
    for code, value in answers.items():
        # Wait for the field first: right after "Next" the old page may still be unloading.
        field = page.locator(f"input[name='{code}']").first
        field.wait_for()
        if field.get_attribute("type") == "radio":
            radio = page.locator(f"input[type=radio][name='{code}'][value='{value}']")
            page.locator(f"label[for='{radio.get_attribute('id')}']").tap()
        else:
            field.fill(str(value))


def test_a_patient_answers_on_a_phone_comes_back_to_saved_answers_and_finishes(phone: Page, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user, patient__first_name="Rosa",
                                patient__last_name="Quillfeather")
    invitation = invite(plan)
    phone.goto(link(invitation))
    expect(phone.get_by_text("Hello Rosa,")).to_be_visible()
    expect(phone.get_by_test_id("progress")).to_contain_text("Part 1 of 4")
    assert "Quillfeather" not in phone.content()
    answer(phone, MIGRAINE_ANSWERS["headache_days"])
    phone.get_by_test_id("next").tap()

    # Part 2: some answers, saved for later; a reload brings them back.
    expect(phone.get_by_test_id("progress")).to_contain_text("Part 2 of 4")
    answer(phone, {"q1": 3, "q2": 4, "b": 6})
    phone.get_by_test_id("save").tap()
    expect(phone.get_by_role("alert")).to_contain_text("Your answers are saved")
    phone.reload()
    expect(phone.locator("input[name='q1']")).to_have_value("3")
    expect(phone.locator("input[name='b'][value='6']")).to_be_checked()
    answer(phone, {code: value for code, value in MIGRAINE_ANSWERS["midas"].items() if code not in ("q1", "q2", "b")})
    phone.get_by_test_id("next").tap()

    # Part 3, PHQ-9: its own questions, a large button per worded answer, nothing wider than the phone.
    expect(phone.get_by_test_id("step-title")).to_have_text("PHQ-9")
    expect(phone.get_by_test_id("stem")).to_have_text(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?")
    expect(phone.get_by_test_id("question").first).to_contain_text("Little interest or pleasure in doing things")
    expect(phone.locator("label[for='id_item1_3']")).to_have_text("Nearly every day")
    button = phone.locator("label[for='id_item1_0']").bounding_box()
    assert button is not None and button["height"] >= 44 and button["width"] >= 44  # a finger-sized target
    answer(phone, MIGRAINE_ANSWERS["phq9"])
    assert fits_the_screen(phone)
    shot(phone, "phq9-step")
    phone.get_by_test_id("next").tap()

    expect(phone.get_by_test_id("step-title")).to_have_text("GAD-7")
    answer(phone, MIGRAINE_ANSWERS["gad7"])
    phone.get_by_test_id("next").tap()
    expect(phone.get_by_test_id("questionnaire-done")).to_contain_text("Thank you, Rosa.")
    shot(phone, "done")

    recorded = Assessment.objects.filter(invitation=invitation)
    assert sorted(recorded.values_list("instrument", flat=True)) == sorted(invitation.instruments)
    assert set(recorded.values_list("reported_by", flat=True)) == {ReportedBy.PATIENT}
    phone.goto(link(invitation))
    expect(phone.get_by_test_id("questionnaire-invalid")).to_be_visible()
