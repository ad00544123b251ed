"""Migration 0002 seeds the clinical reference data (docs/clinical-rules.md), and seeding again changes nothing."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from treatments.models import DoseRule, Indication, Product, ProtocolTemplate

pytestmark = pytest.mark.django_db
seed_module = importlib.import_module("treatments.migrations.0002_reference_data")


def test_products_carry_their_hcpcs_billing_unit_and_use_within_hours():
    rows = {p.code: (p.hcpcs_code, p.units_per_billing_unit, p.use_within_hours, p.confidence)
            for p in Product.objects.filter(is_active=True)}
    assert rows == {
        "botox": ("J0585", 1, 24, "V"), "dysport": ("J0586", 5, 24, "S"), "xeomin": ("J0588", 1, 24, "V"),
        "myobloc": ("J0587", 100, 4, "U"), "daxxify": ("J0589", 1, 72, "U"),
    }


def test_preempt_is_31_sites_of_5_units_each():
    template = ProtocolTemplate.objects.get(name__startswith="PREEMPT")
    sites = list(template.sites.select_related("muscle"))
    assert len(sites) == 31
    assert {s.units for s in sites} == {Decimal("5")}
    per_muscle = {}
    for s in sites:
        per_muscle[s.muscle.name] = per_muscle.get(s.muscle.name, 0) + s.units
    assert per_muscle == {"Corrugator": 10, "Procerus": 5, "Frontalis": 20, "Temporalis": 40, "Occipitalis": 30,
                          "Cervical paraspinal": 20, "Trapezius": 30}
    assert [s.side for s in sites if s.muscle.name == "Procerus"] == ["midline"]


def test_blepharospasm_template_is_three_sites_per_eye_at_the_label_lower_bound():
    sites = list(ProtocolTemplate.objects.get(indication__code="blepharospasm").sites.all())
    assert len(sites) == 6
    assert {s.units for s in sites} == {Decimal("1.25")}
    assert sorted(s.side for s in sites) == ["left"] * 3 + ["right"] * 3


def test_no_unverified_rule_is_hard_and_every_rule_names_its_source():
    assert not DoseRule.objects.filter(confidence="U", severity="hard").exists()
    assert not DoseRule.objects.filter(source="").exists()
    adult = DoseRule.objects.get(code="botox_adult_cumulative_400u_84d")
    assert (adult.limit_units, adult.window_days, adult.severity) == (Decimal("400"), 84, "hard")


def test_every_indication_has_codes_and_the_quality_of_life_scales():
    for indication in Indication.objects.all():
        assert indication.diagnosis_codes.exists(), indication.code
        assert {"phq9", "gad7", "eq5d_vas"} <= set(indication.outcome_scales)
    assert not Indication.objects.get(code="upper_limb_spasticity_adult").diagnosis_codes.get(code="G35").is_billable


def test_seeding_twice_creates_no_duplicates():
    models = ["Indication", "DiagnosisCode", "Product", "ProductVialSize", "Muscle", "ProtocolTemplate",
              "ProtocolSite", "DoseRule"]
    before = {m: apps.get_model("treatments", m).objects.count() for m in models}
    seed_module.seed(apps, None)
    assert {m: apps.get_model("treatments", m).objects.count() for m in models} == before
