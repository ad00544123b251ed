"""A CSV cell that a spreadsheet would read as a formula is written as text (a leading quote):
the four operators, and tab, carriage return and NUL before them, as OWASP's CSV Injection page
and ASVS list. Other text, and numbers, are written as they are."""

import pytest

from clinic.spreadsheets import safe_cell


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1",
                                  "\tplain", "\rplain", "\x00=1"])
def test_a_cell_starting_a_formula_gains_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Lopez", "Maria =1", " =1", "", "100 U"])
def test_other_text_is_written_as_it_is(text):
    assert safe_cell(text) == text


def test_a_number_is_written_as_it_is():
    assert safe_cell(155) == "155"
