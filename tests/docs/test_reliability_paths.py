"""docs/reliability.md and the suite agree: every test path it names exists, every promise in its
matrix names at least one test, and every test that says which matrix row it proves is listed in
that row."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
TEST_PATH = re.compile(r"`(tests/[\w./-]+)`")
# A test module's docstring that opens with the row it proves: 'Reliability row "Beat twice": ...'
ROW_CLAIM = re.compile(r'^Reliability row "([^"]+)"')


def matrix_rows() -> dict[str, str]:
    """The test matrix's rows, by risk: {risk: the row's text}."""
    lines = DOC.read_text(encoding="utf-8").split("## Test matrix", 1)[1].splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith(("| Risk ", "|---"))]
    rows = rows[:next((n for n, row in enumerate(rows) if row.startswith("| Guarantee ")), len(rows))]
    return {row.strip("| ").split(" | ", 1)[0]: row for row in rows}


def test_every_test_path_named_exists():
    named = TEST_PATH.findall(DOC.read_text(encoding="utf-8"))
    assert len(named) > 40, "docs/reliability.md names almost no tests"
    missing = sorted({path for path in named if not (ROOT / path).exists()})
    assert missing == [], f"docs/reliability.md names tests that do not exist: {missing}"


def test_every_row_of_the_matrix_names_a_test():
    rows = matrix_rows()
    assert {"Beat twice", "Double booking", "Roles and IDOR", "Audit rewrite", "Bad input"} <= set(rows)
    assert [risk for risk, row in rows.items() if not TEST_PATH.search(row)] == []


def test_each_test_that_claims_a_row_is_listed_in_that_row():
    rows, unlisted = matrix_rows(), []
    for path in sorted(ROOT.glob("tests/**/test_*.py")):
        claim = ROW_CLAIM.match(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")
        relative = path.relative_to(ROOT).as_posix()
        if claim and f"`{relative}`" not in rows.get(claim.group(1), ""):
            unlisted.append(f"{relative} claims {claim.group(1)!r}")
    assert unlisted == [], "tests missing from their row in docs/reliability.md:\n" + "\n".join(unlisted)
