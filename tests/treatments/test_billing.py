"""Billing summaries of signed sessions, including the worked JW/JZ examples of CMS's discarded-drug policy."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    InjectionSessionFactory,
    InjectionSiteFactory,
    SessionVialFactory,
    TreatmentPlanFactory,
    VialLotFactory,
    seeded,
    signed_session_make,
)
from treatments.billing import billing_csv, billing_summary
from treatments.models import InjectionSession
from treatments.selectors import session_detail

from .conftest import at, muscle

pytestmark = pytest.mark.django_db


def signed(plan, sites, lots, product=None):
    """A signed session with ``sites`` [(muscle, side, units, guidance)] and ``lots`` [(lot, vials)]."""
    session = signed_session_make(plan=plan, performed_at=at(2030, 6, 3), units=1, product=product)
    session.sites.all().delete()
    for name, side, units, guidance in sites:
        InjectionSiteFactory(session=session, muscle=muscle(name), side=side, units=units, guidance=guidance)
    for lot, vials in lots:
        SessionVialFactory(session=session, lot=lot, vials_opened=vials)
    return session_detail(pk=session.pk)


def codes(summary) -> list[tuple[str, object]]:
    return [(line.code_with_modifiers, line.units) for line in summary.lines]


def preempt_sites(total=155):
    return [("Temporalis", "left", 5, "anatomical")] * (total // 5)


def test_155_units_from_a_200_unit_vial_bills_155_and_45_discarded(migraine_plan, botox):
    lot = VialLotFactory(product=botox, vial_units=200)
    summary = billing_summary(signed(migraine_plan, preempt_sites(155), [(lot, 1)]))
    assert codes(summary) == [("64615", 1), ("J0585", 155), ("J0585-JW", 45)]
    assert summary.diagnosis_code == migraine_plan.diagnosis_code.code


def test_a_full_100_unit_vial_used_bills_jz(migraine_plan, botox):
    lot = VialLotFactory(product=botox, vial_units=100)
    summary = billing_summary(signed(migraine_plan, preempt_sites(100), [(lot, 1)]))
    assert codes(summary) == [("64615", 1), ("J0585-JZ", 100)]


def test_dysport_bills_one_unit_per_5_units_rounding_up(clinician_user):
    dysport = seeded("Product", code="dysport")
    plan = TreatmentPlanFactory(indication_code="cervical_dystonia", product=dysport,
                                responsible_clinician=clinician_user)
    lot = VialLotFactory(product=dysport, vial_units=500)
    summary = billing_summary(signed(plan, [("Splenius capitis", "left", 152, "emg")], [(lot, 1)]))
    # 152 U ÷ 5 = 30.4 → 31 billing units; the 500 U vial is 100 billing units → 69 discarded.
    assert codes(summary) == [("64616", 1), ("95874", 1), ("J0586", 31), ("J0586-JW", 69)]
    assert any("rounded up to 31" in note for note in summary.notes)


LIMB = "upper_limb_spasticity_adult"


@pytest.mark.parametrize(("left", "right", "expected"), [
    (4, 0, ["64642"]),
    (5, 0, ["64644"]),
    (4, 3, ["64642", "64643"]),
    (3, 5, ["64644", "64643"]),
    (5, 6, ["64644", "64645"]),
])
def test_limbs_bill_by_extremity_and_muscle_count(clinician_user, botox, left, right, expected):
    plan = TreatmentPlanFactory(indication_code=LIMB, responsible_clinician=clinician_user)
    arm = ["Biceps brachii", "Brachialis", "Brachioradialis", "Pronator teres", "Flexor carpi radialis",
           "Flexor carpi ulnaris"]
    sites = [(m, "left", 20, "anatomical") for m in arm[:left]] + [(m, "right", 20, "anatomical") for m in arm[:right]]
    lot = VialLotFactory(product=botox, vial_units=200)
    summary = billing_summary(signed(plan, sites, [(lot, 2)]))
    assert [line.code for line in summary.procedure_lines] == expected


def test_two_sites_in_one_muscle_count_as_one_muscle(clinician_user, botox):
    plan = TreatmentPlanFactory(indication_code=LIMB, responsible_clinician=clinician_user)
    sites = [("Biceps brachii", "left", 20, "anatomical")] * 5
    summary = billing_summary(signed(plan, sites, [(VialLotFactory(product=botox), 1)]))
    assert [line.code for line in summary.procedure_lines] == ["64642"]


def test_guidance_add_ons_are_billed_once_and_ultrasound_is_left_to_check(clinician_user, botox):
    plan = TreatmentPlanFactory(indication_code=LIMB, responsible_clinician=clinician_user)
    sites = [("Biceps brachii", "left", 20, "emg"), ("Brachialis", "left", 20, "emg"),
             ("Brachioradialis", "left", 20, "estim"), ("Pronator teres", "left", 20, "ultrasound")]
    summary = billing_summary(signed(plan, sites, [(VialLotFactory(product=botox), 1)]))
    assert [line.code for line in summary.procedure_lines] == ["64642", "95873", "95874"]
    assert any("76942" in note and "NCCI" in note for note in summary.notes)


def test_blepharospasm_both_eyes_bills_64612_with_modifier_50(clinician_user, botox):
    plan = TreatmentPlanFactory(indication_code="blepharospasm", responsible_clinician=clinician_user)
    lid = "Orbicularis oculi, pretarsal upper lid, medial"
    summary = billing_summary(signed(plan, [(lid, "left", 2.5, "anatomical"), (lid, "right", 2.5, "anatomical")],
                                     [(VialLotFactory(product=botox), 1)]))
    assert codes(summary)[0] == ("64612-50", 1)
    one_eye = billing_summary(signed(plan, [(lid, "left", 2.5, "anatomical")], [(VialLotFactory(product=botox), 1)]))
    assert codes(one_eye)[0] == ("64612", 1)
    assert any("prior authorization" in note for note in summary.notes)


def test_a_draft_has_no_billing_summary(migraine_plan):
    with pytest.raises(ValidationError):
        billing_summary(InjectionSessionFactory(plan=migraine_plan))


def test_the_csv_has_a_row_per_line_and_skips_drafts(migraine_plan, botox, django_assert_max_num_queries):
    for _ in range(3):
        signed(migraine_plan, preempt_sites(155), [(VialLotFactory(product=botox, vial_units=200), 1)])
    InjectionSessionFactory(plan=migraine_plan)
    with django_assert_max_num_queries(6):
        text = billing_csv(InjectionSession.objects.all())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 9
    assert {(r["code"], r["modifiers"], r["units"]) for r in rows} == {
        ("64615", "", "1"), ("J0585", "", "155"), ("J0585", "JW", "45")}
    assert rows[0]["mrn"] == migraine_plan.patient.mrn and rows[0]["date_of_service"] == "2030-06-03"
