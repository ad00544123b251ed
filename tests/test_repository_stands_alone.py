"""Nothing in the repository points outside it: no path into a reference folder a clone does not
have, no section mark into one of its files, no ticket number. Comments point at docs/ or at the
original source (label copy, CMS page, library docs) instead.

Migrations that have shipped are never edited, so their string literals (seeded text, a help text
of the time) are history: only their comments and docstrings are read here. What those literals
put in the database is checked on the migrated test database instead."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import CharField, Q, TextField

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".git", ".venv", "node_modules", "var", "__pycache__"}
# The pointers are spelt here only in pieces, so that this file passes its own check. The reference
# files' names are matched in capitals (as they were written): docs/reliability.md is our own file.
REFERENCE_FILES = [name.upper() for name in ("clinical", "reliability", "style")]
CLINICAL_FILE, RELIABILITY_FILE, STYLE_FILE = REFERENCE_FILES
SHARED = "../" + "shared"
SECTION = chr(0xA7)
ISSUE = "iss" + "ue"
OUTSIDE_POINTERS = re.compile(
    r"\.\./shared|\bshared/|\b(?-i:" + "|".join(REFERENCE_FILES) + r")(?:\.md)?\b|\u00a7|\bissues?\s*#?\s*\d+",
    re.IGNORECASE,
)
DATABASE_POINTERS = [r"\.md\b", "\u00a7", r"\.\./shared"]


def tracked_files() -> list[str]:
    """The files git tracks (a clone's contents); without git, the tree minus tool folders."""
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S607
        return [name for name in listed.stdout.splitlines() if name.split("/")[0] not in SKIPPED_DIRS]
    except (OSError, subprocess.CalledProcessError):
        return [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*")
                if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)]


def _prose_of_migration(source: str) -> list[tuple[int, str]]:
    """(line, text) of a migration's comments and docstrings: the parts that may still be reworded."""
    prose = [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = node.body[0] if node.body else None
            if isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant) \
                    and isinstance(docstring.value.value, str):
                prose += [(docstring.lineno + offset, line)
                          for offset, line in enumerate(docstring.value.value.splitlines())]
    return sorted(prose)


def lines_to_check(name: str, text: str) -> list[tuple[int, str]]:
    if "/migrations/" in f"/{name}" and name.endswith(".py"):
        return _prose_of_migration(text)
    return list(enumerate(text.splitlines(), start=1))


def outside_pointers(name: str, text: str) -> list[str]:
    return [f"{name}:{number}: {line.strip()}" for number, line in lines_to_check(name, text)
            if OUTSIDE_POINTERS.search(line)]


def test_no_file_points_outside_the_repository():
    found = []
    for name in tracked_files():
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary files (images), or deleted but not yet committed
        found += outside_pointers(name, text)
    assert found == [], "pointers outside the repository:\n" + "\n".join(found)


@pytest.mark.parametrize("line", [
    f"# see {SHARED}/{RELIABILITY_FILE}.md", f"# {STYLE_FILE}.md says so", f"# ({CLINICAL_FILE}.md {SECTION}2)",
    f"# {SECTION}3 Blepharospasm", f"# Reminders ({ISSUE} 5)", f"# fixes {ISSUE.title()} #10",
    f"# as {ISSUE}s 3 and 4 asked", f'{RELIABILITY_FILE} "Beat twice"',
])
def test_the_check_finds_each_kind_of_pointer(line):
    assert outside_pointers("app/module.py", line) == [f"app/module.py:1: {line}"]


def test_in_a_migration_only_comments_and_docstrings_are_read():
    migration = f'"""Seeds from {CLINICAL_FILE}.md."""\nSOURCE = "{SECTION}3 Chronic migraine"  # see {ISSUE} 3\n'
    assert [hit.split(": ", 1)[0] for hit in outside_pointers("app/migrations/0002_seed.py", migration)] == [
        "app/migrations/0002_seed.py:1", "app/migrations/0002_seed.py:2"]
    assert "SOURCE" not in "".join(outside_pointers("app/migrations/0002_seed.py", migration))


def _project_models():
    return [model for model in apps.get_models() if Path(model._meta.app_config.path).is_relative_to(ROOT)]


@pytest.mark.django_db
def test_reference_rows_in_the_migrated_database_cite_no_reference_file():
    found, checked = [], 0
    for model in _project_models():
        fields = [field.name for field in model._meta.fields if isinstance(field, CharField | TextField)]
        if not fields:
            continue
        pointing = Q()
        for field in fields:
            for pattern in DATABASE_POINTERS:
                pointing |= Q(**{f"{field}__iregex": pattern})
        checked += model.objects.count()
        found += [f"{model._meta.label} {row}" for row in model.objects.filter(pointing).values("pk", *fields)]
    assert checked > 100, "the migrated database holds no reference data to check"
    assert found == [], "rows citing a reference file:\n" + "\n".join(found)
