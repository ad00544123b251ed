"""Myobloc and Daxxify cervical dystonia: above the top of the label's dose range is a warning, in
the product's own units (docs/clinical-rules.md)."""

from decimal import Decimal

import pytest

from tests.factories import TreatmentPlanFactory, seeded

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("product", "top", "rule"), [
    ("myobloc", "5000", "myobloc_cervical_dystonia_5000u_per_session"),
    ("daxxify", "250", "daxxify_cervical_dystonia_250u_per_session"),
])
@pytest.mark.parametrize(("over", "warned"), [("0", False), ("0.01", True)])
def test_above_the_dose_range_is_a_warning_not_a_block(product, top, rule, over, warned):
    plan = TreatmentPlanFactory(indication_code="cervical_dystonia", product=seeded("Product", code=product))
    units = Decimal(top) + Decimal(over)
    report = check(plan, at(2030, 5, 1), [site("Splenius capitis", units / 2, side=side) for side in ("left", "right")])
    assert (rule in codes(report)) is warned
    assert not report.blocks_signing
    if warned:
        assert f"{units} U {plan.product.brand_name}" in report.warnings[0].message
