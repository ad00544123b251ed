"""What carriers count (3GPP TS 23.038): an SMS is GSM-7 when every character is in the GSM 03.38
alphabet, 160 septets in one segment (153 a segment when split), where the extension table's
characters (``{ } [ ] ~ \\ | ^ €``) take two septets each; otherwise UCS-2, 70 UTF-16 code units
(67 a segment when split). The encoding itself is the ``gsm0338`` codec's (PyPI ``gsm0338``),
whose escaped characters encode to two bytes, one per septet.

Spanish is written properly in the templates, and sent folded to GSM-7 on purpose (``sms_fold``):
GSM-7 has é, ñ, ü, ¿ and ¡ but not á, í, ó or ú, and one of those would turn the whole message
into UCS-2 and its 160 characters into 70. So "sábado" goes out as "sabado", "miércoles" as
written. See docs/sms.md.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from math import ceil

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

GSM7 = "GSM-7"
UCS2 = "UCS-2"
# (one segment, each segment of a split message): a split message spends 7 septets or 3 UCS-2
# units of every segment on the header that joins them back together.
SEGMENT_UNITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsSize:
    encoding: str
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2

    @property
    def segments(self) -> int:
        single, split = SEGMENT_UNITS[self.encoding]
        return 1 if self.units <= single else ceil(self.units / split)

    @property
    def one_segment_limit(self) -> int:
        return SEGMENT_UNITS[self.encoding][0]

    def __str__(self) -> str:
        return f"{self.units} {self.encoding} units, {self.segments} segment{'s' if self.segments != 1 else ''}"


def _gsm7_units(text: str) -> int | None:
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def sms_size(text: str) -> SmsSize:
    units = _gsm7_units(text)
    if units is not None:
        return SmsSize(GSM7, units)
    return SmsSize(UCS2, len(text.encode("utf-16-le")) // 2)


def _fold_char(char: str) -> str:
    if _gsm7_units(char) is not None:
        return char
    bare = "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))
    return bare if bare and _gsm7_units(bare) is not None else char


def sms_fold(text: str) -> str:
    """``text`` with each character GSM-7 lacks replaced by its unaccented letter (á → a) where
    that letter is GSM-7; characters GSM-7 has (é, ñ) and those with no such letter stay."""
    return "".join(_fold_char(char) for char in text)
