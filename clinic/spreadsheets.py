"""CSV downloads: one way to escape a cell and one way to send the file, for every export."""

from __future__ import annotations

from django.http import HttpResponse


def safe_cell(value: object) -> str:
    """Keep a spreadsheet from reading a cell (a name like '=cmd…') as a formula. For text only:
    a negative number would gain a leading quote, so numbers are written as they are."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response
