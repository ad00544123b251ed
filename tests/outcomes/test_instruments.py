"""Every instrument scores from its items, validates ranges, and bands exactly at the published edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outcomes.instruments import INSTRUMENTS, score
from treatments.models import Indication


def _spread(count: int, total: int, maximum: int, prefix: str = "item") -> dict[str, int]:
    """``count`` items named prefix1.. summing to ``total``, each at most ``maximum``."""
    items = {}
    for n in range(1, count + 1):
        items[f"{prefix}{n}"] = min(maximum, total)
        total -= items[f"{prefix}{n}"]
    assert total == 0
    return items


# (total, band) pairs on both sides of every edge: the published PHQ-9 bands (V).
PHQ9_EDGES = [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
              (15, "Moderately severe"), (19, "Moderately severe"), (20, "Severe"), (27, "Severe")]
GAD7_EDGES = [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
              (15, "Severe"), (21, "Severe")]
MIDAS_EDGES = [(0, "Grade I"), (5, "Grade I"), (6, "Grade II"), (10, "Grade II"), (11, "Grade III"),
               (20, "Grade III"), (21, "Grade IV"), (270, "Grade IV")]
HIT6_EDGES = [(36, "Little or no impact"), (49, "Little or no impact"), (50, "Some impact"), (55, "Some impact"),
              (56, "Substantial impact"), (59, "Substantial impact"), (60, "Severe impact"), (78, "Severe impact")]


@pytest.mark.parametrize(("total", "band"), PHQ9_EDGES)
def test_phq9_bands_at_each_edge(total, band):
    items = dict(_spread(8, total, 3), item9=0) if total <= 24 else _spread(9, total, 3)
    _, result = score("phq9", items)
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("total", "band"), GAD7_EDGES)
def test_gad7_bands_at_each_edge(total, band):
    _, result = score("gad7", _spread(7, total, 3))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("total", "band"), MIDAS_EDGES)
def test_midas_grades_at_each_edge(total, band):
    _, result = score("midas", {**_spread(5, total, 90, prefix="q"), "a": 90, "b": 10})
    assert (result.total, result.band) == (total, band)


def test_midas_unscored_items_do_not_count():
    _, result = score("midas", {"q1": 1, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "a": 60, "b": 9})
    assert result.total == 1 and result.subscores == {"a": "60", "b": "9"}


@pytest.mark.parametrize(("total", "band"), HIT6_EDGES)
def test_hit6_bands_at_each_edge_and_records_only_the_total(total, band):
    clean, result = score("hit6", {"total": total})
    assert clean == {"total": total} and result.band == band
    assert INSTRUMENTS["hit6"].requires_licence


@pytest.mark.parametrize(("deviation", "band"), [(0, "≤10 PD residual"), (10, "≤10 PD residual"),
                                                 (11, ">10 PD residual")])
def test_prism_diopters_band_at_the_10_pd_residual_edge(deviation, band):
    assert score("prism_diopters", {"deviation": deviation})[1].band == band


def test_phq9_item_9_above_zero_raises_an_alert_whatever_the_total():
    assert score("phq9", dict(_spread(8, 0, 3), item9=1))[1].raises_alert
    assert not score("phq9", dict(_spread(8, 24, 3), item9=0))[1].raises_alert


def test_twstrs_sums_its_three_subscores_with_the_original_0_30_disability():
    _, result = score("twstrs", {"severity": 35, "disability": 30, "pain": 20})
    assert result.total == 85 and result.subscores == {"severity": "35", "disability": "30", "pain": "20"}
    with pytest.raises(ValidationError):
        score("twstrs", {"severity": 0, "disability": 31, "pain": 0})


def test_jankovic_and_bdi_sum_their_items():
    assert score("jankovic", {"severity": 4, "frequency": 4})[1].total == 8
    assert score("bdi", _spread(6, 24, 4))[1].total == 24  # 6 × 4, not the "0–30" an older summary gave


def test_modified_ashworth_keeps_each_muscle_grade_and_charts_the_mean_ordinal():
    clean, result = score("modified_ashworth", {"Biceps brachii (left)": "1+", "Flexor carpi radialis (left)": "4"})
    assert clean == {"Biceps brachii (left)": "1+", "Flexor carpi radialis (left)": "4"}
    assert result.total == Decimal("3.50") and result.band == "highest grade 4"  # (2 + 5) / 2
    with pytest.raises(ValidationError):
        score("modified_ashworth", {"Biceps brachii (left)": "5"})
    with pytest.raises(ValidationError):
        score("modified_ashworth", {})


@pytest.mark.parametrize(("code", "items"), [
    ("headache_days", {"days": 31}), ("headache_days", {"days": -1}), ("headache_days", {"days": "2.5"}),
    ("midas", {"q1": 91, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "a": 0, "b": 0}),
    ("midas", {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "a": 0, "b": 11}),
    ("hit6", {"total": 35}), ("hit6", {"total": 79}), ("tsui", {"total": 26}),
    ("jankovic", {"severity": 5, "frequency": 0}), ("bdi", {**{f"item{n}": 0 for n in range(1, 6)}, "item6": 5}),
    ("phq9", {**{f"item{n}": 0 for n in range(1, 9)}, "item9": 4}), ("gad7", {f"item{n}": 0 for n in range(1, 7)}),
    ("eq5d_vas", {"vas": 101}), ("eq5d_vas", {"vas": "abc"}), ("prism_diopters", {"deviation": 101}),
    ("tsui", {"total": 3, "extra": 1}), ("no_such_scale", {}),
])
def test_out_of_range_missing_or_unknown_items_are_refused(code, items):
    with pytest.raises(ValidationError):
        score(code, items)


@pytest.mark.parametrize("code", ["headache_days", "tsui", "eq5d_vas"])
def test_single_item_scales_accept_both_ends(code):
    instrument = INSTRUMENTS[code]
    item = instrument.items[0]
    assert score(code, {item.code: item.minimum})[1].total == instrument.minimum_total
    assert score(code, {item.code: item.maximum})[1].total == instrument.maximum_total


def test_licensed_scales_say_so():
    assert {code for code, i in INSTRUMENTS.items() if i.requires_licence} == {"hit6", "eq5d_vas"}
    assert "EuroQol" in INSTRUMENTS["eq5d_vas"].licence_note


def test_every_indication_scale_seeded_by_treatments_has_an_instrument(db):
    codes = {code for scales in Indication.objects.values_list("outcome_scales", flat=True) for code in scales}
    assert codes and codes <= set(INSTRUMENTS)
