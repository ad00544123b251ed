"""docs/clinical-rules.md and the dose-rule table agree: every rule in the database has one row,
every row has a rule, each row's confidence and encoding are the rule's, and each row names a test
that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from treatments.models import Confidence, DoseRule, RuleSeverity

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "clinical-rules.md"
KEY_COLUMN = "Rule key"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def doc_rules() -> dict[str, dict[str, str]]:
    """The rows of the table whose first column is 'Rule key', by the key (in backticks)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("|") and _cells(line)[0] == KEY_COLUMN)
    header = _cells(lines[start])
    rows: dict[str, dict[str, str]] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        row = dict(zip(header, _cells(line), strict=True))
        key = row[KEY_COLUMN].strip("`")
        assert key not in rows, f"{key} has two rows"
        rows[key] = row
    return rows


def encoding(rule: DoseRule) -> str:
    if rule.confidence == Confidence.UNVERIFIED:
        return "configuration"
    return "hard" if rule.severity == RuleSeverity.HARD else "warning"


def test_every_dose_rule_has_a_row_and_every_row_a_rule():
    documented, seeded = set(doc_rules()), set(DoseRule.objects.values_list("code", flat=True))
    assert seeded, "no dose rules seeded"
    assert seeded - documented == set(), "rules missing from docs/clinical-rules.md"
    assert documented - seeded == set(), "rows in docs/clinical-rules.md with no rule"


def test_each_row_states_the_rules_confidence_and_encoding():
    rows = doc_rules()
    for rule in DoseRule.objects.all():
        assert (rows[rule.code]["Mark"], rows[rule.code]["Encoding"]) == (rule.confidence, encoding(rule)), rule.code


def test_each_row_names_a_source_and_an_edge_test_that_exists():
    for key, row in doc_rules().items():
        assert len(row["Source"]) > 10, key
        match = re.fullmatch(r"`(tests/[\w/]+\.py)::(test_\w+)`", row["Edge test"])
        assert match, f"{key}: the edge test is not path::name"
        path, name = match.groups()
        assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE), f"{key}: {name}"
