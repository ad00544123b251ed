"""No dose rule converts or adds units across products: every rule names one product, and a
session is judged only by its own product's rules and history (each label: units "cannot be
compared to nor converted into units of any other botulinum toxin products")."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PatientFactory, TreatmentPlanFactory, seeded, signed_session_make
from treatments.models import DoseRule

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
TODAY = at(2030, 5, 1)


def test_every_dose_rule_names_exactly_one_product():
    assert DoseRule.objects.exists()
    assert not DoseRule.objects.filter(product__isnull=True).exists()


def test_a_botox_dose_the_same_day_does_not_count_toward_the_dysport_day_limit():
    patient = PatientFactory()
    botox_plan = TreatmentPlanFactory(patient=patient, indication_code="upper_limb_spasticity_adult")
    signed_session_make(plan=botox_plan, performed_at=TODAY - dt.timedelta(hours=1), units=400,
                        muscle="Biceps brachii")
    dysport_plan = TreatmentPlanFactory(patient=patient, indication_code="lower_limb_spasticity_adult",
                                        product=seeded("Product", code="dysport"))
    report = check(dysport_plan, TODAY, [site("Soleus", 1500)])
    assert "dysport_adult_1500u_per_day" not in codes(report)
    assert report.cumulative_label == "1500 U Dysport of 1500 U on one clinic day"


def test_dysport_given_on_a_botox_plan_is_held_to_dysports_limits_not_botoxs():
    child = PatientFactory(date_of_birth=dt.date(2020, 6, 1))
    botox_plan = TreatmentPlanFactory(patient=child, indication_code="upper_limb_spasticity_pediatric")
    report = check(botox_plan, TODAY, [site("Biceps brachii", 300)], weight=Decimal("20"),
                   product=seeded("Product", code="dysport"))
    # 300 U Dysport is above Botox's 120 U for 20 kg, but within Dysport's 320 U: no conversion, no Botox rule.
    assert "botox_pediatric_upper_limb_6ukg_200u_per_session" not in codes(report)
    assert "dysport_pediatric_upper_limb_16ukg_640u_per_session" not in codes(report)
    assert "product_differs_from_plan" in codes(report)
