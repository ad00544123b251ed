"""The whole path a clinician takes: start from PREEMPT, edit, pick a lot, sign, bill."""

from decimal import Decimal

import pytest
import time_machine

from audit.models import AuditEvent
from treatments.billing import billing_summary
from treatments.models import SessionStatus
from treatments.services import session_save, session_sign, session_start

from .conftest import at, session_input, site, vial

pytestmark = pytest.mark.django_db


@time_machine.travel(at(2030, 3, 4, 12), tick=False)
def test_a_preempt_session_is_started_saved_signed_and_billed(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=at(2030, 3, 4))
    assert session.sites.count() == 31
    assert sum(s.units for s in session.sites.all()) == Decimal("155")
    sites = [site(s.muscle.name, s.units, s.side) for s in session.sites.select_related("muscle")]
    report = session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=at(2030, 3, 4), product=botox, sites=sites, vials=[vial(botox_lot, diluent_ml="4")],
    ))
    assert report.findings == []
    assert report.cumulative_units_in_window == Decimal("155")
    session_sign(actor=clinician_user, session=session, overrides={})
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    summary = billing_summary(session)
    assert [line.code_with_modifiers for line in summary.lines] == ["64615", "J0585", "J0585-JW"]
    assert [line.units for line in summary.drug_lines] == [155, 45]
    assert AuditEvent.objects.filter(action="treatments.session.signed", patient=migraine_plan.patient).exists()
