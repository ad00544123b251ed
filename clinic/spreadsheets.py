"""CSV downloads: one way to escape a cell and one way to send the file, for every export."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

# The characters OWASP's "CSV Injection" page lists as starting a formula: the four operators, and
# tab and carriage return, which some spreadsheets skip before reading the rest as a formula; plus
# the NUL character, which OWASP ASVS 5.0 requirement 1.2.10 lists beside them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: object) -> str:
    """Keep a spreadsheet from reading a cell (a name like '=cmd…') as a formula. For text only:
    a negative number would gain a leading quote, so numbers are written as they are."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(content: str, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), filename)


class _Echo:
    """A file that hands back what is written to it, so csv.writer formats one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_streaming_response(rows: Iterable[Iterable[object]], filename: str) -> StreamingHttpResponse:
    """Send ``rows`` (the header first) as they are produced: an export of any length holds one
    row in memory, not the file (https://docs.djangoproject.com/en/5.2/howto/outputting-csv/)."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response
