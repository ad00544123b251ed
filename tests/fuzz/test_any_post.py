"""Whatever is posted to a form that writes (patient, booking, reschedule, appointment buttons,
session editor with sites and vials and its live totals, score entry, questionnaire step, SMS
webhook signed and unsigned, lot receive, plan), it never fails, and it saves the whole change
with its audit entry or nothing. One hypothesis test per form (tests/fuzz/endpoints.py)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .check import client_for, post_once
from .endpoints import ENDPOINTS
from .junk import mutation


# Moderate, so that the suite stays fast; the fuzz command (tests/perf/fuzz_forms.py) posts thousands.
@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize("form", list(ENDPOINTS))
def test_any_post_saves_the_whole_change_or_nothing_and_never_fails(scene, form, data):
    endpoint = ENDPOINTS[form]
    # Each example acts on fresh rows inside a savepoint that is rolled back afterwards.
    with transaction.atomic():
        target = endpoint.target(scene, data.draw(st.sampled_from(endpoint.variants), label="variant"))
        posted = data.draw(mutation(target.data, target.fields), label="posted")
        outcome = post_once(client_for(scene, endpoint.role), endpoint, target, posted)
        event(f"status {outcome.status}")
        assert outcome.server_error is None, outcome.server_error
        assert outcome.half_save is None, outcome.half_save
        transaction.set_rollback(True)
