"""SMS length is counted as carriers count it: 160 GSM-7 septets a segment (153 when split), the
extension table's characters two septets each; 70 UCS-2 units (67 when split) once any
character is outside GSM-7. Spanish is folded to GSM-7 on purpose: á í ó ú lose their accent,
é ñ ü ¿ ¡ keep theirs."""

from __future__ import annotations

import pytest

from reminders.sms_encoding import sms_fold, sms_size


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("€" * 80, "GSM-7", 160, 1),  # the extension table: two septets each
    ("{" + "a" * 159, "GSM-7", 161, 2),
    ("ñé¿¡ü" + "a" * 155, "GSM-7", 160, 1),  # in the basic table
    ("á" + "a" * 69, "UCS-2", 70, 1),
    ("á" + "a" * 70, "UCS-2", 71, 2),
    ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
])
def test_size_counts_what_carriers_count(text, encoding, units, segments):
    size = sms_size(text)
    assert (size.encoding, size.units, size.segments) == (encoding, units, segments)


def test_spanish_is_folded_to_gsm7_keeping_the_accents_it_has():
    folded = sms_fold("Su próxima cita: miércoles, sábado; ¿recibirá más? ¡Año! Güero ÁÍÓÚ")
    assert folded == "Su proxima cita: miércoles, sabado; ¿recibira mas? ¡Año! Güero AIOU"
    assert sms_size(folded).encoding == "GSM-7"


def test_a_character_with_no_gsm7_letter_is_left_and_counted_as_ucs2():
    assert sms_fold("ok 😀") == "ok 😀"
    assert sms_size(sms_fold("ok 😀")).encoding == "UCS-2"
