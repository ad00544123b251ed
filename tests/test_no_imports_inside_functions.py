"""No project module is imported inside a function: every dependency between modules sits at the
top of its module, where a reader finds it and import-linter's contracts (pyproject.toml) see it.
A lazy import is how an upward dependency hides; a lower app tells a higher one through a hook
(clinic/hooks.py) instead.

Exempt: ``AppConfig.ready`` in an app's apps.py, the place Django gives for importing what needs
the models loaded (the hook handlers); migrations, which are never edited once written; and
tests/perf, scripts that configure Django themselves before they may import a model."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"])
PROJECT_PACKAGES = frozenset((*APPS, "tests"))


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return ["." * node.level + (node.module or "")]
    return [alias.name for alias in node.names]


def _is_project_module(name: str) -> bool:
    return name.startswith(".") or name.split(".")[0] in PROJECT_PACKAGES


def _is_app_ready(function: ast.FunctionDef | ast.AsyncFunctionDef, path: Path) -> bool:
    return path.name == "apps.py" and function.name == "ready"


def imports_inside_functions(source: str, path: Path) -> list[str]:
    """``path:line: function imports module`` for each project module imported inside a function."""
    found = []
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or _is_app_ready(function, path):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found += [f"{path}:{node.lineno}: {function.name} imports {name}"
                          for name in _imported_modules(node) if _is_project_module(name)]
    return sorted(set(found))  # a nested function is walked twice, once inside its parent


def _is_exempt(relative: Path) -> bool:
    return "migrations" in relative.parts or relative.parts[:2] == ("tests", "perf")


def _project_files() -> list[Path]:
    files = [path for package in sorted(PROJECT_PACKAGES) for path in (ROOT / package).rglob("*.py")]
    return [path for path in files if not _is_exempt(path.relative_to(ROOT))]


def test_no_project_module_is_imported_inside_a_function():
    files = _project_files()
    assert len(files) > 100  # the walk found the code it is meant to check
    found = [hit for path in files for hit in imports_inside_functions(path.read_text(), path.relative_to(ROOT))]
    assert found == []


def test_the_check_finds_absolute_and_relative_imports_inside_functions_and_methods():
    source = (
        "import os\n"
        "from patients.models import Patient\n"
        "def sign():\n"
        "    from reminders.services import reminders_for_plan_sync\n"
        "    import json\n"
        "class Sweep:\n"
        "    def publish(self):\n"
        "        from .tasks import send_reminders\n"
        "        def later():\n"
        "            import scheduling.services\n"
    )
    assert imports_inside_functions(source, Path("treatments/services/signing.py")) == [
        "treatments/services/signing.py:10: later imports scheduling.services",
        "treatments/services/signing.py:10: publish imports scheduling.services",
        "treatments/services/signing.py:4: sign imports reminders.services",
        "treatments/services/signing.py:8: publish imports .tasks",
    ]


def test_an_apps_ready_may_import_its_handlers_and_nothing_else_may():
    source = "class RemindersConfig:\n    def ready(self):\n        from . import handlers\n"
    assert imports_inside_functions(source, Path("reminders/apps.py")) == []
    assert imports_inside_functions(source, Path("reminders/services.py")) == [
        "reminders/services.py:3: ready imports .",
    ]
