"""The duplicate warning sends the eye to the list of matches, which sits above the form's error."""

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, adult_born

from .test_registration import _form

pytestmark = pytest.mark.django_db


def test_the_error_points_up_at_the_matches_shown_above_it(front_desk_client):
    PatientFactory(first_name="Maria", last_name="Lopez", date_of_birth=adult_born(52))
    page = front_desk_client.post(reverse("patients:create"), _form(phone="+13125550100")).content.decode()
    assert "Check the matches listed above" in page and "below" not in page
    assert page.index('data-testid="duplicate-warning"') < page.index("Check the matches listed above")
