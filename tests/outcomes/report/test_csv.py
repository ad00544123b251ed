"""The CSV export: the page's figures, one row per indication, scale, cycle and rule, then the
band-shift cells; named with the day it was made."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nice_rule_on")]  # the clinic uses NICE TA260
NICE_NAME = "NICE TA260: <30% fewer headache days after 2 cycles"


def _download(client, **params) -> tuple[str, list[list[str]]]:
    response = client.get(reverse("outcomes:report"), {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return response["Content-Disposition"], list(csv.reader(io.StringIO(response.getvalue().decode())))


def test_the_file_is_named_with_the_day_it_was_made(clinician_client, scene, time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 1, 15, tzinfo=dt.UTC))
    disposition, _ = _download(clinician_client)
    assert disposition == 'attachment; filename="outcomes-report-2025-09-01.csv"'


def test_response_rows_carry_the_hand_computed_figures_and_the_rule(clinician_client, scene):
    _, rows = _download(clinician_client)
    assert rows[0][:4] == ["Indication", "Scale", "Unit", "Cycle"] and rows[0][-1] == "Responders"
    headache = [row for row in rows if row[1:2] == ["Monthly headache days"]]
    assert headache == [
        ["Chronic migraine", "Monthly headache days", "days", "1", "2", "2", "-3.5", "2", "20.0", NICE_NAME, "30.0",
         "2", "1"],
        ["Chronic migraine", "Monthly headache days", "days", "2", "2", "2", "-5.0", "2", "30.0", NICE_NAME, "30.0",
         "2", "1"],
        ["Chronic migraine", "Monthly headache days", "days", "3", "2", "1", "-10.0", "1", "50.0", NICE_NAME, "30.0",
         "2", "1"],
    ]
    midas = [row for row in rows if row[1:2] == ["MIDAS"]]
    assert midas[0] == ["Chronic migraine", "MIDAS", "points", "1", "2", "1", "-10.0", "1", "25.0",
                        "no responder rule configured", "", "", ""]
    assert midas[1][5:9] == ["0", "", "0", ""]  # nobody assessable after cycle 2: blank, not zero


def test_band_shift_rows_follow_a_blank_line(clinician_client, scene):
    _, rows = _download(clinician_client)
    start = rows.index([]) + 1
    assert rows[start] == ["Scale", "Baseline band", "Latest band", "Shift", "Patients"]
    phq9 = [row for row in rows[start + 1:] if row[0] == "PHQ-9"]
    assert len(phq9) == 5 * 5 + 2
    assert ["PHQ-9", "Moderate", "Mild", "improved", "1"] in phq9
    assert ["PHQ-9", "Mild", "Moderate", "worse", "1"] in phq9
    assert ["PHQ-9", "Mild", "Mild", "same", "0"] in phq9
    gad7 = [row for row in rows[start + 1:] if row[0] == "GAD-7"]
    assert gad7[-2:] == [["GAD-7", "", "", "not assessable: no baseline", "1"],
                         ["GAD-7", "", "", "not assessable: no later score", "1"]]


def test_the_csv_follows_the_filters(clinician_client, scene):
    _, rows = _download(clinician_client, since="2025-03-01")
    assert [row[3] for row in rows if row[1:2] == ["Monthly headache days"]] == ["2", "3"]


def test_the_page_links_to_the_csv_of_the_same_filters(clinician_client, scene):
    html = clinician_client.get(reverse("outcomes:report"), {"since": "2025-03-01"}).content.decode()
    assert 'href="?since=2025-03-01&amp;format=csv"' in html
