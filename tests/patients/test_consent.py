"""Contact consent per channel: recorded once, withdrawn at once, given again as a new row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import ContactConsent
from patients.selectors import consent_current
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return PatientFactory(preferred_channel="sms")


def _record(client, patient, channel: str = "sms", method: str = "verbal"):
    return client.post(reverse("patients:consent_add", args=[patient.pk]), {"channel": channel, "method": method})


def _withdraw(client, patient, channel: str = "sms"):
    return client.post(reverse("patients:consent_withdraw", args=[patient.pk, channel]))


def _actions(patient) -> list[str]:
    return list(AuditEvent.objects.filter(patient=patient).order_by("sequence").values_list("action", flat=True))


def test_front_desk_records_consent_with_when_how_and_who(front_desk_client, front_desk_user, patient):
    response = _record(front_desk_client, patient, method="written")
    assert response.status_code == 302
    assert response.url.endswith("#consent")
    consent = consent_current(patient=patient, channel="sms")
    assert consent.given_method == "written"
    assert consent.given_at is not None
    assert consent.recorded_by == front_desk_user
    event = AuditEvent.objects.get(action="patients.consent.given")
    assert (event.patient, event.actor, event.object_id) == (patient, front_desk_user, str(consent.pk))


def test_sms_is_off_until_consent_is_recorded(front_desk_client, patient):
    before = front_desk_client.get(reverse("patients:detail", args=[patient.pk]))
    assert before.context["sms_blocked"] is True
    _record(front_desk_client, patient)
    after = front_desk_client.get(reverse("patients:detail", args=[patient.pk]))
    assert after.context["sms_blocked"] is False


def test_recording_consent_twice_changes_nothing(front_desk_client, patient):
    _record(front_desk_client, patient)
    _record(front_desk_client, patient, method="written")
    assert ContactConsent.objects.filter(patient=patient).count() == 1
    assert ContactConsent.objects.get().given_method == "verbal"
    assert _actions(patient) == ["patients.consent.given"]


def test_withdrawing_stops_consent_at_once_and_keeps_the_history(front_desk_client, patient):
    _record(front_desk_client, patient)
    assert _withdraw(front_desk_client, patient).status_code == 302
    assert consent_current(patient=patient, channel="sms") is None
    withdrawn = ContactConsent.objects.get()
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_method == "verbal"
    assert _actions(patient) == ["patients.consent.given", "patients.consent.withdrawn"]


def test_withdrawing_when_there_is_no_consent_changes_nothing(front_desk_client, patient):
    assert _withdraw(front_desk_client, patient).status_code == 302
    assert _withdraw(front_desk_client, patient, channel="carrier-pigeon").status_code == 302
    assert not ContactConsent.objects.exists()
    assert _actions(patient) == []


def test_consenting_again_adds_a_new_row(front_desk_client, patient):
    _record(front_desk_client, patient)
    _withdraw(front_desk_client, patient)
    _record(front_desk_client, patient)
    rows = ContactConsent.objects.filter(patient=patient).order_by("given_at")
    assert [row.is_current for row in rows] == [False, True]
    assert _actions(patient) == ["patients.consent.given", "patients.consent.withdrawn", "patients.consent.given"]


def test_consent_is_per_channel(front_desk_client, patient):
    _record(front_desk_client, patient, channel="sms")
    _record(front_desk_client, patient, channel="email")
    _withdraw(front_desk_client, patient, channel="email")
    assert consent_current(patient=patient, channel="sms") is not None
    assert consent_current(patient=patient, channel="email") is None


def test_an_unknown_channel_or_method_records_nothing(front_desk_client, patient):
    _record(front_desk_client, patient, channel="fax")
    _record(front_desk_client, patient, method="link")  # only a patient link may record "link"
    assert not ContactConsent.objects.exists()
    assert _actions(patient) == []


def test_clinicians_cannot_record_or_withdraw_consent(clinician_client, front_desk_client, patient):
    assert _record(clinician_client, patient).status_code == 403
    assert not ContactConsent.objects.exists()
    _record(front_desk_client, patient)
    assert _withdraw(clinician_client, patient).status_code == 403
    assert consent_current(patient=patient, channel="sms") is not None
