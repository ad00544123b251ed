"""HIT-6 accepts only totals that six answers (each 6, 8, 10, 11 or 13) can add up to: 37, 39 and
77 are refused on the field, with a clear message, and nothing is saved."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outcomes.instruments import HIT6_TOTALS, score
from outcomes.models import Assessment

pytestmark = pytest.mark.django_db


def test_the_possible_totals_are_36_to_78_except_37_39_and_77():
    assert sorted(HIT6_TOTALS) == [t for t in range(36, 79) if t not in (37, 39, 77)]


@pytest.mark.parametrize("total", [36, 38, 40, 76, 78])
def test_a_possible_total_scores(total):
    _, result = score("hit6", {"total": total})
    assert result.total == total


@pytest.mark.parametrize("total", [37, 39, 77])
def test_an_impossible_total_is_refused_by_the_scoring(total):
    with pytest.raises(ValidationError) as refused:
        score("hit6", {"total": total})
    assert "cannot be 37, 39 or 77" in str(refused.value.message_dict["total"])


@pytest.mark.parametrize("total", ["37", "39", "77"])
def test_the_form_shows_the_error_on_the_total_field_and_saves_nothing(clinician_client, plan, total):
    url = reverse("outcomes:assessment_create", args=[plan.patient_id, "hit6"]) + f"?plan={plan.pk}"
    response = clinician_client.post(url, {"taken_on": timezone.localdate().isoformat(), "item_total": total})
    assert response.status_code == 200 and not Assessment.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["item_total"]
    assert f"HIT-6 total: {total} is not a possible value." in errors["item_total"][0]
    assert "6, 8, 10, 11 or 13" in html.unescape(response.content.decode())
