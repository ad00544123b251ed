"""A patient younger than the age a use is labelled from raises a warning (BOTOX label:
blepharospasm and strabismus from 12 years; BOTOX and Dysport pediatric spasticity from 2 years)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PatientFactory, TreatmentPlanFactory

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
TODAY = at(2030, 5, 1)
CODE = "younger_than_labelled_age"


@pytest.mark.parametrize(("indication", "muscle", "youngest"), [
    ("blepharospasm", "Orbicularis oculi, pretarsal upper lid, medial", 12),
    ("strabismus", "Medial rectus", 12),
    ("upper_limb_spasticity_pediatric", "Biceps brachii", 2),
    ("lower_limb_spasticity_pediatric", "Soleus", 2),
])
@pytest.mark.parametrize(("birthday_passed", "warned"), [(True, False), (False, True)])
def test_a_patient_younger_than_the_labelled_age_is_a_warning(indication, muscle, youngest, birthday_passed, warned):
    born = dt.date(2030 - youngest, 5, 1 if birthday_passed else 2)  # turns `youngest` on May 1 or on May 2
    plan = TreatmentPlanFactory(patient=PatientFactory(date_of_birth=born), indication_code=indication)
    report = check(plan, TODAY, [site(muscle, 1)], weight=Decimal("12"))
    assert (CODE in codes(report)) is warned
    if warned:
        assert f"from {youngest} years" in next(f.message for f in report.warnings if f.code == CODE)


def test_indications_without_a_labelled_age_never_warn():
    plan = TreatmentPlanFactory(patient=PatientFactory(date_of_birth=dt.date(2015, 1, 1)),
                                indication_code="cervical_dystonia")
    assert CODE not in codes(check(plan, TODAY, [site("Splenius capitis", 20)], weight=Decimal("40")))
