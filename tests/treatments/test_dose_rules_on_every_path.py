"""The new dose rules speak through the one safety service wherever a dose is judged: on the
session form (the editor's findings), on save (the report ``session_save`` returns) and on sign (a
hard rule blocks, a warning needs a written reason)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PatientFactory, TreatmentPlanFactory, VialLotFactory, seeded
from treatments.models import SessionStatus
from treatments.services import OverrideReasonRequired, SigningBlocked, session_save, session_sign, session_start

from .conftest import at, session_input, site, vial

pytestmark = pytest.mark.django_db
TODAY = at(2030, 6, 3, 11)
CHILD, ADULT = dt.date(2022, 1, 15), dt.date(1980, 1, 15)


@dataclass(frozen=True)
class Case:
    rule: str
    hard: bool
    indication: str
    product: str
    born: dt.date
    sites: tuple  # (muscle, side, units)
    weight: str | None = None


CASES = [
    Case("botox_pediatric_upper_limb_6ukg_200u_per_session", True, "upper_limb_spasticity_pediatric", "botox", CHILD,
         (("Biceps brachii", "left", "50"), ("Brachialis", "left", "50"), ("Brachioradialis", "left", "20.01")),
         weight="20"),
    Case("dysport_pediatric_lower_limb_15ukg_1000u_per_leg", True, "lower_limb_spasticity_pediatric", "dysport",
         CHILD, (("Soleus", "left", "300.01"),), weight="20"),
    Case("dysport_pediatric_upper_limb_16ukg_640u_per_session", True, "upper_limb_spasticity_pediatric", "dysport",
         CHILD, (("Biceps brachii", "left", "320.01"),), weight="20"),
    Case("dysport_adult_1500u_per_day", True, "lower_limb_spasticity_adult", "dysport", ADULT,
         (("Soleus", "left", "1500.01"),)),
    Case("botox_chronic_migraine_155u_per_session", False, "chronic_migraine", "botox", ADULT,
         tuple(("Temporalis", side, "5") for side in ("left", "right") for _ in range(8))
         + tuple(("Occipitalis", side, "5") for side in ("left", "right") for _ in range(7))
         + (("Trapezius", "left", "5"), ("Trapezius", "right", "5"))),   # 160 U
    Case("myobloc_cervical_dystonia_5000u_per_session", False, "cervical_dystonia", "myobloc", ADULT,
         (("Splenius capitis", "left", "2500"), ("Splenius capitis", "right", "2500.01"))),
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(params=CASES, ids=[case.rule for case in CASES])
def saved(request, clinician_user):
    """A draft holding the case's doses, saved through ``session_save``: (case, session, report)."""
    case = request.param
    product = seeded("Product", code=case.product)
    plan = TreatmentPlanFactory(patient=PatientFactory(date_of_birth=case.born), indication_code=case.indication,
                                product=product, responsible_clinician=clinician_user)
    session = session_start(actor=clinician_user, plan=plan, performed_at=TODAY)
    sites = [site(muscle, units, side=side) for muscle, side, units in case.sites]
    lot = VialLotFactory(product=product, vial_units=100, quantity_received=100, expiry_date=dt.date(2099, 1, 1))
    opened = int(sum(Decimal(units) for *_, units in case.sites) // 100) + 1
    diluent = None if product.is_ready_to_use_solution else "2"
    report = session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=TODAY, product=product, sites=sites, vials=[vial(lot, vials_opened=opened, diluent_ml=diluent)],
        weight=Decimal(case.weight) if case.weight else None,
    ))
    return case, session, report


def test_saving_reports_the_rule_with_its_severity(saved):
    case, _, report = saved
    finding = next(f for f in report.findings if f.code == case.rule)
    assert finding.is_hard is case.hard and finding.rule.code == case.rule


def test_the_session_form_shows_the_rule(saved, clinician_client):
    case, session, _ = saved
    page = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": session.pk})).content.decode()
    assert f'data-code="{case.rule}"' in page


def test_signing_is_blocked_by_a_hard_rule_and_a_warning_needs_a_reason(saved, clinician_user):
    case, session, report = saved
    reasons = {code: "Discussed with the patient" for code in report.warning_codes if code != case.rule}
    if case.hard:
        with pytest.raises(SigningBlocked) as refused:
            session_sign(actor=clinician_user, session=session, overrides={case.rule: "no", **reasons})
        assert case.rule in {f.code for f in refused.value.report.hard}
    else:
        with pytest.raises(OverrideReasonRequired) as refused:
            session_sign(actor=clinician_user, session=session, overrides=reasons)
        assert refused.value.missing_codes == [case.rule]
        session_sign(actor=clinician_user, session=session, overrides={**reasons, case.rule: "Follow-the-pain"})
    session.refresh_from_db()
    assert (session.status == SessionStatus.SIGNED) is not case.hard
