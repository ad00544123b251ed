"""Dates are written by the formats in clinic/formats/, never spelled out by hand.

Templates may name a format (``|date``, ``|date:"DATETIME_FORMAT"``), a weekday (``"l"``, ``"D"``),
or, inside a tag's attribute (a URL, an ``<input>`` value), the ISO forms machines read. Code may
spell only ISO 8601 (input widgets, file names, parsing); anything else belongs in clinic/formats/.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "clinic", "patients", "treatments", "scheduling", "outcomes", "reminders")
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT",
         "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT", "l", "D"}
MACHINE_TEMPLATE = {"Y-m-d", "H:i", "c"}
MACHINE_CODE = {"%Y-%m-%d", "%Y-%m-%dT%H:%M", "%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"}
# Formats that read what staff type into the search box, not how anything is shown.
PARSING = {"%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"}
TEMPLATE_FILTER = re.compile(r"""\|(?:date|time):(["'])([^"']*)\1""")
STRFTIME_DIRECTIVE = re.compile(r"%-?[aAbBcdHIjmMpSUwWxXyYzZ]")


def _inside_a_tag(text: str, at: int) -> bool:
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def template_offences(text: str) -> list[str]:
    found = []
    for match in TEMPLATE_FILTER.finditer(text):
        fmt = match.group(2)
        if fmt in NAMED or (fmt in MACHINE_TEMPLATE and _inside_a_tag(text, match.start())):
            continue
        found.append(match.group(0))
    return found


def code_offences(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        spec = None
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(part.value for part in node.format_spec.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and STRFTIME_DIRECTIVE.search(node.value):
            spec = node.value
        if spec and STRFTIME_DIRECTIVE.search(spec) and spec not in MACHINE_CODE | PARSING:
            found.append(f"line {node.lineno}: {spec!r}")
    return found


def test_templates_name_a_format_instead_of_spelling_one():
    offences = {str(path.relative_to(ROOT)): template_offences(path.read_text())
                for path in (ROOT / "templates").rglob("*") if path.suffix in (".html", ".txt")}
    assert {path: found for path, found in offences.items() if found} == {}


def test_code_spells_no_date_for_people_outside_the_formats_module():
    offences = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(ROOT / "clinic" / "formats"):
                continue
            if found := code_offences(path.read_text()):
                offences[str(path.relative_to(ROOT))] = found
    assert offences == {}


def test_the_checks_catch_what_they_are_for():
    assert template_offences('<td>{{ day|date:"D j M Y" }}</td>') == ['|date:"D j M Y"']
    assert template_offences('<td>{{ at|time:"H:i" }}</td>') == ['|time:"H:i"']
    assert template_offences("<input value=\"{{ day|date:'Y-m-d' }}\">{{ day|date }}") == []
    assert code_offences('f"{when:%a %d %b %Y at %H:%M}"') and code_offences('when.strftime("%I:%M %p")')
    assert code_offences('f"{day:%Y-%m-%d}"') == []
